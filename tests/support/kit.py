"""The import check of a generated package's test kit, shared by the fixture-package and corpus tests.

Run as ``python -c KIT_IMPORT <package>`` with the package's ``src`` on the path: it imports
``<package>.testing`` and its pytest plugin, and builds the mock and its two clients, so every route,
handle and namespace the kit generated for the document is constructed once.
"""

from __future__ import annotations

KIT_IMPORT = """
import importlib, sys
name = sys.argv[1]
kit = importlib.import_module(name + ".testing")
importlib.import_module(name + ".pytest_plugin")
mocks = [getattr(kit, n) for n in kit.__all__ if isinstance(getattr(kit, n), type)]
mocks = [m for m in mocks if issubclass(m, kit._kit.MockAPI)]
assert len(mocks) == 1, mocks
with mocks[0]() as api:
    api.client()
    api.async_client()
"""

"""pydantic's first import, made safe from any number of threads.

pydantic loads its model machinery lazily and its modules import each other in a circle. When two
threads enter it for the first time at different points, Python's import system breaks the would-be
deadlock by handing one of them a half-initialised module, and that thread fails with
``AttributeError: partially initialized module 'pydantic.main'``. The runtime imports pydantic only
on first use, so that first use may well come from several threads at once (or from one of ours
while a thread of the application imports pydantic itself). Every path of the runtime and of a
generated package that needs pydantic calls :func:`load_pydantic` first: one thread at a time
imports it, and a thread handed a half-initialised module waits for the other import to end and
tries again.
"""

from __future__ import annotations

import importlib
import threading
import time

__all__ = ["load_pydantic"]

_LOCK = threading.Lock()
_loaded = False
_NAMES = ("BaseModel", "ConfigDict", "Field", "TypeAdapter", "ValidationError")
_PATIENCE = 30.0  # seconds another thread may take to finish importing pydantic


def load_pydantic() -> None:
    """Import pydantic fully, once; safe to call from any thread, cheap after the first call."""
    global _loaded
    if _loaded:
        return
    with _LOCK:
        if _loaded:
            return
        deadline = time.monotonic() + _PATIENCE
        while True:
            try:
                module = importlib.import_module("pydantic")
                for name in _NAMES:
                    getattr(module, name)
                importlib.import_module("pydantic_core")
                break
            except (AttributeError, ImportError) as exc:
                if "partially initialized" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001)  # another thread is midway through importing pydantic
        _loaded = True

"""End-to-end tests: the installed clients against vendor simulators (see scenarios/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .userenv import user_env

# The scenarios run inside the fresh virtual environment (test_e2e.py starts them), never here.
collect_ignore = ["scenarios"]


@pytest.fixture(scope="session")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return user_env(tmp_path_factory)

"""The package logger, its opt-in stderr handler, and redaction of secrets."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Collection, Mapping
from urllib.parse import urlencode

import httpx

__all__ = ["REDACTED", "configure_logger", "redact_headers", "redact_url"]

REDACTED = "***"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured: set[str] = set()
_lock = threading.Lock()


def configure_logger(name: str, env_var: str | None) -> logging.Logger:
    """Return the logger ``name``; add a stderr handler once when ``env_var`` is debug/info."""
    logger = logging.getLogger(name)
    if not env_var:
        return logger
    level = _LEVELS.get(os.environ.get(env_var, "").strip().lower())
    if level is None:
        return logger
    with _lock:
        if name not in _configured:
            _configured.add(name)
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(level)
    return logger


def redact_headers(headers: Mapping[str, str], sensitive: Collection[str]) -> dict[str, str]:
    """A copy of ``headers`` with every sensitive one (lower-case names) replaced by ``***``."""
    return {k: (REDACTED if k.lower() in sensitive else v) for k, v in headers.items()}


def redact_url(url: httpx.URL, sensitive_params: Collection[str]) -> str:
    """``url`` as text with the values of sensitive query parameters replaced by ``***``."""
    if not sensitive_params or not url.query:
        return str(url)
    params = [(k, REDACTED if k in sensitive_params else v) for k, v in url.params.multi_items()]
    return str(url).split("?", 1)[0] + "?" + urlencode(params, safe="*")

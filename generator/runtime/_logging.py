"""The package logger, its opt-in stderr handler, and redaction of secrets."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

__all__ = ["REDACTED", "Redaction", "configure_logger", "log_attempt", "redact_headers", "redact_url"]

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


@dataclass(frozen=True)
class Redaction:
    """What of one call is secret: header names (lower case), query parameter names, values."""

    headers: frozenset[str] = frozenset()
    params: frozenset[str] = frozenset()
    secrets: tuple[str, ...] = ()

    def request(self, request: httpx.Request) -> str:
        """``METHOD url`` with sensitive query values replaced by ``***``."""
        from ._exceptions import redact_text

        return redact_text(f"{request.method} {redact_url(request.url, self.params)}", self.secrets)

    def headers_of(self, headers: Mapping[str, str]) -> dict[str, str]:
        """``headers`` with sensitive ones replaced by ``***``."""
        from ._exceptions import redact_text

        return {k: redact_text(v, self.secrets) for k, v in redact_headers(headers, self.headers).items()}

    def text(self, text: str) -> str:
        """``text`` with every secret value replaced by ``***``."""
        from ._exceptions import redact_text

        return redact_text(text, self.secrets)


def log_attempt(
    logger: logging.Logger,
    redaction: Redaction,
    request: httpx.Request,
    outcome: httpx.Response | Exception,
    elapsed: float,
    retries: int,
) -> None:
    """Log one attempt at INFO (method, redacted URL, outcome) and its redacted headers at DEBUG."""
    url = redact_url(request.url, redaction.params)
    if isinstance(outcome, httpx.Response):
        result = f"{outcome.status_code} {outcome.reason_phrase}"
    else:
        result = redaction.text(f"{type(outcome).__name__}: {outcome}")
    logger.info("%s %s -> %s in %.3fs (retries: %d)", request.method, url, result, elapsed, retries)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", redact_headers(dict(request.headers), redaction.headers))
        if isinstance(outcome, httpx.Response):
            logger.debug("response headers: %s", redact_headers(dict(outcome.headers), redaction.headers))

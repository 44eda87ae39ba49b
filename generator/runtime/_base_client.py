"""What the sync and async clients share: configuration, copies, errors, logging, backoff.

Like the client classes, it imports what a call needs (errors, retries, responses) when a call
needs it, and the configuration modules when a client is constructed.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

import httpx

from ._types import NOT_GIVEN, NotGiven, TimeoutInput

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._exceptions import APIConnectionError, APIStatusError
    from ._hooks import Hooks
    from ._request import Prepared, Sent
    from ._spec import ClientSpec, Operation
    from ._types import RetryPolicy
    from ._watch import CallWatch

__all__ = ["BaseAPIClient"]

_COPY_KEYS = frozenset(
    {
        "api_key",
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
        "settings",
        "server_urls",
        "retry",
        "stream_read_timeout",
    }
)


_INIT_PARAMETERS: dict[type[object], tuple[frozenset[str], bool]] = {}
_WATCH_CALL: list[Callable[..., CallWatch | None]] = []  # _watch.watch_call, once a call needed it


def _init_parameters(cls: type[object]) -> tuple[frozenset[str], bool]:
    """Keyword names a client class's ``__init__`` accepts, and whether it takes ``**kwargs``."""
    found = _INIT_PARAMETERS.get(cls)
    if found is None:
        params = inspect.signature(cls).parameters
        var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        found = _INIT_PARAMETERS[cls] = (frozenset(params), var_kw)
    return found


class BaseAPIClient:
    """Configuration and policy shared by :class:`SyncAPIClient` and :class:`AsyncAPIClient`.

    ``INITIAL_RETRY_DELAY`` and ``MAX_RETRY_DELAY`` (seconds) shape the exponential backoff,
    ``RETRY_JITTER`` shortens each wait by up to that share, and ``MAX_RETRY_AFTER`` is the
    longest server-advised wait obeyed: the defaults beneath every :class:`RetryPolicy`.
    """

    INITIAL_RETRY_DELAY: ClassVar[float] = 0.5
    MAX_RETRY_DELAY: ClassVar[float] = 8.0
    RETRY_JITTER: ClassVar[float] = 0.25
    MAX_RETRY_AFTER: ClassVar[float] = 60.0

    _spec: ClientSpec
    _config: ClientConfig
    _logger: logging.Logger
    _owns_http: bool
    _hooks: Hooks | None = None
    _tracing: bool = True
    _awaits_hooks: ClassVar[bool] = False  # the async client awaits hooks; the sync one rejects async ones

    def _init_config(
        self,
        *,
        spec: ClientSpec,
        api_key: str | None,
        base_url: str | None,
        settings: Mapping[str, object] | None,
        server_urls: Mapping[str, str | None] | None,
        timeout: TimeoutInput,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        retry: RetryPolicy | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> None:
        from ._config import resolve_config
        from ._logging import configure_logger

        self._spec = spec
        self._config = resolve_config(
            spec,
            api_key=api_key,
            base_url=base_url,
            settings=settings,
            server_urls=server_urls,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry=retry,
            stream_read_timeout=stream_read_timeout,
        )
        self._logger = configure_logger(spec.package, spec.log_env)

    # -- public read-only configuration ---------------------------------------------------

    @property
    def base_url(self) -> str:
        """The base URL requests go to (without a trailing slash)."""
        return self._config.base_url

    @property
    def api_key(self) -> str | None:
        """The API key in use (never shown in ``repr``)."""
        return self._config.api_key.get() if self._config.api_key else None

    @property
    def timeout(self) -> httpx.Timeout:
        """The default timeout of every request."""
        return self._config.timeout

    @property
    def stream_read_timeout(self) -> float | None:
        """How long a stream waits for its next bytes (``None``: as long as it takes)."""
        return self._config.stream_read_timeout

    @property
    def max_retries(self) -> int:
        """How many times a failed request is retried."""
        return self._config.max_retries

    @property
    def retry(self) -> RetryPolicy:
        """How failed requests are retried: this client's policy over the package defaults."""
        return self._retry_policy(None)

    @property
    def hooks(self) -> Hooks | None:
        """The hooks run around each attempt of each request (``None``: none)."""
        return self._hooks

    @property
    def tracing(self) -> bool:
        """Whether calls are traced when OpenTelemetry is installed and a tracer provider is set."""
        return self._tracing

    def setting(self, name: str) -> str | None:
        """The value of one of the API's client settings (each a keyword argument of the client), by name."""
        return self._config.settings[name]

    def server_url(self, name: str) -> str:
        """The base URL of a named server."""
        return self._config.server_urls[name]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    # -- hooks and tracing ----------------------------------------------------------------

    def _observe(self, hooks: Hooks | None, tracing: bool) -> None:
        """Set the hooks (checked: the sync client cannot await one) and whether to trace."""
        if hooks is not None and not self._awaits_hooks:
            from ._hooks import check_sync_hooks

            check_sync_hooks(hooks)
        self._hooks = hooks
        self._tracing = tracing

    def _watch(self, operation: Operation, prepared: Prepared) -> CallWatch | None:
        """What watches this call (its hooks, its span), or ``None`` when nothing does."""
        if not self._tracing and self._hooks is None:
            return None
        if not _WATCH_CALL:  # imported once: this runs on every call
            from ._watch import watch_call

            _WATCH_CALL.append(watch_call)
        return _WATCH_CALL[0](
            self._spec, self._hooks, self._tracing, operation, prepared.method, prepared.redaction
        )

    def _retries_error(self, prepared: Prepared, exc: Exception, retries: int, limit: int) -> bool:
        """Whether an attempt that raised ``exc`` is tried again."""
        from ._retry import may_retry_exception

        return retries < limit and may_retry_exception(
            exc, retry_safe=prepared.retry_safe, replayable=prepared.replayable
        )

    def _retry_wait(
        self, prepared: Prepared, response: httpx.Response, retries: int, limit: int
    ) -> tuple[bool, float | None]:
        """Whether a failed answer may be retried, and the wait before it (``None``: no retry, as when
        the server asks for a longer wait than the policy obeys)."""
        from ._retry import may_retry_status

        retryable = retries < limit and may_retry_status(
            response.status_code,
            statuses=self._spec.retry_statuses,
            retry_safe=prepared.retry_safe,
            replayable=prepared.replayable,
        )
        return retryable, self._retry_delay(retries, response.headers, prepared.retry) if retryable else None

    # -- copies ---------------------------------------------------------------------------

    def _merged_config(self, overrides: Mapping[str, Any]) -> ClientConfig:
        from ._config import resolve_config

        spec = self._spec
        server_keys = {f"{name}_base_url": name for name in spec.servers}
        unknown = set(overrides) - _COPY_KEYS - set(spec.settings) - set(server_keys)
        if unknown:
            raise TypeError(f"with_options() got unexpected arguments: {', '.join(sorted(unknown))}")
        cfg = self._config
        settings: dict[str, object] = dict(cfg.settings)
        settings.update(overrides.get("settings") or {})
        settings.update({k: v for k, v in overrides.items() if k in spec.settings})
        servers: dict[str, str | None] = dict(cfg.server_urls)
        given_servers: Mapping[str, str | None] = overrides.get("server_urls") or {}
        servers.update({k: v for k, v in given_servers.items() if v})
        servers.update({server_keys[k]: v for k, v in overrides.items() if k in server_keys and v})
        timeout = overrides.get("timeout", NOT_GIVEN)
        max_retries = overrides.get("max_retries")
        retry: RetryPolicy | None = overrides.get("retry")
        if retry is not None:
            retry = retry.over(cfg.retry)
            if max_retries is None and retry.max_retries is not None:
                max_retries = retry.max_retries
        return resolve_config(
            spec,
            api_key=overrides.get("api_key") or self.api_key,
            base_url=overrides.get("base_url") or cfg.base_url,
            settings=settings,
            server_urls=servers,
            timeout=cfg.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=cfg.max_retries if max_retries is None else max_retries,
            default_headers={**cfg.default_headers, **(overrides.get("default_headers") or {})},
            default_query={**cfg.default_query, **(overrides.get("default_query") or {})},
            retry=cfg.retry if retry is None else retry,
            stream_read_timeout=overrides.get("stream_read_timeout", cfg.stream_read_timeout),
        )

    def _construct_copy(self, config: ClientConfig, http_client: object) -> Self:
        cls = type(self)
        accepted, var_kw = _init_parameters(cast("type[object]", cls))
        common: dict[str, Any] = {
            "api_key": config.api_key.get() if config.api_key else None,
            "base_url": config.base_url,
            "timeout": config.timeout,
            "max_retries": config.max_retries,
            "default_headers": dict(config.default_headers),
            "default_query": dict(config.default_query),
            "http_client": http_client,
        }
        if "spec" in accepted:
            kwargs = {
                **common,
                "spec": self._spec,
                "settings": dict(config.settings),
                "server_urls": dict(config.server_urls),
            }
        else:
            kwargs = {**common, **config.settings}
            kwargs.update({f"{k}_base_url": v for k, v in config.server_urls.items()})
            if not var_kw:
                kwargs = {k: v for k, v in kwargs.items() if k in accepted}
        new = cls(**kwargs)
        new._config = config
        new._owns_http = False
        return new

    # -- errors, logging and backoff ------------------------------------------------------

    def _retry_policy(self, override: RetryPolicy | None) -> RetryPolicy:
        """``override`` (one call's policy) over this client's over the class defaults."""
        from ._types import RetryPolicy

        defaults = RetryPolicy(
            max_retries=self._config.max_retries,
            initial_delay=self.INITIAL_RETRY_DELAY,
            max_delay=self.MAX_RETRY_DELAY,
            jitter=self.RETRY_JITTER,
            max_retry_after=self.MAX_RETRY_AFTER,
        )
        policy = self._config.retry.over(defaults)
        return policy if override is None else override.over(policy)

    def _retry_delay(
        self, retries_taken: int, headers: httpx.Headers | None, policy: RetryPolicy | None = None
    ) -> float | None:
        """Seconds before the next attempt, or ``None`` when the server asks for too long a wait."""
        from ._retry import backoff_delay

        return backoff_delay(retries_taken, headers, self._retry_policy(policy))

    def _note_long_wait(self, error: APIStatusError, policy: RetryPolicy | None) -> None:
        """Say on ``error`` why it was not retried: the server asked for too long a wait."""
        cap = self._retry_policy(policy).max_retry_after or 0.0
        error.add_note(
            f"Not retried: the server asked to wait {error.retry_after or 0.0:g} s, longer than "
            f"max_retry_after ({cap:g} s); raise it with retry=RetryPolicy(max_retry_after=...)."
        )

    def _retryable_status(self, status: int) -> bool:
        """Whether the API declares a response with ``status`` worth another attempt."""
        return status in self._spec.retry_statuses

    def _status_error(
        self, operation: Operation, prepared: Prepared, response: httpx.Response
    ) -> APIStatusError:
        from ._exceptions import make_status_error

        return make_status_error(
            response,
            errors=operation.errors,
            request_id_headers=self._spec.request_id_headers,
            secrets=prepared.secrets,
        )

    def _connection_error(
        self, prepared: Prepared, exc: Exception, request: httpx.Request
    ) -> APIConnectionError:
        from ._exceptions import APIConnectionError, APITimeoutError, redact_text

        detail = redact_text(f"{type(exc).__name__}: {exc}", prepared.secrets)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"Request timed out ({detail}).", request=request)
        return APIConnectionError(f"Connection error ({detail}).", request=request)

    def _log_attempt(
        self,
        prepared: Prepared,
        request: httpx.Request,
        outcome: httpx.Response | Exception,
        elapsed: float,
        retries: int,
    ) -> None:
        if self._logger.isEnabledFor(logging.INFO):
            from ._logging import log_attempt

            log_attempt(self._logger, prepared.redaction, request, outcome, elapsed, retries)

    def _log_retry(self, delay: float, retries: int, max_retries: int) -> None:
        self._logger.debug("retrying in %.2fs (retry %d of %d)", delay, retries + 1, max_retries)

    def _stream_delay(
        self, failures: int, retry_ms: int | None, headers: httpx.Headers | None
    ) -> float | None:
        """Seconds before a stream reconnect, or ``None``: give up.

        A failed reconnect's ``Retry-After``/``retry-after-ms`` is read by :meth:`_retry_delay`,
        as a request retry's is; without one, the stream's SSE ``retry:`` (capped at the
        policy's ``max_delay``), else the same backoff.
        """
        advised = headers is not None and ("retry-after" in headers or "retry-after-ms" in headers)
        if retry_ms is not None and not advised:
            return min(retry_ms / 1000.0, self._retry_policy(None).max_delay or 0.0)
        return self._retry_delay(failures, headers)

    # -- the raw-response view ------------------------------------------------------------

    def _raw(self, sent: Sent, parse: Any) -> Any:
        from ._response import APIResponse

        return APIResponse(
            sent.response,
            parse=parse,
            retries_taken=sent.retries_taken,
            elapsed=sent.elapsed,
            request_id_headers=self._spec.request_id_headers,
        )

"""One call's arguments, and preparing them once into something each attempt can send."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

import httpx

from ._config import ClientConfig
from ._encode import HeaderMap, build_path, encode_form, encode_query, form_fields, query_scalar, to_jsonable
from ._exceptions import ConfigurationError
from ._logging import Redaction
from ._multipart import FileParts, OpenedFiles, RawContent, file_parts
from ._retry import IDEMPOTENT_METHODS
from ._spec import ClientSpec, Operation
from ._types import NOT_GIVEN, ContentInput, FilesInput, NotGiven, Omit, RequestOptions, RetryPolicy
from ._utils import as_mapping

if TYPE_CHECKING:
    from ._watch import CallWatch

__all__ = ["CallArgs", "CallKwargs", "Prepared", "Sent", "make_call", "prepare"]

_EMPTY: Mapping[str, object] = {}
_ALWAYS_SENSITIVE = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"})


class CallKwargs(TypedDict, total=False):
    """The keyword arguments ``request``, ``get_page`` and ``stream`` share.

    ``json`` is the JSON body (``None``/``NOT_GIVEN``: no body); ``form`` a form body (multipart
    when ``files`` is given, else url-encoded); ``content`` a raw octet-stream body;
    ``settings`` per-call setting overrides (``NOT_GIVEN`` keeps the client's value).
    """

    path_params: Mapping[str, object] | None
    query: Mapping[str, object] | None
    headers: Mapping[str, object] | None
    json: object
    form: Mapping[str, object] | None
    files: FilesInput | None
    content: ContentInput | None
    settings: Mapping[str, object] | None
    options: RequestOptions | None


@dataclass(frozen=True)
class CallArgs:
    """Everything a generated method passed for one call (kept to build follow-up calls)."""

    operation: Operation
    path_params: Mapping[str, object] = field(default_factory=dict[str, object])
    query: Mapping[str, object] = field(default_factory=dict[str, object])
    headers: Mapping[str, object] = field(default_factory=dict[str, object])
    json: object = NOT_GIVEN
    form: Mapping[str, object] | None = None
    files: FilesInput | None = None
    content: ContentInput | None = None
    settings: Mapping[str, object] = field(default_factory=dict[str, object])
    options: RequestOptions = field(default_factory=RequestOptions)
    page_size_hint: int | None = None
    empty_pages: int = 0  # consecutive empty pages that led to this call (see PageSpec.max_empty_pages)

    def replace(self, **changes: Any) -> CallArgs:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def with_idempotency_key(self) -> CallArgs:
        """Give the call an idempotency key, once, when its operation declares one."""
        name = self.operation.idempotency_header
        if not name:
            return self
        supplied: list[object] = [self.options.idempotency_key]
        for layer in (self.headers, self.options.extra_headers or _EMPTY):
            supplied.extend(v for k, v in layer.items() if k.lower() == name.lower())
        if any(isinstance(v, str) and v for v in supplied):
            if self.options.idempotency_key:
                return self.replace(headers={**self.headers, name: self.options.idempotency_key})
            return self
        return self.replace(headers={**self.headers, name: str(uuid.uuid4())})


def make_call(operation: Operation, kwargs: CallKwargs) -> CallArgs:
    """Bundle a generated method's arguments, adding an idempotency key when declared."""
    return CallArgs(
        operation=operation,
        path_params=kwargs.get("path_params") or {},
        query=kwargs.get("query") or {},
        headers=kwargs.get("headers") or {},
        json=kwargs.get("json", NOT_GIVEN),
        form=kwargs.get("form"),
        files=kwargs.get("files"),
        content=kwargs.get("content"),
        settings=kwargs.get("settings") or {},
        options=kwargs.get("options") or RequestOptions(),
    ).with_idempotency_key()


@dataclass(frozen=True)
class Sent:
    """A response that passed the retry loop, with how it got there (and, on a stream, who watches it)."""

    response: httpx.Response
    retries_taken: int
    elapsed: dt.timedelta
    max_retries: int
    watch: CallWatch | None = None


@dataclass
class Prepared:
    """A call ready to send; :meth:`build` makes a fresh ``httpx.Request`` for each attempt."""

    method: str
    url: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    timeout: httpx.Timeout
    max_retries: int
    retry_safe: bool
    retry: RetryPolicy | None = None
    json: object = NOT_GIVEN
    form: list[tuple[str, str]] | None = None
    parts: FileParts | None = None
    raw: RawContent | None = None
    sensitive_headers: frozenset[str] = frozenset()
    sensitive_params: frozenset[str] = frozenset()
    secrets: tuple[str, ...] = ()
    opened: OpenedFiles = field(default_factory=OpenedFiles)

    @property
    def redaction(self) -> Redaction:
        """What of this call is secret, for whatever prints it."""
        return Redaction(self.sensitive_headers, self.sensitive_params, self.secrets)

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent again (not a one-shot iterator)."""
        return self.raw is None or self.raw.replayable

    def build(self, http: httpx.Client | httpx.AsyncClient, *, is_async: bool) -> httpx.Request:
        """A new request for one attempt (files are rewound by httpx, raw files by us)."""
        kwargs: dict[str, Any] = {}
        if not isinstance(self.json, NotGiven):
            kwargs["json"] = self.json
        elif self.parts is not None:
            kwargs["files"] = self.parts
        elif self.form is not None:
            data: dict[str, list[str]] = {}
            for key, value in self.form:
                data.setdefault(key, []).append(value)
            kwargs["data"] = data
        elif self.raw is not None:
            kwargs["content"] = self.raw.for_attempt(is_async=is_async)
        # httpx rebuilds the URL for any list of params, even an empty one (dropping a query it has):
        # with no params and no query, None leaves the URL as it is and skips that work
        params = self.params if self.params or "?" in self.url else None
        return http.build_request(
            self.method,
            self.url,
            params=cast("list[tuple[str, str | int | float | bool | None]] | None", params),
            headers=self.headers,
            timeout=self.timeout,
            **kwargs,
        )

    def close(self) -> None:
        """Close files the runtime opened for this call."""
        self.opened.close()


def _auth(spec: ClientSpec, key: str, headers: HeaderMap) -> dict[str, str]:
    auth = spec.auth
    if auth.kind == "bearer":
        headers.set("Authorization", f"Bearer {key}")
    elif auth.kind == "header":
        headers.set(auth.name or "X-API-Key", f"{auth.prefix}{key}")
    elif auth.kind == "basic":
        user, _, password = key.partition(":")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers.set("Authorization", f"Basic {token}")
    elif auth.kind == "query":
        return {auth.name or "api_key": key}
    return {}


def _effective_settings(
    spec: ClientSpec, config: ClientConfig, overrides: Mapping[str, object]
) -> dict[str, str | None]:
    values = dict(config.settings)
    for name, value in overrides.items():
        if name not in spec.settings:
            raise ValueError(f"Unknown client setting {name!r}")
        if isinstance(value, NotGiven):
            continue
        values[name] = None if value is None or isinstance(value, Omit) else query_scalar(value)
    return values


def prepare(call: CallArgs, *, spec: ClientSpec, config: ClientConfig, accept: str) -> Prepared:
    """Resolve settings, auth, URL, headers, query and body of ``call`` (no I/O but file opens)."""
    op = call.operation
    options = call.options
    settings = _effective_settings(spec, config, call.settings)
    path_params = dict(call.path_params)
    setting_headers: dict[str, str] = {}
    setting_query: dict[str, str] = {}
    secrets: list[str] = []
    for name in op.settings:
        setting = spec.settings.get(name)
        if setting is None:
            raise ValueError(f"Operation {op.method} {op.path} lists unknown setting {name!r}")
        wire = setting.wire_name or name
        value = settings.get(name)
        in_path = path_params.get(wire)
        path_given = setting.location == "path" and not (in_path is None or isinstance(in_path, NotGiven))
        if value is None:
            if setting.required and not path_given:
                env = f", or set {setting.env}" if setting.env else ""
                raise ConfigurationError(
                    f"{op.method} {op.path} needs the {name!r} setting: pass {name}=... to the "
                    f"client or to this call{env}."
                )
            continue
        if setting.location == "header":
            setting_headers[wire] = value
            secrets.append(value)
        elif setting.location == "query":
            setting_query[wire] = value
            secrets.append(value)
        elif not path_given:
            path_params[wire] = value
    base = config.base_url
    if op.server is not None:
        if op.server not in config.server_urls:
            raise ValueError(f"Unknown server {op.server!r} for {op.method} {op.path}")
        base = config.server_urls[op.server]
    url = base + build_path(op.path, path_params)

    headers = HeaderMap()
    headers.set("User-Agent", spec.user_agent)
    headers.set("Accept", op.accept or accept)
    auth_query: dict[str, str] = {}
    if op.auth and config.api_key is not None and spec.auth.kind != "none":
        auth_query = _auth(spec, config.api_key.get(), headers)
        secrets.append(config.api_key.get())
    headers.update(config.default_headers)
    headers.update(setting_headers)
    headers.update(call.headers)
    headers.update(options.extra_headers)
    params = encode_query([config.default_query, auth_query, setting_query, call.query, options.extra_query])

    prepared = Prepared(
        method=op.method.upper(),
        url=url,
        params=params,
        headers={},
        timeout=config.timeout,
        max_retries=config.max_retries,
        retry_safe=False,
    )
    try:
        _attach_body(prepared, call, headers)
    except BaseException:
        prepared.close()
        raise
    if not isinstance(options.timeout, NotGiven):
        prepared.timeout = (
            options.timeout if isinstance(options.timeout, httpx.Timeout) else httpx.Timeout(options.timeout)
        )
    if not isinstance(options.max_retries, NotGiven):
        prepared.max_retries = max(0, options.max_retries)
    if options.retry is not None:
        prepared.retry = options.retry
        if options.retry.max_retries is not None:
            prepared.max_retries = options.retry.max_retries
    key_header = op.idempotency_header or "Idempotency-Key"
    prepared.retry_safe = prepared.method in IDEMPOTENT_METHODS or bool(headers.get(key_header))
    prepared.headers = headers.as_dict()
    auth_header = (spec.auth.name or "x-api-key") if spec.auth.kind == "header" else ""
    prepared.sensitive_headers = _ALWAYS_SENSITIVE | {n.lower() for n in (*setting_headers, auth_header) if n}
    prepared.sensitive_params = frozenset({*auth_query, *setting_query})
    prepared.secrets = tuple(secrets)
    return prepared


def _attach_body(prepared: Prepared, call: CallArgs, headers: HeaderMap) -> None:
    extra_body = call.options.extra_body
    if call.files is not None:
        # a JSON-encoded part says so (OpenAPI's default content type for object-valued parts)
        parts: FileParts = [
            (k, (None, v.encode("utf-8"), "application/json" if is_json else None))
            for k, v, is_json in form_fields([call.form, extra_body])
        ]
        parts.extend(file_parts(call.files, prepared.opened))
        prepared.parts = parts
    elif call.form is not None:
        prepared.form = encode_form([call.form, extra_body])
    elif call.content is not None:
        if extra_body:
            raise ValueError("extra_body cannot be combined with a raw content body")
        prepared.raw = RawContent(call.content, prepared.opened)
        if "content-type" not in headers:
            headers.set("Content-Type", "application/octet-stream")
    elif not (call.json is None or isinstance(call.json, NotGiven)) or extra_body:
        body: object = {} if call.json is None or isinstance(call.json, NotGiven) else call.json
        jsonable = to_jsonable(body)
        if extra_body:
            target = as_mapping(jsonable)
            if target is None:
                raise ValueError("extra_body needs a JSON object body")
            jsonable = {**target, **(as_mapping(to_jsonable(extra_body)) or {})}
        prepared.json = jsonable

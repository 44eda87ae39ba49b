"""The client classes: constructor arguments, the runtime ClientSpec, lazily loaded resources."""

from __future__ import annotations

from typing import Any

from ..ir import model as m
from ..ir.model import DEFAULT_RETRY_STATUSES
from .annotations import Needs, python_string
from .text import clean, docstring
from .views import MethodView, ResourceModule


def _auth_spec(api: m.Api) -> str:
    """The runtime's `AuthSpec` of the client's auth choice (`Api.client_auth`)."""
    auth = api.client_auth
    if auth.name is None:
        return f"AuthSpec(kind={python_string(auth.kind)})"
    return f"AuthSpec(kind={python_string(auth.kind)}, name={python_string(auth.name)})"


def _request_id_headers(api: m.Api) -> list[str]:
    """The usual request-id headers plus any other `*request-id` response header the document declares."""
    names = ["x-request-id", "request-id"]
    for op in m.all_operations(api):
        for response in op.responses:
            for header in response.headers:
                name = header.name.lower()
                if name.endswith("request-id") and name not in names:
                    names.append(name)
    return names if len(names) > 2 else []


def has_streams(api: m.Api) -> bool:
    """Whether any operation answers with server-sent events."""
    return any(op.stream is not None for op in m.all_operations(api))


def stream_read_timeout_text(pkg: m.Package) -> str:
    """The generated default of `stream_read_timeout`, in words."""
    return "no limit" if pkg.stream_read_timeout is None else f"{pkg.stream_read_timeout:g} s"


def _client_spec(api: m.Api) -> str:
    pkg = api.package
    args = [
        f"name={python_string(pkg.client_class)}",
        f"package={python_string(pkg.import_name)}",
        f"version={python_string(pkg.version)}",
        f"user_agent={python_string(f'{pkg.name}/{pkg.version}')}",
        f"default_base_url={python_string(api.base_url)}",
        f"base_url_env={python_string(pkg.base_url_env) if pkg.base_url_env else 'None'}",
        f"api_key_env={python_string(pkg.api_key_env) if pkg.api_key_env else 'None'}",
        f"api_key_required={bool(api.auth) and bool(api.security)!r}",
        f"log_env={python_string(pkg.log_env) if pkg.log_env else 'None'}",
        f"auth={_auth_spec(api)}",
    ]
    if api.settings:
        settings = ", ".join(
            f"{python_string(s.name)}: SettingSpec(env={python_string(s.env) if s.env else 'None'}, "
            f"location={python_string(s.location)}, wire_name={python_string(s.wire)}, "
            f"required={s.required!r})"
            for s in api.settings
            if s.location != "cookie"
        )
        args.append(f"settings={{{settings}}}")
    if api.alt_servers:
        servers = ", ".join(
            f"{python_string(s.name or '')}: ServerSpec(default_url={python_string(s.url)}, "
            f"env={python_string(s.env) if s.env else 'None'})"
            for s in api.alt_servers
        )
        args.append(f"servers={{{servers}}}")
    args += [f"timeout={pkg.timeout!r}", f"max_retries={pkg.max_retries!r}"]
    if pkg.retry_statuses != DEFAULT_RETRY_STATUSES:
        args.append(f"retry_statuses=frozenset({{{', '.join(map(str, pkg.retry_statuses))}}})")
    if has_streams(api):
        args.append(f"stream_read_timeout={pkg.stream_read_timeout!r}")
    declared = _request_id_headers(api)
    if declared:
        args.append(f"request_id_headers=({', '.join(python_string(h) for h in declared)},)")
    return "ClientSpec(" + ", ".join(args) + ")"


def client_context(
    api: m.Api,
    modules: list[ResourceModule],
    root_methods: list[MethodView],
    root_needs: Needs,
    module_of: dict[str, str],
) -> dict[str, Any]:
    pkg = api.package
    init_params = ["api_key: str | None = None"]
    super_args = ["spec=SPEC", "api_key=api_key"]
    arg_docs = [f"api_key: The API key. Defaults to the `{pkg.api_key_env}` environment variable."]
    settings = [s for s in api.settings if s.location != "cookie"]
    for s in settings:
        init_params.append(f"{s.name}: str | None = None")
        env = f" Defaults to the `{s.env}` environment variable." if s.env else ""
        arg_docs.append(
            f"{s.name}: {' '.join(clean(s.description).split()) or s.wire}.{env}".replace("..", ".")
        )
    init_params.append("base_url: str | None = None")
    arg_docs.append(
        f"base_url: Defaults to `{pkg.base_url_env}` from the environment, then `{api.base_url}`."
        if pkg.base_url_env
        else f"base_url: Defaults to `{api.base_url}`."
    )
    for server in api.alt_servers:
        init_params.append(f"{server.name}_base_url: str | None = None")
        env = f"`{server.env}` from the environment, then " if server.env else ""
        arg_docs.append(f"{server.name}_base_url: The {server.name} host. Defaults to {env}`{server.url}`.")
    init_params += [
        "timeout: TimeoutInput = NOT_GIVEN",
        "max_retries: int | None = None",
        "retry: RetryPolicy | None = None",
        "default_headers: Mapping[str, str] | None = None",
        "default_query: Mapping[str, object] | None = None",
        "hooks: Hooks | None = None",
        "tracing: bool = True",
    ]
    arg_docs += [
        f"timeout: Seconds (or an `httpx.Timeout`) per request; default {pkg.timeout:g}.",
        f"max_retries: Retries of a failed request; default {pkg.max_retries}.",
        "retry: Backoff and waits of retries (`RetryPolicy`); its `max_retries` yields to `max_retries`.",
        "default_headers: Headers sent with every request.",
        "default_query: Query parameters sent with every request.",
        "hooks: Callables run before each attempt of a request and after each response (`Hooks`).",
        "tracing: Whether calls are OpenTelemetry spans (when it is installed and a tracer provider is set).",
        "http_client: An `httpx` client to send requests with (this client will not close it).",
    ]
    super_args.append("settings={" + ", ".join(f"{python_string(s.name)}: {s.name}" for s in settings) + "}")
    super_args.append("base_url=base_url")
    super_args.append(
        "server_urls={"
        + ", ".join(f"{python_string(s.name or '')}: {s.name}_base_url" for s in api.alt_servers)
        + "}"
    )
    super_args += [
        "timeout=timeout",
        "max_retries=max_retries",
        "retry=retry",
        "default_headers=default_headers",
        "default_query=default_query",
        "hooks=hooks",
        "tracing=tracing",
    ]
    streams = has_streams(api)
    if streams:
        init_params.append("stream_read_timeout: float | NotGiven | None = NOT_GIVEN")
        arg_docs.insert(
            -1,
            "stream_read_timeout: Seconds a stream waits for its next bytes (`None`: no limit); "
            f"default {stream_read_timeout_text(pkg)}.",
        )
        super_args.append("stream_read_timeout=stream_read_timeout")
    runtime = {
        "NOT_GIVEN",
        "AsyncAPIClient",
        "AuthSpec",
        "ClientSpec",
        "RetryPolicy",
        "SyncAPIClient",
        "TimeoutInput",
        "to_raw_response_wrapper",
        "async_to_raw_response_wrapper",
    }
    if streams:
        runtime.add("NotGiven")
    if settings:
        runtime.add("SettingSpec")
    if api.alt_servers:
        runtime.add("ServerSpec")
    runtime |= root_needs.runtime
    imports = [f"from ._runtime import {', '.join(sorted(runtime))}"]
    if root_needs.typing:
        imports.append(f"from typing import {', '.join(sorted(root_needs.typing))}")
    if root_needs.datetime:
        imports.append("import datetime as _dt")
    for name in sorted(root_needs.models):
        imports.append(f"from .models.{module_of[name]} import {name}")
    type_imports = ["from ._runtime import Hooks"]
    resources = []
    for module in modules:
        names = [module.class_name, f"Async{module.class_name}"]
        names += [f"{module.class_name}WithRawResponse", f"Async{module.class_name}WithRawResponse"]
        type_imports.append(f"from .resources.{module.name} import {', '.join(names)}")
        resources.append(
            {"attribute": module.attribute, "class_name": module.class_name, "module": module.name}
        )
    description = clean(api.description).split("\n\n")[0] if api.description else ""
    client_doc = f"{pkg.description}.".replace("..", ".")
    if description:
        client_doc += "\n\n" + description
    return {
        "client_class": pkg.client_class,
        "client_doc": docstring(client_doc, "    "),
        "init_doc": docstring(
            "Configure the client.\n\nArgs:\n" + "\n".join(f"    {d}" for d in arg_docs), "        "
        ),
        "spec": _client_spec(api),
        "init_params": init_params,
        "super_args": super_args,
        "resources": resources,
        "root_methods": root_methods,
        "imports": imports,
        "type_imports": type_imports,
    }

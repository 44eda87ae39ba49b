"""What the generated docs cover: every operation and model, a README section per capability the API has (and
none for one it lacks), and runtime facts stated as the runtime has them."""

from __future__ import annotations

import re

import pytest

import generator.runtime as runtime
from generator.ir.model import DEFAULT_RETRY_STATUSES, all_operations
from generator.render import docs
from generator.runtime import _base_client, _exceptions, _retry, _testing_routes
from tests.conftest import VENDORS
from tests.docs.blocks import GENERATED, operation_sections
from tests.docs.conftest import vendor_api


def read(vendor: str, doc: str) -> str:
    return (GENERATED / vendor / doc).read_text(encoding="utf-8")


@pytest.mark.parametrize("vendor", VENDORS)
def test_api_md_has_every_operation_and_model(vendor: str) -> None:
    api = vendor_api(vendor)
    text = read(vendor, "docs/api.md")
    sections = operation_sections(text)
    operations = [op for op in all_operations(api) if docs.documented(op)]
    assert set(sections) == {docs.op_anchor(op.id) for op in operations}
    for op in all_operations(api):
        if op.websocket is not None:  # sessions are documented with their connect method and frames
            assert f"`{op.method} {op.path}`" in text and "## WebSocket sessions" in text, op.id
    if api.webhooks and api.webhook_signature:
        assert "## Webhooks" in text and "webhooks.unwrap(" in text
    for op in operations:
        section = sections[docs.op_anchor(op.id)]
        assert f"`{op.method} {op.path}`" in section
        assert section.count("```python") == 2 and section.count("```sh") == 1, op.id
        for param in op.params:
            if param.location != "cookie":
                assert f"`{param.name.wire}`" in section, (op.id, param.name.wire)
        for error in op.errors:
            assert f"`{error.status}` | `{docs.exception_for(error.status)}`" in section, (
                op.id,
                error.status,
            )
    anchors = set(re.findall(r'<a id="(model-[^"]+)"></a>', text))
    assert anchors == {f"model-{x.name}" for x in api.models}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert f'<a id="{target}"></a>' in text, f"dangling link #{target}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_readme_has_a_section_per_capability(vendor: str) -> None:
    api = vendor_api(vendor)
    text = read(vendor, "README.md")
    ops = [op for op in all_operations(api) if docs.documented(op)]
    has = {
        "Pagination": any(op.pagination for op in ops),
        "Streaming": any(op.stream for op in ops),
        "Idempotency": any(op.idempotency_header for op in ops),
        "Uploads and downloads": any(
            (op.body and op.body.kind in ("multipart", "binary", "text"))
            or any(r.kind == "binary" for r in op.responses)
            for op in ops
        ),
        "WebSocket sessions": any(op.websocket for op in all_operations(api)),
        "Webhooks": bool(api.webhooks and api.webhook_signature),
    }
    for heading in (
        "Install",
        "Authentication and configuration",
        "Quick start",
        "Errors",
        "Retries and timeouts",
    ):
        assert f"\n## {heading}\n" in text
    for heading in ("Raw responses", "Logging"):
        assert f"\n## {heading}\n" in text
    for heading, present in has.items():
        assert (f"\n## {heading}\n" in text) == present, heading
    pkg = api.package
    for name in filter(None, (pkg.api_key_env, pkg.base_url_env)):
        assert f"`{name}`" in text
    assert pkg.log_env is None or f"`{pkg.log_env}=info`" in text
    for setting in api.settings:
        assert f"`{setting.name}`" in text and (setting.env is None or f"`{setting.env}`" in text)
    for server in api.alt_servers:
        assert f"`{server.name}_base_url`" in text and server.url in text
    assert f"`{pkg.timeout:g}`" in text and f"`{pkg.max_retries}`" in text
    for target in re.findall(r"\]\(docs/api\.md#([^)]+)\)", text):
        assert f'<a id="{target}"></a>' in read(vendor, "docs/api.md"), f"dangling link {target}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_readme_names_only_exceptions_the_package_exports(vendor: str) -> None:
    text = read(vendor, "README.md")
    exported = set(_exceptions.__all__) | {name for name in runtime.__all__ if name.endswith("Error")}
    exported |= {"MockAPIError", "AssertionError"}  # the test kit's (`<package>.testing`), and what it is
    assert "MockAPIError" in _testing_routes.__all__
    named = set(re.findall(r"(?<!\[)`(\w+Error)`", text)) - {x.name for x in vendor_api(vendor).models}
    assert named and named <= exported, named - exported


def test_docs_state_the_runtime_policy_as_the_runtime_has_it() -> None:
    by_status = {str(k): v.__name__ for k, v in _exceptions._BY_STATUS.items()}
    assert by_status == docs.STATUS_ERRORS
    assert docs.exception_for("503") == "InternalServerError" == docs.exception_for("5XX")
    client = _base_client.BaseAPIClient
    assert (docs.RETRY_INITIAL, docs.RETRY_MAXIMUM, docs.RETRY_JITTER, docs.RETRY_AFTER_CAP) == (
        client.INITIAL_RETRY_DELAY,
        client.MAX_RETRY_DELAY,
        client.RETRY_JITTER,
        client.MAX_RETRY_AFTER,
    )
    assert docs.IDEMPOTENT_METHODS == _retry.IDEMPOTENT_METHODS
    # the generator's default retried statuses are the runtime's
    assert frozenset(DEFAULT_RETRY_STATUSES) == _retry.DEFAULT_RETRY_STATUSES

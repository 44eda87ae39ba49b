"""Whatever a spec's names and prose contain, the generated package parses, is ruff-clean, imports, and runs
nothing from the spec."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.pipeline import build_ir
from generator.render import render_package
from generator.render.format import format_files

from .site import check_site

MARKER = "HOSTILE_MARKER"
# Text that would do something if it ever reached Python as code rather than as data.
PAYLOADS = [
    f'"""; open("{MARKER}", "w").write("x"); """',
    f"'''; open('{MARKER}', 'w').write('x'); '''",
    f'\\"); open("{MARKER}", "w").write("x")  # ',
    f"{{{{ open('{MARKER}','w') }}}} {{% raw %}}",
    f"\n__import__('os').system('touch {MARKER}')\n",
    "\\x00\\u2028\r\n\t\\",
    "class",
    "import",
    "None",
    "self",
    "model_config",
    "__init__",
    "Operation",
    "date",
    "datetime",
    "list",
    "str",
    "3d",
    "",
    "ünïcødé ✓ 名前",
    "a-b",
    "A_B",
    "a b",
    "aB",
    "a_b",
    # Markup that would run or change the HTML reference if it ever reached a page as HTML.
    "</script><script>window.HOSTILE=1</script>",
    '<img src=x onerror="window.HOSTILE=1"> " onmouseover="window.HOSTILE=1',
    "[click](javascript:window.HOSTILE=1) `</script>` <!-- &lt;b&gt; **x**",
]

_BREAKOUT, _SINGLE_BREAKOUT = PAYLOADS[0], PAYLOADS[1]
_MARKUP = PAYLOADS[-3:]
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=12))
identifier_like = st.one_of(st.sampled_from(PAYLOADS), st.text(alphabet="aAbB_-. 1é", min_size=1, max_size=8))


def spec(names: list[str], prose: str, values: list[str], default: str) -> dict[str, Any]:
    """A small document whose every name, description, enum value, default and example is hostile."""
    properties = {
        name: {"type": "string", "description": prose, "default": default, "example": prose} for name in names
    }
    properties["kind"] = {"type": "string", "enum": values or ["x"], "description": prose}
    return {
        "openapi": "3.1.0",
        "info": {"title": prose or "t", "version": "1", "description": prose},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {
            "/things/{thing}": {
                "post": {
                    "operationId": ".".join(n for n in names[:2] if n.strip(". /")) or "things.create",
                    "tags": [names[0] if names else "t"],
                    "summary": prose,
                    "description": prose,
                    "parameters": [
                        {
                            "name": "thing",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": prose,
                        },
                        *[
                            {
                                "name": name,
                                "in": "query",
                                "schema": {"type": "string", "default": default},
                                "description": prose,
                            }
                            for name in names
                        ],
                    ],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {
                        "200": {
                            "description": prose,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "description": prose, "properties": properties},
                **{
                    name: {"type": "string", "enum": values or ["x"], "description": prose}
                    for name in names
                    if name
                },
            }
        },
    }


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(identifier_like, min_size=1, max_size=4, unique=True),
    prose=hostile,
    values=st.lists(hostile, max_size=4, unique=True),
    default=hostile,
)
# Spec prose that closes a docstring, in every place a title or description is printed (CI found the kit's).
@example(names=[_BREAKOUT], prose=_BREAKOUT, values=[], default=_BREAKOUT)
@example(names=[_SINGLE_BREAKOUT], prose=_SINGLE_BREAKOUT, values=[_BREAKOUT], default=_SINGLE_BREAKOUT)
# A control character TOML forbids raw, in the package description (pyproject.toml; found by this test).
@example(names=[_BREAKOUT], prose="\x7f", values=[], default=_BREAKOUT)
# Spec text that closes a <script> or opens an element, in the HTML reference's pages and its JSON data.
@example(names=[_MARKUP[0], "a"], prose=_MARKUP[1], values=_MARKUP, default=_MARKUP[2])
def test_generated_code_is_inert_and_clean(
    tmp_path: Path, names: list[str], prose: str, values: list[str], default: str
) -> None:
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    document = case / "openapi.json"
    document.write_text(json.dumps(spec(names, prose, values, default)), encoding="utf-8")
    api = build_ir(document, package="hostile_client")
    files = format_files(render_package(api))
    assert check_site(files) >= 1  # the operation's console data at least
    for path, text in files.items():
        if path.endswith(".py"):
            ast.parse(text, filename=path)
        target = case / "out" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", "."],
        cwd=case / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import hostile_client, hostile_client.models as m, hostile_client.resources\n"
            "for name in m.__all__: getattr(m, name)\n"
            "c = hostile_client."
            + api.package.client_class
            + "(api_key='k', base_url='http://127.0.0.1:9')\n"
            "assert c is not None",
        ],
        cwd=case,
        env={"PYTHONPATH": str(case / "out" / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert not (case / MARKER).exists()
    assert not any(p.name == MARKER for p in case.rglob("*"))

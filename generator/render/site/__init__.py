"""IR -> the package's HTML reference (`docs/reference/`): an index, a page per resource, the models
page, a search index, and our own stylesheet and script (copied as they are from
`templates/package/docs/reference`).

Rendered by the same doc views as `docs/api.md` (see `pages.py`), with Jinja's autoescaping on: every spec
string is escaped where it is printed, and the JSON the pages carry is made safe for `<script>`.
"""

from __future__ import annotations

import jinja2

from ...locations import templates_dir
from ..docs import ApiReference
from .console import page_data, script_json
from .pages import Link, ModelSection, SiteViews

FOLDER = "docs/reference"
_ASSETS = ("reference.css", "reference.js")
_TEMPLATES = "package/docs/reference"


def search_entries(views: SiteViews) -> list[list[str]]:
    """One entry per operation and model: kind, name, what else is searched (method, path, summary), link."""
    entries = [
        ["operation", op.call, f"{op.method} {op.path} {op.summary.striptags()}", f"{page.file}#{op.anchor}"]
        for page in views.pages
        for op in page.operations
    ]
    entries += [["model", x.name, x.kind, f"{views.model_page(x.name)}#{x.anchor}"] for x in views.models()]
    return entries


def render_site(env: jinja2.Environment, docs: ApiReference, header: str) -> dict[str, str]:
    """The files of `docs/reference/`, by path in the package."""
    html = env.overlay(autoescape=True)
    views = SiteViews(docs)
    models = views.models()
    by_page: dict[str, list[ModelSection]] = {}
    for x in models:
        by_page.setdefault(views.model_page(x.name), []).append(x)
    api = docs.api
    name = api.title or api.package.name
    common = {
        "heading": f"{name.removesuffix(' API')} API reference",
        "default_server": api.servers[0].url if api.servers else "",
        "header": header,
        "api": api,
        "package": api.package,
        "pages": views.pages,
        "config": script_json(page_data(docs)),
        "model_pages": [(file, file.removeprefix("models-").removesuffix(".html")) for file in by_page],
    }
    files = {
        f"{FOLDER}/index.html": html.get_template(f"{_TEMPLATES}/index.html.j2").render(
            **common,
            models=[Link(f"{views.model_page(x.name)}#{x.anchor}", x.name, x.kind) for x in models],
            current="index.html",
        ),
        f"{FOLDER}/search-index.js": "// "
        + header
        + "\nwindow.referenceSearchIndex = "
        + script_json(search_entries(views))
        + ";\n",
    }
    template = html.get_template(f"{_TEMPLATES}/models.html.j2")
    for file, group in by_page.items():
        files[f"{FOLDER}/{file}"] = template.render(**common, models=group, current=file)
    resource = html.get_template(f"{_TEMPLATES}/resource.html.j2")
    for page in views.pages:
        files[f"{FOLDER}/{page.file}"] = resource.render(**common, page=page, current=page.file)
    for name in _ASSETS:
        files[f"{FOLDER}/{name}"] = (templates_dir() / _TEMPLATES / name).read_text(encoding="utf-8")
    return files


__all__ = ["FOLDER", "render_site"]

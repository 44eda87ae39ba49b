"""Comparing two surfaces: each difference classified as breaking, additive or docs, in the client's terms.

- breaking: something users call or import is gone (a method, argument, field, model or enum value), a
  request that used to be valid is not any more (a path or method changed, an argument became required or
  now takes fewer values), or a result has a different shape (a response type changed incompatibly);
- additive: something new (a method, an optional argument, a field, a model, an enum value), or an argument
  that accepts more than before;
- docs: descriptions, summaries and deprecation notes.

Types are compared by the values they admit (see `lattice`), in the direction the data flows: an argument
(or a field of a model that is only sent) may widen, a result (or a field of a model that is only
received) may narrow; a model used both ways may do neither. Enum values are the exception: clients
accept values they do not know, so a new value is additive wherever it appears, and a removed one is
breaking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from .lattice import describe, lost
from .surface import SURFACE_FORMAT, Role, Surface

ChangeKind = Literal["breaking", "additive", "docs"]
KINDS: tuple[ChangeKind, ...] = ("breaking", "additive", "docs")


@dataclass(frozen=True)
class Change:
    """One difference: `subject` names what users write (`client.workflows.run`, `Workflow.status`)."""

    kind: ChangeKind
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def _type_changes(old: Any, new: Any, role: Role, subject: str, what: str) -> list[Change]:
    """The changes of one typed position: `what` reads as the start of a sentence ("the argument `x`")."""
    narrowed, widened = lost(old, new), lost(new, old)
    if not narrowed and not widened:
        return []
    if all(kind == "lit" for kind, _ in narrowed + widened):
        lead = f"{what} " if what else ""
        changes = [Change("breaking", subject, f"{lead}no longer takes the value {v}") for _, v in narrowed]
        return changes + [Change("additive", subject, f"{lead}takes the new value {v}") for _, v in widened]
    if narrowed and widened:
        kind: ChangeKind = "breaking"
    elif narrowed:
        kind = "additive" if role == "output" else "breaking"
    else:  # widened
        kind = "additive" if role == "input" else "breaking"
    now = f"{what} is now" if what else "now"
    return [Change(kind, subject, f"{now} `{describe(new)}` (was `{describe(old)}`)")]


def compare(old: Surface, new: Surface) -> list[Change]:
    """The classified changes between two stored surfaces, breaking first, then additive, then docs."""
    for which in (old, new):
        if which.get("surface") != SURFACE_FORMAT:
            raise ValueError(f"unsupported surface format {which.get('surface')!r}")
    changes = _package(old["package"], new["package"])
    changes += _settings(old["settings"], new["settings"], new["package"]["client_class"])
    changes += _keyed(old["operations"], new["operations"], _operation_changes, _operation_presence)
    changes += _keyed(old["models"], new["models"], _model_changes, _model_presence)
    order = {kind: rank for rank, kind in enumerate(KINDS)}
    return sorted(
        set(changes), key=lambda c: (order[c.kind], not c.subject.startswith("client"), c.subject, c.message)
    )


def _keyed(
    old: dict[str, Any],
    new: dict[str, Any],
    changed: Any,
    presence: Any,
) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append(presence(key, old[key], removed=True))
        elif key not in old:
            changes.append(presence(key, new[key], removed=False))
        else:
            changes += changed(key, old[key], new[key])
    return changes


def _package(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    labels = {
        "name": "the distribution name",
        "import_name": "the import name",
        "client_class": "the client class",
    }
    return [
        Change("breaking", "package", f"{label} is now `{new[key]}` (was `{old[key]}`)")
        for key, label in labels.items()
        if old.get(key) != new.get(key)
    ]


def _settings(old: dict[str, Any], new: dict[str, Any], client: str) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        env = f" (environment variable `{after['env']}`)" if after and after["env"] else ""
        if after is None:
            changes.append(Change("breaking", client, f"the setting `{name}` was removed"))
        elif before is None:
            kind: ChangeKind = "breaking" if after["required"] else "additive"
            required = "required" if after["required"] else "optional"
            changes.append(Change(kind, client, f"new {required} setting `{name}`{env}"))
        else:
            if after["required"] and not before["required"]:
                changes.append(Change("breaking", client, f"the setting `{name}` is now required"))
            elif before["required"] and not after["required"]:
                changes.append(Change("additive", client, f"the setting `{name}` is now optional"))
            if before["env"] != after["env"]:
                changes.append(Change("breaking", client, f"the setting `{name}` is now read from{env}"))
            if before["in"] != after["in"]:
                changes.append(
                    Change("breaking", client, f"the setting `{name}` is now sent as {after['in']}")
                )
    return changes


def _operation_presence(path: str, entry: dict[str, Any], *, removed: bool) -> Change:
    if removed:
        return Change("breaking", path, f"removed (was `{entry['http']}`)")
    return Change("additive", path, f"new method (`{entry['http']}`)")


def _operation_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if old["http"] != new["http"]:
        changes.append(Change("breaking", path, f"now calls `{new['http']}` (was `{old['http']}`)"))
    if old.get("doc") != new.get("doc"):
        changes.append(Change("docs", path, "description changed"))
    if old.get("deprecated") != new.get("deprecated"):
        changes.append(
            Change("docs", path, "deprecated" if new.get("deprecated") else "no longer deprecated")
        )
    changes += _argument_changes(path, old["args"], new["args"])
    changes += _return_changes(path, old["returns"], new["returns"])
    return changes


def _argument_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if after is None:
            changes.append(Change("breaking", path, f"the argument `{name}` was removed"))
            continue
        annotated = f"`{name}: {describe(after['type'])}`"
        if before is None:
            if after.get("required", False):
                changes.append(Change("breaking", path, f"new required argument {annotated}"))
            else:
                changes.append(Change("additive", path, f"new optional argument {annotated}"))
            continue
        what = f"the argument `{name}`"
        if after.get("required", False) and not before.get("required", False):
            changes.append(Change("breaking", path, f"{what} is now required"))
        elif before.get("required", False) and not after.get("required", False):
            changes.append(Change("additive", path, f"{what} is now optional"))
        if before["in"] != after["in"]:
            changes.append(
                Change("breaking", path, f"{what} is now sent as {after['in']} (was {before['in']})")
            )
        changes += _type_changes(before["type"], after["type"], "input", path, what)
        if before.get("doc") != after.get("doc"):
            changes.append(Change("docs", path, f"{what}: description changed"))
        if before.get("deprecated") != after.get("deprecated"):
            state = "deprecated" if after.get("deprecated") else "no longer deprecated"
            changes.append(Change("docs", path, f"{what} is {state}"))
    return changes


def _returned(returns: dict[str, Any]) -> str:
    kind = str(returns["kind"])
    if kind == "json":
        return describe(returns["type"])
    if kind == "page":
        return f"SyncPage[{describe(returns['type'])}]"
    if kind == "stream":
        return f"Stream[{describe(returns['type'])}]"
    if kind == "websocket":
        return "a WebSocket session"
    return {"binary": "BinaryResponse", "text": "str", "none": "None"}.get(kind, kind)


def _return_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old["kind"] != new["kind"]:
        return [Change("breaking", path, f"now returns `{_returned(new)}` (was `{_returned(old)}`)")]
    changes: list[Change] = []
    if "type" in old and "type" in new:
        label = {"page": "the items it returns", "stream": "the events it streams"}.get(
            old["kind"], "the frames it receives" if old["kind"] == "websocket" else "the result"
        )
        changes += _type_changes(old["type"], new["type"], "output", path, label)
    if "sends" in old and "sends" in new:
        changes += _type_changes(old["sends"], new["sends"], "input", path, "the frames it sends")
    return changes


_KIND_WORDS = {"object": "a model", "enum": "an enum", "union": "a union", "alias": "a type alias"}


def _model_presence(name: str, entry: dict[str, Any], *, removed: bool) -> Change:
    word = _KIND_WORDS.get(entry["kind"], "a type")
    if removed:
        return Change("breaking", name, f"removed (was {word})")
    return Change("additive", name, f"new {word.split(' ', 1)[1]}")


def _model_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old["kind"] != new["kind"]:
        was, now = _KIND_WORDS.get(old["kind"], "a type"), _KIND_WORDS.get(new["kind"], "a type")
        return [Change("breaking", name, f"is now {now} (was {was})")]
    role: Role = old["role"] if old["role"] == new["role"] else "both"
    changes: list[Change] = []
    if old.get("doc") != new.get("doc"):
        changes.append(Change("docs", name, "description changed"))
    if old["kind"] == "object":
        changes += _field_changes(name, old["fields"], new["fields"], role)
    elif old["kind"] == "enum":
        gone = [v for v in old["values"] if v not in new["values"]]
        added = [v for v in new["values"] if v not in old["values"]]
        changes += [Change("breaking", name, f"the value {json.dumps(v)} was removed") for v in gone]
        changes += [Change("additive", name, f"new value {json.dumps(v)}") for v in added]
    elif old["kind"] == "union":
        changes += _type_changes(
            {"union": old["variants"]}, {"union": new["variants"]}, role, name, "the union"
        )
    else:
        changes += _type_changes(old["type"], new["type"], role, name, "the type")
    return changes


def _field_changes(model: str, old: dict[str, Any], new: dict[str, Any], role: Role) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        subject = f"{model}.{name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            changes.append(Change("breaking", subject, "field removed"))
            continue
        if before is None:
            required = after.get("required", False)
            kind: ChangeKind = "breaking" if required and role != "output" else "additive"
            word = "required" if required else "optional"
            changes.append(Change(kind, subject, f"new {word} field of type `{describe(after['type'])}`"))
            continue
        if after.get("required", False) and not before.get("required", False):
            changes.append(Change("additive" if role == "output" else "breaking", subject, "now required"))
        elif before.get("required", False) and not after.get("required", False):
            kind = "additive" if role == "input" else "breaking"
            changes.append(
                Change(kind, subject, "now optional" if role == "input" else "now optional (may be None)")
            )
        wire_before, wire_after = before.get("wire", name), after.get("wire", name)
        if wire_before != wire_after:
            changes.append(
                Change("breaking", subject, f"now `{wire_after}` on the wire (was `{wire_before}`)")
            )
        changes += _type_changes(before["type"], after["type"], role, subject, "")
        if before.get("doc") != after.get("doc"):
            changes.append(Change("docs", subject, "description changed"))
        if before.get("deprecated") != after.get("deprecated"):
            state = "deprecated" if after.get("deprecated") else "no longer deprecated"
            changes.append(Change("docs", subject, state))
    return changes

"""The finished views the templates print: methods, resources and their modules, WebSocket sessions.

A leaf: it imports only `Needs` and the name scope, so every renderer can build these and hand them on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..parse.names import NameScope
from .annotations import Needs


@dataclass(frozen=True)
class ParamView:
    """One parameter of a generated signature, from an IR `Argument` (or a frame field)."""

    python: str
    annotation: str
    required: bool
    description: str

    none_default: bool = False

    def signature(self) -> str:
        if self.required:
            return f"{self.python}: {self.annotation}"
        if self.none_default:
            return f"{self.python}: {self.annotation} | None = None"
        return f"{self.python}: {self.annotation} | NotGiven = NOT_GIVEN"


@dataclass(frozen=True)
class MethodView:
    name: str
    constant: str
    operation: str
    params: tuple[str, ...]
    returns: str
    async_returns: str
    doc: str
    call: str
    async_call: str
    async_def: bool
    operation_id: str
    # Whether `with_raw_response` offers the method (sessions and webhook checks have no HTTP response).
    raw: bool = True
    # Parameters before the `*` of a resource method (the webhook checks take body and headers so).
    positional: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildView:
    attribute: str
    class_name: str


@dataclass(frozen=True)
class ResourceView:
    class_name: str
    doc: str
    methods: tuple[MethodView, ...]
    children: tuple[ChildView, ...]


@dataclass
class ResourceModule:
    name: str
    attribute: str
    class_name: str
    resources: list[ResourceView] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)
    imports: list[str] = field(default_factory=list)  # beyond what `needs` imports (session classes)
    constants: NameScope = field(default_factory=NameScope)  # the module's `_<RESOURCE>_<METHOD>` operations

    @property
    def methods(self) -> list[MethodView]:
        return [method for resource in self.resources for method in resource.methods]


@dataclass(frozen=True)
class SendView:
    """One `send_<frame>()` method of a session class."""

    name: str
    frame: str
    model: str
    params: tuple[str, ...]
    required: tuple[str, ...]
    doc: str
    payload: str


@dataclass(frozen=True)
class SocketView:
    """The session classes of one WebSocket operation."""

    op_id: str
    class_name: str
    frames: str
    frames_value: str  # what frames validate against: an unknown frame type is skipped
    doc: str
    sends: tuple[SendView, ...]
    server_frames: tuple[tuple[str, str], ...]  # (type, model)
    discriminator: str  # python name of the discriminator field of the server frames
    close_frame: str | None
    server_terminal: tuple[str, ...]
    error_frames: tuple[str, ...]
    resume_fields: dict[str, tuple[str, ...]]

    @property
    def async_class_name(self) -> str:
        return "Async" + self.class_name


@dataclass
class SocketsModule:
    sockets: list[SocketView] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)

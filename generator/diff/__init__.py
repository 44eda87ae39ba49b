"""What changed between two versions of an API, in the terms of the generated client. Pure: no I/O.

Three parts, each one thing:

- `surface`: the IR reduced to what a user of the package touches (methods and their arguments and
  results, models, settings), as the JSON data stored in every generated package;
- `lattice`: which values a type of the surface admits, and how the generated code spells it;
- `compare`: two surfaces -> the changes, each breaking, additive or docs.

`diff(old, new)` is `compare(surface(old), surface(new))`.
"""

from __future__ import annotations

from ..ir import model as m
from .compare import KINDS, Change, ChangeKind, compare
from .lattice import describe
from .surface import SURFACE_FORMAT, Role, Surface, encode, surface, surface_json


def diff(old: m.Api, new: m.Api) -> list[Change]:
    """The classified changes from the client generated from `old` to the one generated from `new`."""
    return compare(surface(old), surface(new))


__all__ = [
    "KINDS",
    "SURFACE_FORMAT",
    "Change",
    "ChangeKind",
    "Role",
    "Surface",
    "compare",
    "describe",
    "diff",
    "encode",
    "surface",
    "surface_json",
]

"""Scalar values for :mod:`._fake`: strings, numbers, dates, uuids, each within its constraints.

Every value is a function of a 64-bit ``digest`` (derived from the seed and the field's path), so the
same seed gives the same value in every process. A value is checked against the annotation it is for
(its constraints included); a constraint no value here meets raises :class:`Unsatisfiable`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import ipaddress
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from pydantic.fields import FieldInfo

from ._fake_pattern import Unsatisfiable, from_pattern

__all__ = ["Constraints", "Unsatisfiable", "digest", "scalar"]

_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_YEAR = 365 * 24 * 3600
_SPAN = 1000  # the width of a number range given only one bound (or none)
_N = TypeVar("_N", int, float)


def digest(seed: int, path: str) -> int:
    """A 64-bit number from ``seed`` and ``path``, the same in every process (no ``hash()``)."""
    data = f"{seed}\x00{path}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


@dataclass
class Constraints:
    """The constraints pydantic metadata put on one value (``Field(...)``, ``annotated_types``)."""

    min_length: int | None = None
    max_length: int | None = None
    ge: Any = None
    gt: Any = None
    le: Any = None
    lt: Any = None
    multiple_of: Any = None
    pattern: str | None = None
    decimal_places: int | None = None
    uuid_version: int | None = None

    @classmethod
    def of(cls, metadata: tuple[object, ...]) -> Constraints:
        """The constraints among ``metadata``, later ones winning (as pydantic applies them)."""
        found = cls()
        for item in _flat(metadata):
            for f in fields(cls):
                value = getattr(item, f.name, None)
                if f.name == "pattern" and value is not None and not isinstance(value, str):
                    value = getattr(value, "pattern", str(value))  # a compiled pattern
                if value is not None:
                    setattr(found, f.name, value)
        return found


def _flat(metadata: tuple[object, ...]) -> Iterator[object]:
    """The metadata with each ``Field(...)`` inside an ``Annotated`` replaced by its own metadata."""
    for item in metadata:
        if isinstance(item, FieldInfo):
            yield from item.metadata
        else:
            yield item


def scalar(
    kind: type, name: str, digest_: int, constraints: Constraints, valid: Callable[[object], bool]
) -> object:
    """A value of the scalar type ``kind`` that ``valid`` accepts; :class:`Unsatisfiable` if none is."""
    if kind.__module__ == "pydantic.networks":
        maker: _Maker | None = _networks
    elif kind.__module__.startswith("pydantic."):
        maker = _PYDANTIC.get(kind.__name__)
    else:
        maker = _MAKERS.get(kind)
    if maker is None:
        maker = next((m for base, m in _MAKERS.items() if issubclass(kind, base)), None)
    if maker is None:
        raise Unsatisfiable(f"no fake value for the type {kind.__qualname__}")
    tried: list[object] = []
    for candidate in maker(kind, name, digest_, constraints):
        if valid(candidate):
            return candidate
        tried.append(candidate)
        if len(tried) >= 8:
            break
    raise Unsatisfiable(f"no {kind.__qualname__} meets its constraints (tried {tried[:3]!r})")


def _strings(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    if c.pattern is not None:
        for extra in (0, c.min_length or 0, 1, 2):
            yield from_pattern(c.pattern, digest_, extra)
        return
    hexes = f"{digest_:016x}"
    low, high = c.min_length or 0, c.max_length
    for text in (f"{name}-{hexes[:8]}", hexes, "x"):
        while len(text) < low:
            text += hexes
        if low > 0 or high is not None:
            text = text[: max(low, high if high is not None else len(text))]
        yield text


def _integers(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    low = _ceil(c.ge) if c.ge is not None else (math.floor(c.gt) + 1 if c.gt is not None else None)
    high = _floor(c.le) if c.le is not None else (math.ceil(c.lt) - 1 if c.lt is not None else None)
    low, high = _range(low, high, 1)
    step = abs(int(c.multiple_of)) if c.multiple_of else 1
    if step != c.multiple_of and c.multiple_of is not None and step != -c.multiple_of:
        step = 1  # a fractional multiple of an integer: pydantic decides; try plain values
    first = -(-low // step) * step
    count = (high - first) // step + 1
    if count <= 0:
        multiple = f" is a multiple of {step}" if step != 1 else ""
        raise Unsatisfiable(f"no integer in [{low}, {high}]{multiple}")
    yield first + step * (digest_ % count)
    yield first


def _floats(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    low = c.ge if c.ge is not None else c.gt
    high = c.le if c.le is not None else c.lt
    low_f, high_f = _range(None if low is None else float(low), None if high is None else float(high), 1.0)
    if c.multiple_of:
        step = abs(float(c.multiple_of))
        first, last = math.ceil(low_f / step), math.floor(high_f / step)
        first += 1 if c.gt is not None and first * step <= c.gt else 0
        last -= 1 if c.lt is not None and last * step >= c.lt else 0
        if last < first:
            raise Unsatisfiable(f"no number in [{low_f}, {high_f}] is a multiple of {step}")
        count = last - first + 1
        for k in (first + digest_ % count, first + 1, last - 1, first, last):
            yield _number(kind, k * step, c)
        return
    fraction = (digest_ % 997 + 1) / 999
    value = low_f + (high_f - low_f) * fraction
    yield _number(kind, round(value, 2), c)
    yield _number(kind, value, c)
    yield _number(kind, (low_f + high_f) / 2, c)


def _number(kind: type, value: float, c: Constraints) -> object:
    if issubclass(kind, decimal.Decimal):
        if c.decimal_places is not None:
            value = round(value, c.decimal_places)
        return decimal.Decimal(repr(value))
    return value


def _range(low: _N | None, high: _N | None, unit: _N) -> tuple[_N, _N]:
    if low is None and high is None:
        return unit, unit * _SPAN
    if low is None:
        assert high is not None
        return high - unit * _SPAN, high
    if high is None:
        return low, low + unit * _SPAN
    return low, high


def _ceil(value: object) -> int:
    return math.ceil(float(str(value)))


def _floor(value: object) -> int:
    return math.floor(float(str(value)))


def _booleans(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    yield digest_ % 2 == 0
    yield digest_ % 2 == 1


def _datetimes(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    bound = next((b for b in (c.ge, c.gt, c.le, c.lt) if isinstance(b, dt.datetime)), None)
    value = _EPOCH + dt.timedelta(seconds=digest_ % _YEAR)
    yield value
    yield value.replace(tzinfo=None)
    yield value.replace(year=2124)  # a future datetime
    if bound is not None:
        one = dt.timedelta(seconds=1)
        yield bound + one if bound in (c.ge, c.gt) else bound - one


def _dates(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    day = _EPOCH.date() + dt.timedelta(days=digest_ % 365)
    yield day
    yield day.replace(year=2124)  # a future date
    bound = next((b for b in (c.ge, c.gt, c.le, c.lt) if isinstance(b, dt.date)), None)
    if bound is not None:
        yield bound + dt.timedelta(days=1) if bound in (c.ge, c.gt) else bound - dt.timedelta(days=1)


def _times(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    seconds = digest_ % (24 * 3600)
    yield dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=dt.UTC)
    yield dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _durations(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    yield dt.timedelta(seconds=digest_ % 86400 + 1)


def _uuids(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    wide = hashlib.blake2b(digest_.to_bytes(8, "big"), digest_size=16).digest()
    yield uuid.UUID(bytes=wide, version=c.uuid_version or 4)


def _bytes(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    for text in _strings(str, name, digest_, c):
        assert isinstance(text, str)
        yield text.encode()


def _addresses(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    if issubclass(kind, ipaddress.IPv6Address):
        yield ipaddress.ip_address(f"2001:db8::{digest_ % 65536:x}")
    else:
        yield ipaddress.ip_address(f"192.0.2.{digest_ % 254 + 1}")


def _networks(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    slug = f"{name.strip('_').replace('_', '-') or 'value'}-{digest_ % 16**8:08x}"
    if "Email" in kind.__name__:
        yield f"{slug}@example.com"
    else:
        for scheme in ("https", "wss", "ftp", "file"):
            yield f"{scheme}://example.com/{slug}"


def _enums(kind: type, name: str, digest_: int, c: Constraints) -> Iterator[object]:
    yield from list(kind.__members__.values())[:8] if issubclass(kind, enum.Enum) else ()


_Maker = Callable[[type, str, int, Constraints], Iterator[object]]
_PYDANTIC: dict[str, _Maker] = {  # pydantic's own types that are not subclasses of what they validate
    "AwareDatetime": _datetimes,
    "NaiveDatetime": _datetimes,
    "PastDatetime": _datetimes,
    "FutureDatetime": _datetimes,
    "PastDate": _dates,
    "FutureDate": _dates,
}
_MAKERS: dict[type, _Maker] = {
    bool: _booleans,
    enum.Enum: _enums,
    str: _strings,
    int: _integers,
    float: _floats,
    decimal.Decimal: _floats,
    dt.datetime: _datetimes,
    dt.date: _dates,
    dt.time: _times,
    dt.timedelta: _durations,
    uuid.UUID: _uuids,
    bytes: _bytes,
    ipaddress.IPv4Address: _addresses,
    ipaddress.IPv6Address: _addresses,
}

"""`fake()` against models built here with constraints drawn at random, formats, aliases and recursion.

The hostile half: pydantic models made with `create_model` from hypothesis-drawn constraints
(lengths, bounds, multiples, item counts, patterns). Either the fake validates against them, or,
where no value exists, `FakeError` names the model and the field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import re
import uuid
from typing import Annotated, Any, Literal

import pydantic
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import UUID4, AnyUrl, EmailStr, Field, HttpUrl

from generator.runtime import BaseModel, OpenUnion, UnknownVariant
from generator.runtime._fake import FakeError, fake, fake_value

PATTERNS = [
    r"^sha256=[0-9a-f]{64}$",
    r"^[A-Z]{3}-\d{4}$",
    r"^(foo|bar)+baz?$",
    r"\w+@\w+\.com",
    r"^[^a-z]{2,5}$",
    r"^(ab)\1$",
    r"^v\d+\.\d+\.\d+(-rc\.\d+)?$",
    r"^\S+\s\S+$",
    r"^[a-z][a-z0-9_]*$",
    r"^.{3}$",
]


def _model(**fields: Any) -> type[pydantic.BaseModel]:
    """A model of ``fields``; patterns checked by Python's ``re`` (back references, as in ``(ab)\\1``)."""
    config = pydantic.ConfigDict(regex_engine="python-re")
    model: type[pydantic.BaseModel] = pydantic.create_model("Drawn", __config__=config, **fields)
    return model


@st.composite
def integer_bounds(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(-(10**9), 10**9))
    width = draw(st.integers(0, 10**6))
    bounds: dict[str, Any] = {}
    if draw(st.booleans()):
        bounds["ge" if draw(st.booleans()) else "gt"] = low
    if draw(st.booleans()):
        bounds["le" if draw(st.booleans()) else "lt"] = low + width
    if draw(st.booleans()):
        bounds["multiple_of"] = draw(st.integers(1, 1000))
    lowest = bounds.get("ge", bounds.get("gt", -math.inf) + 1)
    highest = bounds.get("le", bounds.get("lt", math.inf) - 1)
    step = bounds.get("multiple_of", 1)
    assume(
        lowest <= highest
        and (math.isinf(lowest) or math.isinf(highest) or _multiple_between(lowest, highest, step))
    )
    return bounds


def _multiple_between(low: int, high: int, step: int) -> bool:
    return -(-low // step) * step <= high


@given(integer_bounds())
def test_integers_meet_drawn_bounds(bounds: dict[str, Any]) -> None:
    value = fake(_model(n=(int, Field(**bounds)))).n
    assert isinstance(value, int)
    assert value >= bounds.get("ge", value) and value > bounds.get("gt", value - 1)
    assert value <= bounds.get("le", value) and value < bounds.get("lt", value + 1)
    assert value % bounds.get("multiple_of", 1) == 0


@given(
    low=st.floats(-1e6, 1e6),
    width=st.floats(0.01, 1e6),
    exclusive=st.booleans(),
    step=st.sampled_from([None, 0.5, 0.25, 2.5, 10.0]),
    kind=st.sampled_from([float, decimal.Decimal]),
)
def test_numbers_meet_drawn_bounds(
    low: float, width: float, exclusive: bool, step: float | None, kind: type
) -> None:
    assume(step is None or math.floor((low + width) / step) - math.ceil(low / step) >= 2)
    bounds: dict[str, Any] = {"gt": low, "lt": low + width} if exclusive else {"ge": low, "le": low + width}
    if step is not None:
        bounds["multiple_of"] = step
    model = _model(x=(kind, Field(**bounds)))
    value = float(fake(model).x)
    assert low <= value <= low + width
    model.model_validate({"x": value})


@given(
    min_length=st.integers(0, 80),
    extra=st.integers(0, 80),
    bounded=st.booleans(),
    kind=st.sampled_from([str, bytes, list[str], list[int], dict[str, int], set[str]]),
)
def test_lengths_and_item_counts_meet_drawn_bounds(
    min_length: int, extra: int, bounded: bool, kind: Any
) -> None:
    bounds: dict[str, Any] = {"min_length": min_length}
    if bounded:
        bounds["max_length"] = min_length + extra
    value = fake(_model(v=(kind, Field(**bounds)))).v
    assert min_length <= len(value) <= bounds.get("max_length", len(value))


@given(pattern=st.sampled_from(PATTERNS), seed=st.integers(0, 2**32), nullable=st.booleans())
def test_strings_match_their_pattern(pattern: str, seed: int, nullable: bool) -> None:
    annotation: Any = Annotated[str, Field(pattern=pattern)]
    model = _model(code=(annotation | None if nullable else annotation, ...))
    value = fake(model, seed=seed).code
    assert re.search(pattern, value), (pattern, value)


@given(pattern=st.sampled_from([p for p in PATTERNS if "+" in p or "*" in p]), min_length=st.integers(1, 30))
def test_a_pattern_and_a_minimum_length_together(pattern: str, min_length: int) -> None:
    model = _model(code=(str, Field(pattern=pattern, min_length=min_length)))
    value = fake(model).code
    assert re.search(pattern, value) and len(value) >= min_length


@pytest.mark.parametrize(
    ("annotation", "problem"),
    [
        (Annotated[str, Field(pattern=r"^(?=a)b$")], "assert"),
        (Annotated[str, Field(pattern=r"^[a-z]{2}$", min_length=5)], "constraints"),
        (Annotated[int, Field(ge=10, le=5)], r"no integer in \[10, 5\]"),
        (Annotated[int, Field(ge=1, le=9, multiple_of=10)], "multiple of 10"),
        (Annotated[float, Field(gt=0, lt=0.001, multiple_of=1)], "multiple of 1.0"),
        (Annotated[pydantic.PostgresDsn, Field()], "constraints"),
    ],
)
def test_constraints_no_value_meets_raise_an_error_naming_the_model_and_field(
    annotation: Any, problem: str
) -> None:
    class Account(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(regex_engine="python-re")  # it reads lookarounds

        handle: annotation

    with pytest.raises(FakeError, match=rf"cannot fake Account\.handle: .*{problem}"):
        fake(Account)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Everything(BaseModel):
    """One field of each kind of value the runtime's models (and users' own) hold."""

    when: dt.datetime
    day: dt.date
    at: dt.time
    took: dt.timedelta
    key: uuid.UUID
    key4: UUID4
    email: EmailStr
    site: HttpUrl
    link: AnyUrl
    amount: Annotated[decimal.Decimal, Field(max_digits=6, decimal_places=2, gt=0)]
    colour: Colour
    mode: Literal["fast", "slow"]
    flag: bool
    blob: bytes
    anything: Any
    pair: tuple[int, str]
    many: tuple[int, ...]
    unique: frozenset[str]
    table: dict[str, list[int]]
    nothing: None
    either: int | str
    maybe: str | None
    aware: pydantic.AwareDatetime


def test_every_kind_of_value_is_made_and_validates() -> None:
    made = fake(Everything)
    assert made.when.tzinfo is not None
    assert made.key4.version == 4
    assert "@" in made.email
    assert made.colour is Colour.RED and made.mode == "fast"
    assert isinstance(made.either, int) and isinstance(made.maybe, str)
    assert made.nothing is None
    assert Everything.model_validate(made.model_dump(mode="json")) == made


def test_defaults_come_before_made_values_and_examples_before_defaults() -> None:
    class Settings(pydantic.BaseModel):
        region: str = "eu"
        retries: int = Field(default=3, examples=[5])
        tags: list[str] = Field(default_factory=lambda: ["a"])
        port: int = Field(examples=["not a port", 8080])
        note: str | None = None

    made = fake(Settings, seed=9)
    assert (made.region, made.retries, made.tags, made.port) == ("eu", 5, ["a"], 8080)
    assert made.model_fields_set == {"region", "retries", "tags", "port"}


class Pet(BaseModel):
    kind: Literal["cat"]
    name: str


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool


class Owner(BaseModel):
    full_name: str = Field(validation_alias="fullName", serialization_alias="fullName")
    pet: Annotated[Pet | Dog | UnknownVariant, OpenUnion("kind")]
    closed: Annotated[Dog | Pet, Field(discriminator="kind")]


class Strict(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True)

    full_name: str = Field(alias="fullName")
    owner: Owner
    when: dt.datetime = Field(examples=["2024-05-01T10:00:00Z"])


def test_a_dict_for_a_union_of_models_fills_the_variant_its_tag_names() -> None:
    owner = fake(Owner, pet={"kind": "dog"}, closed={"kind": "cat", "name": "Tom"})
    assert isinstance(owner.pet, Dog) and isinstance(owner.pet.good, bool)
    assert owner.closed == Pet(kind="cat", name="Tom")
    with pytest.raises(pydantic.ValidationError):
        fake(Owner, pet={"kind": "dog", "good": "maybe not"})
    assert isinstance(fake_value(list[Owner])[0].pet, Pet)  # no override: the first variant


def test_aliases_tagged_unions_and_strict_models() -> None:
    owner = fake(Owner, full_name="Ann")
    assert owner.to_dict()["fullName"] == "Ann"
    assert isinstance(owner.pet, Pet) and isinstance(owner.closed, Dog)
    strict = fake(Strict, owner={"pet": {"kind": "dog", "good": True}})
    assert isinstance(strict.owner.pet, Dog)
    assert strict.when == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert Strict.model_validate(strict.model_dump(by_alias=True)) == strict


class Node(BaseModel):
    name: str
    children: list[Node]
    parent: Node | None
    siblings: dict[str, Node]


class Loop(BaseModel):
    next: Loop


class Ring(BaseModel):
    """Recursion through a union that has a way out in its second variant."""

    inner: Ring | int


def test_recursive_models_terminate_where_they_can_and_say_where_they_cannot() -> None:
    node = fake(Node)
    assert len(node.children) == 1 and node.children[0].children == []
    assert node.parent is not None and node.parent.parent is None
    assert fake(Ring).inner is not None
    with pytest.raises(FakeError, match=r"cannot fake Loop: Loop\.next\.next.* refers back to Loop"):
        fake(Loop)


class Tags(pydantic.RootModel[list[Annotated[str, Field(min_length=4)]]]):
    pass


def test_root_models_and_bare_types() -> None:
    assert all(len(tag) >= 4 for tag in fake(Tags).root)
    assert fake(Tags, root=["abcd"]).root == ["abcd"]
    assert isinstance(fake_value(int), int)
    assert fake_value(Pet) == fake(Pet)
    assert [type(pet) for pet in fake_value(list[Pet])] == [Pet]
    assert isinstance(fake_value(Annotated[Pet | Dog | UnknownVariant, OpenUnion("kind")]), Pet)
    with pytest.raises(FakeError, match=r"cannot fake .*Loop"):
        fake_value(list[Loop])


def test_fake_takes_model_classes_only() -> None:
    pets: Any = Annotated[Pet | Dog | UnknownVariant, OpenUnion("kind")]
    with pytest.raises(
        TypeError, match=r"fake\(\) takes a model class, not .*Pet.*fake_value\(\) takes any type"
    ):
        fake(pets)


def test_seeds_are_deterministic_and_change_made_values() -> None:
    assert fake(Everything, seed=3) == fake(Everything, seed=3)
    first, second = fake(Everything, seed=3), fake(Everything, seed=4)
    assert first.key != second.key and first.blob != second.blob and first.when != second.when

"""Open tagged unions against a real server: a variant the client does not know is kept, not an error."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import (
    APIResponseValidationError,
    BaseModel,
    OpenUnion,
    Operation,
    UnknownVariant,
    closed_union,
)
from generator.runtime._models import validate_as

from .runtime_client import Acme, AsyncAcme
from .runtime_server import PARROT, UNION_BODIES


class Cat(BaseModel):
    kind: Literal["cat"]
    name: str


class Dog(BaseModel):
    kind: Literal["dog"]
    name: str
    good: bool | None = None


Pet: TypeAlias = Annotated[Cat | Dog | UnknownVariant, OpenUnion("kind")]


class Household(BaseModel):
    favourite: Pet | None = None
    pets: list[Pet] = []


OP = Operation(method="GET", path="/unions/{shape}/{key}", path_params=("shape", "key"))
ECHO = Operation(method="POST", path="/echo/{key}", path_params=("key",))


def _describe(pet: Pet) -> str:
    match pet:
        case Cat(name=name):
            return f"cat {name}"
        case Dog(name=name):
            return f"dog {name}"
        case UnknownVariant(tag=tag, data=data):
            return f"{tag} {data.get('name')}"


def test_an_unknown_variant_is_kept_at_the_top_in_a_list_and_nested(client: Acme, key: str) -> None:
    top = client.request(OP, cast_to=Pet, path_params={"shape": "top", "key": key})
    assert top == UnknownVariant(tag="parrot", data=PARROT)
    pets = client.request(OP, cast_to=list[Pet], path_params={"shape": "list", "key": key})
    assert [_describe(p) for p in pets] == ["cat Tom", "parrot Polly", "dog Rex"]
    home = client.request(OP, cast_to=Household, path_params={"shape": "nested", "key": key})
    assert home.favourite == UnknownVariant(tag="parrot", data=PARROT)
    assert [type(p) for p in home.pets] == [UnknownVariant, Cat]
    assert home.to_dict() == UNION_BODIES["nested"]  # serializes back as received


@pytest.mark.anyio
async def test_async_unknown_variants(aclient: AsyncAcme, key: str) -> None:
    pets = await aclient.request(OP, cast_to=list[Pet], path_params={"shape": "list", "key": key})
    assert [_describe(p) for p in pets] == ["cat Tom", "parrot Polly", "dog Rex"]
    home = await aclient.request(OP, cast_to=Household, path_params={"shape": "nested", "key": key})
    assert isinstance(home.pets[0], UnknownVariant) and home.pets[0].tag == "emu"


@pytest.mark.parametrize("shape", ["bad_cat", "no_tag"])
def test_a_known_tag_that_does_not_match_or_no_tag_is_still_an_error(
    client: Acme, key: str, shape: str
) -> None:
    with pytest.raises(APIResponseValidationError):
        client.request(OP, cast_to=Pet, path_params={"shape": shape, "key": key})


def test_an_unknown_variant_is_sent_as_its_data(client: Acme, key: str) -> None:
    home = Household(favourite=UnknownVariant(tag="parrot", data=PARROT), pets=[Cat(kind="cat", name="Tom")])
    echoed = client.request(ECHO, cast_to=dict, path_params={"key": key}, json=home)
    assert echoed["json"] == {"favourite": PARROT, "pets": [{"kind": "cat", "name": "Tom"}]}


def test_closed_union_raises_the_error_streams_skip_on() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        validate_as(closed_union(Pet), PARROT)
    assert [e["type"] for e in info.value.errors()] == ["union_tag_invalid"]
    assert validate_as(closed_union(Pet), {"kind": "dog", "name": "Rex"}) == Dog(kind="dog", name="Rex")
    assert closed_union(Cat) is Cat and closed_union(closed_union(Pet)) == closed_union(Pet)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(st.one_of(_json, st.dictionaries(st.sampled_from(["kind", "name", "good"]), _json, max_size=3)))
def test_hostile_bodies_parse_or_fail_validation_never_crash(body: Any) -> None:
    try:
        pet = validate_as(Pet, body)
    except pydantic.ValidationError:
        return
    if isinstance(pet, UnknownVariant):
        assert isinstance(body, dict) and body["kind"] == pet.tag and body["kind"] not in ("cat", "dog")
        assert pet.data == body and validate_as(Pet, pet.to_dict()) == pet
    else:
        assert isinstance(pet, Cat | Dog) and pet.kind == body["kind"]

"""`fake()` on the models of the generated packages, each through the package's own runtime.

Every model of the four vendors and of every fixture spec fakes into a validated instance that
survives a JSON round trip; fields take the spec's examples first; the same seed gives the same
instance in another process; overrides are applied and checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pydantic
import pytest
import yaml

from tests.conftest import ROOT, VENDORS

from .fake_packages import FIXTURES, Package, fixture_package, vendor_package

PACKAGES = [*VENDORS, *(spec.stem for spec in FIXTURES)]


@pytest.fixture(scope="module", params=PACKAGES)
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Package:
    name: str = request.param
    if name in VENDORS:
        return vendor_package(name)
    spec = next(spec for spec in FIXTURES if spec.stem == name)
    return fixture_package(spec, tmp_path_factory.getbasetemp() / "fake-packages")


@pytest.fixture(scope="module")
def autx() -> Package:
    return vendor_package("autx")


@pytest.fixture(scope="module")
def recursive(tmp_path_factory: pytest.TempPathFactory) -> Package:
    spec = next(spec for spec in FIXTURES if spec.stem == "recursive")
    return fixture_package(spec, tmp_path_factory.getbasetemp() / "fake-packages")


def _classes(package: Package) -> list[type[pydantic.BaseModel]]:
    return [
        obj for _, obj in package.exports() if isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)
    ]


def test_every_model_fakes_into_a_valid_instance_that_round_trips(package: Package) -> None:
    for model in _classes(package):
        instance = package.fake(model)
        assert type(instance) is model
        assert model.model_validate(instance.model_dump(mode="json", by_alias=True)) == instance, model
        required = {name for name, info in model.model_fields.items() if info.is_required()}
        assert required <= instance.model_fields_set, model
        assert package.fake(model) == instance, f"{model.__name__}: not deterministic"


def test_every_type_alias_fakes_into_a_valid_value(package: Package) -> None:
    for name, alias in package.exports():
        if isinstance(alias, type):
            continue
        value = package.fake_value(alias)
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(alias)
        assert adapter.validate_python(adapter.dump_python(value, mode="json", by_alias=True)) == value, name


def test_fields_take_their_first_valid_example_then_the_spec_default_else_optional_ones_stay_unset(
    package: Package,
) -> None:
    examples = defaults = 0
    for model in _classes(package):
        instance = package.fake(model)
        for name, info in model.model_fields.items():
            example = _first_valid(info, info.examples or ())
            extra = info.json_schema_extra
            default = _first_valid(
                info, [extra["default"]] if isinstance(extra, dict) and "default" in extra else []
            )
            if example is not None:
                assert getattr(instance, name) == example[0], (model, name)
                examples += 1
            elif default is not None and not info.is_required():
                assert getattr(instance, name) == default[0], (model, name)
                defaults += 1
            elif not info.is_required():
                assert name not in instance.model_fields_set, (model, name)
    if package.name.removesuffix("_typed") in VENDORS:
        assert examples and defaults  # the vendors' specs have both, and the models carry them


def _first_valid(info: Any, values: Any) -> tuple[object] | None:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(info.annotation)
    for value in values:
        try:
            return (adapter.validate_python(value),)
        except pydantic.ValidationError:
            continue
    return None


def test_the_spec_examples_reach_the_fake(autx: Package) -> None:
    spec = yaml.safe_load((ROOT / "specs" / "autx" / "openapi.yaml").read_text(encoding="utf-8"))
    properties = spec["components"]["schemas"]["Agent"]["properties"]
    agent = autx.fake(autx.models.Agent)
    assert agent.name == properties["name"]["example"]
    assert agent.service_price == properties["service_price"]["example"]


def test_the_spec_defaults_reach_the_fake_and_the_json_schema() -> None:
    modulex = vendor_package("modulex")
    spec = yaml.safe_load((ROOT / "specs" / "modulex" / "openapi.yaml").read_text(encoding="utf-8"))
    default = spec["components"]["schemas"]["ApiKeyCreateRequest"]["properties"]["rate_limit_per_minute"][
        "default"
    ]
    model = modulex.models.ApiKeyCreateRequest
    assert modulex.fake(model).rate_limit_per_minute == default
    assert model.model_json_schema()["properties"]["rate_limit_per_minute"]["default"] == default
    assert model(name="k").rate_limit_per_minute is None  # the server applies it, not the model


def test_seeds_change_free_values_and_nothing_else(autx: Package) -> None:
    agent = autx.models.Agent
    first, again, other = autx.fake(agent, seed=1), autx.fake(agent, seed=1), autx.fake(agent, seed=2)
    assert first == again
    assert first.id != other.id  # no example: made from the seed
    assert first.name == other.name  # an example: the same for every seed
    assert autx.fake(agent) == autx.fake(agent, seed=0)


FAKE_IN_A_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from autx_typed.models import Agent, ChatServerFrame
from autx_typed._runtime._fake import fake, fake_value
print(json.dumps([fake(Agent, seed=5).to_dict(), fake_value(ChatServerFrame, seed=5).to_dict()]))
"""


def test_the_same_seed_gives_the_same_instance_in_another_process(autx: Package) -> None:
    src = ROOT / "generated" / "autx" / "src"
    outputs = []
    for hash_seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", FAKE_IN_A_CHILD, str(src)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(result.stdout))
    frame = autx.fake_value(autx.models.ChatServerFrame, seed=5)
    here = [autx.fake(autx.models.Agent, seed=5).to_dict(), frame.to_dict()]
    assert outputs[0] == outputs[1] == here


def test_importing_the_package_does_not_load_the_factory() -> None:
    src = ROOT / "generated" / "autx" / "src"
    code = "import sys, autx_typed, autx_typed.models as m; m.Agent; print(sorted(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout.replace("'", '"'))
    assert "autx_typed.models.agent" in loaded
    assert not [name for name in loaded if name.startswith("autx_typed._runtime._fake")]


def test_overrides_set_fields_and_dicts_fill_nested_models(autx: Package) -> None:
    models = autx.models
    agent = autx.fake(models.Agent, name="Mine", profile={"tagline": "fast"}, total_requests=3)
    assert (agent.name, agent.total_requests) == ("Mine", 3)
    assert isinstance(agent.profile, models.Profile)
    assert agent.profile.tagline == "fast"
    assert agent.id == autx.fake(models.Agent).id  # the rest as without overrides
    assert autx.fake(models.Agent, endpoint_url=None).endpoint_url is None


def test_overrides_of_a_list_of_models_fill_each_dict(autx: Package) -> None:
    models = autx.models
    challenge = autx.fake(models.X402Challenge, accepts=[{}, {"network": "base"}])
    assert [type(option) for option in challenge.accepts] == [models.X402PaymentOption] * 2
    assert challenge.accepts[1].network == "base"
    assert challenge.accepts[0].network != "base"


def test_an_unknown_override_names_the_model_and_the_field(autx: Package) -> None:
    models = autx.models
    with pytest.raises(TypeError, match=r"Agent has no field 'nickname'"):
        autx.fake(models.Agent, nickname="x")
    with pytest.raises(TypeError, match=r"ChatChunkFrame has no field 'type' \(its python name is 'type_'\)"):
        autx.fake(models.ChatChunkFrame, type="chunk")
    with pytest.raises(TypeError, match=r"Profile has no field 'bio'"):
        autx.fake(models.Agent, profile={"bio": "x"})


def test_a_free_form_model_takes_any_override_as_its_content(autx: Package) -> None:
    answer = autx.fake(autx.models.ProxyJsonResponse, text="a summary", tokens=3)
    assert answer.model_extra == {"text": "a summary", "tokens": 3}
    assert autx.fake(autx.models.ProxyJsonResponse).model_extra == {}


def test_an_override_of_the_wrong_type_is_a_validation_error(autx: Package) -> None:
    with pytest.raises(pydantic.ValidationError, match="total_requests"):
        autx.fake(autx.models.Agent, total_requests="many")
    with pytest.raises(pydantic.ValidationError, match="type"):
        autx.fake(autx.models.ChatChunkFrame, type_="done")


def test_a_tagged_union_gets_its_first_variant_with_the_tag_set(autx: Package) -> None:
    models = autx.models
    frame = autx.fake_value(models.ChatServerFrame)
    assert isinstance(frame, models.ChatSessionFrame)
    assert frame.to_dict()["type"] == "session"
    frames = autx.fake_value(list[models.ChatServerFrame])
    assert [type(f) for f in frames] == [models.ChatSessionFrame]


def test_a_list_response_gets_one_valid_item(autx: Package) -> None:
    agents = autx.fake_value(list[autx.models.Agent])
    assert len(agents) == 1
    assert isinstance(agents[0], autx.models.Agent)


def test_nested_overrides_of_a_recursive_spec_model(recursive: Package) -> None:
    node_class = recursive.models.Node
    node = recursive.fake(node_class, children=[{}, {"children": [{}]}])
    assert [len(child.children or []) for child in node.children] == [0, 1]
    assert all(isinstance(child, node_class) for child in node.children)

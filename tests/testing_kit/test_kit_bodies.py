"""The bodies `respond(**fields)` builds, on models made here: the runtime's kit, without a package."""

from __future__ import annotations

from generator.runtime import BaseModel
from generator.runtime._spec import Operation
from generator.runtime._testing_replies import build_value
from generator.runtime._testing_routes import Route


class Answer(BaseModel):
    """A free-form object (`additionalProperties: true`, no properties)."""


class Summary(BaseModel):
    text: str
    words: int


def _route(returns: object) -> Route:
    return Route(
        name="agents.ask", operation=Operation(method="POST", path="/ask"), result="model", returns=returns
    )


def test_a_free_form_body_takes_any_fields() -> None:
    body = build_value(_route(Answer), Answer, None, {"anything": [1, 2]})
    assert isinstance(body, Answer) and body.model_extra == {"anything": [1, 2]}


def test_a_union_prefers_the_variant_declaring_the_fields_over_a_free_form_one() -> None:
    union = Answer | Summary
    body = build_value(_route(union), union, None, {"text": "hi"})
    assert isinstance(body, Summary) and body.text == "hi"
    other = build_value(_route(union), union, None, {"mood": "calm"})
    assert isinstance(other, Answer) and other.model_extra == {"mood": "calm"}

"""Property tests: the SSE decoder does not care how bytes are chunked; paths stay paths."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import SSEDecoder
from generator.runtime._encode import build_path, encode_query

_line_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"),
    max_size=20,
)
_events = st.lists(
    st.tuples(
        st.sampled_from(["message", "update", "done"]),
        st.lists(_line_text, min_size=1, max_size=3),
        st.one_of(st.none(), st.text(alphabet="0123456789-", min_size=1, max_size=6)),
    ),
    max_size=6,
)


def _encode(events: list[tuple[str, list[str], str | None]], newline: str) -> bytes:
    out = []
    for name, lines, event_id in events:
        out.append(f"event: {name}{newline}")
        if event_id is not None:
            out.append(f"id: {event_id}{newline}")
        out.extend(f"data: {line}{newline}" for line in lines)
        out.append(newline)
    return "".join(out).encode()


@given(
    _events,
    st.lists(st.integers(min_value=0, max_value=400), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_decoder_is_chunking_invariant(
    events: list[tuple[str, list[str], str | None]], cuts: list[int], newline: str
) -> None:
    stream = _encode(events, newline)
    points = sorted({min(c, len(stream)) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    decoder = SSEDecoder()
    decoded = [e for chunk in chunks for e in decoder.feed(chunk)]
    assert [(e.event, e.data, e.id) for e in decoded] == [
        (name, "\n".join(lines), event_id) for name, lines, event_id in events
    ]


@given(st.text(min_size=1, max_size=30))
def test_path_values_stay_one_segment(value: str) -> None:
    path = build_path("/files/{name}/raw", {"name": value})
    segment = path.removeprefix("/files/").removesuffix("/raw")
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert segment not in (".", "..")
    assert unquote(segment) == value


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.lists(st.text(max_size=5), max_size=3)))
def test_query_lists_repeat_keys(params: dict[str, list[str]]) -> None:
    pairs = encode_query([params])
    assert pairs == [(k, v) for k, values in params.items() for v in values]

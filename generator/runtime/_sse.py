"""An incremental decoder for ``text/event-stream`` (the WHATWG server-sent events format)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent"]


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event.

    ``id`` is the ``id:`` field of this event itself (``None`` when it had none);
    ``last_event_id`` is the stream's last event id after it, which persists across events.
    """

    event: str = "message"
    data: str = ""
    id: str | None = None
    last_event_id: str = ""
    retry: int | None = None


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events completed so far.

    Handles ``\\r\\n``, ``\\r`` and ``\\n`` line endings (also split across chunks), a leading
    BOM, comments, multi-line ``data``, ``event``, ``id`` (ignored when it contains NUL) and
    ``retry``. An event not terminated by a blank line when the stream ends is discarded.
    """

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._pending_cr = False
        self._first = True
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._last_event_id = ""
        self._retry: int | None = None

    @property
    def last_event_id(self) -> str:
        """The last event id seen on this stream ("" when none)."""
        return self._last_event_id

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completed."""
        text = self._text.decode(chunk)
        if self._first and text:
            self._first = False
            text = text.removeprefix("\ufeff")
        return self._consume(text)

    def _consume(self, text: str) -> list[ServerSentEvent]:
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._pending_cr = False
        events: list[ServerSentEvent] = []
        buffer = self._buffer + text
        start = 0
        length = len(buffer)
        index = 0
        while index < length:
            char = buffer[index]
            if char in "\r\n":
                line = buffer[start:index]
                if char == "\r":
                    if index + 1 < length:
                        if buffer[index + 1] == "\n":
                            index += 1
                    else:
                        self._pending_cr = True
                event = self._line(line)
                if event is not None:
                    events.append(event)
                start = index + 1
            index += 1
        self._buffer = buffer[start:]
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self._id = value
                self._last_event_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        event_id, self._id = self._id, None
        if not self._data:
            self._event = ""
            return None
        event = ServerSentEvent(
            event=self._event or "message",
            data="\n".join(self._data),
            id=event_id,
            last_event_id=self._last_event_id,
            retry=self._retry,
        )
        self._event = ""
        self._data = []
        return event

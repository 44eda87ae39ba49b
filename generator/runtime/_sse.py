"""An incremental decoder for ``text/event-stream`` (the WHATWG server-sent events format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

__all__ = ["EventFields", "SSEDecoder", "ServerSentEvent"]

_BOM = b"\xef\xbb\xbf"


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


EventFields: TypeAlias = tuple[str, str, str | None, str, int | None]
"""The fields of a :class:`ServerSentEvent` as a plain tuple: ``(event, data, id, last_event_id, retry)``."""


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events completed so far.

    Handles ``\\r\\n``, ``\\r`` and ``\\n`` line endings (also split across chunks), a leading
    BOM, comments, multi-line ``data``, ``event``, ``id`` (ignored when it contains NUL) and
    ``retry``. An event not terminated by a blank line when the stream ends is discarded.
    """

    def __init__(self) -> None:
        self._buffer = b""
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
        return [ServerSentEvent(*fields) for fields in self.decode(chunk)]

    def decode(self, chunk: bytes) -> list[EventFields]:
        """Like :meth:`feed`, with each event as :data:`EventFields` (cheaper in a stream's hot loop)."""
        buffer = self._buffer + chunk
        if self._pending_cr and buffer:
            self._pending_cr = False
            if buffer[:1] == b"\n":
                buffer = buffer[1:]  # the LF of a CRLF split across chunks
        if self._first:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                self._buffer = buffer  # maybe the start of a BOM: wait for more
                return []
            self._first = False
            buffer = buffer.removeprefix(_BOM)
        if b"\r" in buffer:
            self._pending_cr = buffer.endswith(b"\r")
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = buffer.rfind(b"\n")
        if end < 0:
            self._buffer = buffer
            return []
        self._buffer = buffer[end + 1 :]
        # no UTF-8 sequence contains a line break byte, so the complete lines decode on their own
        return self._lines(buffer[:end].decode("utf-8", "replace").split("\n"))

    def _lines(self, lines: list[str]) -> list[EventFields]:
        # the event being read lives in locals while the loop runs: attribute access is the slow part
        events: list[EventFields] = []
        event, data, event_id, last_id, retry = (
            self._event,
            self._data,
            self._id,
            self._last_event_id,
            self._retry,
        )
        for line in lines:
            if not line:  # a blank line dispatches the event
                if data:
                    events.append((event or "message", "\n".join(data), event_id, last_id, retry))
                    data = []
                event, event_id = "", None
                continue
            if line.startswith("data:"):  # the most common line
                data.append(line[6:] if line.startswith(" ", 5) else line[5:])
                continue
            colon = line.find(":")
            if colon == 0:
                continue  # a comment
            if colon < 0:
                name, value = line, ""
            else:
                name = line[:colon]
                value = line[colon + 2 :] if line.startswith(" ", colon + 1) else line[colon + 1 :]
            if name == "data":  # a bare "data" line: an empty one
                data.append(value)
            elif name == "event":
                event = value
            elif name == "id":
                if "\0" not in value:
                    event_id = last_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                retry = int(value)
        self._event, self._data, self._id, self._last_event_id, self._retry = (
            event,
            data,
            event_id,
            last_id,
            retry,
        )
        return events

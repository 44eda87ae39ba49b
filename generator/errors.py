"""The one error type that bad input produces: a message with a place in the spec."""

from __future__ import annotations


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from raw tokens: pointer("paths", "/a/{b}", "get") == "/paths/~1a~1{b}/get"."""
    return "".join("/" + escape_pointer_token(str(t)) for t in tokens)


class SpecError(Exception):
    """Bad input, located by file and JSON pointer. The CLI prints it as one line and exits 2.

    `at` is a JSON pointer ("" is the document root, shown as `file#`); None when the problem has no place
    in the document (the file is missing, or is not YAML at all: the message gives the line instead).
    """

    def __init__(self, message: str, *, file: str = "", at: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.at = at

    def located(self, file: str) -> SpecError:
        """The same error with its file filled in (the parser does not know file names)."""
        return SpecError(self.message, file=self.file or file, at=self.at)

    def __str__(self) -> str:
        place = self.file or "<spec>"
        if self.at is not None:
            place += "#" + self.at
        return f"{place}: {self.message}"

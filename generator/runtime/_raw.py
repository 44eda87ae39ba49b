"""Raw-response mode: make a generated method return :class:`APIResponse` instead of its value.

A wrapper sets a context variable for the duration of the call; the client's ``request``,
``get_page`` and ``stream`` see it and hand back an ``APIResponse`` whose ``parse()`` gives the
usual value. Generated ``XxxWithRawResponse`` classes wrap each method once::

    class WorkflowsWithRawResponse:
        def __init__(self, workflows: Workflows) -> None:
            self.run = to_raw_response_wrapper(workflows.run)
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, TypeGuard, TypeVar

if TYPE_CHECKING:
    from ._response import APIResponse

__all__ = ["async_to_raw_response_wrapper", "raw_mode_active", "to_raw_response_wrapper"]

P = ParamSpec("P")
R = TypeVar("R")

_RAW_MODE: ContextVar[bool] = ContextVar("_runtime_raw_response_mode", default=False)


def raw_mode_active() -> bool:
    """True inside a call made through a raw-response wrapper."""
    return _RAW_MODE.get()


def _is_response(result: object) -> TypeGuard[APIResponse[Any]]:
    from ._response import APIResponse

    return isinstance(result, APIResponse)


def _checked(result: object) -> APIResponse[Any]:
    if _is_response(result):
        return result
    raise TypeError("raw-response wrapper used on a method that does not call the client")


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap a sync generated method so it returns ``APIResponse[R]``."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _RAW_MODE.set(True)
        try:
            result: object = func(*args, **kwargs)
        finally:
            _RAW_MODE.reset(token)
        return _checked(result)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """Wrap an async generated method (or one returning an awaitable) likewise."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _RAW_MODE.set(True)
        try:
            result: object = await func(*args, **kwargs)
        finally:
            _RAW_MODE.reset(token)
        return _checked(result)

    return wrapped

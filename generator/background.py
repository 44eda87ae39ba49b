"""Work run beside the main line of a generation, on another core.

A large document keeps one core busy for seconds; the machines `gen` runs on have more. Independent steps
(validating the document while it is parsed, writing the docs while the code is formatted, one vendor
while another) run in a forked child process, which sees the parent's data without copying it and sends
back its result (or its exception) through a pipe.

Forking is used where it is the safe, cheap default (Linux). Elsewhere, inside a child, or with
`GEN_JOBS=1`, the work runs in the calling process when it is started, with the same results.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")

_serial = False  # set in a child, and while this process does its share of `in_parallel`


def jobs() -> int:
    """How many processes may work at once: `GEN_JOBS`, else the usable cores (1 where we do not fork)."""
    if sys.platform != "linux" or _serial:
        return 1
    setting = os.environ.get("GEN_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return len(os.sched_getaffinity(0))


class Background(Generic[T]):
    """`work()` started now, in a child process when there is a spare core; `result()` waits for it.

    An exception raised by `work` is raised again by `result()`. Leaving a `with` block without asking
    for the result stops the child.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._process: multiprocessing.process.BaseProcess | None = None
        self._outcome: tuple[bool, object] | None = None
        if jobs() < 2:
            self._outcome = _run(work)
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        self._receiver = receiver
        self._process = context.Process(target=_child, args=(work, sender, os.getpid()), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> T:
        if self._outcome is None:
            self._outcome = self._receive()
        ok, value = self._outcome
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]

    def _receive(self) -> tuple[bool, object]:
        assert self._process is not None
        try:
            outcome: tuple[bool, object] = self._receiver.recv()
        except EOFError:
            outcome = (False, RuntimeError(f"a worker process died (exit code {self._process.exitcode})"))
        finally:
            self._receiver.close()
            self._process.join()
        return outcome

    def stop(self) -> None:
        """Stop the child if it is still working (its result is no longer wanted)."""
        if self._process is not None and self._outcome is None:
            self._process.kill()
            self._process.join()
            self._receiver.close()
            self._outcome = (False, RuntimeError("stopped"))

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _run(work: Callable[[], T]) -> tuple[bool, object]:
    try:
        return True, work()
    except Exception as exc:  # handed to result(), which raises it in the caller
        return False, exc


def in_parallel(tasks: Sequence[Callable[[], T]], weights: Sequence[int]) -> list[T]:
    """Every task's result, in task order, the tasks spread over `jobs()` processes (this one included).

    Each process takes the heaviest task (by `weights`) not yet taken whenever it is free, so a slow task
    does not hold up others queued behind it; inside a task nothing runs in parallel. Every task runs even
    when one fails; then the first failure, in task order, is raised.
    """
    count = max(1, min(jobs(), len(tasks)))
    order = sorted(range(len(tasks)), key=lambda i: -weights[i])
    taken = multiprocessing.get_context("fork").Value("i", 0) if count > 1 else None

    def run() -> dict[int, tuple[bool, object]]:
        done: dict[int, tuple[bool, object]] = {}
        while True:
            if taken is None:
                position = len(done)
            else:
                with taken.get_lock():
                    position, taken.value = taken.value, taken.value + 1
            if position >= len(order):
                return done
            done[order[position]] = _run(tasks[order[position]])

    children = [Background(run) for _ in range(count - 1)]
    try:
        with serially() if children else nullcontext():  # a lone task may use the cores itself
            outcomes = run()
        for child in children:
            outcomes.update(child.result())
    finally:
        for child in children:
            child.stop()
    results: list[T] = []
    for index in range(len(tasks)):
        ok, value = outcomes[index]
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        results.append(value)  # type: ignore[arg-type]
    return results


@contextmanager
def serially() -> Iterator[None]:
    """Within the block, this process starts no child processes."""
    global _serial
    before, _serial = _serial, True
    try:
        yield
    finally:
        _serial = before


def _child(work: Callable[[], object], sender: Connection, parent: int) -> None:
    global _serial
    _serial = True
    _end_with(parent)
    outcome = _run(work)
    try:
        sender.send(outcome)
    except Exception as exc:  # the result or the exception could not be pickled
        sender.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    sender.close()


def _end_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies: a killed `gen` leaves nothing writing."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

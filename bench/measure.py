"""Run one command, then print its wall time and its peak memory (KiB) as JSON.

Used by bench.py so that every tool is timed the same way, in a fresh process. A tool may work in several
processes at once (gen forks helpers, the peer runs ruff): the peak is the largest sum, over the samples
taken every 20 ms, of the proportional set size (PSS: shared pages split between their sharers) of the
whole process tree; and never less than the peak RSS of the tree's biggest process, which the kernel
keeps exactly.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROC = Path("/proc")


def tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux), or just `pid` where /proc cannot say."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in (PROC / str(current) / "task").glob("*"):
            try:
                pending += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def pss_kib(pid: int) -> int:
    try:
        text = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def run(command: list[str]) -> tuple[float, int, int, str]:
    """(seconds, sampled peak PSS of the tree in KiB, exit code, stderr) of one run of `command`."""
    peak = [0]

    def sample(process: subprocess.Popen[str]) -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], sum(pss_kib(pid) for pid in tree(process.pid)))
            time.sleep(0.02)

    with tempfile.TemporaryFile(mode="w+") as errors:  # not a pipe: a chatty tool must not block on it
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        sampler = threading.Thread(target=sample, args=(process,))
        sampler.start()
        process.wait()  # the wall time ends when the command does, not at the next sample
        elapsed = time.perf_counter() - start
        sampler.join()
        errors.seek(0)
        return elapsed, peak[0], process.returncode, errors.read()


elapsed, sampled, code, stderr = run(sys.argv[1:])
biggest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(
    json.dumps(
        {
            "seconds": elapsed,
            "peak_kib": max(sampled, biggest),
            "code": code,
            "stderr": stderr[-500:],
        }
    )
)

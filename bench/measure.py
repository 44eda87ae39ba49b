"""Run one command, then print its wall time and the peak RSS of its biggest process (KiB) as JSON.

Used by bench.py so that every tool is timed the same way, in a fresh process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
result = subprocess.run(
    sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(
    json.dumps(
        {"seconds": elapsed, "peak_kib": peak, "code": result.returncode, "stderr": result.stderr[-500:]}
    )
)

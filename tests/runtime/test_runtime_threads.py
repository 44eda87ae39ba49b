"""First use of a generated package from many threads at once, in fresh interpreters.

The runtime imports pydantic on first use. Threads that reach pydantic for the first time together
(ours, or one of ours and one of the application's) used to be handed a half-initialised
`pydantic.main` now and then, and failed with `AttributeError: partially initialized module`. Each
round starts a new interpreter (nothing imported yet) where threads build clients, open resources,
import models and errors, all released at the same instant, beside threads importing pydantic
themselves; none of the package's threads may fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

ROUNDS = 25
SCRIPT = textwrap.dedent(
    """
    import json, sys, threading, traceback
    import mobius_typed

    failures = []
    start = threading.Barrier(12)

    def application():
        start.wait()
        try:
            import pydantic
            pydantic.BaseModel, pydantic.TypeAdapter, pydantic.Field
        except Exception:
            pass  # pydantic's own race, between the application's threads and nobody else's

    def ours(n):
        start.wait()
        try:
            client = mobius_typed.Mobius(api_key="k", project="p", base_url="http://127.0.0.1:9")
            [client.projects, client.agents, client.automations][n % 3]
            mobius_typed.ConflictError, mobius_typed.SyncPage, mobius_typed.BaseModel
            from mobius_typed.models import ErrorEnvelope
            ErrorEnvelope.model_validate({"error": {"code": "x", "message": "y"}})
        except Exception:
            failures.append(traceback.format_exc())

    threads = [threading.Thread(target=application) for _ in range(4)]
    threads += [threading.Thread(target=ours, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(failures))
    """
)


def test_first_use_from_many_threads_never_sees_a_half_imported_pydantic() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "mobius" / "src")}
    for _ in range(ROUNDS):
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        failures = json.loads(result.stdout.strip().splitlines()[-1])
        assert failures == [], failures[0]

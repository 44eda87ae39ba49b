"""Prism (`@stoplight/prism-cli` from npm), installed into .cache/ and run as one mock server per vendor.

A missing Node.js or npm fails the session with the command that fixes it: nothing is skipped silently.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, VENDORS
from tests.e2e.userenv import run, user_env

PRISM_VERSION = "5.16.0"
PRISM_DIR = ROOT / ".cache" / "prism"
PRISM_PACKAGE = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
FIX = "install Node.js and npm (`apt-get install nodejs npm`), then run `make test` again"
SUMMARY: list[str] = []


def _installed_version() -> str | None:
    try:
        return str(json.loads(PRISM_PACKAGE.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def _prism_command() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(f"the Prism contract tests need {'node' if node is None else 'npm'}: {FIX}")
    if _installed_version() != PRISM_VERSION:
        PRISM_DIR.mkdir(parents=True, exist_ok=True)
        run(
            npm,
            "install",
            "--prefix",
            PRISM_DIR,
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"@stoplight/prism-cli@{PRISM_VERSION}",
        )
    cli = PRISM_PACKAGE.parent / "dist" / "index.js"
    if not cli.is_file():
        pytest.fail(f"npm installed @stoplight/prism-cli but {cli} is missing; delete {PRISM_DIR} and retry")
    return [node, str(cli)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"prism exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"prism did not listen on port {port} in time:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`{vendor: base URL}` of a `prism mock` (request validation on) per specs/<vendor>/openapi.yaml."""
    command = _prism_command()
    logs = tmp_path_factory.mktemp("prism")
    started: list[tuple[subprocess.Popen[bytes], int, Path]] = []
    urls: dict[str, str] = {}
    try:
        for vendor in VENDORS:
            port = _free_port()
            log = logs / f"{vendor}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [
                        *command,
                        "mock",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--verboseLevel",
                        "warn",
                        str(ROOT / "specs" / vendor / "openapi.yaml"),
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=logs,
                )
            started.append((process, port, log))
            urls[vendor] = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        for process, port, log in started:
            _wait_listening(process, port, log, deadline)
        yield urls
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return user_env(tmp_path_factory)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("Prism contract")
        for line in SUMMARY:
            terminalreporter.write_line(line)

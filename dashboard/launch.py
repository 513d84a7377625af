"""Start the dashboard server in a child process on a free loopback port, and stop it.

Used by the browser tests and by the frame benchmark, which must drive a real server
without touching a port anyone else uses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(port: int | None = None, timeout: float = 60.0):
    """Yield the base URL of a dashboard server on 127.0.0.1; stop it afterwards."""
    with running_server_process(port, timeout) as (url, _proc):
        yield url


@contextmanager
def running_server_process(port: int | None = None, timeout: float = 60.0, args: tuple[str, ...] = (),
                           env: dict[str, str] | None = None):
    """Yield (base URL, server process) of a dashboard server on 127.0.0.1; stop it afterwards.

    `args` are further options of `python -m dashboard.serve` (e.g. --token), `env` further
    environment variables.
    """
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "anomie.dashboard.serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dashboard server exited early:\n{proc.stdout.read()}")
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"dashboard server not up on {url} after {timeout} s")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch_chromium(playwright):
    """Debian's chromium through Playwright; Playwright never downloads a browser here."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def block_external(page) -> list[str]:
    """Abort every request that leaves the loopback interface; return the list of those tried."""
    tried: list[str] = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            tried.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return tried

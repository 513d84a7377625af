"""One dashboard server and one headless chromium for the browser tests of a session.

The server runs in a child process on a free loopback port (dashboard.launch) and is
stopped at the end. Chromium is Debian's (`make browser` installs it); Playwright is
pointed at it and never downloads a browser.
"""

from __future__ import annotations

import pytest

from anomie.dashboard.launch import CHROMIUM, running_server


@pytest.fixture(scope="session")
def dashboard_url():
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    import os

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (make test does it for you)")
    from playwright.sync_api import sync_playwright

    from anomie.dashboard.launch import launch_chromium

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()

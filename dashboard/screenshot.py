"""Refresh the README's picture of the dashboard: `python -m anomie.dashboard.screenshot docs/img/dashboard.png`.

Starts a server on a free loopback port, plays the industrial revolution compared with the
same run without social work, and saves the page once the revolution is well under way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .launch import block_external, launch_chromium, running_server

WEEK = 160


def take(path: Path, week: int = WEEK) -> None:
    from playwright.sync_api import sync_playwright

    with running_server() as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            block_external(page)
            page.goto(url)
            page.wait_for_selector(".chart-cohesion img", timeout=120_000)
            page.click(".compare-picker .v-select__slot")
            page.click(".menuable__content__active .v-list-item:has-text('without social work')")
            page.wait_for_timeout(1500)
            page.click(".tab-compare")
            page.click(".play-button")
            page.wait_for_function(
                f"parseInt(document.querySelector('.week-counter').innerText.split(' ').pop()) >= {week}",
                timeout=600_000, polling=200,
            )
            page.click(".play-button")
            page.wait_for_timeout(3000)  # the last frame and the band over seeds
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
        finally:
            browser.close()


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img/dashboard.png"))

"""The dashboard in a real browser: load, pick a preset, step, compare, two independent tabs.

Every page blocks requests that leave 127.0.0.1, so the tests also prove the page works
offline. Screenshots go to each test's tmp_path.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from dashboard.launch import block_external
from dashboard.session import FRAME_WAIT

pytestmark = pytest.mark.e2e

LOAD_TIMEOUT = 90_000  # ms; a loaded 2-core machine can take a while to start a kernel
COMPARE_RED = np.array([214, 96, 77])  # the comparison curve's colour (#d6604d)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


def open_dashboard(context, url):
    page = context.new_page()
    external = block_external(page)
    page.goto(url)
    page.wait_for_selector(".week-counter", timeout=LOAD_TIMEOUT)
    page.wait_for_selector(".chart-cohesion img", timeout=LOAD_TIMEOUT)
    return page, external


def week(page) -> int:
    return int(page.inner_text(".week-counter").split()[-1])


def step(page, times: int) -> None:
    for _ in range(times):
        target = week(page) + 1
        page.click("button:has-text('Step')")
        wait_for_week(page, target)


def choose(page, picker: str, item: str) -> None:
    """Open a vuetify select and click one of its items."""
    page.click(f".{picker} .v-select__slot")
    page.click(f".menuable__content__active .v-list-item:has-text('{item}')")


def cohesion_pixels(page) -> np.ndarray:
    png = page.locator(".chart-cohesion img").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def red_pixels(pixels: np.ndarray) -> int:
    return int((np.abs(pixels - COMPARE_RED).sum(axis=2) < 60).sum())


def wait_for_week(page, w: int) -> None:
    page.wait_for_function(
        f"document.querySelector('.week-counter').innerText.trim() === 'Week {w}'", timeout=30_000
    )


def test_page_loads_offline_with_every_chart(context, dashboard_url, tmp_path):
    page, external = open_dashboard(context, dashboard_url)
    assert week(page) == 0
    assert page.locator(".chart-panel img").count() == 5
    assert page.locator("text=neutral \"crisis\"").count() == 1
    for group in ("Society", "Shocks", "Social work"):
        assert page.locator(f"button:has-text('{group} (')").count() == 1
    page.screenshot(path=tmp_path / "loaded.png")
    assert external == []  # nothing was fetched from the internet


def test_pick_a_preset_and_step_ten_times(context, dashboard_url, tmp_path):
    page, external = open_dashboard(context, dashboard_url)
    choose(page, "scenario-picker", "Economic crash")
    page.wait_for_selector(".scenario-description:has-text('sudden recession')", timeout=30_000)
    assert "Economic crash" in page.inner_text(".week-counter >> xpath=..")
    before = cohesion_pixels(page)
    src_before = page.get_attribute(".chart-cohesion img", "src")
    step(page, 10)
    assert week(page) == 10
    after = cohesion_pixels(page)
    assert page.get_attribute(".chart-cohesion img", "src") != src_before
    assert (np.abs(after - before).sum(axis=2) > 0).sum() > 50  # the curve was drawn
    page.screenshot(path=tmp_path / "crash_week10.png")
    # the exports: this run's data as CSV, and a chart as PNG
    with page.expect_download() as csv:
        page.click("button:has-text('Download the run')")
    lines = csv.value.path().read_text().splitlines()
    assert lines[0].startswith("step,cohesion") and len(lines) == 1 + 11  # weeks 0 to 10
    with page.expect_download() as png:
        page.locator(".chart-cohesion button:has-text('Download this chart')").click()
    assert png.value.path().read_bytes().startswith(b"\x89PNG")
    assert external == []


def test_compare_draws_a_second_curve_and_a_sentence(context, dashboard_url, tmp_path):
    page, _ = open_dashboard(context, dashboard_url)
    step(page, 3)
    assert red_pixels(cohesion_pixels(page)) < 5  # one curve: no comparison colour yet
    choose(page, "compare-picker", "Same run without social work")
    page.wait_for_selector(".compare-summary", timeout=30_000)
    step(page, 10)
    assert red_pixels(cohesion_pixels(page)) > 20  # the second curve (and its legend entry) is drawn
    sentence = page.inner_text(".compare-summary")
    assert "13 weeks" in sentence and "without social work" in sentence
    page.locator(".chart-cohesion").screenshot(path=tmp_path / "compare.png")


def test_play_advances_and_pause_stops(context, dashboard_url):
    """Pause must be heard while playing (the play loop once kept the tab's messages waiting).

    As in NetLogo, pause lets the week already under way finish: SolaraViz's play loop
    checks its flag before a week, and a week may be waiting for the last frame to be
    drawn (up to FRAME_WAIT, then up to FRAME_WAIT more for the render pass) when the
    click lands. So at most one week appears after the button turns back to play, and
    then nothing more.
    """
    page, _ = open_dashboard(context, dashboard_url)
    page.click("button:has-text('▶')")
    page.wait_for_function("parseInt(document.querySelector('.week-counter').innerText.split(' ').pop()) >= 3",
                           timeout=60_000)
    page.click("button:has-text('❚❚')")
    page.wait_for_selector("button:has-text('▶')", timeout=30_000)
    paused_at = week(page)
    page.wait_for_timeout(int((2 * FRAME_WAIT + 1) * 1000))  # the week under way, if any, has landed
    settled = week(page)
    assert settled - paused_at in (0, 1)
    page.wait_for_timeout(3000)
    assert week(page) == settled


def test_two_tabs_are_independent(context, dashboard_url, tmp_path):
    first, _ = open_dashboard(context, dashboard_url)
    second, _ = open_dashboard(context, dashboard_url)
    step(first, 3)
    choose(first, "scenario-picker", "Isolation")
    wait_for_week(first, 0)  # a new scenario restarts the run
    step(first, 2)
    second.wait_for_timeout(500)
    assert week(first) == 2 and week(second) == 0
    assert "Isolation" not in second.inner_text(".week-counter >> xpath=..")
    step(second, 1)
    assert week(second) == 1 and week(first) == 2
    first.screenshot(path=tmp_path / "tab1.png")
    second.screenshot(path=tmp_path / "tab2.png")

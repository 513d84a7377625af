"""The dashboard in Debian's chromium: first chart, a lecture, no drift from the CLI, the projector screens.

Every page blocks requests that leave 127.0.0.1, so the tests also prove the page works
offline. Screenshots are compared against references committed in tests/e2e/reference
(regenerate them with UPDATE_REFERENCES=1 after a deliberate change, and look at them).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anomie.dashboard.charts import FIG_WIDTH, SMALL_FONT
from anomie.dashboard.launch import ROOT, block_external, running_server

pytestmark = pytest.mark.e2e

LOAD_TIMEOUT = 90_000  # ms; a loaded 2-core machine can take a while to start a kernel
REFERENCES = Path(__file__).with_name("reference")
SOCIAL_WORK_WEEKS = 30  # enough weeks for ten clients at the default 1,000 citizens and 2 posts


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    yield ctx
    ctx.close()


def open_dashboard(context, url):
    page = context.new_page()
    external = block_external(page)
    page.goto(url)
    page.wait_for_selector(".chart-cohesion img", timeout=LOAD_TIMEOUT)
    page.mouse.click(5, 700)  # give the page the keyboard focus, as a user's first click does
    return page, external


def week(page) -> int:
    return int(page.inner_text(".week-counter").split()[-1])


def wait_for_week(page, w: int, timeout: int = 30_000) -> None:
    page.wait_for_function(f"document.querySelector('.week-counter').innerText.trim() === 'Week {w}'",
                           timeout=timeout)


def choose(page, picker: str, item: str) -> None:
    """Open a vuetify select and click one of its items."""
    page.click(f".{picker} .v-select__slot")
    page.click(f".menuable__content__active .v-list-item:has-text('{item}')")


def download_csv(page) -> bytes:
    page.click(".tab-export")
    with page.expect_download() as csv:
        page.click(".download-csv button")
    return csv.value.path().read_bytes()


def cli_csv(tmp_path: Path, preset: str, seed: int, steps: int, *sets: str) -> bytes:
    """The same run through `anomie run` from this checkout."""
    out = tmp_path / f"cli_{preset}_{steps}.csv"
    args = [sys.executable, "-m", "anomie.cli", "run", preset, "--seed", str(seed), "--steps", str(steps),
            "--out", str(out), "--quiet"]
    for s in sets:
        args += ["--set", s]
    subprocess.run(args, cwd=ROOT, check=True, timeout=300)
    return out.read_bytes()


def test_the_first_chart_appears_after_launch_with_nothing_from_outside(browser):
    """From starting a server to the first chart on screen, offline. How long it takes is a
    benchmark (bench.dashboard_frame, target 5 s), not an assertion on a shared machine."""
    with running_server() as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        external = block_external(page)
        page.goto(url)
        page.wait_for_selector(".chart-cohesion img", timeout=LOAD_TIMEOUT)
        page.wait_for_function("document.querySelector('.chart-cohesion img').naturalWidth > 0", timeout=LOAD_TIMEOUT)
        page.close()
    assert external == []


def test_lecture_sequence(context, dashboard_url, tmp_path):
    """Pick a preset, compare with one parameter changed, play, pause, export: as a lecturer would."""
    page, external = open_dashboard(context, dashboard_url)
    page.click(".scenario-picker .v-select__slot")
    # how fast the lesson follows the click is a benchmark (bench.dashboard_frame, target 1 s)
    page.click(".menuable__content__active .v-list-item:has-text('Migration')")
    page.wait_for_selector(".lesson:has-text('Over half a year newcomers arrive')", timeout=30_000)
    choose(page, "compare-picker", "one parameter changed")
    page.wait_for_selector(".compare-value input", timeout=30_000)
    assert page.input_value(".compare-value input") == "0.8"  # the organic variant of the docs' lecture
    page.get_by_role("button", name="Play (space)").click()
    page.wait_for_function("parseInt(document.querySelector('.week-counter').innerText.split(' ').pop()) >= 60",
                           timeout=60_000)
    page.get_by_role("button", name="Pause (space)").click()
    page.wait_for_selector(".play-button:has-text('Play')", timeout=30_000)
    paused = week(page)
    page.wait_for_timeout(1500)
    assert week(page) == paused  # pause holds
    page.click(".tab-compare")
    sentence = page.inner_text(".compare-summary")
    assert "organic share = 0.8" in sentence and f"Over {paused} weeks" in sentence
    page.wait_for_selector(".chart-difference img")
    assert download_csv(page) == cli_csv(tmp_path, "migration", 7, paused)
    page.screenshot(path=tmp_path / "lecture.png")
    assert external == []


def test_no_drift_opening_every_group_and_stepping(context, dashboard_url, tmp_path):
    """Open every parameter group and the shock timeline, step with the button and the key: the CSV is the CLI's."""
    page, _ = open_dashboard(context, dashboard_url)
    for header in page.locator(".controls .v-expansion-panel-header").all():
        header.click()
    page.wait_for_timeout(500)
    assert page.locator(".parameter").count() > 60
    # every slider usable with a mouse: the column's whole width, not squeezed by its label
    widths = page.evaluate("Array.from(document.querySelectorAll('.controls .v-slider')).map(s => "
                           "s.getBoundingClientRect().width)")
    assert len(widths) > 50 and min(widths) >= 250, sorted(widths)[:5]
    page.mouse.click(5, 700)
    for _ in range(3):
        target = week(page) + 1
        page.keyboard.press("s")
        wait_for_week(page, target)
    page.get_by_role("button", name="Step one week (s)").click()
    wait_for_week(page, 4)
    # the preset's exact values are shown, not a slider's grid
    assert page.input_value(".field-weekly_hours input") == "37.0"
    assert page.input_value(".field-social_workers_per_1000 input") == "2.0"
    assert download_csv(page) == cli_csv(tmp_path, "industrial_revolution", 7, 4)


def compare_with_reference(shot: bytes, name: str, tmp_path: Path) -> None:
    """A screenshot equals its committed reference up to anti-aliasing and font rendering noise."""
    got = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    (tmp_path / name).write_bytes(shot)
    reference = REFERENCES / name
    if os.environ.get("UPDATE_REFERENCES"):
        reference.parent.mkdir(exist_ok=True)
        reference.write_bytes(shot)
    assert reference.exists(), f"no reference {reference}; run with UPDATE_REFERENCES=1 and look at it"
    want = np.asarray(Image.open(reference).convert("RGB")).astype(int)
    assert got.shape == want.shape
    diff = np.abs(got - want).sum(axis=2)
    changed = float((diff > 60).mean())
    assert changed < 0.02, f"{changed:.1%} of pixels differ from {reference} (see {tmp_path / name})"


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_projector_screens(browser, dashboard_url, tmp_path, width, height):
    """Presentation mode on a projector: both main charts on one screen, text >= 18 px, as the reference."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page, external = open_dashboard(ctx, dashboard_url)
        page.keyboard.press("p")
        page.wait_for_selector(".controls-column.hidden-column", state="attached")
        for _ in range(12):
            target = week(page) + 1
            page.keyboard.press("s")
            wait_for_week(page, target)
        page.wait_for_timeout(800)
        for key in ("cohesion", "shares"):
            box = page.locator(f".chart-{key} img").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{key} chart is not on the screen"
            # chart text: SMALL_FONT points in a FIG_WIDTH-inch figure shown box['width'] pixels wide
            assert SMALL_FONT * box["width"] / (FIG_WIDTH * 72) >= 18
        body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson p')).fontSize)")
        assert body >= 18
        for name in ("Play (space)", "Step one week (s)", "Reset to week 0 (r)"):
            assert page.get_by_role("button", name=name).is_visible()
        compare_with_reference(page.screenshot(), f"dashboard_{width}x{height}.png", tmp_path)
        assert external == []
    finally:
        ctx.close()


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_social_work_tab_on_a_projector(browser, dashboard_url, tmp_path, width, height):
    """The Social work tab in presentation mode: both charts and the numbers row fit the screen's width,
    chart text >= 18 px, where social work acts is drawn once there are clients, as the reference."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page, external = open_dashboard(ctx, dashboard_url)
        # the tab first: a click while presentation mode slides the controls away can miss it
        page.click(".tab-social_work")
        page.wait_for_selector(".chart-social_work_effects img")
        page.keyboard.press("p")
        page.wait_for_selector(".controls-column.hidden-column", state="attached")
        for _ in range(SOCIAL_WORK_WEEKS):
            target = week(page) + 1
            page.keyboard.press("s")
            wait_for_week(page, target)
        page.wait_for_timeout(800)
        # the tab as a lecturer scrolls to it: its tab bar at the top of the screen
        page.evaluate("document.querySelector('.section-tabs').scrollIntoView()")
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing pushes the page wider
        for key in ("social_work", "social_work_effects"):
            box = page.locator(f".chart-{key} img").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert SMALL_FONT * box["width"] / (FIG_WIDTH * 72) >= 18
        for figure in ("posts", "jobs-found", "benefits-secured", "claiming-benefit"):
            box = page.locator(f".figure-{figure}").bounding_box()
            assert box["x"] + box["width"] <= width
            size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('.figure-{figure}')).fontSize)")
            assert size >= 18
        assert "/ 2" in page.inner_text(".figure-posts")  # posts filled of the preset's 2 per 1,000 citizens
        compare_with_reference(page.screenshot(), f"social_work_{width}x{height}.png", tmp_path)
        assert external == []
    finally:
        ctx.close()

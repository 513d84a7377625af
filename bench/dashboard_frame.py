"""How fast the dashboard plays at 1,000 citizens: server frame time and frames per second in a real browser.

Three measurements:

1. Frame time on the server, in process: one week of the model plus every chart's
   redraw to PNG, as the play loop does it (target: under 100 ms).
2. Frames per second in headless chromium: a dashboard server on a free loopback port,
   a page that presses Play, and a MutationObserver counting how often the cohesion
   chart's image and the week counter change in the page (target: at least 5 per second).
3. First chart after launch: from starting a dashboard server to the cohesion chart on a
   1280x720 page in headless chromium, the model's kernels already compiled (target: 5 s);
   and a preset switch: from the click on a preset's name to its lesson on the page
   (target: 1 s).

Run with `python -m bench.dashboard_frame`; `run()` returns the figures as a dict.
Never run by the test suite: timings on a shared 2-core machine are not assertions.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from anomie.dashboard.charts import CHARTS
from anomie.dashboard.session import RunSettings, build_model

N_CITIZENS = 1000
PRESET = "industrial_revolution"
WARMUP_WEEKS = 45  # into industrialisation (clients, rewiring), before migration adds people
FRAMES = 100
BROWSER_SECONDS = 15.0


def server_frame_times(frames: int = FRAMES) -> dict:
    settings = RunSettings(preset=PRESET, seed=7, overrides={"n_citizens": N_CITIZENS}, compare_with="")
    model = build_model(settings)
    charts = {key: CHARTS[key](model) for key in ("cohesion", "shares")}  # the charts always in view
    for _ in range(WARMUP_WEEKS):
        model.step()
    for chart in charts.values():
        chart.render(model)
    # wall time is what a viewer waits; CPU time is the cost itself, which other work on a
    # shared machine cannot inflate
    step_ms, step_cpu, chart_cpu, total_ms, total_cpu = [], [], {k: [] for k in charts}, [], []
    for _ in range(frames):
        t0, c0 = time.perf_counter(), time.process_time()
        model.step()
        step_ms.append((time.perf_counter() - t0) * 1000)
        step_cpu.append((time.process_time() - c0) * 1000)
        for key, chart in charts.items():
            k0 = time.process_time()
            chart.render(model)
            chart_cpu[key].append((time.process_time() - k0) * 1000)
        total_ms.append((time.perf_counter() - t0) * 1000)
        total_cpu.append((time.process_time() - c0) * 1000)
    return {
        "citizens": model.citizens.n,
        "frames": frames,
        "step_ms_mean": statistics.fmean(step_ms),
        "step_cpu_ms_mean": statistics.fmean(step_cpu),
        "charts_cpu_ms_mean": {k: statistics.fmean(v) for k, v in chart_cpu.items()},
        "frame_ms_mean": statistics.fmean(total_ms),
        "frame_ms_p95": sorted(total_ms)[int(0.95 * len(total_ms)) - 1],
        "frame_cpu_ms_mean": statistics.fmean(total_cpu),
    }


COUNT_CHANGES = """
() => {
  window.__frames = {images: 0, weeks: 0};
  const img = document.querySelector('.chart-cohesion img');
  new MutationObserver(() => { window.__frames.images += 1; })
    .observe(img, {attributes: true, attributeFilter: ['src']});
  const week = document.querySelector('.week-counter');
  new MutationObserver(() => { window.__frames.weeks += 1; })
    .observe(week, {childList: true, characterData: true, subtree: true});
}
"""


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def week_shown(page) -> int:
    return int(page.inner_text(".week-counter").split()[-1])


def browser_frames(seconds: float = BROWSER_SECONDS) -> dict:
    from playwright.sync_api import sync_playwright

    from anomie.dashboard.launch import block_external, launch_chromium, running_server_process

    with running_server_process() as (url, server), sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            external = block_external(page)
            page.goto(url)
            page.wait_for_selector(".week-counter", timeout=60_000)
            page.wait_for_selector(".chart-cohesion img", timeout=60_000)
            page.click(".play-button")
            page.wait_for_timeout(2000)  # past the first frames
            page.evaluate(COUNT_CHANGES)
            start_week = week_shown(page)
            cpu0, t0 = process_cpu_seconds(server.pid), time.monotonic()
            page.wait_for_timeout(seconds * 1000)
            counts = page.evaluate("window.__frames")
            cpu1, elapsed = process_cpu_seconds(server.pid), time.monotonic() - t0
            end_week = week_shown(page)
            page.click(".play-button")
            return {
                "seconds": elapsed,
                "weeks_played": end_week - start_week,
                "weeks_per_s": (end_week - start_week) / elapsed,
                "chart_frames_per_s": counts["images"] / elapsed,
                "counter_updates_per_s": counts["weeks"] / elapsed,
                # the server's CPU per frame, and the share of a CPU it got: on a busy machine
                # frames/s is about share / CPU per frame
                "server_cpu_ms_per_frame": (cpu1 - cpu0) * 1000 / max(counts["images"], 1),
                "server_cpu_share": (cpu1 - cpu0) / elapsed,
                "external_requests": len(external),
            }
        finally:
            browser.close()


def first_chart_seconds() -> dict:
    """Seconds from starting a server to the first chart on screen, as a lecturer opening the page sees it."""
    from playwright.sync_api import sync_playwright

    from anomie.dashboard.launch import block_external, launch_chromium, running_server

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            start = time.monotonic()
            with running_server() as url:
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                external = block_external(page)
                page.goto(url)
                page.wait_for_selector(".chart-cohesion img", timeout=120_000)
                elapsed = time.monotonic() - start
                page.click(".scenario-picker .v-select__slot")
                t = time.monotonic()
                page.click(".menuable__content__active .v-list-item:has-text('Migration')")
                page.wait_for_selector(".lesson:has-text('Over half a year newcomers arrive')", timeout=60_000)
                switch = time.monotonic() - t
                page.close()
            return {"seconds": elapsed, "preset_switch_seconds": switch, "external_requests": len(external)}
        finally:
            browser.close()


def run() -> dict:
    load_before = os.getloadavg()[0]
    figures = {"server": server_frame_times(), "browser": browser_frames(), "first_chart": first_chart_seconds()}
    # other work on the machine slows both measurements; the load says how much there was
    figures["load_average_1min"] = {"before": load_before, "after": os.getloadavg()[0], "cpus": os.cpu_count()}
    return figures


def main() -> None:
    figures = run()
    json.dump(figures, sys.stdout, indent=2)
    print()
    fps = figures["browser"]["chart_frames_per_s"]
    frame, cpu = figures["server"]["frame_ms_mean"], figures["server"]["frame_cpu_ms_mean"]
    load = figures["load_average_1min"]["before"]
    per_frame = figures["browser"]["server_cpu_ms_per_frame"]
    print(f"browser: {fps:.1f} chart frames/s (target >= 5), server CPU {per_frame:.0f} ms per browser frame; "
          f"in process: frame {frame:.0f} ms wall, {cpu:.0f} ms CPU (target < 100); "
          f"first chart {figures['first_chart']['seconds']:.1f} s after launch (target <= 5), preset switch "
          f"{figures['first_chart']['preset_switch_seconds']:.2f} s (target <= 1); "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

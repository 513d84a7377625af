"""The charts: every one draws a PNG for a fresh model and after steps, and shows what it claims."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from anomie.dashboard.charts import (CHARTS, EXPORT_DPI, CohesionChart, DifferenceChart, PlaneChart, available_charts, crisis_rate,
                              nice_ceiling, zoomed_limits)
from anomie.dashboard.layout import MAX_DRAWN, force_layout, layout_for
from anomie.dashboard.session import NO_SOCIAL_WORK, RunSettings, build_model
from anomie.model.typology import DurkheimState

PNG = b"\x89PNG\r\n\x1a\n"


def small(preset="industrial_revolution", n=200, **kw):
    return build_model(RunSettings(preset=preset, seed=7, overrides={"n_citizens": n}, **kw))


def chart_for(model, key):
    return CHARTS[key](model)


def drawable(key):
    """A model on which the chart has something to draw (the difference needs a comparison)."""
    return small(compare_with=NO_SOCIAL_WORK) if key == "difference" else small()


ALWAYS = [k for k in CHARTS if k not in ("groups", "sectors", "spread")]  # those need the new metrics


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


@pytest.mark.parametrize("key", ALWAYS)
def test_chart_draws_fresh_and_changes_after_steps(key):
    m = drawable(key)
    chart = chart_for(m, key)
    first = chart.render(m)
    assert first.startswith(PNG)
    for _ in range(70):  # into industrialisation: states shift, clients come and go
        m.week()
    later = chart.render(m)
    assert later.startswith(PNG)
    assert pixels(first).shape == pixels(later).shape
    assert not np.array_equal(pixels(first), pixels(later))  # the moving parts moved


@pytest.mark.parametrize("key", ALWAYS)
def test_export_is_a_print_resolution_png(key):
    m = drawable(key)
    chart = chart_for(m, key)
    screen = pixels(chart.render(m))
    exported = pixels(chart.export(m))
    assert EXPORT_DPI >= 300 and exported.shape[0] == round(chart.fig.get_figheight() * EXPORT_DPI)
    assert exported.shape[0] > screen.shape[0]
    # and the live frame still draws after an export (the background is rebuilt)
    assert pixels(chart.render(m)).shape == screen.shape


@pytest.mark.parametrize("key", ["cohesion", "shares", "crises", "solidarity", "social_work"])
def test_every_time_chart_draws_the_comparison_dashed_only_in_compare_mode(key):
    m = small(compare_with=NO_SOCIAL_WORK)
    for _ in range(5):
        m.week()
    both = chart_for(m, key)
    both.render(m)
    assert both.curves() == 2 * len(both.lines)
    for name, (mine, other, _) in both.lines.items():
        assert other.get_linestyle() == "--" and mine.get_linestyle() == "-"
        assert other.get_color() == mine.get_color()
        assert list(other.get_ydata()) == list(both.values(m.counterpart, name))
    alone_model = small()
    alone = chart_for(alone_model, key)
    alone.render(alone_model)
    assert alone.curves() == len(alone.lines)


def test_cohesion_axis_zooms_so_that_a_small_difference_shows():
    lo, hi = zoomed_limits([np.array([0.66, 0.68]), np.array([0.67, 0.69])])
    assert hi - lo <= 0.15 and lo <= 0.66 and hi >= 0.69


def test_shocks_are_marked_in_neutral_grey_with_their_names():
    from anomie.dashboard.texts import SHOCK_GREY, STATE_COLOURS

    m = small("crash")
    chart = CohesionChart(m)
    shock = m.spec.shocks[0]
    starts = {line.get_xdata()[0] for line in chart.ax.get_lines() if line.get_color() == SHOCK_GREY}
    assert shock.start in starts
    assert any("Economic crash" in label for label in chart.shock_labels)
    assert any(t.get_text().strip() == shock.label.lower() for t in chart.ax.texts)
    assert SHOCK_GREY not in STATE_COLOURS.values()


def test_crisis_rate_is_per_thousand_a_year_over_a_quarter():
    m = small("crash")
    for _ in range(30):
        m.week()
    crises = np.asarray(m.datacollector.model_vars["crises"], dtype=float)
    n = np.asarray(m.datacollector.model_vars["n_citizens"], dtype=float)
    rate = crisis_rate(m)
    want = (crises[-13:] / n[-13:]).mean() * 1000 * 52
    assert rate[-1] == pytest.approx(want)


def test_difference_chart_draws_this_run_minus_the_comparison_and_a_band():
    m = small(compare_with=NO_SOCIAL_WORK)
    for _ in range(10):
        m.week()
    chart = DifferenceChart(m)
    chart.render(m)
    a = np.asarray(m.datacollector.model_vars["cohesion"])
    b = np.asarray(m.counterpart.datacollector.model_vars["cohesion"])
    assert np.allclose(chart.lines["difference"][0].get_ydata(), a - b)
    chart.set_band(np.vstack([a - b - 0.01, a - b + 0.01]), seeds=4, citizens=300)
    chart.render(m)
    assert chart.band is not None and "4 seeds, 300 citizens" in chart.band_note.get_text()


def with_new_metrics(m):
    """The model's metric table with the columns the rebuilt model adds (sectors, groups, quantiles), filled in."""
    n = len(m.datacollector.model_vars["cohesion"])
    rng = np.random.default_rng(0)
    extra = {"occupational_groups": rng.integers(0, 9, n), "occupational_group_members": rng.integers(0, 90, n)}
    for axis in ("integration", "regulation"):
        extra.update({f"{axis}_q10": np.full(n, 0.2), f"{axis}_q50": np.full(n, 0.5), f"{axis}_q90": np.full(n, 0.8)})
    for sector in ("agriculture", "industry", "trade", "liberal_professions"):
        extra[f"crisis_rate_{sector}"] = rng.uniform(0, 20, n)
        extra[f"mean_regulation_{sector}"] = rng.uniform(0.3, 0.7, n)
    for key, values in extra.items():
        m.datacollector.model_vars[key] = list(values)
    return extra


def test_new_metric_charts_appear_when_the_columns_exist():
    m = small()
    for _ in range(5):
        m.week()
    if "occupational_groups" not in m.datacollector.model_vars:  # a model without the new metrics
        assert not {"groups", "sectors", "spread"} & set(available_charts(m))
    extra = with_new_metrics(m)
    assert {"groups", "sectors", "spread"} <= set(available_charts(m))
    groups = chart_for(m, "groups")
    assert groups.render(m).startswith(PNG)
    assert np.allclose(groups.lines["group_members_share"][0].get_ydata(),
                       extra["occupational_group_members"] / np.asarray(m.datacollector.model_vars["n_citizens"]))
    assert str(int(extra["occupational_groups"][-1])) in groups.heading.get_text()
    sectors = chart_for(m, "sectors")
    assert sectors.render(m).startswith(PNG) and len(sectors.lines) == 4
    crises = chart_for(m, "crises")
    out_of_work = "crisis_rate_out_of_work" in m.datacollector.model_vars  # the rebuilt model records it
    assert crises.render(m).startswith(PNG) and len(crises.lines) == 5 + out_of_work  # all, one line per sector
    rate = np.asarray(extra["crisis_rate_trade"], dtype=float)
    assert crises.lines["crisis_rate_trade"][0].get_ydata()[-1] == pytest.approx(rate[-13:].mean())
    spread = chart_for(m, "spread")
    assert spread.render(m).startswith(PNG)
    assert np.allclose(spread.lines["regulation_q50"][0].get_ydata(), 0.5)


def test_sector_charts_cope_with_a_sector_nobody_works_in():
    """A sector's metrics are empty (NaN) in weeks nobody works in it: the charts leave those
    weeks out instead of carrying the gap into every later average."""
    m = small()
    for _ in range(20):
        m.week()
    extra = with_new_metrics(m)
    gap = np.asarray(extra["crisis_rate_trade"], dtype=float)
    gap[5:8] = np.nan
    m.datacollector.model_vars["crisis_rate_trade"] = list(gap)
    m.datacollector.model_vars["mean_regulation_trade"] = [np.nan] * len(gap)
    crises = chart_for(m, "crises")
    assert crises.render(m).startswith(PNG)
    y = crises.lines["crisis_rate_trade"][0].get_ydata()
    assert np.isfinite(y).all() and y[-1] == pytest.approx(gap[-13:].mean())
    assert y[8] == pytest.approx(np.nanmean(gap[:9]))  # the empty weeks left out
    sectors = chart_for(m, "sectors")
    assert sectors.render(m).startswith(PNG)
    assert np.isnan(sectors.lines["mean_regulation_trade"][0].get_ydata()).all()


def test_group_and_sector_charts_appear_only_when_the_model_records_them():
    m = small()
    keys = available_charts(m)
    has_groups = "occupational_groups" in m.datacollector.model_vars
    assert ("groups" in keys) == has_groups
    assert "difference" not in keys and "difference" in available_charts(small(compare_with=NO_SOCIAL_WORK))


def test_plane_shows_every_citizen_in_its_state_colour_and_names_the_regions():
    m = small("baseline", n=300)
    chart = PlaneChart(m)
    chart.render(m)
    assert chart.dots.count() == 300
    for state, line in chart.dots.lines.items():
        mine = m.citizens.state == state
        assert np.allclose(line.get_xdata(), m.citizens.integration[mine])
        assert np.allclose(line.get_ydata(), m.citizens.regulation[mine])
    names = {t.get_text() for t in chart.ax.texts}
    assert {"egoism", "altruism", "anomie", "fatalism"} <= names
    # the thresholds drawn are the model's parameters
    p = m.params
    vlines = {line.get_xdata()[0] for line in chart.ax.get_lines() if line not in chart.dots.artists}
    assert {p.integration_low, p.integration_high} <= vlines


def test_network_layout_is_computed_once_and_extended_for_newcomers():
    m = small("migration", n=200)
    lay = layout_for(m)
    before = lay.pos.copy()
    chart = chart_for(m, "network")
    while m.citizens.n == 200:
        m.week()
        chart.render(m)
    assert layout_for(m) is lay  # the same layout object, not recomputed per frame
    assert np.array_equal(lay.pos[:200], before)  # old citizens stay where they were
    assert lay.pos.shape[0] == m.citizens.n  # newcomers are placed


def test_network_chart_shows_workers_and_their_clients():
    m = small("austerity", n=300)
    chart = chart_for(m, "network")
    while sum(w.caseload for w in m.social_workers) == 0:
        m.week()
    chart.render(m)
    clients = sum(w.caseload for w in m.social_workers)
    assert len(chart.rings.get_xdata()) == clients
    assert len(chart.workers.get_xdata()) == len(m.social_workers)


def test_large_societies_are_drawn_from_a_fixed_sample():
    m = build_model(RunSettings(preset="baseline", overrides={"n_citizens": MAX_DRAWN + 500}))
    lay = layout_for(m)
    assert lay.sampled and lay.rows.size == MAX_DRAWN
    chart = PlaneChart(m)
    chart.render(m)
    assert "a fixed sample" in chart.ax.get_title(loc="left")


def test_force_layout_is_deterministic_and_finite():
    u = np.arange(99)
    v = u + 1
    a = force_layout(u, v, 100, seed=1)
    assert np.array_equal(a, force_layout(u, v, 100, seed=1))
    assert np.isfinite(a).all()
    # tied people end up closer than the average pair
    tied = np.linalg.norm(a[u] - a[v], axis=1).mean()
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, 100, 500), rng.integers(0, 100, 500)
    assert tied < np.linalg.norm(a[i] - a[j], axis=1).mean()


def test_state_colours_cover_every_state():
    from anomie.dashboard.texts import STATE_COLOURS, STATE_LABELS

    assert set(STATE_COLOURS) == set(DurkheimState) == set(STATE_LABELS)


@pytest.mark.parametrize("x, want", [(0.3, 0.5), (1.0, 1.0), (7, 10), (11, 20), (0, 1.0)])
def test_nice_ceiling(x, want):
    assert nice_ceiling(x) == want

"""The social-work tab shows where social work acts (issue 11 item 8): matched comparisons and advocacy."""

from __future__ import annotations

import ipyvuetify as v
import numpy as np
import pytest
import solara

from anomie.dashboard.charts import (MIN_COHORT, WHERE_IT_ACTS, WhereSocialWorkActsChart, available_charts,
                                     trailing_mean)
from anomie.dashboard.panels import TABS, Dashboard
from anomie.dashboard.session import RunSettings, build_model
from anomie.dashboard.texts import EXPLAIN

PNG = b"\x89PNG\r\n\x1a\n"


def small(n=300, weeks=0):
    m = build_model(RunSettings(preset="industrial_revolution", seed=7, overrides={"n_citizens": n}))
    for _ in range(weeks):
        m.week()
    return m


def weekly(m, name):
    return np.asarray(m.datacollector.model_vars[name], dtype=float)


def test_the_chart_draws_clients_against_matched_non_clients_and_everyone():
    m = small(weeks=40)
    assert weekly(m, "cases_opened_total")[-1] >= MIN_COHORT  # clients enough to draw
    chart = WhereSocialWorkActsChart(m)
    assert chart.render(m).startswith(PNG)
    assert chart.curves() == len(WHERE_IT_ACTS)
    for name in ("anomie_clients", "anomie_matched"):
        y = chart.lines[name][0].get_ydata()
        shown = weekly(m, "cases_opened_total") >= MIN_COHORT
        assert np.isnan(y[~shown[:len(y)]]).all() and np.isfinite(y[-1])
        assert y[-1] == pytest.approx(np.mean(weekly(m, name)[shown][-13:]))  # the last quarter of counted weeks
        assert chart.lines[name][2].get_visible()
    everyone = chart.lines["share_anomie"][0].get_ydata()
    assert np.allclose(everyone, trailing_mean(weekly(m, "share_anomie")))
    # the lines are told apart by colour, and the end labels do not overlap
    colours = {chart.lines[name][0].get_color() for name, *_ in WHERE_IT_ACTS}
    assert len(colours) == len(WHERE_IT_ACTS)
    ys = sorted(t.get_position()[1] for _, _, t in chart.lines.values() if t.get_visible())
    lo, hi = chart.ax.get_ylim()
    assert all(b - a >= 0.07 * (hi - lo) for a, b in zip(ys, ys[1:]))


def test_a_cohort_too_small_is_left_out_not_drawn_as_no_anomie():
    """The model reports 0 for an empty cohort; drawn, that would read as "nobody anomic"."""
    m = small(weeks=20)
    n = len(weekly(m, "cohesion"))
    mv = m.datacollector.model_vars
    mv["matched_group_pairs"] = [0] * 8 + [MIN_COHORT - 1] * 4 + [MIN_COHORT] * (n - 12)
    mv["anomie_joiners"] = [0.0] * 12 + [0.5] * (n - 12)
    mv["anomie_matched_non_members"] = [0.0] * 12 + [0.75] * (n - 12)
    m.metrics["matched_group_pairs"] = MIN_COHORT
    chart = WhereSocialWorkActsChart(m)
    chart.render(m)
    joiners = chart.lines["anomie_joiners"][0].get_ydata()
    assert np.isnan(joiners[:12]).all() and np.allclose(joiners[12:], 0.5)
    assert np.allclose(chart.lines["anomie_matched_non_members"][0].get_ydata()[12:], 0.75)
    assert "joiners" not in chart.note.get_text()
    # while too few: no line, no end label, and the chart says why
    m.metrics["matched_group_pairs"] = MIN_COHORT - 1
    mv["matched_group_pairs"] = [MIN_COHORT - 1] * n
    chart.render(m)
    assert np.isnan(chart.lines["anomie_joiners"][0].get_ydata()).all()
    assert not chart.lines["anomie_joiners"][2].get_visible()
    assert "too few yet" in chart.note.get_text() and "joiners" in chart.note.get_text()


def test_the_chart_is_offered_only_when_the_model_records_the_comparisons():
    m = small()
    assert "social_work_effects" in available_charts(m)
    for name, *_ in WHERE_IT_ACTS:
        values = m.datacollector.model_vars.pop(name)
        assert not WhereSocialWorkActsChart.available(m) and "social_work_effects" not in available_charts(m)
        m.datacollector.model_vars[name] = values
    assert WhereSocialWorkActsChart.available(m)


def test_its_explanation_says_the_comparisons_are_observational():
    text = EXPLAIN["social_work_effects"]
    assert "Observational" in text and "matched" in text and "without social work" in text


@pytest.mark.usefixtures("kernel_ctx")
def test_the_numbers_row_shows_posts_and_what_advocacy_achieved():
    m = small(n=150, weeks=3)
    _, rc = solara.render(Dashboard(m), handle_error=False)
    rc.find(v.Tabs).widgets[0].v_model = [k for k, _ in TABS].index("social_work")
    m.metrics.update(jobs_found_total=17, benefits_secured_total=23, benefit_claimants=11, workers_in_post=0)
    m.redraw()
    shown = [c for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]
    for name in ("Posts filled", "Jobs found", "Benefits secured", "Claiming benefit now", "The service now",
                 "Advocacy so far"):
        assert name in shown
    def figure(key):
        return rc.find(v.Html, class_=f"figure-{key}").widgets[0].children[0]

    assert (figure("jobs-found"), figure("benefits-secured"), figure("claiming-benefit")) == ("17", "23", "11")
    assert figure("posts") == f"0 / {m.n_posts}" and m.n_posts > 0  # a vacancy shows as a post not filled
    assert "social_work_effects" in m.charts and EXPLAIN["social_work_effects"] in shown


def test_the_comparison_run_is_dashed_in_the_same_colour():
    from anomie.dashboard.session import NO_SOCIAL_WORK

    m = build_model(RunSettings(preset="industrial_revolution", seed=7, overrides={"n_citizens": 300},
                                compare_with=NO_SOCIAL_WORK))
    for _ in range(30):
        m.week()
    chart = WhereSocialWorkActsChart(m)
    chart.render(m)
    for name, (mine, other, _) in chart.lines.items():
        assert other.get_visible() and other.get_linestyle() == "--" and mine.get_linestyle() == "-"
        assert other.get_color() == mine.get_color()
        np.testing.assert_array_equal(other.get_ydata(), chart.values(m.counterpart, name))
    # without workers there are no clients: nothing drawn for them in the comparison, not a line at 0
    assert np.isnan(chart.lines["anomie_clients"][1].get_ydata()).all()
    assert np.isfinite(chart.lines["anomie_clients"][0].get_ydata()[-1])

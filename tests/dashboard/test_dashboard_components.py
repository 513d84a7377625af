"""Components rendered with solara.render: the page, its tabs, the play loop, shortcuts and lessons."""

from __future__ import annotations

import time
from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets
import pytest
import solara

import anomie.dashboard.app as app
from anomie.dashboard.lessons import durkheim_crisis_years, lesson_for, model_crisis_ratio
from anomie.dashboard.charts import available_charts
from anomie.dashboard.panels import TAB_CHARTS, TABS, Dashboard
from anomie.dashboard.player import Player
from anomie.dashboard.session import NO_SOCIAL_WORK, RunSettings, build_model
from anomie.dashboard.texts import EXPLAIN
from anomie.scenarios.loading import load_scenario, preset_names

pytestmark = pytest.mark.usefixtures("kernel_ctx")

SMALL = {"n_citizens": 150}


def texts(rc) -> list[str]:
    return [c for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]


def text_with_class(rc, cls: str) -> str:
    found = rc.find(v.Html, class_=cls).widgets
    assert found, f"no element with class {cls}"
    return found[0].children[0]


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def button(rc, cls: str) -> v.Btn:
    found = [w for w in rc.find(v.Btn).widgets if cls in (w.class_ or "").split()]
    assert found, f"no button with class {cls}"
    return found[0]


def page():
    """The page inside Solara's app layout, as the server shows it (the app bar lives in the layout)."""
    return solara.AppLayout(children=[app.Page()])


def open_tab(rc, key: str) -> None:
    tabs = rc.find(v.Tabs).widgets[0]
    tabs.v_model = [k for k, _ in TABS].index(key)


def test_dashboard_renders_a_fresh_model_with_the_two_main_charts():
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    assert text_with_class(rc, "week-counter") == "Week 0"
    assert f"of {m.spec.steps}" in text_with_class(rc, "run-info")
    pngs = images(rc)
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    assert {"cohesion", "shares"} <= set(m.charts)
    shown = " ".join(texts(rc))
    assert " ".join(m.spec.description.split())[:60] in shown  # the lesson tab is open first


@pytest.mark.parametrize("tab, charts", [("compare", ["difference"]), ("crises", ["crises"]),
                                         ("solidarity", ["solidarity"]), ("distribution", ["distribution"]),
                                         ("plane", ["plane", "network"]), ("social_work", ["social_work", "social_work_effects"]),
                                         ("groups", [])])
def test_each_tab_draws_its_charts_with_their_explanations(tab, charts):
    m = build_model(RunSettings(overrides=dict(SMALL), compare_with=NO_SOCIAL_WORK))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    open_tab(rc, tab)
    # the charts every model has, and those for metrics the model records (groups, sectors, quantiles)
    shown = [k for k in TAB_CHARTS[tab] if k in available_charts(m)]
    assert set(charts) <= set(shown)
    charts = shown
    assert len(images(rc)) == 2 + len(charts)
    shown = " ".join(texts(rc))
    for key in charts:
        assert key in m.charts and EXPLAIN[key] in shown
    # only the open tab's charts are redrawn each frame
    assert {k.removeprefix("chart-") for k in m.views if k.startswith("chart-")} == {"cohesion", "shares", *charts}


def test_a_crafted_tab_index_is_ignored():
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    tabs = rc.find(v.Tabs).widgets[0]
    for crafted in (99, -1, "/etc/passwd", None, True):
        tabs.v_model = crafted
    assert len(images(rc)) == 2  # still the lesson tab, and the page still renders
    open_tab(rc, "crises")
    assert "crises" in m.charts


def test_dashboard_follows_the_model_after_weeks():
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    before = images(rc)
    for _ in range(60):
        m.week()
    m.redraw()  # what the play loop and the Step button do
    assert text_with_class(rc, "week-counter") == "Week 60"
    assert all(a != b for a, b in zip(before, images(rc)))


def test_dashboard_shows_a_model_error_in_the_page(monkeypatch):
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)

    def broken(*_):
        raise ValueError("negative ties")

    monkeypatch.setattr(m, "citizens_week", broken)
    m.week()
    m.redraw()
    errors = [w for w in rc.find(v.Alert).widgets if w.type == "error"]
    assert errors and "negative ties" in str(errors[0].children)


def test_compare_tab_states_what_differs():
    m = build_model(RunSettings(overrides=dict(SMALL), compare_with=NO_SOCIAL_WORK))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    open_tab(rc, "compare")
    for _ in range(5):
        m.week()
    m.redraw()
    sentence = text_with_class(rc, "compare-summary")
    assert "only in social work" in sentence and "Over 5 weeks" in sentence


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_page_has_no_mesa_leftovers_and_named_buttons(monkeypatch):
    monkeypatch.setattr(app, "build_model", lambda s: build_model(s.copy(overrides={**s.overrides, **SMALL})))
    _, rc = solara.render(page(), handle_error=False)
    shown = " ".join(texts(rc))
    for leftover in ("Model Parameters", "Use Threads", "Information"):
        assert leftover not in shown
    for cls in ("play-button", "step-button", "reset-button", "present-button", "extend-button", "theme-button"):
        name = button(rc, cls).attributes.get("aria-label", "")
        assert len(name) > 4
    speed = [w for w in rc.find(v.Select).widgets if "speed-select" in (w.class_ or "")][0]
    assert all("weeks/s" in i["text"] or i["text"] == "fastest" for i in speed.items)


def test_step_play_pause_reset_and_shortcuts(monkeypatch):
    monkeypatch.setattr(app, "build_model", lambda s: build_model(s.copy(overrides={**s.overrides, **SMALL})))
    _, rc = solara.render(page(), handle_error=False)
    button(rc, "step-button").click()
    assert text_with_class(rc, "week-counter") == "Week 1"
    keys = rc.find(app.Shortcuts).widgets[0]
    keys.vue_shortcut("step")
    assert text_with_class(rc, "week-counter") == "Week 2"
    keys.vue_shortcut("/etc/passwd")  # an unknown action from the page is ignored
    keys.vue_shortcut("play")
    wait_for(lambda: int(text_with_class(rc, "week-counter").split()[-1]) >= 5)
    keys.vue_shortcut("play")  # space again: pause
    paused = int(text_with_class(rc, "week-counter").split()[-1])
    time.sleep(0.6)
    assert int(text_with_class(rc, "week-counter").split()[-1]) == paused
    keys.vue_shortcut("reset")
    wait_for(lambda: text_with_class(rc, "week-counter") == "Week 0")
    wait_for(lambda: not rc.find(v.ProgressCircular, class_="busy-indicator").widgets)  # the rebuild has ended


def test_a_run_stops_at_the_scenarios_length():
    m = build_model(RunSettings(preset="baseline", overrides=dict(SMALL)).copy())
    m.settings = m.settings.copy(extra_weeks=0)
    for _ in range(m.last_week - 3):
        m.week()
    player = Player()
    player.speed = 0
    stopped = []
    player.play(m, lambda: stopped.append(True))
    wait_for(lambda: stopped)
    assert m.steps == m.last_week and m.at_end()


def test_two_tabs_have_their_own_models(make_context, monkeypatch):
    created = []

    def recording_build(settings):
        created.append(build_model(settings.copy(overrides={**settings.overrides, **SMALL})))
        return created[-1]

    monkeypatch.setattr(app, "build_model", recording_build)
    tab_a, tab_b = make_context("tab-a"), make_context("tab-b")
    with tab_a:
        _, rc_a = solara.render(page(), handle_error=False)
    with tab_b:
        _, rc_b = solara.render(page(), handle_error=False)
    assert len(created) == 2 and created[0] is not created[1]
    with tab_a:
        button(rc_a, "step-button").click()
        assert text_with_class(rc_a, "week-counter") == "Week 1"
    with tab_b:
        assert text_with_class(rc_b, "week-counter") == "Week 0"


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_has_a_full_lesson(name):
    spec = load_scenario(name)
    lesson = lesson_for(spec)
    assert lesson.shows and lesson.how and lesson.notice and lesson.tries and lesson.questions
    assert " ".join(spec.description.split())[:40] in lesson.shows
    for shock in spec.shocks:
        assert any(shock.label in line for line in lesson.how)


def test_a_scenarios_claims_become_the_things_to_notice():
    spec = load_scenario("crash")
    with_claims = SimpleNamespace(**{k: getattr(spec, k) for k in ("title", "description", "shocks", "parameters")},
                                  claims=[{"text": "Crises rise in the year after the crash."}, "Anomie peaks."])
    lesson = lesson_for(with_claims)
    assert lesson.claims_tested and lesson.notice == ("Crises rise in the year after the crash.", "Anomie peaks.")


def test_durkheims_crisis_years_are_read_with_their_ratios():
    years = durkheim_crisis_years()
    paris = [y for y in years if "1882" in y.event][0]
    assert paris.ratio == pytest.approx(7213 / 6741)
    assert model_crisis_ratio([1] * 200, [100] * 200, start=60) == pytest.approx(1.0)
    assert model_crisis_ratio([1] * 80, [100] * 80, start=60) is None  # a year after has not passed

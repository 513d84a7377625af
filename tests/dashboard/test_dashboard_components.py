"""Components rendered with solara.render: fresh and after steps; controls change the model."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from mesa.visualization.utils import force_update

import dashboard.app as app
from dashboard.charts import CHARTS
from dashboard.controls import Controls
from dashboard.panels import Dashboard
from dashboard.session import NO_SOCIAL_WORK, RunSettings, build_model
from dashboard.texts import CRISIS_NOTE, EXPLAIN
from model.parameters import PARAMETER_BY_NAME, PARAMETERS

pytestmark = pytest.mark.usefixtures("kernel_ctx")

SMALL = {"n_citizens": 150}


def texts(rc) -> list[str]:
    return [c for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]


def text_with_class(rc, cls: str) -> str:
    found = [w for w in rc.find(v.Html).widgets if cls in (w.class_ or "").split()]
    assert found, f"no element with class {cls}"
    return found[0].children[0]


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def test_dashboard_renders_a_fresh_model():
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    assert text_with_class(rc, "week-counter") == "Week 0"
    pngs = images(rc)
    assert len(pngs) == len(CHARTS) and all(p.startswith(b"\x89PNG") for p in pngs)
    shown = " ".join(texts(rc))
    for key in CHARTS:
        assert EXPLAIN[key] in shown  # every chart has its explanation beside it
    assert CRISIS_NOTE in shown
    assert m.spec.title in shown


def test_dashboard_follows_the_model_after_steps():
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    before = images(rc)
    for _ in range(3):
        m.step()
        force_update()  # what SolaraViz's play loop and Step button do after a week
    assert text_with_class(rc, "week-counter") == "Week 3"
    for _ in range(67):  # into industrialisation, where every chart has something to show
        m.step()
    force_update()
    after = images(rc)
    unchanged = [key for key, a, b in zip(CHARTS, before, after) if a == b]
    assert not unchanged


def test_dashboard_shows_a_model_error_in_the_page(monkeypatch):
    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)

    def broken(*_):
        raise ValueError("negative ties")

    monkeypatch.setattr(m, "update_citizens", broken)
    m.step()
    force_update()
    errors = [w for w in rc.find(v.Alert).widgets if w.type == "error"]
    assert errors and "negative ties" in str(errors[0].children)


def test_compare_mode_draws_a_sentence_under_the_cohesion_chart():
    m = build_model(RunSettings(overrides=dict(SMALL), compare_with=NO_SOCIAL_WORK))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    for _ in range(4):
        m.step()
        force_update()
    sentence = text_with_class(rc, "compare-summary")
    assert "4 weeks" in sentence and "same run without social work" in sentence


class ControlsHarness:
    """The sidebar controls on a reactive model, as the Page wires them."""

    def __init__(self, **settings):
        self.settings = RunSettings(**{"overrides": dict(SMALL), **settings})
        self.model = solara.reactive(build_model(self.settings))
        self.problem = solara.reactive("")
        self.compare = solara.reactive(self.settings.compare_with)
        _, self.rc = solara.render(Controls(self.settings, self.model, self.problem, self.compare),
                                   handle_error=False)

    def slider(self, name: str):
        p = PARAMETER_BY_NAME[name]
        return self.rc.find(v.Slider, label=f"{p.title} ({p.scale})").widget


def test_every_parameter_has_a_control_with_its_meaning():
    h = ControlsHarness()
    shown = texts(h.rc)
    for p in PARAMETERS:
        assert p.meaning in shown, p.name
    groups = [w.children[0] for w in h.rc.find(v.ExpansionPanelHeader).widgets]
    assert [g.split(" (")[0] for g in groups] == ["Society", "Shocks", "Social work", "Occupational groups"]


def test_a_slider_changes_the_models_parameter_and_restarts_the_run():
    h = ControlsHarness()
    h.model.value.step()
    h.slider("organic_share").v_model = 0.65
    assert h.model.value.params.organic_share == pytest.approx(0.65)
    assert h.model.value.steps == 0
    assert h.settings.overrides["organic_share"] == pytest.approx(0.65)


def test_an_integer_slider_gives_an_integer_parameter():
    h = ControlsHarness()
    h.slider("caseload_limit").v_model = 20
    assert h.model.value.params.caseload_limit == 20


def test_a_clashing_value_is_refused_with_a_message():
    h = ControlsHarness()
    before = h.model.value
    h.slider("integration_low").v_model = 0.95
    assert h.model.value is before
    assert "integration_low must be below integration_high" in h.problem.value
    warnings = [w for w in h.rc.find(v.Alert).widgets if w.type == "warning"]
    assert warnings


def test_choosing_a_scenario_resets_the_model_to_it():
    h = ControlsHarness()
    h.model.value.step()
    picker = h.rc.find(v.Select, class_="scenario-picker").widget
    assert {item["value"] for item in picker.items} >= {"baseline", "crash", "industrial_revolution"}
    picker.v_model = "crash"
    assert h.model.value.spec.title == "Economic crash"
    assert h.model.value.steps == 0
    assert h.settings.preset == "crash"


def test_the_seed_field_changes_the_seed():
    h = ControlsHarness()
    field = h.rc.find(v.TextField, label="Seed (same seed, same run)").widget
    field.v_model = "42"
    field.fire_event("focusout")
    assert h.model.value.settings.seed == 42


def test_the_compare_picker_starts_a_comparison_run():
    h = ControlsHarness()
    picker = h.rc.find(v.Select, class_="compare-picker").widget
    picker.v_model = NO_SOCIAL_WORK
    assert h.compare.value == NO_SOCIAL_WORK  # the page redraws the cohesion panel from this
    assert h.model.value.counterpart is not None
    assert h.model.value.counterpart.params.n_social_workers == 0


def test_two_tabs_have_their_own_models(make_context, monkeypatch):
    """Each tab is its own kernel context with its own Page, settings and model."""
    created = []

    def recording_build(settings):
        settings.overrides.update(SMALL)  # a small society keeps the test quick
        created.append(build_model(settings))
        return created[-1]

    monkeypatch.setattr(app, "build_model", recording_build)
    tab_a, tab_b = make_context("tab-a"), make_context("tab-b")
    with tab_a:
        _, rc_a = solara.render(app.Page(), handle_error=False)
    with tab_b:
        _, rc_b = solara.render(app.Page(), handle_error=False)
    assert len(created) == 2 and created[0] is not created[1]
    model_a, model_b = created
    with tab_a:
        model_a.step()
        force_update()
        assert text_with_class(rc_a, "week-counter") == "Week 1"
    with tab_b:
        assert text_with_class(rc_b, "week-counter") == "Week 0"
    assert model_b.steps == 0


def test_weeks_wait_only_for_frames_that_were_asked_for():
    """Frame pacing: several weeks per frame (Render Interval) never wait; a new frame waits until drawn."""
    from mesa.visualization.utils import update_counter

    m = build_model(RunSettings(overrides=dict(SMALL)))
    _, rc = solara.render(Dashboard(m), handle_error=False)
    asked = update_counter.peek()
    assert not m.frame_pending(asked)  # every chart drew the current frame
    for _ in range(3):
        m.step()  # weeks without a new frame request
    assert not m.frame_pending(update_counter.peek())
    assert m.frame_pending(asked + 1)  # a frame asked for but not yet drawn
    force_update()
    assert not m.frame_pending(asked + 1)

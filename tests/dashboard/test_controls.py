"""Each control's round trip: a user's change reaches the run exactly; rendering applies nothing.

Vuetify sliders round a value to their step grid when they render (a known trap of
Vuetify). Here the server side is driven as the browser would: a control's widget gets the
`change` event a user's edit sends, or a render happens with no event at all.
"""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara

from anomie.dashboard.controls import Controls, format_value, on_grid, slider_step
from anomie.dashboard.session import NO_SOCIAL_WORK, ONE_PARAMETER, RunSettings, build_model
from anomie.model.parameters import PARAMETER_BY_NAME, PARAMETERS, Parameters
from anomie.scenarios.run import simulate

pytestmark = pytest.mark.usefixtures("kernel_ctx")

SMALL = {"n_citizens": 120}


def render_controls(settings, open_groups: bool = True):
    applied: list[RunSettings] = []
    _, rc = solara.render(Controls(settings, applied.append), handle_error=False)
    if open_groups:
        open_every_group(rc)
    return rc, applied


def open_every_group(rc) -> None:
    """Open each folded group as a user would (a group makes its controls when opened)."""
    for _ in range(10):
        closed = [w for w in rc.find(v.ExpansionPanels).widgets if w.v_model is None]
        if not closed:
            return
        closed[0].v_model = 0


def widget_with_class(rc, cls: str, kind=v.VuetifyWidget):
    found = [w for w in rc.find(kind).widgets if cls in (w.class_ or "").split()]
    assert found, f"no widget with class {cls}"
    return found[0]


def errors(rc) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html).widgets if "field-error" in (w.class_ or "").split()]


def test_rendering_every_group_applies_nothing_and_shows_the_presets_values_exactly():
    settings = RunSettings(preset="industrial_revolution", overrides=dict(SMALL))
    rc, applied = render_controls(settings)  # every group opened, as a user would
    values = settings.values()
    for p in PARAMETERS:
        if p.choices is None:
            field = widget_with_class(rc, f"field-{p.name}", v.TextField)
            assert field.v_model == format_value(values[p.name])  # no snapping, no float noise
    assert applied == []  # nothing was applied without a user's edit


def another_value(p, now, values=None):
    """A valid value other than the current one: a quarter of the way to the top of the range (or
    one more); down instead where going up would break an ordering (regulation_low below its centre)."""
    if isinstance(p.default, int):
        up, down = now + 1, now - 1
    else:
        up, down = round(now + (p.high - now) * 0.25, 4), round(now - (now - p.low) * 0.25, 4) if now > p.low else now
    if now >= p.high:
        return down if isinstance(p.default, int) else round(now - 0.01, 4)
    if values is not None:
        try:
            Parameters(**{**values, p.name: up})
        except ValueError:
            return down
    return up


# thresholds with a partner they must stay on one side of (the refusal path) and the size
# (the one field without SMALL's override)
QUICK_ROUND_TRIPS = {"n_citizens", "integration_low", "integration_high", "regulation_low", "regulation_high"}


def round_trip_cases(params) -> list:
    """Every parameter's round trip; the quick tier (`make check`) keeps the first parameter of
    each group and QUICK_ROUND_TRIPS, the full tier all."""
    assert QUICK_ROUND_TRIPS <= PARAMETER_BY_NAME.keys()  # a renamed threshold must not drop out silently
    first_of_group: dict[str, str] = {}
    for p in params:
        first_of_group.setdefault(p.group, p.name)
    quick = QUICK_ROUND_TRIPS | set(first_of_group.values())
    return [pytest.param(p, id=p.name, marks=() if p.name in quick else pytest.mark.slow) for p in params]


@pytest.mark.parametrize("p", round_trip_cases([p for p in PARAMETERS if p.choices is None]))
def test_number_field_round_trip(p):
    settings = RunSettings(preset="baseline", overrides=dict(SMALL) if p.name != "n_citizens" else {})
    rc, applied = render_controls(settings)
    field = widget_with_class(rc, f"field-{p.name}", v.TextField)
    target = another_value(p, settings.values()[p.name], settings.scenario().parameters.model_dump())
    field.fire_event("change", format_value(target))
    assert len(applied) == 1, errors(rc)
    assert applied[-1].values()[p.name] == target
    assert applied[-1].scenario().parameters.model_dump()[p.name] == target


@pytest.mark.parametrize("p", round_trip_cases([p for p in PARAMETERS if p.choices is None and not
                                                 (isinstance(p.default, int) and p.high - p.low > 200)]))
def test_slider_round_trip_on_release(p):
    settings = RunSettings(preset="baseline", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    slider = widget_with_class(rc, f"slider-{p.name}", v.Slider)
    step = slider_step(p)
    # the browser sends the grid value with float noise, e.g. 0.30150000000000005
    k = 3 if on_grid(p.low + 3 * step, step) != settings.values()[p.name] else 4  # a value other than the current
    noisy = p.low + k * step + (step * 1e-9 if not isinstance(p.default, int) else 0)
    slider.v_model = noisy  # the slider's own echo of a rendered value is not an edit
    assert applied == []
    slider.fire_event("change", noisy)
    want = on_grid(noisy, step)
    if applied:
        assert applied[-1].values()[p.name] == pytest.approx(want, abs=0) or applied[-1].values()[p.name] == want
        assert repr(applied[-1].values()[p.name]) == repr(type(p.default)(want))
    else:  # a threshold past its partner: refused with a message
        assert errors(rc)


@pytest.mark.parametrize("typed, message", [("abc", "please enter a number"), ("nan", "ordinary number"),
                                            ("7", "between 0 and 1"), ("/etc/passwd", "please enter a number")])
def test_bad_value_is_refused_beside_the_field_and_the_field_reset(typed, message):
    settings = RunSettings(preset="baseline", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    field = widget_with_class(rc, "field-organic_share", v.TextField)
    field.fire_event("change", typed)
    assert applied == []
    assert any(message in e for e in errors(rc))
    assert field.v_model == format_value(settings.values()["organic_share"])


def test_a_slider_released_where_it_was_restarts_nothing():
    settings = RunSettings(preset="baseline", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    widget_with_class(rc, "slider-organic_share", v.Slider).fire_event("change", settings.values()["organic_share"])
    widget_with_class(rc, "field-organic_share", v.TextField).fire_event(
        "change", format_value(settings.values()["organic_share"]))
    assert applied == []


def test_whole_numbers_stay_whole():
    rc, applied = render_controls(RunSettings(preset="baseline", overrides=dict(SMALL)))
    widget_with_class(rc, "field-n_roles", v.TextField).fire_event("change", "2.5")
    assert applied == [] and any("whole number" in e for e in errors(rc))


def test_network_choice_round_trip_and_unknown_choice_refused():
    rc, applied = render_controls(RunSettings(preset="baseline", overrides=dict(SMALL)))
    select = widget_with_class(rc, "choice-network", v.Select)
    select.fire_event("change", "erdos_renyi")
    assert applied[-1].values()["network"] == "erdos_renyi"
    select.fire_event("change", "../../etc/passwd")
    assert len(applied) == 1 and errors(rc)


def test_preset_picker_accepts_only_preset_names():
    settings = RunSettings(preset="baseline", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    picker = widget_with_class(rc, "scenario-picker", v.Select)
    for crafted in ("/etc/passwd", "../scenarios/presets/crash", "crash.toml", "/work/main/pyproject.toml", 3):
        picker.fire_event("change", crafted)
    assert applied == []
    assert picker.v_model == "baseline"
    picker.fire_event("change", "crash")
    assert applied[-1].preset == "crash" and applied[-1].overrides == {}


def test_compare_picker_accepts_only_listed_choices():
    settings = RunSettings(preset="baseline", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    picker = widget_with_class(rc, "compare-picker", v.Select)
    for crafted in ("/etc/passwd", "preset:/etc/passwd", "preset:baseline", "preset:../x"):
        picker.fire_event("change", crafted)
    assert applied == []
    picker.fire_event("change", NO_SOCIAL_WORK)
    assert applied[-1].compare_with == NO_SOCIAL_WORK
    picker.fire_event("change", "preset:crash")
    assert applied[-1].compare_with == "preset:crash"


def test_compare_with_one_parameter_changed():
    settings = RunSettings(preset="migration", overrides=dict(SMALL), compare_with=ONE_PARAMETER,
                           compare_parameter=("organic_share", 0.8))
    rc, applied = render_controls(settings)
    field = widget_with_class(rc, "compare-value", v.TextField)
    field.fire_event("change", "0.1")
    assert applied[-1].compare_parameter == ("organic_share", 0.1)
    m = build_model(applied[-1])
    assert m.params.organic_share == settings.values()["organic_share"]
    assert m.counterpart.params.organic_share == 0.1


def test_seed_round_trip_and_refusals():
    rc, applied = render_controls(RunSettings(preset="baseline", overrides=dict(SMALL)))
    field = widget_with_class(rc, "seed-field", v.TextField)
    for bad in ("-1", "1.5", "x", str(2**40)):
        field.fire_event("change", bad)
    assert applied == [] and field.v_model == "7"
    field.fire_event("change", "123")
    assert applied[-1].seed == 123


def test_shock_timeline_edit_add_remove():
    settings = RunSettings(preset="crash", overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    start = settings.scenario().shocks[0].start
    widget_with_class(rc, "shock-start", v.TextField).fire_event("change", str(start + 10))
    assert applied[-1].scenario().shocks[0].start == start + 10
    widget_with_class(rc, "shock-magnitude", v.TextField).fire_event("change", "0.45")
    assert applied[-1].scenario().shocks[0].magnitude == 0.45
    widget_with_class(rc, "shock-ramp", v.TextField).fire_event("change", "3")
    assert applied[-1].scenario().shocks[0].ramp == 3
    widget_with_class(rc, "shock-duration", v.TextField).fire_event("change", "40")
    assert applied[-1].scenario().shocks[0].duration == 40
    widget_with_class(rc, "shock-start", v.TextField).fire_event("change", "0")  # weeks count from 1
    assert len(applied) == 4 and errors(rc)
    add = [w for w in rc.find(v.Btn).widgets if "add-shock" in (w.class_ or "")][0]
    add.click()
    assert len(applied[-1].scenario().shocks) == len(settings.scenario().shocks) + 1
    remove = [w for w in rc.find(v.Btn).widgets if "remove-shock" in (w.class_ or "")][0]
    remove.click()
    assert len(applied[-1].scenario().shocks) == len(settings.scenario().shocks) - 1


def test_open_every_group_and_step_gives_the_clis_csv():
    """The no-drift check: a run shown after opening every control equals `anomie run`'s, byte for byte."""
    settings = RunSettings(preset="industrial_revolution", seed=3, overrides=dict(SMALL))
    rc, applied = render_controls(settings)
    for slider in rc.find(v.Slider).widgets:
        slider.v_model = on_grid(float(slider.v_model) * 0.99, 0.001)  # what a snapping slider would echo
    assert applied == []
    m = build_model(settings)
    for _ in range(25):
        m.week()
    df, _ = simulate("industrial_revolution", seed=3, steps=25, overrides=dict(SMALL))
    assert m.csv() == df.to_csv(float_format="%.10g").encode()


def test_folded_groups_make_no_controls_until_opened():
    rc, applied = render_controls(RunSettings(preset="baseline", overrides=dict(SMALL)), open_groups=False)
    shown = {w.class_ for w in rc.find(v.TextField).widgets}
    assert "number-field field-organic_share" in shown  # the key parameters are open
    assert "number-field field-casework_hours" not in shown  # social work is folded
    open_every_group(rc)
    assert "number-field field-casework_hours" in {w.class_ for w in rc.find(v.TextField).widgets}
    assert applied == []


def test_format_value_is_exact():
    assert format_value(0.5) == "0.5" and format_value(36.0) == "36.0" and format_value(0.005) == "0.005"
    assert float(format_value(0.1 + 0.2)) == 0.1 + 0.2
    assert all(slider_step(p) > 0 for p in PARAMETERS if p.choices is None)
    assert PARAMETER_BY_NAME

"""The sidebar: scenario, seed, comparison, the parameter table and the shock timeline as controls.

Faithful controls (a known trap of Solara and Vuetify): Vuetify sliders round a value to their step
grid when they render, so nothing here listens to a control's value. A change is applied
only on a user's `change` event (a slider released or moved with the keys, a number field
left or confirmed with Enter, a list item picked). A value shown is the value in use,
exactly as the preset or the user gave it; a slider's grid is used only while dragging.

Every value from the page is checked on the server (session.validate_*): an unknown
preset, a path, a value out of range or of the wrong type is refused with a message in
plain words beside the field, and the field goes back to the value in use.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from solara import v
import solara

from anomie.model.parameters import GROUPS, PARAMETER_BY_NAME, PARAMETERS, Parameter
from anomie.scenarios.loading import load_scenario, preset_names
from anomie.scenarios.schema import InputError
from anomie.scenarios.shocks import SHOCK_KINDS

from .session import (
    ONE_PARAMETER,
    RunSettings,
    add_shock,
    compare_choices,
    edit_shock,
    remove_shock,
    shock_bounds,
    validate_compare,
    validate_compare_parameter,
    validate_override,
    validate_preset,
    validate_seed,
)
from .texts import KEY_PARAMETERS, PARAMETER_NOTE

Apply = Callable[[RunSettings], None]
HELP_STYLE = "font-size: 0.85em; line-height: 1.3; margin: 2px 0 10px 0; opacity: 0.85"
ERROR_CLASS = "field-error"
ERROR_STYLE = "font-size: 0.9em; font-weight: 600"  # colour per theme: app.CSS
WIDE_RANGE = 200  # whole-number parameters with a wider range get a number field only


def format_value(value: Any) -> str:
    """A value as the user should read and type it: exact, no float noise added."""
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else f"{value:.1f}"
    return str(value)


def slider_step(p: Parameter) -> float:
    """A round step of about a hundredth of the range: 0.01 on 0-1, 0.1 on 0-20, 1 for whole numbers."""
    if isinstance(p.default, int):
        return 1
    return 10.0 ** math.floor(math.log10((p.high - p.low) / 100.0))


def on_grid(x: float, step: float) -> float:
    """A slider's value rounded to its step's decimals (the slider sends 0.30150000000000005 for 0.3015)."""
    return round(x, max(0, -math.floor(math.log10(step))))


def plain(exc: Exception) -> str:
    """An error message without the file/field prefix meant for the command line."""
    text = str(exc).strip()
    return text.split(": ", 1)[-1] if text.startswith(("parameters.", "shocks.")) else text


def try_apply(apply: Apply, make: Callable[[], RunSettings], error: solara.Reactive, reset: Callable[[], None],
              current: RunSettings | None = None):
    """Validate and apply a change; on a refusal say why beside the field and show the value in use again.

    A value equal to the one in use (a slider clicked without moving) restarts nothing.
    """
    try:
        new = make()
    except (InputError, ValueError, TypeError) as exc:
        error.set(plain(exc))
        reset()
        return
    error.set("")
    if current is not None and new == current:
        return
    apply(new)


def FieldError(message: str):
    if message:
        v.Html(tag="div", children=[message], class_=ERROR_CLASS, style_=ERROR_STYLE, attributes={"role": "alert"})


@solara.component
def NumberField(label: str, value: Any, on_commit: Callable[[Any], None], classes: str = "", width: str = "120px",
                hint: str = "", clearable: bool = False, show_label: bool = True):
    """A number field that reports only what the user typed, when they leave it or press Enter."""
    field = v.TextField(v_model=format_value(value) if value is not None else "", label=label if show_label else "",
                        dense=True,
                        outlined=True, hide_details=True, class_=f"number-field {classes}",
                        style_=f"max-width: {width}; min-width: {width}", clearable=clearable,
                        attributes={"aria-label": label, "inputmode": "decimal"}, placeholder=hint)

    def changed(widget, event, data):
        on_commit((widget, data))

    v.use_event(field, "change", changed)  # noqa: SH102 - the branch is fixed for a component instance
    return field


@solara.component
def ParameterControl(p: Parameter, value: Any, settings: RunSettings, apply: Apply):
    """One parameter: its label above, a full-width slider and a number field, its meaning underneath."""
    error = solara.use_reactive("")
    label = f"{p.title} ({p.scale})"

    def commit(name_value):
        widget, raw = name_value if isinstance(name_value, tuple) else (None, name_value)

        def reset():
            if widget is not None and hasattr(widget, "v_model"):
                widget.v_model = format_value(value)

        try_apply(apply, lambda: validate_override(settings, p.name, raw), error, reset, current=settings)

    with solara.Column(gap="2px", classes=["parameter", f"parameter-{p.name}"]):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}, gap="8px"):
            v.Html(tag="label", children=[label], class_="parameter-label",
                   style_="font-weight: 600; font-size: 0.95em")
            if p.choices is None:
                NumberField(f"{p.title}", value, commit, classes=f"field-{p.name}", hint=f"{p.low:g} to {p.high:g}",
                            show_label=False)
        if p.choices is not None:
            select = v.Select(v_model=value, items=list(p.choices), dense=True, outlined=True, hide_details=True,
                              attributes={"aria-label": label}, class_=f"choice-{p.name}")
            v.use_event(select, "change", lambda w, e, data: commit((w, data)))  # noqa: SH102 - the branch is fixed for a component instance
        elif not (isinstance(p.default, int) and p.high - p.low > WIDE_RANGE):
            # the slider has the column's whole width; the number field above gives the exact value
            step = slider_step(p)
            slider = v.Slider(v_model=value, min=p.low, max=p.high, step=step, hide_details=True,
                              class_=f"slider-{p.name}", style_="width: 100%",
                              attributes={"aria-label": label})
            v.use_event(slider, "change", lambda w, e, data: commit((None, on_grid(float(data), step))))  # noqa: SH102 - the branch is fixed for a component instance
        FieldError(error.value)
        v.Html(tag="div", children=[p.meaning], style_=HELP_STYLE)


@solara.component
def Group(summary: str, render: Callable[[], None], expand: bool = False, classes: str = ""):
    """A folding group whose controls are made only when it is opened (a few hundred widgets fewer at load)."""
    opened = solara.use_reactive(expand)
    with v.ExpansionPanels(v_model=0 if opened.value else None, on_v_model=lambda x: opened.set(x == 0),
                           class_=f"group {classes}"):
        with v.ExpansionPanel():
            v.ExpansionPanelHeader(children=[summary])
            with v.ExpansionPanelContent():
                if opened.value:
                    render()


@solara.component
def ParameterGroups(settings: RunSettings, apply: Apply):
    """The key parameters first (open), then every group of the table (folded); opening one changes nothing."""
    values = settings.values()
    v.Html(tag="div", children=[PARAMETER_NOTE], style_=HELP_STYLE)

    def controls(names, prefix):
        def render():
            for name in names:
                ParameterControl(PARAMETER_BY_NAME[name], values[name], settings, apply).key(f"{prefix}-{name}")
        return render

    Group("Key parameters", controls(KEY_PARAMETERS, "key"), expand=True, classes="group-key")
    for group in GROUPS:
        members = [p.name for p in PARAMETERS if p.group == group]
        Group(f"{group} ({len(members)})", controls(members, group), classes=f"group-{group.lower().replace(' ', '-')}")


@solara.component
def ScenarioPicker(settings: RunSettings, apply: Apply):
    """Every preset by its title; only a shipped preset's name is accepted (never a path)."""
    error = solara.use_reactive("")
    items = [{"text": load_scenario(n).title, "value": n} for n in preset_names()]

    def picked(widget, event, name):
        if name != settings.preset:
            try_apply(apply, lambda: validate_preset(settings, name), error,
                      lambda: setattr(widget, "v_model", settings.preset))

    with solara.Column(gap="0px"):
        select = v.Select(label="Scenario", items=items, v_model=settings.preset, class_="scenario-picker",
                          outlined=True, hide_details=True, attributes={"aria-label": "Scenario"})
        v.use_event(select, "change", picked)
        FieldError(error.value)


@solara.component
def SeedField(settings: RunSettings, apply: Apply):
    error = solara.use_reactive("")

    def commit(widget_raw):
        widget, raw = widget_raw
        if str(raw).strip() != str(settings.seed):
            try_apply(apply, lambda: validate_seed(settings, raw), error,
                      lambda: setattr(widget, "v_model", str(settings.seed)))

    with solara.Column(gap="0px"):
        with solara.Row(style={"align-items": "center"}):
            NumberField("Seed", settings.seed, commit, classes="seed-field", width="160px")
            v.Html(tag="span", children=["same seed, same run"], style_=HELP_STYLE)
        FieldError(error.value)


@solara.component
def ComparePicker(settings: RunSettings, apply: Apply):
    """What to draw beside this run (dashed): without social work, one parameter changed, another preset."""
    error = solara.use_reactive("")
    items = [{"text": text, "value": value} for value, text in compare_choices(settings)]
    with solara.Column(gap="4px"):
        select = v.Select(label="Compare with (same seed)", items=items, v_model=settings.compare_with,
                          class_="compare-picker", outlined=True, hide_details=True,
                          attributes={"aria-label": "Compare with"})
        FieldError(error.value)
        if settings.compare_with == ONE_PARAMETER and settings.compare_parameter is not None:
            CompareParameter(settings, apply)

    def picked(widget, event, choice):
        try_apply(apply, lambda: validate_compare(settings, choice), error,
                  lambda: setattr(widget, "v_model", settings.compare_with))

    v.use_event(select, "change", picked)


@solara.component
def CompareParameter(settings: RunSettings, apply: Apply):
    error = solara.use_reactive("")
    name, value = settings.compare_parameter
    numeric = [{"text": p.title, "value": p.name} for p in PARAMETERS if p.choices is None]
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="8px"):
        select = v.Select(label="Parameter", items=numeric, v_model=name, dense=True, outlined=True,
                          hide_details=True, class_="compare-parameter", style_="max-width: 230px",
                          attributes={"aria-label": "Parameter to change in the comparison run"})

        def picked(widget, event, new_name):
            p = PARAMETER_BY_NAME.get(new_name) if isinstance(new_name, str) else None
            start = settings.values()[new_name] if p is not None else None
            try_apply(apply, lambda: validate_compare_parameter(settings, new_name, start), error,
                      lambda: setattr(widget, "v_model", name))

        v.use_event(select, "change", picked)  # noqa: SH102 - the branch is fixed for a component instance

        def commit(widget_raw):
            widget, raw = widget_raw
            try_apply(apply, lambda: validate_compare_parameter(settings, name, raw), error,
                      lambda: setattr(widget, "v_model", format_value(value)), current=settings)

        NumberField("Value in the comparison", value, commit, classes="compare-value", width="150px")
    FieldError(error.value)


@solara.component
def ShockRow(settings: RunSettings, index: int, shock: dict, apply: Apply):
    """One shock of the timeline: kind, start, ramp, duration (empty: permanent), recovery, magnitude."""
    error = solara.use_reactive("")
    kinds = [{"text": SHOCK_KINDS[k].label, "value": k} for k in SHOCK_KINDS]
    with solara.Column(gap="4px", classes=["shock-row", f"shock-{index}"],
                       style={"border-left": "3px solid #5f5f5f", "padding-left": "8px", "margin-bottom": "10px"}):
        with solara.Row(style={"align-items": "center"}, gap="8px"):
            select = v.Select(items=kinds, v_model=shock["kind"], dense=True, outlined=True, hide_details=True,
                              class_="shock-kind", style_="max-width: 220px",
                              attributes={"aria-label": f"Kind of shock {index + 1}"})
            v.use_event(select, "change", lambda w, e, kind: try_apply(
                apply, lambda: edit_shock(settings, index, "kind", kind), error,
                lambda: setattr(w, "v_model", shock["kind"])))
            solara.Button(icon_name="mdi-delete", icon=True, classes=["remove-shock"],
                          attributes={"aria-label": f"Remove shock {index + 1}", "title": "Remove this shock"},
                          on_click=lambda: try_apply(apply, lambda: remove_shock(settings, index), error, lambda: None))
        with solara.Row(style={"flex-wrap": "wrap"}, gap="6px"):
            for name in ("start", "ramp", "duration", "recovery", "magnitude"):
                lo, hi = shock_bounds(shock["kind"], name)
                hint = "empty: permanent" if name == "duration" and shock["kind"] != "migration" else \
                    (f"{lo:g} to {hi:g}" if hi is not None and hi < 1e5 else "")

                def commit(widget_raw, name=name):
                    widget, raw = widget_raw
                    try_apply(apply, lambda: edit_shock(settings, index, name, raw), error,
                              lambda: setattr(widget, "v_model", format_value(shock[name]) if shock[name] is not None
                                              else ""), current=settings)

                NumberField(name if name != "magnitude" else "magnitude", shock[name], commit,
                            classes=f"shock-{name}", width="96px", hint=hint).key(f"{index}-{name}-{shock['kind']}")
        FieldError(error.value)


@solara.component
def ShockEditor(settings: RunSettings, apply: Apply):
    error = solara.use_reactive("")
    shocks = settings.shock_list()
    kind = solara.use_reactive("crash")

    def render():
        v.Html(tag="div", children=["Weeks count from 1. Ramp: weeks to full strength. Duration: weeks at full "
                                    "strength (empty: permanent). Recovery: weeks to fade."], style_=HELP_STYLE)
        for i, shock in enumerate(shocks):
            ShockRow(settings, i, shock, apply).key(f"shock-{i}-{len(shocks)}")
        with solara.Row(style={"align-items": "center"}, gap="8px"):
            solara.Select(label="New shock", values=list(SHOCK_KINDS), value=kind, classes=["new-shock-kind"])
            solara.Button("Add shock", classes=["add-shock"], attributes={"aria-label": "Add a shock"},
                          on_click=lambda: try_apply(apply, lambda: add_shock(settings, kind.value), error,
                                                     lambda: None))
        FieldError(error.value)

    Group(f"Shock timeline ({len(shocks)})", render, classes="group-shocks")


@solara.component
def Controls(settings: RunSettings, apply: Apply):
    with solara.Column(gap="12px", classes=["controls"]):
        ScenarioPicker(settings, apply)
        SeedField(settings, apply)
        ComparePicker(settings, apply)
        ParameterGroups(settings, apply)
        ShockEditor(settings, apply)

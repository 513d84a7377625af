"""The Solara app: `solara run dashboard.app` (or `anomie dashboard`) serves `Page`.

Each browser tab renders its own `Page`, so each tab has its own settings, model and play
loop. Play, Step and Reset sit in the app bar, with keyboard shortcuts (space, s, r; p for
presentation mode) and accessible names; the speed is a labelled list of weeks per second.

Why not Mesa's SolaraViz any more: its parameter form re-applied slider values on render
(snapping a preset's 0.5 to 0.495 and restarting the run), its cards (an empty "Model
Parameters", a second time counter, "Use Threads") and its play loop, which drew every
week, could not be changed from outside. The model is still a Mesa model with its
DataCollector; only the page around it is our own.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace

import ipyvuetify
import solara
import solara.lab
from solara import v
import traitlets
from solara.server import kernel_context

from anomie.scenarios.schema import InputError

from .charts import warm_up
from .controls import Controls
from .panels import Dashboard
from .player import SPEEDS, Player, speed_label
from .session import DashboardModel, RunSettings, build_model, validate_extension
from .texts import APP_BAR_COLOURS, ERROR_COLOURS

log = logging.getLogger(__name__)

EXTEND_WEEKS = 104

# the server imports this module at start-up: load the charts' fonts meanwhile (charts.warm_up)
threading.Thread(target=warm_up, daemon=True, name="anomie-warm-up").start()

CSS = """
.v-application { font-size: 17px; }
@media (min-width: 1200px) { .v-application { font-size: 18px; } }
.v-application .v-toolbar__content { gap: 6px; }
.v-application .controls .v-input, .v-application .controls .v-label { font-size: 16px; }
.v-application .chart-panel img { display: block; }
.v-application .section-tabs .v-tab { font-size: 17px; letter-spacing: 0; text-transform: none; }
.v-application .download-chart, .v-application .download-chart button { font-size: 14px; }
.controls-column { flex: 0 0 360px; max-width: 360px; max-height: calc(100vh - 80px); overflow-y: auto;
  padding-right: 8px; }
.main-column { flex: 1 1 0; min-width: 0; }
.v-application .controls-column.hidden-column { display: none !important; }
.field-error { color: %(light_error)s; }
.theme--dark .field-error, .theme--dark.field-error { color: %(dark_error)s; }
.v-application.theme--light .v-app-bar.primary { background-color: %(light_bar)s !important; }
.v-application.theme--dark .v-app-bar.primary { background-color: %(dark_bar)s !important; }
""" % {"light_error": ERROR_COLOURS["light"], "dark_error": ERROR_COLOURS["dark"],
       "light_bar": APP_BAR_COLOURS["light"], "dark_bar": APP_BAR_COLOURS["dark"]}

SHORTCUTS_TEMPLATE = """
<template><span class="keyboard-shortcuts" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    this.keyHandler = (e) => {
      const t = e.target || {};
      const tag = (t.tagName || '').toLowerCase();
      if (['input', 'textarea', 'select', 'button'].includes(tag) || t.isContentEditable) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const keys = {' ': 'play', 's': 'step', 'r': 'reset', 'p': 'present'};
      const action = keys[e.key];
      if (action) { e.preventDefault(); this.shortcut(action); }
    };
    document.addEventListener('keydown', this.keyHandler);
  },
  destroyed() { document.removeEventListener('keydown', this.keyHandler); }
}
</script>
"""


class Shortcuts(ipyvuetify.VuetifyTemplate):
    """Keyboard shortcuts for the whole page, sent to the server as an action name."""

    template = traitlets.Unicode(SHORTCUTS_TEMPLATE).tag(sync=True)

    def vue_shortcut(self, action):
        handler = getattr(self, "handler", None)
        if handler is not None and action in ("play", "step", "reset", "present"):
            handler(action)


def background(work) -> None:
    """Run `work` in a thread inside the tab's kernel context (so that its widget updates reach the tab)."""
    try:
        context = kernel_context.get_current_context()
    except Exception:  # noqa: BLE001 - no kernel (plain scripts): run without one
        context = None

    def run():
        if context is None:
            work()
        else:
            with context:
                work()

    threading.Thread(target=run, daemon=True, name="anomie-build").start()


@dataclass(frozen=True)
class Run:
    """What the tab shows: its model, whether a new one is being built, and why a change failed."""

    model: DashboardModel
    busy: bool = False
    problem: str = ""


@solara.component
def Page():
    first = solara.use_memo(lambda: build_model(RunSettings()), [])
    # the model, the busy flag and any problem change together: one reactive, so one render per change
    run = solara.use_reactive(Run(first))
    player = solara.use_memo(Player, [])
    playing = solara.use_reactive(False)
    presenting = solara.use_reactive(False)
    speed = solara.use_reactive(player.speed)
    m = run.value.model

    def stopped():
        playing.set(False)

    def play_pause():
        if player.playing:
            player.pause()
            playing.set(False)
            return
        try:
            context = kernel_context.get_current_context()
        except Exception:  # noqa: BLE001 - component tests run without a server kernel
            context = None
        playing.set(True)
        player.play(run.value.model, stopped, context)
        if not player.playing:
            playing.set(False)

    def step():
        player.step(run.value.model)
        playing.set(False)

    def rebuild(settings: RunSettings, keep_week: bool = False):
        """Build the model for new settings in the background, with the busy indicator on meanwhile."""
        player.pause()
        playing.set(False)
        run.set(replace(run.value, busy=True))
        weeks = run.value.model.steps if keep_week else 0

        def work():
            try:
                fresh = build_model(settings)
                for _ in range(weeks):
                    fresh.week()
                run.set(Run(fresh))
            except (InputError, ValueError) as exc:
                run.set(replace(run.value, busy=False, problem=str(exc)))

        background(work)

    def reset():
        rebuild(run.value.model.settings)

    def extend():
        try:
            settings = validate_extension(m.settings, m.settings.extra_weeks + EXTEND_WEEKS)
        except InputError as exc:
            run.set(replace(run.value, problem=str(exc)))
            return
        with m.lock:
            m.settings = settings
        m.redraw()

    def set_speed(value):
        if value in SPEEDS:
            player.speed = value
            speed.set(value)

    def toggle_theme():
        solara.lab.theme.dark = not bool(solara.lab.theme.dark)

    def shortcut(action):
        {"play": play_pause, "step": step, "reset": reset,
         "present": lambda: presenting.set(not presenting.value)}[action]()

    solara.Title("Anomie")
    solara.Style(CSS)
    keys = Shortcuts.element()

    def attach_shortcuts():
        solara.get_widget(keys).handler = shortcut

    solara.use_effect(attach_shortcuts)

    with solara.AppBar():
        solara.Button("Pause" if playing.value else "Play", icon_name="mdi-pause" if playing.value else "mdi-play",
                      on_click=play_pause, classes=["play-button"], text=True,
                      attributes={"aria-label": "Pause (space)" if playing.value else "Play (space)",
                                  "title": "Play or pause (space)"})
        solara.Button("Step", icon_name="mdi-step-forward", on_click=step, classes=["step-button"], text=True,
                      attributes={"aria-label": "Step one week (s)", "title": "Step one week (s)"})
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset, classes=["reset-button"], text=True,
                      attributes={"aria-label": "Reset to week 0 (r)", "title": "Reset to week 0 (r)"})
        solara.Button(f"Extend {EXTEND_WEEKS} weeks", on_click=extend, classes=["extend-button"], text=True,
                      attributes={"aria-label": f"Extend the run by {EXTEND_WEEKS} weeks"})
        v.Select(items=[{"text": speed_label(s), "value": s} for s in SPEEDS], v_model=speed.value,
                 on_v_model=set_speed, dense=True, hide_details=True, label="Speed", class_="speed-select",
                 style_="max-width: 150px", attributes={"aria-label": "Speed in weeks per second"})
        solara.Button("Presentation", icon_name="mdi-projector-screen", on_click=lambda: presenting.set(
            not presenting.value), classes=["present-button"], text=True,
            attributes={"aria-label": "Presentation mode (p): hide the controls", "aria-pressed":
                        "true" if presenting.value else "false"})
        if run.value.busy:
            v.ProgressCircular(indeterminate=True, size=24, width=3, class_="busy-indicator",
                               attributes={"aria-label": "Loading the scenario", "role": "progressbar"})
        solara.Button(icon_name="mdi-theme-light-dark", icon=True, on_click=toggle_theme, classes=["theme-button"],
                      attributes={"aria-label": "Light or dark theme", "title": "Light or dark theme"})
    with solara.AppBarTitle():
        solara.Text("Anomie", style={"font-weight": "600"})
    with solara.Row(classes=["presenting"] if presenting.value else [], style={"align-items": "flex-start"},
                    gap="16px"):
        # hidden, not removed, in presentation mode: the page keeps its widgets (and the controls their state)
        with solara.Column(classes=["controls-column"] + (["hidden-column"] if presenting.value else [])):
            Controls(m.settings, rebuild)
            if run.value.problem:
                solara.Error(run.value.problem, classes=["run-problem"])
        with solara.Column(classes=["main-column"] + (["busy"] if run.value.busy else []),
                           style={"opacity": "0.5" if run.value.busy else "1", "transition": "opacity 0.1s"}):
            # not re-keyed per model: a preset switch keeps the page's widgets and changes their content
            Dashboard(m, presenting.value)

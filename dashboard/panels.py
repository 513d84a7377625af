"""The main area: the two main charts, then tabs of charts, the lesson and the exports.

Live parts (chart images, the week line, figures) are plain widgets made once per model;
each registers a function in `model.views` that redraws it, and the play loop calls them
all once per frame (player.py). Nothing in a frame goes through a component re-render.
Only the open tab's charts are registered, so a frame costs the charts in view.
"""

from __future__ import annotations

import logging

import ipyvuetify
import ipywidgets
import solara
from solara import v
from solara.server import kernel_context

from .band import BAND_CITIZENS, BAND_SEEDS, band_of, start_band
from .charts import CHARTS, available_charts, error_png, series
from .lessons import durkheim_crisis_years, lesson_for, model_crisis_ratio
from .session import DashboardModel, compare_label, counterpart_scenario, summarise
from .texts import CRISIS_NOTE, EXPLAIN, STATE_COLOURS, STATE_LABELS, STATE_MEANINGS

log = logging.getLogger(__name__)

EXPLAIN_STYLE = "font-size: 1em; line-height: 1.4; max-width: 46em; margin: 4px 0"
TABS = (
    ("lesson", "Lesson"),
    ("compare", "Comparison"),
    ("crises", "Crises"),
    ("solidarity", "Solidarity"),
    ("distribution", "Integration and regulation"),
    ("plane", "Plane and network"),
    ("social_work", "Social work"),
    ("groups", "Groups and sectors"),
    ("export", "Export"),
)
TAB_CHARTS = {
    "compare": ("difference",), "crises": ("crises",), "solidarity": ("solidarity",),
    "distribution": ("distribution", "spread"), "plane": ("plane", "network"),
    "social_work": ("social_work", "social_work_effects"),
    "groups": ("groups", "sectors"),
}


def draw(model: DashboardModel, chart, key: str) -> bytes:
    """One frame of a chart; a chart that fails shows its error in its own place."""
    try:
        with model.lock, chart.lock:
            return chart.render(model)
    except Exception as exc:  # noqa: BLE001 - one broken chart must not take the page down
        log.exception("chart %s failed", key)
        return error_png(f"The {key} chart could not be drawn:\n{type(exc).__name__}: {exc}")


def live_text(text: str = "", classes: str = "", style: str = "") -> ipyvuetify.Html:
    """A text widget made once and changed in place each frame (not a component re-render)."""
    return ipyvuetify.Html(tag="span", children=[text], class_=classes, style_=style)


def use_view(model: DashboardModel, name: str, update) -> None:
    """Register a live widget's redraw with the model while the component is shown."""
    latest = solara.use_ref(update)
    latest.current = update
    # one function per component instance, calling the latest closure
    stable = solara.use_memo(lambda: (lambda: latest.current()), [])
    model.views[name] = stable

    def register():
        model.views[name] = stable

        def unregister():
            # a component shown in its place may have registered already: remove only our own
            if model.views.get(name) is stable:
                del model.views[name]

        return unregister

    solara.use_effect(register, [model])


@solara.component
def ChartImage(model: DashboardModel, key: str):
    """A chart as an image as wide as its column, redrawn each frame, with a PNG download."""
    chart = solara.use_memo(lambda: CHARTS[key](model), [model])
    # one image widget for the panel's life: a new model (a preset switch) only changes its picture
    image = solara.use_memo(lambda: ipywidgets.Image(format="png", layout=ipywidgets.Layout(width="100%",
                                                                                          height="auto")), [])
    drawn_for = solara.use_ref(None)
    if drawn_for.current is not chart:
        image.value = draw(model, chart, key)
        drawn_for.current = chart
    model.charts[key] = chart

    def update():
        if key == "difference":
            band_arrived(model, chart)
        image.value = draw(model, chart, key)

    use_view(model, f"chart-{key}", update)

    def export():
        with model.lock, chart.lock:
            return chart.export(model)

    with solara.Column(gap="0px", classes=["chart-panel", f"chart-{key}"], style={"width": "100%"}):
        solara.Column(children=[image], style={"width": "100%"})
        with solara.Div(classes=["download-chart"]):
            solara.FileDownload(export, filename=f"anomie_{key}_{model.settings.preset}_seed{model.settings.seed}.png",
                                label="Download this chart (PNG)", mime_type="image/png")


def band_arrived(model: DashboardModel, chart) -> None:
    future = getattr(model, "band_future", None)
    if future is None or not future.done() or getattr(chart, "band_data", None) is not None:
        return
    try:
        chart.set_band(band_of(future.result()), BAND_SEEDS, BAND_CITIZENS)
    except Exception:  # noqa: BLE001 - without a band the difference is still shown
        log.exception("band over seeds failed")
        model.band_future = None


@solara.component
def Status(model: DashboardModel):
    """The week (of the run's length), the scenario, cohesion now, the shocks acting now and any error."""
    week, info = solara.use_memo(lambda: (
        live_text(classes="week-counter", style="font-size: 1.5em; font-weight: 700; margin-right: 14px"),
        live_text(classes="run-info", style="font-size: 1.1em"),
    ), [])
    notices = solara.use_reactive(notices_of(model))

    def update():
        m = model.metrics
        week.children = [f"Week {model.steps}"]
        end = "" if model.steps < model.last_week else " (end of the scenario: Extend to go on)"
        info.children = [f"of {model.last_week}{end} · {int(m['n_citizens']):,} citizens · "
                         f"cohesion {m['cohesion']:.3f}"]
        notices.set(notices_of(model))  # re-renders the notices only when they change

    use_view(model, "status", update)
    update()
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}, classes=["status-line"]):
        solara.Column(children=[week, info], style={"flex-direction": "row", "align-items": "baseline"})
    Notices(model, notices.value)


def notices_of(model: DashboardModel) -> tuple:
    active = tuple(i for i, s in enumerate(model.spec.shocks)
                   if s.start <= model.steps and (s.end is None or model.steps <= s.end))
    return active, model.error


@solara.component
def Notices(model: DashboardModel, notices: tuple):
    active, error = notices
    if active:
        shocks = [model.spec.shocks[i] for i in active]
        v.Html(tag="div", children=["Now: " + " ".join(f"{s.label}. {s.explanation}" for s in shocks)],
               class_="active-shocks", style_="font-size: 1em; margin: 2px 0")
    if error:
        solara.Error(error + " Press Reset to start again.", classes=["model-error"])


@solara.component
def Legend():
    """The five states with their colours and meanings (the charts label their lines directly too)."""
    with solara.Row(style={"flex-wrap": "wrap", "gap": "4px 16px"}, classes=["state-legend"]):
        for s, label in STATE_LABELS.items():
            v.Html(tag="span", children=[
                v.Html(tag="span", children=["■ "], style_=f"color: {STATE_COLOURS[s]}; font-size: 1.2em"),
                v.Html(tag="b", children=[label]),
                v.Html(tag="span", children=[f": {STATE_MEANINGS[s]}"]),
            ], style_="font-size: 0.95em")


@solara.component
def LessonPanel(model: DashboardModel):
    lesson = lesson_for(model.spec)
    with solara.Column(classes=["lesson"], gap="6px", style={"max-width": "60em"}):
        for heading, items in (("What it shows", (lesson.shows,)), ("How it works", lesson.how),
                               ("Things to notice" + (" (the scenario's tested claims)" if lesson.claims_tested
                                                      else ""), lesson.notice),
                               ("Things to try", lesson.tries), ("Questions for a seminar", lesson.questions)):
            v.Html(tag="h3", children=[heading], style_="margin: 8px 0 2px 0; font-size: 1.15em")
            if len(items) == 1 and heading == "What it shows":
                v.Html(tag="p", children=[items[0]], style_=EXPLAIN_STYLE)
            else:
                v.Html(tag="ul", children=[v.Html(tag="li", children=[i]) for i in items], style_=EXPLAIN_STYLE)
        v.Html(tag="p", children=[CRISIS_NOTE], style_=EXPLAIN_STYLE + "; font-style: italic")
        Legend()


@solara.component
def CompareSummary(model: DashboardModel):
    text = solara.use_memo(lambda: live_text(classes="compare-summary", style="font-weight: 600"), [])

    def update():
        with model.lock:
            text.children = [summarise(model)]

    use_view(model, "compare-summary", update)
    update()
    solara.Column(children=[text], style={"max-width": "46em"})


@solara.component
def ComparisonTab(model: DashboardModel):
    if model.counterpart is None:
        v.Html(tag="p", children=["Pick a comparison in the controls (\"Compare with\"): the other run is then drawn "
                                  "dashed on every time chart, and its difference from this run is shown here."],
               style_=EXPLAIN_STYLE)
        return
    CompareSummary(model)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}, gap="16px"):
        with solara.Column(style={"flex": "1 1 420px", "max-width": "900px"}):
            ChartImage(model, "difference")
        v.Html(tag="p", children=[EXPLAIN["difference"]], style_=EXPLAIN_STYLE + "; flex: 1 1 300px")


@solara.component
def CrisisReference(model: DashboardModel):
    """Durkheim's after/before ratios for crisis years, and the same ratio in this run where it can be read."""
    years = durkheim_crisis_years()
    rows = [v.Html(tag="li", children=[y.line()]) for y in years]
    v.Html(tag="h3", children=["Durkheim's crisis years (suicides after / before)"],
           style_="margin: 8px 0 2px 0; font-size: 1.1em")
    v.Html(tag="ul", children=rows, style_=EXPLAIN_STYLE)
    text = solara.use_memo(lambda: live_text(classes="crisis-ratio"), [])

    def update():
        crises = list(series(model, "crises"))
        n = list(series(model, "n_citizens"))
        parts = []
        for s in model.spec.shocks:
            if s.kind in ("crash", "boom", "industrialisation", "austerity", "authoritarian_turn"):
                r = model_crisis_ratio(crises, n, s.start)
                if s.start <= 52:
                    ratio = "less than a year of the run before it"
                elif r is None:
                    ratio = "readable once a year has passed" if model.steps < s.start + 52 else "no crisis before it"
                else:
                    ratio = f"x{r:.2f}"
                parts.append(f"{s.label} (week {s.start}): {ratio}")
        text.children = ["This run, crisis rate in the year after each shock began / the year before: "
                         + ("; ".join(parts) if parts else "no crash, boom or upheaval in this scenario.")]

    use_view(model, "crisis-ratio", update)
    update()
    solara.Column(children=[text], style={"max-width": "46em", "font-weight": "600"})
    source = years[0].source if years else ""
    v.Html(tag="p", children=[f"Source: {source}. Durkheim counted suicides; the model counts a neutral "
                              "\"crisis\", so compare ratios, not levels."], style_=EXPLAIN_STYLE + "; opacity: 0.8")


@solara.component
def TabContent(model: DashboardModel, tab: str):
    keys = available_charts(model)
    if tab == "lesson":
        LessonPanel(model)
    elif tab == "compare":
        ComparisonTab(model)
    elif tab == "export":
        Exports(model)
    else:
        charts = [k for k in TAB_CHARTS.get(tab, ()) if k in keys]
        if tab == "social_work":
            SocialWorkNumbers(model)  # first: on a 720-pixel projector the figures and charts show together
        if not charts and tab == "groups":
            v.Html(tag="p", children=["This version of the model does not record occupational groups or sectors yet; "
                                      "their charts appear here when it does."], style_=EXPLAIN_STYLE)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}, gap="16px"):
            for key in charts:
                with solara.Column(style={"flex": "1 1 420px", "max-width": "900px"}):
                    ChartImage(model, key)
                    v.Html(tag="p", children=[EXPLAIN[key]], style_=EXPLAIN_STYLE)
        if tab == "crises":
            CrisisReference(model)


# The figures above the social-work charts (class name, name, value), in two labelled groups: the
# service this week, and what advocacy has achieved since the start (the model's running totals).
SOCIAL_WORK_FIGURES = (
    ("The service now", (
        ("posts", "Posts filled", lambda model, m: f"{int(m['workers_in_post'])} / {model.n_posts}"),
        ("open-cases", "Open cases", lambda model, m: f"{int(m['open_cases'])}"),
        ("waiting-list", "Waiting list", lambda model, m: f"{int(m['waiting_list'])}"),
        ("missed-high-risk", "Missed high-risk", lambda model, m: f"{int(m['missed_high_risk'])}"),
        ("mean-burnout", "Mean burnout", lambda model, m: f"{m['mean_burnout']:.2f}"),
        ("caseload", "Caseload (max / limit)", lambda model, m: f"{max_caseload(model)} / {int(m['caseload_limit'])}"),
    )),
    ("Advocacy so far", (
        ("jobs-found", "Jobs found", lambda model, m: f"{int(m['jobs_found_total'])}"),
        ("benefits-secured", "Benefits secured", lambda model, m: f"{int(m['benefits_secured_total'])}"),
        ("claiming-benefit", "Claiming benefit now", lambda model, m: f"{int(m['benefit_claimants'])}"),
    )),
)


def max_caseload(model) -> int:
    loads = [w.caseload for w in model.social_workers]
    return max(loads) if loads else 0


@solara.component
def SocialWorkNumbers(model: DashboardModel):
    """The service this week and what advocacy has achieved, as large figures with their names below."""
    figures = [figure for _, group in SOCIAL_WORK_FIGURES for figure in group]
    values = solara.use_memo(lambda: [live_text(classes=f"figure-{key}", style="font-size: 1.5em; font-weight: bold")
                                      for key, _, _ in figures], [])

    def update():
        m = model.metrics
        for widget, (_, _, show) in zip(values, figures):
            widget.children = [show(model, m)]

    use_view(model, "social-work-numbers", update)
    update()
    widgets = iter(values)
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px 40px"}, classes=["social-work-numbers"]):
        for heading, group in SOCIAL_WORK_FIGURES:
            with solara.Column(gap="2px", classes=["figure-group"]):
                v.Html(tag="h3", children=[heading], style_="margin: 4px 0 0 0; font-size: 1.05em")
                with solara.Row(style={"flex-wrap": "wrap", "gap": "4px 18px"}):
                    for _, name, _ in group:
                        with solara.Column(gap="0px"):
                            solara.Column(children=[next(widgets)], gap="0px")
                            v.Html(tag="span", children=[name], style_="font-size: 0.9em")


@solara.component
def Exports(model: DashboardModel):
    """This run's data exactly as `anomie run --out run.csv` writes it, and the comparison run's."""
    s = model.settings
    with solara.Div(classes=["download-csv"]):
        solara.FileDownload(model.csv, filename=f"anomie_{s.preset}_seed{s.seed}.csv",
                            label="Download this run's data (CSV, as anomie run writes it)", mime_type="text/csv")
    if model.counterpart is not None:
        with solara.Div(classes=["download-compare-csv"]):
            solara.FileDownload(model.counterpart_csv, filename=f"anomie_{s.preset}_seed{s.seed}_comparison.csv",
                                label=f"Download the comparison run's data ({compare_label(s)})",
                                mime_type="text/csv")
    overrides = " ".join(f"--set {k}={v}" for k, v in sorted(s.overrides.items()))
    note = (f"The same run from the command line: anomie run {s.preset} --seed {s.seed} "
            f"--steps {model.steps} {overrides} --out run.csv")
    if s.shocks is not None:
        note += " (with the shock timeline as edited here; save it in a scenario file to rerun it)"
    v.Html(tag="p", children=[note], class_="cli-equivalent", style_=EXPLAIN_STYLE + "; font-family: monospace")


@solara.component
def Dashboard(model: DashboardModel, presenting: bool = False):
    """Everything in the main area, for one model."""
    tab = solara.use_reactive(0)
    model_band(model)
    Status(model)
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}, gap="12px", classes=["main-charts"]):
        for key in ("cohesion", "shares"):
            with solara.Column(style={"flex": "1 1 420px", "min-width": "0"}, gap="0px"):
                ChartImage(model, key)
    if not presenting:
        v.Html(tag="p", children=[EXPLAIN["cohesion"]], style_=EXPLAIN_STYLE)
    def pick(index):
        # a value from the page: only the index of a tab that exists
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(TABS):
            tab.set(index)

    with v.Tabs(v_model=tab.value, on_v_model=pick, show_arrows=True, class_="section-tabs"):
        for key, label in TABS:
            v.Tab(children=[label], class_=f"tab-{key}")
    with solara.Column(classes=["tab-content"], style={"padding-top": "8px"}):
        TabContent(model, TABS[tab.value][0]).key(f"{TABS[tab.value][0]}")


def model_band(model: DashboardModel) -> None:
    """Start the comparison's band over seeds once per model (background process); draw it when it arrives."""
    def start():
        if model.counterpart is not None and getattr(model, "band_future", None) is None:
            try:
                context = kernel_context.get_current_context()
            except Exception:  # noqa: BLE001 - component tests and scripts run without a server kernel
                context = None
            try:
                model.band_future = start_band(model.spec, counterpart_scenario(model.settings),
                                               model.settings.seed, model.last_week)
            except Exception:  # noqa: BLE001 - a failed band only means no band
                log.exception("could not start the band over seeds")
                return

            def arrived(_future):
                view = model.views.get("chart-difference")
                if view is None:
                    return  # drawn when the comparison tab is next opened
                if context is None:
                    view()
                else:
                    with context:
                        view()

            model.band_future.add_done_callback(arrived)

    solara.use_effect(start, [model])



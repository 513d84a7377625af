"""The dashboard's charts, drawn with Matplotlib on the server.

Matplotlib renders on the server, so the browser needs no charting JavaScript and the page
works offline (a known trap of Solara). Each chart is drawn at twice the resolution of a
1,280-pixel screen and shown at the width of its column (CSS width 100%), so it stays
sharp on high-density screens and when a projector scales it; fonts are sized so that, at
the width a chart has on a 1,280 or 1,920-pixel screen, text is at least 18 CSS pixels.

Each chart builds its figure and static parts (axes, shock markers) once per model and
then only moves its artists each frame (blitting), which keeps a frame cheap.

Time charts draw this run in solid lines and the comparison run, when there is one,
dashed in the same colour; every line is labelled at its end (direct labels), and shocks
are neutral grey bands with their names written on them.
"""

from __future__ import annotations

import abc
import io
import threading

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from PIL import Image

from anomie.model.metrics import METRICS
from anomie.model.typology import STATE_NAMES, DurkheimState

from .layout import layout_for
from .texts import INK, SHOCK_GREY, STATE_COLOURS, STATE_LABELS, text_colour

# A chart is FIG_WIDTH inches wide and rendered at DPI: 1,280 pixels across. Shown in a
# column 610-930 CSS px wide (presentation mode at 1,280 and 1,920), one point is 1.3-2 CSS px: >= 18 px.
FIG_WIDTH = 6.4
DPI = 200
EXPORT_DPI = 300
FONT = 15
SMALL_FONT = 14
PALETTE_COLOURS = 64
STATES = tuple(DurkheimState)
COLOUR_TABLE = to_rgba_array([STATE_COLOURS[s] for s in STATES])
TIE_REFRESH = 10  # weeks between redraws of the ties, which sit in the background
WORKER_COLOUR = INK
WEEKS_PER_YEAR = 52
try:  # the sectors of the economy, once the model has them (model/sectors.py)
    from anomie.model.sectors import SECTOR_NAMES
except ImportError:  # today's model: the sector charts stay hidden (no such metrics)
    SECTOR_NAMES = ("agriculture", "industry", "trade", "liberal_professions")
SECTOR_COLOURS = ("#44AA99", "#0077BB", "#DDAA33", "#882255")


def sector_label(name: str) -> str:
    """A sector's short name for a line's end label ("liberal professions" does not fit)."""
    return "professions" if name == "liberal_professions" else name.replace("_", " ")
CRISIS_WINDOW = 13  # weeks over which the crisis rate is averaged (a quarter)


def series(model, name: str) -> np.ndarray:
    """One metric over all recorded weeks, read straight from the DataCollector (no DataFrame per frame)."""
    return np.asarray(model.datacollector.model_vars[name], dtype=float)


def has_metric(model, name: str) -> bool:
    return name in model.datacollector.model_vars


def png(fig: Figure, dpi: int = DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _time_axis(model) -> int:
    """Weeks shown: where the run stops (the scenario's length, or longer once extended)."""
    last = getattr(model, "last_week", None) or int(model.spec.steps)
    return max(int(last), int(model.steps) + 1)


def crisis_rate(model) -> np.ndarray:
    """Crises per 1,000 citizens a year, averaged over the last CRISIS_WINDOW weeks."""
    crises = series(model, "crises")
    n = np.maximum(series(model, "n_citizens"), 1.0)
    return trailing_mean(crises / n * 1000.0 * WEEKS_PER_YEAR)


def trailing_mean(weekly: np.ndarray, window: int = CRISIS_WINDOW) -> np.ndarray:
    """Each week's mean over the last `window` weeks (fewer at the start of the run); weeks
    without a value (NaN: a sector nobody worked in) are left out, NaN if the window has none."""
    if weekly.size == 0:
        return weekly
    known = np.isfinite(weekly)
    c = np.cumsum(np.insert(np.where(known, weekly, 0.0), 0, 0.0))
    counts = np.cumsum(np.insert(known, 0, False))
    end = np.arange(1, weekly.size + 1)
    start = end - np.minimum(end, window)
    k = counts[end] - counts[start]
    return np.divide(c[end] - c[start], k, out=np.full(weekly.size, np.nan), where=k > 0)


class Chart(abc.ABC):
    """A figure whose static parts are drawn once and whose moving artists are redrawn each frame."""

    key = "chart"
    title = ""

    def __init__(self, model, height: float = 3.4, width: float = FIG_WIDTH):
        self.fig = Figure(figsize=(width, height), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        style_axes(self.ax)
        self.heading = self.ax.set_title(self.title, fontsize=FONT, loc="left", color=INK)
        self.dynamic: list = []
        # the play loop renders from its thread while a download click exports from another
        self.lock = threading.RLock()
        self._frozen = False
        self._background = None
        self._static_key = None

    @abc.abstractmethod
    def update(self, model) -> None:
        """Move the chart's moving parts to the model's current week (each chart defines it)."""

    def static_key(self) -> tuple:
        return (self.heading.get_text(), *((a.get_xlim(), a.get_ylim()) for a in self.fig.axes))

    def render(self, model) -> bytes:
        """One frame as PNG bytes."""
        self.update(model)
        if not self._frozen:
            self.freeze_layout()
        key = self.static_key()
        if self._background is None or key != self._static_key:
            for a in self.dynamic:
                a.set_animated(True)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._static_key = key
        else:
            self.canvas.restore_region(self._background)
        for a in self.dynamic:
            self.fig.draw_artist(a)
        return encode_png(self.canvas)

    def export(self, model, dpi: int = EXPORT_DPI) -> bytes:
        """The whole chart, moving parts included, as a PNG file at print resolution."""
        self.update(model)
        if not self._frozen:
            self.freeze_layout()
        for a in self.dynamic:
            a.set_animated(False)
        data = png(self.fig, dpi)
        self._background = None  # savefig at another dpi leaves the canvas in a different state
        return data

    def freeze_layout(self) -> None:
        """Lay the figure out once with constrained layout, then keep those margins."""
        self.fig.set_layout_engine("constrained")
        self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")
        self._frozen = True


def style_axes(ax) -> None:
    ax.tick_params(labelsize=SMALL_FONT, colors=INK)
    ax.xaxis.label.set_size(FONT)
    ax.yaxis.label.set_size(FONT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def warm_up() -> None:
    """Load the fonts and text layout the charts use (about a second the first time in a process).

    The server imports the app at start-up; doing this then, in the background, keeps that
    second out of the first page's wait.
    """
    fig = Figure(figsize=(2, 1), dpi=DPI)
    ax = fig.add_subplot()
    style_axes(ax)
    ax.set_title("Cohesion", fontsize=FONT)
    ax.text(0, 0, "this run", fontsize=SMALL_FONT, fontweight="bold")
    ax.text(0, 1, "comparison", fontsize=SMALL_FONT, style="italic")
    ax.set_xlabel("week")
    FigureCanvasAgg(fig).draw()


def error_png(message: str) -> bytes:
    """A small image that says what went wrong, shown where the chart would be."""
    fig = Figure(figsize=(FIG_WIDTH, 1.2), dpi=100)
    fig.text(0.02, 0.5, message, color="#a50f15", fontsize=FONT, va="center", wrap=True)
    return png(fig, 100)


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as a 64-colour PNG: a chart has few colours, and a palette image encodes
    about three times faster (and five times smaller) than a full-colour one (bench/dashboard_frame.py)."""
    width, height = canvas.get_width_height()
    img = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    img = img.convert("RGB").quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def nice_ceiling(x: float) -> float:
    """The next of 1, 2, 5 times a power of ten: axis limits that change seldom, so the background is rarely redrawn."""
    if x <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(x))
    for m in (1, 2, 5, 10):
        if m * power >= x:
            return float(m * power)
    return float(10 * power)


def zoomed_limits(values: list[np.ndarray], grid: float = 0.05, floor: float = 0.0, ceiling: float = 1.0,
                  min_span: float = 0.1) -> tuple[float, float]:
    """Y limits around the data on a coarse grid, so that small differences show and the axis seldom moves."""
    data = np.concatenate([v[np.isfinite(v)] for v in values if v.size]) if any(v.size for v in values) else None
    if data is None or data.size == 0:
        return floor, ceiling
    lo = max(floor, np.floor((data.min() - grid / 2) / grid) * grid)
    hi = min(ceiling, np.ceil((data.max() + grid / 2) / grid) * grid)
    if hi - lo < min_span:
        mid = (hi + lo) / 2
        lo, hi = max(floor, mid - min_span / 2), min(ceiling, mid + min_span / 2)
    return float(lo), float(hi)


def mark_shocks(ax, scenario) -> list[str]:
    """Each shock as a neutral grey band from its first to its last week, its name written on it."""
    labels = []
    for shock in scenario.shocks:
        end = shock.end
        label = f"{shock.label} (week {shock.start}" + (f" to {end})" if end is not None else ", permanent)")
        ax.axvline(shock.start, color=SHOCK_GREY, lw=1.0, ls=(0, (4, 3)))
        ax.axvspan(shock.start, end if end is not None else 1e9, color=SHOCK_GREY, alpha=0.07 if end else 0.03, lw=0)
        ax.text(shock.start, 0.99, " " + shock.label.lower(), transform=ax.get_xaxis_transform(), ha="left",
                va="top", fontsize=SMALL_FONT, color=SHOCK_GREY, rotation=90, clip_on=True)
        labels.append(label)
    return labels


class TimeChart(Chart):
    """Lines over weeks: this run solid, the comparison dashed in the same colour, each labelled at its end."""

    ylabel = ""
    zoom = True  # y limits follow the data (on a coarse grid) instead of a fixed 0-1
    spread = False  # several lines: move their end labels apart after each update
    floor, ceiling, grid = 0.0, 1.0, 0.05

    def __init__(self, model, height: float = 3.4):
        super().__init__(model, height=height)
        self.shock_labels = mark_shocks(self.ax, model.spec)
        self.ax.set_xlabel("week")
        self.ax.set_ylabel(self.ylabel)
        self.ax.grid(alpha=0.25)
        self.lines: dict[str, tuple] = {}
        self.compare = getattr(model, "counterpart", None) is not None

    def add_line(self, name: str, label: str, colour: str, lw: float = 2.2) -> None:
        (mine,) = self.ax.plot([], [], color=colour, lw=lw)
        (other,) = self.ax.plot([], [], color=colour, lw=lw * 0.8, ls=(0, (5, 3)))
        tag = self.ax.text(0, 0, " " + label, color=text_colour(colour), fontsize=SMALL_FONT, va="center", ha="left",
                           clip_on=False, fontweight="bold")
        other.set_visible(self.compare)
        self.lines[name] = (mine, other, tag)
        self.dynamic += [mine, other, tag]

    def values(self, model, name: str) -> np.ndarray:
        return series(model, name)

    def update(self, model) -> None:
        other_model = getattr(model, "counterpart", None)
        drawn = []
        for name, (mine, other, tag) in self.lines.items():
            y = self.values(model, name)
            mine.set_data(np.arange(y.size), y)
            drawn.append(y)
            known = np.flatnonzero(np.isfinite(y))  # a sector nobody works in has no value (NaN)
            if known.size:
                tag.set_position((known[-1], y[known[-1]]))
            if other_model is not None and other.get_visible():
                yo = self.values(other_model, name)
                other.set_data(np.arange(yo.size), yo)
                drawn.append(yo)
        self.ax.set_xlim(0, _time_axis(model))
        if self.zoom:
            self.ax.set_ylim(*zoomed_limits(drawn, self.grid, self.floor, self.ceiling))
        if self.spread:
            self.spread_end_labels()

    def spread_end_labels(self) -> None:
        """Keep the end labels of this chart's lines apart (after the y limits are final)."""
        spread_labels([tag for _, _, tag in self.lines.values()], self.ax)

    def freeze_layout(self) -> None:
        """Fixed margins for the fonts used here, with room on the right for the direct labels.

        Not constrained layout: laying the text out twice cost about 55 ms per chart, which a
        preset switch pays for every chart it shows.
        """
        self.fig.subplots_adjust(left=0.15, right=0.74, bottom=0.21, top=0.89)
        self._frozen = True

    def curves(self) -> int:
        """How many curves have data (the tests read this)."""
        return sum(1 for mine, other, _ in self.lines.values() for line in (mine, other)
                   if line.get_visible() and len(line.get_xdata()) > 0)


class CohesionChart(TimeChart):
    """Cohesion over time, the main chart; in compare mode the comparison run dashed."""

    key = "cohesion"
    title = "Cohesion"
    ylabel = "cohesion (0-1)"

    def __init__(self, model):
        super().__init__(model)
        self.add_line("cohesion", "this run", INK, lw=2.6)
        if self.compare:
            self.lines["cohesion"][2].set_text(" this run")
            (mine, other, tag) = self.lines["cohesion"]
            self.other_tag = self.ax.text(0, 0, " comparison", color=INK, fontsize=SMALL_FONT, va="center",
                                          ha="left", clip_on=False, style="italic")
            self.dynamic.append(self.other_tag)

    def update(self, model) -> None:
        super().update(model)
        if self.compare and model.counterpart is not None:
            yo = series(model.counterpart, "cohesion")
            y = series(model, "cohesion")
            if yo.size:
                # keep the two labels apart when the curves are close
                lo, hi = self.ax.get_ylim()
                gap = 0.07 * (hi - lo)
                ya = y[-1] if y.size else yo[-1]
                yb = yo[-1] if abs(yo[-1] - ya) >= gap else ya - gap if yo[-1] <= ya else ya + gap
                self.other_tag.set_position((yo.size - 1, yb))


class SharesChart(TimeChart):
    """Shares of the five states over time."""

    key = "shares"
    title = "Durkheim's four states and the middle"
    ylabel = "share of citizens"
    grid = 0.1

    def __init__(self, model):
        super().__init__(model)
        for s in STATES:
            self.add_line(f"share_{STATE_NAMES[s]}", STATE_LABELS[s], STATE_COLOURS[s])

    def update(self, model) -> None:
        super().update(model)
        self.ax.set_ylim(0, max(0.5, self.ax.get_ylim()[1]))
        self.spread_end_labels()


def spread_labels(tags, ax, min_gap: float = 0.075) -> None:
    """Move end labels apart vertically so that they do not overlap (direct labelling)."""
    lo, hi = ax.get_ylim()
    gap = min_gap * (hi - lo)
    order = sorted(tags, key=lambda t: t.get_position()[1])
    last = -np.inf
    for t in order:
        x, y = t.get_position()
        y = max(y, last + gap)
        t.set_position((x, y))
        last = y


class DifferenceChart(TimeChart):
    """This run's cohesion minus the comparison's, with the range over a few other seeds."""

    key = "difference"
    title = "Cohesion, this run minus the comparison"
    ylabel = "difference"
    floor, ceiling, grid = -1.0, 1.0, 0.02

    def __init__(self, model):
        super().__init__(model)
        self.compare = False  # one line: the difference itself
        self.add_line("difference", "this seed", INK)
        self.ax.axhline(0, color=SHOCK_GREY, lw=1.0)
        self.band = None
        self.band_note = self.ax.text(0.01, 0.02, "", transform=self.ax.transAxes, fontsize=SMALL_FONT,
                                      color=SHOCK_GREY, va="bottom")

    def values(self, model, name: str) -> np.ndarray:
        other = getattr(model, "counterpart", None)
        a = series(model, "cohesion")
        if other is None:
            return np.zeros(0)
        b = series(other, "cohesion")
        n = min(a.size, b.size)
        return a[:n] - b[:n]

    def set_band(self, band: np.ndarray | None, seeds: int, citizens: int) -> None:
        """The 10th to 90th percentile of the difference over other seeds (a static part of the chart)."""
        if self.band is not None:
            self.band.remove()
            self.band = None
        if band is not None and band.size:
            x = np.arange(band.shape[1])
            self.band = self.ax.fill_between(x, band[0], band[1], color="#0077BB", alpha=0.18, lw=0)
            self.band_note.set_text(f"band: 10-90% over {seeds} seeds, {citizens:,} citizens")
        self._background = None
        self.band_data = band

    def static_key(self) -> tuple:
        return super().static_key() + (id(self.band),)

    def update(self, model) -> None:
        super().update(model)
        data = [self.values(model, "difference")]
        if getattr(self, "band_data", None) is not None:
            data += [self.band_data[0], self.band_data[1]]
        self.ax.set_ylim(*zoomed_limits(data, self.grid, -1.0, 1.0, min_span=0.04))


class CrisisChart(TimeChart):
    """Crises per 1,000 citizens a year: Durkheim's variable, whose rise he read as a sign of disorder."""

    key = "crises"
    spread = True
    title = "Crises per 1,000 citizens a year"
    ylabel = "13-week average"
    floor, ceiling, grid = 0.0, 1e6, 5.0

    def __init__(self, model):
        super().__init__(model)
        self.add_line("crisis_rate", "all", INK)
        for i, name in enumerate(SECTOR_NAMES):
            if has_metric(model, f"crisis_rate_{name}"):
                self.add_line(f"crisis_rate_{name}", sector_label(name), SECTOR_COLOURS[i], lw=1.6)
        if has_metric(model, "crisis_rate_out_of_work"):
            self.add_line("crisis_rate_out_of_work", "out of work", SHOCK_GREY, lw=1.6)

    def values(self, model, name: str) -> np.ndarray:
        if name == "crisis_rate":
            return crisis_rate(model)
        return trailing_mean(series(model, name))  # the same quarter's average as the whole society's


class SolidarityChart(TimeChart):
    """Mechanical solidarity (likeness: belief consensus) against organic (met interdependence)."""

    key = "solidarity"
    spread = True
    title = "Solidarity: likeness and interdependence"
    ylabel = "0-1"
    grid = 0.1

    def __init__(self, model):
        super().__init__(model)
        self.add_line("consensus", "likeness (mechanical)", "#0077BB")
        self.add_line("interdependence", "interdependence (organic)", "#882255")
        self.add_line("organic_share", "organic share", SHOCK_GREY, lw=1.6)


class GroupsChart(TimeChart):
    """Occupational groups: the share of citizens who belong to one; the number of groups in the heading."""

    key = "groups"
    title = "Occupational groups"
    ylabel = "share of citizens in a group"
    grid = 0.1

    def __init__(self, model):
        super().__init__(model)
        self.add_line("group_members_share", "members", "#0077BB")

    def values(self, model, name: str) -> np.ndarray:
        return series(model, "occupational_group_members") / np.maximum(series(model, "n_citizens"), 1.0)

    def update(self, model) -> None:
        super().update(model)
        groups = series(model, "occupational_groups")
        self.heading.set_text(f"{self.title}: {int(groups[-1]) if groups.size else 0} now")

    @staticmethod
    def available(model) -> bool:
        return has_metric(model, "occupational_groups") and has_metric(model, "occupational_group_members")


class SpreadChart(TimeChart):
    """Integration and regulation over time: the median citizen and the 10th to 90th percentile band."""

    key = "spread"
    title = "Integration and regulation: median and 10-90% band"
    ylabel = "0-1"
    grid = 0.1

    def __init__(self, model):
        super().__init__(model)
        self.compare = False  # bands of two runs on one chart would hide each other
        self.bands = {}
        for name, colour in (("integration", "#0077BB"), ("regulation", "#CC3311")):
            self.add_line(f"{name}_q50", f"{name} (median)", colour)
            self.bands[name] = None
        self.lines_colours = {"integration": "#0077BB", "regulation": "#CC3311"}

    def update(self, model) -> None:
        super().update(model)
        for name, colour in self.lines_colours.items():
            lo, hi = series(model, f"{name}_q10"), series(model, f"{name}_q90")
            old = self.bands[name]
            if old is not None:
                old.remove()
                self.dynamic.remove(old)
            band = self.ax.fill_between(np.arange(lo.size), lo, hi, color=colour, alpha=0.18, lw=0, animated=True)
            self.bands[name] = band
            self.dynamic.insert(0, band)
        self.ax.set_ylim(0, 1)
        self.spread_end_labels()

    @staticmethod
    def available(model) -> bool:
        return all(has_metric(model, f"{n}_q{q}") for n in ("integration", "regulation") for q in (10, 50, 90))


class SectorRegulationChart(TimeChart):
    """Mean regulation in each sector of the economy."""

    key = "sectors"
    spread = True
    title = "Regulation by sector"
    ylabel = "mean regulation (0-1)"

    def __init__(self, model):
        super().__init__(model)
        for i, name in enumerate(SECTOR_NAMES):
            if has_metric(model, f"mean_regulation_{name}"):
                self.add_line(f"mean_regulation_{name}", sector_label(name), SECTOR_COLOURS[i])

    @staticmethod
    def available(model) -> bool:
        return any(k.startswith("mean_regulation_") for k in model.datacollector.model_vars)


class DistributionChart(Chart):
    """How integration and regulation are spread over citizens this week, with the state thresholds."""

    key = "distribution"
    title = "Integration and regulation this week"
    BINS = 40

    def __init__(self, model):
        super().__init__(model, height=3.2)
        self.ax.remove()
        self.axes = self.fig.subplots(1, 2, sharey=True)
        self.ax = self.axes[0]
        self.heading = self.ax.set_title(self.title, fontsize=FONT, loc="left", color=INK)
        p = model.params
        self.edges = np.linspace(0, 1, self.BINS + 1)
        self.compare = getattr(model, "counterpart", None) is not None
        self.steps = {}
        for ax, name, lo, hi, (low_state, high_state) in (
            (self.axes[0], "integration", p.integration_low, p.integration_high,
             (DurkheimState.EGOISM, DurkheimState.ALTRUISM)),
            (self.axes[1], "regulation", p.regulation_low, p.regulation_high,
             (DurkheimState.ANOMIE, DurkheimState.FATALISM)),
        ):
            style_axes(ax)
            ax.axvspan(0, lo, color=STATE_COLOURS[low_state], alpha=0.12, lw=0)
            ax.axvspan(hi, 1, color=STATE_COLOURS[high_state], alpha=0.12, lw=0)
            ax.text(lo / 2, 0.97, STATE_LABELS[low_state], transform=ax.get_xaxis_transform(), ha="center", va="top",
                    fontsize=SMALL_FONT, color=text_colour(STATE_COLOURS[low_state]), fontweight="bold")
            ax.text((hi + 1) / 2, 0.97, STATE_LABELS[high_state], transform=ax.get_xaxis_transform(), ha="center",
                    va="top", fontsize=SMALL_FONT, color=text_colour(STATE_COLOURS[high_state]), fontweight="bold")
            ax.set_xlim(0, 1)
            ax.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
            ax.set_xlabel(name)
            (mine,) = ax.step([], [], where="post", color=INK, lw=2.0)
            (other,) = ax.step([], [], where="post", color=INK, lw=1.6, ls=(0, (5, 3)))
            other.set_visible(self.compare)
            self.steps[name] = (mine, other)
            self.dynamic += [mine, other]
        self.axes[0].set_ylabel("share of citizens")

    def shares(self, values: np.ndarray) -> np.ndarray:
        counts, _ = np.histogram(np.clip(values, 0, 1), self.edges)
        return np.append(counts, counts[-1:]) / max(values.size, 1)

    def update(self, model) -> None:
        top = 0.0
        other_model = getattr(model, "counterpart", None)
        for name, (mine, other) in self.steps.items():
            h = self.shares(getattr(model.citizens, name))
            mine.set_data(self.edges, h)
            top = max(top, h.max())
            if other_model is not None and self.compare:
                ho = self.shares(getattr(other_model.citizens, name))
                other.set_data(self.edges, ho)
                top = max(top, ho.max())
        self.axes[0].set_ylim(0, nice_ceiling(top * 1.15))


class StateDots:
    """Citizens as dots, one marker line per state.

    Agg draws a line's markers in one pass when they share a colour; a scatter with a
    colour per dot costs about five times as much per frame.
    """

    def __init__(self, ax, size: float, zorder: float = 2):
        self.lines = {
            s: ax.plot([], [], ls="", marker="o", ms=size, mew=0, color=STATE_COLOURS[s], zorder=zorder)[0]
            for s in STATES
        }
        self.artists = list(self.lines.values())

    def update(self, x: np.ndarray, y: np.ndarray, state: np.ndarray) -> None:
        for s, line in self.lines.items():
            mine = state == s
            line.set_data(x[mine], y[mine])

    def count(self) -> int:
        return sum(len(line.get_xdata()) for line in self.artists)


class PlaneChart(Chart):
    """Durkheim's plane: integration (x) against regulation (y), four regions shaded and named."""

    key = "plane"
    title = "Durkheim's plane"

    def __init__(self, model):
        super().__init__(model, height=5.6, width=5.8)
        p = model.params
        ax = self.ax
        il, ih, rl, rh = p.integration_low, p.integration_high, p.regulation_low, p.regulation_high
        regions = [
            (DurkheimState.EGOISM, (0, 0), il, 1, (il / 2, 0.5)),
            (DurkheimState.ALTRUISM, (ih, 0), 1 - ih, 1, ((ih + 1) / 2, 0.5)),
            (DurkheimState.ANOMIE, (il, 0), ih - il, rl, ((il + ih) / 2, rl / 2)),
            (DurkheimState.FATALISM, (il, rh), ih - il, 1 - rh, ((il + ih) / 2, (rh + 1) / 2)),
        ]
        from matplotlib.patches import Rectangle

        for state, xy, w, h, (tx, ty) in regions:
            ax.add_patch(Rectangle(xy, w, h, color=STATE_COLOURS[state], alpha=0.10, lw=0))
            ax.text(tx, ty, STATE_LABELS[state], ha="center", va="center", fontsize=FONT,
                    color=text_colour(STATE_COLOURS[state]), weight="bold", rotation=90 if w < 0.4 and h > 0.5 else 0)
        ax.text((il + ih) / 2, (rl + rh) / 2, "healthy\nmiddle", ha="center", va="center", fontsize=SMALL_FONT,
                color=text_colour(STATE_COLOURS[DurkheimState.INTEGRATED]))
        for x in (il, ih):
            ax.axvline(x, color="grey", ls="--", lw=0.8)
        for y in (rl, rh):
            ax.axhline(y, color="grey", ls="--", lw=0.8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("integration")
        ax.set_ylabel("regulation")
        self.dots = StateDots(ax, size=4.0)
        self.dynamic = [*self.dots.artists]

    def update(self, model) -> None:
        cs = model.citizens
        lay = layout_for(model)
        rows = lay.rows if lay.sampled else np.arange(cs.n)
        self.dots.update(cs.integration[rows], cs.regulation[rows], cs.state[rows])
        # no counts in the heading: during migration they would change, and with them the
        # background, every week (the population is on the page's week line)
        self.heading.set_text(f"{self.title}: a fixed sample of {rows.size:,} citizens" if lay.sampled
                              else f"{self.title}: every citizen")


class NetworkChart(Chart):
    """The community network coloured by state, with social workers and their current clients."""

    key = "network"
    title = "The community"

    def __init__(self, model):
        super().__init__(model, height=5.6, width=5.8)
        ax = self.ax
        ax.set_axis_off()
        lay = layout_for(model)
        lo, hi = lay.pos.min(0), lay.pos.max(0)
        pad = 0.05 * (hi - lo).max()
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        self.ties = LineCollection([], colors="#999999", linewidths=0.25, alpha=0.35)
        ax.add_collection(self.ties)
        self.links = LineCollection([], colors=WORKER_COLOUR, linewidths=0.6, alpha=0.6)
        ax.add_collection(self.links)
        self.dots = StateDots(ax, size=4.4, zorder=3)
        (self.rings,) = ax.plot([], [], ls="", marker="o", ms=9, mfc="none", mec=WORKER_COLOUR, mew=0.8, zorder=4)
        (self.workers,) = ax.plot([], [], ls="", marker="s", ms=10, color=WORKER_COLOUR, zorder=5)
        self._ties_drawn_at = None
        # ties are part of the background: drawing ~4,000 segments every frame cost ~40 ms,
        # and from one week to the next only a few of them change
        self.dynamic = [self.links, *self.dots.artists, self.rings, self.workers]

    def static_key(self) -> tuple:
        return super().static_key() + (self._ties_drawn_at,)

    def update(self, model) -> None:
        lay = layout_for(model)
        cs = model.citizens
        due = self._ties_drawn_at is None or abs(model.steps - self._ties_drawn_at) >= TIE_REFRESH
        if due:
            u, v = lay.edges(model)
            self.ties.set_segments(np.stack([lay.pos[u], lay.pos[v]], axis=1))
            self._ties_drawn_at = model.steps
        self.dots.update(lay.pos[:, 0], lay.pos[:, 1], cs.state[lay.rows])
        client_slots, worker_xy, links = [], [], []
        for w in model.social_workers:
            slots = lay.slots(w.clients)
            slots = slots[slots >= 0]
            patch = lay.slots(w.patch_rows[:: max(1, w.patch_rows.size // 50)])
            patch = patch[patch >= 0]
            if patch.size == 0 and slots.size == 0:
                continue
            # a worker sits at the centre of the neighbourhood they cover
            centre = lay.pos[patch].mean(0) if patch.size else lay.pos[slots].mean(0)
            worker_xy.append(centre)
            client_slots.append(slots)
            links.extend(np.stack([np.broadcast_to(centre, (slots.size, 2)), lay.pos[slots]], axis=1))
        clients = np.concatenate(client_slots) if client_slots else np.empty(0, dtype=np.int64)
        self.rings.set_data(lay.pos[clients, 0], lay.pos[clients, 1])
        wxy = np.array(worker_xy).reshape(-1, 2)
        self.workers.set_data(wxy[:, 0], wxy[:, 1])
        self.links.set_segments(links)
        shown = f"a fixed sample of {lay.rows.size:,} citizens" if lay.sampled else "every citizen"
        self.heading.set_text(f"{self.title}: {shown}, {len(model.social_workers)} social workers")


class SocialWorkChart(TimeChart):
    """Open cases, waiting list and missed high-risk people over time, against the service's capacity."""

    key = "social_work"
    title = "Social work"
    ylabel = "people"
    zoom = False

    def __init__(self, model):
        super().__init__(model)
        self.add_line("open_cases", "open cases", "#44AA99")
        self.add_line("waiting_list", "waiting list", "#DDAA33")
        self.add_line("missed_high_risk", "missed high-risk", "#CC3311")
        # the service's capacity: every worker at the caseload limit; it also sets the scale,
        # so the axis (and the background) seldom has to change during a run
        self.capacity = model.n_posts * model.metrics["caseload_limit"]
        if self.capacity:
            self.ax.axhline(self.capacity, color="#44AA99", ls=":", lw=1.2)
            self.ax.text(1, self.capacity, " caseload capacity", fontsize=SMALL_FONT, color=INK, va="bottom")

    def update(self, model) -> None:
        super().update(model)
        top = max([1.0, float(self.capacity)] + [float(line[0].get_ydata().max()) for line in self.lines.values()
                                                 if len(line[0].get_ydata())])
        self.ax.set_ylim(0, nice_ceiling(top * 1.1))
        self.spread_end_labels()


# Where social work acts: each group drawn in a darker colour than its matched comparison
# (Tol's blue and cyan, wine and rose); colour-blind safe with INK (tests/dashboard/test_palette.py).
# The last field names the metric that counts the cohort behind the share.
WHERE_IT_ACTS = (
    ("anomie_clients", "clients", "#0077BB", 2.4, "cases_opened_total"),
    ("anomie_matched", "non-clients", "#33BBEE", 1.8, "cases_opened_total"),
    ("anomie_joiners", "group joiners", "#882255", 2.4, "matched_group_pairs"),
    ("anomie_matched_non_members", "non-members", "#CC6677", 1.8, "matched_group_pairs"),
    ("share_anomie", "everyone", INK, 1.4, None),
)
MIN_COHORT = 10  # a share over fewer people is not drawn: one person would move it by 10 points or more


class WhereSocialWorkActsChart(TimeChart):
    """Anomie where social work acts: its clients against matched non-clients, group joiners against
    matched never-members, with the whole population for reference (observational comparisons)."""

    key = "social_work_effects"
    title = "Where social work acts: anomie"
    ylabel = "share anomic"
    grid = 0.1

    def __init__(self, model):
        super().__init__(model)
        self.needs = {}
        for name, label, colour, lw, needs in WHERE_IT_ACTS:
            self.add_line(name, label, colour, lw=lw)
            self.needs[name] = needs
        # bottom right: shock names hang from the top, and the axis starts at 0 below the lines
        self.note = self.ax.text(0.99, 0.03, "", transform=self.ax.transAxes, fontsize=SMALL_FONT, color=SHOCK_GREY,
                                 va="bottom", ha="right")
        self.dynamic.append(self.note)

    def values(self, model, name: str) -> np.ndarray:
        """A quarter's mean of the weekly share. Weeks with fewer than MIN_COHORT people in the cohort
        are left out (the model reports 0 for an empty one: "no clients yet" must not read as "no anomie")."""
        weekly = series(model, name)
        needs = self.needs.get(name)
        if needs is not None:
            weekly = np.where(series(model, needs) >= MIN_COHORT, weekly, np.nan)
        return trailing_mean(weekly)

    def update(self, model) -> None:
        super().update(model)
        for mine, _, tag in self.lines.values():
            tag.set_visible(bool(np.isfinite(mine.get_ydata()).any()))
        spread_labels([tag for _, _, tag in self.lines.values() if tag.get_visible()], self.ax)
        few = [what for what, needs in (("clients", "cases_opened_total"), ("joiners", "matched_group_pairs"))
               if model.metrics[needs] < MIN_COHORT]
        self.note.set_text(f"too few yet: {', '.join(few)}" if few else "")

    @staticmethod
    def available(model) -> bool:
        return all(has_metric(model, name) and (needs is None or has_metric(model, needs))
                   for name, _, _, _, needs in WHERE_IT_ACTS)


CHARTS = {c.key: c for c in (CohesionChart, SharesChart, DifferenceChart, CrisisChart, SolidarityChart,
                             DistributionChart, SpreadChart, PlaneChart, NetworkChart, SocialWorkChart,
                             WhereSocialWorkActsChart, GroupsChart, SectorRegulationChart)}


def available_charts(model) -> list[str]:
    """The charts this model has data for: the comparison's only when comparing, groups and sectors when
    the model records them (the model names them in its metric list)."""
    keys = []
    for key, cls in CHARTS.items():
        if key == "difference" and getattr(model, "counterpart", None) is None:
            continue
        available = getattr(cls, "available", None)
        if available is not None and not available(model):
            continue
        keys.append(key)
    return keys

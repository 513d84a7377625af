"""The dashboard's charts, drawn with Matplotlib on the server.

Matplotlib renders to PNG on the server, so the browser needs no charting JavaScript and
the page works offline (a known trap). Each chart builds its figure and static
parts (axes, regions, shock bands) once per model and then only moves its artists each
frame, which keeps a frame well under the 100 ms budget at 1,000 citizens.
"""

from __future__ import annotations

import abc
import io
import threading

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from PIL import Image

from model.typology import DurkheimState

from .layout import layout_for
from .texts import STATE_COLOURS, STATE_LABELS

DPI = 80  # screen resolution of the live charts; exports are drawn at EXPORT_DPI
EXPORT_DPI = 150
PALETTE_COLOURS = 64
STATES = tuple(DurkheimState)
# RGBA rows, so that colouring 1,000 dots is one fancy index and not 1,000 colour parses
COLOUR_TABLE = to_rgba_array([STATE_COLOURS[s] for s in STATES])
TIE_REFRESH = 10  # weeks between redraws of the ties, which sit in the background
WORKER_COLOUR = "#111111"


def series(model, name: str) -> np.ndarray:
    """One metric over all recorded weeks, read straight from the DataCollector (no DataFrame per frame)."""
    return np.asarray(model.datacollector.model_vars[name], dtype=float)


def png(fig: Figure, dpi: int = DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _time_axis(model) -> int:
    """Weeks shown: the scenario's suggested length, or longer once the run passes it."""
    return max(int(model.spec.steps), int(model.steps) + 1)


class Chart(abc.ABC):
    """A figure whose static parts are drawn once and whose moving artists are redrawn each frame.

    Blitting: the background (axes, ticks, regions, shock bands) is rendered once into a
    buffer; a frame restores it and draws only the artists in `self.dynamic`. The
    background is redrawn only when `static_key` changes (for instance the time axis
    grows past the scenario's length). Encoding the PNG at a low compression level keeps
    the rest of the frame cheap; the bytes only travel over the loopback interface.
    """

    key = "chart"
    title = ""

    def __init__(self, model, size=(6.4, 3.0)):
        # constrained layout would be recomputed at every savefig (it cost ~150 ms a frame);
        # the margins are fixed once in `freeze_layout` instead
        self.fig = Figure(figsize=size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        # the left title is its own Text artist (not ax.title), moved by charts that show the week
        self.heading = self.ax.set_title(self.title, fontsize=11, loc="left")
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
        # headings are static too: drawing text every frame cost more than all the dots
        return (self.heading.get_text(), *((a.get_xlim(), a.get_ylim()) for a in self.fig.axes))

    def render(self, model, dpi: int = DPI) -> bytes:
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


def error_png(message: str) -> bytes:
    """A small image that says what went wrong, shown where the chart would be."""
    fig = Figure(figsize=(6.4, 1.2), dpi=DPI)
    fig.text(0.02, 0.5, message, color="#b2182b", fontsize=10, va="center", wrap=True)
    return png(fig)


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


def mark_shocks(ax, scenario) -> list[str]:
    """Shade each shock from its first to its last week; a permanent one runs to the edge."""
    labels = []
    for i, shock in enumerate(scenario.shocks):
        end = shock.end
        colour = f"C{i % 10}"
        label = f"{shock.label} (week {shock.start}" + (f" to {end})" if end is not None else ", permanent)")
        ax.axvline(shock.start, color=colour, lw=1.2)
        if end is not None:
            ax.axvline(end, color=colour, lw=1.0, ls="--")
            ax.axvspan(shock.start, end, color=colour, alpha=0.08, label=label)
        else:
            ax.axvspan(shock.start, 1e9, color=colour, alpha=0.05, label=label)
        labels.append(label)
    return labels


class CohesionChart(Chart):
    """Cohesion over time, the main chart, with shocks marked; in compare mode a second curve."""

    key = "cohesion"
    title = "Cohesion over time"

    def __init__(self, model, other_label: str | None = None):
        super().__init__(model, size=(7.2, 3.2))
        ax = self.ax
        self.shock_labels = mark_shocks(ax, model.spec)
        (self.line,) = ax.plot([], [], color="black", lw=1.8, label="this run")
        (self.other,) = ax.plot([], [], color="#d6604d", lw=1.6, ls="-", label=other_label or "comparison")
        self.other.set_visible(other_label is not None)
        self.dynamic = [self.line, self.other]
        ax.set_xlabel("week")
        ax.set_ylabel("cohesion (0-1)")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left", fontsize=7, framealpha=0.8)

    def update(self, model) -> None:
        y = series(model, "cohesion")
        self.line.set_data(np.arange(y.size), y)
        other = getattr(model, "counterpart", None)
        if other is not None and self.other.get_visible():
            yo = series(other, "cohesion")
            self.other.set_data(np.arange(yo.size), yo)
        self.ax.set_xlim(0, _time_axis(model))

    def curves(self) -> int:
        """How many cohesion curves have data (the e2e and component tests read this)."""
        return sum(1 for line in (self.line, self.other) if line.get_visible() and len(line.get_xdata()) > 0)


class SharesChart(Chart):
    """Shares of the five states over time."""

    key = "shares"
    title = "Egoism, altruism, anomie, fatalism and the healthy middle"

    def __init__(self, model):
        super().__init__(model, size=(7.2, 3.0))
        ax = self.ax
        mark_shocks(ax, model.spec)
        self.lines = {}
        for s in STATES:
            (self.lines[s],) = ax.plot([], [], color=STATE_COLOURS[s], lw=1.6, label=STATE_LABELS[s])
        ax.set_xlabel("week")
        ax.set_ylabel("share of citizens")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        handles = [self.lines[s] for s in STATES]
        self.dynamic = handles
        ax.legend(handles=handles, loc="center left", fontsize=7, framealpha=0.8)

    def update(self, model) -> None:
        from model.typology import STATE_NAMES

        for s in STATES:
            y = series(model, f"share_{STATE_NAMES[s]}")
            self.lines[s].set_data(np.arange(y.size), y)
        self.ax.set_xlim(0, _time_axis(model))


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
        super().__init__(model, size=(4.6, 4.4))
        self.heading.set_fontsize(9)
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
            ax.text(tx, ty, STATE_LABELS[state], ha="center", va="center", fontsize=10,
                    color=STATE_COLOURS[state], alpha=0.9, weight="bold", rotation=90 if w < 0.4 and h > 0.5 else 0)
        ax.text((il + ih) / 2, (rl + rh) / 2, "healthy\nmiddle", ha="center", va="center", fontsize=9,
                color=STATE_COLOURS[DurkheimState.INTEGRATED], alpha=0.6)
        for x in (il, ih):
            ax.axvline(x, color="grey", ls="--", lw=0.8)
        for y in (rl, rh):
            ax.axhline(y, color="grey", ls="--", lw=0.8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("integration")
        ax.set_ylabel("regulation")
        self.dots = StateDots(ax, size=2.8)
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
        super().__init__(model, size=(4.6, 4.4))
        self.heading.set_fontsize(8)
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
        self.dots = StateDots(ax, size=3.2, zorder=3)
        (self.rings,) = ax.plot([], [], ls="", marker="o", ms=6.5, mfc="none", mec=WORKER_COLOUR, mew=0.8, zorder=4)
        (self.workers,) = ax.plot([], [], ls="", marker="s", ms=7, color=WORKER_COLOUR, zorder=5)
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


class SocialWorkChart(Chart):
    """Open cases, waiting list and missed high-risk people over time; burnout on its own scale."""

    key = "social_work"
    title = "Social work"

    def __init__(self, model):
        super().__init__(model, size=(7.2, 2.8))
        ax = self.ax
        mark_shocks(ax, model.spec)
        (self.cases,) = ax.plot([], [], color="#4d9221", lw=1.6, label="open cases")
        (self.waiting,) = ax.plot([], [], color="#f1a340", lw=1.6, label="waiting list")
        (self.missed,) = ax.plot([], [], color="#b2182b", lw=1.6, label="missed high-risk")
        ax.set_xlabel("week")
        ax.set_ylabel("people")
        ax.grid(alpha=0.3)
        # the service's realistic capacity: every worker at the caseload limit; it also sets
        # the scale, so the axis (and the background) seldom has to change during a run
        p = model.params
        self.capacity = p.n_social_workers * p.caseload_limit
        if self.capacity:
            ax.axhline(self.capacity, color="#4d9221", ls="--", lw=0.9)
            ax.text(1, self.capacity, " caseload capacity", fontsize=7, color="#4d9221", va="bottom")
        self.ax2 = ax.twinx()
        (self.burnout,) = self.ax2.plot([], [], color="#542788", lw=1.2, ls=":", label="mean burnout (right)")
        self.ax2.set_ylim(0, 1)
        self.ax2.set_ylabel("burnout (0-1)")
        ax.legend(handles=[self.cases, self.waiting, self.missed, self.burnout], loc="upper left", fontsize=7)
        self.dynamic = [self.cases, self.waiting, self.missed, self.burnout]

    def update(self, model) -> None:
        top = max(1.0, float(self.capacity))
        for line, name in ((self.cases, "open_cases"), (self.waiting, "waiting_list"), (self.missed, "missed_high_risk")):
            y = series(model, name)
            line.set_data(np.arange(y.size), y)
            top = max(top, float(y.max()) if y.size else 0.0)
        b = series(model, "mean_burnout")
        self.burnout.set_data(np.arange(b.size), b)
        self.ax.set_ylim(0, nice_ceiling(top * 1.1))
        self.ax.set_xlim(0, _time_axis(model))


CHARTS = {c.key: c for c in (CohesionChart, SharesChart, PlaneChart, NetworkChart, SocialWorkChart)}

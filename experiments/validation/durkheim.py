"""The model beside Durkheim's own numbers: crisis years and occupations (Suicide, 1897, Book II ch. 5).

Durkheim's figures are in experiments/data/durkheim/ with their sources. Only ratios are
compared, never levels: the model's "crisis" is a neutral stand-in for suicide.

- **Acute anomie**: for each of his crisis years, the count (or rate) after over before.
  The model's figure is the yearly crisis rate in the year after a crash (or boom) over the
  same year of the same society, same seed, without the shock (common random numbers).
- **Chronic anomie** (Table XXIV): suicides per million workers in trade and in industry
  over agriculture, per country. The model's figure is the crisis rate per sector over
  agriculture's in a calm society at equilibrium.

A figure the model was calibrated on (docs/calibration.md says which) is shown but labelled
*calibration*: agreeing with it is not evidence. The others are held-out checks.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import facts
from .checks import CALIBRATION, VALIDATION, Check, Section, markdown_table, plt, save_figure

DATA = Path(__file__).resolve().parents[1] / "data" / "durkheim"
SOURCE = "Durkheim (1897), Le Suicide, Book II ch. 5 and Table XXIV (experiments/data/durkheim/)"

# Which of Durkheim's figures the model's parameters were calibrated on (docs/calibration.md).
# Keys: "crash", "boom", "trade", "industry". A calibrated figure is labelled so and not counted;
# the boom is held out.
CALIBRATED: dict[str, str] = {
    "crash": "means_sensitivity, fitted to the median crash year",
    "trade": "regulation_trade, fitted to the median of Table XXIV",
    "industry": "regulation_industry, fitted to the median of Table XXIV",
}


def crisis_years(path: Path = DATA / "crises.csv") -> pd.DataFrame:
    """Durkheim's crisis years with the ratio after / before."""
    df = pd.read_csv(path)
    df["ratio"] = df["value_after"] / df["value_before"]
    return df


def occupations(path: Path = DATA / "occupations.csv") -> pd.DataFrame:
    """Table XXIV with trade / agriculture and industry / agriculture per country."""
    df = pd.read_csv(path)
    df["trade"] = df["trade"] / df["agriculture"]
    df["industry"] = df["industry"] / df["agriculture"]
    return df[["country", "period", "trade", "industry"]]


def geometric_ci(ratios: list[float]) -> tuple[float, float, float]:
    """Geometric mean of per-seed ratios with the 95% t-interval of their logarithms."""
    logs = [math.log(r) for r in ratios if r and r > 0 and math.isfinite(r)]
    m, lo, hi = facts.mean_ci(logs)
    return tuple(math.exp(x) if math.isfinite(x) else math.nan for x in (m, lo, hi))  # type: ignore[return-value]


def compare(name: str, model: tuple[float, float, float], spread: np.ndarray, seeds: int, what: str) -> Check:
    """The model's ratio (geometric mean over seeds) must lie inside the range of Durkheim's figures."""
    lo, hi = float(np.min(spread)), float(np.max(spread))
    m, clo, chi = model
    ok = bool(np.isfinite(m) and lo <= m <= hi)
    kind = CALIBRATION if name in CALIBRATED else VALIDATION
    note = f" (calibrated on: {CALIBRATED[name]})" if name in CALIBRATED else ""
    return Check(f"Durkheim's numbers: {what}{note}", SOURCE,
                 f"the model's ratio (geometric mean over seeds) lies inside Durkheim's range {lo:.2f} to {hi:.2f}",
                 f"x{m:.3f}, 95% CI [{clo:.3f}, {chi:.3f}]", ok, seeds, kind=kind)


def figure(model: dict[str, tuple[float, float, float]], years: pd.DataFrame, occ: pd.DataFrame, path: Path) -> Path:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), dpi=110)
    rng = np.random.default_rng(0)  # horizontal jitter of the points only
    for i, key in enumerate(("crash", "boom")):
        pts = years.loc[years["kind"] == key, "ratio"].to_numpy()
        ax1.scatter(np.full(pts.size, i - 0.12) + rng.uniform(-0.04, 0.04, pts.size), pts, color="grey",
                    label="Durkheim (places and years)" if i == 0 else None)
        _bar(ax1, i + 0.12, model.get(key), "model (95% CI over seeds)" if i == 0 else None)
    ax1.set(xlim=(-0.5, 1.5), xticks=[0, 1], xticklabels=["crash", "boom"], ylabel="crisis rate after / without (before)",
            title="Acute anomie: the year after a shock")
    ax1.axhline(1, color="black", lw=0.6)
    ax1.legend(fontsize=8)
    for i, key in enumerate(("trade", "industry")):
        pts = occ[key].dropna().to_numpy()
        ax2.scatter(np.full(pts.size, i - 0.12) + rng.uniform(-0.04, 0.04, pts.size), pts, color="grey",
                    label="Durkheim, Table XXIV (countries)" if i == 0 else None)
        _bar(ax2, i + 0.12, model.get(key), "model (95% CI over seeds)" if i == 0 else None)
    ax2.set(xlim=(-0.5, 1.5), xticks=[0, 1], xticklabels=["trade / agriculture", "industry / agriculture"], yscale="log",
            ylabel="rate ratio (log scale)", title="Chronic anomie: sectors at equilibrium")
    ax2.axhline(1, color="black", lw=0.6)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)


def _bar(ax, x: float, value: tuple[float, float, float] | None, label: str | None) -> None:
    if value is None or not math.isfinite(value[0]):
        ax.text(x, 1.0, "not\nmeasured", ha="center", va="bottom", fontsize=8, color="tab:red")
        return
    m, lo, hi = value
    ax.errorbar([x], [m], yerr=[[m - lo], [hi - m]], fmt="o", color="tab:red", capsize=4, label=label)


def section(cfg: facts.FactConfig, fig_dir: Path) -> Section:
    t0 = time.perf_counter()
    s = Section("Durkheim's numbers", __doc__.split("\n\n", 1)[1].strip())
    years, occ = crisis_years(), occupations()
    model: dict[str, tuple[float, float, float]] = {}
    for key in ("crash", "boom"):
        model[key] = geometric_ci(facts.acute_ratios(cfg, key))
        spread = years.loc[years["kind"] == key, "ratio"].to_numpy()
        s.checks.append(compare(key, model[key], spread, cfg.seeds, f"crisis rate after a {key}, over none"))
    sectors = facts.sector_ratios(cfg)
    for key in ("trade", "industry"):
        what = f"{key} / agriculture crisis rate at equilibrium"
        if sectors is None:
            s.checks.append(Check(f"Durkheim's numbers: {what}", SOURCE, "the model reports crises per sector",
                                  "not measurable: the model has no crisis_rate_<sector> metrics", False,
                                  kind=VALIDATION, status="not measurable"))
            continue
        model[key] = geometric_ci(sectors[key])
        s.checks.append(compare(key, model[key], occ[key].dropna().to_numpy(), cfg.seeds, what))
    rows = [[r.place, r.event, r.kind, f"{r.period_before} -> {r.period_after}", f"x{r.ratio:.3f}"]
            for r in years.itertuples()]
    rows += [["**model**", f"{k}, {cfg.n_citizens} citizens", k, "year after vs same year without",
              f"**x{model[k][0]:.3f}** [{model[k][1]:.3f}, {model[k][2]:.3f}]"] for k in ("crash", "boom")]
    s.tables.append(markdown_table(["place", "event", "kind", "years", "after / before"], rows))
    orow = [[r.country, r.period, f"{r.trade:.2f}", f"{r.industry:.2f}"] for r in occ.itertuples()]
    orow.append(["**median**", "", f"{occ['trade'].median():.2f}", f"{occ['industry'].median():.2f}"])
    if "trade" in model:
        orow.append(["**model**", f"equilibrium, {cfg.n_citizens} citizens",
                     *(f"**{model[k][0]:.2f}** [{model[k][1]:.2f}, {model[k][2]:.2f}]" for k in ("trade", "industry"))])
    s.tables.append(markdown_table(["country", "period", "trade / agriculture", "industry / agriculture"], orow))
    figure(model, years, occ, fig_dir / "durkheim.png")
    s.figures.append(("durkheim.png", "The model's ratios (red, 95% interval over seeds) beside Durkheim's own "
                                      "spread over places and countries (grey)"))
    s.notes.append("Calibrated figures: " + (", ".join(f"{k} ({v})" for k, v in CALIBRATED.items()) or
                                             "none; every comparison above is held out") + ". France's counts grew "
                   "about 2% a year in the background, so its crash-year ratios overstate the excess by about that.")
    s.seconds = time.perf_counter() - t0
    return s

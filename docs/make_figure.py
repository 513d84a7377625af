"""Draw the README's figure: the industrial revolution with and without social work, over many seeds.

    .venv/bin/python docs/make_figure.py            # writes docs/img/industrial_revolution.png

Each seed is run twice, with and without social work. With one random stream per mechanism
(`model.streams`) the two runs of a seed share every draw that social work does not touch
(common random numbers), so their difference is the effect of social work, not noise. The
figure shows the median over seeds and the band from the 10th to the 90th percentile, for
each condition and for the paired difference.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from anomie.scenarios.run import simulate  # noqa: E402
from anomie.scenarios.loading import load_scenario  # noqa: E402

OUT = Path(__file__).with_name("img") / "industrial_revolution.png"
SEEDS = range(1, 21)
WITH, WITHOUT = "industrial_revolution", "industrial_revolution_no_social_work"
PANELS = (("share_anomie", "Share anomic"), ("crises", "Crises per week"), ("cohesion", "Cohesion index (0-1)"))


def runs(scenario: str, seeds) -> dict[str, pd.DataFrame]:
    """One table per metric: weeks as rows, seeds as columns."""
    frames = [simulate(scenario, seed=s)[0] for s in seeds]
    return {m: pd.concat([f[m] for f in frames], axis=1, keys=list(seeds)) for m, _ in PANELS}


def band(ax, table: pd.DataFrame, colour: str, label: str, smooth: int = 1) -> None:
    t = table.rolling(smooth, min_periods=1).mean() if smooth > 1 else table
    q = t.quantile([0.1, 0.5, 0.9], axis=1).T
    ax.fill_between(q.index, q[0.1], q[0.9], color=colour, alpha=0.25, lw=0)
    ax.plot(q.index, q[0.5], color=colour, label=label)


def main(seeds=SEEDS, out: Path = OUT) -> Path:
    seeds = list(seeds)
    a, b = runs(WITH, seeds), runs(WITHOUT, seeds)
    spec = load_scenario(WITH)
    workers_per_1000 = spec.parameters.social_workers_per_1000
    fig, axes = plt.subplots(2, len(PANELS), figsize=(14, 7), dpi=110, sharex=True)
    for col, (metric, title) in enumerate(PANELS):
        smooth = 4 if metric == "crises" else 1  # weekly counts: a four-week mean
        top, bottom = axes[0, col], axes[1, col]
        band(top, b[metric], "tab:red", "without social work", smooth)
        band(top, a[metric], "tab:blue", f"with social work ({workers_per_1000:g} workers per 1,000)", smooth)
        band(bottom, a[metric] - b[metric], "tab:purple", "with minus without, same seed", smooth)
        bottom.axhline(0, color="black", lw=0.6)
        top.set(title=title)
        bottom.set(title=f"{title}: effect of social work", xlabel="week")
        for ax in (top, bottom):
            for s in spec.shocks:
                ax.axvline(s.start, color="grey", lw=0.8, ls=":")
        for s in spec.shocks:
            top.text(s.start + 2, 0.97, s.kind, rotation=90, fontsize=7, color="grey", va="top",
                     transform=top.get_xaxis_transform())
    axes[0, 0].legend(loc="center right", fontsize=8)
    axes[1, 0].legend(loc="lower right", fontsize=8)
    fig.suptitle(f"{len(seeds)} seeds: line = median, band = 10th to 90th percentile over seeds", fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else len(SEEDS)
    print(f"wrote {main(range(1, n + 1))}")

"""Draw the README's figure: the industrial revolution with and without social work.

    .venv/bin/python docs/make_figure.py            # writes docs/img/industrial_revolution.png
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from scenarios.run import simulate  # noqa: E402
from scenarios.loading import load_scenario  # noqa: E402

OUT = Path(__file__).with_name("img") / "industrial_revolution.png"
SEED = 7


def main() -> None:
    with_sw, _ = simulate("industrial_revolution", seed=SEED)
    without, _ = simulate("industrial_revolution_no_social_work", seed=SEED)
    spec = load_scenario("industrial_revolution")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2), dpi=110)
    for s in spec.shocks:
        for ax in (ax1, ax2):
            ax.axvline(s.start, color="grey", lw=0.8, ls=":")
            ax.text(s.start + 2, 0.02, s.kind, rotation=90, fontsize=8, color="grey", transform=ax.get_xaxis_transform())
    ax1.plot(with_sw.index, with_sw["cohesion"], label="with social work (12 workers)", color="tab:blue")
    ax1.plot(without.index, without["cohesion"], label="without social work", color="tab:red")
    ax1.set(title="Cohesion", xlabel="week", ylabel="cohesion index (0-1)")
    ax1.legend(loc="lower left", fontsize=8)
    colours = {"healthy": "tab:green", "egoism": "tab:purple", "altruism": "tab:orange", "anomie": "tab:red", "fatalism": "tab:brown"}
    for state, colour in colours.items():
        ax2.plot(with_sw.index, with_sw[f"share_{state}"], color=colour, label=state)
        ax2.plot(without.index, without[f"share_{state}"], color=colour, ls="--", lw=0.8)
    ax2.set(title="Durkheim's states (solid: with social work, dashed: without)", xlabel="week", ylabel="share of citizens")
    ax2.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

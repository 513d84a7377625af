"""The stylised facts of docs/theory.md section 7 as report lines: results apart from what is by construction.

The facts live in `experiments/validation/facts.py`; each returns `FactResult`s. A result a
formula forces goes to the *by construction* part of the report; the rest are validation.
A fact the present model cannot measure is a line that says so (status "not measurable").
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from . import facts as facts_module
from .checks import CONSTRUCTION, VALIDATION, Check, Section, markdown_table

QUICK_CITIZENS = 300  # the quick suite's population (the test suite's size)
QUICK_SEEDS = 5
SOURCE = "docs/theory.md section 7, after Durkheim (1893, 1897)"


def load_facts():
    """The facts module (a function, so that a test can hand the report a module of its own)."""
    return facts_module


def fact_config(module, quick: bool, seeds: int | None, workers: int | None):
    """The facts' configuration for this suite: its defaults for the full suite, smaller for --quick."""
    wanted: dict[str, Any] = {}
    if quick:
        wanted.update(n_citizens=QUICK_CITIZENS, seeds=QUICK_SEEDS)
    if seeds is not None:
        wanted["seeds"] = seeds
    from anomie.experiments.executors import default_workers

    wanted["workers"] = workers if workers is not None else default_workers()
    return module.FactConfig(**wanted)


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return "nan" if math.isnan(x) else f"{x:.3g}"
    return str(x)


def to_check(r) -> Check:
    """One fact result as a report line."""
    if not r.measurable:
        return Check(f"Fact {r.fact}: {r.claim}", SOURCE, r.claim, f"not measurable: {r.why}", False, None,
                     kind=VALIDATION, status="not measurable")
    inside = f" (shown when the interval lies inside {r.band[0]:g} to {r.band[1]:g})" if r.band else ""
    details = "; ".join(f"{k} {v}" for k, v in r.details.items())
    measured = (f"{r.measure} = {_fmt(r.effect)}, 95% CI [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]{inside}"
                + (f"; {details}" if details else "") + (f". By construction: {r.why}" if r.kind == CONSTRUCTION else ""))
    return Check(f"Fact {r.fact}: {r.claim}", SOURCE, r.claim, measured, r.passed, r.n_seeds,
                 kind=CONSTRUCTION if r.kind == CONSTRUCTION else VALIDATION)


def section(quick: bool, seeds: int | None, fig_dir: Path, workers: int | None = None) -> tuple[Section, list[Check]]:
    """The validation section of the facts, and the fact results that hold by construction."""
    t0 = time.perf_counter()
    module = load_facts()
    cfg = fact_config(module, quick, seeds, workers)
    s = Section("Stylised facts (docs/theory.md section 7)",
                f"Each claim of the theory measured on the model with its default parameters, {cfg.n_citizens} "
                f"citizens, {cfg.seeds} seeds; conditions are paired by seed (common random numbers). Effect: mean "
                "paired difference (or log ratio) with its 95% t-interval and Cohen's d_z. *Shown* when the interval "
                "lies on the side the theory predicts. A fact the model does not show is a finding, not a number to "
                "force; one it cannot measure says what it lacks.")
    construction: list[Check] = []
    rows = []
    for k in sorted(module.FACTS):
        for r in module.FACTS[k](cfg):
            check = to_check(r)
            if check.kind == CONSTRUCTION:
                construction.append(check)
                continue
            s.checks.append(check)
            status = check.status or ("shown" if check.passed else "**not shown**")
            rows.append([str(r.fact), r.claim, r.measure, _fmt(r.effect),
                         f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]", str(r.n_seeds), status])
    s.tables.append(markdown_table(["#", "claim", "effect measured as", "effect", "95% CI", "seeds", "status"], rows))
    s.seconds = time.perf_counter() - t0
    return s, construction

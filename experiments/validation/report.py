"""The validation suite: run every check and write docs/VALIDATION.md with its figures.

    from anomie.experiments.validation.report import run_suite
    run_suite(out=Path("docs/VALIDATION.md"), quick=True)

The report and every figure are written atomically (temporary name, then rename), so a
crash or Ctrl-C leaves the previous report intact.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from anomie.experiments.storage import atomic_write_text

from . import cohesion_report, construction, deffuant, durkheim, facts_adapter, networks, sensitivity
from .checks import (CALIBRATION, CONSTRUCTION, SENSITIVITY, VALIDATION, VERIFICATION, Check, Section,
                     markdown_table)

# the parts a user can ask for (--only); "facts" also yields the "construction" part
SECTIONS = ("deffuant", "networks", "facts", "durkheim", "cohesion", "sensitivity")
# the report's order: verification, by construction, validation, then the sensitivity analysis
ORDER = ("deffuant", "networks", "construction", "facts", "durkheim", "cohesion", "sensitivity")
KIND_OF_PART = {"deffuant": VERIFICATION, "networks": VERIFICATION, "construction": CONSTRUCTION,
                "facts": VALIDATION, "durkheim": VALIDATION, "cohesion": VALIDATION, "sensitivity": SENSITIVITY}
TITLES = {
    "deffuant": "Belief mechanism: bounded confidence (Deffuant et al. 2000)",
    "networks": "Network generators (Watts & Strogatz 1998 and others)",
    "construction": "By construction: what the formulas guarantee",
    "facts": "Stylised facts (docs/theory.md section 7)",
    "durkheim": "Durkheim's numbers",
    "cohesion": "Cohesion by dimension",
    "sensitivity": "Global sensitivity (Morris, then Sobol)",
}


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parents[2])
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "model", "agents", "scenarios"],
                               capture_output=True, text=True, timeout=5, cwd=Path(__file__).resolve().parents[2])
        return out.stdout.strip() + (" (model files modified)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _failed(key: str, exc: Exception) -> Section:
    return Section(TITLES[key], "This part could not run.", checks=[Check(
        f"{TITLES[key]}: the part ran", "anomie validate", "the part runs to the end",
        f"{type(exc).__name__}: {exc}", False, kind=KIND_OF_PART[key])])


def run_sections(quick: bool, seeds: int | None, fig_dir: Path, work_dir: Path, only: tuple[str, ...] = SECTIONS,
                 workers: int | None = None, announce: Callable[[str], None] | None = None,
                 sobol_progress: Callable | None = None, samples: int | None = None,
                 done: Callable[[str, Section], None] | None = None, cluster: str | None = None,
                 design: str | None = None) -> dict[str, Section]:
    """Run the parts in order; `done(key, section)` is called after each, so finished parts are kept
    even if a later one fails. A part that raises becomes a failed check, not a lost report."""
    say = announce or (lambda _msg: None)

    def facts_parts() -> dict[str, Section]:
        validation, built_in = facts_adapter.section(quick, seeds, fig_dir, workers)
        return {"construction": construction.section(built_in), "facts": validation}

    def durkheim_part() -> dict[str, Section]:
        module = facts_adapter.load_facts()
        return {"durkheim": durkheim.section(facts_adapter.fact_config(module, quick, seeds, workers), fig_dir)}

    def cohesion_part() -> dict[str, Section]:
        module = facts_adapter.load_facts()
        return {"cohesion": cohesion_report.section(facts_adapter.fact_config(module, quick, seeds, workers))}

    parts = {
        "deffuant": ("belief mechanism against Deffuant et al. (2000)",
                     lambda: {"deffuant": deffuant.section(quick, seeds, fig_dir)}),
        "networks": ("network generators against Watts & Strogatz (1998)",
                     lambda: {"networks": networks.section(quick, seeds, fig_dir)}),
        "facts": ("stylised facts (docs/theory.md section 7)", facts_parts),
        "durkheim": ("the model beside Durkheim's numbers", durkheim_part),
        "cohesion": ("cohesion by dimension", cohesion_part),
        "sensitivity": ("global sensitivity (Morris, then Sobol)", lambda: {"sensitivity": sensitivity.section(
            quick, fig_dir, work_dir, workers=workers, progress=sobol_progress, samples=samples, cluster=cluster,
            settings=sensitivity.DESIGNS[design] if design else None)}),
    }
    out: dict[str, Section] = {}
    for key in SECTIONS:
        if key not in only:
            continue
        message, make = parts[key]
        say(message)
        try:
            made = make()
        except Exception as exc:  # noqa: BLE001 - reported in the report, not raised past it
            made = {key: _failed(key, exc)}
        for k, section in made.items():
            for c in section.checks:  # a part's checks are of its kind unless they say otherwise
                if k not in ("facts", "durkheim", "construction"):
                    c.kind = KIND_OF_PART[k]
            out[k] = section
            if done is not None:
                done(k, section)
    return out


def cache_path(work_dir: Path, quick: bool) -> Path:
    return work_dir / f"sections-{'quick' if quick else 'full'}.json"


def save_sections(path: Path, sections: dict[str, Section]) -> None:
    """Keep each part's results (plain data, JSON) so that `--only` can refresh one part of the report."""
    from dataclasses import asdict

    path.parent.mkdir(parents=True, exist_ok=True)

    def plain(x):  # numpy scalars (a check's bool, a count) as Python values
        return x.item() if hasattr(x, "item") else str(x)

    atomic_write_text(path, json.dumps({k: asdict(v) for k, v in sections.items()}, indent=1, default=plain))


def load_sections(path: Path) -> dict[str, Section]:
    """The parts kept by an earlier run of the same suite; nothing if there are none or they are unreadable."""
    try:
        raw = json.loads(path.read_text())
        out = {}
        for key, d in raw.items():
            if key in ORDER:
                d = dict(d)
                d["checks"] = [Check(**c) for c in d.get("checks", [])]
                d["figures"] = [tuple(f) for f in d.get("figures", [])]
                out[key] = Section(**d)
        return out
    except (OSError, ValueError, TypeError):
        return {}


def headline(checks: list[Check]) -> list[str]:
    """The counts: only validation is evidence; the other kinds are listed beside it, never added to it."""
    def count(kind):
        these = [c for c in checks if c.kind == kind]
        measurable = [c for c in these if c.status != "not measurable"]
        return these, measurable, sum(c.passed for c in measurable)

    val, val_m, val_ok = count(VALIDATION)
    ver, _, ver_ok = count(VERIFICATION)
    con, _, con_ok = count(CONSTRUCTION)
    cal, _, cal_ok = count(CALIBRATION)
    sen, _, sen_ok = count(SENSITIVITY)
    not_measurable = len(val) - len(val_m)
    lines = [f"**Validation: the model shows {val_ok} of {len(val_m)} measurable claims of the theory and "
             f"comparisons with Durkheim's numbers**" + (f" ({not_measurable} more cannot be measured on this model "
                                                         "and are listed as such)." if not_measurable else "."),
             "",
             "Not counted as evidence, and listed apart: "
             f"verification of components against their papers, {ver_ok} of {len(ver)} pass; "
             f"claims that hold by construction (a formula forces them), {con_ok} of {len(con)} hold"
             + (f"; figures the model was calibrated on, {cal_ok} of {len(cal)} match" if cal else "")
             + (f"; the sensitivity analysis's own diagnostics, {sen_ok} of {len(sen)} pass" if sen else "") + "."]
    return lines


def _status(c: Check) -> str:
    if c.status:
        return c.status
    if c.kind == VALIDATION:
        return "shown" if c.passed else "**not shown**"
    return "PASS" if c.passed else "**FAIL**"


def render(sections: list[Section], quick: bool, command: str, fig_rel: str, elapsed: float,
           reused: list[str] | None = None) -> str:
    """The Markdown of the report."""
    checks = [c for s in sections for c in s.checks]
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Validation report",
        "",
        "Is the model right? This report keeps three questions apart. *Verification*: do the components "
        "(the belief mechanism, the network generators) do what their papers say? *By construction*: which "
        "claims hold only because a formula of the model says so (listed so that nobody mistakes them for "
        "results)? *Validation*: what does the model show that was not written into it: the stylised facts "
        "of the theory ([theory.md](theory.md) section 7) and Durkheim's own numbers? Only the last is "
        "evidence for the model. A global sensitivity analysis follows.",
        "",
        f"Generated by `{command}` on {when}, code {git_commit()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s), in {elapsed / 60:.1f} minutes ({'quick' if quick else 'full'} suite). "
        "Every check also runs, in a smaller form, in the test suite (`tests/validation/`, `tests/facts/`)."
        + (f" Parts kept from the previous run of this suite: {', '.join(reused)}." if reused else ""),
        "",
        *headline(checks),
        "",
    ]
    for kind, title in ((VALIDATION, "Validation (evidence)"), (CALIBRATION, "Calibration targets (not evidence)"),
                        (CONSTRUCTION, "By construction (checks of the code, not evidence)"),
                        (VERIFICATION, "Verification of components"), (SENSITIVITY, "Sensitivity diagnostics")):
        these = [c for c in checks if c.kind == kind]
        if these:
            lines += [f"## Summary: {title}", "", markdown_table(
                ["check", "status", "measured", "source"], [[c.name, _status(c), c.measured, c.source] for c in these]), ""]
    for s in sections:
        lines += [f"## {s.title}", "", s.intro, ""]
        for c in s.checks:
            seeds = f" ({c.seeds} seeds)" if c.seeds else ""
            lines.append(f"- **{_status(c).strip('*')}** ({c.kind}) {c.name}{seeds}. Expected: {c.expected}. "
                         f"Measured: {c.measured}. Source: {c.source}.")
        if s.checks:
            lines.append("")
        for t in s.tables:
            lines += [t, ""]
        for name, caption in s.figures:
            target = name if "/" in name else f"{fig_rel}/{name}"
            lines += [f"![{caption}]({target})", "", f"*{caption}*", ""]
        for note in s.notes:
            lines += [note, ""]
        lines += [f"_Section time: {s.seconds:.0f} s._", ""]
    lines += [
        "## Robustness",
        "",
        "The test suite also shows that the tool does not break (`tests/robustness/`):",
        "",
        "- property-based tests (hypothesis) draw any valid parameter set from the parameter table's ranges "
        "and choices, populations across the table's range up to 2,000, and random sequences of shocks, and "
        "check after every week that every state stays in its range, nothing is NaN or infinite, no citizen "
        "is lost (only migration adds), and every metric stays in its range;",
        "- a fuzz test feeds mutated scenario and sweep files (wrong types, huge or negative numbers, unknown "
        "keys, deep nesting, empty and binary files, unreadable and unwritable paths) to `anomie run`, "
        "`anomie sweep` and `anomie analyze` and expects exit status 2, a clear message, no traceback and no "
        "file written;",
        "- a test kills a process (SIGKILL) while it writes a large table and shows that the target is "
        "always either the old file or the complete new one.",
        "",
    ]
    return "\n".join(lines)


def run_suite(out: Path = Path("docs/VALIDATION.md"), quick: bool = True, seeds: int | None = None,
              fig_dir: Path | None = None, work_dir: Path = Path("results/validation"),
              only: tuple[str, ...] = SECTIONS, workers: int | None = None, command: str | None = None,
              announce: Callable[[str], None] | None = None, sobol_progress: Callable | None = None,
              samples: int | None = None, cluster: str | None = None, design: str | None = None) -> list[Section]:
    """Run the suite and write the report (and figures) atomically; return the sections."""
    t0 = time.perf_counter()
    fig_dir = fig_dir or out.parent / "validation"
    fig_dir.mkdir(parents=True, exist_ok=True)
    # a partial run (--only) keeps the other parts from the last run of the same suite
    cache = cache_path(work_dir, quick)
    kept = load_sections(cache) if set(only) != set(SECTIONS) else {}
    merged = dict(kept)

    def keep(key: str, section: Section) -> None:
        merged[key] = section
        save_sections(cache, merged)

    fresh = run_sections(quick, seeds, fig_dir, work_dir, only, workers, announce, sobol_progress, samples, keep,
                         cluster, design)
    sections = [merged[k] for k in ORDER if k in merged]
    reused = [k for k in ORDER if k in kept and k not in fresh]
    try:
        fig_rel = os.path.relpath(fig_dir, out.parent)
    except ValueError:  # another drive (Windows)
        fig_rel = str(fig_dir)
    command = command or ("anomie validate " + ("--quick" if quick else "--full"))
    text = render(sections, quick, command, fig_rel.replace(os.sep, "/"), time.perf_counter() - t0, reused)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, text)
    return sections

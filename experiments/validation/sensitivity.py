"""Global sensitivity in two stages: Morris screening of every parameter, then Sobol on the screened set.

The analysis goes through the sweep machinery of `experiments/` (`experiments.sweep.run_sweep`,
one Parquet file per run written atomically, so an interrupted analysis resumes; a local
process pool, or a Dask cluster when an address is given) and is analysed with SALib
(`experiments.analysis.salib_table`).

- **Common random numbers**: every design point of replication r runs with the same seed
  (the sweep's `common_seeds`), and each mechanism draws from its own stream
  (`model.streams`), so two points differ by their parameters, not by their luck. Outputs
  are averaged over `replications` seeds per point.
- **Stage 1, Morris** (Morris 1991; Campolongo, Cariboni & Saltelli 2007): r trajectories
  over every numeric parameter of the table; mu* ranks them. A parameter passes the screen
  when its mu* interval clears the dummy's for some output.
- **Stage 2, Sobol** (Saltelli et al. 2010): first and total indices of the screened set.
  The dummy (`authority_pull`, which acts only under an authoritarian turn, absent here)
  stays in both stages: a parameter *ranks* only when its total-index interval lies wholly
  above the dummy's.
- **Outputs** include the social-work outcomes: peak anomie, the crisis burden, final
  cohesion, the mean waiting list, the mean number of high-risk people missed, and peak
  burnout.

The full design (FULL: 2,000 citizens, three seeds a point, Sobol N = 1024) is too large
for a 2-core machine; `anomie validate --full` runs the largest design that fits in under an
hour there (MEDIUM: the preset's first 300 weeks, through its industrialisation, migration
and boom, at the default population, one common seed a point)
and says what it can and cannot show; SMALL is a few minutes' compressed version, and the
sweep files of the full design ship so that it can be run on a cluster.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from anomie.model.parameters import PARAMETERS

from .checks import SENSITIVITY, Check, Section, markdown_table, plt, save_figure

DUMMY_2017 = (
    "Khorashadi Zadeh, Nossent, Sarrazin, Pianosi & van Griensven (2017), Comparison of variance-based and "
    "moment-independent global sensitivity analysis approaches by application to the SWAT model, "
    "Environmental Modelling & Software 91, 210-222 (the dummy-parameter threshold)"
)
SALTELLI_2010 = (
    "Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), Variance based sensitivity analysis "
    "of model output, Computer Physics Communications 181, 259-270 (estimators as in SALib)"
)
MORRIS_2007 = (
    "Morris (1991), Technometrics 33, 161-174; Campolongo, Cariboni & Saltelli (2007), An effective screening "
    "design for sensitivity analysis of large models, Environmental Modelling & Software 22, 1509-1518 (mu*)"
)

COMPRESSED = str(Path(__file__).with_name("sensitivity_scenario.toml"))
METRICS = ("share_anomie", "crises", "cohesion", "waiting_list", "missed_high_risk", "mean_burnout")
OUTPUTS = {
    "peak_share_anomie": "peak anomie",
    "auc_crises": "crisis burden",
    "final_cohesion": "final cohesion",
    "mean_waiting_list": "waiting list",
    "mean_missed_high_risk": "high-risk missed",
    "peak_mean_burnout": "peak burnout",
}
CONTROL = "authority_pull"  # acts only under an authoritarian turn; none in the scenarios analysed

# (low, high) for the analysis where the table's own range cannot be used as it is
RANGES: dict[str, tuple[float, float]] = {
    "social_workers_per_1000": (0.0, 10.0),
    # the band's edges and its calibrated centre keep their order (low < centre < high) at every point
    "integration_low": (0.0, 0.449),
    "integration_centre": (0.45, 0.699),
    "integration_high": (0.7, 1.0),
    "regulation_low": (0.0, 0.399),
    "regulation_centre": (0.4, 0.649),
    "regulation_high": (0.65, 1.0),
    "conflict_trust": (0.0, 0.5),
    "cooperation_trust": (0.5, 1.0),
    "groupwork_share": (0.0, 0.5),
    "community_share": (0.0, 0.5),
    # A service's hours and workforce: the table's range is what the code accepts (1 to 80
    # hours a week, 90% administration, 20 hours a case), but most of that box is a service
    # with no time for a single case, where every practice parameter is inert by arithmetic.
    # The analysis uses the band a service planner would consider (docs/odd_social_work.md).
    "weekly_hours": (30.0, 45.0),
    "admin_share": (0.2, 0.8),
    "supervision_hours": (0.0, 3.0),
    "casework_hours": (0.5, 3.0),
    "crisis_hours": (1.0, 6.0),
    "advocacy_hours": (1.0, 8.0),
    "environment_hours": (0.5, 4.0),
    "group_session_hours": (1.5, 6.0),
    "founding_hours": (20.0, 300.0),
    "rehab_hours": (0.0, 12.0),
    "base_leaving": (0.0005, 0.005),
    "burnout_leaving": (0.0, 0.02),
    "vacancy_weeks": (8, 104),
    "crisis_resolution": (0.0, 4.0),
}
RANGE_NOTES = {
    "n_citizens": "fixed by the design (a population size is a setting of the study, not a parameter of the theory)",
    "social_workers_per_1000": "table: 0 to 100; 0 to 10 per 1,000 (0 to 20 posts at the full design's 2,000 citizens)",
    "integration_low": "low, centre and high in consecutive segments, so that low < centre < high always",
    "regulation_low": "low, centre and high in consecutive segments, so that low < centre < high always",
    "conflict_trust": "split at 0.5 so that conflict_trust < cooperation_trust always",
    "groupwork_share": "0 to 0.5 each, so that groupwork_share + community_share <= 1 always",
    "weekly_hours": "a service's hours and workforce (weekly, administration, supervision, hours per case, "
                    "crisis, advocacy, environment, group session, founding and rehabilitation hours; leaving, "
                    "vacancies, crisis resolution): the band a service planner would consider around England's "
                    "figures (30-45 h contracts, 20-80% administration, 0.5-3 h a case, 3-26% base turnover a "
                    "year, 2 months to 2 years vacant), not the table's range, most of which leaves no time for "
                    "a single case and so makes every practice parameter inert by arithmetic",
}
FIXED_BY_DESIGN = ("n_citizens",)
MAX_PER_SWEEP = 100  # a sweep file varies at most 100 parameters (experiments/spec.py)
_EPS = 1e-6  # the shared midpoint of an ordered pair, nudged apart (the model requires low < high)


@dataclass(frozen=True)
class Settings:
    scenario: str
    n_citizens: int
    steps: int
    trajectories: int  # Morris r
    sobol_samples: int  # Sobol base sample N (a power of 2)
    replications: int  # seeds per design point, common to all points
    screen_top: int  # at most this many parameters go on to Sobol
    levels: int = 4
    master_seed: int = 20260


# What the question needs: the whole preset at a realistic size (run it on a cluster)
FULL = Settings("industrial_revolution", n_citizens=2000, steps=300, trajectories=20, sobol_samples=1024,
                replications=3, screen_top=12)
# The largest design that fits in under an hour on a 2-core machine: the preset's first 300
# weeks (its industrialisation, migration and boom) at the default population a student runs, one common seed per point (what FULL adds: a larger town,
# three seeds a point, more trajectories and a Sobol sample eight times as large)
MEDIUM = Settings("industrial_revolution", n_citizens=1000, steps=300, trajectories=8, sobol_samples=128,
                  replications=1, screen_top=8)
# A compressed scenario that fits in a few minutes
SMALL = Settings(COMPRESSED, n_citizens=300, steps=60, trajectories=4, sobol_samples=64, replications=1, screen_top=6)
QUICK = Settings(COMPRESSED, n_citizens=100, steps=40, trajectories=2, sobol_samples=8, replications=1, screen_top=4)
DESIGNS = {"quick": QUICK, "small": SMALL, "medium": MEDIUM, "full": FULL}


def analysed_parameters(only: list[str] | None = None) -> list[tuple[str, float, float]]:
    """(name, low, high) of every numeric parameter of the table (or of `only`), with RANGES applied."""
    out = []
    for p in PARAMETERS:
        if p.choices is not None or p.name in FIXED_BY_DESIGN or (only is not None and p.name not in only):
            continue
        low, high = RANGES.get(p.name, (p.low, p.high))
        if p.name == "conflict_trust":
            high -= _EPS
        if p.name == "cooperation_trust":
            low += _EPS
        out.append((p.name, low, high))
    return out


def morris_blocks(names: list[str] | None = None) -> list[list[str]]:
    """Every parameter in blocks a sweep file can hold, the dummy in each block (its screen's yardstick)."""
    others = [n for n, _, _ in analysed_parameters(names) if n != CONTROL]
    size = MAX_PER_SWEEP - 1
    k = -(-len(others) // size)
    per = -(-len(others) // k)  # blocks of even size
    return [others[i:i + per] + [CONTROL] for i in range(0, len(others), per)]


def _toml_number(x: float, integer: bool) -> str:
    return str(int(x)) if integer else repr(float(x))


def sweep_text(settings: Settings, design: str, only: list[str] | None = None) -> str:
    """The sweep file of one stage ("morris" or "sobol"), generated from the parameter table."""
    integer = {p.name for p in PARAMETERS if p.kind is int}
    samples = settings.trajectories if design == "morris" else settings.sobol_samples
    lines = [
        f'title = "Validation: {design} sensitivity of anomie, crises, cohesion and social-work outcomes"',
        'question = "Which parameters drive the results, and which do not matter?"',
        f'scenario = "{settings.scenario}"',
        f'design = "{design}"',
        f"samples = {samples}",
        *([f"levels = {settings.levels}"] if design == "morris" else ["second_order = false"]),
        f"replications = {settings.replications}",
        "common_seeds = true",
        f"steps = {settings.steps}",
        f"master_seed = {settings.master_seed}",
        "metrics = [" + ", ".join(f'"{m}"' for m in METRICS) + "]",
        'summaries = ["peak", "final", "auc", "mean"]',
        "",
        "[fixed]",
        f"n_citizens = {settings.n_citizens}",
        "",
        "[parameters]",
    ]
    for name, low, high in analysed_parameters(only):
        lines.append(f"{name} = {{ low = {_toml_number(low, name in integer)}, high = {_toml_number(high, name in integer)} }}")
    return "\n".join(lines) + "\n"


FULL_MORRIS_FILES = [Path(__file__).with_name(f"sensitivity_morris_full_{k}.toml") for k in (1, 2)]


def write_full_morris_files(paths: list[Path] | None = None) -> list[Path]:
    """The full design's first stage as sweep files anyone can run with `anomie sweep` (on a cluster)."""
    paths = paths or FULL_MORRIS_FILES
    blocks = morris_blocks()
    if len(blocks) != len(paths):
        raise ValueError(f"the screen needs {len(blocks)} sweep files, not {len(paths)}")
    for k, (path, block) in enumerate(zip(paths, blocks), 1):
        header = (f"# Stage 1 of the full sensitivity design (experiments/validation/sensitivity.py, FULL), block {k} "
                  f"of {len(blocks)}, generated\n# from the parameter table by write_full_morris_files(); a test fails if "
                  f"it drifts. Run it with\n#   anomie sweep {path.parent.name}/{path.name} --out results/morris-full-{k} "
                  "--cluster tcp://SCHEDULER:8786\n")
        path.write_text(header + sweep_text(FULL, "morris", block))
    return paths


def work_folder(work_dir: Path, settings: Settings, design: str, n_params: int, block: int = 0) -> Path:
    """One folder per design, size and version of the model code, so results are never stale."""
    from anomie.experiments.sweep import code_version

    tag = f"r{settings.trajectories}-b{block}-D{n_params}" if design == "morris" else f"N{settings.sobol_samples}-D{n_params}"
    return work_dir / f"{design}-{tag}-n{settings.n_citizens}-{settings.steps}w-R{settings.replications}-{code_version()[:8]}"


def run_stage(out: Path, settings: Settings, design: str, only: list[str] | None = None, workers: int | None = None,
              cluster: str | None = None, pool=None, progress: Callable | None = None) -> pd.DataFrame:
    """Run (or resume) one stage in `out`; one row per parameter, columns '<output>: <index>'."""
    from anomie.experiments.analysis import point_means, salib_table
    from anomie.experiments.spec import parse_sweep, resolve
    from anomie.experiments.sweep import run_sweep
    from anomie.experiments.tables import finished_runs, read_runs

    raw = sweep_text(settings, design, only).encode()
    source = str(out / "sweep.toml")
    sweep = resolve(parse_sweep(raw, source), source, raw=raw)
    done = finished_runs(out, sweep) if (out / "sweep.json").exists() else {}
    elapsed = 0.0
    if not (len(done) == sweep.n_runs and all(status == "ok" for status in done.values())):
        report = run_sweep(sweep, out, workers=workers, cluster=cluster, pool=pool, progress=progress)
        if report.interrupted:
            raise KeyboardInterrupt
        elapsed = report.elapsed
    runs = read_runs(out, sweep)
    failed = runs[runs["status"] != "ok"]
    if len(failed) or len(runs) != sweep.n_runs:
        first = failed["error"].iloc[0] if len(failed) else "missing runs"
        raise RuntimeError(f"{len(failed)} of {sweep.n_runs} {design} runs failed (first: {first})")
    tables = []
    for column, label in OUTPUTS.items():
        y = point_means(runs, column)
        t = salib_table(design, sweep, y).set_index("parameter")
        t.columns = [f"{label}: {c}" for c in t.columns]
        tables.append(t)
    result = pd.concat(tables, axis=1)
    result.attrs.update(n_runs=sweep.n_runs, elapsed=elapsed, run_seconds=float(runs["duration_s"].sum()),
                        mean_run_seconds=float(runs["duration_s"].mean()), design=design, folder=str(out))
    return result


# -- stage 1: screening --------------------------------------------------------------------
def screened(morris: pd.DataFrame, top: int) -> list[str]:
    """Parameters whose mu* interval clears the dummy's for some output, by largest normalised mu*, at most `top`."""
    score = pd.Series(0.0, index=morris.index)
    clear = pd.Series(False, index=morris.index)
    for label in OUTPUTS.values():
        mu, conf = morris[f"{label}: mu_star"], morris[f"{label}: mu_star_conf"]
        floor = float(mu.get(CONTROL, 0.0) + morris[f"{label}: mu_star_conf"].get(CONTROL, 0.0))
        scale = float(mu.max()) or 1.0
        score = np.maximum(score, mu / scale)
        clear |= (mu - conf) > floor
    ranked_names = score[clear & (score.index != CONTROL)].sort_values(ascending=False)
    return list(ranked_names.index[:top])


def morris_checks(morris: pd.DataFrame) -> list[Check]:
    """The inert dummy must look inert: its mu* is at most a hundredth of the largest, for every output."""
    worst = max(float(morris[f"{label}: mu_star"].get(CONTROL, 0.0)) / (float(morris[f"{label}: mu_star"].max()) or 1.0)
                for label in OUTPUTS.values())
    return [Check("Morris: the dummy parameter looks inert", MORRIS_2007,
                  f"`{CONTROL}` (inert in this scenario) has mu* at most 1% of the largest mu*, for every output",
                  f"largest mu*({CONTROL}) / max mu* = {worst:.4f}; {morris.attrs.get('n_runs')} runs",
                  bool(worst <= 0.01), kind=SENSITIVITY)]


# -- stage 2: Sobol ------------------------------------------------------------------------
def leaders(sobol: pd.DataFrame, label: str) -> pd.DataFrame:
    """Per parameter: ST, its interval, and whether the interval lies wholly above the dummy's."""
    st, conf = sobol[f"{label}: ST"], sobol[f"{label}: ST_conf"]
    dummy_hi = float(st.get(CONTROL, 0.0) + sobol[f"{label}: ST_conf"].get(CONTROL, 0.0))
    out = pd.DataFrame({"ST": st, "ST_conf": conf, "clears_dummy": (st - conf) > dummy_hi})
    return out.drop(index=CONTROL, errors="ignore").sort_values("ST", ascending=False)


def sobol_checks(sobol: pd.DataFrame) -> list[Check]:
    """Can this design rank? For each output: the leading index clears the dummy; the first-order sum is sane."""
    checks = []
    for label in OUTPUTS.values():
        lead = leaders(sobol, label)
        top = lead.index[0]
        s1, s1c = sobol[f"{label}: S1"], sobol[f"{label}: S1_conf"]
        total, half = float(s1.sum()), 2 * float(np.sqrt((s1c ** 2).sum()))
        checks.append(Check(
            f"Sobol ranks {label}: the leading total index clears the dummy", DUMMY_2017,
            f"the 95% interval of the largest ST lies wholly above the dummy `{CONTROL}`'s interval",
            f"`{top}` ST = {lead.loc[top, 'ST']:.3f} +- {lead.loc[top, 'ST_conf']:.3f}; dummy ST = "
            f"{float(sobol[f'{label}: ST'].get(CONTROL, 0.0)):.3f} +- {float(sobol[f'{label}: ST_conf'].get(CONTROL, 0.0)):.3f}; "
            f"{int(lead['clears_dummy'].sum())} of {len(lead)} parameters clear it",
            bool(lead.loc[top, "clears_dummy"]), kind=SENSITIVITY))
        checks.append(Check(
            f"Sobol consistency ({label})", SALTELLI_2010,
            "first-order indices sum to between 0 and 1 (within twice their combined 95% half-width, at most 0.25)",
            f"sum S1 = {total:.2f} +- {half / 2:.2f}",
            bool(half <= 0.5 and -half <= total <= 1 + half), kind=SENSITIVITY))
    return checks


def figure(morris: pd.DataFrame, sobol: pd.DataFrame | None, path: Path) -> Path:
    labels = list(OUTPUTS.values())
    fig, axes = plt.subplots(2, 1, figsize=(12, 9))
    top = morris[[f"{x}: mu_star" for x in labels]].div(morris[[f"{x}: mu_star" for x in labels]].max()).max(axis=1)
    top = top.sort_values(ascending=False).head(20)
    axes[0].bar(range(len(top)), top.to_numpy(), color="tab:blue")
    axes[0].set_xticks(range(len(top)), top.index, rotation=60, ha="right", fontsize=8)
    axes[0].set(title="Morris screening: largest mu* over the outputs (each output scaled to its largest)",
                ylabel="mu* / max mu*")
    if sobol is not None:
        names = [n for n in sobol.index if n != CONTROL] + [CONTROL]
        x = np.arange(len(names))
        width = 0.8 / len(labels)
        for i, label in enumerate(labels):
            st, conf = sobol[f"{label}: ST"].reindex(names), sobol[f"{label}: ST_conf"].reindex(names)
            axes[1].bar(x + i * width, st, width, yerr=conf, capsize=2, label=label)
        axes[1].set_xticks(x + 0.4, names, rotation=30, ha="right", fontsize=8)
        axes[1].set(title=f"Sobol total indices of the screened parameters and the dummy ({CONTROL}); bars: 95% intervals",
                    ylabel="ST", ylim=(-0.1, 1.1))
        axes[1].legend(fontsize=7, ncol=3)
    fig.tight_layout()
    return save_figure(fig, path)


def cost_of(settings: Settings, n_params: int, screened_count: int, seconds_per_run: float) -> dict[str, float]:
    """Runs and core-hours of a design at a given time per run (the Morris screen in blocks, each with the dummy)."""
    blocks = -(-max(n_params - 1, 1) // (MAX_PER_SWEEP - 1))
    morris_runs = settings.trajectories * (n_params + blocks) * settings.replications
    sobol_runs = settings.sobol_samples * (screened_count + 1 + 2) * settings.replications  # + the dummy
    hours = (morris_runs + sobol_runs) * seconds_per_run / 3600
    return {"morris_runs": morris_runs, "sobol_runs": sobol_runs, "core_hours": hours}


def seconds_per_run(settings: Settings, seed: int = 1) -> float:
    """Time one run of a design's size and length here (after a warm-up run, so compilation is not counted)."""
    from anomie.scenarios.loading import build_model

    build_model(settings.scenario, seed=seed, create_agents=False, n_citizens=100).run_for(5)
    t = time.perf_counter()
    build_model(settings.scenario, seed=seed, create_agents=False, n_citizens=settings.n_citizens).run_for(settings.steps)
    return time.perf_counter() - t


def cannot_show(settings: Settings) -> str:
    """What a design of this size leaves open, in words for the report."""
    gaps = []
    if settings.scenario == COMPRESSED or settings.n_citizens < 1000:
        gaps.append("a ranking at a realistic population and run length (this design compresses both)")
    if settings.replications < 2:
        gaps.append("how the indices vary over seeds (one common seed per point: the indices describe that "
                    "history's sensitivity; replications average over histories)")
    if settings.trajectories < FULL.trajectories or settings.sobol_samples < FULL.sobol_samples:
        gaps.append("an order among the weaker parameters, whose intervals overlap")
    return ("; ".join(gaps) or "an order among parameters whose intervals overlap") + "."


def section(quick: bool, fig_dir: Path, work_dir: Path, workers: int | None = None, progress: Callable | None = None,
            samples: int | None = None, cluster: str | None = None, settings: Settings | None = None) -> Section:
    t0 = time.perf_counter()
    settings = settings or (QUICK if quick else SMALL)
    if samples is not None:
        settings = replace(settings, sobol_samples=samples)
    n_params = len(analysed_parameters())
    parts, m_dirs = [], []
    for k, block in enumerate(morris_blocks(), 1):
        m_dirs.append(work_folder(work_dir, settings, "morris", len(block), k))
        part = run_stage(m_dirs[-1], settings, "morris", only=block, workers=workers, cluster=cluster, progress=progress)
        parts.append(part if k == 1 else part.drop(index=CONTROL))
    morris = pd.concat(parts)
    morris.attrs.update(n_runs=sum(p.attrs["n_runs"] for p in parts),
                        run_seconds=sum(p.attrs["run_seconds"] for p in parts))
    m_dir = ", ".join(f"`{d}`" for d in m_dirs)
    chosen = screened(morris, settings.screen_top)
    s_dir = work_folder(work_dir, settings, "sobol", len(chosen) + 1)
    sobol = run_stage(s_dir, settings, "sobol", only=chosen + [CONTROL], workers=workers, cluster=cluster,
                      progress=progress) if chosen else None
    figure(morris, sobol, fig_dir / "sensitivity.png")
    checks = morris_checks(morris) + (sobol_checks(sobol) if sobol is not None else [])
    per_run = (morris.attrs["run_seconds"] + (sobol.attrs["run_seconds"] if sobol is not None else 0.0)) / (
        morris.attrs["n_runs"] + (sobol.attrs["n_runs"] if sobol is not None else 0))
    ran = cost_of(settings, n_params, len(chosen), per_run)
    full_run = seconds_per_run(FULL)
    full = cost_of(FULL, n_params, FULL.screen_top, full_run)
    wall = time.perf_counter() - t0
    labels = list(OUTPUTS.values())
    mrows = []
    for name in morris.index:
        mrows.append([f"`{name}`"] + [f"{morris.loc[name, f'{x}: mu_star']:.3g}" for x in labels]
                     + ["screened in" if name in chosen else ("dummy" if name == CONTROL else "")])
    mrows.sort(key=lambda r: (r[-1] != "screened in", r[-1] != "dummy", r[0]))
    tables = [markdown_table(["parameter"] + [f"{x} mu*" for x in labels] + ["stage 2"], mrows)]
    if sobol is not None:
        srows = []
        for name in sobol.index:
            srows.append([f"`{name}`"] + [
                f"{sobol.loc[name, f'{x}: ST']:.2f} +- {sobol.loc[name, f'{x}: ST_conf']:.2f}"
                + (" *" if name != CONTROL and leaders(sobol, x).loc[name, "clears_dummy"] else "") for x in labels])
        tables.append(markdown_table(["parameter"] + [f"{x} ST" for x in labels], srows))
    passed = {c.name for c in checks if c.passed}
    ranking = [x for x in labels if f"Sobol ranks {x}: the leading total index clears the dummy" in passed
               and f"Sobol consistency ({x})" in passed]
    s = Section(
        "Global sensitivity (Morris, then Sobol)",
        __doc__.split("\n\n", 1)[1].split("The full design", 1)[0].strip() + "\n\n"
        f"Design run here: scenario `{Path(settings.scenario).stem}`, {settings.n_citizens} citizens, "
        f"{settings.steps} weeks, {settings.replications} common seed(s) per point. Morris: r = "
        f"{settings.trajectories} trajectories, {settings.levels} levels, {n_params} parameters in "
        f"{len(m_dirs)} block(s) of at most {MAX_PER_SWEEP} (each with the dummy), "
        f"{morris.attrs['n_runs']} runs. Sobol: N = {settings.sobol_samples}, {len(chosen)} screened parameters and "
        f"the dummy, {sobol.attrs['n_runs'] if sobol is not None else 0} runs. "
        f"{ran['morris_runs'] + ran['sobol_runs']:.0f} runs in all, {per_run:.2f} s per run on average, "
        f"{(morris.attrs['run_seconds'] + (sobol.attrs['run_seconds'] if sobol is not None else 0)) / 3600:.3f} "
        f"core-hours of runs, {wall / 60:.1f} minutes of wall time (including start-up and analysis).",
        checks=checks, tables=tables,
        figures=[("sensitivity.png", "Morris mu* of the leading parameters (top), Sobol total indices of the screened "
                                     "set and the dummy with 95% intervals (bottom)")],
    )
    s.notes.append(
        "What this design can show: which parameters the Morris screen separates from the dummy, and, for "
        + (", ".join(ranking) if ranking else "no output")
        + ", a leading parameter whose total index clears the dummy with consistent indices (marked * in the "
        "Sobol table where its interval clears the dummy; a * on an output whose consistency check fails is not a "
        "ranking). "
        "What it cannot show: " + cannot_show(settings) + " A parameter absent from the Sobol table was screened "
        "out at this size, which does not prove it inert at another.")
    s.notes.append(
        f"The full design (`FULL` in experiments/validation/sensitivity.py): preset `{FULL.scenario}`, "
        f"{FULL.n_citizens} citizens, {FULL.steps} weeks, {FULL.replications} common seeds per point; Morris r = "
        f"{FULL.trajectories} ({full['morris_runs']:.0f} runs), then Sobol N = {FULL.sobol_samples} on at most "
        f"{FULL.screen_top} screened parameters ({full['sobol_runs']:.0f} runs): one run of that size took "
        f"{full_run:.2f} s here, so about {full['core_hours']:.0f} core-hours. Runs are "
        "independent, so the wall time divides by the number of cores: on this 2-core machine about "
        f"{full['core_hours'] / 2:.0f} hours; on a 64-core Dask cluster about {full['core_hours'] / 64 * 60:.0f} "
        "minutes. Command: `anomie validate --full --only sensitivity --design full --cluster tcp://SCHEDULER:8786` "
        "(stage 2's sweep file is generated from stage 1's screen; both are written to the work folder). Stage 1 "
        "alone is the two sweep files experiments/validation/sensitivity_morris_full_1.toml and "
        "experiments/validation/sensitivity_morris_full_2.toml.")
    s.notes.append("Ranges: every numeric parameter over its range in the parameter table, except "
                   + ", ".join(f"`{k}` {lo:g} to {hi:g}" for k, (lo, hi) in RANGES.items()) + ". Why: "
                   + "; ".join(f"`{k}`: {why}" for k, why in RANGE_NOTES.items()) + ".")
    s.notes.append(f"Raw runs: {m_dir} and `{s_dir}` (runs.parquet; rerunning resumes).")
    s.seconds = time.perf_counter() - t0
    return s

"""The stylised facts of THEORY.md section 5, each measured over seeds with an effect size and a CI.

Each fact is a function `fact_N(config) -> list[FactResult]`. It runs the model with its
default parameters (only the contrast the fact is about is changed), pairs conditions by
seed, and reports the mean paired effect with a 95% t-interval. A fact holds when the
interval lies wholly on the side the theory predicts: the effect is beyond the
seed-to-seed spread. Where the model does not show a fact, that is reported, not forced.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from model.model import AnomieModel
from scenarios.loading import load_scenario

CONFIDENCE = 0.95


@dataclass(frozen=True)
class FactConfig:
    """How hard to look: population, seeds and parallel processes."""

    n_citizens: int = 1000
    seeds: int = 10
    first_seed: int = 1
    workers: int = 1
    social_work_levels: tuple[int, ...] = (0, 4, 8, 16, 32)  # staffing levels compared in fact 5

    def seed_list(self) -> list[int]:
        return list(range(self.first_seed, self.first_seed + self.seeds))


@dataclass
class FactResult:
    """One measured claim."""

    fact: int
    claim: str
    measure: str
    effect: float
    ci_low: float
    ci_high: float
    n_seeds: int
    expected_sign: int  # +1: the effect should be positive; -1: negative
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        if self.expected_sign > 0:
            return bool(self.ci_low > 0)
        return bool(self.ci_high < 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}


def mean_ci(values: Iterable[float]) -> tuple[float, float, float]:
    """Mean and 95% t-interval of per-seed values."""
    x = np.asarray(list(values), dtype=float)
    m = float(x.mean())
    if x.size < 2:
        return m, m, m
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return m, m - half, m + half


def result(fact: int, claim: str, measure: str, diffs, sign: int, **details) -> FactResult:
    m, lo, hi = mean_ci(diffs)
    return FactResult(fact, claim, measure, m, lo, hi, len(list(diffs)), sign, details)


# -- running many models ----------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    scenario: str
    seed: int
    overrides: tuple[tuple[str, Any], ...] = ()
    shocks: tuple[dict, ...] | None = None  # replace the scenario's shocks
    steps: int | None = None


def run_job(job: Job) -> tuple[pd.DataFrame, dict[str, float]]:
    """One model run: its metrics table and its social workers' totals."""
    spec = load_scenario(job.scenario)
    if job.shocks is not None:
        spec = spec.model_validate({**spec.model_dump(), "shocks": list(job.shocks)})
    model = AnomieModel(spec, seed=job.seed, create_agents=False, **dict(job.overrides))
    model.run_for(job.steps or spec.steps)
    w = model.social_workers
    totals = {
        "casework_hours": sum(x.hours["casework"] for x in w),
        "groupwork_hours": sum(x.hours["groupwork"] for x in w),
        "isolated_reached": sum(x.isolated_reached for x in w),
        "isolated_contacts": sum(x.isolated_contacts for x in w),
    }
    return model.dataframe(), totals


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the caller may have threads (pytest, dask, solara)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def run_all(jobs: list[Job], workers: int) -> list[tuple[pd.DataFrame, dict[str, float]]]:
    if workers <= 1:
        return [run_job(j) for j in jobs]
    with _pool(workers) as pool:
        return list(pool.map(run_job, jobs))


def _jobs(cfg: FactConfig, scenario: str, **kw) -> list[Job]:
    over = tuple(sorted({"n_citizens": cfg.n_citizens, **kw.pop("overrides", {})}.items()))
    return [Job(scenario, s, over, **kw) for s in cfg.seed_list()]


def _window(df: pd.DataFrame, col: str, start: int, stop: int) -> pd.Series:
    return df[col].loc[start:stop]


def _pre(df: pd.DataFrame, col: str, start: int, weeks: int = 10) -> float:
    return float(_window(df, col, start - weeks, start - 1).mean())


# -- the facts ---------------------------------------------------------------------------------
# Runs stop once the weeks a fact looks at are over (shocks start at week 50), to save time.
YEAR_AFTER_WEEKS = 160  # a shock at week 50, the year and a half after it (78 weeks), and slack
CRISES_WEEKS = 200  # the crises of a shock and their end (U-shape counts, crisis lengths, referrals)
U_SCENARIOS = ("crash", "isolation", "authoritarian_turn", "migration")


def _u_counts(job: Job, edges_i: np.ndarray, edges_r: np.ndarray) -> dict[str, np.ndarray]:
    """Crisis onsets and weeks at risk, binned by integration and by regulation.

    Along each axis only people inside the healthy band of the other axis count, so that
    the curve along integration is not confounded by anomie or fatalism, and vice versa.
    """
    spec = load_scenario(job.scenario)
    model = AnomieModel(spec, seed=job.seed, create_agents=False, **dict(job.overrides))
    out = {k: np.zeros(len(e) - 1) for k, e in (("on_i", edges_i), ("risk_i", edges_i), ("on_r", edges_r), ("risk_r", edges_r))}
    for _ in range(job.steps or spec.steps):
        model.step()
        cs = model.citizens
        onset = np.zeros(cs.n, dtype=bool)
        onset[model.onsets] = True
        at_risk = onset | (cs.crisis_left == 0)
        bi = np.clip(np.digitize(cs.integration, edges_i) - 1, 0, len(edges_i) - 2)
        br = np.clip(np.digitize(cs.regulation, edges_r) - 1, 0, len(edges_r) - 2)
        mid_r, mid_i = (br >= 1) & (br <= 3), (bi >= 1) & (bi <= 3)
        out["on_i"] += np.bincount(bi[onset & mid_r], minlength=len(edges_i) - 1)
        out["risk_i"] += np.bincount(bi[at_risk & mid_r], minlength=len(edges_i) - 1)
        out["on_r"] += np.bincount(br[onset & mid_i], minlength=len(edges_r) - 1)
        out["risk_r"] += np.bincount(br[at_risk & mid_i], minlength=len(edges_r) - 1)
    return out


def fact_1(cfg: FactConfig) -> list[FactResult]:
    """Crisis hazard is U-shaped in integration and in regulation (observed crisis rates)."""
    from model.parameters import DEFAULTS as d

    # five bands per axis: below the healthy band, its lower, central and upper thirds, above it;
    # the bottom of the U is the central third
    def bands(low, high):
        third = (high - low) / 3.0
        return np.array([0.0, low, low + third, high - third, high, 1.0 + 1e-9])

    edges_i = bands(d["integration_low"], d["integration_high"])
    edges_r = bands(d["regulation_low"], d["regulation_high"])
    jobs = [j for sc in U_SCENARIOS for j in _jobs(cfg, sc, steps=CRISES_WEEKS)]
    if cfg.workers > 1:
        with _pool(cfg.workers) as pool:
            counts = list(pool.map(_u_counts, jobs, [edges_i] * len(jobs), [edges_r] * len(jobs)))
    else:
        counts = [_u_counts(j, edges_i, edges_r) for j in jobs]
    total = {k: sum(c[k] for c in counts) for k in counts[0]}
    results = []
    for axis, low_name, high_name in (("i", "egoism", "altruism"), ("r", "anomie", "fatalism")):
        # per seed (pooled over scenarios): log rate ratio of each extreme to the middle
        per_seed = {"low": [], "high": []}
        for s in range(cfg.seeds):
            c = [counts[k * cfg.seeds + s] for k in range(len(U_SCENARIOS))]
            on = sum(x[f"on_{axis}"] for x in c)
            risk = sum(x[f"risk_{axis}"] for x in c)
            rate = (on + 0.5) / np.maximum(risk, 1)  # +0.5: a continuity correction for empty bins
            per_seed["low"].append(np.log(rate[0] / rate[2]))
            per_seed["high"].append(np.log(rate[-1] / rate[2]))
        rates = (total[f"on_{axis}"] / np.maximum(total[f"risk_{axis}"], 1)).round(5).tolist()
        weeks = total[f"risk_{axis}"].astype(int).tolist()
        name = "integration" if axis == "i" else "regulation"
        for side, state in (("low", low_name), ("high", high_name)):
            results.append(result(
                1, f"Crisis rate is higher in {state} than in the healthy middle of {name}",
                f"log(crisis rate in the {state} band / rate in the central third of the healthy band), "
                f"other axis healthy, pooled over {', '.join(U_SCENARIOS)}",
                per_seed[side], +1, rates_by_band=rates, person_weeks_by_band=weeks,
            ))
    return results


def _peak_after(df, col, start, weeks):
    return float(_window(df, col, start, start + weeks).max())


def fact_2(cfg: FactConfig) -> list[FactResult]:
    """Structural change faster than norms adapt gives a transient rise in anomie; faster change, higher peak."""
    base = load_scenario("industrialisation").shocks[0]
    start = base.start
    fast = [{**base.model_dump(), "ramp": 26}]
    slow = [{**base.model_dump(), "ramp": 104}]
    f_runs = run_all(_jobs(cfg, "industrialisation", shocks=tuple(fast)), cfg.workers)
    s_runs = run_all(_jobs(cfg, "industrialisation", shocks=tuple(slow)), cfg.workers)
    peak_f = [_peak_after(df, "share_anomie", start, 200) for df, _ in f_runs]
    peak_s = [_peak_after(df, "share_anomie", start, 200) for df, _ in s_runs]
    pre_f = [_pre(df, "share_anomie", start) for df, _ in f_runs]
    end_f = [float(df["share_anomie"].iloc[-20:].mean()) for df, _ in f_runs]
    return [
        result(2, "Fast structural change raises anomie above its level before the change",
               "peak share anomic after start minus the 10 weeks before (ramp 26 weeks)",
               np.subtract(peak_f, pre_f), +1, mean_peak=float(np.mean(peak_f)), mean_before=float(np.mean(pre_f))),
        result(2, "The rise is transient: anomie decays after the change",
               "share anomic in the last 20 weeks minus the peak (ramp 26 weeks)",
               np.subtract(end_f, peak_f), -1, mean_end=float(np.mean(end_f))),
        result(2, "A faster change gives a higher peak of anomie",
               "peak share anomic, ramp 26 weeks minus ramp 104 weeks",
               np.subtract(peak_f, peak_s), +1, mean_peak_fast=float(np.mean(peak_f)), mean_peak_slow=float(np.mean(peak_s))),
    ]


def fact_3(cfg: FactConfig) -> list[FactResult]:
    """Anomie rises after a crash and after a sudden boom (against the same seeds without the shock)."""
    base_runs = run_all(_jobs(cfg, "baseline", steps=YEAR_AFTER_WEEKS), cfg.workers)
    out = []
    for name, label in (("crash", "crash"), ("boom", "sudden boom")):
        start = load_scenario(name).shocks[0].start
        runs = run_all(_jobs(cfg, name, steps=YEAR_AFTER_WEEKS), cfg.workers)
        diffs = [
            _peak_after(df, "share_anomie", start, 52) - _peak_after(b, "share_anomie", start, 52)
            for (df, _), (b, _) in zip(runs, base_runs)
        ]
        out.append(result(3, f"Anomie rises after a {label}",
                          f"peak share anomic in the year after the {label}, minus the same weeks without it",
                          diffs, +1))
    return out


def fact_4(cfg: FactConfig) -> list[FactResult]:
    """Newcomers with other beliefs lower cohesion more in a mechanical society than in an organic one."""
    start = load_scenario("migration").shocks[0].start
    drops = {}
    for label, organic in (("mechanical", 0.1), ("organic", 0.9)):
        mig = run_all(_jobs(cfg, "migration", overrides={"organic_share": organic}, steps=YEAR_AFTER_WEEKS), cfg.workers)
        ref = run_all(_jobs(cfg, "baseline", overrides={"organic_share": organic}, steps=YEAR_AFTER_WEEKS), cfg.workers)
        # fall in cohesion over the arrival and a year after, net of the same weeks without migration
        drops[label] = [
            float((_window(r, "cohesion", start, start + 78) - _window(m, "cohesion", start, start + 78)).max())
            for (m, _), (r, _) in zip(mig, ref)
        ]
    return [result(4, "Migration lowers cohesion more in a mechanical society than in an organic one",
                   "largest fall in cohesion against no migration: mechanical (organic share 0.1) minus organic (0.9)",
                   np.subtract(drops["mechanical"], drops["organic"]), +1,
                   mean_drop_mechanical=float(np.mean(drops["mechanical"])),
                   mean_drop_organic=float(np.mean(drops["organic"])))]


def _recovery(df: pd.DataFrame, start: int, col: str = "share_anomie", margin: float = 0.05) -> int:
    """Weeks from the shock until `col` is back within `margin` of its pre-shock level after its peak."""
    pre = _pre(df, col, start)
    after = df[col].loc[start:]
    peak_at = int(after.idxmax())
    back = after.loc[peak_at:]
    ok = back[back <= pre + margin]
    end = int(ok.index[0]) if len(ok) else int(df.index[-1])
    return end - start


def _burden(df: pd.DataFrame, start: int) -> float:
    """Crisis burden after the shock: citizen-weeks in acute crisis per 1,000 citizens."""
    return float((df["in_crisis"].loc[start:] / df["n_citizens"].loc[start:]).sum() * 1000)


FACT5_WEEKS = 320  # long enough for the slowest recovery (no social work) to end


def fact_5(cfg: FactConfig) -> list[FactResult]:
    """Social work lowers the peak and shortens recovery, with diminishing returns, and loses effect when overloaded."""
    scenario = "industrial_revolution"
    start = min(s.start for s in load_scenario(scenario).shocks)
    runs = {k: run_all(_jobs(cfg, scenario, overrides={"n_social_workers": k}, steps=FACT5_WEEKS), cfg.workers) for k in cfg.social_work_levels}
    peak = {k: [_peak_after(df, "share_anomie", start, 300) for df, _ in v] for k, v in runs.items()}
    hz = {k: [_peak_after(df, "mean_hazard", start, 300) for df, _ in v] for k, v in runs.items()}
    burden = {k: [_burden(df, start) for df, _ in v] for k, v in runs.items()}
    rec = {k: [_recovery(df, start) for df, _ in v] for k, v in runs.items()}
    per_worker_first = np.subtract(burden[0], burden[8]) / 8
    per_worker_more = np.subtract(burden[8], burden[32]) / 24
    # overload: the same staff with caseloads capped at the limit, or pushed to three times it
    capped = run_all(_jobs(cfg, scenario, overrides={"n_social_workers": 8, "overload_acceptance": 0.0}, steps=FACT5_WEEKS), cfg.workers)
    pushed = run_all(_jobs(cfg, scenario, overrides={"n_social_workers": 8, "overload_acceptance": 2.0, "caseload_limit": 6}, steps=FACT5_WEEKS), cfg.workers)
    capped_burn = [float(df["mean_burnout"].max()) for df, _ in capped]
    pushed_burn = [float(df["mean_burnout"].max()) for df, _ in pushed]
    # what each open case-week achieves: crisis burden averted (against no social work) per case-week
    def per_case(rs):
        return [
            (b0 - _burden(df, start)) / max(float(df["open_cases"].loc[start:].sum()), 1.0) * 1000
            for (df, _), b0 in zip(rs, burden[0])
        ]
    return [
        result(5, "Social work lowers the peak of anomie", "peak share anomic, no workers minus 8 workers",
               np.subtract(peak[0], peak[8]), +1, mean_peak={k: float(np.mean(v)) for k, v in peak.items()}),
        result(5, "Social work lowers the peak crisis hazard", "peak mean hazard, no workers minus 8 workers",
               np.subtract(hz[0], hz[8]), +1, mean_peak_hazard={k: float(np.mean(v)) for k, v in hz.items()}),
        result(5, "Social work lowers the crisis burden", "crisis weeks per 1,000 citizens, no workers minus 8 workers",
               np.subtract(burden[0], burden[8]), +1, mean_burden={k: float(np.mean(v)) for k, v in burden.items()}),
        result(5, "Social work shortens the recovery from anomie", "weeks to recover, no workers minus 8 workers",
               np.subtract(rec[0], rec[8]), +1, mean_recovery_weeks={k: float(np.mean(v)) for k, v in rec.items()}),
        result(5, "Returns per worker diminish", "burden averted per worker: first 8 workers minus the next 24",
               per_worker_first - per_worker_more, +1,
               averted_per_worker_first_8=float(np.mean(per_worker_first)),
               averted_per_worker_next_24=float(np.mean(per_worker_more))),
        result(5, "Caseloads over capacity bring burnout", "peak mean burnout, pushed to 3x the limit minus capped at it",
               np.subtract(pushed_burn, capped_burn), +1),
        result(5, "Over capacity, each case achieves less", "crisis weeks averted per 1,000 case-weeks: capped minus pushed",
               np.subtract(per_case(capped), per_case(pushed)), +1,
               averted_per_1000_case_weeks_capped=float(np.mean(per_case(capped))),
               averted_per_1000_case_weeks_pushed=float(np.mean(per_case(pushed)))),
    ]


def _crisis_length(df: pd.DataFrame, start: int) -> float:
    """Mean length of a crisis after the shock: crisis weeks per crisis that began."""
    weeks = float(df["in_crisis"].loc[start:].sum())
    began = float(df["crises"].loc[start:].sum())
    return weeks / max(began, 1.0)


def fact_6(cfg: FactConfig) -> list[FactResult]:
    """Group work reaches isolated people more cheaply than casework; casework does more for acute crisis."""
    all_group = {"groupwork_share": 0.9, "community_share": 0.0}
    all_case = {"groupwork_share": 0.0, "community_share": 0.0}
    group = run_all(_jobs(cfg, "isolation", overrides=all_group, steps=CRISES_WEEKS), cfg.workers)
    case = run_all(_jobs(cfg, "isolation", overrides=all_case, steps=CRISES_WEEKS), cfg.workers)
    cost_group = [t["groupwork_hours"] / max(t["isolated_reached"], 1) for _, t in group]
    cost_case = [t["casework_hours"] / max(t["isolated_contacts"], 1) for _, t in case]
    # acute crisis: a crash brings many crises; crisis intervention shortens them
    start = load_scenario("crash").shocks[0].start
    crash_group = run_all(_jobs(cfg, "crash", overrides=all_group, steps=CRISES_WEEKS), cfg.workers)
    crash_case = run_all(_jobs(cfg, "crash", overrides=all_case, steps=CRISES_WEEKS), cfg.workers)
    len_group = [_crisis_length(df, start) for df, _ in crash_group]
    len_case = [_crisis_length(df, start) for df, _ in crash_case]
    return [
        result(6, "Group work reaches isolated people more cheaply than casework",
               "worker hours per isolated person reached: casework minus group work",
               np.subtract(cost_case, cost_group), +1,
               hours_per_isolated_casework=float(np.mean(cost_case)), hours_per_isolated_groupwork=float(np.mean(cost_group))),
        result(6, "Casework does more for acute crisis than group work",
               "mean crisis length in weeks after a crash: all group work minus all casework",
               np.subtract(len_group, len_case), +1,
               mean_weeks_groupwork=float(np.mean(len_group)), mean_weeks_casework=float(np.mean(len_case))),
    ]


def fact_7(cfg: FactConfig) -> list[FactResult]:
    """Poor multi-agency coordination raises the number of high-risk people missed."""
    poor = run_all(_jobs(cfg, "crash", overrides={"agency_coordination": 0.2}, steps=CRISES_WEEKS), cfg.workers)
    good = run_all(_jobs(cfg, "crash", overrides={"agency_coordination": 0.9}, steps=CRISES_WEEKS), cfg.workers)
    missed_poor = [float(df["missed_high_risk"].mean()) for df, _ in poor]
    missed_good = [float(df["missed_high_risk"].mean()) for df, _ in good]
    return [result(7, "Poor coordination leaves more high-risk people missed",
                   "mean high-risk people known to no worker: coordination 0.2 minus 0.9",
                   np.subtract(missed_poor, missed_good), +1,
                   mean_missed_poor=float(np.mean(missed_poor)), mean_missed_good=float(np.mean(missed_good)))]


FACTS: dict[int, Callable[[FactConfig], list[FactResult]]] = {
    1: fact_1, 2: fact_2, 3: fact_3, 4: fact_4, 5: fact_5, 6: fact_6, 7: fact_7,
}


def check_all(cfg: FactConfig | None = None, which: Iterable[int] | None = None) -> list[FactResult]:
    cfg = cfg or FactConfig()
    out: list[FactResult] = []
    for k in which or FACTS:
        out.extend(FACTS[k](cfg))
    return out

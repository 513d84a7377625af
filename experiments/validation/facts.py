"""The stylised facts of docs/theory.md section 7, each measured over seeds with an effect size and an interval.

Each fact is a function `fact_N(config) -> list[FactResult]`. It runs the model with its
default parameters (only the contrast the fact is about is changed) and pairs conditions by
seed: with one random stream per mechanism (`model.streams`), a run with a shock and the
same seed's run without it share every draw of every mechanism the shock does not touch
(common random numbers), so the paired difference is the shock's effect and not noise.
The effect is the mean paired difference (or mean log ratio) with a 95% t-interval over
seeds, and Cohen's d_z (mean / standard deviation of the paired differences).

A result is *shown* when its interval lies wholly on the side the theory predicts (or,
for a claim about size, wholly inside the stated band). It is labelled *by construction*
when a formula of the model forces it; such a result checks the code, not the theory, and
the report does not count it as evidence. A fact whose measurement the model does not
offer (a metric or shock it lacks) is *not measurable*, said plainly, never invented.
"""

from __future__ import annotations

import atexit
import functools
import math
import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from anomie.model.model import AnomieModel
from anomie.model.workforce import social_work_posts
from anomie.scenarios.loading import load_scenario

CONFIDENCE = 0.95
RESULT = "result"
CONSTRUCTION = "by construction"
SECTORS = ("agriculture", "industry", "trade", "liberal_professions")


@dataclass(frozen=True)
class FactConfig:
    """How hard to look: population, seeds and parallel processes."""

    n_citizens: int = 1000
    seeds: int = 10
    first_seed: int = 1
    workers: int = 1
    social_work_levels: tuple[float, ...] = (0.0, 8.0, 32.0)  # staffing rates (posts per 1,000) compared in fact 7

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
    expected_sign: int = +1  # +1: the effect should be positive; -1: negative; 0: inside `band`
    details: dict[str, Any] = field(default_factory=dict)
    band: tuple[float, float] | None = None  # when set, the whole interval must lie inside it
    kind: str = RESULT  # RESULT, or CONSTRUCTION when a formula forces the outcome
    why: str = ""  # for CONSTRUCTION: the formula; when not measurable: what the model lacks
    measurable: bool = True

    @property
    def passed(self) -> bool:
        if not self.measurable or math.isnan(self.ci_low) or math.isnan(self.ci_high):
            return False
        if self.band is not None:
            return bool(self.band[0] < self.ci_low and self.ci_high < self.band[1])
        if self.expected_sign > 0:
            return bool(self.ci_low > 0)
        return bool(self.ci_high < 0)

    @property
    def status(self) -> str:
        if not self.measurable:
            return "not measurable"
        return "shown" if self.passed else "not shown"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed, "status": self.status}


def mean_ci(values: Iterable[float]) -> tuple[float, float, float]:
    """Mean and 95% t-interval of per-seed values."""
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if x.size < 2:
        return m, m, m
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return m, m - half, m + half


def cohens_dz(values: Iterable[float]) -> float:
    """Standardised paired effect: mean over standard deviation of the per-seed differences."""
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    sd = float(x.std(ddof=1)) if x.size > 1 else 0.0
    return float(x.mean() / sd) if sd > 0 else math.copysign(math.inf, float(x.mean() or 0.0))


def result(fact: int, claim: str, measure: str, diffs, sign: int = +1, *, band=None, kind: str = RESULT,
           why: str = "", **details) -> FactResult:
    diffs = list(diffs)
    m, lo, hi = mean_ci(diffs)
    details = {"d_z": round(cohens_dz(diffs), 2), **details}
    return FactResult(fact, claim, measure, m, lo, hi, len(diffs), sign, details, band, kind, why)


def not_measurable(fact: int, claim: str, missing: str) -> FactResult:
    """A fact the present model offers no measurement for: said plainly, never invented."""
    return FactResult(fact, claim, "-", math.nan, math.nan, math.nan, 0, +1, {}, None, RESULT, missing, False)


# -- running many models ----------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    scenario: str
    seed: int
    overrides: tuple[tuple[str, Any], ...] = ()
    shocks: tuple[dict, ...] | None = None  # replace the scenario's shocks (() = none)
    steps: int | None = None
    probe: str | None = None  # name of a function in PROBES called on the model each week
    probe_at: int = 0  # the week the probe measures from (a shock's start)


def scenario_of(job: Job):
    spec = load_scenario(job.scenario)
    if job.shocks is not None:
        spec = spec.model_validate({**spec.model_dump(), "shocks": list(job.shocks)})
    return spec


def run_job(job: Job) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One model run: its metrics table and what its probe collected (if any)."""
    spec = scenario_of(job)
    model = AnomieModel(spec, seed=job.seed, create_agents=False, **dict(job.overrides))
    steps = job.steps or spec.steps
    extra: dict[str, Any] = {"start": job.probe_at}
    if job.probe is None:
        model.run_for(steps)
    else:
        probe = PROBES[job.probe]
        for _ in range(steps):
            model.step()
            probe(model, extra)
    return model.dataframe(), extra


@functools.lru_cache(maxsize=1)
def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool for all the facts: each worker imports and compiles the model once, not once per fact."""
    # spawn, not fork: the caller may have threads (pytest, dask, solara)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    atexit.register(pool.shutdown, cancel_futures=True)
    return pool


def run_all(jobs: list[Job], workers: int) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    if workers <= 1:
        return [run_job(j) for j in jobs]
    return list(_pool(workers).map(run_job, jobs))


def _jobs(cfg: FactConfig, scenario: str, **kw) -> list[Job]:
    over = tuple(sorted({"n_citizens": cfg.n_citizens, **kw.pop("overrides", {})}.items()))
    return [Job(scenario, s, over, **kw) for s in cfg.seed_list()]


def paired(cfg: FactConfig, scenario: str, a: dict, b: dict, **kw):
    """Runs of two conditions over the same seeds (common random numbers): lists of (df, extra)."""
    jobs_a = _jobs(cfg, scenario, **{**kw, **a})
    jobs_b = _jobs(cfg, scenario, **{**kw, **b})
    out = run_all(jobs_a + jobs_b, cfg.workers)
    return out[: len(jobs_a)], out[len(jobs_a):]


def has_metric(name: str) -> bool:
    from anomie.model.metrics import METRICS

    return name in METRICS


def has_shock(kind: str) -> bool:
    from anomie.scenarios.shocks import SHOCK_KINDS

    return kind in SHOCK_KINDS


def has_parameter(name: str) -> bool:
    from anomie.model.parameters import DEFAULTS

    return name in DEFAULTS


def _window(df: pd.DataFrame, col: str, start: int, stop: int) -> pd.Series:
    return df[col].loc[start:stop - 1]


def shock_start(scenario: str) -> int:
    return min(s.start for s in load_scenario(scenario).shocks)


def yearly_crisis_rate(df: pd.DataFrame, start: int, weeks: int = 52) -> float:
    """Crises that began in the `weeks` from `start`, per 1,000 citizens per year."""
    began = float(_window(df, "crises", start, start + weeks).sum())
    people = float(_window(df, "n_citizens", start, start + weeks).mean())
    return began / max(people, 1.0) * 1000.0 * 52.0 / weeks


def log_ratio(a: float, b: float) -> float:
    return math.log(a / b) if a > 0 and b > 0 else math.nan


# -- probes: what some facts need from the citizens' own arrays ---------------------------------
def _probe_exposure(model, extra: dict) -> None:
    """Fact 3: each citizen's employment and means before the shock, and their state after it."""
    t, start = model.steps, extra["start"]
    cs = model.citizens
    if t == start - 1:
        extra["employed_before"] = cs.employed.copy()
        extra["means_before"] = cs.means.copy()
    if start - 1 < t <= start + EXPOSURE_WEEKS and "employed_before" in extra:
        n = extra["employed_before"].size
        lost = extra.setdefault("changed", np.zeros(n, dtype=bool))
        ratio = cs.means[:n] / np.maximum(extra["means_before"], 1e-9)
        lost |= (extra["employed_before"] & ~cs.employed[:n]) | (np.abs(np.log(np.maximum(ratio, 1e-9))) > MEANS_CHANGE)
    if t == start + EXPOSURE_WEEKS:
        n = extra["employed_before"].size
        extra["anomic_after"] = (cs.state[:n] == ANOMIE).copy()
    if t == EQUILIBRIUM_WEEK:  # poverty: means and anomie in a calm society
        extra["means_calm"] = cs.means.copy()
        extra["anomic_calm"] = (cs.state == ANOMIE).copy()


PROBES: dict[str, Callable] = {"exposure": _probe_exposure}
EXPOSURE_WEEKS = 26  # half a year after the shock
MEANS_CHANGE = 0.2  # a change of own means beyond about a fifth counts as "own conditions changed"
EQUILIBRIUM_WEEK = 45  # before any preset's first shock, after the start-up transient


def _anomie_code() -> int:
    from anomie.model.typology import DurkheimState

    return int(DurkheimState.ANOMIE)


ANOMIE = _anomie_code()


# -- the facts ---------------------------------------------------------------------------------
YEAR_AFTER_WEEKS = 160  # a shock at week 50, the year after it, and slack


@functools.lru_cache(maxsize=8)  # the facts and the Durkheim comparison share these runs
def acute_ratios(cfg: FactConfig, scenario: str) -> list[float]:
    """Per seed: yearly crisis rate in the year after the shock over the same year of the same society without it."""
    start = shock_start(scenario)
    shocked, calm = paired(cfg, scenario, {}, {"shocks": ()}, steps=start + 52)
    return [yearly_crisis_rate(a, start) / max(yearly_crisis_rate(b, start), 1e-9) for (a, _), (b, _) in zip(shocked, calm)]


def fact_1(cfg: FactConfig) -> list[FactResult]:
    """Acute anomie: a crash and a boom raise the yearly crisis rate (its size beside Durkheim's: durkheim.py)."""
    out = []
    for scenario, label in (("crash", "crash"), ("boom", "sudden boom")):
        ratios = acute_ratios(cfg, scenario)
        logs = [math.log(r) if r > 0 else math.nan for r in ratios]
        gm = float(np.exp(np.nanmean(logs)))
        out.append(result(1, f"A {label} raises the yearly crisis rate",
                          f"log(crisis rate in the year after the {label} / same year, same seed, no shock)",
                          logs, +1, ratio=round(gm, 3)))  # its size against Durkheim's: durkheim.py
    return out


@functools.lru_cache(maxsize=4)
def sector_ratios(cfg: FactConfig, weeks: tuple[int, int] = (60, 260)) -> dict[str, list[float]] | None:
    """Per seed, in a calm society: each sector's crisis rate over agriculture's (None without sector metrics)."""
    cols = [f"crisis_rate_{s}" for s in SECTORS]
    if not all(has_metric(c) for c in cols):
        return None
    runs = run_all(_jobs(cfg, "baseline", shocks=(), steps=weeks[1]), cfg.workers)
    out: dict[str, list[float]] = {s: [] for s in SECTORS[1:]}
    for df, _ in runs:
        mean = {s: float(_window(df, f"crisis_rate_{s}", *weeks).mean()) for s in SECTORS}
        for s in SECTORS[1:]:
            out[s].append(mean[s] / mean["agriculture"] if mean["agriculture"] > 0 else math.nan)
    return out


def _sector_supply_why() -> str:
    """Why the sectors' order is by construction, when each sector's norm supply is a parameter."""
    from anomie.model.parameters import DEFAULTS

    names = [f"regulation_{s}" for s in SECTORS]
    if not all(n in DEFAULTS for n in names):
        return ""
    values = ", ".join(f"{s.replace('_', ' ')} {DEFAULTS[n]:g}" for s, n in zip(SECTORS, names))
    return (f"each sector's norm supply is a parameter (regulation_<sector>: {values}), so the order of the sectors "
            "is an input taken from Durkheim; only the size of the ratios is the model's")


def fact_2(cfg: FactConfig) -> list[FactResult]:
    """Chronic anomie: trade and industry have more crises and less regulation than agriculture."""
    claim = "At equilibrium trade and industry have more crises than agriculture"
    ratios = sector_ratios(cfg)
    if ratios is None:
        return [not_measurable(2, claim, "the model reports no crisis rate per sector (crisis_rate_<sector>)")]
    why = _sector_supply_why()
    kind = CONSTRUCTION if why else RESULT
    out = []
    for s in ("trade", "industry"):
        logs = [math.log(r) if r and r > 0 else math.nan for r in ratios[s]]
        out.append(result(2, f"At equilibrium {s} has more crises than agriculture",
                          f"log(crisis rate in {s} / in agriculture), calm society, weeks 60-260",
                          logs, +1, kind=kind, why=why, ratio=round(float(np.exp(np.nanmean(logs))), 3)))
    if all(has_metric(f"mean_regulation_{s}") for s in SECTORS):
        runs = run_all(_jobs(cfg, "baseline", shocks=(), steps=160), cfg.workers)
        diffs = [float(_window(df, "mean_regulation_agriculture", 60, 160).mean()
                       - _window(df, "mean_regulation_trade", 60, 160).mean()) for df, _ in runs]
        out.append(result(2, "At equilibrium trade is less regulated than agriculture",
                          "mean regulation, agriculture minus trade, weeks 60-160", diffs, +1, kind=kind, why=why))
    return out


def fact_3(cfg: FactConfig) -> list[FactResult]:
    """Differential exposure: those whose own conditions changed are more anomic; poverty alone is not."""
    start = shock_start("crash")
    runs = run_all(_jobs(cfg, "crash", steps=start + EXPOSURE_WEEKS + 1, probe="exposure", probe_at=start), cfg.workers)
    diffs, poverty = [], []
    for _, x in runs:
        changed, anomic = x["changed"], x["anomic_after"]
        if changed.any() and (~changed).any():
            diffs.append(float(anomic[changed].mean() - anomic[~changed].mean()))
        means, calm = x["means_calm"], x["anomic_calm"]
        q = np.quantile(means, [0.2, 0.8])
        poverty.append(float(calm[means <= q[0]].mean() - calm[means >= q[1]].mean()))
    return [
        result(3, "After a crash those whose own conditions changed are more anomic than the rest",
               f"share anomic {EXPOSURE_WEEKS} weeks after the crash: lost work or means changed by > "
               f"{MEANS_CHANGE:.0%} minus the others", diffs, +1),
        result(3, "Poverty by itself does not raise anomie",
               "share anomic in a calm society, poorest fifth minus richest fifth (shown when below +0.02)",
               poverty, 0, band=(-math.inf, 0.02)),
    ]


def _peak_after(df, col, start, weeks):
    return float(_window(df, col, start, start + weeks).max())


def fact_4(cfg: FactConfig) -> list[FactResult]:
    """Fast change gives a higher acute peak than slow change; the chronic level does not depend on speed."""
    base = load_scenario("industrialisation").shocks[0]
    start, end = base.start, 360
    fast, slow = paired(cfg, "industrialisation", {"shocks": ({**base.model_dump(), "ramp": 26},)},
                        {"shocks": ({**base.model_dump(), "ramp": 104},)}, steps=end)
    peak = [_peak_after(a, "share_anomie", start, 200) - _peak_after(b, "share_anomie", start, 200)
            for (a, _), (b, _) in zip(fast, slow)]
    late = [float(_window(a, "share_anomie", end - 52, end).mean() - _window(b, "share_anomie", end - 52, end).mean())
            for (a, _), (b, _) in zip(fast, slow)]
    out = [
        result(4, "A faster structural change gives a higher peak of anomie",
               "peak share anomic after the start, ramp 26 weeks minus ramp 104 weeks", peak, +1),
        result(4, "The chronic level of anomie does not depend on the speed of change",
               "share anomic in the last year (weeks 308-360), fast minus slow (shown when inside +-0.02)",
               late, 0, band=(-0.02, 0.02)),
    ]
    why = _sector_supply_why()
    if why:  # the chronic level against how much of economic life is regulated
        from anomie.model.parameters import DEFAULTS

        regulated = {f"regulation_{s}": DEFAULTS["regulation_agriculture"] for s in ("industry", "trade")}
        free, ruled = paired(cfg, "industrialisation", {}, {"overrides": regulated}, steps=end)
        diffs = [float(_window(a, "share_anomie", end - 52, end).mean() - _window(b, "share_anomie", end - 52, end).mean())
                 for (a, _), (b, _) in zip(free, ruled)]
        out.append(result(4, "The chronic level of anomie depends on how much of economic life is regulated",
                          "share anomic in the last year after industrialisation: default minus industry and trade "
                          "as regulated as agriculture", diffs, +1, kind=CONSTRUCTION, why=why))
    return out


def fact_5(cfg: FactConfig) -> list[FactResult]:
    """Migration lowers cohesion more in a mechanical society than in an organic one."""
    start = shock_start("migration")
    drops = {}
    for label, organic in (("mechanical", 0.1), ("organic", 0.9)):
        mig, ref = paired(cfg, "migration", {}, {"shocks": ()}, overrides={"organic_share": organic}, steps=YEAR_AFTER_WEEKS)
        drops[label] = [float((_window(r, "cohesion", start, start + 78) - _window(m, "cohesion", start, start + 78)).max())
                        for (m, _), (r, _) in zip(mig, ref)]
    return [result(5, "Migration lowers cohesion more in a mechanical society than in an organic one",
                   "largest fall in cohesion against the same society without migration: mechanical (organic "
                   "share 0.1) minus organic (0.9)", np.subtract(drops["mechanical"], drops["organic"]), +1,
                   mean_drop_mechanical=round(float(np.mean(drops["mechanical"])), 4),
                   mean_drop_organic=round(float(np.mean(drops["organic"])), 4))]


GROUP_SWITCHES = ("group_founding_rate", "occupational_groups_enabled", "group_formation_rate")


def fact_6(cfg: FactConfig) -> list[FactResult]:
    """Occupational groups lower anomie among their members; without them the deficit persists."""
    claim = "Occupational groups lower anomie: the same society without them keeps more anomie after a crash"
    switch = next((p for p in GROUP_SWITCHES if has_parameter(p)), None)
    if not has_metric("occupational_group_members") or switch is None:
        return [not_measurable(6, claim, "the model has no occupational groups (metric occupational_group_members "
                                         f"and a parameter to switch them off, one of {', '.join(GROUP_SWITCHES)})")]
    start = shock_start("crash")
    with_g, without = paired(cfg, "crash", {}, {"overrides": {switch: 0}}, steps=start + 156)
    late = [float(_window(b, "share_anomie", start + 104, start + 156).mean()
                  - _window(a, "share_anomie", start + 104, start + 156).mean()) for (a, _), (b, _) in zip(with_g, without)]
    members = [float(_window(a, "occupational_group_members", start + 104, start + 156).mean()) for a, _ in with_g]
    return [result(6, claim, f"share anomic in the second year after the crash: {switch} = 0 minus default",
                   late, +1, mean_members=round(float(np.mean(members)), 1))]


def _burden(df: pd.DataFrame, start: int) -> float:
    """Crisis burden after the shock: citizen-weeks in acute crisis per 1,000 citizens."""
    return float((df["in_crisis"].loc[start:] / df["n_citizens"].loc[start:]).sum() * 1000)


def _crisis_length(df: pd.DataFrame, start: int) -> float:
    """Mean length of a crisis after the shock: crisis weeks per crisis that began."""
    return float(df["in_crisis"].loc[start:].sum()) / max(float(df["crises"].loc[start:].sum()), 1.0)


CASEWORK = {"groupwork_share": 0.0, "community_share": 0.0}
GROUPWORK = {"groupwork_share": 0.5, "community_share": 0.5}
SOCIAL_WORK_WEEKS = 200


def fact_7(cfg: FactConfig) -> list[FactResult]:
    """Social work: casework lowers and shortens crises, group and community work lower anomie,
    returns diminish, overload costs effect, austerity lengthens waits."""
    scenario, start = "crash", shock_start("crash")
    steps = SOCIAL_WORK_WEEKS
    levels = sorted(set(cfg.social_work_levels) | {0})
    k = next(x for x in levels if x > 0)
    top = levels[-1]
    posts = {w: social_work_posts(w, cfg.n_citizens) for w in levels}  # "per worker" counts whole posts
    runs = {w: run_all(_jobs(cfg, scenario, overrides={**CASEWORK, "social_workers_per_1000": w}, steps=steps), cfg.workers)
            for w in levels}
    burden = {w: [_burden(df, start) for df, _ in v] for w, v in runs.items()}
    crises = {w: [yearly_crisis_rate(df, start, steps - start) for df, _ in v] for w, v in runs.items()}
    length = {w: [_crisis_length(df, start) for df, _ in v] for w, v in runs.items()}
    group = run_all(_jobs(cfg, scenario, overrides={**GROUPWORK, "social_workers_per_1000": k}, steps=steps), cfg.workers)
    anomie0 = [float(_window(df, "share_anomie", start, steps).mean()) for df, _ in runs[0]]
    anomie_g = [float(_window(df, "share_anomie", start, steps).mean()) for df, _ in group]
    first = np.subtract(burden[0], burden[k]) / posts[k]
    more = np.subtract(burden[k], burden[top]) / max(posts[top] - posts[k], 1)
    capped, pushed = paired(cfg, scenario, {"overrides": {**CASEWORK, "social_workers_per_1000": k, "overload_acceptance": 0.0}},
                            {"overrides": {**CASEWORK, "social_workers_per_1000": k, "overload_acceptance": 2.0,
                                           # a limit of about 6 cases: 20.7 h of contact at 3.4 h a case
                                           "casework_hours": 3.4}}, steps=steps)

    def per_case(rs):
        return [(b0 - _burden(df, start)) / max(float(df["open_cases"].loc[start:].sum()), 1.0) * 1000
                for (df, _), b0 in zip(rs, burden[0])]

    out = [
        result(7, "Casework lowers the crisis rate", f"crises per 1,000 a year after the crash, no workers minus {posts[k]}",
               np.subtract(crises[0], crises[k]), +1),
        result(7, "Casework shortens crises", f"mean crisis length in weeks after the crash, no workers minus {posts[k]}",
               np.subtract(length[0], length[k]), +1, kind=CONSTRUCTION,
               why="crisis intervention ends a client's crisis early with probability crisis_resolution per contact"),
        result(7, "Group work and community development lower anomie itself",
               f"mean share anomic after the crash, no workers minus {posts[k]} workers doing only group and community work",
               np.subtract(anomie0, anomie_g), +1),
        result(7, "Returns per worker diminish",
               f"crisis burden averted per worker: the first {posts[k]} minus the next {posts[top] - posts[k]}", first - more, +1,
               averted_per_worker_first=round(float(np.mean(first)), 1),
               averted_per_worker_next=round(float(np.mean(more)), 1)),
        result(7, "Over capacity, each case achieves less",
               "crisis weeks averted per 1,000 case-weeks: caseload capped minus pushed to 3x a limit of 6",
               np.subtract(per_case(capped), per_case(pushed)), +1),
        result(7, "Caseloads over capacity bring burnout",
               "peak mean burnout, pushed minus capped", [float(a["mean_burnout"].max() - b["mean_burnout"].max())
                                                           for (a, _), (b, _) in zip(pushed, capped)], +1,
               kind=CONSTRUCTION, why="burnout grows each week with burnout_rate times the caseload above the limit"),
    ]
    out.extend(_austerity(cfg))
    return out


def _austerity(cfg: FactConfig) -> list[FactResult]:
    sc = load_scenario("austerity")
    cut = next(s for s in sc.shocks if s.kind == "austerity")
    others = tuple(s.model_dump() for s in sc.shocks if s.kind != "austerity")
    hit, spared = paired(cfg, "austerity", {}, {"shocks": others}, steps=cut.start + 104)
    span = (cut.start, cut.start + 104)
    wait = [float(_window(a, "waiting_list", *span).mean() - _window(b, "waiting_list", *span).mean())
            for (a, _), (b, _) in zip(hit, spared)]
    missed = [float(_window(a, "missed_high_risk", *span).mean() - _window(b, "missed_high_risk", *span).mean())
              for (a, _), (b, _) in zip(hit, spared)]
    return [
        result(7, "Austerity lengthens the waiting list", "mean waiting list during the cut, with minus without it",
               wait, +1),
        result(7, "Austerity leaves more high-risk people missed",
               "mean high-risk people known to no worker during the cut, with minus without it", missed, +1),
    ]


def fact_8(cfg: FactConfig) -> list[FactResult]:
    """Poor multi-agency coordination raises the number of high-risk people missed."""
    poor, good = paired(cfg, "crash", {"overrides": {"agency_coordination": 0.2}},
                        {"overrides": {"agency_coordination": 0.9}}, steps=SOCIAL_WORK_WEEKS)
    diffs = [float(a["missed_high_risk"].mean() - b["missed_high_risk"].mean()) for (a, _), (b, _) in zip(poor, good)]
    return [result(8, "Poor coordination leaves more high-risk people missed",
                   "mean high-risk people known to no worker: coordination 0.2 minus 0.9", diffs, +1,
                   kind=CONSTRUCTION,
                   why="agency_coordination is the chance that an agency passes a person at risk on to social work; "
                       "fewer passed on means, directly, more people known to no worker")]


def fact_9(cfg: FactConfig) -> list[FactResult]:
    """A political upheaval lowers the crisis rate for a while (Durkheim 1897, Book II ch. 3)."""
    claim = "A political upheaval lowers the crisis rate for a while"
    if not has_shock("political_upheaval"):
        return [not_measurable(9, claim, "the model has no political_upheaval shock")]
    start = shock_start("political_upheaval")
    upheaval, calm = paired(cfg, "political_upheaval", {}, {"shocks": ()}, steps=start + 52)
    logs = [log_ratio(yearly_crisis_rate(b, start), yearly_crisis_rate(a, start)) for (a, _), (b, _) in zip(upheaval, calm)]
    return [result(9, claim, "log(crisis rate in the upheaval's first year: same society without it / with it)",
                   logs, +1, ratio=round(float(np.exp(np.nanmean(logs))), 3) if np.isfinite(logs).any() else math.nan)]


FACTS: dict[int, Callable[[FactConfig], list[FactResult]]] = {
    1: fact_1, 2: fact_2, 3: fact_3, 4: fact_4, 5: fact_5, 6: fact_6, 7: fact_7, 8: fact_8, 9: fact_9,
}


def check_all(cfg: FactConfig | None = None, which: Iterable[int] | None = None) -> list[FactResult]:
    cfg = cfg or FactConfig()
    out: list[FactResult] = []
    for k in which or FACTS:
        out.extend(FACTS[k](cfg))
    return out

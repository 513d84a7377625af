"""Measure the social-work presets over seeds (not a test; run by hand).

    .venv/bin/python -m tests.socialwork.measure_presets [n_citizens] [weeks] [seeds] [preset ...]

Prints, per preset, the mean over seeds of each summary: means over a window of weeks (after
a 40-week warm-up, or `--window=a,b`), maxima, end-of-run totals and leavers per post-year
in the window. A preset may be written `name~kind` (the preset without its shocks of that
kind) and followed by `:param=value,...` overrides. With `--paired` and two presets, prints the
mean of each, their paired difference (first minus second, same seeds) and its 95% t-interval,
and in how many seeds the first is higher. With `--groups`, occupational groups are attached
and run their own week after each model week when the model itself has none (their effect on
regulation needs the model's wiring, so only founding and survival are measured then).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from anomie.model import AnomieModel
from anomie.model.groups import OccupationalGroups
from anomie.scenarios.loading import load_scenario

WINDOW = (40, 300)  # weeks summarised: after a warm-up, or the weeks a shock lasts (--window=a,b)
MEANS = ["mean_caseload", "waiting_list", "mean_wait_weeks", "missed_high_risk", "missed_referrals",
         "broken_promises", "mean_burnout", "vacancy_rate", "workers_in_post", "share_anomie", "open_cases",
         "benefit_claimants"]
MAXIMA = ["mean_caseload", "waiting_list", "mean_wait_weeks", "missed_high_risk", "mean_burnout", "broken_promises"]
FINAL = ["turnover_rate", "crises_total", "crises_clients_rate", "crises_matched_rate", "crises_averted",
         "crisis_weeks_in_care", "crisis_weeks_no_care", "anomie_clients", "anomie_matched", "goals_met_total",
         "dropouts_total", "jobs_found_total", "benefits_secured_total", "hours_per_goal_met", "groups_founded_by_workers",
         "caseload_limit", "anomie_group_members", "anomie_non_members", "anomie_joiners", "anomie_matched_non_members",
         "matched_group_pairs"]


def scenario(preset: str):
    """A preset, or `preset~kind`: the preset without its shocks of that kind (the same run without, say, austerity)."""
    name, _, drop = preset.partition("~")
    sc = load_scenario(name)
    if drop:
        sc = sc.model_copy(update={"shocks": [x for x in sc.shocks if x.kind != drop]})
    return sc


def run(preset: str, seed: int, n: int, weeks: int, groups: bool, **overrides) -> tuple[pd.DataFrame, AnomieModel]:
    m = AnomieModel(scenario(preset), seed=seed, **{"n_citizens": n, **overrides})
    attach = groups and getattr(m, "groups", None) is None
    if attach:
        m.groups = OccupationalGroups.empty(m.citizens.n, m.params)
    leavers = []
    for _ in range(weeks):
        m.step()
        if attach:
            m.groups.add_citizens(m.citizens.n - m.groups.n_citizens)  # newcomers
            indptr, indices = m.network.csr
            sector = getattr(m.citizens, "sector", np.zeros(m.citizens.n, dtype=np.int8))
            m.groups.week(sector, m.citizens.employed, indptr, indices, m.steps, m.streams.groups, m.params)
    df = m.dataframe()
    g = getattr(m, "groups", None)
    df.attrs["group_members"] = g.members_count() if g is not None else 0
    df.attrs["members_in_worker_groups"] = int(np.isin(g.member_of, np.flatnonzero(g.alive & (g.founder >= 0))).sum()) if g is not None else 0
    left = np.asarray(m.services.leavers)
    lo, hi = WINDOW
    df.attrs["leavers_per_post_year"] = np.count_nonzero((left >= lo) & (left < hi)) / max(m.n_posts, 1) / ((hi - lo) / 52)
    return df, m


def summarise(df: pd.DataFrame) -> pd.Series:
    after = df.iloc[WINDOW[0]:WINDOW[1]]
    parts = [after[MEANS].mean().add_prefix("mean "), df[MAXIMA].max().add_prefix("max "),
             df.iloc[-1][FINAL].add_prefix("end "),
             pd.Series({"leavers per post-year": df.attrs["leavers_per_post_year"],
                        "end group members": df.attrs["group_members"],
                        "end members of workers' groups": df.attrs["members_in_worker_groups"]})]
    return pd.concat(parts)


def main(argv: list[str]) -> None:
    global WINDOW
    groups = "--groups" in argv
    flags = {a for a in argv if a.startswith("--")}
    for a in argv:
        if a.startswith("--window="):
            WINDOW = tuple(int(x) for x in a.split("=")[1].split(","))
    argv = [a for a in argv if not a.startswith("--")]
    n = int(argv[0]) if argv else 1000
    weeks = int(argv[1]) if len(argv) > 1 else 300
    seeds = int(argv[2]) if len(argv) > 2 else 3
    presets = argv[3:] or ["baseline", "crash", "austerity", "well_staffed_service", "stretched_service",
                           "community_development", "industrial_revolution_no_social_work"]
    table, per_seed = {}, {}
    for preset in presets:
        name, _, extra = preset.partition(":")
        overrides = dict(kv.split("=") for kv in extra.split(",") if kv)
        overrides = {k: (float(v) if "." in v else int(v)) for k, v in overrides.items()}
        rows = [summarise(run(name, seed, n, weeks, groups, **overrides)[0]) for seed in range(1, seeds + 1)]
        per_seed[preset] = pd.concat(rows, axis=1)
        table[preset] = per_seed[preset].mean(axis=1)
    pd.set_option("display.width", 250)
    if "--paired" in flags and len(presets) == 2:
        print(paired(*(per_seed[p] for p in presets)).round(4).to_string())
        return
    print(pd.DataFrame(table).round(3).to_string())


def paired(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Per summary (rows; one column per seed): both means, the paired difference, its 95% t-interval, seeds first > second."""
    from scipy import stats

    d = (first - second).astype(float)
    k = d.shape[1]
    half = stats.t.ppf(0.975, k - 1) * d.std(axis=1, ddof=1) / np.sqrt(k) if k > 1 else np.nan
    mean = d.mean(axis=1)
    return pd.DataFrame({"first": first.mean(axis=1), "second": second.mean(axis=1), "difference": mean,
                         "ci95 low": mean - half, "ci95 high": mean + half, "seeds first higher": (d > 0).sum(axis=1)})


if __name__ == "__main__":
    main(sys.argv[1:])

"""The two-stage sensitivity analysis in a small form, through the sweep machinery, and checks that can fail."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from anomie.experiments.executors import Pool
from anomie.experiments.spec import parse_sweep, resolve
from anomie.experiments.validation import sensitivity
from anomie.model.parameters import ORDERED_PAIRS, PARAMETERS, Parameters


@pytest.mark.parametrize("design", ["morris", "sobol"])
def test_the_full_sweep_files_cover_every_numeric_parameter_with_common_seeds(design):
    settings = sensitivity.FULL
    text = sensitivity.sweep_text(settings, design, sensitivity.morris_blocks()[0]).encode()
    sweep = resolve(parse_sweep(text, "validation.toml"), "validation.toml", raw=text)
    numeric = {p.name for p in PARAMETERS if p.choices is None} - set(sensitivity.FIXED_BY_DESIGN)
    blocks = sensitivity.morris_blocks()
    assert set().union(*blocks) == numeric and all(sensitivity.CONTROL in b for b in blocks)
    assert all(len(b) <= sensitivity.MAX_PER_SWEEP for b in blocks)
    assert sweep.file.common_seeds and sweep.file.replications == settings.replications
    assert sweep.file.fixed["n_citizens"] == settings.n_citizens and sweep.file.steps == settings.steps
    outputs = set(sensitivity.OUTPUTS)
    assert {"mean_waiting_list", "mean_missed_high_risk", "peak_mean_burnout"} <= outputs  # social-work outcomes


def test_every_sampled_point_is_a_valid_parameter_set():
    ranges = {name: (lo, hi) for name, lo, hi in sensitivity.analysed_parameters()}
    for low, high in ORDERED_PAIRS:
        assert ranges[low][1] < ranges[high][0], f"{low} and {high} ranges overlap"
    assert ranges["groupwork_share"][1] + ranges["community_share"][1] <= 1.0
    corner = {p.name: (int(ranges[p.name][1]) if isinstance(p.default, int) else float(ranges[p.name][1]))
              for p in PARAMETERS if p.name in ranges}
    Parameters(**corner)


def _table(design: str, values: dict[str, dict[str, tuple[float, float]]]) -> pd.DataFrame:
    """A stage result with the given (index, interval) per parameter, the same for every output."""
    cols = ("mu_star", "mu_star_conf") if design == "morris" else ("ST", "ST_conf")
    data = {}
    for label in sensitivity.OUTPUTS.values():
        data[f"{label}: {cols[0]}"] = {n: v[0] for n, v in values.items()}
        data[f"{label}: {cols[1]}"] = {n: v[1] for n, v in values.items()}
        if design == "sobol":
            data[f"{label}: S1"] = {n: v[0] * 0.8 for n, v in values.items()}
            data[f"{label}: S1_conf"] = {n: v[1] for n, v in values.items()}
    return pd.DataFrame(data)


def test_the_screen_keeps_what_clears_the_dummy_and_the_dummy_check_can_fail():
    morris = _table("morris", {"a": (1.0, 0.1), "b": (0.3, 0.05), "c": (0.02, 0.05), sensitivity.CONTROL: (0.0, 0.0)})
    assert sensitivity.screened(morris, top=5) == ["a", "b"]
    assert sensitivity.screened(morris, top=1) == ["a"]
    assert sensitivity.morris_checks(morris)[0].passed
    noisy = _table("morris", {"a": (1.0, 0.1), sensitivity.CONTROL: (0.2, 0.1)})
    assert not sensitivity.morris_checks(noisy)[0].passed


def test_sobol_checks_fail_when_intervals_do_not_clear_the_dummy_or_indices_are_inconsistent():
    good = _table("sobol", {"a": (0.6, 0.05), "b": (0.2, 0.05), sensitivity.CONTROL: (0.0, 0.01)})
    assert all(c.passed for c in sensitivity.sobol_checks(good))
    wide = _table("sobol", {"a": (0.6, 0.7), "b": (0.2, 0.5), sensitivity.CONTROL: (0.0, 0.01)})
    ranks = [c for c in sensitivity.sobol_checks(wide) if c.name.startswith("Sobol ranks")]
    assert ranks and not any(c.passed for c in ranks)
    negative = _table("sobol", {"a": (-1.5, 0.05), "b": (-0.5, 0.05), sensitivity.CONTROL: (0.0, 0.01)})
    consistency = [c for c in sensitivity.sobol_checks(negative) if c.name.startswith("Sobol consistency")]
    assert consistency and not any(c.passed for c in consistency)  # a sum of S1 of -1.6 is not "consistent"


@pytest.fixture(scope="module")
def small_section(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sens")
    settings = replace(sensitivity.QUICK, n_citizens=60, steps=30, screen_top=3)
    pool = Pool(ThreadPoolExecutor(1), 1, "one thread")  # no process start-up in the test
    real = sensitivity.run_stage

    def one_thread(*args, **kwargs):
        return real(*args, **{**kwargs, "pool": pool, "workers": None})

    mp = pytest.MonkeyPatch()
    mp.setattr(sensitivity, "run_stage", one_thread)
    mp.setattr(sensitivity, "FULL", replace(sensitivity.FULL, n_citizens=100, steps=20))  # the timed run stays small
    try:
        section = sensitivity.section(True, folder, folder / "work", settings=settings)
    finally:
        mp.undo()
        pool.executor.shutdown()
    return section, folder


@pytest.mark.slow
def test_the_section_runs_both_stages_and_says_what_it_can_and_cannot_show(small_section):
    section, folder = small_section
    assert (folder / "sensitivity.png").stat().st_size > 1000
    assert "Morris: r = 2 trajectories" in section.intro and "Sobol: N = 8" in section.intro
    assert "core-hours" in section.intro
    notes = " ".join(section.notes)
    assert "What it cannot show" in notes and "--cluster" in notes
    morris_rows = section.tables[0].splitlines()[2:]
    screened_in = [r for r in morris_rows if r.rstrip(" |").endswith("screened in")]
    assert 1 <= len(screened_in) <= 3
    assert any(r.startswith(f"| `{sensitivity.CONTROL}`") and "dummy" in r for r in morris_rows)
    assert section.checks[0].name == "Morris: the dummy parameter looks inert" and section.checks[0].passed
    assert np.all([c.kind == "sensitivity" for c in section.checks])


def test_the_shipped_full_morris_sweep_files_are_current_and_valid(tmp_path):
    fresh = sensitivity.write_full_morris_files([tmp_path / "m1.toml", tmp_path / "m2.toml"])
    names = set()
    for shipped, new in zip(sensitivity.FULL_MORRIS_FILES, fresh):
        text = shipped.read_text()

        def body(t):
            return [line for line in t.splitlines() if not line.startswith("#")]

        assert body(text) == body(new.read_text()), "rerun sensitivity.write_full_morris_files()"
        sweep = resolve(parse_sweep(text.encode(), "m.toml"), "m.toml", raw=text.encode())
        assert sweep.file.design == "morris" and sensitivity.CONTROL in sweep.names
        names |= set(sweep.names)
    assert names == {n for n, _, _ in sensitivity.analysed_parameters()}

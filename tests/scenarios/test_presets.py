"""Every preset scenario loads, reads well and runs."""

import numpy as np
import pytest

from anomie.model.metrics import POSITION_METRICS
from anomie.scenarios.loading import build_model, load_presets, load_scenario, PRESET_DIR, preset_names
from anomie.scenarios.shocks import SHOCK_KINDS

PRESETS = preset_names()


def test_at_least_nine_presets_including_a_baseline_and_the_revolution_pair():
    assert len(PRESETS) >= 9
    assert {"baseline", "industrial_revolution", "industrial_revolution_no_social_work"} <= set(PRESETS)
    assert sorted(p.stem for p in PRESET_DIR.glob("*.toml")) == PRESETS


def test_every_shock_kind_has_a_preset():
    used = {s.kind for sc in load_presets().values() for s in sc.shocks}
    assert used == set(SHOCK_KINDS)
    for kind in SHOCK_KINDS:
        assert kind in PRESETS or any(
            [s.kind for s in sc.shocks] == [kind] for sc in load_presets().values()
        ), f"no preset with {kind} alone"


def test_baseline_has_no_shocks():
    assert load_scenario("baseline").shocks == []


def test_revolution_pair_differs_only_in_social_work():
    a, b = load_scenario("industrial_revolution"), load_scenario("industrial_revolution_no_social_work")
    assert a.shocks == b.shocks and a.steps == b.steps
    pa, pb = a.parameters.model_dump(), b.parameters.model_dump()
    assert {k for k in pa if pa[k] != pb[k]} == {"social_workers_per_1000"}
    assert pa["social_workers_per_1000"] > 0 and pb["social_workers_per_1000"] == 0


@pytest.mark.parametrize("name", PRESETS)
def test_preset_has_a_title_and_a_description_to_read_aloud(name):
    sc = load_scenario(name)
    assert sc.name == name
    assert 3 <= len(sc.title) <= 80
    words = sc.description.split()
    assert 20 <= len(words) <= 200, "a paragraph a lecturer can read aloud"
    assert sc.description.strip()[-1] in ".!?"


@pytest.mark.parametrize("name", PRESETS)
def test_preset_runs_a_few_steps(name):
    sc = load_scenario(name)
    m = build_model(name, seed=1, n_citizens=80)
    m.run_for(4)
    df = m.dataframe()
    # every metric finite, but those of a position nobody holds (empty, NaN) at 80 citizens
    df = df.drop(columns=list(POSITION_METRICS))
    assert len(df) == 5 and df.notna().all().all()
    assert np.isfinite(df.to_numpy(dtype=float)).all()
    # every shock of the preset starts inside the preset's own run length
    assert all(s.start < sc.steps for s in sc.shocks)


@pytest.mark.parametrize("name", [n for n in PRESETS if load_scenario(n).shocks])
def test_preset_shocks_act_when_they_start(name):
    sc = load_scenario(name)
    first = min(s.start for s in sc.shocks)
    m = build_model(name, seed=1, n_citizens=60)
    m.run_for(first - 1)
    assert m.conditions.active == []
    m.step()
    assert m.conditions.active, f"no shock active in week {first}"

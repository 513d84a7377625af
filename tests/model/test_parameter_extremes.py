"""Every parameter at both ends of its allowed range: the model builds, runs through all shocks,
and its metrics stay finite and in range. Inconsistent combinations are refused with a message."""

import numpy as np
import pytest

from anomie.model import AnomieModel
from anomie.model.metrics import POSITION_METRICS, empty_positions
from anomie.model.parameters import ORDERED_PAIRS, PARAMETERS
from anomie.scenarios.schema import InputError, Scenario
from anomie.scenarios.shocks import (
    Austerity,
    AuthoritarianTurn,
    Boom,
    Crash,
    Industrialisation,
    Isolation,
    Migration,
)

EVERYTHING = Scenario(
    title="every shock at once",
    shocks=[
        Industrialisation(start=2, ramp=2, magnitude=0.6),
        Crash(start=2, ramp=1, duration=2, recovery=1, magnitude=0.3),
        Boom(start=3, magnitude=0.5),
        Migration(start=2, duration=2, magnitude=0.3),
        Isolation(start=3, duration=1, recovery=1, magnitude=0.5),
        Austerity(start=2, magnitude=0.5),
        AuthoritarianTurn(start=3, ramp=1, magnitude=0.5),
    ],
)

PAIRED = {name for pair in ORDERED_PAIRS for name in pair} | {"groupwork_share", "community_share"}


def extreme_values():
    for p in PARAMETERS:
        if p.choices:
            values = list(p.choices)
        else:
            kind = int if isinstance(p.default, int) else float
            values = [kind(p.low), kind(p.high)]
        for v in values:
            if p.name == "n_citizens" and v == p.high:
                continue  # a million citizens is the benchmark's job
            yield pytest.param(p.name, v, id=f"{p.name}={v}")


@pytest.mark.parametrize("name, value", list(extreme_values()))
def test_extreme_parameter_runs_and_stays_in_range(name, value):
    kw = {"n_citizens": 40, name: value}
    try:
        m = AnomieModel(EVERYTHING, seed=1, **kw)
    except InputError as exc:
        assert name in PAIRED, f"{name}={value} refused: {exc}"
        assert name in str(exc) or "share" in str(exc)
        return
    m.run_for(6)
    df = m.dataframe()
    # every metric finite, but those of a position nobody holds, which are empty (NaN)
    assert np.isfinite(df.drop(columns=list(POSITION_METRICS)).to_numpy(dtype=float)).all()
    position = df[list(POSITION_METRICS)].to_numpy(dtype=float)
    assert (np.isfinite(position) | np.isnan(position)).all()
    assert {c for c in POSITION_METRICS if np.isnan(df[c].iloc[-1])} == empty_positions(m.citizens.sector, m.citizens.employed)
    for col in ("cohesion", "mean_integration", "mean_regulation", "mean_hazard", "mean_burnout", "consensus"):
        assert df[col].between(0, 1).all(), col
    cs = m.citizens
    for arr in (cs.integration, cs.regulation, cs.capacity, cs.trust, cs.beliefs):
        assert arr.min() >= 0 and arr.max() <= 1
    assert cs.n == len(m.network.degree)

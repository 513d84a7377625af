"""The network's structure is measured in a background thread while the citizens' week runs:
the same numbers as measuring it in the foreground, and never from a stale network."""

from concurrent.futures import Future

import numpy as np
import pandas as pd
import pytest

import anomie.model.model as model_module
from anomie.model.metrics import network_structure
from anomie.scenarios.loading import build_model


@pytest.fixture(autouse=True)
def measure_in_background_at_any_size(monkeypatch):
    monkeypatch.setattr(model_module, "BACKGROUND_MIN_CITIZENS", 0)


def _run(weeks: int, **kw) -> pd.DataFrame:
    m = build_model("industrialisation", seed=5, n_citizens=600, **kw)
    m.run_for(weeks)
    return m.dataframe()


def test_background_and_foreground_give_the_same_metrics(monkeypatch):
    background = _run(70)

    def foreground(fn, *args):
        done = Future()
        done.set_result(fn(*args))
        return done

    monkeypatch.setattr(model_module, "background", foreground)
    pd.testing.assert_frame_equal(background, _run(70))
    assert background["cohesion_clustering"].nunique() > 1  # the structure was measured, week after week


def test_a_change_of_ties_after_the_start_is_measured_afresh():
    m = build_model("baseline", seed=6, n_citizens=400)
    m.run_for(3)
    m.start_measuring()
    # cut the network in two after the measurement started: the stale result must not be used
    net = m.network
    net.remove_ties((net.u < 200) != (net.v < 200))
    _, (lcc, _) = m.measurements()
    indptr, indices = net.csr
    assert lcc == network_structure(indptr, indices, np.arange(0))[0]
    assert lcc <= 0.5 + 1e-12

"""The calibration reads Durkheim's figures as docs/calibration.md states them."""

import numpy as np
import pytest

from anomie.experiments.calibrate import Targets, _year_mid, crisis_excess, error, table_xxiv
from anomie.model.parameters import DEFAULTS


def test_year_ranges_with_abbreviated_ends():
    assert _year_mid("1882") == 1882.0
    assert _year_mid("1864-70") == 1867.0
    assert _year_mid("1861-1865") == 1863.0


def test_targets_are_the_medians_of_durkheims_tables():
    t = Targets.from_data()
    assert t.trade == pytest.approx(2.39, abs=0.01)
    assert t.industry == pytest.approx(1.45, abs=0.01)
    assert t.crash == pytest.approx(0.078, abs=0.001)
    ratios = table_xxiv()
    assert len(ratios["trade"]) == 7 and len(ratios["liberal_professions"]) == 6
    excess = crisis_excess()
    assert len(excess["crash"]) == 5 and len(excess["boom"]) == 2
    # France 1882: 7,213 after 6,741, less a year's 2% growth
    assert min(excess["crash"]) == pytest.approx(7213 / 6741 / 1.02 - 1)


def test_error_is_zero_at_the_targets_and_grows_with_relative_distance():
    t = Targets.from_data()
    exact = {"trade": [t.trade], "industry": [t.industry], "crash": [t.crash]}
    assert error(exact, t) == 0.0
    off = {**exact, "crash": [2 * t.crash]}
    assert error(off, t) == pytest.approx(1.0)


def test_the_defaults_are_the_committed_calibration():
    import json
    from pathlib import Path

    fitted = json.loads((Path(__file__).parents[2] / "experiments" / "calibration.json").read_text())["fitted"]
    for name, value in fitted.items():
        assert DEFAULTS[name] == pytest.approx(value), name
    assert np.isfinite(list(fitted.values())).all()

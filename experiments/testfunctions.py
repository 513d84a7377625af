"""Sweep targets with known answers, to check the sweep and analysis pipeline end to end.

The Ishigami function (Ishigami and Homma 1990) is the standard test of variance-based
sensitivity analysis: its first-order and total Sobol indices are known in closed form,
so a Sobol sweep of it must give those numbers back within sampling error.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from anomie.model.parameters import Parameter

ISHIGAMI_A = 7.0
ISHIGAMI_B = 0.1

TEST_GROUP = "Test function"
ISHIGAMI_PARAMETERS: dict[str, Parameter] = {
    f"x{i}": Parameter(f"x{i}", 0.0, -math.pi, math.pi, "input", TEST_GROUP, f"Ishigami input x{i}, uniform on [-pi, pi].")
    for i in (1, 2, 3)
}
ISHIGAMI_METRICS = {"y": "Ishigami function value."}


def ishigami(x1: float, x2: float, x3: float, a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> float:
    """f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1."""
    return math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, np.ndarray]:
    """Analytic first-order (S1) and total (ST) Sobol indices of x1, x2, x3."""
    pi4, pi8 = math.pi**4, math.pi**8
    v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    v2 = a**2 / 8.0
    v13 = b**2 * pi8 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    return {"S1": np.array([v1, v2, 0.0]) / v, "ST": np.array([v1 + v13, v2, v13]) / v}


def run_ishigami(values: dict[str, float]) -> pd.DataFrame:
    """One 'run' of the test function: a one-row table (step 0) with the value y."""
    y = ishigami(values["x1"], values["x2"], values["x3"])
    return pd.DataFrame({"y": [y]}, index=pd.RangeIndex(1, name="step"))

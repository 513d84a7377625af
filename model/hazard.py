"""The crisis hazard: lowest in the healthy middle of both axes, rising towards every extreme.

"Crisis" is the model's neutral stand-in for Durkheim's suicide statistics: a week in
which a person cannot cope and needs help.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def crisis_hazard(
    integration: np.ndarray,
    regulation: np.ndarray,
    integration_mid: float,
    regulation_mid: float,
    half_width: float,
    baseline: float,
    curvature: float,
    capacity: np.ndarray,
    capacity_protection: float,
) -> np.ndarray:
    """Curvilinear hazard (Durkheim 1897): baseline x exp(curvature x squared distance from the middle).

    The distance on each axis is measured in half-widths of the healthy band, so the
    hazard is U-shaped along integration and along regulation. Lasting capacity lowers it.
    """
    d2 = ((integration - integration_mid) / half_width) ** 2 + ((regulation - regulation_mid) / half_width) ** 2
    h = baseline * np.exp(curvature * d2) * (1.0 - capacity_protection * capacity)
    return np.minimum(np.maximum(h, 0.0), 1.0)  # np.clip, for numbers too


@kernel
def crisis_onsets(hazard: np.ndarray, crisis_left: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Crises happen as independent weekly events to those not already in crisis.

    `draws` are uniform on [0, 1), one per person: a crisis begins where the draw is below
    the hazard. Works on one person's numbers as on arrays.
    """
    return (draws < hazard) & (crisis_left == 0)

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
    integration_high: float,
    regulation_high: float,
    baseline: float,
    curvature: float,
    capacity: np.ndarray,
    capacity_protection: float,
) -> np.ndarray:
    """Curvilinear hazard (Durkheim 1897): baseline x exp(curvature x squared excess), lowest in the healthy middle.

    On each axis the excess is 0 from the calibrated centre (`*_mid`) up to the upper
    threshold of the healthy band (`*_high`), and grows linearly to 1 at either end of the
    axis: (mid - x) / mid below the centre (towards egoism, anomie), (x - high) / (1 - high)
    above the band (towards altruism, fatalism). Durkheim's tables show harm falling as
    integration and regulation rise through the ordinary range (the denser the family, the
    fewer suicides, Book II ch. 3; marriage's discipline protects, ch. 5) and rising again
    only at the extremes (altruistic and fatalistic suicide, ch. 4 and the note to ch. 5).
    The U shape is an assumption of the model, not a result. Lasting capacity lowers it.
    """
    # the rooms are never 0 for validated parameters but a threshold may sit at the end of its axis
    ex_i = np.maximum(integration_mid - integration, 0.0) / max(integration_mid, 1e-9) + np.maximum(
        integration - integration_high, 0.0) / max(1.0 - integration_high, 1e-9)
    ex_r = np.maximum(regulation_mid - regulation, 0.0) / max(regulation_mid, 1e-9) + np.maximum(
        regulation - regulation_high, 0.0) / max(1.0 - regulation_high, 1e-9)
    h = baseline * np.exp(curvature * (ex_i * ex_i + ex_r * ex_r)) * (1.0 - capacity_protection * capacity)
    return np.minimum(np.maximum(h, 0.0), 1.0)  # np.clip, for numbers too


@kernel
def crisis_onsets(hazard: np.ndarray, crisis_left: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Crises happen as independent weekly events to those not already in crisis.

    `draws` are uniform on [0, 1), one per person: a crisis begins where the draw is below
    the hazard. Works on one person's numbers as on arrays.
    """
    return (draws < hazard) & (crisis_left == 0)

"""Durkheim's four pathologies on the integration x regulation plane, and the healthy middle."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .jit import kernel


class DurkheimState(IntEnum):
    """Where a citizen sits on the plane."""

    INTEGRATED = 0  # the healthy middle: attached and regulated, but not too much
    EGOISM = 1  # too little integration: isolation
    ALTRUISM = 2  # too much integration: the self dissolved in the group
    ANOMIE = 3  # too little regulation: normlessness
    FATALISM = 4  # too much regulation: oppressive discipline


STATE_NAMES = {s: s.name.lower() for s in DurkheimState}
STATE_NAMES[DurkheimState.INTEGRATED] = "healthy"


def classify(
    integration: np.ndarray,
    regulation: np.ndarray,
    integration_low: float,
    integration_high: float,
    regulation_low: float,
    regulation_high: float,
) -> np.ndarray:
    """Durkheim's typology: the axis on which a person is furthest outside the healthy band decides.

    Each excess is measured as a share of the room between the threshold and the end of
    the axis, so that a person both isolated and normless counts where they are more extreme.
    """
    return _classify(integration, regulation, typology_bands(integration_low, integration_high, regulation_low, regulation_high))


def typology_bands(integration_low: float, integration_high: float, regulation_low: float, regulation_high: float) -> tuple:
    """The healthy band's four thresholds, each with the room between it and the end of its axis."""
    return (
        float(integration_low), max(integration_low, 1e-9), float(integration_high), max(1.0 - integration_high, 1e-9),
        float(regulation_low), max(regulation_low, 1e-9), float(regulation_high), max(1.0 - regulation_high, 1e-9),
    )


# A small positive floor so that the healthy middle wins ties at the thresholds.
HEALTHY_FLOOR = 1e-12


@kernel
def durkheim_state(integration: float, regulation: float, bands: tuple) -> int:
    """One person's state (`classify`): the first largest excess wins, as np.argmax over
    (healthy, egoism, altruism, anomie, fatalism) would pick it."""
    i_low, i_low_room, i_high, i_high_room, r_low, r_low_room, r_high, r_high_room = bands
    best, state = HEALTHY_FLOOR, 0
    for code, excess in enumerate((
        (i_low - integration) / i_low_room, (integration - i_high) / i_high_room,
        (r_low - regulation) / r_low_room, (regulation - r_high) / r_high_room,
    )):
        if excess > best:
            best, state = excess, code + 1
    return state


@kernel
def _classify(integration, regulation, bands):
    out = np.empty(integration.size, dtype=np.int8)
    for t in range(integration.size):
        out[t] = durkheim_state(integration[t], regulation[t], bands)
    return out

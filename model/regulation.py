"""Regulation: norms that bound desires, and what erodes them (Durkheim, Suicide, 1897)."""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def normative_consensus(
    neighbour_regulation: np.ndarray, norm_strength: float, local_norm_weight: float
) -> np.ndarray:
    """The norms a person feels bound by: neighbours' adherence mixed with society-wide norms."""
    return local_norm_weight * neighbour_regulation + (1.0 - local_norm_weight) * norm_strength


@kernel
def anomic_erosion(
    structural_change: float,
    turbulence: float,
    strain: np.ndarray,
    capacity: np.ndarray,
    change_erosion: float,
    means_shock_erosion: float,
    strain_erosion: float,
    capacity_protection: float,
) -> np.ndarray:
    """Regulation lost this step: the anomic division of labour and the disturbance of means.

    Structural change faster than norms adapt, economic turbulence (ruin or
    windfall) and a gap between expectations and means all loosen the hold of norms.
    Lasting personal capacity absorbs part of it.
    """
    raw = change_erosion * structural_change + means_shock_erosion * turbulence + strain_erosion * strain
    return raw * (1.0 - capacity_protection * capacity)


@kernel
def authoritarian_pressure(regulation: np.ndarray, pull: float) -> np.ndarray:
    """Forced regulation: an authoritarian regime pushes adherence towards its maximum (fatalism)."""
    return pull * (1.0 - regulation)


def personal_vulnerability(k: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    """People differ in how much change shakes them: gamma-distributed, mean 1, given coefficient of variation."""
    if spread**2 <= np.finfo(float).tiny:  # no spread (or too little to represent): all equal
        return np.ones(k)
    shape = 1.0 / spread**2
    return rng.gamma(shape, 1.0 / shape, size=k)

"""Common random numbers: one random stream per mechanism.

The model's seed makes a `numpy.random.SeedSequence`; each mechanism draws from its own
child generator. Two runs that differ in one mechanism (say, with and without social
workers) then share every draw of the others, so their difference shows the mechanism's
effect and not the noise of shifted random numbers (common random numbers: Law, *Simulation
Modeling and Analysis*, 5th ed., 2015, ch. 11; Stout & Goldie 2008 on ABMs).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class RandomStreams:
    """One generator per mechanism; add a field to add a stream (existing ones keep their draws
    only if the new field is added last)."""

    network: np.random.Generator  # the initial network
    population: np.random.Generator  # who citizens are: beliefs, sector, anchors, newcomers
    economy: np.random.Generator  # jobs, wages, sector moves
    beliefs: np.random.Generator  # meetings and drift of beliefs
    ties: np.random.Generator  # ties breaking, closing and rewired
    crises: np.random.Generator  # crisis onsets and their consequences
    referral: np.random.Generator  # other agencies passing people on
    social_work: np.random.Generator  # everything social workers decide
    groups: np.random.Generator  # occupational groups founding, growing, withering
    measurement: np.random.Generator  # samples for metrics: observing never changes the run

    @classmethod
    def from_seed(cls, seed: int) -> "RandomStreams":
        children = np.random.SeedSequence(abs(int(seed))).spawn(len(fields(cls)))
        return cls(*(np.random.default_rng(c) for c in children))

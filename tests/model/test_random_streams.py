"""Common random numbers: each mechanism draws from its own stream (model/streams.py)."""

import numpy as np

from anomie.model.model import AnomieModel
from anomie.scenarios.loading import build_model

# social workers who act (take cases, run groups, draw random numbers) but change nothing
INERT_WORK = dict(
    casework_effect=0.0, crisis_resolution=0.0, groupwork_effect=0.0, persuasion_effect=0.0,
    environment_tie=0.0, advocacy_success=0.0, benefit_advocacy_success=0.0, coproduction_rate=0.0,
    group_tie_probability=0.0,
)


def _run(workers: int, weeks: int = 30):
    m = build_model("crash", seed=11, n_citizens=300, social_workers_per_1000=workers * 1000 / 300, **INERT_WORK)
    m.run_for(weeks)
    return m


def test_workers_who_change_nothing_leave_every_citizen_draw_unchanged():
    with_workers, without = _run(3), _run(0)
    assert with_workers.streams.social_work.bit_generator.state != without.streams.social_work.bit_generator.state
    for name in ("integration", "regulation", "beliefs", "employed", "crises"):
        np.testing.assert_array_equal(getattr(with_workers.citizens, name), getattr(without.citizens, name), err_msg=name)


def test_streams_are_distinct_and_reproducible():
    a, b = AnomieModel(seed=5, n_citizens=50), AnomieModel(seed=5, n_citizens=50)
    draws_a = [g.random() for g in vars(a.streams).values()]
    assert draws_a == [g.random() for g in vars(b.streams).values()]
    assert len(set(draws_a)) == len(draws_a)

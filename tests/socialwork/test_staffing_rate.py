"""Staffing is a rate (issue 11): posts per 1,000 citizens, so that a larger society keeps its coverage.

The model derives whole posts from the rate (`social_work_posts`): rounded, at least one
when the rate is above zero, none at zero. A sweep over the population keeps the posts per
1,000 citizens; the old count `n_social_workers` is refused with a pointer to the new name.
"""

import pandas as pd
import pytest
from typer.testing import CliRunner

from anomie.cli import app
from anomie.model.parameters import DEFAULTS, PARAMETER_BY_NAME
from anomie.model.workforce import social_work_posts
from anomie.scenarios.loading import build_model
from anomie.scenarios.schema import InputError


@pytest.mark.parametrize("rate, n, posts", [
    (2.0, 1000, 2), (2.0, 1_000_000, 2000), (2.0, 1500, 3), (2.0, 1600, 3), (2.0, 1800, 4),
    (3.0, 500, 2),  # 1.5 rounds to the even 2 (Python's round)
    (1.0, 500, 1),  # 0.5 rounds to the even 0, and a service that exists keeps one post
    (0.01, 10, 1), (100.0, 10, 1), (100.0, 1000, 100),
    (0.0, 1000, 0), (0.0, 1_000_000, 0),
])
def test_posts_are_the_rate_times_the_population_rounded_at_least_one_none_at_zero(rate, n, posts):
    assert social_work_posts(rate, n) == posts


def test_the_default_is_englands_two_per_thousand_at_any_population():
    rate = DEFAULTS["social_workers_per_1000"]
    assert rate == 2.0 and PARAMETER_BY_NAME["social_workers_per_1000"].scale == "posts per 1,000 citizens"
    for n in (500, 1000, 2000, 5000):
        m = build_model("baseline", seed=1, n_citizens=n, create_agents=False)
        assert len(m.social_workers) == m.n_posts == n * 2 // 1000


def test_a_preset_without_social_work_has_no_posts_at_any_population():
    for n in (10, 3000):
        m = build_model("industrial_revolution_no_social_work", seed=1, n_citizens=n, create_agents=False)
        assert m.n_posts == 0 and m.social_workers == []


SWEEP = """
title = "staffing across populations"
scenario = "baseline"
design = "grid"
replications = 1
steps = 1
master_seed = 3
metrics = ["workers_in_post"]
summaries = ["peak"]
[fixed]
social_workers_per_1000 = 4.0
[parameters.n_citizens]
values = [250, 1000, 2500, 4000]
"""


def test_a_sweep_over_the_population_keeps_the_posts_per_thousand(tmp_path):
    file = tmp_path / "sweep.toml"
    file.write_text(SWEEP)
    result = CliRunner().invoke(app, ["sweep", str(file), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet").sort_values("n_citizens")
    assert (runs["status"] == "ok").all()
    # every post is filled in the first week, so the peak of workers in post is the number of posts
    assert list(runs["peak_workers_in_post"]) == [1, 4, 10, 16]
    assert (runs["peak_workers_in_post"] * 1000 == 4 * runs["n_citizens"]).all()


def test_the_old_count_is_refused_with_the_new_name():
    with pytest.raises(InputError, match=r"n_social_workers.*renamed.*social_workers_per_1000"):
        build_model("baseline", seed=0, n_citizens=100, n_social_workers=2)


def test_the_old_count_on_the_command_line_is_refused_with_the_new_name():
    result = CliRunner().invoke(app, ["run", "baseline", "--steps", "1", "--set", "n_social_workers=2", "--quiet"])
    message = " ".join(result.output.split())
    assert result.exit_code == 2, message
    assert "n_social_workers" in message and "social_workers_per_1000" in message and "Traceback" not in message

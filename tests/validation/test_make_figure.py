"""The README figure is drawn over seeds: one column per seed, bands from their spread."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

SPEC = importlib.util.spec_from_file_location("make_figure", Path(__file__).resolve().parents[2] / "docs" / "make_figure.py")
make_figure = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(make_figure)


def test_the_figure_is_drawn_from_several_seeds(tmp_path, monkeypatch):
    calls = []

    def short(scenario, seed):  # the preset's shocks, over a few weeks and a small population
        from anomie.scenarios.run import simulate

        calls.append((scenario, seed))
        return simulate(scenario, seed=seed, steps=60, overrides={"n_citizens": 100})

    monkeypatch.setattr(make_figure, "simulate", short)
    out = make_figure.main(seeds=range(1, 4), out=tmp_path / "fig.png")
    assert out.stat().st_size > 10_000
    assert sorted(calls) == sorted((s, k) for s in (make_figure.WITH, make_figure.WITHOUT) for k in (1, 2, 3))
    tables = make_figure.runs(make_figure.WITH, [1, 2])
    assert all(isinstance(t, pd.DataFrame) and list(t.columns) == [1, 2] for t in tables.values())

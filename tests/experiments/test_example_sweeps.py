"""Every sweep file shipped in examples/sweeps/ loads: it names only parameters the table has, in their ranges."""

from pathlib import Path

import pytest

from anomie.experiments.spec import load_sweep

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "sweeps").glob("*.toml"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_sweep_file_loads(path):
    sweep = load_sweep(path)
    assert sweep.names, f"{path.name} varies nothing"

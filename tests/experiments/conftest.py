"""Shared fixtures of the sweep tests: a tiny sweep file and process pools started once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sweep_files import TINY_MODEL_SWEEP, write_sweep

from anomie.experiments.executors import local_pool


@pytest.fixture
def tiny_sweep(tmp_path: Path) -> Path:
    return write_sweep(tmp_path, TINY_MODEL_SWEEP)


@pytest.fixture(scope="session")
def pool1():
    with local_pool(1) as p:
        yield p


@pytest.fixture(scope="session")
def pool2():
    with local_pool(2) as p:
        yield p

"""docs/ODD.md shares the code's tables: parameters, metrics and shocks are generated from the
code by docs/gen_parameters.py, and every mechanism the code defines is described."""

import importlib.util
import inspect
import re
from pathlib import Path

import pytest

from anomie.model import METRICS, PARAMETERS
from anomie.scenarios.shocks import SHOCK_KINDS

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_parameters", ROOT / "docs" / "gen_parameters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def section(text: str, name: str) -> str:
    m = re.search(rf"<!-- {name}:start -->(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert m, f"docs/ODD.md has no {name} section"
    return m.group(1)


def test_odd_tables_are_up_to_date_with_the_code():
    gen = load_generator()
    text = ODD.read_text(encoding="utf-8")
    assert gen.update(text) == text, "docs/ODD.md is out of date: run .venv/bin/python docs/gen_parameters.py"
    assert gen.main(["--check"]) == 0


def test_parameter_table_has_one_row_per_parameter_with_its_default():
    table = section(ODD.read_text(encoding="utf-8"), "parameters")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == [p.name for p in PARAMETERS]
    for p, row in zip(PARAMETERS, rows):
        assert p.meaning in row and p.scale in row, p.name


def test_metric_and_shock_tables_cover_the_code():
    text = ODD.read_text(encoding="utf-8")
    metrics = section(text, "metrics")
    assert [line.split("`")[1] for line in metrics.splitlines() if line.startswith("| `")] == list(METRICS)
    shocks = section(text, "shocks")
    assert [line.split("`")[1] for line in shocks.splitlines() if line.startswith("| `")] == list(SHOCK_KINDS)


def test_the_check_notices_a_stale_table():
    gen = load_generator()
    text = ODD.read_text(encoding="utf-8")
    p = PARAMETERS[3]
    stale = text.replace(f"| {p.meaning} |", "| an old meaning |", 1)
    assert stale != text
    assert gen.update(stale) == text


def test_a_missing_marker_is_an_error():
    gen = load_generator()
    with pytest.raises(ValueError, match="parameters"):
        gen.update("no markers here")


def test_crisis_is_explained_once_as_the_stand_in_for_suicide():
    text = ODD.read_text(encoding="utf-8")
    assert "neutral" in text and "suicide" in text.lower()
    assert len(re.findall(r"A word on \"crisis\"", text)) == 1


def test_cohesion_index_is_defined_with_its_four_components():
    text = ODD.read_text(encoding="utf-8")
    definition = text[text.index("**Cohesion index.**") :]
    for part in ("cohesion_integration", "cohesion_connectedness", "cohesion_clustering", "cohesion_solidarity"):
        assert part in definition, part


def mechanism_names():
    import anomie.agents.social_worker as sw
    import anomie.model.beliefs
    import anomie.model.economy
    import anomie.model.hazard
    import anomie.model.regulation
    import anomie.model.solidarity
    import anomie.model.ties
    import anomie.model.typology
    from anomie import model
    modules = (model.beliefs, model.solidarity, model.regulation, model.economy, model.ties,
               model.typology, model.hazard)
    for mod in modules:
        for name, obj in vars(mod).items():
            fn = getattr(obj, "py_func", obj)  # a compiled (numba) mechanism is described too
            if inspect.isfunction(fn) and fn.__module__ == mod.__name__ and not name.startswith("_"):
                yield name
    for name, fn in inspect.getmembers(sw.SocialWorker, inspect.isfunction):
        if fn.__qualname__.startswith("SocialWorker.") and not name.startswith("_") and name != "step":
            yield name


@pytest.mark.parametrize("name", sorted(set(mechanism_names())))
def test_every_mechanism_is_described_in_the_odd(name):
    assert f"`{name}`" in ODD.read_text(encoding="utf-8"), f"docs/ODD.md does not describe {name}"


def test_every_parameter_is_used_in_the_submodels_or_the_theory_map():
    """Each parameter appears in the hand-written text as well as in the generated table."""
    text = ODD.read_text(encoding="utf-8")
    written = re.sub(r"<!-- parameters:start -->.*?<!-- parameters:end -->", "", text, flags=re.DOTALL)
    written = written.replace("\\_", "_")  # names inside equations are written \texttt{a\_b}
    missing = [p.name for p in PARAMETERS if p.name not in written]
    assert not missing, f"parameters not explained outside the table: {missing}"

"""The week in the code is the week in the documentation: `AnomieModel.step` calls the methods
docs/ODD.md section 3 names, in the same order, and nothing else."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def odd_week() -> list[str]:
    """The method each top-level numbered item of ODD section 3 names first, in backticks."""
    text = (ROOT / "docs" / "ODD.md").read_text()
    section = text.split("## 3. Process overview and scheduling", 1)[1].split("\n## 4.", 1)[0]
    items = re.findall(r"^\d+\. (.*(?:\n(?!\d+\. |\n).*)*)", section, flags=re.M)
    return [re.search(r"`([A-Za-z_][A-Za-z0-9_.]*)`", item).group(1) for item in items]


def step_calls(source: str) -> list[str]:
    """The `self.method(...)` calls in `AnomieModel.step`, in the order they run."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "AnomieModel")
    step = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "step")
    calls = []
    for stmt in step.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call), (
            f"line {stmt.lineno}: step should read as a list of calls")
        f = stmt.value.func
        assert isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self", (
            f"line {stmt.lineno}: step calls only the model's own methods")
        calls.append(f.attr)
    return calls


def test_the_odd_list_is_read():
    week = odd_week()
    assert len(week) >= 10 and week[0] == "update_conditions" and week[-1] == "observe"


def test_the_code_runs_the_week_in_the_order_odd_gives():
    code = step_calls((ROOT / "model" / "model.py").read_text())
    assert code == odd_week()


def test_every_method_odd_names_exists_on_the_model():
    from anomie.model.model import AnomieModel

    for name in odd_week():
        assert callable(getattr(AnomieModel, name, None)), name


def test_a_swapped_order_is_caught():
    src = (ROOT / "model" / "model.py").read_text()
    swapped = src.replace("        self.economy(self.conditions)\n        self.beliefs_meet(self.conditions)\n",
                          "        self.beliefs_meet(self.conditions)\n        self.economy(self.conditions)\n")
    assert swapped != src
    assert step_calls(swapped) != odd_week()


def test_a_stray_statement_in_step_is_refused():
    src = "class AnomieModel:\n    def step(self):\n        x = 1\n        self.observe()\n"
    with pytest.raises(AssertionError, match="list of calls"):
        step_calls(src)

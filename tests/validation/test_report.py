"""The report writer and the `validate` command, with a stand-in facts module (the real facts take minutes)."""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anomie.cli import app
from anomie.experiments.validation import facts_adapter, report
from anomie.experiments.validation import facts
from anomie.experiments.validation.checks import CONSTRUCTION, VALIDATION, Check
from anomie.experiments.validation.facts import FactResult  # the real result type; only the facts' work is faked


@dataclass(frozen=True)
class FakeConfig:
    n_citizens: int = 1000
    seeds: int = 10
    workers: int = 1


def fake_facts(seen: list) -> types.ModuleType:
    """A module shaped like experiments/validation/facts.py: FACTS maps numbers to fact(config) functions."""
    module = types.ModuleType("fake_facts")

    def fact_1(cfg):
        seen.append(cfg)
        return [FactResult(1, "Crisis hazard is U-shaped", "curvature", 0.4, 0.2, 0.6, cfg.seeds, +1,
                           kind=CONSTRUCTION, why="the hazard formula")]

    def fact_2(cfg):
        return [FactResult(2, "Faster change, higher peak", "peak difference", -0.1, -0.3, 0.05, cfg.seeds, +1),
                FactResult(2, "Crash raises crises", "log ratio", 0.2, 0.1, 0.3, cfg.seeds, +1)]

    def fact_9(cfg):
        return [facts.not_measurable(9, "Upheaval lowers crises", "no political_upheaval shock")]

    module.FACTS = {2: fact_2, 1: fact_1, 9: fact_9}
    module.FactConfig = FakeConfig
    return module


def test_facts_section_separates_results_from_what_holds_by_construction(monkeypatch, tmp_path):
    seen: list = []
    monkeypatch.setattr(facts_adapter, "load_facts", lambda: fake_facts(seen))
    out = tmp_path / "docs" / "VALIDATION.md"
    sections = report.run_suite(out=out, quick=True, seeds=4, only=("facts",), work_dir=tmp_path / "work")
    from anomie.experiments.executors import default_workers

    assert seen == [FakeConfig(n_citizens=facts_adapter.QUICK_CITIZENS, seeds=4, workers=default_workers())]
    by_title = {s.title: s for s in sections}
    facts_checks = by_title["Stylised facts (docs/theory.md section 7)"].checks
    assert [c.name for c in facts_checks] == ["Fact 2: Faster change, higher peak", "Fact 2: Crash raises crises",
                                              "Fact 9: Upheaval lowers crises"]
    assert [c.passed for c in facts_checks] == [False, True, False]
    assert facts_checks[2].status == "not measurable"
    built_in = [c.name for c in by_title["By construction: what the formulas guarantee"].checks]
    assert "Fact 1: Crisis hazard is U-shaped" in built_in
    text = out.read_text()
    # the headline counts validation only: one of the two measurable results, the unmeasurable one apart
    assert "**Validation: the model shows 1 of 2 measurable claims" in text
    assert "(1 more cannot be measured on this model" in text
    assert "| 2 | Faster change, higher peak | peak difference | -0.1 | [-0.3, 0.05] | 4 | **not shown** |" in text
    assert "claims that hold by construction (a formula forces them), 5 of 5 hold" in text
    assert not list(out.parent.glob(".*.tmp")), "a temporary file was left behind"


def test_headline_never_counts_verification_or_construction():
    from anomie.experiments.validation.checks import CALIBRATION, VERIFICATION

    checks = [Check("v", "s", "e", "m", True, kind=VERIFICATION) for _ in range(12)]
    checks += [Check("c", "s", "e", "m", True, kind=CONSTRUCTION) for _ in range(4)]
    checks += [Check("k", "s", "e", "m", True, kind=CALIBRATION)]
    checks += [Check("r", "s", "e", "m", False, kind=VALIDATION)]
    text = "\n".join(report.headline(checks))
    assert "shows 0 of 1 measurable claims" in text
    assert "12 of 12 pass" in text and "4 of 4 hold" in text and "1 of 1 match" in text


def test_the_real_facts_module_fits_the_adapter():
    module = facts_adapter.load_facts()
    cfg = facts_adapter.fact_config(module, quick=True, seeds=3, workers=1)
    assert cfg.seeds == 3 and cfg.n_citizens == facts_adapter.QUICK_CITIZENS
    assert set(module.FACTS) == set(range(1, 10)), "facts 1-9 of docs/theory.md section 7"


def test_validate_command_writes_the_report_and_strict_fails_on_a_failed_check(monkeypatch, tmp_path):
    monkeypatch.setattr(facts_adapter, "load_facts", lambda: fake_facts([]))
    out = tmp_path / "VALIDATION.md"
    work = ["--work", str(tmp_path / "work")]
    result = CliRunner().invoke(app, ["validate", "--only", "facts", "--out", str(out), *work])
    assert result.exit_code == 0, result.output
    assert "validation: 1 of 2 measurable claims shown" in result.output and out.exists()
    assert (tmp_path / "validation").is_dir()
    result = CliRunner().invoke(app, ["validate", "--only", "facts", "--out", str(out), "--strict", *work])
    assert result.exit_code == 1


def test_a_failed_write_keeps_the_old_report(monkeypatch, tmp_path):
    """The report is replaced atomically: if rendering dies, the previous report stays whole."""
    monkeypatch.setattr(facts_adapter, "load_facts", lambda: fake_facts([]))
    out = tmp_path / "VALIDATION.md"
    out.write_text("old report\n")

    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(report, "render", broken)
    with pytest.raises(RuntimeError):
        report.run_suite(out=out, quick=True, only=("facts",), work_dir=tmp_path / "work")
    assert out.read_text() == "old report\n"
    assert Path(out).parent.joinpath("validation").is_dir()


def test_a_partial_run_keeps_the_other_parts_of_the_last_report(monkeypatch, tmp_path):
    """`--only facts` refreshes the facts and keeps the parts an earlier run of the suite produced."""
    from anomie.experiments.validation.checks import Check, Section

    monkeypatch.setattr(facts_adapter, "load_facts", lambda: fake_facts([]))
    work = tmp_path / "work"
    earlier = {"networks": Section("Networks", "intro", [Check("WS lattice", "Watts & Strogatz (1998)", "C(0)", "0.667",
                                                               True, 3)], ["| t |"], [("ws.png", "caption")])}
    report.save_sections(report.cache_path(work, quick=True), earlier)
    out = tmp_path / "VALIDATION.md"
    report.run_suite(out=out, quick=True, only=("facts",), work_dir=work)
    text = out.read_text()
    assert "WS lattice" in text and "Fact 2: Crash raises crises" in text
    assert text.index("## Networks") < text.index("## Stylised facts")  # the suite's order, not the run's
    assert "Parts kept from the previous run of this suite: networks." in text
    kept = report.load_sections(report.cache_path(work, quick=True))
    assert set(kept) == {"networks", "construction", "facts"}


def test_a_part_that_fails_is_reported_and_the_others_are_kept(monkeypatch, tmp_path):
    """A crash in one part (say the sweep folder is refused) must not lose the parts that finished before it."""
    monkeypatch.setattr(facts_adapter, "load_facts", lambda: fake_facts([]))

    def broken(*args, **kwargs):
        raise RuntimeError("results folder refused")

    monkeypatch.setattr(report.sensitivity, "section", broken)
    out = tmp_path / "VALIDATION.md"
    report.run_suite(out=out, quick=True, only=("facts", "sensitivity"), work_dir=tmp_path / "work")
    text = out.read_text()
    assert "Fact 2: Crash raises crises" in text
    assert "| Global sensitivity (Morris, then Sobol): the part ran | **FAIL** | RuntimeError: results folder refused |" in text
    assert set(report.load_sections(report.cache_path(tmp_path / "work", quick=True))) == {"construction", "facts",
                                                                                              "sensitivity"}


def test_kept_parts_survive_numpy_values(tmp_path):
    """Checks often carry numpy booleans and counts; the kept parts must still be written and read back."""
    import numpy as np

    from anomie.experiments.validation.checks import Check, Section

    path = tmp_path / "sections.json"
    section = Section("T", "i", [Check("c", "s", "e", "m", np.bool_(True), np.int64(3))])
    report.save_sections(path, {"deffuant": section})
    back = report.load_sections(path)["deffuant"].checks[0]
    assert back.passed is True and back.seeds == 3

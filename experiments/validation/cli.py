"""`anomie validate`: run the validation suite and write docs/VALIDATION.md with its figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anomie.scenarios.schema import InputError


def register(app: typer.Typer) -> None:
    """Add the `validate` command to the `anomie` app."""
    app.command()(validate)


def _probe(folder: Path, option: str) -> None:
    """Prove that files can be created in `folder` (or in its nearest existing ancestor) by creating one.

    Permission bits are not enough: as root everything looks writable, and /proc or a
    read-only mount still refuses the write. The probe file is removed at once.
    """
    import os
    import tempfile

    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot create a folder under {existing}: it is not a folder", str(folder), option)
    try:
        fd, name = tempfile.mkstemp(prefix=".anomie-probe-", dir=existing)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise InputError(f"cannot write into {existing}: {exc.strerror or exc}", str(folder), option) from None


def _check_paths(out: Path, figures: Path, work: Path) -> None:
    """Refuse, before any work, an output we could not write (exit status 2, nothing written)."""
    if out.suffix != ".md":
        raise InputError("the report is a Markdown file: give a path ending in .md", str(out), "--out")
    if out.exists() and not out.is_file():
        raise InputError("exists and is not a file", str(out), "--out")
    _probe(out.parent, "--out")
    for folder, option in ((figures, "--figures"), (work, "--work")):
        if folder.exists() and not folder.is_dir():
            raise InputError("exists and is not a folder", str(folder), option)
        _probe(folder, option)


def validate(
    full: Annotated[bool, typer.Option("--full/--quick", help="Full suite (many minutes; the numbers to cite) or the quick one (a few minutes).")] = False,
    seeds: Annotated[int | None, typer.Option(min=1, max=1000, help="Seeds per setting (default: 3 quick, 10-20 full).")] = None,
    out: Annotated[Path, typer.Option("--out", help="The report to write (Markdown).")] = Path("docs/VALIDATION.md"),
    figures: Annotated[Path | None, typer.Option(help="Folder for the PNG figures (default: validation/ next to the report).")] = None,
    work: Annotated[Path, typer.Option(help="Folder for the sensitivity sweep's runs (rerunning resumes).")] = Path("results/validation"),
    only: Annotated[list[str] | None, typer.Option(help="Run only these parts: deffuant, networks, facts, durkheim, cohesion, sensitivity (repeatable).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=4096, help="Worker processes for the sensitivity sweep (default: all cores).")] = None,
    samples: Annotated[int | None, typer.Option(min=2, max=65536, help="Sobol base sample N of the sensitivity's second stage, a power of 2; runs = N (screened parameters + 3) x replications.")] = None,
    design: Annotated[str | None, typer.Option(help="Sensitivity design: quick, small (a compressed scenario, minutes), medium (the whole preset at 1,000 citizens; under an hour on 2 cores) or full (2,000 citizens, 3 seeds a point; for a cluster). Default: quick with --quick, medium with --full.")] = None,
    cluster: Annotated[str | None, typer.Option(help="Dask scheduler address for the sensitivity sweeps (e.g. tcp://host:8786); default: local processes.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit with status 1 if any check fails.")] = False,
) -> None:
    """Run the validation suite: verification, by construction, validation (stylised facts, Durkheim's numbers), sensitivity."""
    from anomie.experiments.console import console, fail, out as stdout

    from .report import SECTIONS, run_suite

    parts = tuple(only) if only else SECTIONS
    try:
        if samples is not None and samples & (samples - 1):
            raise InputError(f"--samples {samples}: not a power of 2 (Sobol sequences need one)", None, "--samples")
        from .sensitivity import DESIGNS

        design = design or ("medium" if full else "quick")
        if design not in DESIGNS:
            raise InputError(f"--design {design}: unknown design (allowed: {', '.join(DESIGNS)})", None, "--design")
        unknown = [p for p in parts if p not in SECTIONS]
        if unknown:
            raise InputError(f"--only {unknown[0]}: unknown part (allowed: {', '.join(SECTIONS)})", None, "--only")
        figures = figures or out.parent / "validation"
        _check_paths(out, figures, work)
    except InputError as exc:
        fail(str(exc))
    command = "anomie validate " + ("--full" if full else "--quick") + (f" --seeds {seeds}" if seeds else "") + (
        f" --samples {samples}" if samples else "") + (f" --design {design}" if design != ("medium" if full else "quick") else "")
    with console.status("validating") as status:
        def announce(msg: str) -> None:
            status.update(f"validating: {msg}")
            console.print(f"[dim]running:[/] {msg}")

        def sobol_progress(report) -> None:
            status.update(f"validating: sensitivity sweep {report.skipped + report.done + report.failed}/{report.total} runs")

        sections = run_suite(out=out, quick=not full, seeds=seeds, fig_dir=figures, work_dir=work, only=parts,
                             workers=workers, command=command, announce=announce, sobol_progress=sobol_progress,
                             samples=samples, cluster=cluster, design=design)
    from .checks import VALIDATION

    checks = [c for s in sections for c in s.checks]
    for c in checks:
        mark = ("[yellow]NOT MEASURABLE[/]" if c.status == "not measurable" else
                "[green]PASS[/]" if c.passed else "[red]FAIL[/]")
        stdout.print(f"{mark} ({c.kind}) {c.name}: {c.measured}", highlight=False)
    evidence = [c for c in checks if c.kind == VALIDATION and c.status != "not measurable"]
    shown = sum(c.passed for c in evidence)
    stdout.print(f"validation: {shown} of {len(evidence)} measurable claims shown; "
                 f"all kinds: {sum(c.passed for c in checks)} of {len(checks)} checks pass; wrote {out}")
    if strict and any(not c.passed and c.status != "not measurable" for c in checks):
        raise typer.Exit(1)

"""Running a sweep: plan the runs, skip the finished ones, execute the rest, write each at once.

    sweep = load_sweep("examples/sweeps/social_work_capacity.toml")
    report = run_sweep(sweep, Path("results/capacity"), workers=2)

Killed at any moment, the same call again finishes only the missing runs; since a run's
parameters and seed depend only on its index, the tables come out as if never interrupted.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anomie.scenarios.schema import InputError

from . import tables
from .designs import RunPlan, iter_plans
from .executors import CodeMismatch, Pool, open_pool
from .provenance import code_version, libraries
from .runner import execute
from .spec import Sweep, load_sweep
from .storage import atomic_write_bytes, atomic_write_text

MANIFEST = "sweep.json"
LOCK = "sweep.lock"
WRITER_THREADS = 8


class FolderLocked(Exception):
    """Another sweep is writing into the result folder."""


@dataclass
class Report:
    total: int
    skipped: int = 0  # finished before this call
    done: int = 0  # finished in this call, ok
    failed: int = 0  # finished in this call, failed
    elapsed: float = 0.0
    failures: list[tuple[int, str]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def rate(self) -> float:
        return (self.done + self.failed) / self.elapsed if self.elapsed > 0 else 0.0


def check_output(out: Path, sweep: Sweep) -> None:
    """Refuse, before any work, a folder we cannot write or one that holds a different sweep."""
    from .outputs import check_text, nearest_existing_folder

    check_text(out, "--out")
    nearest_existing_folder(out, "--out")  # a parent that is a file or a dangling link
    if out.is_symlink() and not out.exists():
        raise InputError("is a symbolic link to nothing", str(out), "--out")
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", str(out), "--out")
    manifest = out / MANIFEST
    if manifest.exists():
        old = _read_manifest(out)
        if old.get("code") != code_version():
            changed = [f"{k} {v} -> {libraries()[k]}" for k, v in (old.get("libraries") or {}).items()
                       if libraries().get(k) != v]
            raise InputError(
                "was started with other model code (model, agents, scenarios, the sweep code"
                + (", or libraries: " + ", ".join(changed) if changed else "")
                + ", changed since); resuming would mix two models in one table: use another --out",
                str(out), "--out",
            )
        if old.get("fingerprint") != sweep.fingerprint():
            new = sweep.content()
            content = old.get("content") if isinstance(old.get("content"), dict) else {}
            differs = [k for k in new if content.get(k) != new[k]]
            raise InputError(
                "holds the results of a different sweep (differs in: " + ", ".join(differs or ["version"]) + "); "
                "use another --out, or the sweep file that made it",
                str(out), "--out",
            )
    elif out.exists() and any(p.name != LOCK for p in out.iterdir()):
        raise InputError("is not empty and holds no sweep; use a new folder", str(out), "--out")
    parent = out
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"{parent} is a file, not a folder", str(out), "--out")
    # the one sure test of a place to write: make the folder (nothing else is written yet)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        if not any(out.iterdir() if out.is_dir() else []) and out != parent:
            _remove_empty(out, parent)
        raise InputError(f"cannot write here: {exc.strerror}", str(out), "--out") from None


def check_sweep_budget(sweep: Sweep, workers: int | None, cluster: str | None) -> None:
    """Refuse, before any work, a sweep whose largest run or whose local workers cannot fit in memory."""
    from . import budgets
    from .executors import default_workers

    per_run = budgets.PROCESS_OVERHEAD
    if sweep.scenario is not None:
        scenario = sweep.scenario
        # the largest run: every varied parameter that sets the population or the ties at its top
        largest = {v.name: (max(v.values) if v.values is not None else v.high) for v in sweep.varied
                   if v.name in (budgets.POPULATION, budgets.DEGREE)}
        if largest:
            scenario = scenario.with_overrides(**{k: type(getattr(scenario.parameters, k))(x) for k, x in largest.items()})
        budgets.check_run(scenario, sweep.steps, sweep.source, "scenario")
        total = budgets.citizens_after_shocks(scenario, sweep.steps)
        per_run = budgets.run_bytes(total, getattr(scenario.parameters, budgets.DEGREE, None))
    if cluster is None:
        budgets.check_workers(workers or default_workers(), per_run)


def _remove_empty(out: Path, stop: Path) -> None:
    """Undo the folders a failed check made, up to the one that existed."""
    p = out
    while p != stop and p.is_dir() and not any(p.iterdir()):
        p.rmdir()
        p = p.parent


def _read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        raise InputError(f"{MANIFEST} is unreadable or damaged; use another folder", str(out)) from None
    if not isinstance(data, dict) or not isinstance(data.get("content"), dict):
        raise InputError(f"{MANIFEST} is not a sweep manifest; use another folder", str(out))
    return data


@contextlib.contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold the result folder for one sweep: a second sweep into it is refused, not interleaved.

    An advisory lock (flock) on DIR/sweep.lock, released by the kernel when the process ends,
    however it ends; the file stays and holds the last holder's pid for the message.
    """
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise FolderLocked(f"{out}: another sweep (process {holder}) is writing into this folder; "
                               "wait for it to finish, or use another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def design_digest(sweep: Sweep) -> tuple[str, int]:
    """A hash of every run's index, seed and values, and the number of runs, from the lazy plan."""
    h = hashlib.sha256()
    n = 0
    for plan in iter_plans(sweep):
        h.update(json.dumps([plan.run, plan.seed, plan.values], sort_keys=True).encode())
        n += 1
    return h.hexdigest()[:16], n


def check_design(out: Path, sweep: Sweep) -> str:
    """The design's digest; refuses to resume a folder whose runs were planned differently (design stream or seeds)."""
    digest, n = design_digest(sweep)
    old = _read_manifest(out).get("design") if (out / MANIFEST).exists() else None
    if n != sweep.n_runs:
        raise InputError(f"the design makes {n} runs, not the {sweep.n_runs} planned", sweep.source)
    if old is not None and old != digest:
        raise InputError("was started with another design (the runs' values or seeds differ from the ones this code plans); "
                         "resuming would mix two designs in one table: use another --out", str(out), "--out")
    return digest


def prepare_output(out: Path, sweep: Sweep, design: str | None = None) -> None:
    tables.runs_dir(out).mkdir(parents=True, exist_ok=True)
    tables.series_dir(out).mkdir(parents=True, exist_ok=True)
    if not (out / MANIFEST).exists():
        if sweep.raw:
            atomic_write_bytes(out / "sweep.toml", sweep.raw)
        manifest = {
            "fingerprint": sweep.fingerprint(),
            "code": code_version(),
            "libraries": libraries(),
            "design": design or design_digest(sweep)[0],
            "title": sweep.file.title,
            "question": sweep.file.question,
            "source": sweep.source,
            "runs": sweep.n_runs,
            "content": sweep.content(),
        }
        atomic_write_text(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def load_result_sweep(out: Path) -> Sweep:
    """The sweep that produced a result folder, from the copy of its file kept there."""
    if not (out / "sweep.toml").is_file() or not (out / MANIFEST).is_file():
        raise InputError(f"not a sweep result folder (no sweep.toml and {MANIFEST})", str(out))
    from .spec import parse_sweep, resolve

    from anomie.scenarios.schema import Scenario

    raw = (out / "sweep.toml").read_bytes()
    source = str(out / "sweep.toml")
    content = _read_manifest(out)["content"]
    # the scenario as it ran, kept in the manifest: no need to find the original file again
    base = None
    if isinstance(content.get("scenario"), dict):
        try:
            base = Scenario.model_validate({**content["scenario"], "title": "as run"}, strict=False)
        except ValueError:
            raise InputError(f"{MANIFEST}: the scenario it records is damaged", str(out)) from None
    return resolve(parse_sweep(raw, source), source, raw=raw, base_scenario=base)


def make_task(sweep: Sweep, plan: RunPlan, scenario_data: dict | None) -> dict[str, Any]:
    return {
        "run": plan.run,
        "point": plan.point,
        "replication": plan.replication,
        "seed": plan.seed,
        "values": plan.values,
        "target": sweep.file.target,
        "scenario": scenario_data,
        "steps": sweep.steps,
        "metrics": list(sweep.metrics),
        "summaries": list(sweep.file.summaries),
        "baseline_until": sweep.baseline_until,
        "tolerance": sweep.recovery.tolerance,
    }


ProgressFn = Callable[[Report], None]


def is_pending(run: int, finished: dict[int, str], retry_failed: bool) -> bool:
    return run not in finished or (retry_failed and finished[run] != "ok")


def run_sweep(
    sweep: Sweep,
    out: Path,
    workers: int | None = None,
    cluster: str | None = None,
    retry_failed: bool = False,
    progress: ProgressFn | None = None,
    on_start: Callable[[Report, str], None] | None = None,
    pool: Pool | None = None,
) -> Report:
    """Execute the missing runs of a sweep into `out`; see the module docstring."""
    check_output(out, sweep)
    with folder_lock(out):
        check_output(out, sweep)  # again, now that no other sweep can change the folder
        prepare_output(out, sweep, check_design(out, sweep))
        tables.remove_leftovers(out)
        finished = tables.finished_runs(out, sweep)
        n_todo = sum(is_pending(run, finished, retry_failed) for run in range(sweep.n_runs))
        report = Report(total=sweep.n_runs, skipped=sweep.n_runs - n_todo)
        todo = (p for p in iter_plans(sweep) if is_pending(p.run, finished, retry_failed))
        scenario_data = sweep.scenario.model_dump() if sweep.scenario is not None else None
        started = time.perf_counter()
        try:
            if n_todo:
                if pool is not None:
                    _execute(pool, sweep, out, todo, scenario_data, report, progress, on_start, started)
                else:
                    with open_pool(workers, cluster) as p:
                        _execute(p, sweep, out, todo, scenario_data, report, progress, on_start, started)
            elif on_start is not None:
                on_start(report, "nothing to run")
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            report.elapsed = time.perf_counter() - started
            tables.consolidate(out, sweep)
    return report


def _execute(pool: Pool, sweep: Sweep, out: Path, todo: Iterator[RunPlan], scenario_data, report: Report,
             progress: ProgressFn | None, on_start, started: float) -> None:
    if on_start is not None:
        on_start(report, pool.where)
    # A bounded window of submitted runs: memory stays flat for huge sweeps, and an
    # interrupt abandons only the runs in flight.
    window = max(2 * pool.slots, 4)
    queue = todo
    in_flight: dict[Future, RunPlan] = {}
    # Writing a small file costs milliseconds of file-system latency; threads overlap them,
    # so fast runs are not held up by the disk. Each run's own two files stay in order.
    writer = ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="sweep-writer")
    writes: list[tuple[Future, dict]] = []

    def refill() -> None:
        while len(in_flight) < window:
            plan = next(queue, None)
            if plan is None:
                return
            in_flight[pool.executor.submit(execute, make_task(sweep, plan, scenario_data))] = plan

    def harvest(block: bool) -> None:
        keep = []
        for wf, row in writes:
            if block or wf.done():
                wf.result()  # a write that failed (disk full, ...) stops the sweep
                if row["status"] == "ok":
                    report.done += 1
                else:
                    report.failed += 1
                    report.failures.append((row["run"], row["error"]))
            else:
                keep.append((wf, row))
        writes[:] = keep

    try:
        refill()
        while in_flight:
            finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            for fut in sorted(finished, key=lambda f: in_flight[f].run):
                plan = in_flight.pop(fut)
                result = fut.result()  # execute() catches the run's own errors; this raises only if the worker died
                if result.get("code") != code_version():
                    raise CodeMismatch(
                        f"run {plan.run} came back computed with other code ({result.get('code')}, this sweep's is "
                        f"{code_version()}): a worker runs a stale or different checkout or other library versions; "
                        "restart the workers (or the cluster) and run the same command again")
                writes.append((writer.submit(tables.write_run, out, sweep, result, plan.values), result["row"]))
            refill()
            harvest(block=False)
            report.elapsed = time.perf_counter() - started
            if progress is not None:
                progress(report)
    finally:
        # whatever has come back is written before we return, even on Ctrl-C
        writer.shutdown(wait=True)
        harvest(block=True)
        report.elapsed = time.perf_counter() - started
        if progress is not None:
            progress(report)


def sweep_file(path: str | Path, out: str | Path, **kwargs) -> Report:
    """Convenience: load a sweep file and run it."""
    return run_sweep(load_sweep(path), Path(out), **kwargs)

"""Where runs execute: a local process pool, or a Dask cluster; both behind concurrent.futures.

The same `runner.execute` runs either way, and every run's seed is fixed by its index, so
the tables do not depend on the executor or on the number of workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .provenance import RESULT_PACKAGES as SHIPPED_PACKAGES  # what a worker needs to run a sweep task
from .provenance import code_version

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = "anomie"  # the installed name of the project's folders (anomie.model lives in model/)
ARCHIVE_PREFIX = "anomie_code_"
# A cluster without workers would take tasks and never run them: wait this long for one.
WORKER_WAIT_S = 60.0


class CodeMismatch(Exception):
    """A worker runs other code than the sweep's (a stale or different checkout, or other libraries)."""


class NoWorkers(Exception):
    """The Dask cluster has no worker to run the sweep."""


@dataclass
class Pool:
    executor: Executor
    slots: int  # how many runs can execute at once
    where: str  # for the progress line


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def local_pool(workers: int | None = None) -> Iterator[Pool]:
    """A process pool. Spawned, not forked: the parent runs a progress thread, and fork copies locks."""
    n = workers or default_workers()
    from .runner import warm_up

    # each worker imports the model once at start, so run durations measure runs, not imports
    ex = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up)
    try:
        yield Pool(ex, n, f"{n} local worker{'s' if n != 1 else ''}")
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def code_archive(folder: Path) -> Path:
    """Zip the project's packages (sources and preset files) so that a bare Dask worker can import them.

    Named after the code's hash: a worker that has seen another version holds it under another name.
    """
    path = folder / f"{ARCHIVE_PREFIX}{code_version()}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        # the folders keep their names in the zip (model/, agents/, ...: the code hash reads
        # the same paths in a folder and in its zip); the worker's finder maps anomie.model to
        # model/, and the namespace's own __init__ travels as anomie/__init__.py
        zf.write(PROJECT_ROOT / "anomie" / "__init__.py", "anomie/__init__.py")
        for pkg in SHIPPED_PACKAGES:
            for f in sorted((PROJECT_ROOT / pkg).rglob("*")):
                if f.is_file() and "__pycache__" not in f.parts and f.suffix in (".py", ".toml", ".csv"):
                    zf.write(f, f.relative_to(PROJECT_ROOT).as_posix())
    return path


def ship_code_to_workers(client, archive: str, data: bytes) -> None:
    """Every worker, now and joining later, imports the packages from the zip; refused if one runs other code.

    Not Client.upload_file: it also imports the zip on the scheduler (which may be this very
    process) and reloads only the top-level packages on the workers.
    """
    import os

    import cloudpickle

    from . import worker_loader

    expected = code_version()
    # by value: the worker may not have this module, or have another version of it
    cloudpickle.register_pickle_by_value(worker_loader)
    try:
        client.register_plugin(worker_loader.ShippedCode(archive, data, (NAMESPACE, *SHIPPED_PACKAGES), os.getpid()), name="anomie-code")
        answers = client.run(worker_loader.load_here, archive, (NAMESPACE, *SHIPPED_PACKAGES), os.getpid())
    finally:
        cloudpickle.unregister_pickle_by_value(worker_loader)
    wrong = {addr: h for addr, h in answers.items() if h != expected}
    if wrong:
        addr, h = next(iter(wrong.items()))
        raise CodeMismatch(f"{len(wrong)} Dask worker(s) run other code than this sweep's (e.g. {addr}: {h}, here: {expected}), "
                           "a stale or different checkout or other library versions; restart those workers")


def wait_for_a_worker(client, address: str, seconds: float) -> None:
    try:
        client.wait_for_workers(1, timeout=seconds)
    except TimeoutError:
        raise NoWorkers(f"the Dask cluster at {address} has no workers (waited {seconds:.0f} s); "
                        "start workers with `dask worker {address}`, or run without --cluster") from None


@contextlib.contextmanager
def dask_pool(address: str, ship_code: bool = True, wait_s: float | None = None) -> Iterator[Pool]:
    """A Dask client's concurrent.futures executor; the project's code is uploaded to every worker and checked."""
    from distributed import Client

    client = Client(address, timeout="30s")
    try:
        wait_for_a_worker(client, address, WORKER_WAIT_S if wait_s is None else wait_s)
        if ship_code:
            with tempfile.TemporaryDirectory(prefix="anomie-ship-") as tmp:
                archive = code_archive(Path(tmp))
                ship_code_to_workers(client, archive.name, archive.read_bytes())
        slots = max(sum(client.nthreads().values()), 1)
        ex = client.get_executor(pure=False)
        yield Pool(ex, slots, f"Dask cluster {address} ({slots} threads)")
    finally:
        client.close()


def open_pool(workers: int | None = None, cluster: str | None = None) -> contextlib.AbstractContextManager[Pool]:
    return dask_pool(cluster) if cluster else local_pool(workers)

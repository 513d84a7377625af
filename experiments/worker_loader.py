"""Run on a Dask worker: import the project's packages from the uploaded zip, whatever else the worker has.

This module imports nothing from the project (only the standard library and distributed): it is sent to the worker by value (the
worker may hold an older checkout, or none), and it must work there before the project's
packages are importable.

Dask's `upload_file` would put the zip on sys.path and reload the top-level packages, but
a long-lived worker keeps their submodules from before, and an installed (editable) copy
of the project, found by a finder that sys.path does not order, still wins. So the zip
travels in a worker plugin, every module of the packages is dropped, and a finder that
looks in the zip first is installed.
"""

from __future__ import annotations

import importlib
import importlib.abc
import os
import sys
import zipimport

from distributed.diagnostics.plugin import WorkerPlugin


class FromArchive(importlib.abc.MetaPathFinder):
    """Find the shipped packages (and only them) in one zip, before any other finder."""

    def __init__(self, archive: str, packages: tuple[str, ...]):
        self.archive = archive
        self.packages = packages

    def find_spec(self, name, path=None, target=None):
        parts = name.split(".")
        if parts[0] not in self.packages:
            return None
        if parts[0] == "anomie" and len(parts) > 1:
            parts = parts[1:]  # anomie.model.x sits in the zip's model folder (the folders keep their names)
        # straight from the zip (a package's folder inside it for a submodule), not through
        # sys.path_importer_cache, which may remember the zip's path from before it existed;
        # zipimporter finds a module by the last part of its name under the given folder
        where = os.path.join(self.archive, *parts[:-1])
        return zipimport.zipimporter(where).find_spec(name)


class ShippedCode(WorkerPlugin):
    """A Dask worker plugin that carries the zip: every worker, also one that joins later,
    saves it in its own folder and imports the packages from it.

    A failure is logged, not raised: each result's code hash is checked anyway.
    """

    def __init__(self, archive_name: str, data: bytes, packages: tuple[str, ...], client_pid: int):
        self.archive_name, self.data, self.packages, self.client_pid = archive_name, data, packages, client_pid

    def setup(self, worker) -> None:
        try:
            path = os.path.join(worker.local_directory, self.archive_name)
            if not os.path.isfile(path):
                tmp = f"{path}.{os.getpid()}.part"
                with open(tmp, "wb") as fh:
                    fh.write(self.data)
                os.replace(tmp, path)
            load(self.archive_name, self.packages, self.client_pid, worker.local_directory)
        except Exception:  # noqa: BLE001 - see the docstring
            import logging

            logging.getLogger(__name__).exception("could not load the shipped code")


def load_here(archive_name: str, packages: tuple[str, ...], client_pid: int, dask_worker=None) -> str:
    """`load` through Client.run, which passes the worker as `dask_worker`."""
    return load(archive_name, packages, client_pid, getattr(dask_worker, "local_directory", None))


def load(archive_name: str, packages: tuple[str, ...], client_pid: int, local_directory: str | None = None) -> str:
    """Import `packages` afresh from the uploaded zip `archive_name`; the code hash of what is now imported.

    A worker in the client's own process (an in-process test cluster) runs the client's
    code already and is left alone.
    """
    if os.getpid() != client_pid:
        here = _find(archive_name, local_directory)
        sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != FromArchive.__name__]
        if here is not None:
            zipimport._zip_directory_cache.pop(here, None)
            sys.meta_path.insert(0, FromArchive(here, packages))
        for name in [m for m in sys.modules if m.split(".")[0] in packages]:
            del sys.modules[name]
        importlib.invalidate_caches()
    importlib.import_module("anomie.experiments.runner")
    return importlib.import_module("anomie.experiments.provenance").code_version()


def _find(archive_name: str, local_directory: str | None = None) -> str | None:
    """The shipped zip: in the worker's folder (where the plugin saves it) or on sys.path."""
    candidates = [p for p in sys.path if os.path.basename(p) == archive_name]
    if local_directory is not None:
        candidates.insert(0, os.path.join(local_directory, archive_name))
    return next((p for p in candidates if os.path.isfile(p)), None)

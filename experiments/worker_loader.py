"""Run on a Dask worker: import the project's packages from the uploaded zip, whatever else the worker has.

This module imports nothing from the project: it is sent to the worker by value (the
worker may hold an older checkout, or none), and it must work there before the project's
packages are importable.

Dask's `upload_file` puts the zip on sys.path and reloads the top-level packages, but a
long-lived worker keeps their submodules from before, and an installed (editable) copy
of the project, found by a finder that sys.path does not order, still wins. So every
module of the packages is dropped and a finder that looks in the zip first is installed.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import zipimport


class FromArchive(importlib.abc.MetaPathFinder):
    """Find the shipped packages (and only them) in one zip, before any other finder."""

    def __init__(self, archive: str, packages: tuple[str, ...]):
        self.archive = archive
        self.packages = packages

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in self.packages:
            return None
        return importlib.machinery.PathFinder.find_spec(name, [self.archive] if path is None else path)


def load(archive_name: str, packages: tuple[str, ...], client_pid: int) -> str:
    """Import `packages` afresh from the uploaded zip `archive_name`; the code hash of what is now imported.

    A worker in the client's own process (an in-process test cluster) runs the client's
    code already and is left alone.
    """
    if os.getpid() != client_pid:
        here = _find(archive_name)
        sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != FromArchive.__name__]
        if here is not None:
            zipimport._zip_directory_cache.pop(here, None)
            sys.meta_path.insert(0, FromArchive(here, packages))
        for name in [m for m in sys.modules if m.split(".")[0] in packages]:
            del sys.modules[name]
        importlib.invalidate_caches()
    importlib.import_module("experiments.runner")
    return importlib.import_module("experiments.provenance").code_version()


def _find(archive_name: str) -> str | None:
    """The uploaded zip: on sys.path (upload_file put it there) or in the worker's folder."""
    candidates = [p for p in sys.path if os.path.basename(p) == archive_name]
    try:
        from distributed import get_worker

        candidates.append(os.path.join(get_worker().local_directory, archive_name))
    except (ImportError, ValueError):
        pass
    return next((p for p in candidates if os.path.isfile(p)), None)

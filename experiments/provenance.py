"""What a result was computed with: a hash of the code that can change it, and the libraries' versions.

A resume compares them with the result folder's; each worker, local or on a Dask
cluster, computes them from the code it actually imported (from the project folder, or
from the zip the sweep uploaded), and a run from other code is refused.
"""

from __future__ import annotations

import functools
import hashlib
import platform
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

# The packages whose files compute a run's numbers (and ship to Dask workers).
RESULT_PACKAGES = ("model", "agents", "scenarios", "experiments")
# Files in them that cannot change a result: the commands' terminal output, the analysis
# of finished tables, the validation suite.
NOT_RESULT_CODE = ("experiments/validation/", "experiments/cli.py", "experiments/console.py",
                   "experiments/progress.py", "experiments/analysis.py", "experiments/outputs.py")
SOURCE_SUFFIXES = (".py", ".toml")
LIBRARIES = ("numpy", "numba", "mesa", "SALib", "pandas", "pyarrow")


def _counts(name: str) -> bool:
    return (name.endswith(SOURCE_SUFFIXES) and "__pycache__" not in name
            and name.split("/", 1)[0] in RESULT_PACKAGES and not name.startswith(NOT_RESULT_CODE))


def result_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every result-changing file under `root`, a folder or a zip of the packages.

    In the order of the paths, whichever `root` is, so that a folder and its zip hash alike.
    """
    if root.is_dir():
        files = {f.relative_to(root).as_posix(): f for pkg in RESULT_PACKAGES for f in (root / pkg).rglob("*") if f.is_file()}
        for name in sorted(files):
            if _counts(name):
                yield name, files[name].read_bytes()
    else:
        with zipfile.ZipFile(root) as zf:
            for name in sorted(zf.namelist()):
                if _counts(name):
                    yield name, zf.read(name)


def imported_root() -> Path:
    """Where this process imports the packages from: the project folder, or the uploaded zip.

    Read from this module's own file: Dask's upload reloads the top-level packages (in an
    in-process scheduler, in the client's own process), so theirs may point elsewhere.
    """
    return Path(__file__).resolve().parent.parent


def libraries() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = "not installed"
    return versions


def code_hash(root: Path) -> str:
    h = hashlib.sha256()
    for name, data in result_files(root):
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """One hash of the result-changing code this process imported and of the libraries' versions.

    Computed once per process: the code a process runs is the code it imported at start.
    """
    h = hashlib.sha256(code_hash(imported_root()).encode())
    for lib, version in sorted(libraries().items()):
        h.update(f"\0{lib}={version}".encode())
    return h.hexdigest()[:16]

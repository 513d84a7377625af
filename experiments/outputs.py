"""Checks on a file the user asks us to write, made before any work starts.

A run of hours must not end in a traceback because of its output path, nor overwrite a
file the user did not name. `check_new_file` refuses, with a message naming the option:
a wrong suffix; a name that is not UTF-8 text or too long for the file system; a parent
that is a file or a dangling link; a place where the real temporary file cannot be
created; a symbolic link, FIFO, device or folder at the path; and an existing file (or
the metadata file written beside it) unless `force`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .storage import create_temporary


def _error(message: str, path: Path, option: str):
    from anomie.scenarios.schema import InputError

    return InputError(message, _shown(path), option)


def _shown(path: Path) -> str:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def check_text(path: Path, option: str) -> None:
    """Refuse a path whose bytes are not UTF-8 (it could not be recorded in the metadata)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise _error("the name is not valid UTF-8 text; choose a plain name", path, option) from None


def nearest_existing_folder(path: Path, option: str) -> Path:
    """The closest ancestor of `path` that exists; refused if it is a file or a link to nothing."""
    parent = path.parent
    while True:
        if os.path.lexists(parent):
            if parent.is_symlink() and not parent.exists():
                raise _error(f"{_shown(parent)} is a symbolic link to nothing", path, option)
            if not parent.is_dir():
                raise _error(f"{_shown(parent)} is a file, not a folder", path, option)
            return parent
        parent = parent.parent


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _check_target(p: Path, main: Path, force: bool, option: str) -> None:
    beside = "" if p == main else f" (the metadata file written beside {main.name})"
    if not os.path.lexists(p):
        return
    if p.is_symlink():
        raise _error(f"{_shown(p)} is a symbolic link{beside}; give the path of a regular file", main, option)
    mode = os.lstat(p).st_mode
    if stat.S_ISDIR(mode):
        raise _error(f"{_shown(p)} is a folder{beside}", main, option)
    if not stat.S_ISREG(mode):
        raise _error(f"{_shown(p)} is not a regular file (a FIFO, socket or device){beside}", main, option)
    if not force:
        raise _error(f"{_shown(p)} exists{beside}; use --force to replace it, or another name", main, option)


def probe_writable(folder: Path, name_like: Path) -> str | None:
    """Create and remove, in `folder`, a temporary file named as the real write will name it; the error, if any."""
    try:
        create_temporary(folder / name_like.name).unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def check_new_file(path: Path, suffixes: tuple[str, ...], option: str = "--out", force: bool = False,
                   companions: tuple[Path, ...] = ()) -> None:
    """Refuse, before any work, an output file we could not or should not write; see the module docstring."""
    check_text(path, option)
    if path.suffix not in suffixes:
        raise _error(f"output must end in {' or '.join(suffixes)}", path, option)
    folder = nearest_existing_folder(path, option)
    limit = _name_max(folder)
    for p in (path, *companions):
        if len(os.fsencode(p.name)) > limit:
            raise _error(f"the name is longer than {limit} bytes, the limit of this file system", path, option)
        _check_target(p, path, force, option)
    problem = probe_writable(folder, path)
    if problem is not None:
        raise _error(f"cannot write into {_shown(folder)}: {problem}", path, option)

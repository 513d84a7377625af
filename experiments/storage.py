"""Writing results safely: every file is written to a temporary name and renamed.

A crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

METADATA_KEY = b"anomie"


# Temporary names: ".<start of the name>.<pid>-<random>.tmp". The name is cut so that a
# valid long file name still leaves room (a 248-character name plus a suffix would pass
# the 255-byte limit); the pid says whose file it is, so a process removes only its own or
# those of processes that are gone.
TEMP_SUFFIX = ".tmp"
_NAME_KEEP = 64


def temp_name(path: Path, pid: int | None = None) -> str:
    return f".{path.name[:_NAME_KEEP]}.{pid or os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"


def temp_owner(name: str) -> int | None:
    """The pid in a temporary name made by `temp_name`, or None for any other name."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    tail = name[: -len(TEMP_SUFFIX)].rsplit(".", 1)[-1]
    pid, _, token = tail.partition("-")
    return int(pid) if pid.isdigit() and len(token) == 8 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporary files in `folder` left by this process or by processes that have ended."""
    n = 0
    for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
        pid = temp_owner(tmp.name)
        if pid is not None and (pid == os.getpid() or not _alive(pid)):
            tmp.unlink(missing_ok=True)
            n += 1
    return n


def create_temporary(path: Path) -> Path:
    """A new empty file beside `path` with a temporary name.

    Created with mode 0666, which the kernel narrows by the umask, as for any ordinary file:
    no umask is read or changed (changing it is process-wide, and races other threads).
    """
    while True:
        tmp = path.parent / temp_name(path)
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def staged(paths: list[Path], durable: bool = True) -> Iterator[list[Path]]:
    """Temporaries for several files, renamed into place together once all are written.

    If any write fails, every temporary is removed and no target is touched: a full disk
    never leaves a table without its metadata, or metadata without its table.
    """
    temps: list[Path] = []
    try:
        for p in paths:
            temps.append(create_temporary(p))
        yield temps
        if durable:
            for tmp in temps:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
        for tmp, p in zip(temps, paths):
            os.replace(tmp, p)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, write: Callable[[Path], None], durable: bool = True) -> Path:
    """Call write(tmp) on a temporary file next to `path`, fsync it, then rename it into place.

    durable=False skips the fsync: the rename is still atomic against a killed process, but
    after a power cut the file may be empty. Sweep parts use it (fsync costs milliseconds per
    file on a busy disk) and check their parts on resume instead.
    """
    path = Path(path)
    with staged([path], durable) as (tmp,):
        write(tmp)
    return path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_parquet(df: pd.DataFrame, path: str | Path, metadata: dict[str, Any] | None = None) -> Path:
    """Write a DataFrame as Parquet, atomically, with JSON metadata under the key 'anomie'."""
    table = pa.Table.from_pandas(df, preserve_index=True)
    if metadata is not None:
        meta = dict(table.schema.metadata or {})
        meta[METADATA_KEY] = json.dumps(metadata, sort_keys=True).encode()
        table = table.replace_schema_metadata(meta)
    # no statistics timestamps or writer-dependent fields: same data, same bytes
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def read_parquet_metadata(path: str | Path) -> dict[str, Any]:
    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(METADATA_KEY)
    return json.loads(raw) if raw else {}


def sidecar_of(path: Path) -> Path:
    """Where a CSV table's metadata goes."""
    return path.with_suffix(".json")


def write_table(df: pd.DataFrame, path: str | Path, metadata: dict[str, Any]) -> list[Path]:
    """Write a run's table as .parquet (metadata inside) or .csv (metadata in a sidecar .json)."""
    path = Path(path)
    if path.suffix == ".parquet":
        return [write_parquet(df, path, metadata)]
    if path.suffix == ".csv":
        sidecar = sidecar_of(path)
        with staged([path, sidecar]) as (tmp, tmp_meta):
            tmp.write_bytes(df.to_csv(float_format="%.10g").encode("utf-8"))
            tmp_meta.write_bytes((json.dumps(metadata, indent=2, sort_keys=True) + "\n").encode("utf-8"))
        return [path, sidecar]
    raise ValueError(f"{path}: output must end in .parquet or .csv")

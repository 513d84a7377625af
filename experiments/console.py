"""The terminal of the `anomie` command: where messages go, and how text from files is shown safely.

anomie/cli.py and the commands that live with their packages (experiments/cli.py,
experiments/validation/cli.py) all import from here, so no command module imports the CLI
back. Only rich and typer are imported: `anomie --help` must not wait for the model.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

console = Console(stderr=True)
out = Console()

EXIT_INPUT = 2  # bad input: nothing was run or written
EXIT_FAILED = 1  # the work itself failed (disk full, out of memory, a worker lost)
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports it


def printable(text: str) -> str:
    """`text` with control characters (ANSI escapes, carriage returns, bells) written as escapes.

    Titles and descriptions come from files anyone may write; what reaches the terminal
    must be what the file says, not what it makes the terminal do.
    """
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


def plain(text: str, style: str = "") -> Text:
    """Text from a file as a rich Text: shown as written, never read as markup (`[/]`, `[red]`)."""
    return Text(printable(str(text)), style=style)


def say(message: str | Text, prefix: str = "error", style: str = "bold red") -> None:
    """One line on stderr: 'error: message' with the message shown literally."""
    body = message if isinstance(message, Text) else plain(message)
    console.print(Text(f"{prefix}: ", style=style) + body, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Report bad input (or, with another code, a failure) in one line and exit."""
    say(message)
    raise typer.Exit(code)


# Errors of the work itself, not of the input, by class name: dask's are matched by name so
# that this module does not import dask (which takes a second).
_LOST_WORK = {
    "KilledWorker": "a Dask worker died while running a task (out of memory, or killed); "
                    "the finished runs are saved: run the same command again to resume",
    "CancelledError": "the work was cancelled (the Dask scheduler or a worker went away); "
                      "the finished runs are saved: run the same command again to resume",
    "BrokenProcessPool": "a worker process died (out of memory, or killed); "
                         "the finished runs are saved: run the same command again to resume",
    "CommClosedError": "lost the connection to the Dask scheduler; the finished runs are saved: "
                       "run the same command again to resume",
}


def _names(exc: BaseException) -> set[str]:
    return {c.__name__ for c in type(exc).__mro__}


def one_line(exc: BaseException) -> tuple[str, int] | None:
    """The message and exit status for an error of the work (not of the input), or None if it is a bug."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    if isinstance(exc, MemoryError):
        return "out of memory; try fewer citizens, fewer ties or fewer workers", EXIT_FAILED
    for name in _names(exc):
        if name in _LOST_WORK:
            return _LOST_WORK[name], EXIT_FAILED
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", EXIT_FAILED
    return None


class OneLineErrors:
    """Turns disk, memory, lost-worker and Ctrl-C errors into one line on stderr and an exit status."""

    def __enter__(self) -> "OneLineErrors":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, (typer.Exit, SystemExit)) or type(exc).__module__.startswith("click"):
            return False
        verdict = one_line(exc)
        if verdict is None:
            return False
        message, code = verdict
        say(message)
        raise typer.Exit(code) from None

"""The sweep's progress bar: runs done, failed, rate and time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .console import plain, printable


class SweepProgress:
    """Rich progress bar fed by `run_sweep`'s callbacks."""

    def __init__(self, console: Console, total: int, title: str, disable: bool = False):
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description}", style="bold", markup=False),  # the title is the file's text, not markup
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[rate]:.2f} runs/s"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            disable=disable,
        )
        self.task = self.progress.add_task(printable(title), total=total, failed=0, rate=0.0)
        self.disable = disable

    def __enter__(self) -> "SweepProgress":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def start(self, report, where: str) -> None:
        # runs finished before a resume count as done but not towards the rate
        self.progress.update(self.task, completed=report.skipped)
        if not self.disable:
            self.console.print(plain(f"{report.skipped} of {report.total} runs already done; running the rest on {where}"))

    def update(self, report) -> None:
        self.progress.update(
            self.task,
            completed=report.skipped + report.done + report.failed,
            failed=report.failed,
            rate=report.rate,
        )

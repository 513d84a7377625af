"""What every validation check returns, and how its figures are saved.

A check is one claim from the literature (or from the theory, docs/theory.md), the number
the model produced for it, and whether that number meets the claim. Every check has a kind:
*verification* (a component against its paper), *by construction* (a claim a formula of the
model guarantees, a check of the code and not evidence), *calibration* (a figure the model
was tuned to, hence not evidence either) or *validation* (what the model shows that was not
written into it); the sensitivity analysis's own diagnostics are a fifth kind. Only validation counts in the report's headline. The report prints one
line per check; the figures behind them are PNG files written atomically.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: figures are rendered to files on the server
import matplotlib.pyplot as plt  # noqa: E402

from anomie.experiments.storage import atomic_write_bytes  # noqa: E402


VERIFICATION, CONSTRUCTION, CALIBRATION, VALIDATION = "verification", "by construction", "calibration", "validation"
SENSITIVITY = "sensitivity"  # whether the sensitivity design can rank parameters: a property of the analysis
KINDS = (VERIFICATION, CONSTRUCTION, CALIBRATION, VALIDATION, SENSITIVITY)


@dataclass
class Check:
    """One pass/fail line of the validation report."""

    name: str
    source: str  # the publication or document the expectation comes from
    expected: str  # the claim, in words
    measured: str  # what the model produced, in words and numbers
    passed: bool
    seeds: int | None = None  # independent runs behind the number
    kind: str = "validation"  # one of KINDS
    status: str = ""  # "not measurable" when the model offers no measurement; else "" (pass/fail)


@dataclass
class Section:
    """A part of the report: its checks, a table or two of numbers, and its figures."""

    title: str
    intro: str
    checks: list[Check] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # Markdown tables, printed after the checks
    figures: list[tuple[str, str]] = field(default_factory=list)  # (file name, caption)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def save_figure(fig, path: Path) -> Path:
    """Render a matplotlib figure to PNG and write it atomically (temporary name, then rename)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_bytes(path, buf.getvalue())


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    def cell(x: object) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)

"""Every link and file reference the project gives its readers points at something that exists.

Scanned: Markdown links in docs/ and README.md, and file names mentioned in the prose of
docs/, README.md, the example sweep files and presets (their comments), and the comments
and docstrings of the code and tests. A reference resolves when it names a file or folder
of the repository (from the repository's root, or from the referring file's folder), or,
for a bare file name without a folder, when a file of that name exists somewhere in the
repository. A reference to a file outside the repository (such as the team's private theory brief)
fails: the project carries its own account in docs/theory.md.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Names that appear in the prose as examples of files a user creates or a command writes,
# not as references to files of the repository.
PRODUCED = {
    "my_sweep.toml", "my_scenario.toml", "sweep.toml", "runs.parquet", "summary.parquet", "metrics.parquet",
    "sweep.json", "manifest.json", "run.json", "runs.csv", "out.csv", "results.csv", "metrics.csv", "run.csv", "x.csv",
    "scenario.toml", "sections-quick.json", "sections-full.json", "timeseries.parquet", "BENCHMARKS.json",
    "FILE.png", "start_cluster.py",  # docs/sweeps.md: a placeholder and a script the reader writes
}
PRODUCED_FOLDERS = ("results/", "runs/", "/tmp/", "~/", ".venv/", "$(", "<", "http")

MD_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FILE_REF = re.compile(r"(?<![\w/.$<{-])((?:[\w.-]+/)*[A-Za-z_][\w.-]*\.(?:md|py|toml|csv|png|json|ya?ml))(?![\w/])")


def repo_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if (ROOT / f).exists()]


FILES = repo_files()
BASENAMES = {Path(f).name for f in FILES}


def resolves(ref: str, source: Path) -> bool:
    """Whether `ref`, found in `source`, names something in the repository."""
    ref = ref.split("#", 1)[0].rstrip(".,;:")
    if not ref:
        return True  # a link to an anchor of the same page
    if ref.startswith(PRODUCED_FOLDERS) or Path(ref).name in PRODUCED or "*" in ref:
        return True
    for base in (ROOT, source.parent):
        target = (base / ref).resolve()
        if target.exists() and ROOT in (target, *target.parents):
            return True
    return "/" not in ref and ref in BASENAMES


def python_prose(path: Path) -> str:
    """The comments and docstrings of a Python file (code and ordinary strings left out)."""
    text = path.read_text(encoding="utf-8")
    parts = [tok.string for tok in tokenize.generate_tokens(io.StringIO(text).readline) if tok.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                parts.append(doc)
    return "\n".join(parts)


def toml_prose(path: Path) -> str:
    """The comments and the description of a sweep or scenario file."""
    text = path.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#")) + "\n" + (
        text.split('description = """', 1)[1].split('"""', 1)[0] if 'description = """' in text else "")


def scanned() -> list[str]:
    keep = []
    for f in FILES:
        p = Path(f)
        if p.parts[0] in (".github",) or "data" in p.parts:
            continue
        if p.suffix == ".md" and (p.parts[0] == "docs" or f == "README.md"):
            keep.append(f)
        elif p.suffix == ".py":
            keep.append(f)
        elif p.suffix == ".toml" and p.parts[0] in ("examples", "scenarios"):
            keep.append(f)
    return sorted(keep)


def references(path: Path) -> list[tuple[str, str]]:
    """(kind, reference) pairs in one file: Markdown links and file names in its prose."""
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        links = [("link", m) for m in MD_LINK.findall(text) if not re.match(r"[a-z]+:", m)]
        prose = MD_LINK.sub("", text)
    elif path.suffix == ".py":
        links, prose = [], python_prose(path)
    else:
        links, prose = [], toml_prose(path)
    return links + [("file", m) for m in FILE_REF.findall(prose)]


def broken_references(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        for kind, ref in references(path):
            if not resolves(ref, path):
                out.append(f"{path.relative_to(ROOT) if ROOT in path.parents else path}: {kind} '{ref}' points nowhere")
    return out


def test_every_link_and_file_reference_resolves():
    broken = broken_references([ROOT / f for f in scanned()])
    assert not broken, "\n".join(broken)


def probe_references(tmp_path, text: str, suffix: str) -> list[str]:
    """The broken references the checker finds in `text`, written for a moment as a file in docs/."""
    path = ROOT / "docs" / f"_probe_{tmp_path.name}{suffix}"
    try:
        path.write_text(text, encoding="utf-8")
        return broken_references([path])
    finally:
        path.unlink(missing_ok=True)


def test_the_theory_page_exists_and_is_linked_from_the_readme():
    assert (ROOT / "docs" / "theory.md").is_file()
    assert "docs/theory.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, suffix", [
    ("See [the brief](../outside/NOT_IN_REPO.md).", ".md"),
    ("As NOT_IN_REPO.md section 5 says.", ".md"),
    ("A picture: ![fig](img/nothing_here.png)", ".md"),
    ('"""Casework (NOT_IN_REPO.md section 4)."""\n', ".py"),
    ("x = 1  # see docs/missing_page.md\n", ".py"),
    ("# NOT_IN_REPO.md section 7, fact 8\ntitle = \"x\"\n", ".toml"),
])
def test_a_reference_that_points_nowhere_is_caught(tmp_path, text, suffix):
    assert probe_references(tmp_path, text, suffix), f"not caught: {text!r}"


@pytest.mark.parametrize("text, suffix", [
    ("See [the model](ODD.md) and [data](../experiments/data/durkheim/README.md).", ".md"),
    ("Run `docs/make_figure.py`; the table is in model/parameters.py.", ".md"),
    ('"""The rule of docs/theory.md section 3 (parameters.py holds the table)."""\n', ".py"),
    ('path = "NOT_IN_REPO.md"  # ordinary strings in code are not prose\n', ".py"),
])
def test_a_reference_that_resolves_passes(tmp_path, text, suffix):
    assert not probe_references(tmp_path, text, suffix)

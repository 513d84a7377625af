"""The `anomie` command: scenarios, parameters, run, sweep, analyze, validate, dashboard.

Bad input (an unknown scenario, a wrong value, a broken file) prints one clear message
naming the file and the field, exits with status 2 and writes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from anomie.experiments.console import EXIT_INPUT, OneLineErrors, console, fail, out, plain, printable, say

# Commands with options, and those that live with their packages, are built only when run
# or asked for their own help, so that `anomie --help` and `anomie scenarios` answer without
# importing the model, numba, dask or even pydantic (typer builds every option of a command
# with a pydantic adapter): name -> (module, function, the first line of its docstring).
LAZY_COMMANDS = {
    "run": ("anomie.cli", "run", "Run a scenario and print a summary; optionally write the metrics table."),
    "dashboard": ("anomie.cli", "dashboard", "Start the dashboard (works offline)."),
    "sweep": ("anomie.experiments.cli", "sweep", "Run a parameter sweep; run the same command again to resume after an interruption."),
    "analyze": ("anomie.experiments.cli", "analyze",
                "Sensitivity analysis of a sweep: Sobol indices, Morris screening, or a metric against each parameter."),
    "validate": ("anomie.experiments.validation.cli", "validate",
                 "Run the validation suite: verification, by construction, validation (stylised facts, Durkheim's numbers), sensitivity."),
}


def lazy_command(name: str) -> TyperCommand:
    """The click command of a lazily loaded typer function."""
    module, function, _ = LAZY_COMMANDS[name]
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command(name=name)(getattr(importlib.import_module(module), function))
    return typer.main.get_command(single)


class _LazyCommand(TyperCommand):
    """Stands in for a lazy command in the command list; loads the real one when it is used."""

    def __init__(self, name: str, short_help: str):
        super().__init__(name, short_help=short_help, help=short_help)
        self.rich_help_panel = None

    def make_context(self, info_name, args, parent=None, **extra):
        return lazy_command(self.name).make_context(info_name, args, parent=parent, **extra)


class _Commands(TyperGroup):
    def invoke(self, ctx: typer.Context):
        with OneLineErrors():
            return super().invoke(ctx)

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return super().list_commands(ctx) + [n for n in LAZY_COMMANDS if n not in self.commands]

    def get_command(self, ctx: typer.Context, name: str) -> TyperCommand | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            return _LazyCommand(name, LAZY_COMMANDS[name][2])
        return super().get_command(ctx, name)


app = typer.Typer(
    help="anomie: an agent-based simulation of Durkheim's anomie and of what social workers can do about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Commands,
)


def parse_assignments(items: list[str]) -> dict[str, object]:
    """Turn `--set name=value` items into typed parameter overrides, from the parameter table."""
    from anomie.model.parameters import PARAMETER_BY_NAME, retired_hint
    from anomie.scenarios.schema import InputError

    result: dict[str, object] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected name=value")
        name, raw = (s.strip() for s in item.split("=", 1))
        p = PARAMETER_BY_NAME.get(name)
        if p is None:
            raise InputError(f"--set {name}: unknown parameter ({retired_hint(name) or 'see `anomie parameters`'})")
        try:
            if p.choices is not None:
                value: object = raw
            elif isinstance(p.default, int):
                value = int(raw)
            else:
                value = float(raw)
        except ValueError:
            kind = "a whole number" if isinstance(p.default, int) else "a number"
            raise InputError(f"--set {name}={raw}: expected {kind} from {p.low} to {p.high}") from None
        result[name] = value
    return result


def preset_dir() -> Path:
    """The presets folder, found without importing the scenarios package (which imports the model)."""
    spec = importlib.util.find_spec("scenarios")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0] if locations else Path(__file__).parent / "scenarios") / "presets"


def preset_rows() -> list[tuple[str, str, str, str]]:
    """(name, title, weeks, shock kinds) of every preset, read straight from the preset files.

    Listing needs no validation (`anomie run` validates what it runs), and reading the TOML
    directly keeps `anomie scenarios` from importing the model. If a preset file lacks a
    field or is not TOML, the validated loader lists them all instead, naming the problem.
    """
    import tomllib

    rows = []
    try:
        for path in sorted(preset_dir().glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            kinds = ", ".join(str(s["kind"]) for s in data.get("shocks", [])) or "none"
            rows.append((path.stem, str(data["title"]), str(int(data["steps"])), kinds))
        if not rows:
            raise OSError("no preset files found")
    except (OSError, ValueError, KeyError, TypeError):
        from anomie.scenarios.loading import load_presets

        rows = [(name, sc.title, str(sc.steps), ", ".join(s.kind for s in sc.shocks) or "none")
                for name, sc in load_presets().items()]
    return rows


@app.command()
def scenarios() -> None:
    """List the preset scenarios, one line each."""
    from rich.table import Table

    table = Table(title="Preset scenarios", show_lines=False)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("weeks", justify="right")
    table.add_column("shocks")
    for row in preset_rows():
        table.add_row(*(plain(x) for x in row))
    out.print(table)


@app.command()
def parameters() -> None:
    """List every model parameter: name, default, range, scale and meaning."""
    from rich.table import Table

    from anomie.model.parameters import GROUPS, PARAMETERS

    for group in GROUPS:
        table = Table(title=group, show_lines=False)
        for col in ("name", "default", "range", "scale", "meaning"):
            table.add_column(col)
        for p in PARAMETERS:
            if p.group == group:
                rng = " | ".join(p.choices) if p.choices else f"{p.low} to {p.high}"
                table.add_row(*(plain(x) for x in (p.name, str(p.default), rng, p.scale, p.meaning)))
        out.print(table)


def run(
    scenario: Annotated[str, typer.Argument(help="Preset name (see `anomie scenarios`) or path to a scenario .toml")],
    steps: Annotated[int | None, typer.Option(min=1, max=1_000_000, help="Weeks to run (default: the scenario's own).")] = None,
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Random seed: same seed, same output.")] = 0,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write the metrics table here (.parquet or .csv).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a parameter: --set name=value (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out file (and its .json beside a .csv).")] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar or summary.")] = False,
) -> None:
    """Run a scenario and print a summary; optionally write the metrics table."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from anomie.experiments.budgets import check_run
    from anomie.experiments.outputs import check_new_file
    from anomie.experiments.spec import check_input_size
    from anomie.experiments.storage import sidecar_of, write_table
    from anomie.scenarios.run import simulate
    from anomie.scenarios.schema import InputError
    from anomie.scenarios.loading import load_scenario

    try:
        if Path(scenario).is_file():
            check_input_size(Path(scenario), scenario)  # the loader reads the whole file before its size check
        spec = load_scenario(scenario)
        overrides = parse_assignments(set_ or [])
        spec = spec.with_overrides(**overrides)
        n_steps = steps or spec.steps
        check_run(spec, n_steps, scenario)
        if out_path is not None:
            companions = (sidecar_of(out_path),) if out_path.suffix == ".csv" else ()
            check_new_file(out_path, (".parquet", ".csv"), "--out", force, companions)
    except InputError as exc:
        fail(str(exc))
    with Progress(
        TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=quiet,
    ) as bar:
        task = bar.add_task(printable(spec.title), total=n_steps)
        df, meta = simulate(spec, seed=seed, steps=n_steps, progress=lambda k: bar.update(task, completed=k))
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_table(df, out_path, meta)
    if not quiet:
        print_summary(df, spec.title, seed, out_path)


def print_summary(df, title: str, seed: int, out_path: Path | None) -> None:
    """A few lines a lecturer can read out: where the run started, peaked and ended."""
    from rich.table import Table

    table = Table(title=plain(f"{title} (seed {seed}, {len(df) - 1} weeks)"))
    for col in ("metric", "start", "min", "max", "week of max", "end"):
        table.add_column(col, justify="right" if col != "metric" else "left")
    for m in ("cohesion", "mean_integration", "mean_regulation", "share_healthy", "share_egoism",
              "share_altruism", "share_anomie", "share_fatalism", "open_cases", "waiting_list",
              "missed_high_risk", "mean_burnout"):
        s = df[m]
        table.add_row(m, f"{s.iloc[0]:.3g}", f"{s.min():.3g}", f"{s.max():.3g}", str(int(s.idxmax())), f"{s.iloc[-1]:.3g}")
    table.add_row("crises_total", "0", "", "", "", str(int(df["crises_total"].iloc[-1])))
    out.print(table)
    if out_path is not None:
        out.print(plain(f"wrote {out_path}"))


def dashboard(
    host: Annotated[str, typer.Option(help="Address to bind; 0.0.0.0 shares the dashboard on your network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8765,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open a browser tab.")] = True,
    token: Annotated[str | None, typer.Option(help="Access token; required beyond 127.0.0.1, made up and printed if not given.")] = None,
    max_sessions: Annotated[int | None, typer.Option(min=1, max=1000, help="Most open sessions (default beyond 127.0.0.1: 8).")] = None,
    max_citizens: Annotated[int | None, typer.Option(min=10, max=100_000_000, help="Most citizens across all sessions (default beyond 127.0.0.1: twice the largest population).")] = None,
) -> None:
    """Start the dashboard (works offline)."""
    from anomie.dashboard.serve import serve

    if token is not None and len(token) < 8:
        fail("--token: at least 8 characters")
    serve(host=host, port=port, open_browser=open_browser, token=token, max_sessions=max_sessions, max_citizens=max_citizens)


def main() -> None:  # pragma: no cover - console script entry
    if sys.argv[1:] == ["scenarios"]:
        # the one command without options: typer would first build its parser's option
        # checks with pydantic, a third of the time this command takes
        scenarios()
        return
    try:
        app()
    except Exception as exc:
        schema = sys.modules.get("anomie.scenarios.schema")
        if schema is None or not isinstance(exc, schema.InputError):
            raise
        say(str(exc))
        sys.exit(EXIT_INPUT)


if __name__ == "__main__":  # pragma: no cover
    main()

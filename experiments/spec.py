"""Sweep files: TOML validated like scenario files, then resolved against the parameter table.

A sweep file is data: nothing in it is executed. Every problem becomes an `InputError`
naming the file, the field and what is allowed, so `anomie sweep` can exit with status 2
before it writes anything.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anomie.model.metrics import METRICS
from anomie.model.parameters import PARAMETER_BY_NAME, Parameter, retired_hint
from anomie.scenarios.schema import MAX_FILE_BYTES, InputError, Scenario, read_toml
from anomie.scenarios.loading import PRESET_DIR, load_scenario, preset_names

from .summaries import SUMMARIES, Recovery
from .testfunctions import ISHIGAMI_METRICS, ISHIGAMI_PARAMETERS

# Two files per run in one folder, and a plan checked whole on every resume: beyond a
# million runs a sweep is better split into several.
MAX_RUNS = 1_000_000
DESIGNS = ("grid", "lhs", "sobol", "morris")
TARGETS = ("model", "ishigami")
SHOCK_FIELD = re.compile(r"^shocks\.(\d+)\.([a-z_]+)$")
SEED_MAX = 2**63 - 1

Number = int | float


class VariedParameter(BaseModel):
    """How one parameter varies: a list of values, or a range (with `points` for a grid)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    values: list[int | float | str] | None = Field(None, min_length=1, max_length=10_000)
    low: Number | None = None
    high: Number | None = None
    points: int | None = Field(None, ge=2, le=10_000)


class SweepFile(BaseModel):
    """The sweep file as written: structure and types only (meaning is checked in `resolve`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str = Field(min_length=1, max_length=200)
    question: str = Field("", max_length=2000)
    description: str = Field("", max_length=5000)
    target: Literal["model", "ishigami"] = "model"
    scenario: str = Field("baseline", min_length=1, max_length=1000)
    design: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(None, ge=1, le=1_000_000)
    levels: int = Field(4, ge=2, le=100)
    second_order: bool = False
    replications: int = Field(1, ge=1, le=10_000)
    common_seeds: bool = False
    steps: int | None = Field(None, ge=1, le=1_000_000)
    master_seed: int = Field(ge=0, le=SEED_MAX)
    metrics: list[str] | None = Field(None, min_length=1, max_length=100)
    summaries: list[Literal["peak", "time_of_peak", "final", "auc", "mean", "time_to_recover"]] = Field(
        default_factory=lambda: list(SUMMARIES), min_length=1, max_length=len(SUMMARIES)
    )
    recovery: Recovery = Field(default_factory=Recovery)
    fixed: dict[str, int | float | str] = Field(default_factory=dict, max_length=200)
    parameters: dict[str, VariedParameter] = Field(min_length=1, max_length=100)


# What each top-level field accepts, for error messages.
ALLOWED = {
    "title": "text, 1 to 200 characters",
    "question": "text",
    "description": "text",
    "target": "one of " + ", ".join(TARGETS),
    "scenario": "a preset name (" + ", ".join(preset_names()) + ") or a path to a scenario .toml",
    "design": "one of " + ", ".join(DESIGNS),
    "samples": "a whole number from 1 to 1000000 (lhs: points; sobol: base samples N, a power of 2; morris: trajectories)",
    "levels": "a whole number from 2 to 100 (Morris grid levels)",
    "second_order": "true or false (Sobol second-order indices)",
    "replications": "a whole number from 1 to 10000 (runs per design point, each with its own seed)",
    "common_seeds": "true or false (true: every design point of replication r runs with the same seed)",
    "steps": "a whole number of weeks from 1 to 1000000",
    "master_seed": f"a whole number from 0 to {SEED_MAX}",
    "metrics": "a list of metric names (see docs/sweeps.md)",
    "summaries": "a list from " + ", ".join(SUMMARIES),
    "recovery": "a table with tolerance (0 to 1) and baseline_until (a week)",
    "fixed": "a table of parameter names and values held constant",
    "parameters": "a table of parameters to vary, each with values = [...] or low/high (and points for a grid)",
}


@dataclass(frozen=True)
class Varied:
    """One varied parameter, resolved: its kind, its bounds and its grid values if any."""

    name: str
    kind: type  # int, float or str
    low: float | None
    high: float | None
    values: tuple | None  # explicit values (grid), or None for a sampled range


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: everything a run needs, and nothing that depends on the machine."""

    file: SweepFile
    source: str
    scenario: Scenario | None  # the base scenario with `fixed` applied; None for test functions
    varied: tuple[Varied, ...]
    metrics: tuple[str, ...]
    steps: int
    recovery: Recovery
    baseline_until: int
    n_points: int
    raw: bytes = field(repr=False, default=b"")

    @property
    def n_runs(self) -> int:
        return self.n_points * self.file.replications

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.varied)

    def content(self) -> dict[str, Any]:
        """What determines the results: used to refuse resuming a different sweep in the same folder."""
        f = self.file
        return {
            "target": f.target,
            "scenario": self.scenario.model_dump(mode="json", exclude={"title", "description", "name"}) if self.scenario else None,
            "design": f.design,
            "samples": f.samples,
            "levels": f.levels,
            "second_order": f.second_order,
            "replications": f.replications,
            "common_seeds": f.common_seeds,
            "steps": self.steps,
            "master_seed": f.master_seed,
            "metrics": list(self.metrics),
            "summaries": list(f.summaries),
            "recovery": {"tolerance": self.recovery.tolerance, "baseline_until": self.baseline_until},
            "parameters": [
                {"name": v.name, "kind": v.kind.__name__, "low": v.low, "high": v.high,
                 "values": list(v.values) if v.values is not None else None}
                for v in self.varied
            ],
        }

    def fingerprint(self) -> str:
        text = json.dumps(self.content(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(exc: ValidationError, source: str) -> str:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(x) for x in loc) or "(top level)"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        allowed = ALLOWED.get(str(loc[0]), "") if loc else ""
        if len(loc) >= 3 and loc[0] == "parameters":
            allowed = "values = [...] or low, high (numbers) and points (a whole number from 2)"
        if len(loc) >= 2 and loc[0] == "recovery":
            allowed = "tolerance: a share from 0 to 1; baseline_until: a week from 0"
        lines.append(f"  {path}: {msg}" + (f" (allowed: {allowed})" if allowed else ""))
    return "invalid sweep file\n" + "\n".join(lines)


def parse_sweep(data: bytes, source: str) -> SweepFile:
    """Bytes of a sweep file to a `SweepFile`, or an InputError naming the field."""
    raw = read_toml(data, source, "sweep file", "a sweep needs title, design, master_seed and [parameters]")
    try:
        return SweepFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(describe(exc, source), source) from None
    except RecursionError:
        raise InputError("nesting is too deep", source) from None


def check_input_size(path: Path, source: str) -> None:
    """Refuse an input file over the size limit from its size alone: a 4 GB file is never read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source) from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES} bytes", source)


def load_sweep(path: str | Path) -> Sweep:
    """Read, parse and resolve a sweep file."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError("no such sweep file", source)
    if not path.is_file():
        raise InputError("not a file", source)
    check_input_size(path, source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source) from None
    return resolve(parse_sweep(data, source), source, base_dir=path.parent, raw=data)


def _err(source: str, field_path: str, message: str, allowed: str = "") -> InputError:
    text = f"{field_path}: {message}" + (f" (allowed: {allowed})" if allowed else "")
    return InputError(text, source, field_path)


def _find_scenario(ref: str, base_dir: Path, source: str) -> Scenario:
    """A preset name, or a path relative to the sweep file (then to the working directory)."""
    if not Path(ref).suffix and (PRESET_DIR / f"{ref}.toml").exists():
        return load_scenario(ref)
    for cand in (base_dir / ref, Path(ref)):
        if cand.is_file():
            check_input_size(cand, source)
            try:
                return load_scenario(cand)
            except InputError as exc:
                raise _err(source, "scenario", f"the scenario file is invalid: {exc}") from None
    raise _err(source, "scenario", f"no such preset or file: {ref!r}", ALLOWED["scenario"])


def _shock_parameter(name: str, scenario: Scenario | None, source: str, where: str) -> Parameter:
    """A shock field of the base scenario, e.g. `shocks.0.ramp`, as a parameter-table row."""
    m = SHOCK_FIELD.match(name)
    assert m is not None
    if scenario is None:
        raise _err(source, where, "test functions have no shocks")
    index, attr = int(m.group(1)), m.group(2)
    if index >= len(scenario.shocks):
        raise _err(source, where, f"the scenario has {len(scenario.shocks)} shock(s)",
                   f"shocks.0 to shocks.{len(scenario.shocks) - 1}" if scenario.shocks else "no shock fields")
    shock = scenario.shocks[index]
    numeric = {}
    for fname, finfo in type(shock).model_fields.items():
        lo = next((m.ge for m in finfo.metadata if getattr(m, "ge", None) is not None), None)
        hi = next((m.le for m in finfo.metadata if getattr(m, "le", None) is not None), None)
        if lo is None or hi is None:
            continue
        kind = int if "int" in str(finfo.annotation) else float
        numeric[fname] = Parameter(name, kind(0), lo, hi, finfo.description or "", "Shocks", finfo.description or "")
    if attr not in numeric:
        raise _err(source, where, f"{shock.kind} shocks have no numeric field {attr!r}",
                   "one of " + ", ".join(f"shocks.{index}.{k}" for k in numeric))
    return numeric[attr]


def _parameter(name: str, table: dict[str, Parameter], scenario: Scenario | None, source: str, where: str) -> Parameter:
    if SHOCK_FIELD.match(name):
        return _shock_parameter(name, scenario, source, where)
    p = table.get(name)
    if p is None:
        hint = retired_hint(name) or ("a parameter name (see `anomie parameters`) or shocks.N.field"
                                      if scenario is not None else ", ".join(table))
        raise _err(source, where, f"unknown parameter {name!r}", hint)
    return p


def _allowed_value(p: Parameter) -> str:
    if p.choices:
        return "one of " + ", ".join(p.choices)
    kind = "a whole number" if p.kind is int else "a number"
    return f"{kind} from {p.low} to {p.high}" + (f" ({p.scale})" if p.scale else "")


def _check_value(p: Parameter, value: Any, source: str, where: str) -> Any:
    """A value of parameter p, typed; an InputError if it has the wrong type or is out of range."""
    allowed = _allowed_value(p)
    if p.choices:
        if not isinstance(value, str) or value not in p.choices:
            raise _err(source, where, f"{value!r} is not allowed", allowed)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _err(source, where, f"{value!r} is not a number", allowed)
    if p.kind is int and not (isinstance(value, int) or float(value).is_integer()):
        raise _err(source, where, f"{value!r} is not a whole number", allowed)
    if not math.isfinite(value) or value < p.low or value > p.high:
        raise _err(source, where, f"{value!r} is out of range", allowed)
    return int(value) if p.kind is int else float(value)


def _resolve_varied(name: str, spec: VariedParameter, p: Parameter, design: str, source: str) -> Varied:
    where = f"parameters.{name}"
    kind = str if p.choices else p.kind
    has_range = spec.low is not None or spec.high is not None
    if spec.values is not None and has_range:
        raise _err(source, where, "give either values or low/high, not both")
    if spec.values is None and not has_range:
        raise _err(source, where, "missing values or low/high", "values = [...] or low = ..., high = ...")
    if design != "grid":
        if spec.values is not None or p.choices:
            raise _err(source, where, f"design {design!r} samples a range, not a list of values",
                       "low and high (use design = 'grid' for value lists)" if not p.choices else "design = 'grid'")
        if spec.points is not None:
            raise _err(source, f"{where}.points", f"points only applies to design = 'grid' (this sweep samples with {design})")
    if spec.values is not None:
        values = tuple(_check_value(p, v, source, f"{where}.values[{i}]") for i, v in enumerate(spec.values))
        if len(set(values)) != len(values):
            raise _err(source, f"{where}.values", "values repeat", "distinct values")
        return Varied(name, kind, None, None, values)
    if spec.low is None or spec.high is None:
        raise _err(source, where, "a range needs both low and high")
    if p.choices:
        raise _err(source, where, "a choice parameter has no range", "values = [" + ", ".join(map(repr, p.choices)) + "]")
    low = _check_value(p, spec.low, source, f"{where}.low")
    high = _check_value(p, spec.high, source, f"{where}.high")
    if not low < high:
        raise _err(source, where, f"low ({low}) must be below high ({high})")
    if design == "grid":
        if spec.points is None:
            raise _err(source, f"{where}.points", "a grid over a range needs points", "a whole number from 2")
        import numpy as np

        grid = np.linspace(low, high, spec.points)
        values = tuple(sorted({int(round(x)) for x in grid})) if kind is int else tuple(float(x) for x in grid)
        return Varied(name, kind, float(low), float(high), values)
    return Varied(name, kind, float(low), float(high), None)


def resolve(f: SweepFile, source: str, base_dir: Path = Path("."), raw: bytes = b"", base_scenario: Scenario | None = None) -> Sweep:
    """Check what the types cannot: names, ranges, design settings; build the base scenario.

    `base_scenario`, if given, replaces the file's `scenario` reference (a result folder
    keeps the scenario it ran, so analysis does not depend on where the file was).
    """
    if f.target == "ishigami":
        table, metric_table, scenario = ISHIGAMI_PARAMETERS, ISHIGAMI_METRICS, None
        if "scenario" in f.model_fields_set:
            raise _err(source, "scenario", "test functions take no scenario", "leave scenario out")
    else:
        table, metric_table = PARAMETER_BY_NAME, METRICS
        scenario = base_scenario or _find_scenario(f.scenario, base_dir, source)

    # fixed values: every name known, every value in range, the whole set consistent
    fixed: dict[str, Any] = {}
    for name, value in f.fixed.items():
        p = _parameter(name, table, scenario, source, f"fixed.{name}")
        fixed[name] = _check_value(p, value, source, f"fixed.{name}")
    if scenario is not None and fixed:
        try:
            scenario = apply_values(scenario, fixed)
        except InputError as exc:
            raise _err(source, "fixed", str(exc).split(": ", 1)[-1]) from None

    varied = []
    for name, spec in f.parameters.items():
        if name in fixed:
            raise _err(source, f"parameters.{name}", "is also in [fixed]", "vary a parameter or fix it, not both")
        p = _parameter(name, table, scenario, source, f"parameters.{name}")
        varied.append(_resolve_varied(name, spec, p, f.design, source))

    if f.design == "grid":
        if f.samples is not None:
            raise _err(source, "samples", "a grid takes its points from the parameters", "leave samples out for design = 'grid'")
        n_points = math.prod(len(v.values) for v in varied)
    else:
        if f.samples is None:
            raise _err(source, "samples", f"design {f.design!r} needs samples", ALLOWED["samples"])
        d = len(varied)
        if f.design == "sobol":
            if f.samples & (f.samples - 1):
                raise _err(source, "samples", f"{f.samples} is not a power of 2 (Sobol sequences need one)", "2, 4, 8, ..., 1024, ...")
            n_points = f.samples * (2 * d + 2 if f.second_order else d + 2)
        elif f.design == "morris":
            n_points = f.samples * (d + 1)
        else:
            n_points = f.samples
        if f.design in ("sobol", "morris") and d < 2:
            raise _err(source, "parameters", f"design {f.design!r} needs at least two varied parameters")
    if n_points * f.replications > MAX_RUNS:
        raise _err(source, "replications", f"{n_points * f.replications:,} runs is more than {MAX_RUNS:,}; "
                   "fewer points or replications, or several sweeps")

    default_metric = "y" if f.target == "ishigami" else "share_anomie"
    metrics = tuple(f.metrics or [default_metric])
    for i, m in enumerate(metrics):
        if m not in metric_table:
            raise _err(source, f"metrics[{i}]", f"unknown metric {m!r}", "one of " + ", ".join(metric_table))
    if len(set(metrics)) != len(metrics):
        raise _err(source, "metrics", "metrics repeat")
    if len(set(f.summaries)) != len(f.summaries):
        raise _err(source, "summaries", "summaries repeat")

    steps = 1 if scenario is None else (f.steps or scenario.steps)
    if scenario is None and f.steps is not None:
        raise _err(source, "steps", "test functions have no steps", "leave steps out")
    baseline_until = f.recovery.baseline_until
    if baseline_until is None:
        # the baseline is the calm before the first shock, or the first week if nothing happens
        starts = [s.start for s in scenario.shocks] if scenario is not None else []
        baseline_until = min(max(min(starts) - 1, 0), steps) if starts else 0
    if baseline_until > steps:
        raise _err(source, "recovery.baseline_until", f"{baseline_until} is after the last week ({steps})", f"0 to {steps}")
    return Sweep(f, source, scenario, tuple(varied), metrics, steps, f.recovery, baseline_until, n_points, raw)


def apply_values(scenario: Scenario, values: dict[str, Any]) -> Scenario:
    """The scenario with parameters and shock fields (`shocks.N.field`) set; validated."""
    params = {k: v for k, v in values.items() if not SHOCK_FIELD.match(k)}
    shock_values = {k: v for k, v in values.items() if SHOCK_FIELD.match(k)}
    if shock_values:
        data = scenario.model_dump()
        for key, value in shock_values.items():
            m = SHOCK_FIELD.match(key)
            data["shocks"][int(m.group(1))][m.group(2)] = value
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:
            from anomie.scenarios.schema import describe_errors

            raise InputError(describe_errors(exc)) from None
    return scenario.with_overrides(**params)

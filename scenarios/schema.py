"""Scenarios as data: the `Scenario` schema, validated against the parameter table and the shock kinds.

Reading files and presets is one layer up, in scenarios/loading.py. A scenario is data. It is parsed with the standard library's tomllib and validated with
pydantic; nothing in it is executed. Every problem is reported as an `InputError` that
names the file, the field and what is allowed.
"""

from __future__ import annotations

import tomllib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anomie.model.parameters import PARAMETER_BY_NAME, Parameters, retired_hint

from .claims import Claim
from .shocks import SHOCK_KINDS, AnyShock

MAX_FILE_BYTES = 1_000_000


class InputError(Exception):
    """Bad user input: a message naming the file and the field, for exit status 2."""

    def __init__(self, message: str, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + message)


BASELINE_TITLE = "Stable society"  # the title of presets/baseline.toml


class Scenario(BaseModel):
    """A scenario: a titled set of parameter values and a timeline of shocks."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    steps: int = Field(300, ge=1, le=1_000_000, description="Suggested run length in weeks.")
    parameters: Parameters = Field(default_factory=Parameters)  # type: ignore[valid-type]
    shocks: list[AnyShock] = Field(default_factory=list, max_length=100)
    claims: list[Claim] = Field(default_factory=list, max_length=50, description="What to watch for (scenarios/claims.py).")
    name: str = Field("custom", max_length=100, description="Preset name or file stem.")

    def with_overrides(self, **overrides: Any) -> "Scenario":
        """The same scenario with some parameters changed (validated)."""
        if not overrides:
            return self
        merged = {**self.parameters.model_dump(), **overrides}
        try:
            params = Parameters(**merged)
        except ValidationError as exc:
            raise InputError(describe_errors(exc, loc_prefix=("parameters",))) from None
        return self.model_copy(update={"parameters": params})


def baseline_scenario() -> Scenario:
    """The baseline society: default parameters and no shocks (what presets/baseline.toml holds)."""
    return Scenario(title=BASELINE_TITLE, name="baseline")


def _allowed(loc: tuple, err_type: str = "") -> str:
    """What a field accepts, from the parameter table or the shock definitions."""
    if err_type == "extra_forbidden":
        if len(loc) == 1:
            return "top-level keys are " + ", ".join(k for k in Scenario.model_fields)
        if loc[0] == "parameters":
            return (len(loc) >= 2 and retired_hint(str(loc[1]))) or "a parameter name; see `anomie parameters`"
        if loc[0] == "shocks" and len(loc) >= 3 and loc[2] in SHOCK_KINDS:
            return "shock keys are " + ", ".join(SHOCK_KINDS[loc[2]].model_fields)
    if err_type.startswith("union_tag") or (loc[:1] == ("shocks",) and len(loc) == 2):
        return "each shock needs kind = one of " + ", ".join(SHOCK_KINDS)
    if len(loc) == 1 and loc[0] in Scenario.model_fields:
        f = Scenario.model_fields[loc[0]]
        lo = next((getattr(m, "ge") for m in f.metadata if hasattr(m, "ge")), None)
        hi = next((getattr(m, "le") for m in f.metadata if hasattr(m, "le")), None)
        if lo is not None or hi is not None:
            return f"a whole number from {lo} to {hi}"
        if loc[0] in ("title", "description", "name"):
            return "a text string"
    if len(loc) >= 2 and loc[0] == "parameters" and loc[1] in PARAMETER_BY_NAME:
        p = PARAMETER_BY_NAME[loc[1]]
        if p.choices:
            return "one of " + ", ".join(p.choices)
        kind = "a whole number" if isinstance(p.default, int) else "a number"
        return f"{kind} from {p.low} to {p.high} ({p.scale})"
    if len(loc) == 1 and loc[0] == "parameters":
        return "a table of parameter names and values"
    if len(loc) >= 1 and loc[0] == "shocks" and len(loc) >= 3 and loc[2] == "kind":
        return "kind is one of " + ", ".join(SHOCK_KINDS)
    if len(loc) >= 4 and loc[0] == "shocks" and loc[2] in SHOCK_KINDS:
        f = SHOCK_KINDS[loc[2]].model_fields.get(str(loc[3]))
        if f is not None:
            bounds = [m for m in f.metadata if hasattr(m, "ge") or hasattr(m, "le")]
            lo = next((getattr(m, "ge") for m in bounds if hasattr(m, "ge")), None)
            hi = next((getattr(m, "le") for m in bounds if hasattr(m, "le")), None)
            what = f.description or ""
            return f"{what} from {lo} to {hi}".strip()
    return ""


def describe_errors(exc: ValidationError, prefix: str = "", loc_prefix: tuple = ()) -> str:
    """One line per problem: field path, what is wrong, what is allowed."""
    lines = []
    for err in exc.errors():
        loc = loc_prefix + tuple(err["loc"])
        # drop the discriminator tag pydantic inserts for tagged unions
        path = ".".join(str(x) for x in loc if not (loc and loc[0] == "shocks" and x in SHOCK_KINDS))
        path = path or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        allowed = _allowed(loc, err["type"])
        lines.append(f"{prefix}{path}: {msg}" + (f" (allowed: {allowed})" if allowed else ""))
    return "\n".join(lines)


def read_toml(raw: bytes, source: str, what: str, empty_hint: str) -> dict:
    """Bytes of a TOML input file (scenario or sweep) to a dict; InputError naming the file otherwise.

    Only data comes out: tomllib parses, nothing is executed.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES} bytes", source)
    if not raw.strip():
        raise InputError(f"file is empty ({empty_hint})", source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); a {what} is a TOML file", source) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source) from None
    except RecursionError:
        raise InputError(f"nesting is too deep for a {what}", source) from None


def parse_scenario(text_bytes: bytes, source: str, name: str = "custom") -> Scenario:
    """Validate a scenario file's bytes; raise InputError naming the file and field."""
    data = read_toml(text_bytes, source, "scenario file", "a scenario needs at least a title")
    data.setdefault("name", name)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError("invalid scenario\n" + describe_errors(exc, prefix="  "), source) from None
    except RecursionError:
        raise InputError("nesting is too deep", source) from None

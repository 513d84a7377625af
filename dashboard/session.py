"""One browser tab's run: its settings, its model, and the comparison run beside it.

`RunSettings` is what the tab's controls have chosen: a preset, a seed, parameter
overrides, an edited shock timeline and what to compare against. Every value that comes
from the page passes through one of the `validate_*` functions here before it is used:
the page can send any string (a known trap of Solara and Vuetify), so a preset must be one of the
shipped names (never a path), a parameter a known name with a value in its range, a
shock one of the known kinds with its fields in range.

`DashboardModel` is the AnomieModel the tab shows, with its comparison run stepped in
lockstep. It is built from exactly the scenario the CLI would build (`scenario()` below),
so the same preset, overrides and seed give the CLI's run bit for bit.
"""

from __future__ import annotations

import logging
import math
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from anomie.model.model import AnomieModel
from anomie.model.parameters import PARAMETER_BY_NAME, Parameter, retired_hint
from anomie.scenarios.loading import load_scenario, preset_names
from anomie.scenarios.schema import InputError, Scenario, describe_errors
from anomie.scenarios.shocks import SHOCK_KINDS

log = logging.getLogger(__name__)

DEFAULT_PRESET = "industrial_revolution"
DEFAULT_SEED = 7
MAX_SEED = 2**32 - 1
# what the compare picker offers: off, the same run without social work, the same run with
# one parameter changed, or another preset ("preset:<name>")
COMPARE_OFF = ""
NO_SOCIAL_WORK = "no_social_work"
ONE_PARAMETER = "one_parameter"
PRESET_PREFIX = "preset:"
MAX_EXTRA_WEEKS = 5200
MAX_SHOCKS = 20


def _preset(name: Any) -> str:
    """A shipped preset's name, or InputError: the page may send any string, never a path."""
    if not isinstance(name, str) or name not in preset_names():
        raise InputError(f"unknown scenario {str(name)[:60]!r}; choose one of the presets")
    return name


@dataclass
class RunSettings:
    """What one tab's controls have chosen; every field is validated before it is set."""

    preset: str = DEFAULT_PRESET
    seed: int = DEFAULT_SEED
    overrides: dict[str, Any] = field(default_factory=dict)
    shocks: tuple[dict, ...] | None = None  # None: the preset's own timeline
    compare_with: str = COMPARE_OFF
    compare_parameter: tuple[str, Any] | None = None  # for ONE_PARAMETER: (name, value)
    extra_weeks: int = 0  # weeks added beyond the scenario's length

    def preset_scenario(self) -> Scenario:
        return load_scenario(_preset(self.preset))

    def scenario(self) -> Scenario:
        """The scenario this tab runs: the preset, its overrides and its (edited) shocks."""
        spec = self.preset_scenario().with_overrides(**self.overrides)
        if self.shocks is not None:
            spec = with_shocks(spec, list(self.shocks))
        return spec

    def values(self) -> dict[str, Any]:
        """Every parameter's current value: the preset's, then the tab's overrides."""
        return {**self.preset_scenario().parameters.model_dump(), **self.overrides}

    def shock_list(self) -> list[dict]:
        if self.shocks is not None:
            return [dict(s) for s in self.shocks]
        return [s.model_dump() for s in self.preset_scenario().shocks]

    def weeks(self) -> int:
        """Where a run stops: the scenario's length plus any extension."""
        return self.scenario().steps + self.extra_weeks

    def copy(self, **changes: Any) -> "RunSettings":
        new = RunSettings(self.preset, self.seed, dict(self.overrides), self.shocks, self.compare_with,
                          self.compare_parameter, self.extra_weeks)
        for key, value in changes.items():
            setattr(new, key, value)
        return new


def with_shocks(spec: Scenario, shocks: list[dict]) -> Scenario:
    """The scenario with another shock timeline, validated as a scenario file's would be."""
    data = spec.model_dump()
    data["shocks"] = shocks
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_errors(exc)) from None


# ---- values from the page ----------------------------------------------------------------

def finite_number(value: Any) -> float:
    """A value from the page as a finite float, or InputError in plain words."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError("please enter a number")
    try:
        x = float(value)
    except ValueError:
        raise InputError("please enter a number") from None
    if not math.isfinite(x):
        raise InputError("please enter an ordinary number")
    return x


def plain_number(value: Any, p: Parameter) -> int | float:
    """A number typed or slid by the user, as the parameter's type, or InputError in plain words."""
    x = finite_number(value)
    if isinstance(p.default, int):
        if x != int(x):
            raise InputError("please enter a whole number")
        x = int(x)
    if not p.low <= x <= p.high:
        raise InputError(f"must be between {p.low:g} and {p.high:g}")
    return x


def validate_value(name: Any, value: Any) -> Any:
    """A parameter value from the page, checked against the parameter table."""
    p = PARAMETER_BY_NAME.get(name) if isinstance(name, str) else None
    if p is None:
        hint = retired_hint(name) if isinstance(name, str) else None
        raise InputError(hint or f"unknown parameter {str(name)[:60]!r}")
    if p.choices is not None:
        if value not in p.choices:
            raise InputError("choose one of " + ", ".join(p.choices))
        return value
    return plain_number(value, p)


def validate_override(settings: RunSettings, name: Any, value: Any) -> RunSettings:
    """The settings with one parameter changed, or InputError saying why it cannot be."""
    value = validate_value(name, value)
    preset_value = settings.preset_scenario().parameters.model_dump()[name]
    overrides = {k: v for k, v in settings.overrides.items() if k != name}
    if value != preset_value:
        overrides[name] = value
    new = settings.copy(overrides=overrides)
    new.scenario()  # raises InputError on a clash (e.g. a low threshold above the high one)
    return new


def validate_preset(settings: RunSettings, name: Any) -> RunSettings:
    """A new preset: its own values and timeline; the comparison is kept if it still applies."""
    name = _preset(name)
    keep = settings.compare_with if settings.compare_with != PRESET_PREFIX + name else COMPARE_OFF
    new = settings.copy(preset=name, overrides={}, shocks=None, extra_weeks=0, compare_with=keep)
    if keep == ONE_PARAMETER and settings.compare_parameter is not None:
        try:
            validate_compare_parameter(new, *settings.compare_parameter)
        except InputError:
            new.compare_with, new.compare_parameter = COMPARE_OFF, None
    return new


def validate_seed(settings: RunSettings, seed: Any) -> RunSettings:
    if isinstance(seed, bool) or not isinstance(seed, (int, float, str)):
        raise InputError("the seed is a whole number")
    try:
        x = float(seed)
    except ValueError:
        raise InputError("the seed is a whole number") from None
    if not math.isfinite(x) or x != int(x) or not 0 <= x <= MAX_SEED:
        raise InputError(f"the seed is a whole number from 0 to {MAX_SEED}")
    return settings.copy(seed=int(x))


def compare_choices(settings: RunSettings) -> list[tuple[str, str]]:
    """(value, text) of every comparison the picker offers for these settings."""
    items = [(COMPARE_OFF, "No comparison"), (NO_SOCIAL_WORK, "This run without social work"),
             (ONE_PARAMETER, "This run with one parameter changed")]
    items += [(PRESET_PREFIX + n, f"Another preset: {load_scenario(n).title}") for n in preset_names()
              if n != settings.preset]
    return items


def validate_compare(settings: RunSettings, choice: Any) -> RunSettings:
    allowed = {value for value, _ in compare_choices(settings)}
    if choice is None:
        choice = COMPARE_OFF
    if not isinstance(choice, str) or choice not in allowed:
        raise InputError("choose a comparison from the list")
    new = settings.copy(compare_with=choice)
    if choice == ONE_PARAMETER and new.compare_parameter is None:
        new.compare_parameter = default_compare_parameter(settings)
    return new


def default_compare_parameter(settings: RunSettings) -> tuple[str, Any]:
    """A first suggestion for 'one parameter changed': the solidarity mix, moved across the middle."""
    now = settings.values()["organic_share"]
    return ("organic_share", 0.8 if now < 0.5 else 0.1)


def validate_compare_parameter(settings: RunSettings, name: Any, value: Any) -> RunSettings:
    value = validate_value(name, value)
    new = settings.copy(compare_parameter=(name, value))
    counterpart_scenario(new)  # a clash with the other parameters is an error here, not later
    return new


def validate_extension(settings: RunSettings, weeks: Any) -> RunSettings:
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 0 <= weeks <= MAX_EXTRA_WEEKS:
        raise InputError(f"extend by 0 to {MAX_EXTRA_WEEKS} weeks")
    return settings.copy(extra_weeks=weeks)


# ---- shocks ------------------------------------------------------------------------------

SHOCK_FIELDS = ("start", "ramp", "duration", "recovery", "magnitude")


def shock_bounds(kind: str, name: str) -> tuple[float | None, float | None]:
    f = SHOCK_KINDS[kind].model_fields[name]
    lo = next((m.ge for m in f.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in f.metadata if hasattr(m, "le")), None)
    return lo, hi


def validate_shocks(settings: RunSettings, shocks: list[dict]) -> RunSettings:
    """A whole edited timeline; each shock's kind and fields are checked by the scenario schema."""
    if len(shocks) > MAX_SHOCKS:
        raise InputError(f"at most {MAX_SHOCKS} shocks")
    for s in shocks:
        if not isinstance(s, dict) or s.get("kind") not in SHOCK_KINDS:
            raise InputError("a shock's kind is one of " + ", ".join(SHOCK_KINDS))
    new = settings.copy(shocks=tuple(dict(s) for s in shocks))
    new.scenario()
    return new


def edit_shock(settings: RunSettings, index: Any, name: Any, value: Any) -> RunSettings:
    """One field of one shock changed, in plain words if the value cannot be."""
    shocks = settings.shock_list()
    if not isinstance(index, int) or not 0 <= index < len(shocks):
        raise InputError("no such shock")
    if name == "kind":
        if value not in SHOCK_KINDS:
            raise InputError("a shock's kind is one of " + ", ".join(SHOCK_KINDS))
        old = shocks[index]
        shocks[index] = new_shock(value, old["start"])
    elif name in SHOCK_FIELDS:
        kind = shocks[index]["kind"]
        if name == "duration" and value in (None, ""):
            if kind == "migration":
                raise InputError("newcomers arrive over a number of weeks")
            shocks[index]["duration"] = None  # permanent
        else:
            lo, hi = shock_bounds(kind, name)
            shocks[index][name] = _shock_number(value, name, lo, hi)
    else:
        raise InputError("unknown shock field")
    try:
        return validate_shocks(settings, shocks)
    except InputError as exc:
        raise InputError(str(exc).split(": ", 1)[-1]) from None


def _shock_number(value: Any, name: str, lo, hi) -> int | float:
    x = finite_number(value)
    if name != "magnitude":
        if x != int(x):
            raise InputError("please enter a whole number of weeks")
        x = int(x)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise InputError(f"must be between {lo:g} and {hi:g}")
    return x


def new_shock(kind: str, start: int = 50) -> dict:
    """A shock of a kind with moderate defaults, for the 'add a shock' button."""
    if kind not in SHOCK_KINDS:
        raise InputError("a shock's kind is one of " + ", ".join(SHOCK_KINDS))
    lo, hi = shock_bounds(kind, "magnitude")
    magnitude = round(min(hi if hi is not None else 1.0, 0.3), 3)
    duration = 26 if kind in ("migration", "crash", "isolation") else None
    shock = {"kind": kind, "start": int(start), "ramp": 4, "duration": duration, "recovery": 0, "magnitude": magnitude}
    return SHOCK_KINDS[kind].model_validate(shock).model_dump()


def add_shock(settings: RunSettings, kind: Any) -> RunSettings:
    return validate_shocks(settings, settings.shock_list() + [new_shock(kind)])


def remove_shock(settings: RunSettings, index: Any) -> RunSettings:
    shocks = settings.shock_list()
    if not isinstance(index, int) or not 0 <= index < len(shocks):
        raise InputError("no such shock")
    del shocks[index]
    return validate_shocks(settings, shocks)


# ---- the comparison ----------------------------------------------------------------------

def counterpart_scenario(settings: RunSettings) -> Scenario | None:
    """The scenario of the comparison run, or None when there is none."""
    choice = settings.compare_with
    spec = settings.scenario()
    if not choice:
        return None
    if choice == NO_SOCIAL_WORK:
        return spec.with_overrides(social_workers_per_1000=0.0)
    if choice == ONE_PARAMETER:
        name, value = settings.compare_parameter or default_compare_parameter(settings)
        return spec.with_overrides(**{name: value})
    other = _preset(choice.removeprefix(PRESET_PREFIX))
    # the other preset at this run's population size, so that the scale is the same
    return load_scenario(other).with_overrides(n_citizens=spec.parameters.n_citizens)


def compare_label(settings: RunSettings) -> str:
    """A short name for the comparison run, used in legends and sentences."""
    choice = settings.compare_with
    if choice == NO_SOCIAL_WORK:
        return "without social work"
    if choice == ONE_PARAMETER:
        name, value = settings.compare_parameter or default_compare_parameter(settings)
        return f"with {PARAMETER_BY_NAME[name].title.lower()} = {value:g}" if not isinstance(value, str) \
            else f"with {PARAMETER_BY_NAME[name].title.lower()} = {value}"
    if choice.startswith(PRESET_PREFIX):
        return load_scenario(_preset(choice.removeprefix(PRESET_PREFIX))).title
    return ""


class DashboardModel(AnomieModel):
    """The model one tab shows, with its comparison run stepped in lockstep."""

    def __init__(self, settings: RunSettings):
        self.settings = settings.copy()
        # the play thread steps the model while the page renders in another; a step and a
        # chart that reads the arrays must not interleave
        self.lock = threading.RLock()
        super().__init__(self.settings.scenario(), seed=self.settings.seed)
        self.error: str | None = None
        other = counterpart_scenario(self.settings)
        self.counterpart: AnomieModel | None = None if other is None else AnomieModel(other, seed=self.settings.seed)
        self.views: dict = {}  # name -> function redrawing one live widget (panels.py)
        self.charts: dict = {}  # key -> the chart object drawn on the page (tests and exports read it)
        self.band_future = None  # the comparison's band over seeds (band.py)

    @property
    def last_week(self) -> int:
        return self.settings.weeks()

    def at_end(self) -> bool:
        return self.steps >= self.last_week

    def week(self) -> bool:
        """One week of this run and of its comparison run; False (and the error kept) if it failed."""
        if self.error is not None:
            return False
        try:
            with self.lock:
                self.step()
                if self.counterpart is not None:
                    self.counterpart.step()
        except Exception as exc:  # noqa: BLE001 - any model failure must reach the page, not kill the server
            self.error = f"The model stopped at week {self.steps}: {type(exc).__name__}: {exc}"
            self.running = False
            log.error("model error\n%s", traceback.format_exc())
            return False
        return True

    def redraw(self) -> None:
        for update in list(self.views.values()):
            update()

    def csv(self) -> bytes:
        """This run's metrics exactly as `anomie run --out x.csv` writes them (experiments/storage.py)."""
        with self.lock:
            return self.dataframe().to_csv(float_format="%.10g").encode()

    def counterpart_csv(self) -> bytes:
        with self.lock:
            if self.counterpart is None:
                return b""
            df = self.counterpart.dataframe()
            df.index.name = "step"
            return df.to_csv(float_format="%.10g").encode()


def build_model(settings: RunSettings) -> DashboardModel:
    """A fresh model for the settings; raises InputError with a readable message if they clash."""
    return DashboardModel(settings)


def first_difference(a: np.ndarray, b: np.ndarray) -> int | None:
    """The first week at which two series differ, or None if they agree throughout."""
    n = min(a.size, b.size)
    diff = np.nonzero(a[:n] != b[:n])[0]
    return int(diff[0]) if diff.size else None


def summarise(model: DashboardModel) -> str:
    """What separates the two runs, in honest words, and how far apart their cohesion is."""
    other = model.counterpart
    if other is None:
        return ""
    s = model.settings
    label = compare_label(s)
    a = np.asarray(model.datacollector.model_vars["cohesion"], dtype=float)
    b = np.asarray(other.datacollector.model_vars["cohesion"], dtype=float)
    n = min(a.size, b.size)
    if s.compare_with.startswith(PRESET_PREFIX):
        how = (f"The other run is another scenario ({label}) on the same seed and population size. Where the two "
               "presets' settings differ, their societies differ from week 0: the curves need not start together.")
    else:
        what = "only in social work" if s.compare_with == NO_SOCIAL_WORK else f"only {label}"
        how = (f"Both runs use the same seed and the same random numbers for each mechanism (common random numbers), "
               f"and differ {what}.")
        first = first_difference(a[:n], b[:n])
        if n > 1 and first is None:
            how += f" So far, {n - 1} weeks in, they are identical"
            how += (": no social worker has yet changed anyone's course." if s.compare_with == NO_SOCIAL_WORK
                    else ": the change has not yet touched anyone.")
        elif first is not None:
            how += f" They were identical until week {first}."
    if n <= 1:
        return how + " Step or play to see them part."
    diff = float(a[:n].mean() - b[:n].mean())
    higher = "higher" if diff > 0 else "lower"
    return (f"{how} Over {n - 1} weeks cohesion averaged {a[:n].mean():.3f} in this run against "
            f"{b[:n].mean():.3f} {label}: {abs(diff):.3f} {higher}.")


__all__ = [
    "DashboardModel", "RunSettings", "InputError", "build_model", "validate_override", "validate_preset",
    "validate_seed", "validate_compare", "validate_compare_parameter", "validate_value", "edit_shock",
    "add_shock", "remove_shock", "summarise", "compare_label", "compare_choices", "counterpart_scenario",
    "NO_SOCIAL_WORK", "ONE_PARAMETER", "PRESET_PREFIX", "COMPARE_OFF", "DEFAULT_PRESET", "DEFAULT_SEED",
]

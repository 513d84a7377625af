"""Scenarios from files and presets, and models built from them.

The layer above the model: the model takes a validated `Scenario` (scenarios/schema.py);
this module finds one by preset name or path, applies parameter overrides and builds the
model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import MAX_FILE_BYTES, InputError, Scenario, parse_scenario

if TYPE_CHECKING:
    from anomie.model.model import AnomieModel

PRESET_DIR = Path(__file__).with_name("presets")


def preset_names() -> list[str]:
    """Names of the preset scenarios shipped with the package."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def load_scenario(ref: str | Path | Scenario) -> Scenario:
    """A Scenario from a preset name, a path to a TOML file, or a Scenario itself."""
    if isinstance(ref, Scenario):
        return ref
    path = Path(ref)
    if isinstance(ref, str) and not path.suffix and (PRESET_DIR / f"{ref}.toml").exists():
        path = PRESET_DIR / f"{ref}.toml"
    if not path.exists():
        known = ", ".join(preset_names())
        raise InputError(f"no such scenario file or preset (presets: {known})", str(ref))
    if not path.is_file():
        raise InputError("not a file", str(ref))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # checked before reading: a huge file is never read
            raise InputError(f"file is larger than {MAX_FILE_BYTES} bytes", str(ref))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(ref)) from None
    return parse_scenario(raw, str(ref), name=path.stem)


def load_presets() -> dict[str, Scenario]:
    return {name: load_scenario(name) for name in preset_names()}


def build_model(ref: str | Path | Scenario = "baseline", seed: int | None = None, **overrides: Any) -> "AnomieModel":
    """A model from a preset name, a scenario file or a `Scenario`, with parameter overrides.

    Keywords go to the model: its options (`rng`, `create_agents`, `network_metrics_every`)
    and any parameter as an override (validated)::

        m = build_model("industrialisation", seed=7, n_citizens=2000)
        m.run_for(300)
    """
    # the model (and numba) load only when a model is built: reading presets stays quick for the CLI
    from anomie.model.model import AnomieModel

    return AnomieModel(load_scenario(ref), seed=seed, **overrides)

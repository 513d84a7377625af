"""Scenarios: the schema and the shocks (data), file and preset loading, and running them.

The schema and the shocks load with the package; loading and running (which need the
model, a layer above the data) load on first use.
"""

from .schema import InputError, Scenario, baseline_scenario, parse_scenario
from .shocks import SHOCK_KINDS, Conditions, Shock, conditions_at

__all__ = [
    "InputError", "Scenario", "baseline_scenario", "parse_scenario", "build_model", "load_presets", "load_scenario",
    "preset_names", "simulate", "SHOCK_KINDS", "Conditions", "Shock", "conditions_at",
]

_LAZY = {
    "build_model": "anomie.scenarios.loading", "load_presets": "anomie.scenarios.loading", "load_scenario": "anomie.scenarios.loading",
    "preset_names": "anomie.scenarios.loading", "PRESET_DIR": "anomie.scenarios.loading", "simulate": "anomie.scenarios.run",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)

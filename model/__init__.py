"""The anomie model: Durkheim's theory of integration and regulation as an agent-based model.

Only the parameter table is loaded when the package is imported (it is the bottom layer,
which the scenario schema needs); the rest is loaded on first use.
"""

from .parameters import DEFAULTS, PARAMETER_BY_NAME, PARAMETERS, Parameter, Parameters

__all__ = ["AnomieModel", "METRICS", "DEFAULTS", "PARAMETER_BY_NAME", "PARAMETERS", "Parameter", "Parameters", "DurkheimState"]

_LAZY = {"AnomieModel": "anomie.model.model", "METRICS": "anomie.model.metrics", "DurkheimState": "anomie.model.typology"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)

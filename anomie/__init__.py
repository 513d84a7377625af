"""anomie: an agent-based simulation of Durkheim's anomie and of what social workers can do about it.

The public API::

    from anomie import build_model
    m = build_model("crash", seed=7)
    m.run_for(200)
    df = m.dataframe()

The project's folders (model/, agents/, scenarios/, dashboard/, experiments/) install as
`anomie.model`, `anomie.agents`, ... so that no bare `model` or `agents` module collides
with another project's. Names are imported on first use, so that `import anomie` (and the
command's help) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "AnomieModel": "anomie.model.model",
    "PARAMETERS": "anomie.model.parameters",
    "Parameters": "anomie.model.parameters",
    "Scenario": "anomie.scenarios.schema",
    "load_scenario": "anomie.scenarios.loading",
    "build_model": "anomie.scenarios.loading",
    "preset_names": "anomie.scenarios.loading",
    "simulate": "anomie.scenarios.run",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'anomie' has no attribute {name!r}")

"""Hypothesis strategies that draw from the parameter table and the shock definitions.

Nothing here lists a range by hand: parameters come from `model.parameters.PARAMETERS`
and shock fields from the pydantic models in `scenarios.shocks`, so a new parameter or
shock is fuzzed as soon as it is added to the table.
"""

from __future__ import annotations

from hypothesis import strategies as st

from anomie.model.parameters import ORDERED_PAIRS, PARAMETERS
from anomie.scenarios.shocks import SHOCK_KINDS

# The property tests cover populations of the table's range up to this size (issue 6), and
# social-work posts up to this many (a worker acts in Python, so ten thousand posts on two
# thousand citizens take minutes a week without testing anything more).
MAX_POPULATION = 2000
MAX_POSTS = 50
MAX_STAFFING = MAX_POSTS * 1000 / MAX_POPULATION  # posts per 1,000: at most MAX_POSTS posts


def _bounds(field) -> tuple[float | None, float | None]:
    lo = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    hi = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    return lo, hi


def value_of(p) -> st.SearchStrategy:
    """Any value the table allows for one parameter."""
    if p.choices is not None:
        return st.sampled_from(p.choices)
    if p.kind is int:
        high = {"n_citizens": min(p.high, MAX_POPULATION)}.get(p.name, p.high)
        return st.integers(int(p.low), int(high))
    high = {"social_workers_per_1000": min(p.high, MAX_STAFFING)}.get(p.name, p.high)
    return st.floats(p.low, high, allow_nan=False, allow_infinity=False)


def ordered_chains() -> list[list[str]]:
    """The table's ordered pairs joined into chains (a < b and b < c give [a, b, c])."""
    import networkx as nx

    graph = nx.DiGraph(ORDERED_PAIRS)
    return [list(nx.topological_sort(graph.subgraph(part))) for part in nx.weakly_connected_components(graph)]


@st.composite
def parameter_sets(draw) -> dict:
    """A valid parameter set: every parameter drawn from its range, and the table's consistency rules kept."""
    values = {p.name: draw(value_of(p)) for p in PARAMETERS}
    by_name = {p.name: p for p in PARAMETERS}
    for chain in ordered_chains():
        # the model requires strictly ordered chains (low < centre < high): the drawn values
        # in order, or spread evenly over the chain's common range where they tie
        drawn = sorted(values[name] for name in chain)
        if any(a >= b for a, b in zip(drawn, drawn[1:])):
            lo, hi = max(by_name[n].low for n in chain), min(by_name[n].high for n in chain)
            drawn = [lo + (hi - lo) * k / (len(chain) - 1) for k in range(len(chain))]
        values.update(zip(chain, drawn))
    if values["groupwork_share"] + values["community_share"] > 1.0:
        values["community_share"] = draw(st.floats(0.0, 1.0 - values["groupwork_share"]))
    return values


@st.composite
def shocks(draw, steps: int) -> object:
    """One shock of any kind, with every field drawn from the kind's own bounds, acting within the run."""
    kind = draw(st.sampled_from(sorted(SHOCK_KINDS)))
    cls = SHOCK_KINDS[kind]
    fields = cls.model_fields
    data: dict = {"kind": kind, "start": draw(st.integers(1, max(1, steps)))}
    data["ramp"] = draw(st.integers(0, max(0, steps // 2)))
    d_lo, _ = _bounds(fields["duration"])
    durations = st.integers(int(d_lo or 0), max(int(d_lo or 0), steps))
    # migration must end (duration >= 1); others may be permanent (None)
    data["duration"] = draw(durations if fields["duration"].is_required() or d_lo else st.none() | durations)
    data["recovery"] = draw(st.integers(0, max(0, steps // 2)))
    m_lo, m_hi = _bounds(fields["magnitude"])
    data["magnitude"] = draw(st.floats(m_lo, m_hi, allow_nan=False))
    return cls(**data)

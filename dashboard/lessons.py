"""The lesson panel of a preset, in the spirit of NetLogo's Info tab.

What it shows, how it works, things to notice, things to try and questions for a seminar,
read from the scenario itself: its description, its shocks (each kind explains itself in
scenarios/shocks.py), its social-work service and, when the scenario lists `claims` (the
tested statements the evidence work attaches to a preset), those claims as the things to
notice. Where a scenario says nothing, generic prompts from texts.py fill in.

Also Durkheim's crisis-year figures (experiments/data/durkheim/crises.csv) as reference
ratios for the crisis chart.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from anomie.model.workforce import social_work_posts
from anomie.scenarios.schema import Scenario

from .texts import GENERIC_QUESTIONS, GENERIC_TRIES, SHOCK_QUESTIONS

CRISES_CSV = Path(__file__).resolve().parent.parent / "experiments" / "data" / "durkheim" / "crises.csv"

SHOCK_NOTICE = {
    "industrialisation": "Watch anomie rise while the division of labour changes (week {start} on), and whether "
                         "interdependence catches up with the lost likeness.",
    "crash": "Watch the crisis rate and anomie in the weeks after the crash (week {start}); then whether they fall "
             "back once it is over.",
    "boom": "Watch regulation in the distribution chart after the boom starts (week {start}): prosperity "
            "loosens norms too.",
    "migration": "Watch likeness (consensus) in the solidarity chart as newcomers arrive from week {start}.",
    "isolation": "Watch egoism and the network view when ties are suspended (week {start}).",
    "austerity": "Watch the waiting list and missed high-risk people in the social-work chart after week {start}.",
    "authoritarian_turn": "Watch fatalism from week {start}: cohesion may hardly move while regulation becomes "
                          "oppressive.",
}


@dataclass(frozen=True)
class Lesson:
    shows: str
    how: tuple[str, ...]
    notice: tuple[str, ...]
    tries: tuple[str, ...]
    questions: tuple[str, ...]
    claims_tested: bool  # the things to notice are the scenario's own (tested) claims


def claim_text(claim) -> str:
    """A claim as a sentence, whatever shape the scenario stores it in (a string, a table, an object)."""
    if isinstance(claim, str):
        return claim
    for key in ("text", "statement", "claim", "description", "title"):
        value = claim.get(key) if isinstance(claim, dict) else getattr(claim, key, None)
        if isinstance(value, str) and value.strip():
            return value
    return str(claim)


def lesson_for(spec: Scenario) -> Lesson:
    shows = " ".join(spec.description.split()) or f"The {spec.title} scenario."
    how = []
    for s in spec.shocks:
        when = f"from week {s.start}" + (f" to week {s.end}" if s.end is not None else ", for good")
        how.append(f"{s.label} {when}: {s.explanation}")
    rate = spec.parameters.social_workers_per_1000
    posts = social_work_posts(rate, spec.parameters.n_citizens)
    how.append(f"{posts} social workers ({rate:g} per 1,000 citizens) do casework, group work and community development."
               if posts else "There are no social workers in this scenario.")
    claims = getattr(spec, "claims", None) or ()
    if claims:
        notice = tuple(claim_text(c) for c in claims)
    else:
        notice = tuple(SHOCK_NOTICE[s.kind].format(start=s.start) for s in spec.shocks if s.kind in SHOCK_NOTICE)
        notice = notice or ("Watch how far the four states drift from the healthy middle with no shock at all: "
                            "this is the society's everyday level of disorder.",)
    kinds = dict.fromkeys(s.kind for s in spec.shocks)
    questions = tuple(SHOCK_QUESTIONS[k] for k in kinds if k in SHOCK_QUESTIONS) + GENERIC_QUESTIONS
    return Lesson(shows, tuple(how), notice, GENERIC_TRIES, questions, bool(claims))


@dataclass(frozen=True)
class CrisisYear:
    place: str
    event: str
    kind: str
    before: str
    after: str
    ratio: float
    source: str

    def line(self) -> str:
        return f"{self.place}, {self.event}: {self.before} to {self.after}, x{self.ratio:.2f}"


@cache
def durkheim_crisis_years() -> tuple[CrisisYear, ...]:
    """Durkheim's crisis years with the ratio of suicides after to before (his figures, as published).

    Empty when the data folder is not there (an installed copy without the repository's data).
    """
    if not CRISES_CSV.is_file():
        return ()
    with CRISES_CSV.open(newline="", encoding="utf-8") as f:
        return tuple(
            CrisisYear(r["place"], r["event"], r["kind"], r["period_before"], r["period_after"],
                       float(r["value_after"]) / float(r["value_before"]), r["source"])
            for r in csv.DictReader(f)
        )


def model_crisis_ratio(crises, n_citizens, start: int, window: int = 52) -> float | None:
    """Crises per citizen in the `window` weeks from `start`, divided by the same in the window before.

    The model's counterpart of Durkheim's after/before ratios; None until both windows have passed
    or when the window before had no crisis at all.
    """
    if start - window < 1 or len(crises) < start + window:
        return None
    before = sum(crises[start - window:start]) / max(sum(n_citizens[start - window:start]), 1)
    after = sum(crises[start:start + window]) / max(sum(n_citizens[start:start + window]), 1)
    return after / before if before > 0 else None

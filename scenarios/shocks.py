"""Scenario shocks: events on the model's timeline (docs/ODD.md, section 7.9).

One step is one week. Durkheim's events have their own timescales: a crash strikes within
weeks, a boom over months, a war or revolution lasts a year or more, an industrialisation
runs over one to three decades.

Every shock has a start step, a ramp (weeks to reach full strength), a duration at full
strength (omit it and the change is permanent) and a recovery (weeks to fade back), and a
magnitude whose meaning each kind states. Each shock adds its part to the society's
`Conditions` for the week; any number of shocks compose by adding up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

MAX_STEP = 1_000_000


@dataclass
class Conditions:
    """Society-wide conditions of one week: the parameters as the shocks have moved them."""

    organic_share: float
    wage_level: float = 1.0
    worker_capacity: float = 1.0
    norm_strength: float = 0.5
    authority_pull: float = 0.0
    suspended_share: float = 0.0
    exodus: float = 0.0  # share of the initial population moved out of agriculture by now
    collective_sentiment: float = 0.0  # belonging roused society-wide by a political upheaval
    job_loss_rate: float = 0.0
    job_finding_rate: float = 0.0
    arrivals: int = 0
    active: list[str] = field(default_factory=list)


class Shock(BaseModel):
    """Common timing of every shock."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    kind: str
    start: int = Field(ge=1, le=MAX_STEP, description="First week the shock acts.")
    ramp: int = Field(0, ge=0, le=MAX_STEP, description="Weeks to reach full strength (0: at once).")
    duration: int | None = Field(
        None, ge=0, le=MAX_STEP, description="Weeks at full strength; omit for a permanent change."
    )
    recovery: int = Field(0, ge=0, le=MAX_STEP, description="Weeks to fade back after the duration.")
    magnitude: float

    label: ClassVar[str] = ""
    explanation: ClassVar[str] = ""

    def intensity(self, step: int) -> float:
        """Strength of the shock in a week, from 0 to 1: ramp up, hold, fade."""
        x = step - self.start + 1  # 1 in the first week
        if x < 1:
            return 0.0
        if x <= self.ramp:
            return x / (self.ramp + 1)
        x -= self.ramp
        if self.duration is None or x <= self.duration:
            return 1.0
        x -= self.duration
        if x <= self.recovery:
            return 1.0 - x / (self.recovery + 1)
        return 0.0

    @property
    def end(self) -> int | None:
        """Last week in which the shock acts, or None if it never stops."""
        if self.duration is None:
            return None
        return self.start + self.ramp + self.duration + self.recovery - 1

    def apply(self, c: Conditions, step: int, base) -> None:  # pragma: no cover - abstract
        raise TypeError("apply is defined by each kind of shock")


class Industrialisation(Shock):
    """A share `magnitude` of the population leaves the land for industry and trade (and for
    town: their ties are rewired); the organic share of solidarity rises `magnitude` of the
    way to 1. Realistic ramps are 520 to 1,560 weeks (10 to 30 years)."""

    kind: Literal["industrialisation"] = "industrialisation"
    magnitude: float = Field(
        ge=0.0, le=1.0,
        description="Share of the population that leaves agriculture (and of the way the organic share rises to 1).",
    )
    label: ClassVar[str] = "Industrialisation"
    explanation: ClassVar[str] = (
        "People leave the land for industry and trade and move to town: each mover changes "
        "sector and loses part of their ties (uprooting), and lands in a sector that supplies "
        "less regulation. Movers are unsettled (acute anomie); the sectors they join stay less "
        "regulated afterwards (chronic anomie) unless a norm-giving body covers them."
    )

    def apply(self, c: Conditions, step: int, base) -> None:
        now = self.intensity(step)
        c.organic_share += self.magnitude * (1.0 - base.organic_share) * now
        c.exodus += self.magnitude * now


class PoliticalUpheaval(Shock):
    """A war or revolution: collective sentiment rises to `magnitude` for a while (Suicide, Book II ch. 3)."""

    kind: Literal["political_upheaval"] = "political_upheaval"
    magnitude: float = Field(ge=0.0, le=1.0, description="Collective sentiment (society-wide belonging) at full strength.")
    label: ClassVar[str] = "Political upheaval"
    explanation: ClassVar[str] = (
        "A war or revolution rouses collective sentiment: everyone's belonging to the society "
        "rises for a while, pulling the isolated into common life."
    )

    def apply(self, c: Conditions, step: int, base) -> None:
        s = self.magnitude * self.intensity(step)
        c.collective_sentiment = 1.0 - (1.0 - c.collective_sentiment) * (1.0 - s)  # several compose


class Crash(Shock):
    """An economic crisis: a share `magnitude` of jobs is lost and wages fall by the same share."""

    kind: Literal["crash"] = "crash"
    magnitude: float = Field(ge=0.0, le=0.9, description="Share of jobs lost and of wages cut.")
    label: ClassVar[str] = "Economic crash"
    explanation: ClassVar[str] = "Jobs and means are lost; expectations formed in good times are no longer met."

    def apply(self, c: Conditions, step: int, base) -> None:
        now, before = self.intensity(step), self.intensity(step - 1)
        c.wage_level -= self.magnitude * now
        # the rise in intensity this week is the share of jobs destroyed this week
        c.job_loss_rate += self.magnitude * max(now - before, 0.0)
        c.job_finding_rate *= 1.0 - self.magnitude * now


class Boom(Shock):
    """A sudden boom: wages rise by a share `magnitude` (Durkheim: prosperity is anomic too)."""

    kind: Literal["boom"] = "boom"
    magnitude: float = Field(ge=0.0, le=3.0, description="Rise in wages as a share of their level.")
    label: ClassVar[str] = "Sudden boom"
    explanation: ClassVar[str] = "Means jump and expectations run ahead of any norm: prosperity unsettles as ruin does."

    def apply(self, c: Conditions, step: int, base) -> None:
        c.wage_level += self.magnitude * self.intensity(step)


class Migration(Shock):
    """Newcomers, `magnitude` times the initial population, arrive evenly over the ramp and duration."""

    kind: Literal["migration"] = "migration"
    duration: int | None = Field(1, ge=1, le=MAX_STEP, description="Weeks over which newcomers arrive.")
    magnitude: float = Field(ge=0.0, le=2.0, description="Newcomers as a share of the initial population.")
    label: ClassVar[str] = "Migration"
    explanation: ClassVar[str] = (
        "Newcomers with other beliefs and few ties arrive. Likeness falls, which hurts a "
        "mechanical society more than an organic one."
    )

    def arrivals_until(self, step: int, n_initial: int) -> int:
        total = int(round(self.magnitude * n_initial))
        span = self.ramp + (self.duration or 1)
        x = min(max(step - self.start + 1, 0), span)
        return total * x // span

    def apply(self, c: Conditions, step: int, base) -> None:
        c.arrivals += self.arrivals_until(step, base.n_citizens) - self.arrivals_until(step - 1, base.n_citizens)


class Isolation(Shock):
    """A share `magnitude` of all ties is suspended (disaster, pandemic) and restored afterwards."""

    kind: Literal["isolation"] = "isolation"
    magnitude: float = Field(ge=0.0, le=1.0, description="Share of ties suspended at full strength.")
    label: ClassVar[str] = "Isolation"
    explanation: ClassVar[str] = "Ties are cut for a while: attachment falls and people drift towards egoism."

    def apply(self, c: Conditions, step: int, base) -> None:
        c.suspended_share = min(1.0, c.suspended_share + self.magnitude * self.intensity(step))


class Austerity(Shock):
    """Social-work capacity is cut by a share `magnitude`."""

    kind: Literal["austerity"] = "austerity"
    magnitude: float = Field(ge=0.0, le=1.0, description="Share of social-work hours cut.")
    label: ClassVar[str] = "Austerity"
    explanation: ClassVar[str] = "Social-work hours are cut: caseloads rise, waiting lists grow, workers burn out."

    def apply(self, c: Conditions, step: int, base) -> None:
        c.worker_capacity *= 1.0 - self.magnitude * self.intensity(step)


class AuthoritarianTurn(Shock):
    """Regulation is forced up: society's norms move a share `magnitude` of the way to total control."""

    kind: Literal["authoritarian_turn"] = "authoritarian_turn"
    magnitude: float = Field(ge=0.0, le=1.0, description="Share of the way to total regulation.")
    label: ClassVar[str] = "Authoritarian turn"
    explanation: ClassVar[str] = "Rules are imposed and futures blocked: regulation is forced up, towards fatalism."

    def apply(self, c: Conditions, step: int, base) -> None:
        now = self.intensity(step)
        c.norm_strength += self.magnitude * now * (1.0 - c.norm_strength)
        c.authority_pull += base.authority_pull * self.magnitude * now


SHOCK_KINDS: dict[str, type[Shock]] = {
    cls.model_fields["kind"].default: cls
    for cls in (Industrialisation, Crash, Boom, Migration, Isolation, Austerity, AuthoritarianTurn, PoliticalUpheaval)
}

AnyShock = Annotated[
    Union[Industrialisation, Crash, Boom, Migration, Isolation, Austerity, AuthoritarianTurn, PoliticalUpheaval],
    Field(discriminator="kind"),
]


def base_conditions(params) -> Conditions:
    """The week's conditions before any shock: the parameters themselves."""
    return Conditions(
        organic_share=params.organic_share,
        norm_strength=params.norm_strength,
        job_loss_rate=params.job_loss_rate,
        job_finding_rate=params.job_finding_rate,
    )


def conditions_at(step: int, shocks, params) -> Conditions:
    """Compose all shocks into one week's conditions, clipped to their meaningful ranges."""
    c = base_conditions(params)
    for s in shocks:
        if s.intensity(step) > 0.0 or s.intensity(step - 1) > 0.0:
            c.active.append(s.kind)
        s.apply(c, step, params)
    c.organic_share = min(max(c.organic_share, 0.0), 1.0)
    c.wage_level = max(c.wage_level, 0.05)
    c.worker_capacity = min(max(c.worker_capacity, 0.0), 1.0)
    c.norm_strength = min(max(c.norm_strength, 0.0), 1.0)
    c.job_loss_rate = min(max(c.job_loss_rate, 0.0), 1.0)
    c.job_finding_rate = min(max(c.job_finding_rate, 0.0), 1.0)
    c.exodus = min(max(c.exodus, 0.0), 1.0)
    return c

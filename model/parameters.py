"""The one table of model parameters.

Every parameter has a name from the theory, a default, an allowed range, a unit or scale
and one line of meaning. The model reads its defaults from here, pydantic validates
scenario files against it, the dashboard builds its sliders from it and docs/ODD.md
prints it. Nothing else defines a parameter.

Time is counted in steps; one step stands for one week (52 steps a year). Durkheim's
changes run on the scale of years to decades: an industrialisation ramps over 520 to 1,560
weeks, a crash over weeks, an upheaval over a year or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

SOCIETY = "Society"
SHOCKS = "Shocks"
SOCIAL_WORK = "Social work"
OCCUPATIONAL_GROUPS = "Occupational groups"
GROUPS = (SOCIETY, SHOCKS, SOCIAL_WORK, OCCUPATIONAL_GROUPS)


@dataclass(frozen=True)
class Parameter:
    """One row of the parameter table."""

    name: str
    default: Any
    low: float | None
    high: float | None
    scale: str
    group: str
    meaning: str
    choices: tuple[str, ...] | None = None
    label: str | None = None

    @property
    def kind(self) -> type:
        if self.choices is not None:
            return str
        return type(self.default)

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


P = Parameter
PARAMETERS: tuple[Parameter, ...] = (
    # --- Society: population and network -------------------------------------------------
    P("n_citizens", 1000, 10, 1_000_000, "people", SOCIETY,
      "How many citizens live in the society."),
    P("network", "watts_strogatz", None, None, "generator", SOCIETY,
      "Shape of the social network: small world, scale-free (hubs) or random.",
      choices=("watts_strogatz", "barabasi_albert", "erdos_renyi")),
    P("mean_degree", 8, 2, 50, "ties per person", SOCIETY,
      "Average number of social ties each citizen starts with."),
    P("rewiring_probability", 0.1, 0.0, 1.0, "probability", SOCIETY,
      "Small-world rewiring: share of local ties replaced by distant ones (Watts-Strogatz)."),
    # --- Society: solidarity and the division of labour ---------------------------------
    P("organic_share", 0.3, 0.0, 1.0, "share", SOCIETY,
      "Solidarity mix: 0 is purely mechanical (likeness), 1 purely organic (interdependence)."),
    P("n_roles", 6, 1, 60, "positions", SOCIETY,
      "Number of positions (grades) within each sector; positions differ in earnings by the wage spread."),
    P("n_beliefs", 3, 1, 10, "dimensions", SOCIETY,
      "Number of belief dimensions that make up the collective conscience."),
    P("belief_diversity", 0.05, 0.0, 0.5, "std. dev. on [0,1]", SOCIETY,
      "Initial spread of beliefs around the shared collective conscience."),
    P("confidence_bound", 0.3, 0.0, 1.0, "belief distance", SOCIETY,
      "Deffuant bounded confidence: people only influence each other if beliefs are this close."),
    P("convergence_rate", 0.2, 0.0, 0.5, "share per meeting", SOCIETY,
      "Deffuant convergence: how far two people move towards each other when they meet."),
    P("individualism", 0.03, 0.0, 0.2, "belief drift per step at full organic share", SOCIETY,
      "How far private beliefs wander each week; grows with organic solidarity (the cult of the individual)."),
    P("tie_half_saturation", 2.0, 0.5, 20.0, "ties", SOCIETY,
      "Ties at which a person's attachment reaches half its maximum."),
    P("integration_rate", 0.1, 0.0, 1.0, "share per step", SOCIETY,
      "How fast integration follows a person's current ties and exchanges."),
    P("norm_strength", 0.6, 0.0, 1.0, "regulation level", SOCIETY,
      "Regulation the society-wide collective norms supply; their weight falls as the organic share rises."),
    P("local_norm_weight", 0.4, 0.0, 1.0, "share", SOCIETY,
      "Weight of one's own ties' regulation (family, neighbours) among the norms a person is supplied."),
    P("norm_spread", 0.08, 0.0, 0.3, "regulation", SOCIETY,
      "Small personal spread of the norms a person feels supplied with (std. dev., fixed per person)."),
    P("norm_adaptation_rate", 0.05, 0.0, 1.0, "share per step", SOCIETY,
      "Restoration: the share of the distance to the norms one's groups supply that regulation recovers each week."),
    P("capacity_protection", 0.5, 0.0, 1.0, "share", SOCIETY,
      "How much of the erosion and hazard a person's own lasting capacity absorbs at its maximum."),
    P("strain_erosion", 0.05, 0.0, 1.0, "share of regulation per unit of gap", SOCIETY,
      "Share of one's regulation lost each week per unit of relative gap between expectations and means."),
    P("ambition", 0.3, 0.0, 2.0, "share of means", SOCIETY,
      "How far unregulated desires run ahead of means (Durkheim's 'insatiable' desires)."),
    P("expectation_rate", 0.15, 0.0, 1.0, "share per step", SOCIETY,
      "How fast expectations move towards what one's means and norms suggest."),
    P("forced_division", 0.0, 0.0, 1.0, "share", SOCIETY,
      "Forced division of labour: share of roles imposed rather than chosen; imposed roles breed conflict, not solidarity."),
    P("wage_spread", 0.3, 0.0, 1.0, "share", SOCIETY,
      "Spread of earnings between positions within a sector (std. dev. of log earnings)."),
    P("unemployment_benefit", 0.4, 0.0, 1.0, "share of wage", SOCIETY,
      "Means of an unemployed person, as a share of the average wage."),
    P("job_loss_rate", 0.005, 0.0, 0.2, "probability per step", SOCIETY,
      "Chance that an employed person loses their job in an ordinary week."),
    P("job_finding_rate", 0.06, 0.0, 1.0, "probability per step", SOCIETY,
      "Chance that an unemployed person finds work in an ordinary week."),
    P("tie_break_distance", 0.45, 0.0, 1.0, "belief distance", SOCIETY,
      "Ties between people whose beliefs differ by more than this are at risk of breaking."),
    P("tie_break_rate", 0.05, 0.0, 1.0, "probability per step", SOCIETY,
      "Chance that a tie across too wide a belief gap breaks in a week."),
    P("closure_rate", 0.02, 0.0, 1.0, "probability per step", SOCIETY,
      "Chance that a person befriends a friend of a friend in a week (triadic closure)."),
    # --- Durkheim helper: sectors, differential regulation, calibrated middle ---------------
    *(P(f"share_{name}", share, 0.0, 1.0, "share of citizens", SOCIETY,
        f"Initial share of citizens working in {name.replace('_', ' ')} (the four shares are normalised).")
      for name, share in (("agriculture", 0.45), ("industry", 0.30), ("trade", 0.15), ("liberal_professions", 0.10))),
    *(P(f"wage_{name}", wage, 0.05, 5.0, "average wage", SOCIETY,
        f"Earnings of a position in {name.replace('_', ' ')}, relative to the average wage level.")
      for name, wage in (("agriculture", 0.7), ("industry", 1.0), ("trade", 1.2), ("liberal_professions", 1.6))),
    *(P(f"turbulence_{name}", turb, 0.0, 0.5, "std. dev. of log earnings per step", SOCIETY,
        f"Business turbulence in {name.replace('_', ' ')}: the weekly random change of each person's earnings.")
      for name, turb in (("agriculture", 0.005), ("industry", 0.02), ("trade", 0.03), ("liberal_professions", 0.005))),
    P("fortune_reversion", 0.02, 0.0, 1.0, "share per step", SOCIETY,
      "How fast a person's business fortune returns towards their position's usual earnings."),
    *(P(f"regulation_{name}", reg, 0.0, 1.0, "regulation level", SOCIETY,
        f"Regulation the practice of {name.replace('_', ' ')} itself supplies to those working in it"
        + (" (calibrated, docs/calibration.md)." if name in ("industry", "trade") else "."))
      for name, reg in (("agriculture", 0.7), ("industry", 0.3), ("trade", 0.0), ("liberal_professions", 0.7))),
    P("means_sensitivity", 0.75, 0.0, 20.0, "share of regulation per unit of absolute log change of own means", SOCIETY,
      "Acute anomie: how much a sudden change of one's own means, ruin or windfall, erodes one's regulation (calibrated)."),
    P("sector_change_erosion", 0.2, 0.0, 1.0, "share of regulation", SOCIETY,
      "Share of one's regulation lost in the week one changes sector (the old rules no longer apply)."),
    P("uprooting_erosion", 0.2, 0.0, 1.0, "share of regulation per share of ties", SOCIETY,
      "Share of one's regulation lost per share of one's own ties rewired by a move (uprooting)."),
    P("uprooting_tie_share", 0.5, 0.0, 1.0, "share of ties", SOCIETY,
      "Share of a mover's ties cut (and replaced by ties in the new place) when they change sector and town."),
    P("exodus_to_industry", 0.67, 0.0, 1.0, "share of movers", SOCIETY,
      "Of those leaving the land in an industrialisation, the share going to industry (the rest go to trade)."),
    P("forced_constraint", 0.5, 0.0, 1.0, "share", SOCIETY,
      "Forced division of labour: norms felt as imposed push a forced worker's supplied regulation this share towards its maximum."),
    P("forced_conflict", 0.01, 0.0, 1.0, "probability per tie per step", SOCIETY,
      "Forced division of labour: chance a tie between a worker in an imposed place and one in a chosen place breaks in a week (conflict)."),
    # legitimacy helper (issue 10 item 3); the default is an assumption: Durkheim gives no magnitude
    P("legitimacy_loss", 0.5, 0.0, 1.0, "share of the common norms' hold", SOCIETY,
      "Forced division of labour: share of their hold society's common norms lose, for everyone, when every place is imposed (in proportion when fewer are; an assumption)."),
    P("tie_integration_ceiling", 0.75, 0.0, 1.0, "integration", SOCIETY,
      "Highest integration ties alone can give; only strong group belonging goes beyond (altruism is absorption)."),
    P("integration_centre", 0.596, 0.0, 1.0, "integration", SOCIETY,
      "Calibrated: integration of an undisturbed baseline citizen, where the crisis hazard is lowest."),
    P("regulation_centre", 0.471, 0.0, 1.0, "regulation", SOCIETY,
      "Calibrated: regulation of an undisturbed citizen of a regulated sector, where the crisis hazard is lowest."),
    P("crisis_job_loss", 0.05, 0.0, 1.0, "probability per crisis", SOCIETY,
      "Chance that a crisis costs a working person their job."),
    P("crisis_tie_loss", 0.2, 0.0, 1.0, "probability per crisis", SOCIETY,
      "Chance that a crisis costs a person one of their ties."),
    P("crisis_means_loss", 0.1, 0.0, 1.0, "probability per crisis", SOCIETY,
      "Chance that a crisis costs a person a fifth of their business fortune (earnings)."),
    P("integration_low", 0.3, 0.0, 1.0, "integration", SOCIETY,
      "Below this integration a person counts as egoistic (isolated)."),
    P("integration_high", 0.8, 0.0, 1.0, "integration", SOCIETY,
      "Above this integration a person counts as altruistic (self dissolved in the group)."),
    P("regulation_low", 0.3, 0.0, 1.0, "regulation", SOCIETY,
      "Below this regulation a person counts as anomic (normless)."),
    P("regulation_high", 0.8, 0.0, 1.0, "regulation", SOCIETY,
      "Above this regulation a person counts as fatalistic (oppressed by rules)."),
    P("baseline_hazard", 0.002, 0.0, 0.1, "probability per step", SOCIETY,
      "Crisis hazard of a person in the healthy middle of both axes."),
    P("hazard_curvature", 2.5, 0.0, 10.0, "log-hazard per squared distance", SOCIETY,
      "How steeply crisis hazard rises towards the extremes of integration and regulation."),
    P("high_risk_hazard", 0.01, 0.0, 1.0, "probability per step", SOCIETY,
      "Crisis hazard from which a person counts as high-risk (for outreach and missed cases)."),
    P("crisis_duration", 6, 1, 52, "steps", SOCIETY,
      "How long an acute crisis lasts without help."),
    # --- Shocks: society-wide conditions that scenarios change ------------------------
    P("newcomer_belief_distance", 0.5, 0.0, 0.5, "belief distance", SHOCKS,
      "How far newcomers' beliefs lie from the host society's collective conscience."),
    P("newcomer_ties", 2, 0, 20, "ties", SHOCKS,
      "Ties a newcomer has on arrival."),
    P("authority_pull", 0.3, 0.0, 1.0, "share per step", SHOCKS,
      "How hard an authoritarian regime forces regulation up while it lasts."),
    # --- Social work (socialwork helper, issue 11) -------------------------------------------
    # Staffing and hours: the caseload limit is derived from these (model/workforce.py), not set.
    P("social_workers_per_1000", 2.0, 0.0, 100.0, "posts per 1,000 citizens", SOCIAL_WORK,
      "Social-work posts, filled or vacant, per 1,000 citizens (England has about 2 per 1,000 people); the model rounds to whole posts."),
    P("weekly_hours", 37.0, 1.0, 80.0, "hours per step", SOCIAL_WORK,
      "Contracted working hours of one social worker per week."),
    P("admin_share", 0.4, 0.0, 0.9, "share of time", SOCIAL_WORK,
      "Share of working time taken by administration and recording."),
    P("supervision_hours", 1.5, 0.0, 10.0, "hours per step", SOCIAL_WORK,
      "Regular reflective supervision each worker receives per week (restores, but costs contact time)."),
    P("casework_hours", 1.0, 0.1, 20.0, "hours per case per step", SOCIAL_WORK,
      "Weekly time one open case needs: a contact with travel and recording."),
    P("crisis_hours", 2.5, 0.1, 40.0, "hours per case per step", SOCIAL_WORK,
      "Weekly time a client in acute crisis needs (crisis intervention) instead of an ordinary contact."),
    P("advocacy_hours", 3.0, 0.1, 40.0, "hours per action", SOCIAL_WORK,
      "Extra time one advocacy action takes (with an employer or a benefits office, on the client's behalf)."),
    P("environment_hours", 1.5, 0.1, 20.0, "hours per contact", SOCIAL_WORK,
      "Extra time a contact that works through the client's social environment takes (meeting the family or a neighbour)."),
    P("groupwork_share", 0.1, 0.0, 1.0, "share of contact time", SOCIAL_WORK,
      "Share of contact time spent on group work (mezzo level)."),
    P("community_share", 0.05, 0.0, 1.0, "share of contact time", SOCIAL_WORK,
      "Share of contact time spent on community development (macro level): founding and sustaining groups."),
    P("group_session_hours", 3.0, 0.5, 20.0, "hours per session", SOCIAL_WORK,
      "Time one group-work session takes, whatever the group's size."),
    P("group_size", 8, 2, 30, "people", SOCIAL_WORK,
      "People brought together in one group session, or founding a new group."),
    P("group_tie_probability", 0.15, 0.0, 1.0, "probability per pair per session", SOCIAL_WORK,
      "Chance that two members of a group session form a lasting tie."),
    P("founding_hours", 100.0, 1.0, 1000.0, "hours", SOCIAL_WORK,
      "Organising time community development needs to found a new mutual-aid or occupational group."),
    P("overload_acceptance", 0.3, 0.0, 3.0, "share of the limit", SOCIAL_WORK,
      "How far over the derived caseload limit managers push workers while people wait."),
    # Workforce: burnout, supervision, leaving, vacancies
    P("overload_burnout", 0.05, 0.0, 1.0, "burnout per step at double load", SOCIAL_WORK,
      "How fast burnout builds when the caseload is over the derived limit."),
    P("exposure_burnout", 0.04, 0.0, 1.0, "burnout per step per crisis-caseload", SOCIAL_WORK,
      "Secondary traumatic stress: burnout from clients in acute crisis, per caseload-limit's worth of them."),
    P("recovery_per_hour", 0.02, 0.0, 0.5, "share of burnout per hour", SOCIAL_WORK,
      "Share of burnout one hour of supervision or rehabilitation relieves."),
    P("rehab_threshold", 0.5, 0.0, 1.0, "burnout", SOCIAL_WORK,
      "Burnout above which a worker gets rehabilitation (extra supervision, reduced duties)."),
    P("rehab_hours", 6.0, 0.0, 40.0, "hours per step", SOCIAL_WORK,
      "Contact hours a worker in rehabilitation gives up each week to recover."),
    P("base_leaving", 0.0015, 0.0, 1.0, "probability per step", SOCIAL_WORK,
      "Chance a worker leaves in a week for reasons other than burnout (moves, retirement)."),
    P("burnout_leaving", 0.005, 0.0, 0.5, "probability per step at full burnout", SOCIAL_WORK,
      "Extra chance of leaving in a week, in proportion to burnout."),
    P("vacancy_weeks", 60, 1, 520, "steps", SOCIAL_WORK,
      "Mean time a vacated post stays empty before a new worker starts."),
    # Referral, screening and prevention
    P("agency_contact", 0.8, 0.0, 1.0, "probability", SOCIAL_WORK,
      "Chance that another agency (police, health, school) sees a person's crisis."),
    P("agency_coordination", 0.7, 0.0, 1.0, "probability", SOCIAL_WORK,
      "Multi-agency working: chance that what another agency sees (a crisis, a screening flag) is passed on to social work."),
    P("screening_coverage", 0.05, 0.0, 1.0, "share per step", SOCIAL_WORK,
      "Share of citizens a universal service (doctor, school, housing) sees and screens each week."),
    P("screening_noise", 0.8, 0.0, 3.0, "log-scale std. dev.", SOCIAL_WORK,
      "How imperfect a screening signal is: noise on the log of the true risk."),
    P("outreach_share", 0.3, 0.0, 1.0, "share of intake", SOCIAL_WORK,
      "Prevention against reaction: share of free places kept for people flagged by screening."),
    # Casework: contracting, task-centred work, influence, ending
    P("negotiation", 0.5, 0.0, 1.0, "share of the gap", SOCIAL_WORK,
      "Contracting: how far worker and client close the gap between what the client wants and what the worker can offer."),
    P("tasks_agreed", 3, 1, 10, "tasks", SOCIAL_WORK,
      "Task-centred casework: concrete tasks agreed in the contract."),
    P("task_weeks", 12, 1, 52, "steps", SOCIAL_WORK,
      "Task-centred casework: the agreed time limit, after which the case is reviewed and ended."),
    P("task_progress", 0.35, 0.0, 1.0, "probability per contact", SOCIAL_WORK,
      "Chance a kept contact in full cooperation completes the current task."),
    P("casework_effect", 0.08, 0.0, 0.5, "share per contact", SOCIAL_WORK,
      "Stimulation: how far a kept contact moves a client's regulation (or integration) towards the healthy middle."),
    P("persuasion_effect", 0.15, 0.0, 0.5, "share per contact", SOCIAL_WORK,
      "Persuasion: a stronger pull of regulation towards the middle, which costs trust where goals do not align."),
    P("environment_tie", 0.3, 0.0, 1.0, "probability per contact", SOCIAL_WORK,
      "Social environment: chance a contact through the client's environment makes a lasting tie with the target person."),
    P("advocacy_success", 0.25, 0.0, 1.0, "probability per action", SOCIAL_WORK,
      "Connections (advocacy): chance an advocacy action gets an out-of-work client a job and their means back."),
    # Benefit take-up through advocacy (practice helper, issue 11 item 4)
    P("unclaimed_benefit", 0.1, 0.0, 1.0, "share of wage", SOCIAL_WORK,
      "Income-related benefit an out-of-work person is entitled to but never claims unaided, paid on top of the unemployment benefit once advocacy secures it (DWP take-up estimates: 2-4 in 10 entitled families do not claim, some GBP 1,700 a year each, about 6% of average earnings)."),
    P("benefit_advocacy_success", 0.3, 0.0, 1.0, "probability per action", SOCIAL_WORK,
      "Advocacy with a benefits office: chance an advocacy action that finds no job secures the client's unclaimed benefit (an assumption; welfare-rights advice brings gains to many of those advised, Adams et al. 2006)."),
    P("crisis_resolution", 2.0, 0.0, 10.0, "steps per contact", SOCIAL_WORK,
      "Crisis intervention: weeks of acute crisis one crisis contact removes."),
    P("groupwork_effect", 0.05, 0.0, 0.5, "share per session", SOCIAL_WORK,
      "How far one group session moves a member's integration and regulation towards the healthy middle."),
    P("initial_trust", 0.3, 0.0, 1.0, "trust", SOCIAL_WORK,
      "Trust at the first meeting, when worker and client agree a contract."),
    P("trust_growth", 0.15, 0.0, 1.0, "share per kept contact", SOCIAL_WORK,
      "Trust gained by a kept contact, scaled by how well the agreed goals fit."),
    P("trust_loss", 0.2, 0.0, 1.0, "share per missed contact", SOCIAL_WORK,
      "Trust lost when a promised contact does not happen."),
    P("cooperation_trust", 0.6, 0.0, 1.0, "trust", SOCIAL_WORK,
      "Trust at which the working agreement becomes cooperation."),
    P("conflict_trust", 0.15, 0.0, 1.0, "trust", SOCIAL_WORK,
      "Trust below which the relationship falls into conflict."),
    P("coproduction_rate", 0.05, 0.0, 1.0, "share per task", SOCIAL_WORK,
      "Strengths-based practice: lasting capacity a client builds with each task achieved (and again at the review)."),
    P("dropout_rate", 0.15, 0.0, 1.0, "probability per step", SOCIAL_WORK,
      "Chance a client in conflict drops out of the case in a week."),
    # --- Occupational groups (groups helper) ---------------------------------------------
    # Durkheim's remedy (Division of Labour, Preface to the 2nd ed., 1902; Suicide III.3):
    # standing associations of one line of work. The magnitudes are assumptions, not
    # calibrated; model/groups.py and docs/ODD.md section 7.12 give the reasons for each.
    P("group_founding_rate", 2e-5, 0.0, 0.01, "probability per citizen per step", OCCUPATIONAL_GROUPS,
      "Chance that an unorganised worker gathers tied colleagues of their sector into a new group in a week, unprompted."),
    P("group_founding_strength", 0.3, 0.0, 1.0, "strength", OCCUPATIONAL_GROUPS,
      "Strength of a group in the week it is founded (0 a name only, 1 a fully authoritative body)."),
    P("group_min_size", 3, 2, 100, "members", OCCUPATIONAL_GROUPS,
      "Fewest members a group needs to be founded spontaneously and to go on existing."),
    P("group_min_strength", 0.1, 0.0, 1.0, "strength", OCCUPATIONAL_GROUPS,
      "Strength below which a withered group dissolves and frees its members."),
    P("group_half_life", 156.0, 1.0, 5200.0, "steps", OCCUPATIONAL_GROUPS,
      "Weeks in which a group left to itself loses half its strength (withering)."),
    P("group_self_renewal", 0.005, 0.0, 1.0, "share of the gap per step", OCCUPATIONAL_GROUPS,
      "How far a large group's own activity restores its strength each week, towards full strength."),
    P("group_renewal_size", 100, 1, 100_000, "members", OCCUPATIONAL_GROUPS,
      "Members at which a group's own activity reaches half its sustaining power."),
    P("group_support_effect", 0.01, 0.0, 0.5, "share of the gap per hour", OCCUPATIONAL_GROUPS,
      "How far one hour of a social worker's support in a week restores a group's strength."),
    P("group_recruitment_rate", 0.02, 0.0, 1.0, "probability per member per step at full strength", OCCUPATIONAL_GROUPS,
      "Chance that a member asks one tied person to join in a week; an unorganised, employed colleague of the sector accepts."),
    P("group_max_size", 150, 2, 1_000_000, "members", OCCUPATIONAL_GROUPS,
      "Members at which a group stops recruiting: a face-to-face association's ceiling (Dunbar's number, Dunbar 1993)."),
    P("group_leave_rate", 0.05, 0.0, 1.0, "probability per step", OCCUPATIONAL_GROUPS,
      "Chance that a member who lost work or changed sector leaves the group in a week."),
    P("group_norm_supply", 0.3, 0.0, 1.0, "regulation at full strength", OCCUPATIONAL_GROUPS,
      "Regulation a full-strength group supplies its members: norms the group makes and upholds."),
    P("group_belonging", 0.2, 0.0, 1.0, "integration at full strength", OCCUPATIONAL_GROUPS,
      "Belonging a full-strength group gives its members."),
)

PARAMETER_BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}

# Names that are no longer parameters -> what to write instead. Only for the messages that
# refuse them (scenario files, sweep files, `--set`, the dashboard): never accepted as aliases.
RETIRED_PARAMETERS: dict[str, str] = {
    "n_social_workers": "social_workers_per_1000, a rate of posts per 1,000 citizens (England: 2.0); "
                        "the model derives the number of posts from the population",
}


def retired_hint(name: str) -> str | None:
    """What to write instead of a name that is no longer a parameter, or None."""
    new = RETIRED_PARAMETERS.get(name)
    return f"{name} was renamed: write {new}" if new else None


def _field(p: Parameter) -> tuple[Any, Any]:
    if p.choices is not None:
        return Literal[p.choices], Field(p.default, description=p.meaning)  # type: ignore[valid-type]
    kind = int if isinstance(p.default, int) and not isinstance(p.default, bool) else float
    return kind, Field(p.default, ge=p.low, le=p.high, description=p.meaning)


# Pairs that must stay ordered: (lower, upper).
ORDERED_PAIRS = (
    ("integration_low", "integration_high"),
    ("regulation_low", "regulation_high"),
    ("conflict_trust", "cooperation_trust"),
    ("integration_low", "integration_centre"),
    ("integration_centre", "integration_high"),
    ("regulation_low", "regulation_centre"),
    ("regulation_centre", "regulation_high"),
)


class _ParameterBase(BaseModel):
    # strict: a scenario file's "0.5" (a string) is a wrong type, not a number
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="after")
    def _check_consistency(self):
        for low, high in ORDERED_PAIRS:
            if getattr(self, low) >= getattr(self, high):
                raise ValueError(f"{low} must be below {high}")
        if self.groupwork_share + self.community_share > 1.0:
            raise ValueError("groupwork_share + community_share must not exceed 1")
        return self


Parameters: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Parameters",
    __base__=_ParameterBase,
    __doc__="Validated model parameters: every field comes from PARAMETERS.",
    **{p.name: _field(p) for p in PARAMETERS},
)

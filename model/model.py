"""AnomieModel: Durkheim's society on a network, its shocks and its social workers."""

from __future__ import annotations

from functools import partial
from typing import Any

import mesa
import numpy as np

from anomie.agents.citizen import Citizen
from anomie.agents.social_worker import SocialWorker
from anomie.scenarios.schema import Scenario, baseline_scenario
from anomie.scenarios.shocks import Conditions, Shock, conditions_at

from .allocation import keep_freed_memory
from .beliefs import UNIFORM_HALF_WIDTH, consensus, deffuant_influence, individual_drift, meetings_pass, tie_distance
from .citizen_week import CitizenWeekArrays, week_constants
from .citizen_week import citizens_week as citizens_week_pass
from .economy import (
    benefit_top_up,
    business_fortune,
    current_means,
    expectation_target,
    labour_market,
    role_wages,
)
from .hazard import crisis_hazard
from .jit import background
from .metrics import compute_metrics, metric_reporters, network_structure
from .network import SocialNetwork, count_with_ties, random_neighbours
from .referral import pop_waiting, refer_to_services, services, social_work_week, waiting_count
from .regulation import disruption_share, norm_legitimacy, rest_regulation, supplied_norms, usual_erosion
from .sectors import draw_sectors, leave_the_land, position_dependency, positions, sector_shares, sector_values
from .solidarity import (
    attachment,
    belonging,
    integration_target,
    mean_over_ties,
    mechanical_likeness,
    organic_interdependence,
)
from .state import CitizenState
from .streams import RandomStreams
from .ties import add_new_ties, newcomer_ties, tie_places, tie_week, triadic_closure, uprooting
from .typology import classify, typology_bands
from .workforce import social_work_posts

from anomie.agents.groups import sync_group_agents

from .groups import OccupationalGroups

_NONE = np.empty(0, dtype=np.int64)
_NO_TIES = np.empty(0, dtype=bool)  # an empty tie mask: no tie flagged
_NO_VALUES = np.empty(0)  # an empty per-citizen array: nobody concerned
_NO_DRIFT = np.empty((0, 0))  # no drift draws: beliefs do not drift this week

# Observation settings, not model parameters: they change what is measured, not what happens.
CLUSTERING_SAMPLE = 1000  # citizens sampled for the clustering coefficient
LARGE_POPULATION = 100_000  # above this, network structure is measured every 10th week
# From this many citizens the week's measurements run in a background thread (below it the
# hand-off costs more than they do: 0.4 ms a week more at 1,000 citizens).
BACKGROUND_MIN_CITIZENS = 50_000
# Citizen agents (views of rows) are made by default up to this many citizens; above it they
# would cost more to build than the whole model (~25 s and ~220 bytes each at a million) and
# nobody browses a million agents. Pass create_agents=True to have them anyway.
CITIZEN_AGENTS_UP_TO = 100_000
# What a crisis can cost: the share of business fortune lost when a crisis costs means
# (its probability is the parameter crisis_means_loss).
CRISIS_MEANS_CUT = 0.2


class AnomieModel(mesa.Model):
    """Citizens drift between integration and regulation; shocks hit; social workers intervene.

    It takes a validated `Scenario` (default: the baseline, default parameters and no
    shocks), and any parameter as a keyword override (validated; so `mesa.batch_run` can
    vary parameters). To build one from a preset name or a file, use
    `scenarios.loading.build_model`::

        m = build_model("industrialisation", seed=7, n_citizens=2000)
        m.run_for(300)
        df = m.dataframe()
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        seed: int | None = None,
        rng: Any = None,
        create_agents: bool | None = None,
        network_metrics_every: int | None = None,
        **overrides: Any,
    ):
        if seed is not None and rng is not None:
            raise ValueError("give either seed or rng, not both")
        if scenario is None:
            scenario = baseline_scenario()
        if not isinstance(scenario, Scenario):
            raise TypeError(
                f"AnomieModel takes a Scenario, not {type(scenario).__name__}; "
                "build from a preset name or file with scenarios.loading.build_model"
            )
        spec = scenario.with_overrides(**overrides)
        keep_freed_memory()  # each week's arrays reuse last week's memory (model/allocation.py)
        super().__init__(rng=seed if seed is not None else rng)
        self.spec = spec
        self.params = spec.parameters
        self.seed = self._seed
        p = self.params
        # one stream per mechanism (common random numbers); measurement has its own, so that
        # observing never changes the run
        self.streams = RandomStreams.from_seed(self.seed)
        self.metric_rng = self.streams.measurement
        self.network_metrics_every = network_metrics_every or (1 if p.n_citizens <= LARGE_POPULATION else 10)
        self.n_initial = p.n_citizens
        self.wage_level = 1.0
        self.crises_this_step = 0
        self.crises_total = 0
        self.conflict_ties_broken = 0  # ties broken this week in the conflict of a forced division of labour
        self.active_shocks: list[Shock] = []
        self._shock_events: list[_ShockEvent] = []

        self.network = SocialNetwork.generate(p.network, p.n_citizens, p.mean_degree, p.rewiring_probability, self.streams.network)
        self.role_wage_table = role_wages(p.n_roles, p.wage_spread, self.streams.economy)
        self.sector_wage = sector_values(p, "wage")
        self.sector_turbulence = sector_values(p, "turbulence")
        self.dependency = position_dependency(p.n_roles)
        self.conditions: Conditions = conditions_at(0, [], p)
        self.moved_off_land = 0  # citizens the industrialisations have moved out of agriculture so far
        self.citizens = self._new_citizens(p.n_citizens, belief_centre=0.5)
        self.groups = OccupationalGroups.empty(p.n_citizens, p)
        self._movers = np.empty(0, dtype=np.int64)
        self._uprooted = np.empty(0)
        self._crisis_cuts = (_NONE, _NONE)
        self._initial_integration()

        self.social_workers: list[SocialWorker] = []
        self.n_posts = social_work_posts(p.social_workers_per_1000, p.n_citizens)
        n, w = p.n_citizens, self.n_posts
        for k in range(w):
            rows = np.arange(k * n // w, (k + 1) * n // w, dtype=np.int64)
            self.social_workers.append(SocialWorker(self, k, rows))
        self.citizens.patch[:] = (np.arange(n) * w) // n if w else 0
        self.citizen_agents: list[Citizen] = []
        if create_agents is None:
            create_agents = n <= CITIZEN_AGENTS_UP_TO
        if create_agents:
            self.citizen_agents = [Citizen(self, row) for row in range(n)]

        for shock in spec.shocks:
            self.add_shock(shock)

        self.datacollector = mesa.DataCollector(model_reporters=metric_reporters())
        self.onsets = np.empty(0, dtype=np.int64)
        self._classify_and_hazard()
        self.cached_structure = (0.0, 0.0)
        self._measuring = None  # the week's measurements running in the background, if any
        self._meeting_ahead = None  # the week's meetings of beliefs worked out during the workers' week, if any
        self.observe()

    # -- set-up ------------------------------------------------------------------------------
    def _new_citizens(self, k: int, belief_centre: float, newcomers: bool = False) -> CitizenState:
        """Draw k citizens: beliefs around a centre, a sector and position, a job, means and
        expectations, and regulation near where their groups' norms and their usual exposure
        hold it at rest."""
        p, rng = self.params, self.streams.population
        cs = CitizenState.empty(k, p.n_beliefs)
        cs.beliefs[:] = np.clip(belief_centre + p.belief_diversity * rng.standard_normal((k, p.n_beliefs)), 0.0, 1.0)
        cs.sector[:] = draw_sectors(k, sector_shares(p), rng)
        cs.role[:] = rng.integers(0, p.n_roles, size=k)
        cs.role_wage[:] = self.sector_wage[cs.sector] * self.role_wage_table[cs.role]
        cs.forced[:] = rng.random(k) < p.forced_division
        settled = p.job_finding_rate / max(p.job_finding_rate + p.job_loss_rate, 1e-12)
        cs.employed[:] = rng.random(k) < settled
        cs.means[:] = current_means(cs.employed, cs.role_wage, self.conditions.wage_level, p.unemployment_benefit)
        cs.norm_anchor[:] = p.norm_spread * rng.standard_normal(k)
        c = self.conditions
        # start near rest: where the supplied norms and one's usual exposure hold regulation
        supply = supplied_norms(
            0.0, c.norm_strength, c.organic_share, sector_values(p, "regulation")[cs.sector], 0.0,
            p.local_norm_weight, cs.norm_anchor, 0.0, p.forced_constraint,
            norm_legitimacy(cs.forced, cs.employed, p.legitimacy_loss),  # of these citizens' places
        )
        erosion = usual_erosion(
            cs.employed, cs.role_wage * c.wage_level, p.unemployment_benefit, self.sector_turbulence[cs.sector],
            p.fortune_reversion, c.job_loss_rate, c.job_finding_rate, p.means_sensitivity,
        )
        rest = rest_regulation(supply, p.local_norm_weight, erosion, p.norm_adaptation_rate)
        forced = cs.forced.astype(float)
        cs.regulation[:] = np.clip(rest + forced * p.forced_constraint * (1.0 - rest), 0.0, 1.0)
        cs.expectations[:] = expectation_target(cs.means, cs.regulation, p.ambition, self.healthy_middle[1])
        cs.newcomer[:] = newcomers
        return cs

    def _initial_integration(self) -> None:
        """Start each citizen at the integration their ties and exchanges give them."""
        self._update_bonds()
        target = self._integration_target()
        self.citizens.integration[:] = np.clip(target, 0.0, 1.0)

    @property
    def healthy_middle(self) -> tuple[float, float]:
        """Where the crisis hazard is lowest on (integration, regulation): the calibrated centre,
        where an undisturbed citizen of the baseline society sits (docs/calibration.md)."""
        p = self.params
        return float(p.integration_centre), float(p.regulation_centre)

    # -- shocks ------------------------------------------------------------------------------
    def add_shock(self, shock: Shock) -> None:
        """Put a shock on the timeline: Mesa events switch it on before its first week and off after its last."""
        event = _ShockEvent(self, shock)
        self._shock_events.append(event)
        begin = max(shock.start - 0.5, self.time)
        self.schedule_event(event.begin, at=begin)
        if shock.end is not None:
            self.schedule_event(event.finish, at=shock.end + 1.5)

    # -- the week ----------------------------------------------------------------------------
    def step(self) -> None:
        """One week, as docs/ODD.md section 3 tells it (tests/model/test_week_order.py keeps the two in step).

        The shocks set the week's conditions and change the society's structure; social
        workers act on what last week left; last week's crises cost their price; the economy
        moves jobs and fortunes; beliefs meet; ties change; occupational groups live; each
        citizen's integration, regulation, expectations, state and crises follow; workers
        close cases; new crises are referred; the week is observed.
        """
        self.update_conditions()
        self.restructure(self.conditions)
        self.social_work()
        self.crisis_consequences()
        self.economy(self.conditions)
        self.beliefs_meet(self.conditions)
        self.change_ties(self.conditions)
        self.start_measuring()
        self.groups_live()
        self.citizens_week(self.conditions)
        self.close_cases()
        self.refer_to_services()
        self.observe()

    def update_conditions(self) -> Conditions:
        """The week's conditions: every active shock composed (scenarios/shocks.py, `conditions_at`)."""
        self.conditions = conditions_at(self.steps, self.active_shocks, self.params)
        return self.conditions

    def social_work(self) -> None:
        """Every post's working week, in an order drawn from the social-work stream (model/referral.py).

        The workers' week is Python; meanwhile this week's meetings of beliefs, which it can
        change only by making a tie, are worked out on the other core (`_meet_ahead`).
        """
        self._meeting_ahead = self._meet_ahead() if self.citizens.n >= BACKGROUND_MIN_CITIZENS else None
        social_work_week(self)

    def restructure(self, c: Conditions) -> None:
        """Shocks that change the structure: suspended ties, newcomers, people leaving the land
        (their ties are rewired with the week's other tie changes)."""
        self.network.set_suspended_share(c.suspended_share)
        self._movers = np.empty(0, dtype=np.int64)
        self._uprooted = np.empty(0)
        if c.arrivals > 0:
            self.add_newcomers(c.arrivals)
        target = int(round(c.exodus * self.n_initial))
        if target != self.moved_off_land:
            self.leave_the_land(target - self.moved_off_land)

    def leave_the_land(self, k: int) -> None:
        """Industrialisation: k citizens leave agriculture for industry or trade (k < 0: back to
        the land, when an industrialisation is undone); they take the usual wage of their new
        sector at their grade, and a forced division of labour may impose the new place."""
        cs, p, rng = self.citizens, self.params, self.streams.economy
        movers = leave_the_land(cs.sector, k, rng, p.exodus_to_industry)
        self.moved_off_land += int(np.sign(k)) * int(movers.size)
        cs.role_wage[movers] = self.sector_wage[cs.sector[movers]] * self.role_wage_table[cs.role[movers]]
        cs.forced[movers] = rng.random(movers.size) < p.forced_division
        self._movers = np.concatenate([self._movers, movers])

    def add_newcomers(self, k: int) -> None:
        """Migration: newcomers with other beliefs and few ties join the society, uprooted."""
        p = self.params
        first = self.citizens.n
        newcomers = self._new_citizens(k, belief_centre=0.5 + p.newcomer_belief_distance, newcomers=True)
        newcomers.integration[:] = 0.0
        self.network.add_nodes(k)
        rng = self.streams.population
        a, b = newcomer_ties(first, k, p.newcomer_ties, first, rng)
        # a newcomer lives in the neighbourhood of the first person they know
        hosts = b[:: max(p.newcomer_ties, 1)] if p.newcomer_ties else rng.integers(0, first, size=k)
        newcomers.patch[:] = self.citizens.patch[hosts[:k]]
        self.citizens.append(newcomers)
        self.network.add_ties(a, b, rng)
        self.groups.add_citizens(k)
        # a migrant has left all their ties behind
        self._uprooted = np.concatenate([np.zeros(first), np.ones(k)])
        for w in self.social_workers:
            mine = np.flatnonzero(newcomers.patch == w.index) + first
            w.patch_rows = np.concatenate([w.patch_rows, mine])
        if self.citizen_agents:
            self.citizen_agents.extend(Citizen(self, row) for row in range(first, first + k))

    def _update_bonds(self) -> None:
        """Likeness and interdependence over the current active ties (at the start; each week
        they come from the week's pass over the ties, `change_ties`)."""
        cs, net = self.citizens, self.network
        u, v = net.active_edges  # no copy when no tie is suspended
        deg = net.degree  # the adjacency's row lengths: the same counts as the ties' ends
        cs.likeness = mechanical_likeness(tie_distance(cs.beliefs, u, v), u, v, cs.n, deg)
        cs.interdependence = organic_interdependence(
            positions(cs.sector, cs.role, self.params.n_roles), self._free_workers(), u, v, cs.n, deg, self.dependency
        )

    def _free_workers(self) -> np.ndarray:
        """Only freely chosen places bind: an imposed one is a forced division of labour."""
        cs = self.citizens
        return cs.employed & ~cs.forced

    def change_ties(self, c: Conditions) -> None:
        """The week's tie dynamics, all decided on the same network and then made at once.

        Ties across wide belief gaps break, those who left the land lose part of their ties
        and make new ones in town, friends of friends meet; the pass that finds the breaking
        ties also sums, for each citizen, the likeness and exchange of the ties that last,
        and the new ties add theirs: mechanical and organic solidarity without another pass
        over the ties.
        """
        cs, p, rng, net = self.citizens, self.params, self.streams.ties, self.network
        free = self._free_workers()
        place = tie_places(positions(cs.sector, cs.role, p.n_roles), cs.employed, cs.forced)
        if self._movers.size:
            cut, keep_end, new_end, uprooted = uprooting(net, self._movers, p.uprooting_tie_share, rng)
            self._uprooted = uprooted if self._uprooted.size == 0 else self._uprooted + uprooted
        else:
            cut, keep_end, new_end = _NO_TIES, _NONE, _NONE
        lost_a, lost_b = self._crisis_cuts
        if lost_a.size:  # ties last week's crises cost
            if not cut.size:
                cut = np.zeros(net.n_ties, dtype=bool)
            cut[net.tie_positions(lost_a, lost_b)] = True
            self._crisis_cuts = (_NONE, _NONE)
        closer, friend = triadic_closure(net, p.mean_degree, p.closure_rate, rng)
        break_draw = rng.random(net.n_ties)
        # conflict draws only where there is a forced division of labour: without one the
        # ties' stream is drawn exactly as before the mechanism existed
        conflict_draw = rng.random(net.n_ties) if p.forced_conflict > 0 and cs.forced.any() else _NO_VALUES
        broken, like_sum, exch_sum, conflict = tie_week(
            cs.beliefs, place, net.u, net.v, _NO_TIES if net.all_active else net.active, cut,
            break_draw, p.tie_break_distance, p.tie_break_rate, self.dependency, conflict_draw, p.forced_conflict,
        )
        self.conflict_ties_broken = int(np.count_nonzero(conflict))
        drop = broken | cut if cut.size else broken
        new_u, new_v, new_draw = net.edit_ties(
            drop, np.concatenate([keep_end, closer]), np.concatenate([new_end, friend]), rng
        )
        bind = new_draw >= net.suspended_share  # a new tie may be suspended at once, as any tie
        add_new_ties(cs.beliefs, place, new_u[bind], new_v[bind], like_sum, exch_sum, self.dependency)
        deg = net.degree
        cs.likeness = mean_over_ties(like_sum, deg)
        cs.interdependence = mean_over_ties(exch_sum, deg) * free

    def _integration_target(self) -> np.ndarray:
        cs, p = self.citizens, self.params
        attach = attachment(self.network.degree, p.tie_half_saturation)
        hold = belonging(self._group_supply()[1], self.conditions.collective_sentiment)
        return integration_target(attach, cs.likeness, cs.interdependence, self.conditions.organic_share,
                                  p.tie_integration_ceiling, hold)

    def _group_supply(self) -> tuple[np.ndarray, np.ndarray]:
        """Norms and belonging the occupational groups give each citizen (zeros where there are none)."""
        n = self.citizens.n
        if self.groups.alive_count() == 0:
            return np.zeros(n), np.zeros(n)
        return self.groups.supply(n)

    def economy(self, c: Conditions) -> None:
        """Work and fortune: the labour market moves jobs, each person's business fortune
        drifts with their sector's turbulence, and the wage level follows the conditions
        (means follow in the citizens' week)."""
        cs, p, rng = self.citizens, self.params, self.streams.economy
        cs.employed = labour_market(cs.employed, c.job_loss_rate, c.job_finding_rate, rng)
        cs.fortune = business_fortune(cs.fortune, cs.sector, self.sector_turbulence, p.fortune_reversion, rng)
        self.wage_level = c.wage_level

    def beliefs_meet(self, c: Conditions) -> None:
        """Each citizen meets one tie (bounded confidence), and the cult of the individual lets
        private beliefs drift where solidarity is organic (`meetings_of_beliefs`)."""
        ahead, self._meeting_ahead = self._meeting_ahead, None
        if ahead is not None:
            job, indptr, state = ahead
            beliefs = job.result()
            if self.network.csr[0] is indptr:  # no tie made or broken since: the same meetings
                self.citizens.beliefs = beliefs
                return
            self.streams.beliefs.bit_generator.state = state  # the draws are made again, on the new ties
        self.citizens.beliefs = meetings_of_beliefs(self.citizens.beliefs, *self.network.csr, self.params, c, self.streams.beliefs)

    def _meet_ahead(self) -> tuple:
        """Start this week's `meetings_of_beliefs` on the other core with the ties as they are,
        keeping the beliefs' stream's state to draw again if the workers change a tie.

        Nothing the workers do reads or writes beliefs or the beliefs' stream; the job reads
        only arrays nobody edits (an edit of the ties makes new ones).
        """
        indptr, indices = self.network.csr
        state = self.streams.beliefs.bit_generator.state
        job = background(meetings_ahead(self.citizens.beliefs, indptr, indices, self.params, self.conditions,
                                        self.streams.beliefs))
        return job, indptr, state

    def groups_live(self) -> None:
        """Occupational groups found, recruit and wither among colleagues tied to each other
        (model/groups.py); their Mesa agents follow."""
        indptr, indices = self.network.csr
        cs = self.citizens
        self.groups.week(cs.sector, cs.employed, indptr, indices, self.steps, self.streams.groups, self.params)
        sync_group_agents(self)

    def citizens_week(self, c: Conditions) -> None:
        """Means, integration, regulation, expectations, state, hazard and crises: one pass over
        the citizens (`model.citizen_week.citizens_week`, equal to the readable rules)."""
        cs, p, net = self.citizens, self.params, self.network
        if self.groups.alive_count() > 0:
            g_supply, g_belonging = self.groups.supply(cs.n)
        else:
            g_supply = g_belonging = _NO_VALUES
        legitimacy = norm_legitimacy(cs.forced, cs.employed, p.legitimacy_loss)
        week = week_constants(p, c, self.healthy_middle, self.bands, legitimacy)
        disruption = disruption_share(cs.n, self._movers, self._uprooted, p.sector_change_erosion, p.uprooting_erosion)
        onset_draws = self.streams.crises.random(cs.n)
        indptr, indices = net.csr
        arrays = CitizenWeekArrays(
            indptr=indptr, indices=indices, degree=net.degree, sector=cs.sector, forced=cs.forced, employed=cs.employed,
            role_wage=cs.role_wage, fortune=cs.fortune, likeness=cs.likeness, interdependence=cs.interdependence,
            integration=cs.integration, regulation=cs.regulation, expectations=cs.expectations, old_means=cs.means,
            capacity=cs.capacity, norm_anchor=cs.norm_anchor, disruption=disruption, group_supply=g_supply,
            group_belonging=g_belonging, crisis_left=cs.crisis_left, crises=cs.crises, onset_draws=onset_draws,
            claimed=benefit_top_up(services(self).claiming, cs.employed, p.unclaimed_benefit),
        )
        cs.means, cs.integration, cs.regulation, cs.expectations, cs.state, cs.hazard, onsets = citizens_week_pass(arrays, week)
        self.onsets = np.flatnonzero(onsets)
        self.crises_this_step = int(self.onsets.size)
        self.crises_total += self.crises_this_step

    def close_cases(self) -> None:
        """Each worker ends the cases whose goals are met or time is up, and loses clients in conflict who drop out."""
        for worker in self.social_workers:
            worker.close_cases()

    def crisis_consequences(self) -> None:
        """Last week's crises cost something this week: with their probabilities, a working
        person loses their job, a person's business fortune falls by a fifth, a person loses
        one of their ties (cut with this week's tie changes). Crises are events in a life, not
        only a count; they feed back into means, regulation and attachment."""
        onsets, p, cs = self.onsets, self.params, self.citizens
        if onsets.size == 0:
            return
        rng = self.streams.crises
        job, tie, means = rng.random((3, onsets.size))
        lose_job = onsets[(job < p.crisis_job_loss) & cs.employed[onsets]]
        cs.employed[lose_job] = False
        hit = onsets[means < p.crisis_means_loss]
        cs.fortune[hit] += np.log(1.0 - CRISIS_MEANS_CUT)
        lose_tie = onsets[tie < p.crisis_tie_loss]
        friend = self.network.random_neighbour(lose_tie, rng)
        has = friend >= 0
        self._crisis_cuts = (lose_tie[has], friend[has])

    @property
    def bands(self) -> tuple:
        """The healthy band's thresholds as the typology uses them."""
        p = self.params
        return typology_bands(p.integration_low, p.integration_high, p.regulation_low, p.regulation_high)

    def _classify_and_hazard(self) -> None:
        """The state and hazard of everyone at the start (each week `citizens_week` updates them)."""
        cs, p = self.citizens, self.params
        legitimacy = norm_legitimacy(cs.forced, cs.employed, p.legitimacy_loss)
        k = week_constants(p, self.conditions, self.healthy_middle, self.bands, legitimacy)
        cs.state = classify(cs.integration, cs.regulation, p.integration_low, p.integration_high, p.regulation_low, p.regulation_high)
        cs.hazard = crisis_hazard(
            cs.integration, cs.regulation, k.integration_mid, k.regulation_mid, k.integration_high, k.regulation_high,
            k.baseline_hazard, k.hazard_curvature, cs.capacity, k.capacity_protection,
        )

    # -- referral and the waiting list (model/referral.py) ------------------------------------
    def refer_to_services(self) -> None:
        """Multi-agency referral, screening and the waiting list: see model/referral.py."""
        refer_to_services(self)

    def waiting_count(self) -> int:
        return waiting_count(self)

    def pop_waiting(self, k: int) -> np.ndarray:
        """Take up to k people off the waiting list: acute crises first, then the longest waiting."""
        return pop_waiting(self, k)

    # -- observation -------------------------------------------------------------------------
    def observe(self) -> None:
        """The week's metrics, computed once and recorded by the DataCollector."""
        self.metrics = compute_metrics(self)
        self.datacollector.collect(self)

    def start_measuring(self) -> None:
        """Measure the belief consensus, and the network's structure if due this week, as they
        stand, in one background thread.

        Called once the week's ties and beliefs have changed: the measurements read only
        this week's belief and adjacency arrays, which nothing edits (a change makes new
        ones), and run on the other core while the citizens' week is computed.
        `measurements` collects them.
        """
        self._measuring = None
        if self.citizens.n < BACKGROUND_MIN_CITIZENS:
            return  # measured in the foreground: cheaper than the hand-off
        inputs = self._measure_inputs()
        self._measuring = (inputs[0], inputs[1], background(_measure, *inputs))

    def measurements(self) -> tuple[float, tuple[float, float] | None]:
        """This week's belief consensus, and the network's structure (connectedness, sampled
        clustering) if due, from the background job when it ran on this week's arrays."""
        job, self._measuring = self._measuring, None
        if job is not None and job[0] is self.citizens.beliefs and job[1] is self.network.csr[0]:
            return job[2].result()
        return _measure(*self._measure_inputs())

    def _measure_inputs(self) -> tuple:
        """Beliefs, adjacency and (if the network is measured this week) the clustering sample."""
        indptr, indices = self.network.csr
        sample = self.metric_sample() if self.network_metrics_due() else None
        return self.citizens.beliefs, indptr, indices, sample

    def network_metrics_due(self) -> bool:
        return self.steps % self.network_metrics_every == 0

    def metric_sample(self) -> np.ndarray:
        n = self.citizens.n
        if n <= CLUSTERING_SAMPLE:
            return np.arange(n)
        return np.sort(self.metric_rng.choice(n, size=CLUSTERING_SAMPLE, replace=False))

    def dataframe(self):
        """The metrics so far: one row per week (index `step`), one column per metric."""
        df = self.datacollector.get_model_vars_dataframe()
        df.index.name = "step"
        return df


def meetings_of_beliefs(beliefs, indptr, indices, p, c: Conditions, rng: np.random.Generator) -> np.ndarray:
    """The week's beliefs: each citizen meets one random tie (bounded confidence,
    `deffuant_influence`), then private beliefs drift where solidarity is organic
    (`individual_drift`, the cult of the individual). Draws from `rng` (the beliefs' stream)."""
    partner = random_neighbours(indptr, indices, None, rng)  # everybody
    beliefs = deffuant_influence(beliefs, partner, p.confidence_bound, p.convergence_rate)
    return individual_drift(beliefs, p.individualism * c.organic_share, rng)


def meetings_ahead(beliefs, indptr, indices, p, c: Conditions, rng: np.random.Generator):
    """`meetings_of_beliefs` in two halves: its draws now, from `rng` in the same order and
    number, and the rest as one compiled call (`beliefs.meetings_pass`) to run later,
    possibly on another core; returns that call. Must equal `meetings_of_beliefs`
    (tests/model/test_fast_paths.py)."""
    neighbour_draws = rng.random(count_with_ties(indptr, _NONE, True))
    scale = p.individualism * c.organic_share
    drift_draws = rng.random(beliefs.shape) if scale > 0.0 else _NO_DRIFT
    half_width = scale * UNIFORM_HALF_WIDTH
    return partial(meetings_pass, beliefs, indptr, indices, neighbour_draws, p.confidence_bound, p.convergence_rate,
                   half_width, drift_draws)


def _measure(beliefs, indptr, indices, sample):
    """The measurements `AnomieModel.start_measuring` runs in the background: consensus, and structure when a sample is given."""
    return consensus(beliefs), (None if sample is None else network_structure(indptr, indices, sample))


class _ShockEvent:
    """Switches one shock on and off; its bound methods are what Mesa schedules."""

    def __init__(self, model: AnomieModel, shock: Shock):
        self.model = model
        self.shock = shock

    def begin(self) -> None:
        self.model.active_shocks.append(self.shock)

    def finish(self) -> None:
        if self.shock in self.model.active_shocks:
            self.model.active_shocks.remove(self.shock)


__all__ = ["AnomieModel"]

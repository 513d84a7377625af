"""Regulation: norms that bound desires, who supplies them and what erodes them (Durkheim, Suicide, 1897).

Each week a person's regulation r moves towards the norms their groups supply and is
eroded in proportion to where it stands (docs/ODD.md, section 7.4):

    r <- r + restore * (N_i - r) - r * erosion_i

so nobody piles up at a bound: erosion takes a share of what is there, restoration closes
a share of the distance to what is supplied. Anomie is differential: erosion_i comes from
the person's own exposure, not from a society-wide clock.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def supplied_norms(
    local: np.ndarray,
    collective: float,
    organic_share: float,
    sector_supply: np.ndarray,
    group_supply: np.ndarray,
    local_weight: float,
    anchor: np.ndarray,
    forced: np.ndarray,
    forced_constraint: float,
    legitimacy: float,
) -> np.ndarray:
    """N_i, the regulation a person's groups supply them with.

    - family and local ties (`local`: the mean regulation of one's ties), weight `local_weight`;
    - the rest from society's structure: the collective conscience (`collective`), whose
      weight falls as the organic share rises (Division of Labour, Book I ch. 5), and one's
      sector's own regulation (`sector_supply`: agriculture by tradition, the professions by
      their ethics; trade and industry "freed from regulation", Suicide Book II ch. 5: the
      chronic deficit); society's common rules hold only as far as they are felt as
      legitimate (`legitimacy`, `norm_legitimacy`): a forced division of labour takes their
      moral authority from everyone, the freely placed too (Division of Labour Book III ch. 2);
    - a small fixed personal offset (`anchor`);
    - an occupational group (`group_supply`, 0 for non-members) is the moral power nearest
      its members: it covers its share of whatever the rest leaves missing (Suicide Book III
      ch. 3; Division of Labour, preface to the 2nd edition);
    - for a forced worker (`forced`, 0 or 1) norms felt as imposed, not legitimate, push
      the supply a share `forced_constraint` towards its maximum: fatalism (Division of
      Labour Book III ch. 2; Suicide Book II ch. 5, note on fatalistic suicide). It comes
      after the loss of legitimacy: for those held in imposed places the rules rest on force
      instead of authority, so force partly replaces what authority lost.
    """
    structural = (1.0 - organic_share) * collective + organic_share * sector_supply
    # legitimacy 1 (nobody forced) multiplies by exactly 1.0: the supply is unchanged bit for bit
    n = local_weight * local + (1.0 - local_weight) * (legitimacy * structural) + anchor
    n = n + group_supply * (1.0 - n)
    return n + forced * forced_constraint * (1.0 - n)


def norm_legitimacy(forced: np.ndarray, employed: np.ndarray, legitimacy_loss: float) -> float:
    """The legitimacy of society's common rules this week, in [0, 1]: 1 - loss x share of places imposed.

    Where the division of labour is imposed by external inequality, the rules that bind the
    functions rest on force alone and solidarity is "imperfect and troubled"
    (Durkheim, The Division of Labour in Society, 1893, Book III ch. 2): the rules lose their
    moral authority for everyone, not only for those held down. The share is over the places
    held (the employed); with none held, or none imposed, legitimacy is exactly 1.
    `legitimacy_loss` is the share of their hold the rules lose when every place is imposed.
    """
    held = int(np.count_nonzero(employed))
    imposed = int(np.count_nonzero(forced & employed))
    share = imposed / held if held else 0.0
    return 1.0 - legitimacy_loss * share


@kernel
def anomic_erosion(
    means_change: np.ndarray,
    disruption: np.ndarray,
    strain: np.ndarray,
    capacity: np.ndarray,
    means_sensitivity: float,
    strain_erosion: float,
    capacity_protection: float,
) -> np.ndarray:
    """The share of one's regulation lost this week, from one's own exposure, in [0, 1].

    - `means_change`: |log(new means / old means)| of one's own means: ruin and windfall
      alike break the fit between desires and the rules that bounded them (acute anomie,
      Suicide Book II ch. 5); low but stable means erode nothing (poverty restrains);
    - `disruption`: the week's change of sector and uprooting (share of own ties rewired,
      migration), already weighted by their parameters (see `disruption_share`);
    - `strain`: expectations above means, relative (economy.strain).
    Lasting personal capacity absorbs part of it.
    """
    raw = means_sensitivity * means_change + disruption + strain_erosion * strain
    return np.minimum(raw, 1.0) * (1.0 - capacity_protection * capacity)


def disruption_share(
    n: int, movers: np.ndarray, uprooted: np.ndarray, sector_change_erosion: float, uprooting_erosion: float
) -> np.ndarray:
    """Erosion from changing sector (`movers`, rows) and from uprooting (`uprooted`, share of
    own ties rewired, over all citizens; empty for none), per citizen; empty when nobody is hit."""
    if movers.size == 0 and uprooted.size == 0:
        return np.empty(0)
    d = np.zeros(n) if uprooted.size == 0 else uprooting_erosion * uprooted
    d[movers] += sector_change_erosion
    return d


def rest_regulation(
    supply_without_local: np.ndarray, local_weight: float, erosion: np.ndarray, restore: float, iterations: int = 30
) -> np.ndarray:
    """Where each person's regulation rests under their usual exposure, to start a run near rest.

    Under a steady erosion D, `regulation_step` settles at r = restore N / (restore + D) (N
    itself with neither). N holds one's ties' regulation, taken here as the society's mean
    resting level, found by iterating it. `supply_without_local` is the rest of
    `supplied_norms` (the part not from ties, already weighted by 1 - local_weight), `erosion`
    a person's usual weekly erosion (`usual_erosion`).
    """
    denom = restore + erosion
    level = float(np.mean(supply_without_local)) if supply_without_local.size else 0.0
    rest = supply_without_local
    for _ in range(iterations):
        norms = local_weight * level + supply_without_local
        rest = np.where(denom > 0, restore * norms / np.maximum(denom, 1e-12), norms)
        level = float(np.mean(rest)) if rest.size else 0.0
    return np.clip(rest, 0.0, 1.0)


def usual_erosion(
    employed: np.ndarray, wage: np.ndarray, unemployment_benefit: float, turbulence: np.ndarray,
    reversion: float, job_loss: float, job_finding: float, means_sensitivity: float,
) -> np.ndarray:
    """The share of regulation an ordinary week takes on average, from one's own exposure:
    business turbulence (the expected |change| of a stationary AR(1) fortune,
    sigma sqrt(2/pi) sqrt(2 / (2 - reversion))) and the chance of losing (or, out of work,
    finding) work times the size of that change of means, |ln(wage / benefit)|."""
    jump = np.abs(np.log(np.maximum(wage, 1e-9) / max(unemployment_benefit, 1e-9)))
    turb = turbulence * np.sqrt(2.0 / np.pi) * np.sqrt(2.0 / (2.0 - reversion))
    exposure = np.where(employed, turb + job_loss * jump, job_finding * jump)
    return np.minimum(means_sensitivity * exposure, 1.0)


@kernel
def regulation_step(regulation: np.ndarray, norms: np.ndarray, restore: float, erosion: np.ndarray) -> np.ndarray:
    """r + restore * (N - r) - r * erosion: restoration towards the supplied norms, erosion of what stands."""
    return regulation + restore * (norms - regulation) - regulation * erosion


@kernel
def authoritarian_pressure(regulation: np.ndarray, pull: float) -> np.ndarray:
    """Forced regulation: an authoritarian regime pushes adherence towards its maximum (fatalism)."""
    return pull * (1.0 - regulation)

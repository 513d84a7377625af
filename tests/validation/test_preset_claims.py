"""Every preset's claims hold over seeds: a preset's words cannot drift from what the model does.

Each preset carries, beside its description, the claims its text makes (scenarios/claims.py).
This runs every preset at a small population over five seeds (comparisons share seeds) and
fails when a claim stops holding. Claims the text makes but the model does not show are
listed in NOT_SHOWN: a finding for the preset's author, checked to still fail so that a fix
is noticed; they are never loosened to pass.
"""

from __future__ import annotations

import pytest

from experiments.validation.claims import ClaimRunner, check_preset, claims_of
from scenarios.schema import preset_names

RUNNER = ClaimRunner(seeds=tuple(range(1, 6)), n_citizens=300)
# presets whose claims the social-work helper and the lead write
LATER = {"austerity", "well_staffed_service", "stretched_service", "community_development",
         "industrial_revolution_no_social_work"}
# (preset, claim text): what the preset's description says and the model does not show
NOT_SHOWN: set[tuple[str, str]] = {
    ("crash", "Egoism rises as work ties vanish"),  # share_egoism stays exactly as in a stable society
    ("industrialisation", "Anomie fades as new norms settle"),  # the last year is not below the change's
    ("political_upheaval", "The weekly crisis rate falls while the upheaval lasts"),  # integration rises, the hazard does not move
}


@pytest.mark.parametrize("preset", [p for p in preset_names() if p not in LATER])
def test_the_preset_states_its_claims(preset):
    assert claims_of(preset), f"{preset}: its description makes claims; write them as [[claims]] beside it"


@pytest.mark.slow
@pytest.mark.parametrize("preset", preset_names())
def test_every_claim_of_the_preset_holds_over_seeds(preset):
    for result in check_preset(preset, RUNNER):
        key = (preset, result.claim.text)
        if key in NOT_SHOWN:
            assert not result.holds, f"{preset}: now holds, remove it from NOT_SHOWN: {result.describe()}"
            continue
        assert result.holds, f"{preset}: {result.describe()}"

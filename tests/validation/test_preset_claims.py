"""Every preset's claims hold over seeds: a preset's words cannot drift from what the model does.

Each preset carries, beside its description, the claims its text makes (scenarios/claims.py).
This runs every preset at a small population over five seeds (comparisons share seeds) and
fails when a claim stops holding. Claims the text makes but the model does not show are
listed in NOT_SHOWN: a finding for the preset's author, checked to still fail so that a fix
is noticed; they are never loosened to pass.
"""

from __future__ import annotations

import pytest

from anomie.experiments.validation.claims import ClaimRunner, check_preset, claims_of
from anomie.scenarios.loading import preset_names

# the population the presets were written for; a preset that sets its own n_citizens (austerity and its
# comparison, 10,000) runs at that, since its claims were measured there (about 1.5 minutes for the pair)
RUNNER = ClaimRunner(seeds=tuple(range(1, 6)), n_citizens=1000)
# presets whose claims the social-work helper and the lead write
LATER: set[str] = set()
# (preset, claim text): what the preset's description says and the model does not show
# (none now: the crash's egoism, industrialisation's fading anomie and the upheaval's falling
# crisis rate were not shown, so the texts no longer say them; docs/VALIDATION.md reports them)
NOT_SHOWN: set[tuple[str, str]] = set()


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

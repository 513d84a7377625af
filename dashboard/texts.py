"""The words beside each chart, in the theory's own vocabulary (docs/theory.md section 8).

Kept apart from the components so that a lecturer can reword them without touching code,
and so that tests can check that every chart has its explanation.
"""

from __future__ import annotations

from model.typology import DurkheimState

TITLE = "Anomie: Durkheim's society and its social workers"

CRISIS_NOTE = (
    "Durkheim measured a society's health by its suicide rates; this model counts a neutral "
    "\"crisis\" in their place, and the word means nothing more than that."
)

STATE_LABELS = {
    DurkheimState.INTEGRATED: "healthy middle",
    DurkheimState.EGOISM: "egoism",
    DurkheimState.ALTRUISM: "altruism",
    DurkheimState.ANOMIE: "anomie",
    DurkheimState.FATALISM: "fatalism",
}

# One colour per state, the same in every chart; chosen to stay apart for colour-blind viewers.
STATE_COLOURS = {
    DurkheimState.INTEGRATED: "#4d9221",
    DurkheimState.EGOISM: "#2166ac",
    DurkheimState.ALTRUISM: "#8c510a",
    DurkheimState.ANOMIE: "#d6604d",
    DurkheimState.FATALISM: "#542788",
}

STATE_MEANINGS = {
    DurkheimState.INTEGRATED: "attached to groups and held by fair norms, but still an individual",
    DurkheimState.EGOISM: "too little integration: isolated, shared goals lost",
    DurkheimState.ALTRUISM: "too much integration: the self dissolved into the group",
    DurkheimState.ANOMIE: "too little regulation: no norms to limit desires, expectations reality cannot meet",
    DurkheimState.FATALISM: "too much regulation: oppressive discipline, blocked futures",
}

EXPLAIN = {
    "cohesion": (
        "Cohesion is how well society holds together: people's integration, whether the "
        "network stays in one piece, how often friends of friends are friends, and solidarity "
        "(shared beliefs in a mechanical society, exchange between roles in an organic one). "
        "Shaded bands mark the shocks, from the week they start to the week they end."
    ),
    "shares": (
        "Each line is the share of citizens in one of Durkheim's states. Egoism and altruism "
        "are too little and too much integration; anomie and fatalism are too little and too "
        "much regulation. Crisis is rarest in the healthy middle and rises towards every edge."
    ),
    "plane": (
        "Durkheim's two axes: integration (how strongly a person is attached to groups) and "
        "regulation (how far shared norms bound their desires). Every dot is a citizen; the "
        "dashed lines are the thresholds that divide the plane into the four pathologies."
    ),
    "network": (
        "The community: citizens coloured by state, ties in grey. Black squares are social "
        "workers; their current clients are ringed and joined to them. Casework helps one "
        "client at a time; group work ties isolated people together, as Durkheim's "
        "occupational groups did."
    ),
    "social_work": (
        "Social workers take cases from a waiting list (reaction) or by reaching out to people "
        "at rising risk (prevention). Above the caseload limit quality falls and burnout "
        "builds; supervision relieves it. High-risk people known to no worker have fallen "
        "through the gaps between agencies."
    ),
    "compare": (
        "Two runs of the same society on the same seed: the same people, the same ties and the "
        "same shocks at the start. Only the difference you chose separates the curves."
    ),
}

PARAMETER_NOTE = "Changing a setting restarts the run from week 0 with the new value."

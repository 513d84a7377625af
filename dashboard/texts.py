"""The words beside each chart, in the theory's own vocabulary (docs/theory.md section 8).

Kept apart from the components so that a lecturer can reword them without touching code,
and so that tests can check that every chart has its explanation.
"""

from __future__ import annotations

from anomie.model.typology import DurkheimState

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

# One colour per state, the same in every chart. Chosen from Paul Tol's and Okabe and Ito's
# colour-blind-safe sets so that under simulated deuteranopia and protanopia (Machado et al.
# 2009) any two states differ by a CIEDE2000 distance of at least 15 (tests/dashboard/
# test_palette.py checks it); the charts also label every line directly.
STATE_COLOURS = {
    DurkheimState.INTEGRATED: "#44AA99",
    DurkheimState.EGOISM: "#0077BB",
    DurkheimState.ALTRUISM: "#882255",
    DurkheimState.ANOMIE: "#CC3311",
    DurkheimState.FATALISM: "#DDAA33",
}
# Page colours per theme (Vuetify's backgrounds), for the WCAG contrast test.
BACKGROUNDS = {"light": "#ffffff", "dark": "#121212"}
ERROR_COLOURS = {"light": "#b00020", "dark": "#ff8a80"}  # app.CSS uses these for a field's error
# The app bar (white text on it): Vuetify's dark primary (#2196f3) gives white text only 3.1:1.
APP_BAR_COLOURS = {"light": "#1976d2", "dark": "#1565c0"}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(colour: str, background: str = "#ffffff", ratio: float = 4.5) -> str:
    """The colour darkened just enough to be readable as text on the background (WCAG AA: 4.5:1)."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = to_rgb(colour)
    for k in range(101):
        shade = to_hex(tuple(c * (1 - k / 100) for c in rgb))
        if contrast(shade, background) >= ratio:
            return shade
    return "#000000"


INK = "#1a1a1a"  # this run's lines and the charts' text
SHOCK_GREY = "#5f5f5f"  # shocks are marked in a neutral grey that no state uses

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
        "Grey bands mark the shocks, from the week they start to the week they end; a comparison "
        "run is drawn dashed."
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

PARAMETER_NOTE = (
    "A setting you change restarts the run from week 0 with the new value. Values are exactly the "
    "preset's until you change them."
)

# The short "key parameters" group shown first: the ones a lecture usually turns.
KEY_PARAMETERS = ("n_citizens", "organic_share", "norm_strength", "confidence_bound", "social_workers_per_1000",
                  "weekly_hours")

EXPLAIN.update({
    "difference": (
        "This run's cohesion minus the comparison's, week by week. Above zero, this run holds "
        "together better. The shaded band is the range (10th to 90th percentile) of the same "
        "difference over a few other seeds at a smaller population, run in the background: a "
        "difference inside it could be chance."
    ),
    "crises": (
        "Durkheim's own variable: how many citizens a year fall into crisis, per 1,000. He saw "
        "it rise in sudden crashes and in sudden booms alike; the reference figures beside the "
        "chart are the ratios he reported (after / before) for real crisis years."
    ),
    "solidarity": (
        "Mechanical solidarity binds by likeness (how close beliefs are); organic solidarity by "
        "interdependence (exchange between different roles). The grey line is the society's "
        "mix: 0 purely mechanical, 1 purely organic."
    ),
    "distribution": (
        "How citizens are spread along Durkheim's two axes this week. Shaded ends are the "
        "pathological zones: too little or too much integration (egoism, altruism), too little "
        "or too much regulation (anomie, fatalism). Averages hide these tails."
    ),
    "spread": (
        "The same two axes over time: the line is the median citizen, the band holds the "
        "middle 80% of citizens. A band that stretches shows a society pulling apart."
    ),
    "groups": (
        "Durkheim's remedy for anomie: occupational groups (corporations) that give each trade "
        "its own rules and belonging."
    ),
    "social_work_effects": (
        "Anomie where social work acts, as 13-week means. Clients against matched non-clients (alike "
        "in patch, crisis history and risk when the case opened); group joiners against matched "
        "people who never joined (alike in sector, work, integration and regulation). Observational "
        "comparisons: people become clients because they are in trouble. For the causal effect, "
        "compare with this run without social work."
    ),
    "sectors": (
        "Regulation in each sector of the economy. Durkheim expected the weakest regulation in "
        "trade and industry, where economic life changes fastest."
    ),
})

# Questions a lecturer can ask about any run with a shock of this kind (the lesson panel).
SHOCK_QUESTIONS = {
    "industrialisation": "Why does a faster division of labour produce anomie before it produces organic solidarity?",
    "crash": "Durkheim found suicide rising in crashes: is the loss of means or the loss of norms the cause here?",
    "boom": "Why would sudden prosperity unsettle people as ruin does? Find it in the regulation chart.",
    "migration": "Newcomers reduce likeness. Does an organic society absorb them better than a mechanical one?",
    "austerity": "With fewer workers for the same needs, who falls through the gaps, and when does it show?",
    "isolation": "When ties are suspended, which of the four states grows, and does it recover when they return?",
    "authoritarian_turn": "Cohesion can stay high while everyone is fatalistic. What does cohesion fail to measure?",
}
GENERIC_QUESTIONS = (
    "Which of Durkheim's four states grows first after the shock, and which lasts longest?",
    "Would Durkheim call this society healthy at the end of the run? What would he look at?",
    "What can social work change here, and what is beyond its reach?",
)
GENERIC_TRIES = (
    "Compare with the same run without social work, and read the difference chart: is the effect outside the band?",
    "Compare with this run at a different organic share (one parameter changed): does the shock hit a mechanical "
    "society harder?",
    "Change the seed: which features of the run come back, and which were chance?",
    "Edit the shock timeline: move the shock later, make it slower (a longer ramp) or stronger.",
)


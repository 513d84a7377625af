"""Colours a colour-blind viewer can tell apart, and text that is readable in both themes.

The five state colours are simulated as a deuteranope and a protanope sees them (Machado,
Oliveira and Fernandes 2009, full severity) and compared with CIEDE2000, using the
colour-science library; any two must differ by at least 15 (about the distance at which
two line colours are told apart at a glance). Text colours must meet WCAG 2.1 AA (4.5:1).
"""

from __future__ import annotations

import itertools

import colour
import numpy as np
import pytest

from anomie.dashboard.charts import SECTOR_COLOURS, WHERE_IT_ACTS
from anomie.dashboard.texts import (APP_BAR_COLOURS, BACKGROUNDS, ERROR_COLOURS, INK, SHOCK_GREY, STATE_COLOURS, contrast,
                             text_colour)

MIN_DELTA_E = 15.0


def simulated_lab(hexes: list[str], deficiency: str) -> np.ndarray:
    """CIELab of the colours as seen with a colour-vision deficiency (Machado 2009, severity 1)."""
    rgb = np.array([colour.notation.HEX_to_RGB(h) for h in hexes])
    linear = colour.models.eotf_sRGB(rgb)
    if deficiency != "normal":
        matrix = colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0)
        linear = np.clip(linear @ matrix.T, 0, 1)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return colour.XYZ_to_Lab(xyz)


def min_delta_e(hexes: list[str], deficiency: str) -> float:
    lab = simulated_lab(hexes, deficiency)
    return min(float(colour.delta_E(lab[i], lab[j], method="CIE 2000"))
               for i, j in itertools.combinations(range(len(hexes)), 2))


@pytest.mark.parametrize("deficiency", ["normal", "Deuteranomaly", "Protanomaly"])
def test_state_colours_stay_apart(deficiency):
    assert min_delta_e(list(STATE_COLOURS.values()), deficiency) >= MIN_DELTA_E


def test_the_old_palette_would_have_failed():
    # the palette the issue measured: healthy and anomie 5.8 apart under deuteranopia
    old = ["#4d9221", "#2166ac", "#8c510a", "#d6604d", "#542788"]
    assert min_delta_e(old, "Deuteranomaly") < MIN_DELTA_E


def test_shock_markers_are_neutral_dashed_and_named():
    """Told apart from state lines by form, not colour alone: a grey under deuteranopia is close to the
    altruism colour (dE about 5), so shock lines are dashed and carry their name."""
    from anomie.dashboard.charts import CohesionChart
    from anomie.dashboard.session import RunSettings, build_model

    r, g, b = colour.notation.HEX_to_RGB(SHOCK_GREY)
    assert max(r, g, b) - min(r, g, b) < 1e-6  # no hue
    m = build_model(RunSettings(preset="crash", overrides={"n_citizens": 100}))
    chart = CohesionChart(m)
    markers = [line for line in chart.ax.get_lines() if line.get_color() == SHOCK_GREY]
    assert markers and all(line.get_linestyle() == "--" for line in markers)
    assert {t.get_text().strip() for t in chart.ax.texts} >= {s.label.lower() for s in m.spec.shocks}


def test_sector_colours_stay_apart():
    assert min_delta_e(list(SECTOR_COLOURS), "Deuteranomaly") >= MIN_DELTA_E


@pytest.mark.parametrize("deficiency", ["normal", "Deuteranomaly", "Protanomaly"])
def test_where_social_work_acts_colours_stay_apart(deficiency):
    """Clients, their matched non-clients, joiners, their matched non-members and everyone on one chart."""
    colours = [hex_colour for _, _, hex_colour, _, _ in WHERE_IT_ACTS]
    assert min_delta_e(colours, deficiency) >= MIN_DELTA_E
    for c in colours:
        assert contrast(text_colour(c), "#ffffff") >= 4.5  # their end labels


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_error_text_meets_wcag_aa_in_both_themes(theme):
    assert contrast(ERROR_COLOURS[theme], BACKGROUNDS[theme]) >= 4.5


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_app_bar_buttons_meet_wcag_aa_in_both_themes(theme):
    assert contrast("#ffffff", APP_BAR_COLOURS[theme]) >= 4.5
    assert contrast("#ffffff", "#2196f3") < 4.5  # Vuetify's own dark primary would not


def test_chart_text_meets_wcag_aa_on_the_charts_white():
    assert contrast(INK, "#ffffff") >= 4.5 and contrast(SHOCK_GREY, "#ffffff") >= 4.5
    for state in STATE_COLOURS.values():
        assert contrast(text_colour(state), "#ffffff") >= 4.5


def test_contrast_matches_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)

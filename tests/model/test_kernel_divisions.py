"""Every division in a compiled kernel has a denominator that cannot be zero.

The kernels use numpy's error model (model/jit.py): a division by zero would give inf or
NaN instead of raising. So each division in a kernel is listed here with the reason its
denominator stays above zero; a new or changed division fails this test until it is
audited and listed.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
FOLDERS = ("model", "agents", "scenarios", "experiments", "dashboard")

# (file, kernel, division as written) -> why the denominator is never zero
AUDITED = {
    ("agents/practice.py", "_endings", "done[i] / max(tasks[i], 1)"): "a floor of 1",
    ("model/beliefs.py", "rows_distance", "d2 / k"): "k beliefs, n_beliefs >= 1 (parameter range)",
    ("model/beliefs.py", "pair_distance", "d2 / k"): "k beliefs, n_beliefs >= 1 (parameter range)",
    ("model/beliefs.py", "_move", "total[i, c] * convergence_rate / m"): "m = max(meetings, 1)",
    ("model/beliefs.py", "_mean_distance_to_centre", "total / n"): "consensus returns before calling it with no citizens",
    ("model/citizen_week.py", "citizens_week", "row_sum(indptr, indices, cs_regulation, i) / degree[i]"):
        "only for a citizen with a tie (indptr[i + 1] > indptr[i])",
    ("model/economy.py", "means_change", "np.maximum(new_means, 1e-09) / np.maximum(old_means, 1e-09)"): "a floor of 1e-9",
    ("model/economy.py", "expectation_target", "np.maximum(fair_regulation - regulation, 0.0) / max(fair_regulation, 1e-09)"):
        "a floor of 1e-9",
    ("model/economy.py", "strain", "gap / np.maximum(expectations, 1e-09)"): "a floor of 1e-9",
    ("model/hazard.py", "crisis_hazard", "np.maximum(integration_mid - integration, 0.0) / max(integration_mid, 1e-09)"):
        "a floor of 1e-9",
    ("model/hazard.py", "crisis_hazard", "np.maximum(integration - integration_high, 0.0) / max(1.0 - integration_high, 1e-09)"):
        "a floor of 1e-9",
    ("model/hazard.py", "crisis_hazard", "np.maximum(regulation_mid - regulation, 0.0) / max(regulation_mid, 1e-09)"):
        "a floor of 1e-9",
    ("model/hazard.py", "crisis_hazard", "np.maximum(regulation - regulation_high, 0.0) / max(1.0 - regulation_high, 1e-09)"):
        "a floor of 1e-9",
    ("model/solidarity.py", "attachment", "degree / (degree + half_saturation)"):
        "tie_half_saturation >= 0.5 (parameter range) and degree >= 0",
    ("model/typology.py", "durkheim_state", "(i_low - integration) / i_low_room"): "typology_bands floors each room at 1e-9",
    ("model/typology.py", "durkheim_state", "(integration - i_high) / i_high_room"): "typology_bands floors each room at 1e-9",
    ("model/typology.py", "durkheim_state", "(r_low - regulation) / r_low_room"): "typology_bands floors each room at 1e-9",
    ("model/typology.py", "durkheim_state", "(regulation - r_high) / r_high_room"): "typology_bands floors each room at 1e-9",
}


def is_kernel(node: ast.FunctionDef) -> bool:
    return any((isinstance(d, ast.Name) and d.id == "kernel") or (isinstance(d, ast.Attribute) and d.attr == "kernel")
               for d in node.decorator_list)


def kernel_divisions() -> set[tuple[str, str, str]]:
    found = set()
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and is_kernel(node):
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.Div, ast.FloorDiv, ast.Mod)):
                            found.add((str(path.relative_to(ROOT)), node.name, ast.unparse(sub)))
    return found


def test_every_division_in_a_kernel_is_audited():
    found = kernel_divisions()
    new = sorted(found - set(AUDITED))
    assert not new, f"divisions in kernels not yet audited for a zero denominator (add them to AUDITED with the reason): {new}"


def test_the_audit_lists_no_division_that_is_gone():
    gone = sorted(set(AUDITED) - kernel_divisions())
    assert not gone, f"audited divisions no longer in the code (remove them): {gone}"


def test_the_scan_finds_kernels_and_their_divisions():
    found = kernel_divisions()
    assert ("model/citizen_week.py", "citizens_week", "row_sum(indptr, indices, cs_regulation, i) / degree[i]") in found
    assert len({kernel for _, kernel, _ in found}) >= 10

"""The model keeps freed array memory for the next week (model/allocation.py): a week's new
arrays reuse last week's pages instead of faulting in fresh ones from the kernel."""

from __future__ import annotations

import platform
import subprocess
import sys

from anomie.model.allocation import keep_freed_memory

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

# A week in miniature, thirty times: four arrays of 2 MiB made, written and freed. Prints the
# minor page faults the loop caused; argument 1 sets the allocator first.
WEEKS = """
import resource, sys
import numpy as np
if sys.argv[1] == "1":
    from anomie.model.allocation import keep_freed_memory
    assert keep_freed_memory()
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
before = faults()
for _ in range(30):
    arrays = [np.ones(2 * 1024 * 1024 // 8) for _ in range(4)]
    del arrays
print(faults() - before)
"""


def faults_of_the_weeks(set_allocator: bool) -> int:
    out = subprocess.run([sys.executable, "-c", WEEKS, "1" if set_allocator else "0"], capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_it_is_set_once_where_the_c_library_is_glibc():
    assert keep_freed_memory() is GLIBC
    assert keep_freed_memory() is GLIBC  # asking again changes nothing


def test_freed_arrays_are_reused_instead_of_faulted_in_afresh():
    # each round frees 8 MiB at the top of the heap; glibc by default hands it back and the
    # next round faults in 2,048 fresh pages; kept, the first round's pages serve all thirty
    default, kept = faults_of_the_weeks(False), faults_of_the_weeks(True) if GLIBC else None
    if GLIBC:
        assert default > 20 * 2048
        assert kept < 3 * 2048
    else:
        assert default >= 0  # nothing to set: the loop runs as it always did


def test_building_a_model_sets_it():
    code = (
        "import anomie.model.allocation as a\n"
        "from anomie.scenarios.loading import build_model\n"
        "assert a._done is None\n"  # importing sets nothing
        "build_model('baseline', seed=1, n_citizens=50)\n"
        "print(a._done)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(GLIBC)

"""A run's fingerprint: metrics, citizen arrays and ties after some weeks, to compare before and after a change.

    python -m bench.fingerprint save /tmp/before.npz
    python -m bench.fingerprint compare /tmp/before.npz      # exit 1 if anything differs

Runs several scenarios on all three network generators at a fixed seed, and one with many
social-work posts (the crash at 20,000 citizens: 40 posts over 150 weeks, so that workers
leave and their caseloads are reallocated). `compare` says
for each array whether it is bit-for-bit equal and, if not, the largest difference.
"""

from __future__ import annotations

import sys

import numpy as np

CASES = [
    ("industrialisation", "watts_strogatz", 2000, 120),
    ("industrialisation", "barabasi_albert", 1500, 80),
    ("migration", "erdos_renyi", 1500, 100),
    ("isolation", "watts_strogatz", 1500, 100),
    ("baseline", "barabasi_albert", 1000, 60),
    ("austerity", "erdos_renyi", 1000, 60),
    ("crash", "watts_strogatz", 20000, 150),
]


def fingerprint() -> dict[str, np.ndarray]:
    from anomie.scenarios.loading import build_model

    out: dict[str, np.ndarray] = {}
    for scen, net, n, weeks in CASES:
        m = build_model(scen, seed=11, n_citizens=n, network=net)
        m.run_for(weeks)
        tag = f"{scen}/{net}"
        df = m.dataframe()
        for col in df.columns:
            out[f"{tag}/metric/{col}"] = df[col].to_numpy(dtype=np.float64)
        for name, arr in m.citizens.arrays().items():
            out[f"{tag}/citizen/{name}"] = np.asarray(arr)
        out[f"{tag}/ties/u"], out[f"{tag}/ties/v"], out[f"{tag}/ties/draw"] = m.network.u, m.network.v, m.network.draw
    return out


def main() -> int:
    cmd, path = sys.argv[1], sys.argv[2]
    fp = fingerprint()
    if cmd == "save":
        np.savez(path, **{k.replace("/", "|"): v for k, v in fp.items()})
        print(f"saved {len(fp)} arrays to {path}")
        return 0
    ref = {k.replace("|", "/"): v for k, v in np.load(path).items()}
    differ = 0
    for k in ref:
        a, b = ref[k], fp.get(k)
        if b is None or a.shape != b.shape:
            print(f"{k}: shape {a.shape} vs {None if b is None else b.shape}")
            differ += 1
        elif not np.array_equal(a, b):
            diff = np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))
            print(f"{k}: differs, max |diff| {diff:.3g}")
            differ += 1
    print("bit-for-bit equal" if not differ else f"{differ} of {len(ref)} arrays differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

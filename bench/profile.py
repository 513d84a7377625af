"""Where a step's time goes: a pyinstrument profile of a few weeks at one size.

    python -m bench.profile --n 1000000 --steps 5 --warmup 52

The warm-up runs the model into the industrialisation shock (it starts in week 100), when
a few citizens leave the land and are uprooted every week; use `--warmup 110` for that. The output is pyinstrument's call tree; `--cpu` prints
cProfile's functions by their own CPU time instead, which a busy machine distorts less.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=52)
    ap.add_argument("--cpu", action="store_true", help="cProfile by CPU time instead of pyinstrument")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()

    from anomie.scenarios.loading import build_model

    t0 = time.perf_counter()
    m = build_model("industrialisation", seed=1, n_citizens=a.n)
    print(f"construction: {time.perf_counter() - t0:.2f} s")
    for _ in range(a.warmup):
        m.step()
    c0, t0 = time.process_time(), time.perf_counter()
    if a.cpu:
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(a.steps):
            m.step()
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(a.top)
        print(buf.getvalue())
    else:
        from pyinstrument import Profiler

        prof = Profiler(interval=0.001)
        prof.start()
        for _ in range(a.steps):
            m.step()
        prof.stop()
        print(prof.output_text(unicode=False, show_all=False))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{a.n:,} citizens: {wall / a.steps:.3f} s per step (wall), {cpu / a.steps:.3f} s (CPU of this process)")


if __name__ == "__main__":
    main()

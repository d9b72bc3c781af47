"""Timings of the full-information analyses of chapter 7. Prints the best of several repeats.

Targets: one (T, L, t) magnetic-moment limit with two nuisances profiled under 100 ms (the
prediction itself is built once per experiment and binning); a 200 x 200 sterile grid with
(L, T) under 1 s (the distance-response Monte Carlo is built once, as for the L-only fit); the
whole chapter (notebooks/07_full_information.ipynb) executed in a fresh kernel under 30 s.
``--no-chapter`` skips the last.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

CHAPTER = Path(__file__).resolve().parents[1] / "notebooks" / "07_full_information.ipynb"


def best_of(fn, repeat=5, number=1):
    """Best wall-clock time per call, and the CPU time of that repeat (less sensitive to other
    jobs on a shared machine)."""
    best = (np.inf, np.inf)
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(number):
            fn()
        wall, cpu = (time.perf_counter() - t0) / number, (time.process_time() - c0) / number
        best = min(best, (wall, cpu))
    return best


def report(name, seconds, target=None):
    wall, cpu = seconds if isinstance(seconds, tuple) else (seconds, None)
    tgt = "" if target is None else f"   (target < {target * 1e3:.0f} ms: {'ok' if wall < target else 'SLOW'})"
    cpu_txt = "" if cpu is None else f" (cpu {cpu * 1e3:8.2f} ms)"
    print(f"{name:62s} {wall * 1e3:10.2f} ms{cpu_txt}{tgt}")


def main():
    from lxenu.analyses.full_information import MagneticMomentFullFit, SterileFullFit
    from lxenu.experiment.experiment import Experiment
    from lxenu.predict.binned import FullInformationPrediction

    exp = Experiment()
    print("magnetic moment, (T, L, t): 0.1 keV x 10 cm x 10 d bins")
    t0, c0 = time.perf_counter(), time.process_time()
    pred = FullInformationPrediction(exp, "TLt")
    _ = pred.signal, pred.magnetic, pred.backgrounds
    report("prediction (T, L, t), first build (cold caches)", (time.perf_counter() - t0, time.process_time() - c0))
    report(
        "prediction (T, L, t), again (spectra and response cached)",
        best_of(lambda: FullInformationPrediction(exp, "TLt").backgrounds, 3),
    )
    print(f"{'':62s} {pred.signal.size} bins")
    both_free = MagneticMomentFullFit.from_prediction(pred, signal_norm_sigma=None, background_norm_sigma=None)
    both_free.limit()
    report("one limit, signal and background normalisations free", best_of(both_free.limit, 5), 0.100)
    priors = MagneticMomentFullFit.from_prediction(pred, signal_norm_sigma=0.0023, background_norm_sigma=0.01)
    report("one limit, both normalisations with priors", best_of(priors.limit, 5), 0.100)
    split = FullInformationPrediction(exp, "TLt", background_groups="xe136")
    three = MagneticMomentFullFit.from_prediction(split, signal_norm_sigma=None, background_norm_sigma=None)
    report("one limit, three normalisations free (signal, 136Xe, rest)", best_of(three.limit, 3))
    t_only = MagneticMomentFullFit(exp, signal_norm_sigma=None, background_norm_sigma=None)
    t_only.limit()
    report("expected band from 100 toys, T only, both free", best_of(lambda: t_only.expected_band(100, 1), 1))

    print("sterile, (L, T): 3 cm x 25 keV bins")
    sterile = SterileFullFit(exp, "LT")
    t0 = time.perf_counter()
    _ = sterile.response  # build the Monte Carlo response once, timed
    report("distance response (1e6 Monte Carlo events), once", time.perf_counter() - t0)
    s = np.linspace(0.0, 1.0, 200)
    m = np.geomspace(0.01, 100.0, 200)
    sterile.chi2_grid(s, m)
    report("200 x 200 grid, signal free + 0.5 % background prior", best_of(lambda: sterile.chi2_grid(s, m), 5), 1.0)
    split = SterileFullFit(exp, "LT", background_groups="xe136", background_norm_sigma=None, response=sterile.response)
    split.chi2_grid(s, m)
    report("200 x 200 grid, signal, 136Xe and rest free", best_of(lambda: split.chi2_grid(s, m), 5), 1.0)
    report("sensitivity at 50 dm2 values", best_of(lambda: sterile.sensitivity(np.geomspace(0.1, 20, 50)), 3))
    if "--no-chapter" not in sys.argv:
        chapter()


def chapter():
    """Execute chapter 7 in a fresh kernel (as nbval and `make notebooks` do), once."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.read(CHAPTER, as_version=4)
    ep = ExecutePreprocessor(timeout=600, kernel_name="python3")
    print("chapter 7, executed in a fresh kernel (includes start-up and imports)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    ep.preprocess(nb, {"metadata": {"path": str(CHAPTER.parent)}})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    report(f"{CHAPTER.name}, {sum(c.cell_type == 'code' for c in nb.cells)} code cells", (wall, cpu), 30.0)


if __name__ == "__main__":
    main()

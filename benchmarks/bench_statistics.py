"""Timings of chapter 8's statistics (issue 15). Run: `.venv/bin/python benchmarks/bench_statistics.py`.

Targets: the Feldman–Cousins critical-value map on >= 50 x 50 points with >= 1,000 toys per
point in under 5 minutes on 2 cores; `fc_sensitivity` at three Delta m^2 with 300 toys (what
`lxenu sterile --method fc --dm2 1 2 5 --toys 300` runs, set-up included) in under 30 s.
Pass --quick to skip the full map.
"""

from __future__ import annotations

import sys
import time


def report(name, seconds, target=None):
    tgt = "" if target is None else f"   (target < {target:.0f} s: {'ok' if seconds < target else 'SLOW'})"
    print(f"{name:62s} {seconds:9.2f} s{tgt}")


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv):
    from lxenu.analyses.magnetic_moment import MagneticMomentFit
    from lxenu.analyses.sterile import SterileFit
    from lxenu.experiment.experiment import Experiment
    from lxenu.stats import coverage as cv
    from lxenu.stats import feldman_cousins as fc

    def cli_like():
        fit = SterileFit.for_experiment(Experiment())
        return fc.fc_sensitivity(fit, [1.0, 2.0, 5.0], n_toys=300, seed=1998)

    res, t = timed(cli_like)
    report("fc_sensitivity, dm2 = 1, 2, 5 eV^2, 300 toys (with set-up)", t, 30)
    fit = SterileFit.for_experiment(Experiment())
    _ = fit.response  # build the Monte Carlo response once
    if "--quick" not in argv:
        s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
        _, t = timed(lambda: fc.fc_critical_values(fit, s, m, 1000, 1998, cache=False, workers=2))
        report("FC critical-value map, 50 x 50 points x 1,000 toys, 2 processes", t, 300)
    mfit = MagneticMomentFit(Experiment(), convention="one_sided")
    mfit.spectra(2.0)
    _, t = timed(lambda: cv.limit_coverage(mfit, [0.0, 3e-12, 5e-12, 8e-12], n_toys=1000))
    report("mu_nu coverage, 4 true moments x 1,000 toys", t)
    _, t = timed(lambda: cv.limit_coverage(mfit, [0.0, 3e-12, 5e-12, 8e-12], n_toys=1000, method="cls"))
    report("mu_nu CLs coverage, 4 true moments x 1,000 toys", t)


if __name__ == "__main__":
    main(sys.argv[1:])

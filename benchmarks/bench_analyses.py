"""Timings of the analyses (run with `make benchmark`). Prints the best of several repeats.

Targets (issues #2, #4, #5): `lxenu summary` in a few seconds; one magnetic-moment limit
well under 50 ms and a 30-point threshold scan under 1 s; an explorer update well under
0.1 s; the sterile distance response (>= 1e6 Monte Carlo events) under 2 s and a
200 x 200 grid with both nuisances profiled under 0.2 s.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np


def best_of(fn, repeat=5, number=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def report(name, seconds, target=None):
    tgt = "" if target is None else f"   (target < {target * 1e3:.0f} ms: {'ok' if seconds < target else 'SLOW'})"
    print(f"{name:58s} {seconds * 1e3:10.2f} ms{tgt}")


def main():
    from lxenu.analyses.magnetic_moment import MagneticMomentFit
    from lxenu.analyses.sterile import SterileFit
    from lxenu.experiment.experiment import Experiment
    from lxenu.predict.distance_response import build_distance_response
    from lxenu.report.widgets import MagneticMomentExplorer

    exp = Experiment()
    print("magnetic moment")
    report("fit set-up (response sums, once per experiment)", best_of(lambda: MagneticMomentFit(exp).spectra(2.0), 3))
    fit = MagneticMomentFit(exp, convention="one_sided")
    fit.spectra(2.0)
    report("one limit at 2 keV", best_of(lambda: fit.limit(2.0), 5, 20), 0.050)
    report("one limit at 2.05 keV (threshold between grid edges)", best_of(lambda: fit.limit(2.05), 5, 20), 0.050)
    thresholds = np.linspace(0.5, 10.0, 30)
    report("30-point threshold scan", best_of(lambda: fit.threshold_scan(thresholds), 5), 1.0)
    explorer = MagneticMomentExplorer(fit)
    report("explorer update (spectrum + limit)", best_of(lambda: explorer.compute(3.0, 7.0, 120.0, 2), 5, 20), 0.1)
    import io

    fig, artists = explorer.figure()

    def redraw_and_render():
        explorer.redraw(artists, 3.0, 7.0, 120.0, 2)
        fig.savefig(io.BytesIO(), format="png")

    report("explorer update with figure redraw to PNG (what the widget shows)", best_of(redraw_and_render, 5), 0.1)
    report("500 pseudo-experiment limits", best_of(lambda: fit.pseudo_experiment_limits(500), 2))

    print("sterile neutrinos")
    report(
        "distance response, 1e6 Monte Carlo events",
        best_of(lambda: build_distance_response(exp.detector, exp.source.shape, n_events=1_000_000), 3),
        2.0,
    )
    sterile = SterileFit.for_experiment(exp)
    s = np.geomspace(1e-3, 1.0, 200)
    m = np.geomspace(0.01, 100.0, 200)
    sterile.chi2_grid(s, m)
    report("200 x 200 grid, both nuisances profiled", best_of(lambda: sterile.chi2_grid(s, m), 5), 0.2)
    report("sensitivity at 5 dm2 values (root finding)", best_of(lambda: sterile.sensitivity([0.5, 1, 2, 5, 10]), 3))

    print("command line (including interpreter start-up)")
    report(
        "python -m lxenu summary --json",
        best_of(
            lambda: subprocess.run(
                [sys.executable, "-m", "lxenu", "summary", "--json"], check=True, capture_output=True
            ),
            3,
        ),
        5.0,
    )


if __name__ == "__main__":
    main()

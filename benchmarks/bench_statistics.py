"""Timings of chapter 8's statistics (issue 15). Run: `.venv/bin/python benchmarks/bench_statistics.py`.

Targets (each measured here, ``make benchmark`` included):

* the Feldman–Cousins critical-value map on 50 x 50 points with 1,000 toys per point (the
  profile construction of the committed maps, 2 processes) in under 5 minutes on 2 cores;
* ``lxenu sterile --method fc --dm2 1 2 5 --toys 300`` — the command itself, as a subprocess,
  start-up included — in under 30 s;
* chapter 8 (notebooks/08_statistics.ipynb) executed from the committed maps in under 60 s.

``--quick`` (what ``make benchmark`` passes) skips only the untargeted mu_nu coverage timings;
``--no-map`` skips the map (a development shortcut: it leaves the 5-minute target unmeasured).
The load average is printed with the timings: other processes on the two cores slow every wall-clock
number. The CPU seconds used (by this process and its children) are printed beside each: divided by the
processes used, they are what the wall time would be on two free cores.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def report(name, timing, target=None):
    seconds, cpu = timing
    tgt = "" if target is None else f"   (target < {target:.0f} s: {'ok' if seconds < target else 'SLOW'})"
    print(f"{name:66s} {seconds:8.1f} s wall {cpu:8.1f} s CPU{tgt}", flush=True)


def _cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn):
    t0, c0 = time.perf_counter(), _cpu()
    out = fn()
    return out, (time.perf_counter() - t0, _cpu() - c0)


def run_command(args):
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main(argv):
    quick = "--quick" in argv
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    _, t = timed(
        lambda: run_command([str(BIN / "lxenu"), "sterile", "--method", "fc", "--dm2", "1", "2", "5", "--toys", "300"])
    )
    report("lxenu sterile --method fc --dm2 1 2 5 --toys 300 (subprocess)", t, 30)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "08_statistics.ipynb"
        cmd = [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=600",
            "--output",
            str(out),
            str(ROOT / "notebooks" / "08_statistics.ipynb"),
        ]
        _, t = timed(lambda: run_command(cmd))
    report("chapter 8 executed from the committed maps (nbconvert)", t, 60)

    from lxenu.analyses.sterile import SterileFit
    from lxenu.experiment.experiment import Experiment
    from lxenu.stats import feldman_cousins as fc

    if "--no-map" not in argv:
        fit = SterileFit.for_experiment(Experiment())
        _ = fit.response  # build the Monte Carlo response once
        s, m = fc.default_s_grid(50), fc.default_dm2_grid(50)
        _, t = timed(lambda: fc.fc_critical_values(fit, s, m, 1000, 1998, cache=False, workers=2))
        report("FC critical-value map, 50 x 50 points x 1,000 toys, 2 processes", t, 300)

    if not quick:
        from lxenu.analyses.magnetic_moment import MagneticMomentFit
        from lxenu.stats import coverage as cv

        mfit = MagneticMomentFit(Experiment(), convention="one_sided")
        mfit.spectra(2.0)
        _, t = timed(lambda: cv.limit_coverage(mfit, [0.0, 3e-12, 5e-12, 8e-12], n_toys=1000))
        report("mu_nu coverage, 4 true moments x 1,000 toys", t)
        _, t = timed(lambda: cv.limit_coverage(mfit, [0.0, 3e-12, 5e-12, 8e-12], n_toys=1000, method="cls"))
        report("mu_nu CLs coverage, 4 true moments x 1,000 toys", t)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])

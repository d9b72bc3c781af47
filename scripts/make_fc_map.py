"""Regenerate the Feldman–Cousins critical-value map of the book's default configuration.

    .venv/bin/python scripts/make_fc_map.py                       # the paper's benchmark
    .venv/bin/python scripts/make_fc_map.py --config depleted      # 90 % depleted 136Xe
    .venv/bin/python scripts/make_fc_map.py --config five-depleted # and five deployments
    .venv/bin/python scripts/make_fc_map.py --construction nominal # toys at a = b = 0 (comparison)
    .venv/bin/python scripts/make_fc_map.py --toys 200 --out /tmp  # a quick, smaller map

Configurations (chapters 5, 6 and 8): ``benchmark`` is ``Experiment()``; ``depleted`` is
``Experiment().with_options(xe136_depletion=0.9)``; ``five-depleted`` adds ``deployments=5``;
each analysed with ``SterileFit.for_experiment`` (shape only, 0.5 % background prior). Maps are on
a 50 x 50 grid (sin^2 2theta 0.01-1, Delta m^2 0.1-100 eV^2, log-spaced), 1,000 toys per point,
seed 1998, 95 % CL, the global minimum over Delta m^2 on ``default_profile_grid()``, and FC's
profile construction (toys at the nuisances' conditional best fit to the no-oscillation Asimov data,
auxiliary measurements fluctuated; ``--construction nominal`` draws them at a = b = 0 instead).
The file name carries the hash of all these inputs, so a changed experiment or analysis is never
served a stale map (``fc_critical_values`` then computes and caches a new one).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lxenu.analyses.sterile import SterileFit
from lxenu.experiment.experiment import Experiment
from lxenu.stats import feldman_cousins as fc

#: Experiment options of the configurations whose maps the book reads.
CONFIGS = {
    "benchmark": {},
    "depleted": {"xe136_depletion": 0.9},
    "five-depleted": {"deployments": 5, "xe136_depletion": 0.9},
}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--toys", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1998)
    p.add_argument("--n-s", type=int, default=50)
    p.add_argument("--n-m", type=int, default=50)
    p.add_argument("--cl", type=float, default=0.95)
    p.add_argument("--out", type=Path, default=fc.PACKAGE_DATA_DIR)
    p.add_argument("--config", choices=sorted(CONFIGS), default="benchmark")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--construction", choices=fc.CONSTRUCTIONS, default="profile")
    a = p.parse_args(argv)
    fit = SterileFit.for_experiment(Experiment().with_options(**CONFIGS[a.config]))
    s, m = fc.default_s_grid(a.n_s), fc.default_dm2_grid(a.n_m)
    t0 = time.perf_counter()
    crit = fc.fc_critical_values(
        fit, s, m, a.toys, a.seed, a.cl, cache=False, workers=a.workers, construction=a.construction
    )
    elapsed = time.perf_counter() - t0
    name = fc.map_file_name(fit, s, m, a.toys, a.seed, a.cl, construction=a.construction)
    key = name[3:-4]
    path = fc.save_map(a.out / name, crit, s, m, a.toys, a.seed, a.cl, key, a.construction)
    print(
        f"{path} ({a.config}, {a.construction}): {crit.shape} critical values, {a.toys} toys per point, {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()

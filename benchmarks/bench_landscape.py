"""Timings of chapter 9's landscape and design explorer against targets.

Usage: python benchmarks/bench_landscape.py
"""

import time

from lxenu.analyses.landscape import project
from lxenu.report.explorer import load_explorer_data, mu_limit, sterile_reach

TARGETS_S = {
    "project(paper2014, cr51), both analyses": 6.0,
    "project(xlzd, ar37), both analyses": 8.0,
    "explorer mu_limit (Python)": 0.01,
    "explorer sterile_reach (Python, 31 dm2)": 0.2,
}


def timed(fn, repeat=1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t0) / repeat


def main():
    data = load_explorer_data()
    cfg = data["configs"]["xenonnt/cr51"]
    results = {
        "project(paper2014, cr51), both analyses": timed(lambda: project("paper2014", "cr51")),
        "project(xlzd, ar37), both analyses": timed(lambda: project("xlzd", "ar37")),
        "explorer mu_limit (Python)": timed(lambda: mu_limit(cfg, 1.0, 5.0, 2, 0.5), repeat=20),
        "explorer sterile_reach (Python, 31 dm2)": timed(lambda: sterile_reach(cfg, 5.0, 2, 0.5), repeat=5),
    }
    for name, t in results.items():
        target = TARGETS_S[name]
        print(f"{name:45s} {t:8.4f} s   target {target:6.3f} s   {'ok' if t <= target else 'SLOW'}")


if __name__ == "__main__":
    main()

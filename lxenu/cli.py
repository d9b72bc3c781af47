"""Command line: ``python -m lxenu`` (also installed as ``lxenu``).

Sub-commands
------------
summary   the paper's headline numbers next to ours (``--json`` for one JSON object)
sterile   the 95 % CL sin^2(2 theta) reach at given dm2 values (``--json``)
scan      the magnetic-moment limit against threshold (``--json``)
scorecard every number in the paper's text next to ours (Markdown table, or ``--json``)
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np


class _Parser(argparse.ArgumentParser):
    """argparse with one-line error messages."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _experiment_options(p: argparse.ArgumentParser):
    p.add_argument("--source-mci", type=float, default=None, help="initial source activity, MCi (paper: 5)")
    p.add_argument("--days", type=float, default=None, help="run length per deployment, days (paper: 100)")
    p.add_argument("--deployments", type=int, default=None, help="number of deployments (paper: 1; sect. 4: 5)")
    p.add_argument("--gap-m", type=float, default=None,
                   help="source to the bottom of the fiducial volume, m (paper: 1)")
    p.add_argument("--xe136-depletion", type=float, default=None,
                   help="fraction of 136Xe removed, 0..1 (paper: 0, natural xenon)")


def _experiment(args):
    from .experiment import Experiment

    return Experiment().with_options(source_mci=args.source_mci, days=args.days, deployments=args.deployments,
                                     gap_m=args.gap_m, xe136_depletion=args.xe136_depletion)


def _clean(x):
    if x is None:
        return None
    if isinstance(x, (float, np.floating)) and not math.isfinite(float(x)):
        return None
    return float(x) if isinstance(x, (np.floating, float)) else x


def cmd_summary(args) -> int:
    from .summary import compute_summary, format_table

    result = compute_summary(_experiment(args), threshold_keV=args.threshold_kev)
    if args.json:
        print(json.dumps({k: _clean(v) for k, v in result.items()}))
    else:
        print(format_table(result))
    return 0


def cmd_sterile(args) -> int:
    from .sterile import SterileFit

    dm2 = np.array(args.dm2 if args.dm2 else [0.5, 1.0, 2.0, 5.0, 10.0], dtype=float)
    fit = SterileFit.for_experiment(_experiment(args), norm_sigma=args.norm_sigma)
    reach = fit.sensitivity(dm2)
    if args.json:
        print(json.dumps({"dm2": [float(m) for m in dm2], "sin2_2theta_min": [_clean(r) for r in reach]}))
    else:
        print(f"{'dm2 [eV^2]':>12s} {'sin^2 2theta (95% CL, 2 dof)':>30s}")
        for m, r in zip(dm2, reach):
            print(f"{m:12.4g} {('none' if not np.isfinite(r) else f'{r:.4f}'):>30s}")
    return 0


def cmd_scan(args) -> int:
    from .magnetic_moment import MagneticMomentFit

    thresholds = np.array(args.thresholds_kev, dtype=float)
    fit = MagneticMomentFit(_experiment(args), convention="one_sided")
    limits = fit.threshold_scan(thresholds)
    if args.json:
        print(json.dumps({"threshold_keV": thresholds.tolist(), "mu_limit": limits.tolist()}))
    else:
        print(f"{'threshold [keV]':>16s} {'mu_nu limit [mu_B]':>20s}")
        for t, lim in zip(thresholds, limits):
            print(f"{t:16.3g} {lim:20.4g}")
    return 0


def cmd_scorecard(args) -> int:
    from .scorecard import scorecard_markdown, scorecard_rows

    rows = scorecard_rows()
    if args.json:
        print(json.dumps([{"quantity": r.quantity, "section": r.section, "paper": r.paper,
                           "ours": _clean(r.ours),
                           "ratio": r.ratio, "within": r.within, "kind": r.kind} for r in rows], default=str))
    else:
        print(scorecard_markdown(rows))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lxenu", description="51Cr source + liquid-xenon detector: the paper's numbers, computed.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("summary", help="headline numbers next to the paper's")
    _experiment_options(p)
    p.add_argument("--threshold-kev", type=float, default=2.0, help="recoil threshold, keV (paper: 2)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("sterile", help="sterile-neutrino reach at given dm2")
    _experiment_options(p)
    p.add_argument("--dm2", type=float, nargs="+", default=None, metavar="V", help="dm2 values, eV^2")
    p.add_argument("--norm-sigma", type=float, default=None,
                   help="Gaussian prior on the signal normalisation (default: free, shape only)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_sterile)

    p = sub.add_parser("scan", help="magnetic-moment limit against threshold")
    _experiment_options(p)
    p.add_argument("--thresholds-kev", type=float, nargs="+", default=[1.0, 2.0, 3.0, 5.0, 10.0], metavar="T")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("scorecard", help="every number of the paper next to ours")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_scorecard)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except ValueError as err:
        print(f"lxenu: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

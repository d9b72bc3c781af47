"""Command line: ``lxenu`` (also ``python -m lxenu``).

Sub-commands
------------
summary      the headline numbers, next to the paper's where the set-up is the paper's (``--json``)
mu           the magnetic-moment limit from (T, L, t) with normalisation assumptions (``--json``, ``--band``)
sterile      the sin^2(2 theta) reach at given dm2 values, from L or (L, T) (``--json``)
scan         the magnetic-moment limit against threshold (``--json``)
experiment   print a fully resolved experiment as TOML (``--list`` lists the presets)
scorecard    every number of the paper next to ours (Markdown table, or ``--json``)

Every analysis sub-command takes ``--experiment NAME|FILE`` (default ``paper2014``),
``--source NAME|FILE`` and repeatable ``--set KEY=VALUE`` with dotted keys into the
experiment file (``--set detector.height_m=2 --set backgrounds.xe136.depletion=0.9``);
the short flags (``--source-mci``, ``--days`` …) are aliases of such keys. A bad value
gives one line naming the flag, the value and the allowed range, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tomllib
import warnings
from contextlib import contextmanager

import numpy as np

from .analyses.full_information import MagneticMomentFullFit, SterileFullFit
from .analyses.magnetic_moment import MagneticMomentFit
from .analyses.sterile import SterileFit
from .analyses.summary import compute_summary, format_table
from .experiment.analysis import MAX_NORM_SIGMA
from .experiment.experiment import Experiment, experiment_presets, read_experiment_table
from .experiment.source import LineSource, load_source_table, source_presets
from .report.scorecard import scorecard_markdown, scorecard_rows
from .stats.feldman_cousins import fc_sensitivity
from .validation import check_integer, check_range

#: Largest dm2 accepted on the command line, eV^2: beyond ~100 eV^2 the pattern averages out in
#: any centimetre-resolution detector, and 1e6 is a typing error.
MAX_DM2_EV2 = 1e6

#: Short flags and the experiment-file keys they set: (flag, dest, key, type, help).
ALIASES = (
    (
        "--source-mci",
        "source_mci",
        "source.activity_MCi",
        float,
        "initial source activity, MCi, in (0, 1000] (default: the experiment's, 5 for paper2014)."
        " Example: --source-mci 10",
    ),
    (
        "--days",
        "days",
        "run.days",
        float,
        "data-taking days per deployment, in [0.01, 1e5] (default: the experiment's, 100 for paper2014)."
        " Example: --days 200",
    ),
    (
        "--deployments",
        "deployments",
        "run.deployments",
        int,
        "number of source deployments, 1-1000 (default: the experiment's, 1 for paper2014; the paper's sect. 4: 5)."
        " Example: --deployments 5",
    ),
    (
        "--gap-m",
        "gap_m",
        "detector.gap_m",
        float,
        "source centre to the fiducial volume, m, in (0, 1000] (default: the experiment's, 1 for paper2014)."
        " Example: --gap-m 1.5",
    ),
    (
        "--xe136-depletion",
        "xe136_depletion",
        "backgrounds.xe136.depletion",
        float,
        "fraction of 136Xe removed, in [0, 1] (default: the experiment's, 0 = natural xenon)."
        " Example: --xe136-depletion 0.9",
    ),
)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line error messages."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parse_value(text: str):
    """A --set value as TOML (numbers, true/false, lists, quoted strings); bare words stay strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _set_dotted(table: dict, key: str, value, flag: str) -> None:
    parts = key.split(".")
    if any(not p for p in parts) or len(parts) < 2:
        raise ValueError(f"{flag}: the key must be SECTION.KEY (e.g. detector.height_m); got {key!r}")
    node = table
    for p in parts[:-1]:
        child = node.setdefault(p, {})
        if not isinstance(child, dict):
            raise ValueError(f"{flag}: {'.'.join(parts[:-1])} is not a table in the experiment file")
        node = child
    node[parts[-1]] = value


def _source_table(name_or_path: str) -> dict:
    """The resolved source table of a preset or a source file (checked on its own, so that an
    error names the source file, not the experiment)."""
    flag = f"--source {name_or_path}"
    if name_or_path in source_presets():
        return LineSource.from_preset(name_or_path).to_dict()
    if os.path.isfile(name_or_path):
        with open(name_or_path, "rb") as fh:
            try:
                table = tomllib.load(fh)
            except tomllib.TOMLDecodeError as err:
                raise ValueError(f"{flag}: not valid TOML: {err}") from None
        if "preset" in table:
            table = {**load_source_table(str(table.pop("preset"))), **table}
        return LineSource.from_dict(table, where=flag).to_dict()
    raise ValueError(
        f"--source must be one of the presets {sorted(source_presets())} or an existing .toml file; "
        f"got {name_or_path!r}"
    )


def experiment_from_args(args) -> Experiment:
    """The experiment the options describe (see :func:`experiment_and_header`)."""
    return experiment_and_header(args)[0]


def experiment_and_header(args) -> tuple[Experiment, str]:
    """The experiment the options describe: file, then --source, then --set, then the short flags;
    and one line naming it as the user gave it: the preset (with its description) or the file, and
    the options that changed it (the description no longer applies then).

    Each change is checked as it is applied, so an error names the flag that caused it.
    """
    with _flag("--experiment", "experiment"):
        raw, label = read_experiment_table(args.experiment)
    # every change applies to the fully resolved experiment, so that setting one key of a
    # section the file leaves out (a file without [backgrounds], say) keeps the other defaults
    table = Experiment.from_dict(raw, where=label).to_dict()
    changes = []
    if args.source is not None:
        changes.append((f"--source {args.source}", "source", _source_table(args.source)))
    for item in args.set or []:
        if "=" not in item:
            raise ValueError(f"--set takes KEY=VALUE (e.g. detector.height_m=2); got {item!r}")
        key, text = item.split("=", 1)
        changes.append((f"--set {key.strip()}", key.strip(), _parse_value(text.strip())))
    for flag, dest, key, _, _ in ALIASES + getattr(args, "extra_aliases", ()):
        value = getattr(args, dest, None)
        if value is not None:
            changes.append((f"{flag} {value}", key, value))
    moment = getattr(args, "solar_moment", None)
    if moment is not None:
        flag = f"--solar-moment {moment}"
        changes.append((flag, "backgrounds.solar.moment_in_fit", moment != "none"))
        if moment != "none":
            changes.append((flag, "backgrounds.solar.flavours_with_moment", moment))
    for flag, key, value in changes:
        if key == "source":
            table["source"] = value
        else:
            _set_dotted(table, key, value, flag)
        try:
            Experiment.from_dict(table, where=label)
        except ValueError as err:
            raise ValueError(f"{flag}: {err}") from None
    exp = Experiment.from_dict(table, where=label)
    header = f"experiment: {label.removesuffix('.toml') if args.experiment in experiment_presets() else label}"
    if changes:
        shown = [f"{flag}={value}" if flag.startswith("--set ") else flag for flag, _, value in changes]
        header += f", changed by {', '.join(shown)}"
    elif exp.description:
        header += f" ({exp.description})"
    return exp, header


@contextmanager
def _flag(flag: str, name: str):
    """Re-raise a ValueError that names the internal parameter under the flag the user wrote."""
    try:
        yield
    except ValueError as err:
        text = str(err)
        if not text.startswith(name):
            raise
        raise ValueError(flag + text[len(name) :]) from None


def _clean(x):
    if x is None:
        return None
    if isinstance(x, (float, np.floating)) and not math.isfinite(float(x)):
        return None
    return float(x) if isinstance(x, (np.floating, float)) else x


def cmd_summary(args) -> int:
    exp, header = experiment_and_header(args)
    result = compute_summary(exp)
    if args.json:
        print(json.dumps({k: _clean(v) for k, v in result.items()}))
    else:
        print(header)
        print(format_table(result, exp))
    return 0


def cmd_sterile(args) -> int:
    exp, header = experiment_and_header(args)
    dm2 = np.array(args.dm2 if args.dm2 else [0.5, 1.0, 2.0, 5.0, 10.0], dtype=float)
    if args.method == "fc" and args.observables != "L":
        raise ValueError("--method fc works with --observables L (the Feldman-Cousins map is built for the L fit)")
    _toy_options(args, uses_toys=args.method == "fc", what="--method fc", toys=300, seed=1998)
    check_range("--dm2", dm2, 0.0, MAX_DM2_EV2, low_inclusive=False, unit="eV^2")
    fit = SterileFit.for_experiment(exp) if args.observables == "L" else SterileFullFit(exp, observables="LT")
    if args.method == "fc":
        reach = fc_sensitivity(
            fit,
            dm2,
            n_toys=check_integer("--toys", args.toys, 50, 100_000),
            seed=check_integer("--seed", args.seed, 0),
        )["fc"]
    else:
        reach = fit.sensitivity(dm2)
    if args.json:
        print(json.dumps({"dm2": [float(m) for m in dm2], "sin2_2theta_min": [_clean(r) for r in reach]}))
    else:
        cl = 100 * fit.confidence_level
        method = "Feldman-Cousins" if args.method == "fc" else "Wilks, 2 dof"
        print(f"{header}; observables {args.observables}")
        print(f"{'dm2 [eV^2]':>12s} {f'sin^2 2theta ({cl:g}% CL, {method})':>36s}")
        for m, r in zip(dm2, reach):
            print(f"{m:12.4g} {('no exclusion' if not np.isfinite(r) else f'{r:.4f}'):>36s}")
    return 0


def _norm_sigma(flag: str, text: str):
    """A normalisation assumption from the command line: 'free' or a Gaussian width >= 0 (0 = known)."""
    if text == "free":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{flag} must be a number >= 0 (0 = known) or 'free'; got {text!r}") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_NORM_SIGMA:
        raise ValueError(f"{flag} must be a number in [0, {MAX_NORM_SIGMA:g}] (0 = known) or 'free'; got {text!r}")
    return value


def _toy_options(args, uses_toys: bool, what: str, toys: int, seed: int) -> None:
    """Fill in --toys and --seed, which only the toy-based option uses; given without it, an error."""
    given = [flag for flag, value in (("--toys", args.toys), ("--seed", args.seed)) if value is not None]
    if given and not uses_toys:
        raise ValueError(f"{' and '.join(given)} only appl{'y' if len(given) > 1 else 'ies'} with {what}")
    args.toys = toys if args.toys is None else args.toys
    args.seed = seed if args.seed is None else args.seed


def cmd_mu(args) -> int:
    exp, header = experiment_and_header(args)
    _toy_options(args, uses_toys=args.band, what="--band", toys=200, seed=20141104)
    signal = _norm_sigma("--signal-norm-sigma", args.signal_norm_sigma)
    background = _norm_sigma("--background-norm-sigma", args.background_norm_sigma)
    fit = MagneticMomentFullFit(
        exp, observables=args.observables, signal_norm_sigma=signal, background_norm_sigma=background
    )
    limit = fit.limit()
    out = {
        "mu_limit": _clean(limit),
        "observables": fit.observables,
        "signal_norm_sigma": "free" if signal is None else signal,
        "background_norm_sigma": "free" if background is None else background,
    }
    if args.band:
        band = fit.expected_band(
            n=check_integer("--toys", args.toys, 10, 100_000), seed=check_integer("--seed", args.seed, 0)
        )
        out["band"] = {k: _clean(v) for k, v in band.items()}
    if args.json:
        print(json.dumps(out))
        return 0
    cl = 100 * fit.confidence_level
    text = "no exclusion" if not math.isfinite(limit) else f"{limit:.4g} mu_B"

    def assumption(sigma):
        return "free" if sigma is None else "known" if sigma == 0 else f"Gaussian prior {100 * sigma:g} %"

    print(header)
    print(
        f"observables {fit.observables}; signal normalisation {assumption(signal)}, "
        f"background normalisation {assumption(background)}"
    )
    print(f"mu_nu upper limit ({cl:g} % CL, {fit.convention.replace('_', '-')}): {text}")
    if args.band:
        print("expected band:", ", ".join(f"{k} {v:.4g}" for k, v in out["band"].items() if v is not None))
    return 0


def cmd_scan(args) -> int:
    exp, header = experiment_and_header(args)
    thresholds = np.array(args.thresholds_kev, dtype=float)
    fit = MagneticMomentFit(exp)
    with _flag("--thresholds-kev", "threshold_keV"):
        limits = fit.threshold_scan(thresholds)
    if args.json:
        print(json.dumps({"threshold_keV": thresholds.tolist(), "mu_limit": limits.tolist()}))
    else:
        print(header)
        print(f"{'threshold [keV]':>16s} {'mu_nu limit [mu_B]':>20s}")
        for t, lim in zip(thresholds, limits):
            print(f"{t:16.3g} {lim:20.4g}")
    return 0


def cmd_experiment(args) -> int:
    if args.list:
        print(f"{'experiment preset':18s} description  [reference]")
        for name, (description, reference) in experiment_presets().items():
            print(f"{name:18s} {description}  [{reference}]")
        print(f"\n{'source preset':18s} description  [reference]")
        for name in source_presets():
            source = LineSource.from_preset(name)
            print(f"{name:18s} {source.description}  [{source.reference}]")
        return 0
    if args.name is not None:
        if args.experiment != "paper2014":
            raise ValueError("give the experiment either as the argument or with --experiment, not both")
        args.experiment = args.name
    print(experiment_from_args(args).to_toml(), end="")
    return 0


def cmd_scorecard(args) -> int:
    exp = experiment_from_args(args)
    if exp != Experiment.paper():
        given = [f"--experiment {args.experiment}"] if args.experiment != "paper2014" else []
        given += [f"--source {args.source}"] if args.source is not None else []
        given += [f"--set {s}" for s in args.set or []]
        given += [
            f"{flag} {getattr(args, dest)}" for flag, dest, *_ in ALIASES if getattr(args, dest, None) is not None
        ]
        raise ValueError(
            f"the scorecard compares the paper's benchmark with the paper, and {' '.join(given)} changes the "
            "set-up: use `lxenu summary` for other set-ups"
        )
    rows = scorecard_rows()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "quantity": r.quantity,
                        "section": r.section,
                        "paper": r.paper,
                        "ours": _clean(r.ours),
                        "ratio": r.ratio,
                        "within": r.within,
                        "kind": r.kind,
                    }
                    for r in rows
                ],
                default=str,
            )
        )
    else:
        print(scorecard_markdown(rows))
    return 0


def _experiment_options(p: argparse.ArgumentParser, extra=()):
    g = p.add_argument_group("experiment (file, then --source, then --set, then the short flags)")
    g.add_argument(
        "--experiment",
        default="paper2014",
        metavar="NAME|FILE",
        help="experiment preset or TOML file (default: paper2014; `lxenu experiment --list` lists them). "
        "Example: --experiment xenonnt",
    )
    g.add_argument(
        "--source",
        default=None,
        metavar="NAME|FILE",
        help="replace the experiment's source by a preset or a source TOML file (default: the "
        "experiment's, cr51). Example: --source ar37",
    )
    g.add_argument(
        "--set",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="set one value of the experiment file by its dotted key, with its unit in the key; "
        "repeatable. Example: --set detector.height_m=2 --set run.days=50",
    )
    for flag, dest, key, typ, text in ALIASES + tuple(extra):
        g.add_argument(flag, dest=dest, type=typ, default=None, help=f"{text} (= --set {key}=VALUE)")
    p.set_defaults(extra_aliases=tuple(extra))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lxenu",
        description="An electron-capture neutrino source at a liquid-xenon detector: "
        "the magnetic moment and sterile neutrinos, computed.",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    threshold = (
        (
            "--threshold-kev",
            "threshold_kev",
            "analysis.magnetic_moment.threshold_keV",
            float,
            "magnetic-moment threshold in reconstructed recoil energy, keV, at least 0.1 "
            "(default: the experiment's, 2 for paper2014). Example: --threshold-kev 1",
        ),
    )

    p = sub.add_parser(
        "summary",
        help="headline numbers, next to the paper's where comparable",
        description="Headline numbers of an experiment; the paper's values and ratios are shown "
        "only where the set-up and window are the paper's.",
    )
    _experiment_options(p, threshold)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser(
        "sterile",
        help="sterile-neutrino reach at given dm2",
        description="Smallest sin^2(2 theta) excluded at the analysis' CL (paper: 95 %, 2 dof).",
    )
    norm = (
        (
            "--norm-sigma",
            "norm_sigma",
            "analysis.sterile.signal_norm_sigma",
            float,
            "Gaussian prior on the signal normalisation, fraction in (0, 10] (default: the experiment's, free = "
            "shape only for paper2014). Example: --norm-sigma 0.02",
        ),
    )
    _experiment_options(p, norm)
    p.add_argument(
        "--dm2",
        type=float,
        nargs="+",
        default=None,
        metavar="V",
        help="dm2 values, eV^2, each in (0, 1e6] (default: 0.5 1 2 5 10). Example: --dm2 1 2 5",
    )
    p.add_argument(
        "--observables",
        choices=("L", "LT"),
        default="L",
        help="what each event tells the fit: L = distance only (the paper's, default); "
        "LT = distance and recoil energy. Example: --observables LT",
    )
    p.add_argument(
        "--method",
        choices=("wilks", "fc"),
        default="wilks",
        help="wilks: Delta chi^2 = 5.99 (2 dof, the paper's, default); fc: Feldman-Cousins critical "
        "values from Poisson toys at each point. Example: --method fc --toys 300",
    )
    p.add_argument(
        "--toys",
        type=int,
        default=None,
        metavar="N",
        help="toys per grid point for --method fc, 50-100000 (default: 300). Example: --toys 1000",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="K",
        help="seed of the toys, an integer >= 0 (default: 1998); the same seed gives the same numbers."
        " Example: --seed 7",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_sterile)

    p = sub.add_parser(
        "mu",
        help="magnetic-moment limit with (T, L, t) and normalisation assumptions",
        description="Asimov upper limit on the neutrino magnetic moment (mu_B) from a binned "
        "Poisson likelihood in recoil energy T, distance L and time t, with the signal "
        "and background normalisations known, constrained or free. The defaults are the "
        "paper's analysis (T only, both known) and equal `lxenu summary`'s mu_limit.",
    )
    _experiment_options(p, threshold)
    p.add_argument(
        "--observables",
        choices=("T", "TL", "Tt", "TLt"),
        default="T",
        help="T = recoil energy (default, the paper's), L = distance from the source, t = time in "
        "each deployment. Example: --observables TLt",
    )
    p.add_argument(
        "--signal-norm-sigma",
        default="0",
        metavar="S|free",
        help="Gaussian prior on the signal (source activity) normalisation, fraction in [0, 10]; 0 = known "
        "(default), 'free' = unconstrained. Example: --signal-norm-sigma 0.0023 (BEST's activity)",
    )
    p.add_argument(
        "--background-norm-sigma",
        default="0",
        metavar="B|free",
        help="Gaussian prior on the background normalisation, fraction in [0, 10]; 0 = known (default), 'free'. "
        "Example: --background-norm-sigma free",
    )
    p.add_argument(
        "--solar-moment",
        choices=("none", "e", "all"),
        default=None,
        help="which solar neutrinos scatter through the fitted moment: none (the paper's), e (nu_e, "
        "weighted by P_ee) or all (a flavour-blind effective moment); their magnetic recoils then join "
        "the fit, uniform in L and constant in t (default: the experiment's, none for paper2014). "
        "Example: --solar-moment all",
    )
    p.add_argument(
        "--band",
        action="store_true",
        help="also the expected band: the -2, -1, 0, +1, +2 sigma quantiles of the limits of Poisson toys "
        "(default: off). Example: --band --toys 500",
    )
    p.add_argument(
        "--toys",
        type=int,
        default=None,
        metavar="N",
        help="toys for --band, 10-100000 (default: 200). Example: --toys 1000",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="K",
        help="seed of the toys, an integer >= 0 (default: 20141104). Example: --seed 7",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_mu)

    p = sub.add_parser(
        "scan",
        help="magnetic-moment limit against threshold",
        description="Asimov upper limit on the neutrino magnetic moment (mu_B) for each threshold.",
    )
    _experiment_options(p)
    p.add_argument(
        "--thresholds-kev",
        type=float,
        nargs="+",
        default=[1.0, 2.0, 3.0, 5.0, 10.0],
        metavar="T",
        help="thresholds, keV, each at least 0.1 and below the window's upper end (default: 1 2 3 5 10). "
        "Example: --thresholds-kev 0.5 1 2",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser(
        "experiment",
        help="print a resolved experiment as TOML, or --list the presets",
        description="Print the fully resolved experiment (every key, with the options applied) "
        "as TOML; the output reads back with --experiment FILE.",
    )
    p.add_argument(
        "name",
        nargs="?",
        default=None,
        metavar="NAME|FILE",
        help="experiment preset or file (default: paper2014). Example: lxenu experiment xlzd",
    )
    p.add_argument("--list", action="store_true", help="list the experiment and source presets with references")
    _experiment_options(p)
    p.set_defaults(func=cmd_experiment)

    p = sub.add_parser(
        "scorecard",
        help="every number of the paper next to ours",
        description="Every number of the paper's text next to lxenu's. It compares the paper's set-up "
        "only: the experiment options are accepted for uniformity, and any other set-up is refused "
        "(use `lxenu summary`).",
    )
    _experiment_options(p)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_scorecard)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        print(
            "lxenu: error: give a sub-command (summary, mu, sterile, scan, experiment, scorecard); "
            "`lxenu --help` lists them",
            file=sys.stderr,
        )
        return 2
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return args.func(args)
        except BrokenPipeError:  # the reader went away (`lxenu summary | head -1`): stop quietly
            # what is still buffered goes to /dev/null, so that the flush at exit cannot fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except ValueError as err:
            print(f"lxenu: error: {err}", file=sys.stderr)
            return 2
        except (RuntimeWarning, ArithmeticError) as err:
            print(f"lxenu: error: the inputs lead to a numerical problem ({err}); check their ranges", file=sys.stderr)
            return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

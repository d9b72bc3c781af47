"""The headline numbers of an experiment, and the paper's beside them where they compare.

:func:`compute_summary` returns one dictionary (the ``lxenu summary --json``
object). :func:`comparison_rows` puts the paper's number (from
:mod:`lxenu.experiment.paper`) and the ratio beside ours only where the experiment and the
analysis window that the number depends on are the paper's; elsewhere it says
what differs instead of printing a misleading ratio.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..experiment.experiment import Experiment
from ..experiment.paper import PAPER_NUMBERS
from ..predict.backgrounds import background_events_in_window
from ..predict.signal import SignalPrediction
from ..validation import check_instance
from .magnetic_moment import MagneticMomentFit
from .sterile import events_per_flux_in_window, sterile_window_keV

#: Keys of ``lxenu summary --json`` (the command-line contract).
SUMMARY_KEYS = (
    "signal_events",
    "signal_events_window",
    "background_events_window",
    "mu_limit",
    "sterile_signal_events",
    "sterile_background_events",
    "sterile_background_xe136",
)

#: The parts of an experiment each summary number depends on (attributes of Experiment, or
#: "magnetic-moment window" / "magnetic-moment fit" / "sterile window" for the analysis settings).
_DEPENDS_ON = {
    "signal_events": ("source", "detector", "run", "cross section"),
    "signal_events_window": ("source", "detector", "run", "cross section", "response", "magnetic-moment window"),
    "background_events_window": (
        "detector",
        "run",
        "cross section",
        "response",
        "backgrounds",
        "magnetic-moment window",
    ),
    "mu_limit": (
        "source",
        "detector",
        "run",
        "cross section",
        "response",
        "backgrounds",
        "magnetic-moment window",
        "magnetic-moment fit",
    ),
    "sterile_signal_events": ("source", "detector", "run", "cross section", "response", "sterile window"),
    "sterile_background_events": (
        "source lines",
        "detector",
        "run",
        "cross section",
        "response",
        "backgrounds",
        "sterile window",
    ),
    "sterile_background_xe136": ("source lines", "detector", "run", "response", "backgrounds", "sterile window"),
}


def _parts(exp: Experiment) -> dict:
    mm, st = exp.analysis.magnetic_moment, exp.analysis.sterile
    return {
        "source": exp.source,
        "source lines": exp.source.lines,
        "detector": exp.detector,
        "run": exp.run,
        "response": exp.resolution,
        "backgrounds": exp.backgrounds,
        "cross section": (exp.sin2_theta_w, exp.atomic_binding),
        "magnetic-moment window": (mm.threshold_keV, mm.max_keV),
        "magnetic-moment fit": (mm.bin_keV, mm.confidence_level, mm.convention),
        "sterile window": (st.threshold_keV, st.max_keV),
    }


def differences_from_paper(experiment: Experiment) -> dict[str, tuple[str, ...]]:
    """For each summary key, the parts of ``experiment`` that differ from the paper's benchmark."""
    ours, paper = _parts(experiment), _parts(Experiment.paper())
    return {key: tuple(p for p in deps if ours[p] != paper[p]) for key, deps in _DEPENDS_ON.items()}


def compute_summary(
    experiment: Experiment | None = None,
    threshold_keV: float | None = None,
    convention: str | None = None,
    fit: MagneticMomentFit | None = None,
) -> dict:
    """Every headline number for an experiment (the paper's by default).

    The magnetic-moment window and convention, and the sterile window, are the experiment's
    analysis settings; ``threshold_keV`` and ``convention`` override the magnetic-moment ones.
    ``fit`` may pass in a :class:`MagneticMomentFit` of the same experiment and settings that
    the caller already has, to avoid building a second one.
    """
    exp = Experiment() if experiment is None else experiment
    check_instance("experiment", exp, Experiment, "an Experiment (e.g. Experiment.from_file('paper2014'))")
    if fit is not None:
        check_instance("fit", fit, MagneticMomentFit)
    if threshold_keV is not None or convention is not None:
        changes = {k: v for k, v in (("threshold_keV", threshold_keV), ("convention", convention)) if v is not None}
        mm = dataclasses.replace(exp.analysis.magnetic_moment, **changes)
        exp = exp.replace(analysis=dataclasses.replace(exp.analysis, magnetic_moment=mm))
    mm = exp.analysis.magnetic_moment
    if fit is None:
        fit = MagneticMomentFit(exp)
    elif fit.experiment != exp or fit.settings != mm:
        raise ValueError(
            f"fit must be a MagneticMomentFit of this experiment with its analysis.magnetic_moment settings ({mm})"
        )
    sig = SignalPrediction(exp)
    lo, hi = sterile_window_keV(exp)
    sterile_bkg = background_events_in_window(exp, lo, hi)
    sterile_sig = float(events_per_flux_in_window(exp, lo, hi).sum() * exp.detector.flux_integral_cm)
    return {
        "signal_events": sig.total_events(),
        "signal_events_window": sig.events_in_window(mm.threshold_keV, mm.max_keV),
        "background_events_window": sum(background_events_in_window(exp, mm.threshold_keV, mm.max_keV).values()),
        "mu_limit": fit.limit(mm.threshold_keV),
        "sterile_signal_events": sterile_sig,
        "sterile_background_events": sum(sterile_bkg.values()),
        "sterile_background_xe136": sterile_bkg.get("136Xe", 0.0),
    }


def comparison_rows(summary: dict, experiment: Experiment | None = None) -> list[tuple]:
    """(key, paper, ours, ratio, note) for the summary keys.

    ``paper`` and ``ratio`` are given only where the number's set-up and window are the
    paper's (``experiment`` defaults to the paper's benchmark); ``note`` says otherwise what
    differs, or that the paper does not quote the number.
    """
    exp = Experiment() if experiment is None else experiment
    diffs = differences_from_paper(exp)
    rows = []
    for key in SUMMARY_KEYS:
        ours = summary.get(key)
        published = PAPER_NUMBERS.get(key)
        if key == "mu_limit" and diffs[key] == ("run",) and _is_paper_five_deployments(exp):
            published = PAPER_NUMBERS["mu_limit_5_deployments"]
            rows.append((key, published.value, ours, ours / published.value, "the paper's five deployments (sect. 4)"))
            continue
        if published is None:
            rows.append((key, None, ours, None, "not quoted by the paper"))
        elif diffs[key]:
            rows.append((key, None, ours, None, "not the paper's set-up: " + ", ".join(diffs[key])))
        else:
            ratio = ours / published.value if ours is not None else None
            rows.append((key, published.value, ours, ratio, ""))
    return rows


def _is_paper_five_deployments(experiment: Experiment) -> bool:
    """Whether the run is the paper's except for its five deployments (sect. 4)."""
    return experiment.run == dataclasses.replace(Experiment.paper().run, deployments=5)


def format_value(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    x = float(x)
    if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e5):
        return f"{x:.3g}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def summary_labels(experiment: Experiment | None = None) -> dict[str, str]:
    """What each summary key is, with its unit and the experiment's windows, for tables."""
    exp = Experiment() if experiment is None else experiment
    mm = exp.analysis.magnetic_moment
    lo, hi = sterile_window_keV(exp)
    mm_window = f"{mm.threshold_keV:g}-{mm.max_keV:g} keV"
    st_window = f"{lo:g}-{hi:.0f} keV"
    return {
        "signal_events": "signal events, all energies",
        "signal_events_window": f"signal events, {mm_window}",
        "background_events_window": f"background events, {mm_window}",
        "mu_limit": f"mu_nu limit [mu_B], {100 * mm.confidence_level:g} % CL",
        "sterile_signal_events": f"signal events, {st_window}",
        "sterile_background_events": f"background events, {st_window}",
        "sterile_background_xe136": f"  of which 136Xe, {st_window}",
    }


def format_table(summary: dict, experiment: Experiment | None = None) -> str:
    """A readable table of the summary next to the paper (where comparable)."""
    labels = summary_labels(experiment)
    lines = [f"{'quantity':34s} {'paper':>10s} {'lxenu':>10s} {'ratio':>6s}  note", "-" * 72]
    for key, paper, ours, ratio, note in comparison_rows(summary, experiment):
        p, o = format_value(paper), format_value(ours)
        r = "-" if ratio is None else f"{ratio:.3f}"
        lines.append(f"{labels.get(key, key):34s} {p:>10s} {o:>10s} {r:>6s}  {note}".rstrip())
    return "\n".join(lines)

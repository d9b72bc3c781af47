"""The paper's headline numbers next to ours.

:func:`compute_summary` returns one dictionary (the ``lxenu summary --json``
object); :data:`PAPER` holds the values quoted in the paper's text, with where
they are quoted.
"""

from __future__ import annotations

import numpy as np

from .magnetic_moment import MagneticMomentFit
from .sterile import events_per_flux_in_window
from .validation import check_range

#: Numbers quoted in Coloma, Huber & Link, JHEP 11 (2014) 042 (section of the text).
PAPER = {
    "signal_events": (12518, "sect. 2: signal events in 100 days, all recoil energies"),
    "signal_events_window": (3656, "sect. 2: signal events in 2-140 keV"),
    "background_events_window": (3450, "sect. 2: background events in 2-140 keV"),
    "mu_limit": (4.9e-12, "sect. 2: 95 % CL bound at a 2 keV threshold, mu_B"),
    "mu_limit_5_deployments": (3.31e-12, "sect. 4: 95 % CL bound, five deployments, mu_B"),
    "sterile_background_events": (51130, "sect. 3: background events in the sterile analysis"),
    "sterile_background_xe136": (44000, "sect. 3: of which 136Xe 2nu-beta-beta"),
    "solar_pp_per_tonne_day": (1.05, "sect. 2: solar pp events per tonne per day"),
    "solar_7be_per_tonne_day": (0.51, "sect. 2: solar 7Be events per tonne per day"),
    "fiducial_mass_t": (6.0, "sect. 2: '~6 tons' of LXe in the fiducial volume"),
    "first_minimum_cm": (90.0, "sect. 3: '~90 cm' oscillation length at 1 eV^2, 750 keV"),
}

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

#: The sterile analysis threshold (paper, sect. 3), keV.
STERILE_THRESHOLD_KEV = 5.0
#: Upper end of the magnetic-moment window (paper, sect. 2), keV.
MM_WINDOW_MAX_KEV = 140.0


def compute_summary(experiment=None, threshold_keV: float = 2.0, convention: str = "one_sided",
                    fit: MagneticMomentFit | None = None) -> dict:
    """Every headline number for an experiment (the paper's by default).

    ``fit`` may pass in a :class:`MagneticMomentFit` of the same experiment and window
    (2-140 keV) that the caller already has, to avoid building a second one.
    """
    from .experiment import Experiment

    exp = Experiment() if experiment is None else experiment
    check_range("threshold_keV", threshold_keV, 0.1, MM_WINDOW_MAX_KEV, high_inclusive=False, unit="keV")
    sig = exp.signal
    if fit is None:
        fit = MagneticMomentFit(exp, max_keV=MM_WINDOW_MAX_KEV, convention=convention)
    elif (fit.experiment is not exp or fit.max_keV != MM_WINDOW_MAX_KEV or fit.convention != convention
          or fit.confidence_level != 0.95):
        raise ValueError(f"fit must be a 95 % CL MagneticMomentFit of this experiment with "
                         f"max_keV={MM_WINDOW_MAX_KEV} and convention={convention!r}")
    tmax = sig.max_recoil_keV
    sterile_bkg = exp.background_events_in_window(STERILE_THRESHOLD_KEV, tmax)
    sterile_sig = float(events_per_flux_in_window(exp, STERILE_THRESHOLD_KEV, tmax).sum() * exp.detector.flux_integral_cm)
    return {
        "signal_events": sig.total_events(),
        "signal_events_window": sig.events_in_window(threshold_keV, MM_WINDOW_MAX_KEV),
        "background_events_window": sum(exp.background_events_in_window(threshold_keV, MM_WINDOW_MAX_KEV).values()),
        "mu_limit": fit.limit(threshold_keV),
        "sterile_signal_events": sterile_sig,
        "sterile_background_events": sum(sterile_bkg.values()),
        "sterile_background_xe136": sterile_bkg["136Xe"],
    }


def comparison_rows(summary: dict) -> list[tuple[str, float | None, float | None, float | None]]:
    """(key, paper, ours, ratio) for the keys the paper quotes."""
    rows = []
    for key in SUMMARY_KEYS:
        ours = summary.get(key)
        paper = PAPER.get(key, (None, ""))[0]
        ratio = ours / paper if (ours is not None and paper) else None
        rows.append((key, paper, ours, ratio))
    return rows


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


def format_table(summary: dict) -> str:
    """A readable table of the summary next to the paper."""
    lines = [f"{'quantity':28s} {'paper':>12s} {'lxenu':>12s} {'ratio':>7s}", "-" * 62]
    for key, paper, ours, ratio in comparison_rows(summary):
        p, o = format_value(paper), format_value(ours)
        r = "-" if ratio is None else f"{ratio:.3f}"
        lines.append(f"{key:28s} {p:>12s} {o:>12s} {r:>7s}")
    return "\n".join(lines)

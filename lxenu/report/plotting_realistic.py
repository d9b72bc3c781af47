"""Figures of chapter 7 (the realistic experiment): (T, L, t) patterns, limits by observables,
sterile gain, modern backgrounds, source gammas.

Same conventions as :mod:`lxenu.report.plotting`: every function returns ``(fig, ax)`` (or
``(fig, axes)`` for two panels), axes labelled with units, colours from
:data:`lxenu.report.plotting.COLORS` where a meaning already has one.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from ..physics.attenuation import energy_range_keV, mass_attenuation_cm2_g, paper_shield_transmission
from .plotting import COLORS, _axes

#: Colours of the four normalisation assumptions (Okabe & Ito, distinct from the physics colours' meanings).
ASSUMPTION_COLORS = {
    "both known": "#000000",
    "signal free": COLORS["signal"],
    "background free": COLORS["background"],
    "both free": COLORS["222Rn"],
}


#: Colours for background names that :data:`lxenu.report.plotting.COLORS` does not have.
EXTRA_COLORS = {"solar": COLORS["solar pp"], "124Xe": "#117733"}

#: Colours of the source impurities (Paul Tol's palettes, none of them a meaning in COLORS).
IMPURITY_COLORS = {
    "51Cr": "#004488",
    "24Na": "#994455",
    "64Cu": "#997700",
    "46Sc": "#6699CC",
    "59Fe": "#999933",
    "60Co": "#661100",
    "65Zn": "#EE7733",
}

#: Colour of lxenu's own computed curves where no physics meaning applies (shield transmission).
COMPUTED_COLOR = "0.35"

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def typeset_isotopes(text: str) -> str:
    """'24Na' -> '²⁴Na', 'solar 7Be' -> 'solar ⁷Be': mass numbers before an element symbol as superscripts."""
    return re.sub(r"\b(\d{1,3})([A-Z][a-z]?)\b", lambda m: m.group(1).translate(_SUPERSCRIPTS) + m.group(2), text)


def _per_width(counts, edges):
    return counts / np.diff(edges)


def distance_and_time(prediction, axes=None):
    """Signal and background against reconstructed distance L and time t, each normalised to unit area.

    ``prediction``: a :class:`~lxenu.predict.binned.FullInformationPrediction` with observables
    "TLt". Top: events per cm against L (cm); bottom: events per day against t (days since the
    start of the deployment), one panel above the other so that each is as wide as the page.
    Returns ``(fig, (ax_L, ax_t))``.
    """
    if tuple(prediction.observables) != ("T", "L", "t"):
        raise ValueError(f"prediction must have observables 'TLt'; got {''.join(prediction.observables)!r}")
    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(6.4, 6.4))
    else:
        fig = axes[0].figure
    ax_L, ax_t = axes
    L, t = prediction.edges["L"], prediction.edges["t"]
    for name, arr, color in (
        ("SM signal", prediction.signal, COLORS["signal"]),
        ("background", prediction.background, COLORS["background"]),
    ):
        in_L = arr.sum(axis=(0, 2))
        in_t = arr.sum(axis=(0, 1))
        ax_L.stairs(_per_width(in_L / in_L.sum(), L), L, color=color, lw=1.8, label=name)
        ax_t.stairs(_per_width(in_t / in_t.sum(), t), t, color=color, lw=1.8, label=name)
    ax_L.set_xlabel("reconstructed distance from the source $L$ [cm]")
    ax_L.set_ylabel("fraction of events per cm")
    ax_t.set_xlabel("time since start of deployment $t$ [days]")
    ax_t.set_ylabel("fraction of events per day")
    for ax in axes:
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper right")
    fig.tight_layout()
    return fig, axes


def limits_by_observables(table, ax=None, reference_muB: float | None = None, cl_label: str = "95 % CL"):
    """mu_nu limits (units of 1e-12 mu_B) for each set of observables (x) and normalisation assumption (markers).

    ``table``: {observables: {assumption: limit in mu_B}} as from
    :func:`lxenu.analyses.full_information.mu_limit_table` (extra assumptions get default colours).
    ``reference_muB``: an optional horizontal line (e.g. the paper's 4.9e-12 mu_B); ``cl_label``
    the confidence level the limits are at, for the axis label.
    """
    fig, ax = _axes(ax)
    obs = list(table)
    x = np.arange(len(obs))
    labels = list(next(iter(table.values())))
    markers = "osD^vPX*"
    for i, label in enumerate(labels):
        y = np.array([table[o][label] for o in obs]) / 1e-12
        ax.plot(
            x + 0.06 * (i - (len(labels) - 1) / 2),
            y,
            marker=markers[i % len(markers)],
            ls="-",
            lw=1.0,
            color=ASSUMPTION_COLORS.get(label),
            label=label,
        )
    if reference_muB is not None:
        ax.axhline(reference_muB / 1e-12, color="0.5", ls=":", lw=1.2, label="paper (T, both known)")
    ax.set_xticks(x, [f"({', '.join(o)})" for o in obs])
    ax.set_xlabel("observables used")
    ax.set_ylabel(rf"{cl_label} limit on $\mu_\nu$ [$10^{{-12}}\,\mu_B$]")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig, ax


def sterile_gain(dm2_eV2, curves, ax=None, cl_label: str = "95 % CL, 2 dof"):
    """Sterile sensitivity sin^2 2theta against Delta m^2 for several fits.

    ``curves``: {label: (sin^2 2theta array, style dict)}; the style dict may be empty.
    Axes: x = sin^2 2theta (log), y = Delta m^2 (log), as the paper's figure 3; ``cl_label`` the
    confidence level and degrees of freedom of the curves, for the axis label.
    """
    fig, ax = _axes(ax)
    dm2 = np.asarray(dm2_eV2, dtype=float)
    for label, (s, style) in curves.items():
        ax.plot(s, dm2, label=typeset_isotopes(label), **style)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(rf"smallest $\sin^2 2\theta_{{ee}}$ excluded ({cl_label})")
    ax.set_ylabel(r"$\Delta m^2_{41}$ [eV$^2$]")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    fig.tight_layout()
    return fig, ax


def background_spectra(edges_keV, components, ax=None, signal=None, window_keV=None, ymin: float | None = None):
    """Events per keV of each background component (dict name -> events per bin) against T (keV).

    Optional ``signal`` (events per bin) is drawn in the signal colour; ``window_keV`` shades
    an analysis window; ``ymin`` cuts the log y axis below. The legend sits below the axes.
    """
    fig, ax = _axes(ax)
    edges = np.asarray(edges_keV, dtype=float)
    if signal is not None:
        ax.stairs(
            _per_width(np.asarray(signal, float), edges),
            edges,
            color=COLORS["signal"],
            lw=1.8,
            label=r"SM $\nu$-e signal",
        )
    for name, counts in components.items():
        ax.stairs(
            _per_width(np.asarray(counts, float), edges),
            edges,
            lw=1.3,
            color=COLORS.get(name, EXTRA_COLORS.get(name)),
            label=typeset_isotopes(name),
        )
    if window_keV is not None:
        ax.axvspan(*window_keV, color="0.9", zorder=0, label="analysis window")
    ax.set_yscale("log")
    if ymin is not None:
        ax.set_ylim(bottom=ymin)
    ax.set_xlabel("reconstructed recoil energy $T$ [keV]")
    ax.set_ylabel("events per keV (whole run)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    fig.tight_layout()
    return fig, ax


def attenuation_coefficients(ax=None, n: int = 200):
    """NIST mass attenuation coefficients mu/rho (cm^2/g) of W and Xe against photon energy (keV)."""
    fig, ax = _axes(ax)
    lo, hi = energy_range_keV()
    E = np.geomspace(lo, hi, n)
    for material, color in (("W", COMPUTED_COLOR), ("Xe", COLORS["natural"])):
        ax.plot(
            E,
            mass_attenuation_cm2_g(material, E),
            color=color,
            lw=1.8,
            label={"W": "tungsten", "Xe": "xenon"}[material],
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("photon energy $E_\\gamma$ [keV]")
    ax.set_ylabel(r"$\mu/\rho$ [cm$^2$/g] (NIST XCOM)")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig, ax


def shield_transmission(ax=None, n: int = 200, paper_point=(1500.0, 1e-11), min_keV: float = 500.0):
    """Narrow-beam transmission through 17 cm W + 70 cm LXe against photon energy (keV, from
    ``min_keV`` to the table's top), with the linear build-up bound and the paper's quoted value."""
    fig, ax = _axes(ax)
    lo, hi = energy_range_keV()
    E = np.linspace(max(lo, min_keV), hi, n)
    ax.plot(E, paper_shield_transmission(E), color=COMPUTED_COLOR, lw=1.8, label="narrow beam (lxenu)")
    ax.plot(
        E,
        paper_shield_transmission(E, buildup="linear"),
        color=COMPUTED_COLOR,
        lw=1.2,
        ls="--",
        label="with linear build-up (bound)",
    )
    if paper_point is not None:
        ax.plot(*paper_point, marker="*", ms=12, ls="none", color=COLORS["paper"], label="paper, 1.5 MeV")
    ax.set_yscale("log")
    ax.set_xlabel("photon energy $E_\\gamma$ [keV]")
    ax.set_ylabel("transmission, 17 cm W + 70 cm LXe")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig, ax


def impurity_rates(
    t_days,
    rates_by_nuclide,
    ax=None,
    paper_rate_per_day: float | None = 1.0,
    ylabel: str = "events in fiducial volume per day",
):
    """Rates per day against time (days): one line per nuclide and the total.

    ``rates_by_nuclide``: {nuclide: rate array on ``t_days``}, e.g.
    ``ImpurityInventory.fiducial_rate_per_day(t_days, window_keV, by_nuclide=True)``;
    ``paper_rate_per_day`` draws the paper's "< 1 per day".
    """
    fig, ax = _axes(ax)
    t = np.asarray(t_days, dtype=float)
    for name, r in rates_by_nuclide.items():
        if np.shape(r) != t.shape:
            raise ValueError(f"rates_by_nuclide[{name!r}] must have the shape of t_days {t.shape}; got {np.shape(r)}")
        if np.any(np.asarray(r) > 0):
            ax.plot(t, r, lw=1.4, color=IMPURITY_COLORS.get(name), label=typeset_isotopes(name))
    total = sum(np.asarray(r, dtype=float) for r in rates_by_nuclide.values())
    ax.plot(t, total, color="#000000", lw=2.0, label="total")
    peaks = [float(np.max(r)) for r in rates_by_nuclide.values() if np.any(np.asarray(r) > 0)]
    bottom = 0.3 * min([float(np.min(total))] + peaks)  # every nuclide's curve shows at least its peak
    ax.set_ylim(bottom, 3.0 * max(float(np.max(total)), paper_rate_per_day or 0.0))
    if paper_rate_per_day is not None:
        ax.axhline(paper_rate_per_day, color="0.5", ls=":", lw=1.2, label="paper: < 1 per day")
    ax.set_yscale("log")
    ax.set_xlabel("time since end of irradiation [days]")
    ax.set_ylabel(ylabel)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return fig, ax

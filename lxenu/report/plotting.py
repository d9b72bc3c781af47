"""Figures of the book, in one style: labelled axes with units, the paper's conventions.

Every function returns the matplotlib ``(fig, ax)`` so a chapter can add to it.

Colours: one per meaning, in every chapter
------------------------------------------
:data:`COLORS` maps each *meaning* to one colour (Okabe & Ito's and Tol's colour-blind-safe
palettes); every figure of the book takes its colours from it, and a meaning that is not in it
gets a new key here rather than a colour typed into a chapter. Variants of one meaning keep its
colour and differ in line style or marker (:data:`LINESTYLES`):

* **energy spectra** — ``signal`` (the Standard-Model νe–e signal and its 750 keV line; the
  source's activity), ``430 keV line``, ``magnetic`` (the signal *with a magnetic moment*, and
  nothing else), ``oscillated`` (the signal with sterile oscillations); the ``background`` total
  and its parts ``136Xe``, ``85Kr``, ``222Rn``, ``124Xe``, ``solar pp``, ``solar 7Be``.
* **bounds on μν** — ``bound``: lxenu's expected bound (the benchmark is a solid line; the
  two-sided convention dashed, atomic binding dotted, a 1 keV threshold dashed with square
  markers); published limits by what they constrain: ``limit reactor`` (ν̄e), ``limit solar``
  (the solar effective moment), ``limit astrophysical`` (red giants; dashed where it is a line).
* **the (sin²2θ, Δm²) plane** — exclusion contours ``natural`` (natural xenon), ``depleted``
  (xenon 90 % depleted in ¹³⁶Xe; one deployment dashed, five solid, five with the 2 %
  normalisation dotted), ``sox``; allowed regions ``gallium`` (GALLEX + SAGE, 2014: light fill
  with a solid outline, its best fit an ×) and ``gallium_best`` (with BEST, 2022: dashed
  outline, no fill, its best fit a +); ``reactor`` (the published best fit: a diamond with its
  95 % CL bar and an arrow for the lower limit on Δm², never a region).
* **everywhere** — ``paper``: the paper's own numbers, always a star marker, never a line;
  ``reference``: a curve drawn only for comparison (a simpler model, a scaling law, the true
  energy next to the smeared one, an optimum), dotted or dashed.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..analyses.reactor import REACTOR_ANOMALY_2011, ReactorAnomaly
from ..experiment.paper import paper_value
from ..physics.cross_section import SIN2_THETA_W_DEFAULT, dsigma_dT, t_max_keV
from ..predict.backgrounds import background_true_events
from ..predict.response import energy_response_matrix
from ..predict.signal import SignalPrediction, fine_true_edges_keV
from .tables import typeset_isotopes

#: One colour per meaning, in every chapter (see the module docstring for the scheme).
COLORS = {
    # energy spectra: the signal and its parts
    "signal": "#0072B2",  # the SM nu_e e signal, and the 750 keV line
    "430 keV line": "#88CCEE",
    "magnetic": "#CC79A7",  # signal with a magnetic moment
    "oscillated": "#882255",  # signal with sterile-neutrino oscillations
    # backgrounds
    "background": "#009E73",
    "136Xe": "#E69F00",
    "85Kr": "#56B4E9",
    "222Rn": "#D55E00",
    "124Xe": "#DDCC77",
    "solar pp": "#999999",
    "solar 7Be": "#555555",
    # bounds on mu_nu
    "bound": "#0072B2",  # lxenu's expected bound, from the signal of the same colour
    "limit reactor": "#CC6677",  # published limits from reactor antineutrinos
    "limit solar": "#999933",  # published limits on the solar effective moment
    "limit astrophysical": "#4D4D4D",  # red giants
    # the (sin^2 2theta, dm2) plane
    "natural": "#8C510A",  # LXe, natural xenon
    "depleted": "#000000",  # LXe, 90 % depleted in 136Xe
    "sox": "#44AA99",
    "gallium": "#AA4499",  # GALLEX + SAGE (2014)
    "gallium_best": "#117733",  # GALLEX + SAGE + BEST (2022)
    "reactor": "#B8860B",
    # everywhere
    "paper": "#000000",  # the paper's numbers (star markers)
    "reference": "#7F7F7F",  # a curve drawn for comparison only
}

#: Line styles of the variants of one meaning (same colour, see the module docstring).
LINESTYLES = {
    "bound": "-",
    "bound two-sided": "--",
    "bound atomic binding": ":",
    "bound 1 keV": "--",
    "depleted, 1 deployment": "--",
    "depleted, 5 deployments": "-",
    "depleted, 5 deployments + 2 % normalisation": ":",
    "gallium": "-",
    "gallium_best": "--",
    "limit astrophysical": "--",
    "reference": ":",
}


def pretty_label(name: str) -> str:
    """A component name as the book prints it: '136Xe' -> '¹³⁶Xe', 'solar 7Be' -> 'solar ⁷Be'."""
    return typeset_isotopes(name)


def latex_sci(x: float, digits: int = 2) -> str:
    """A number as LaTeX scientific notation, e.g. 1e-11 -> '10^{-11}', 4.9e-12 -> '4.9\\times10^{-12}'."""
    if x == 0:
        return "0"
    exponent = int(np.floor(np.log10(abs(x))))
    mantissa = round(x / 10**exponent, digits - 1)
    if mantissa == 10:
        mantissa, exponent = 1.0, exponent + 1
    if mantissa == 1:
        return f"10^{{{exponent}}}"
    return f"{mantissa:g}\\times10^{{{exponent}}}"


def use_style():
    """The book's matplotlib style."""
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.2),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "font.size": 10.5,
            "axes.titlesize": 11,
            "axes.labelsize": 10.5,
        }
    )


def activity_and_decays(source, run, ax=None, t_max_days: float = 200.0):
    """Activity (MCi) and cumulative decays against time, with the run window shaded."""
    fig, ax = _axes(ax)
    t = np.linspace(0.0, t_max_days, 801)
    ax.plot(t, source.activity_MCi_at(t), color=COLORS["signal"], label="activity")
    ax.set_xlabel("time since the source had its nominal strength [days]")
    ax.set_ylabel("activity [MCi]")
    ax.axvspan(run.start_day, run.start_day + run.days, color="0.85", alpha=0.5, label="data taking")
    ax2 = ax.twinx()
    ax2.plot(
        t,
        source.decays_between(0.0, t) / 1e23,
        color=COLORS["reference"],
        ls=LINESTYLES["reference"],
        lw=2,
        label="cumulative decays",
    )
    ax2.set_ylabel(r"cumulative decays [$10^{23}$]")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="center right")
    return fig, ax


def cross_sections(E_keV: float = 750.0, mus=(0.0, 1e-11, 5e-12), ax=None, sin2_theta_w=None):
    """dsigma/dT against T for the SM and with magnetic moments."""
    s2w = SIN2_THETA_W_DEFAULT if sin2_theta_w is None else sin2_theta_w
    fig, ax = _axes(ax)
    T = np.geomspace(0.1, float(t_max_keV(E_keV)) * 0.999, 600)
    styles = ["-", "--", ":", "-."]
    for i, mu in enumerate(mus):
        label = "Standard Model" if mu == 0 else rf"$\mu_\nu = {latex_sci(mu)}\,\mu_B$"
        ax.loglog(
            T,
            dsigma_dT(T, E_keV, mu, sin2_theta_w=s2w),
            styles[i % 4],
            color=COLORS["signal"] if mu == 0 else COLORS["magnetic"],
            label=label,
        )
    ax.set_xlabel("electron recoil energy $T$ [keV]")
    ax.set_ylabel(r"$d\sigma/dT$ [cm$^2$/keV]")
    ax.set_title(rf"$\nu_e e^-$ scattering at $E_\nu$ = {E_keV:g} keV")
    ax.legend()
    return fig, ax


def recoil_spectrum(experiment, ax=None, mu_nu_muB: float = 0.0, window=(2.0, 140.0)):
    """True and smeared signal spectra dN/dT (events/keV)."""
    fig, ax = _axes(ax)
    sig = SignalPrediction(experiment)
    res = experiment.resolution
    tail_keV = 5.0 * float(res.sigma_keV(sig.max_recoil_keV))  # the smeared edge, to 5 sigma
    edges = np.arange(0.0, sig.max_recoil_keV + tail_keV + 1.0, 1.0)
    centres = 0.5 * (edges[1:] + edges[:-1])
    true = sig.true_events(np.clip(edges, 1e-3, None), mu_nu_muB)
    smeared = sig.smeared_events(edges, mu_nu_muB)
    ax.step(
        centres, true, where="mid", color=COLORS["reference"], ls=LINESTYLES["reference"], label="true recoil energy"
    )
    if res.constant == 0.0 and res.noise_keV == 0.0:
        smeared_label = rf"smeared, $\sigma = {res.stochastic_keV_sqrt:.2f}\,\sqrt{{T/\mathrm{{keV}}}}$ keV"
    else:
        smeared_label = "smeared (the experiment's resolution)"
    ax.step(centres, smeared, where="mid", color=COLORS["signal"], label=smeared_label)
    ax.axvspan(*window, color=COLORS["signal"], alpha=0.07, label=f"{window[0]:g}–{window[1]:g} keV window")
    ax.set_xlabel("electron recoil energy [keV]")
    ax.set_ylabel("events / keV (100 days)")
    ax.set_xlim(0, edges[-1])
    ax.legend()
    return fig, ax


def events_per_5keV(experiment, mu_nu_muB: float = 1e-11, ax=None, t_max_keV: float = 600.0, components=True):
    """The paper's Fig. 1 (left): events per 5 keV, signal with and without mu, and backgrounds."""
    fig, ax = _axes(ax)
    edges = np.arange(0.0, t_max_keV + 5.0, 5.0)
    centres = 0.5 * (edges[1:] + edges[:-1])
    sig = SignalPrediction(experiment)
    sm = sig.smeared_events(edges)
    with_mu = sig.smeared_events(edges, mu_nu_muB)
    true_edges = fine_true_edges_keV(t_max_keV + 60.0)
    R = energy_response_matrix(true_edges, edges, experiment.resolution)
    parts = {k: R @ v for k, v in background_true_events(experiment, true_edges).items()}
    total = sum(parts.values())
    ax.plot(
        centres,
        with_mu,
        "^",
        ms=4,
        color=COLORS["magnetic"],
        label=rf"signal, $\mu_\nu = {latex_sci(mu_nu_muB)}\,\mu_B$",
    )
    ax.plot(centres, sm, "o", ms=3.5, color=COLORS["signal"], label=r"signal, $\mu_\nu = 0$")
    ax.plot(centres, total, "s", ms=3.5, color=COLORS["background"], label="total background")
    if components:
        for k, v in parts.items():
            ax.plot(centres, v, "-", lw=1, color=COLORS.get(k, "0.5"), label=pretty_label(k))
    ax.set_yscale("log")
    ax.set_xlabel("reconstructed recoil energy [keV]")
    ax.set_ylabel(f"events / 5 keV ({experiment.run.live_days:g} days)")
    ax.set_xlim(0, t_max_keV)
    ax.set_ylim(1, None)
    ax.legend(fontsize=8.5, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    return fig, ax


def limit_vs_threshold(thresholds_keV, limits_muB, ax=None, label="lxenu", paper_point=True, **kw):
    """The paper's Fig. 1 (right): the 95 % CL bound against threshold (``COLORS["bound"]`` unless ``color``)."""
    fig, ax = _axes(ax)
    kw.setdefault("color", COLORS["bound"])
    ax.plot(thresholds_keV, np.asarray(limits_muB) / 1e-12, label=label, **kw)
    if paper_point:
        mu = paper_value("mu_limit")
        ax.plot(
            [2.0],
            [mu / 1e-12],
            "*",
            color=COLORS["paper"],
            ms=11,
            ls="",
            label=rf"paper: ${latex_sci(mu)}\,\mu_B$ at 2 keV",
        )
    ax.set_xlabel("recoil threshold [keV]")
    ax.set_ylabel(r"$\mu_\nu$ bound, 95 % CL [$10^{-12}\,\mu_B$]")
    ax.legend()
    return fig, ax


def distance_distributions(fit, sin2_2theta: float = 0.2, dm2_eV2: float = 2.0, ax=None):
    """Signal and background events in reconstructed distance, with and without oscillations."""
    fig, ax = _axes(ax)
    edges = fit.reco_edges_cm
    c = 0.5 * (edges[1:] + edges[:-1])
    ax.step(c, fit.signal_no_oscillation, where="mid", color=COLORS["signal"], label="signal, no oscillation")
    ax.step(
        c,
        fit.signal(sin2_2theta, dm2_eV2),
        where="mid",
        color=COLORS["oscillated"],
        label=rf"signal, $\sin^22\theta$={sin2_2theta:g}, $\Delta m^2$={dm2_eV2:g} eV$^2$",
    )
    ax.step(c, fit.background, where="mid", color=COLORS["background"], label="background")
    ax.set_xlabel("reconstructed distance from the source centre $L$ [cm]")
    ax.set_ylabel(f"events / {fit.bin_cm:g} cm")
    ax.legend()
    return fig, ax


def draw_reactor_anomaly(
    ax,
    anomaly: ReactorAnomaly = REACTOR_ANOMALY_2011,
    dm2_eV2: float | None = None,
    color: str | None = None,
    label: str = "reactor anomaly 2011 (fit, 95 % CL)",
):
    """Draw the published best fit on a (sin^2 2theta, dm2) axis as a point with error bars.

    The horizontal bar is the 95 % CL range of sin^2 2theta; dm2 has only a lower limit,
    drawn as an upward arrow from ``dm2_min_eV2`` (the point is placed there unless
    ``dm2_eV2`` is given).
    """
    color = COLORS["reactor"] if color is None else color
    y = anomaly.dm2_min_eV2 if dm2_eV2 is None else float(dm2_eV2)
    handle = ax.errorbar(
        [anomaly.sin2_2theta],
        [y],
        xerr=[[anomaly.sin2_2theta_error_95], [anomaly.sin2_2theta_error_95]],
        fmt="D",
        color=color,
        ms=5,
        capsize=3,
        label=label,
        zorder=5,
    )
    ax.annotate(
        "",
        xy=(anomaly.sin2_2theta, y * 4.0),
        xytext=(anomaly.sin2_2theta, y),
        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2},
        zorder=5,
    )
    return handle


def sterile_plane(
    ax=None, s_grid=None, m_grid=None, anomalies=(), reactor=None, contours=(), star=None, legend_columns: int = 2
):
    """The (sin^2 2theta, dm2) plane with anomaly regions, exclusion contours and a legend below the axes.

    Parameters
    ----------
    ax : matplotlib axes, optional
    s_grid, m_grid : 1-d arrays
        The sin^2 2theta and dm2 [eV^2] grids of every field below (default: the paper's ranges only).
    anomalies : sequence of dict
        Allowed regions, each a dict with keys ``delta_chi2`` (a field of shape
        ``(len(s_grid), len(m_grid))``), ``threshold``, ``label`` and optionally ``color``,
        ``fill``, ``linestyle`` and ``best_fit``: a smooth contour of the field at the threshold,
        filled lightly with an outline when ``fill`` (the default), outline dashed otherwise;
        ``best_fit`` = ``(sin2_2theta, dm2_eV2, label, marker)`` marks the region's best fit.
        :func:`gallium_regions` builds them for the gallium fits in the book's colours.
    reactor : dict, optional
        The published reactor-anomaly fit (:data:`lxenu.analyses.reactor.REACTOR_ANOMALY_2011`, or the legacy dict
        :data:`lxenu.analyses.gallium.REACTOR_ANOMALY`), drawn as a point with its 95 % CL bar and an arrow for the
        lower limit on dm2.
    contours : sequence of dict
        Exclusion curves, each a dict with keys ``chi2`` (a field like ``delta_chi2``),
        ``threshold``, ``label`` and optionally ``color``, ``linestyle``, ``linewidth``.
    star : tuple, optional
        ``(sin2_2theta, dm2_eV2, label)`` of one of the paper's numbers (a star in
        ``COLORS["paper"]``; a fit of ours is marked with ``best_fit`` of its region instead).

    Returns
    -------
    fig, ax
        The figure and its axes; the legend sits below the axes, clear of every curve.
    """
    fig, ax = _axes(ax)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1e-2 if s_grid is None else s_grid[0], 1.0)
    ax.set_ylim(1e-1 if m_grid is None else m_grid[0], 1e2 if m_grid is None else m_grid[-1])
    ax.set_xlabel(r"$\sin^2 2\theta_{ee}$")
    ax.set_ylabel(r"$\Delta m^2_{41}$ [eV$^2$]")
    handles = []
    for a in anomalies:
        color = a.get("color", COLORS["gallium"])
        field = np.asarray(a["delta_chi2"]).T
        if a.get("fill", True):
            ls = a.get("linestyle", "-")
            ax.contourf(s_grid, m_grid, field, levels=[-np.inf, a["threshold"]], colors=[color], alpha=0.18)
            ax.contour(s_grid, m_grid, field, levels=[a["threshold"]], colors=[color], linewidths=1.2, linestyles=[ls])
            handles.append(
                Patch(facecolor=mpl.colors.to_rgba(color, 0.18), edgecolor=color, linestyle=ls, label=a["label"])
            )
        else:
            ls = a.get("linestyle", "--")
            ax.contour(s_grid, m_grid, field, levels=[a["threshold"]], colors=[color], linewidths=1.4, linestyles=[ls])
            handles.append(Line2D([], [], color=color, lw=1.4, ls=ls, label=a["label"]))
        if a.get("best_fit") is not None:
            s_best, m_best, best_label, marker = a["best_fit"]
            ax.plot(s_best, m_best, marker, color=color, ms=8, mew=2, zorder=6)
            handles.append(Line2D([], [], marker=marker, color=color, ms=7, mew=2, ls="", label=best_label))
    if reactor is not None:
        # a published best fit with its 95 % CL range and a lower limit in dm2: a point with error
        # bars and an arrow, never a box that would read as an allowed region
        anomaly = reactor if isinstance(reactor, ReactorAnomaly) else REACTOR_ANOMALY_2011
        handles.append(
            draw_reactor_anomaly(
                ax, anomaly, color=COLORS["reactor"], label="reactor anomaly fit, 95 % CL (Mention et al. 2011)"
            )
        )
    for c in contours:
        style = dict(
            color=c.get("color", COLORS["depleted"]),
            linestyle=c.get("linestyle", "-"),
            linewidth=c.get("linewidth", 1.8),
        )
        ax.contour(
            s_grid,
            m_grid,
            np.asarray(c["chi2"]).T,
            levels=[c["threshold"]],
            colors=[style["color"]],
            linestyles=[style["linestyle"]],
            linewidths=[style["linewidth"]],
        )
        handles.append(Line2D([], [], label=c["label"], **style))
    if star is not None:
        ax.plot(star[0], star[1], "*", color=COLORS["paper"], ms=11)
        handles.append(Line2D([], [], marker="*", color=COLORS["paper"], ms=9, ls="", label=star[2]))
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=legend_columns,
            fontsize=8.5,
            frameon=False,
        )
    return fig, ax


def gallium_regions(g14: dict | None = None, g22: dict | None = None, best_fits: bool = True) -> list[dict]:
    """The gallium allowed regions in the book's style, for :func:`sterile_plane`'s ``anomalies``.

    ``g14``: :func:`~lxenu.analyses.gallium.gallium_fit` of GALLEX + SAGE (2014), drawn in
    ``COLORS["gallium"]`` as a light fill with a solid outline and its best fit as an ×;
    ``g22``: the fit with BEST (2022), in ``COLORS["gallium_best"]`` as a dashed outline and its
    best fit as a +. Either may be None. Both at their own 95 % CL threshold (2 dof).
    """
    out = []
    for g, key, label, fill, marker in (
        (g14, "gallium", "gallium 2014 (GALLEX + SAGE), 95 % CL", True, "x"),
        (g22, "gallium_best", "gallium with BEST (2022), 95 % CL", False, "+"),
    ):
        if g is None:
            continue
        region = dict(
            delta_chi2=g["chi2"] - g["chi2_min"],
            threshold=g["threshold"],
            label=label,
            color=COLORS[key],
            fill=fill,
            linestyle=LINESTYLES[key],
        )
        if best_fits:
            region["best_fit"] = (
                g["best_sin2_2theta"],
                g["best_dm2_eV2"],
                f"best fit, {label.split(',')[0]}",
                marker,
            )
        out.append(region)
    return out


def mu_limit_chart(rows, ax=None):
    """Horizontal bars of μν limits (μB, log scale), one row each, in the book's colours.

    ``rows``: sequence of ``(label, value_muB, kind)`` with ``kind`` a key of :data:`COLORS`
    (``"bound"`` for lxenu's projections, ``"limit reactor"``, ``"limit solar"``,
    ``"limit astrophysical"`` for published limits). A legend below the axes names the kinds.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 0.42 * len(rows) + 1.9))
    else:
        fig = ax.figure
    y = np.arange(len(rows))
    values = np.array([v for _, v, _ in rows], dtype=float)
    ax.barh(y, values, color=[COLORS[k] for _, _, k in rows], height=0.65)
    ax.set_yticks(y, [label for label, _, _ in rows])
    ax.set_xscale("log")
    ax.set_xlim(values.min() / 2.5, values.max() * 2.0)
    ax.set_xlabel(r"$\mu_\nu$ upper limit [$\mu_B$]")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    names = {
        "bound": "this set-up (expected)",
        "limit reactor": "reactor $\\bar\\nu_e$",
        "limit solar": "solar, effective moment",
        "limit astrophysical": "astrophysical",
    }
    kinds = list(dict.fromkeys(k for _, _, k in rows))
    ax.legend(
        handles=[Patch(color=COLORS[k], label=names.get(k, k)) for k in kinds],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=2,
        fontsize=9,
    )
    return fig, ax


def _axes(ax):
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    return fig, ax

r"""The design explorer: detector preset x source x activity x threshold x deployments x 136Xe depletion.

Works without a kernel. What the page needs is precomputed per detector preset and source by
:func:`explorer_data` and embedded as JSON in a self-contained HTML page (:func:`explorer_html`;
no CDN, no network); the page's JavaScript then evaluates the *same* formulas as the Python
functions here, so the numbers it shows can be checked against Python (tests/test_explorer.py):

* mu_nu: the recoil spectra S (Standard Model), M (magnetic, at 1e-12 mu_B), B_other and
  B_136Xe of one 100-day deployment of the preset source, on the bins of :data:`MU_EDGES_KEV`
  (the fit's own 0.1 keV bins up to 20 keV, 1 keV bins above). The activity and the number of
  deployments scale S and M exactly (a fresh source each deployment,
  :class:`~lxenu.experiment.source.RunPlan`), the deployments scale B, and the depletion d scales
  B_136Xe by (1 - d) (the 136Xe atoms, :mod:`lxenu.physics.backgrounds`). The limit is the paper's
  Poisson Asimov limit (:func:`mu_limit`: Delta chi^2 = 2.71, one-sided 95 % CL) from the threshold
  up; merging the bins above 20 keV moves it by less than 1e-4 relative from
  :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`'s (tests/test_explorer.py), so the page shows
  the chapters' 4.79 for the paper's benchmark.
* sterile: per reconstructed-distance bin the no-oscillation signal S0, the deficit per unit
  sin^2 2theta D(dm^2) at the dm^2 of :data:`DM2_GRID_EV2`, and the unit-normalised background
  shape, with the window's 136Xe and other background counts; the activity and deployments scale
  S0 and D, the background scales as above. :func:`sterile_reach` is
  :class:`~lxenu.analyses.sterile.SterileFit`'s profiled Gaussian chi^2 (signal free, 0.5 % background
  prior, 95 % CL, 2 dof), bisected in sin^2 2theta.
* the anomalies behind the sterile contour: the gallium allowed regions (with BEST and as in
  2014, 95 % CL, 2 dof) as smooth polygons, the contour of their Delta chi^2 field traced by
  matplotlib in Python (:func:`gallium_polygons`), and the reactor anomaly's best fit as a point
  with its 95 % CL range and an arrow for its lower limit in dm^2 (as
  :func:`lxenu.report.plotting.draw_reactor_anomaly`).

The page redraws its canvases whenever their column changes width (a ``ResizeObserver``),
each at the width it is shown and the device pixel ratio. :func:`live_explorer` is the
ipywidgets version for a running kernel. :data:`PRESET_COLORS` and :data:`FLAVOUR_COLORS` are the
colours of chapter 9 (one per detector and one per kind of limit), taken from
:data:`lxenu.report.plotting.COLORS` where a meaning exists there.
"""

from __future__ import annotations

import argparse
import json
import math
import uuid
from importlib import resources

import numpy as np
from matplotlib.figure import Figure

from ..analyses.gallium import GALLIUM_RUNS, RUNS_2014, gallium_fit
from ..analyses.landscape import PRESETS, SOURCES, convert_confidence_level, experiment_for, mu_limits
from ..analyses.magnetic_moment import MagneticMomentFit
from ..analyses.reactor import REACTOR_ANOMALY_2011
from ..analyses.sterile import SterileFit, sterile_window_keV
from ..constants import MU_UNIT
from ..experiment.experiment import Experiment
from ..predict.backgrounds import background_events_in_window
from ..validation import as_float_array, check_instance, check_integer, check_range
from .plotting import COLORS, draw_reactor_anomaly

#: Energy bins of the explorer's mu analysis, keV: the fit's 0.1 keV bins from 0.5 to 20 keV, then 1 keV.
MU_EDGES_KEV = np.round(np.concatenate([np.arange(0.5, 20.0, 0.1), np.arange(20.0, 140.01, 1.0)]), 6)
#: The energy bins of the explorer's first version (0.5 keV to 10 keV, 1 keV to 30 keV, 2 keV above),
#: which rounded the paper's benchmark to 4.80 instead of 4.79 (see :func:`merged_config`).
FIRST_VERSION_EDGES_KEV = np.round(
    np.concatenate([np.arange(0.5, 10.0, 0.5), np.arange(10.0, 30.0, 1.0), np.arange(30.0, 140.01, 2.0)]), 6
)
#: Thresholds the explorer offers, keV.
THRESHOLDS_KEV = np.round(np.arange(0.5, 10.01, 0.5), 6)
#: dm^2 grid of the explorer's sterile contour, eV^2 (log-spaced, with 1, 2 and 5 eV^2 on it).
DM2_GRID_EV2 = np.unique(np.round(np.concatenate([np.geomspace(0.1, 20.0, 41), [1.0, 2.0, 5.0]]), 6))
#: Grids on which the gallium Delta chi^2 field is contoured for the page (log-spaced).
GALLIUM_S_GRID = np.geomspace(0.01, 1.0, 121)
GALLIUM_DM2_GRID = np.geomspace(0.1, 20.0, 121)
#: Activities, deployments and depletions offered by the static page.
ACTIVITIES_MCI = (0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 50.0)
DEPLOYMENTS = tuple(range(1, 11))
DEPLETIONS = (0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
#: The page's starting point: the paper's benchmark (5 MCi, 2 keV, one run, natural xenon).
DEFAULTS = {"activity_MCi": 5.0, "threshold_keV": 2.0, "deployments": 1, "depletion": 0.0}
#: Ranges the formulas accept (activity MCi; deployments).
ACTIVITY_RANGE_MCI = (0.01, 1000.0)
MAX_DEPLOYMENTS = 100
#: Bisection steps of both limits (Python and JavaScript alike).
BISECTION_STEPS = 60
#: Significant digits kept in the page's JSON.
DIGITS = 7

#: One colour per detector preset in chapter 9 (the paper's benchmark in the book's colour for the
#: paper; the others from Tol's colour-blind-safe palettes, unused elsewhere in the book).
PRESET_COLORS = {
    "paper2014": COLORS["paper"],
    "xenonnt": "#EE7733",
    "lz": "#117733",
    "pandax4t": "#EE3377",
    "xlzd": "#33BBEE",
}
#: How the book names the presets and sources.
PRESET_LABELS = {"paper2014": "paper 2014", "xenonnt": "XENONnT", "lz": "LZ", "pandax4t": "PandaX-4T", "xlzd": "XLZD"}
SOURCE_LABELS = {"cr51": "⁵¹Cr", "ar37": "³⁷Ar"}
#: Line style and marker per source.
SOURCE_LINESTYLES = {"cr51": "-", "ar37": "--"}
SOURCE_MARKERS = {"cr51": "o", "ar37": "s"}
#: One colour per kind of limit: a nu_e source as the book's signal, reactor antineutrinos as its
#: reactor colour, the Sun as its solar colour; stellar bounds (no meaning in COLORS yet) olive.
FLAVOUR_COLORS = {
    "nu_e": COLORS["signal"],
    "anti_nu_e": COLORS["reactor"],
    "solar_effective": COLORS["solar 7Be"],
    "all_flavours": "#999933",
}


def _round(x) -> list:
    a = np.asarray(x, dtype=float)
    return [float(f"{v:.{DIGITS}g}") for v in a.ravel()]


# -- precomputation ---------------------------------------------------------------------------
def mu_spectra(experiment: Experiment) -> dict:
    """S, M, B_other, B_136Xe on :data:`MU_EDGES_KEV` for one run of ``experiment`` (events)."""
    natural = experiment.with_options(xe136_depletion=0.0)
    depleted = experiment.with_options(xe136_depletion=1.0)
    fit = MagneticMomentFit(natural)
    edges, S, M, B = fit.spectra(float(MU_EDGES_KEV[0]))
    _, _, _, B_other = MagneticMomentFit(depleted).spectra(float(MU_EDGES_KEV[0]))
    idx = np.searchsorted(np.round(edges, 6), MU_EDGES_KEV)
    if not np.allclose(edges[np.minimum(idx, edges.size - 1)], MU_EDGES_KEV):
        raise ValueError("the explorer's energy edges must lie on the fit's 0.1 keV grid")

    def rebin(x):
        c = np.concatenate([[0.0], np.cumsum(x)])
        return np.diff(c[idx])

    return {
        "S": _round(rebin(S)),
        "M": _round(rebin(M)),
        "B_other": _round(rebin(B_other)),
        "B_xe136": _round(rebin(B - B_other)),
        "delta_chi2": fit.delta_chi2,
    }


def sterile_inputs(experiment: Experiment, response=None, n_mc: int = 200_000):
    """(inputs, response): per reco-distance bin S0, background shape and deficits D(dm^2) of the
    paper's distance fit, and the distance response (to reuse for the other source)."""
    check_instance("experiment", experiment, Experiment, "an Experiment (e.g. Experiment.from_file('xenonnt'))")
    exp = experiment.with_options(xe136_depletion=0.0)
    fit = SterileFit.for_experiment(exp, n_mc=n_mc, response=response)
    lo, hi = sterile_window_keV(exp)
    window = background_events_in_window(exp, lo, hi)
    n136 = float(window["136Xe"])  # the 136Xe two-neutrino double-beta component
    n_other = float(sum(window.values()) - n136)
    S0 = fit.signal_no_oscillation
    deficit = S0[None, :] - fit.signal(np.ones(DM2_GRID_EV2.size), DM2_GRID_EV2)
    shape = fit.background / fit.background_events
    return {
        "S0": _round(S0),
        "D": [_round(row) for row in deficit],
        "shape": _round(shape),
        "N_other": float(f"{n_other:.{DIGITS}g}"),
        "N_xe136": float(f"{n136:.{DIGITS}g}"),
        "background_sigma": fit.background_sigma,
        "signal_sigma": fit.norm_sigma,
        "delta_chi2": fit.delta_chi2,
        "reco_edges_cm": _round(fit.reco_edges_cm),
    }, fit.response


def _contour_paths(x, y, field, level, filled: bool) -> list:
    """Vertex lists [[x, y], ...] of the contour of ``field`` (shape (len(x), len(y))) at ``level``
    (``filled``: the closed polygons of field <= level, boundary included), traced by matplotlib."""
    ax = Figure().subplots()
    z = np.asarray(field, dtype=float).T
    if filled:
        cs = ax.contourf(x, y, z, levels=[float(np.min(z)) - 1.0, level])
    else:
        cs = ax.contour(x, y, z, levels=[level])
    return [np.round(seg, 4).tolist() for seg in cs.allsegs[0] if len(seg) > 2]


def gallium_polygons(s_grid=GALLIUM_S_GRID, m_grid=GALLIUM_DM2_GRID) -> dict:
    """The gallium allowed regions (with BEST, and 2014) as smooth polygons in (log10 sin^2 2theta,
    log10 dm^2): ``fill`` (closed, for an even-odd fill) and ``line`` (the Delta chi^2 contour
    itself, for the outline), each from matplotlib's contouring of the 95 % CL, 2 dof field."""
    ls, lm = np.log10(s_grid), np.log10(m_grid)
    out = {}
    for name, runs in (("best", GALLIUM_RUNS), ("2014", RUNS_2014)):
        g = gallium_fit(s_grid, m_grid, runs)
        out[name] = {
            "fill": _contour_paths(ls, lm, g["delta_chi2"], g["threshold"], True),
            "line": _contour_paths(ls, lm, g["delta_chi2"], g["threshold"], False),
        }
    return out


#: The command that regenerates the stored grids (also in lxenu/data/README.md).
GRIDS_COMMAND = "python -m lxenu.report.explorer --write-data"


def explorer_data(presets=PRESETS, sources=SOURCES, n_mc: int = 200_000) -> dict:
    """Everything the static explorer needs (JSON-serialisable)."""
    if not presets or not sources:
        raise ValueError(f"presets and sources must not be empty; got {presets!r}, {sources!r}")
    check_integer("n_mc", n_mc, 1000)
    configs = {}
    for preset in presets:
        response = None
        for source in sources:
            exp = experiment_for(preset, source)
            st, response = sterile_inputs(exp, response, n_mc)
            configs[f"{preset}/{source}"] = {
                "preset": preset,
                "source": source,
                "base_activity_MCi": exp.source.activity_MCi,
                "days": exp.run.days,
                "mass_t": exp.detector.mass_t,
                "gap_m": exp.detector.gap_m,
                "mu": mu_spectra(exp),
                "sterile": st,
            }
    xnt = mu_limits()["xenonnt2022"]
    ra = REACTOR_ANOMALY_2011
    return {
        "command": GRIDS_COMMAND,
        "presets": list(presets),
        "sources": list(sources),
        "labels": {**PRESET_LABELS, **SOURCE_LABELS},
        "colors": {
            **{p: PRESET_COLORS.get(p, COLORS["depleted"]) for p in presets},
            "gallium": COLORS["gallium"],
            "reactor": COLORS["reactor"],
            "xenonnt": FLAVOUR_COLORS["solar_effective"],
        },
        "defaults": DEFAULTS,
        "edges_keV": MU_EDGES_KEV.tolist(),
        "thresholds_keV": THRESHOLDS_KEV.tolist(),
        "dm2_eV2": DM2_GRID_EV2.tolist(),
        "gallium": gallium_polygons(),
        "reactor": {"sin2_2theta": ra.sin2_2theta, "error_95": ra.sin2_2theta_error_95, "dm2_min_eV2": ra.dm2_min_eV2},
        "xenonnt_95_muB": convert_confidence_level(xnt.value_muB, xnt.confidence_level, 0.95),
        "activities_MCi": list(ACTIVITIES_MCI),
        "deployments": list(DEPLOYMENTS),
        "depletions": list(DEPLETIONS),
        "bisection_steps": BISECTION_STEPS,
        "configs": configs,
    }


def _data_path():
    return resources.files("lxenu") / "data" / "explorer_grids.json"


def write_explorer_data(path=None, **kwargs) -> dict:
    """Compute :func:`explorer_data` and store it (default ``lxenu/data/explorer_grids.json``)."""
    data = explorer_data(**kwargs)
    with open(_data_path() if path is None else path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))
    return data


def load_explorer_data(path=None) -> dict:
    """The stored explorer grids (regenerate with ``python -m lxenu.report.explorer --write-data``)."""
    with open(_data_path() if path is None else path, encoding="utf-8") as fh:
        return json.load(fh)


def merged_config(config: dict, edges_keV) -> dict:
    """``config`` with its mu spectra merged onto coarser energy bins, keV (edges that are a subset of
    :data:`MU_EDGES_KEV` and include every threshold offered), e.g. :data:`FIRST_VERSION_EDGES_KEV`."""
    _check_config(config)
    edges = np.round(as_float_array("edges_keV", edges_keV), 6)
    idx = np.searchsorted(MU_EDGES_KEV, edges)
    ok = edges.ndim == 1 and edges.size > 1 and np.all(idx < MU_EDGES_KEV.size)
    if not ok or not np.allclose(MU_EDGES_KEV[np.minimum(idx, MU_EDGES_KEV.size - 1)], edges):
        raise ValueError("edges_keV must be increasing edges taken from MU_EDGES_KEV")
    if not set(THRESHOLDS_KEV) <= set(edges.tolist()) or edges[-1] != MU_EDGES_KEV[-1]:
        raise ValueError("edges_keV must contain every threshold offered and end at the last edge")

    def rebin(x):
        c = np.concatenate([[0.0], np.cumsum(x)])
        return np.diff(c[idx]).tolist()

    mu = config["mu"]
    merged = {k: rebin(mu[k]) for k in ("S", "M", "B_other", "B_xe136")}
    return {**config, "mu": {**mu, **merged, "edges_keV": edges.tolist()}}


# -- the formulas the page evaluates -------------------------------------------------------------
def _check_config(config) -> dict:
    if not isinstance(config, dict) or not {"base_activity_MCi", "mu", "sterile"} <= set(config):
        raise ValueError(
            "config must be one entry of explorer_data()['configs'] (keys base_activity_MCi, mu, sterile); "
            f"got {type(config).__name__} with keys {sorted(config) if isinstance(config, dict) else '-'}"
        )
    return config


def _check_setting(threshold_keV, activity_MCi, deployments, depletion):
    check_range("activity_MCi", activity_MCi, *ACTIVITY_RANGE_MCI, unit="MCi")
    check_integer("deployments", deployments, 1, MAX_DEPLOYMENTS)
    check_range("depletion", depletion, 0.0, 1.0, high_inclusive=False)
    if threshold_keV is not None:
        t = float(as_float_array("threshold_keV", threshold_keV))
        if not np.any(np.abs(THRESHOLDS_KEV - t) < 1e-9):
            raise ValueError(f"threshold_keV must be one of {THRESHOLDS_KEV.tolist()} keV; got {threshold_keV}")


def _poisson_chi2(S, M, B, x):
    D = S + B
    N = S + x * M + B
    return 2.0 * float(np.sum(N - D + D * np.log(D / N)))


def mu_limit(
    config: dict,
    threshold_keV: float,
    activity_MCi: float,
    deployments: int = 1,
    depletion: float = 0.0,
) -> float:
    """Expected one-sided 95 % CL mu_nu limit (mu_B) from a config of :func:`explorer_data`.

    The page's formula: bins from the threshold up, S and M times
    activity/base x deployments, B = deployments x (B_other + (1 - d) B_136Xe), Poisson Asimov
    chi^2, bisection in x = (mu / 1e-12 mu_B)^2.
    """
    _check_config(config)
    _check_setting(threshold_keV, activity_MCi, deployments, depletion)
    mu = config["mu"]
    k = int(np.argmin(np.abs(np.asarray(mu.get("edges_keV", MU_EDGES_KEV)) - threshold_keV)))
    a = activity_MCi / config["base_activity_MCi"] * deployments
    S, M = a * np.asarray(mu["S"])[k:], a * np.asarray(mu["M"])[k:]
    B = deployments * (np.asarray(mu["B_other"]) + (1.0 - depletion) * np.asarray(mu["B_xe136"]))[k:]
    keep = S + B > 0
    S, M, B = S[keep], M[keep], B[keep]
    target = mu["delta_chi2"]
    hi = 1.0
    while _poisson_chi2(S, M, B, hi) < target:
        hi *= 2.0
    lo = 0.0
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        if _poisson_chi2(S, M, B, mid) < target:
            lo = mid
        else:
            hi = mid
    return math.sqrt(0.5 * (lo + hi)) * MU_UNIT


def _sterile_chi2(S, B, data, pb):
    w = 1.0 / data
    r = S + B - data
    Saa, Sbb, Sab = np.sum(w * S * S), np.sum(w * B * B), np.sum(w * S * B)
    Sra, Srb, Srr = np.sum(w * r * S), np.sum(w * r * B), np.sum(w * r * r)
    A11, A22 = Saa, Sbb + pb
    det = A11 * A22 - Sab * Sab
    a = (-Sra * A22 + Srb * Sab) / det
    b = (-Srb * A11 + Sra * Sab) / det
    return max(float(Srr + a * Sra + b * Srb), 0.0)


def sterile_reach(config: dict, activity_MCi: float, deployments: int = 1, depletion: float = 0.0) -> np.ndarray:
    """Smallest excluded sin^2 2theta at each dm^2 of the config (inf where none: no exclusion): the page's formula.

    Signal normalisation free, background normalisation with the fit's prior (0.5 %), Gaussian
    chi^2 with sigma_i^2 = data_i against the no-oscillation Asimov data, 95 % CL, 2 dof.
    """
    _check_config(config)
    _check_setting(None, activity_MCi, deployments, depletion)
    st = config["sterile"]
    if st["signal_sigma"] is not None:
        raise ValueError("the explorer's sterile formula assumes a free signal normalisation")
    a = activity_MCi / config["base_activity_MCi"] * deployments
    S0 = a * np.asarray(st["S0"])
    B = deployments * (st["N_other"] + (1.0 - depletion) * st["N_xe136"]) * np.asarray(st["shape"])
    data = S0 + B
    keep = data > 0
    pb = 1.0 / st["background_sigma"] ** 2
    out = []
    for row in st["D"]:
        D = a * np.asarray(row)

        def chi2(s, D=D):
            return _sterile_chi2((S0 - s * D)[keep], B[keep], data[keep], pb)

        if chi2(1.0) <= st["delta_chi2"]:
            out.append(math.inf)  # no exclusion, as SterileFit.sensitivity says it
            continue
        lo, hi = 0.0, 1.0
        for _ in range(BISECTION_STEPS):
            mid = 0.5 * (lo + hi)
            if chi2(mid) < st["delta_chi2"]:
                lo = mid
            else:
                hi = mid
        out.append(0.5 * (lo + hi))
    return np.array(out)


# -- the page ---------------------------------------------------------------------------------------
def explorer_html(data: dict | None = None) -> str:
    """A self-contained HTML + JavaScript explorer (no kernel, no network) over :func:`explorer_data`."""
    data = load_explorer_data() if data is None else data
    text = json.dumps(data, separators=(",", ":"))
    uid = "lxenu-landscape-" + uuid.uuid5(uuid.NAMESPACE_URL, text[:4000]).hex[:8]
    return _TEMPLATE.replace("__UID__", uid).replace("__DATA__", text)


def write_explorer_page(path, data: dict | None = None) -> str:
    """Write :func:`explorer_html` wrapped in a minimal HTML document; returns the path."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>lxenu design explorer</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
            "<body><main style='max-width: 960px; margin: 0 auto; padding: 0 12px;'>"
            + explorer_html(data)
            + "</main></body></html>\n"
        )
    return str(path)


def _draw_gallium(ax, data):
    """The gallium regions of the page's data on a (sin^2 2theta, dm^2) axis, as the page draws them."""
    for name, dashed in (("best", False), ("2014", True)):
        g = data["gallium"][name]
        if not dashed:
            for poly in g["fill"]:
                p = 10.0 ** np.asarray(poly)
                ax.fill(p[:, 0], p[:, 1], color=COLORS["gallium"], alpha=0.18, lw=0)
        for line in g["line"]:
            p = 10.0 ** np.asarray(line)
            ax.plot(p[:, 0], p[:, 1], color=COLORS["gallium"], lw=1.2, ls="--" if dashed else "-")


def live_explorer(data: dict | None = None):
    """The same explorer with ipywidgets and matplotlib (needs a running kernel)."""
    import ipywidgets as w  # optional dependency (lxenu[widgets])
    from IPython.display import display

    data = load_explorer_data() if data is None else data
    style = {"description_width": "120px"}
    preset = w.Dropdown(options=data["presets"], description="detector", style=style)
    source = w.Dropdown(options=data["sources"], description="source", style=style)
    activity = w.FloatLogSlider(value=5.0, base=10, min=-0.3, max=1.7, description="activity [MCi]", style=style)
    threshold = w.SelectionSlider(options=data["thresholds_keV"], value=2.0, description="threshold [keV]", style=style)
    deployments = w.IntSlider(value=1, min=1, max=10, description="deployments", style=style)
    depletion = w.FloatSlider(value=0.0, min=0.0, max=0.99, step=0.01, description="¹³⁶Xe depletion", style=style)
    out_text = w.HTML()
    out_fig = w.Output()
    fig = Figure(figsize=(5.5, 4.4))
    ax = fig.subplots()

    def update(_=None):
        cfg = data["configs"][f"{preset.value}/{source.value}"]
        lim = mu_limit(cfg, threshold.value, activity.value, deployments.value, depletion.value)
        reach = sterile_reach(cfg, activity.value, deployments.value, depletion.value)
        dm2 = np.asarray(data["dm2_eV2"])
        at = {m: reach[int(np.argmin(np.abs(dm2 - m)))] for m in (1.0, 2.0, 5.0)}
        out_text.value = f"<b>μν limit (95 % CL): {lim / 1e-12:.2f} × 10⁻¹² μB</b>; sterile reach sin²2θ: " + ", ".join(
            ("none" if not np.isfinite(v) else f"{v:.3f}") + f" at {m:g} eV²" for m, v in at.items()
        )
        ax.clear()
        _draw_gallium(ax, data)
        draw_reactor_anomaly(ax)
        ax.plot(reach, dm2, color=PRESET_COLORS.get(preset.value, COLORS["depleted"]), lw=2)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(0.01, 1.0)
        ax.set_ylim(dm2[0], dm2[-1])
        ax.set_xlabel(r"$\sin^2 2\theta$")
        ax.set_ylabel(r"$\Delta m^2$ [eV$^2$]")
        ax.set_title(f"{PRESET_LABELS.get(preset.value, preset.value)} + {SOURCE_LABELS[source.value]}: excluded right")
        with out_fig:
            out_fig.clear_output(wait=True)
            display(fig)

    for c in (preset, source, activity, threshold, deployments, depletion):
        c.observe(update, names="value")
    update()
    return w.VBox([w.HBox([preset, source]), activity, threshold, deployments, depletion, out_text, out_fig])


_TEMPLATE = r"""
<div id="__UID__" class="lxenu-explorer" style="font-family: sans-serif; font-size: 14px; max-width: 100%; min-width: 0;">
  <p id="__UID__-out" style="font-weight: bold; margin: 4px 0 8px 0;">
    μ<sub>ν</sub> limit (95 % CL): <span data-out="mu"></span> × 10<sup>−12</sup> μ<sub>B</sub>;
    sterile reach sin²2θ at 1, 2, 5 eV²: <span data-out="s1"></span>, <span data-out="s2"></span>, <span data-out="s5"></span>
  </p>
  <div style="display: grid; grid-template-columns: minmax(110px, 150px) minmax(0, 1fr) 90px; gap: 4px 10px; align-items: center;">
    <label for="__UID__-det">detector</label><select id="__UID__-det" data-control="preset"></select><span data-out="detector" style="font-size: 12px;"></span>
    <label for="__UID__-src">source</label><select id="__UID__-src" data-control="source"></select><span></span>
    <label for="__UID__-act">source activity</label><input id="__UID__-act" data-control="activity" type="range" step="1"><span id="__UID__-act-v"></span>
    <label for="__UID__-thr">threshold</label><input id="__UID__-thr" data-control="threshold" type="range" step="1"><span id="__UID__-thr-v"></span>
    <label for="__UID__-dep">deployments</label><input id="__UID__-dep" data-control="deployments" type="range" step="1"><span id="__UID__-dep-v"></span>
    <label for="__UID__-xe">¹³⁶Xe depletion</label><input id="__UID__-xe" data-control="depletion" type="range" step="1"><span id="__UID__-xe-v"></span>
  </div>
  <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 10px; margin-top: 10px;">
    <div class="lxenu-panel" style="min-width: 0;">
      <div class="lxenu-canvasbox" style="position: relative; width: 100%; min-width: 0;">
        <canvas id="__UID__-mu" data-plot="mu" style="display: block; width: 100%; height: 270px;" aria-label="mu_nu limit against threshold"></canvas>
      </div>
      <div class="lxenu-legend" data-legend="mu" style="font-size: 12px; line-height: 1.5; margin-top: 2px;"></div>
    </div>
    <div class="lxenu-panel" style="min-width: 0;">
      <div class="lxenu-canvasbox" style="position: relative; width: 100%; min-width: 0;">
        <canvas id="__UID__-st" data-plot="sterile" style="display: block; width: 100%; height: 270px;" aria-label="sterile reach against the anomalies"></canvas>
      </div>
      <div class="lxenu-legend" data-legend="sterile" style="font-size: 12px; line-height: 1.5; margin-top: 2px;"></div>
    </div>
  </div>
</div>
<script>
(function () {
  "use strict";
  var D = __DATA__;
  var uid = "__UID__";
  function el(s) { return document.getElementById(uid + s); }
  var root = el(""), act = el("-act"), thr = el("-thr"), dep = el("-dep"), xe = el("-xe"), det = el("-det"), src = el("-src");
  var canvasMu = el("-mu"), canvasSt = el("-st");
  function init(r, list, value) { r.min = 0; r.max = list.length - 1; var i = list.indexOf(value); r.value = i >= 0 ? i : 0; }
  init(act, D.activities_MCi, D.defaults.activity_MCi); init(thr, D.thresholds_keV, D.defaults.threshold_keV);
  init(dep, D.deployments, D.defaults.deployments); init(xe, D.depletions, D.defaults.depletion);
  D.presets.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.textContent = D.labels[p] || p; det.appendChild(o); });
  D.sources.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.textContent = D.labels[p] || p; src.appendChild(o); });

  function poissonChi2(S, M, B, x) {
    var c = 0;
    for (var i = 0; i < S.length; i++) { var d = S[i] + B[i], n = d + x * M[i]; c += n - d + d * Math.log(d / n); }
    return 2 * c;
  }
  function muLimit(cfg, t, a, n, d) {
    var k = 0, best = 1e9;
    D.edges_keV.forEach(function (e, i) { if (Math.abs(e - t) < best) { best = Math.abs(e - t); k = i; } });
    var f = a / cfg.base_activity_MCi * n, S = [], M = [], B = [];
    for (var i = k; i < cfg.mu.S.length; i++) {
      var s = f * cfg.mu.S[i], b = n * (cfg.mu.B_other[i] + (1 - d) * cfg.mu.B_xe136[i]);
      if (s + b > 0) { S.push(s); M.push(f * cfg.mu.M[i]); B.push(b); }
    }
    var target = cfg.mu.delta_chi2, hi = 1, lo = 0;
    while (poissonChi2(S, M, B, hi) < target) { hi *= 2; }
    for (var j = 0; j < D.bisection_steps; j++) { var mid = 0.5 * (lo + hi); if (poissonChi2(S, M, B, mid) < target) { lo = mid; } else { hi = mid; } }
    return Math.sqrt(0.5 * (lo + hi)) * 1e-12;
  }
  function sterileChi2(S, B, data, pb) {
    var Saa = 0, Sbb = 0, Sab = 0, Sra = 0, Srb = 0, Srr = 0;
    for (var i = 0; i < S.length; i++) {
      var w = 1 / data[i], r = S[i] + B[i] - data[i];
      Saa += w * S[i] * S[i]; Sbb += w * B[i] * B[i]; Sab += w * S[i] * B[i];
      Sra += w * r * S[i]; Srb += w * r * B[i]; Srr += w * r * r;
    }
    var A11 = Saa, A22 = Sbb + pb, det = A11 * A22 - Sab * Sab;
    var a = (-Sra * A22 + Srb * Sab) / det, b = (-Srb * A11 + Sra * Sab) / det;
    return Math.max(Srr + a * Sra + b * Srb, 0);
  }
  function sterileReach(cfg, a, n, d) {
    var st = cfg.sterile, f = a / cfg.base_activity_MCi * n, nb = n * (st.N_other + (1 - d) * st.N_xe136);
    var S0 = [], B = [], data = [], idx = [];
    for (var i = 0; i < st.S0.length; i++) {
      var s = f * st.S0[i], b = nb * st.shape[i];
      if (s + b > 0) { idx.push(i); S0.push(s); B.push(b); data.push(s + b); }
    }
    var pb = 1 / (st.background_sigma * st.background_sigma);
    return st.D.map(function (row) {
      var Dk = idx.map(function (i) { return f * row[i]; });
      function chi2(x) { return sterileChi2(S0.map(function (v, j) { return v - x * Dk[j]; }), B, data, pb); }
      if (chi2(1) <= st.delta_chi2) { return null; }
      var lo = 0, hi = 1;
      for (var j = 0; j < D.bisection_steps; j++) { var mid = 0.5 * (lo + hi); if (chi2(mid) < st.delta_chi2) { lo = mid; } else { hi = mid; } }
      return 0.5 * (lo + hi);
    });
  }
  window.lxenuLandscape = window.lxenuLandscape || {};
  window.lxenuLandscape[uid] = { data: D, muLimit: muLimit, sterileReach: sterileReach };

  // A canvas drawn at the width its box has now (measured after layout) and the device pixel ratio.
  function setup(canvas) {
    var dpr = window.devicePixelRatio || 1, box = canvas.parentNode;
    var w = Math.max(1, Math.floor(box.getBoundingClientRect().width)), h = Math.max(1, Math.round(canvas.getBoundingClientRect().height) || 270);
    var bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (canvas.width !== bw) { canvas.width = bw; }
    if (canvas.height !== bh) { canvas.height = bh; }
    var ctx = canvas.getContext("2d"); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }
  // text with sub- and superscripts: parts are [text, "sub" | "sup" | undefined]
  function rich(ctx, parts, x, y, align) {
    var big = "12px sans-serif", small = "9px sans-serif", width = 0;
    parts.forEach(function (p) { ctx.font = p[1] ? small : big; width += ctx.measureText(p[0]).width; });
    var x0 = align === "center" ? x - width / 2 : align === "right" ? x - width : x;
    var save = ctx.textAlign; ctx.textAlign = "left";
    parts.forEach(function (p) {
      ctx.font = p[1] ? small : big;
      ctx.fillText(p[0], x0, y + (p[1] === "sub" ? 3 : p[1] === "sup" ? -5 : 0));
      x0 += ctx.measureText(p[0]).width;
    });
    ctx.textAlign = save; ctx.font = big;
  }
  function frame(g, xmin, xmax, ymin, ymax, logx, logy, xlabel, ylabel) {
    var L = 58, R = 12, T = 10, Bm = 42, ctx = g.ctx;
    ctx.clearRect(0, 0, g.w, g.h); ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, g.w, g.h);
    ctx.strokeStyle = "#333"; ctx.fillStyle = "#222"; ctx.font = "12px sans-serif"; ctx.lineWidth = 1;
    function tr(v, lo, hi, log) { return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo); }
    var fx = function (x) { return L + tr(x, xmin, xmax, logx) * (g.w - L - R); };
    var fy = function (y) { return T + (1 - tr(y, ymin, ymax, logy)) * (g.h - T - Bm); };
    function ticks(lo, hi, log) {
      var out = [];
      if (log) { for (var p = Math.ceil(Math.log10(lo) - 1e-9); p <= Math.floor(Math.log10(hi) + 1e-9); p++) { out.push(Math.pow(10, p)); } }
      else { var st = (hi - lo) / 5, m = Math.pow(10, Math.floor(Math.log10(st))), r = st / m; st = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * m;
             for (var v = Math.ceil(lo / st) * st; v <= hi + 1e-9; v += st) { out.push(+v.toFixed(6)); } }
      return out;
    }
    ctx.strokeStyle = "#e6e6e6";
    ticks(xmin, xmax, logx).forEach(function (x) { ctx.beginPath(); ctx.moveTo(fx(x), T); ctx.lineTo(fx(x), g.h - Bm); ctx.stroke(); });
    ticks(ymin, ymax, logy).forEach(function (y) { ctx.beginPath(); ctx.moveTo(L, fy(y)); ctx.lineTo(g.w - R, fy(y)); ctx.stroke(); });
    ctx.strokeStyle = "#333"; ctx.strokeRect(L, T, g.w - L - R, g.h - T - Bm);
    ctx.textAlign = "center";
    ticks(xmin, xmax, logx).forEach(function (x) { ctx.fillText(String(x), fx(x), g.h - Bm + 15); });
    rich(ctx, xlabel, L + (g.w - L - R) / 2, g.h - 8, "center");
    ctx.textAlign = "right";
    ticks(ymin, ymax, logy).forEach(function (y) { ctx.fillText(String(y), L - 5, fy(y) + 4); });
    ctx.save(); ctx.translate(14, T + (g.h - T - Bm) / 2); ctx.rotate(-Math.PI / 2); rich(ctx, ylabel, 0, 0, "center"); ctx.restore();
    ctx.save(); ctx.beginPath(); ctx.rect(L, T, g.w - L - R, g.h - T - Bm); ctx.clip();
    return { fx: fx, fy: fy, ctx: ctx, done: function () { ctx.restore(); } };
  }
  function swatch(kind, color, text) {
    var s = '<span style="display:inline-block; margin-right:12px;">';
    if (kind === "line") { s += '<span style="display:inline-block; width:22px; border-top:2px solid ' + color + '; margin-right:5px; vertical-align:middle;"></span>'; }
    if (kind === "dash") { s += '<span style="display:inline-block; width:22px; border-top:2px dashed ' + color + '; margin-right:5px; vertical-align:middle;"></span>'; }
    if (kind === "fill") { s += '<span style="display:inline-block; width:18px; height:11px; background:' + color + '2e; border:1.5px solid ' + color + '; margin-right:5px; vertical-align:middle;"></span>'; }
    if (kind === "dot") { s += '<span style="display:inline-block; width:9px; height:9px; border-radius:50%; background:' + color + '; margin-right:5px; vertical-align:middle;"></span>'; }
    if (kind === "bar") { s += '<span style="display:inline-block; width:18px; text-align:center; color:' + color + '; margin-right:5px; font-weight:bold;">⟷</span>'; }
    return s + text + "</span>";
  }
  function polygon(ctx, g, poly) {
    poly.forEach(function (v, i) { var x = g.fx(Math.pow(10, v[0])), y = g.fy(Math.pow(10, v[1])); if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); } });
  }
  function state() {
    return { a: D.activities_MCi[+act.value], t: D.thresholds_keV[+thr.value], n: D.deployments[+dep.value], d: D.depletions[+xe.value],
             cfg: D.configs[det.value + "/" + src.value] };
  }
  function draw() {
    var s = state(), a = s.a, t = s.t, n = s.n, d = s.d, cfg = s.cfg;
    el("-act-v").textContent = a + " MCi"; el("-thr-v").textContent = t.toFixed(1) + " keV";
    el("-dep-v").textContent = n + (n === 1 ? " run" : " runs"); el("-xe-v").textContent = Math.round(100 * d) + " %";
    root.querySelector('[data-out="detector"]').textContent = cfg.mass_t.toFixed(1) + " t, " + cfg.gap_m.toFixed(2) + " m";
    var lim = muLimit(cfg, t, a, n, d), reach = sterileReach(cfg, a, n, d);
    function at(m) { var j = 0, best = 1e9; D.dm2_eV2.forEach(function (v, i) { if (Math.abs(v - m) < best) { best = Math.abs(v - m); j = i; } }); return reach[j]; }
    function fmt(v) { return v === null ? "none" : v.toFixed(3); }
    root.querySelector('[data-out="mu"]').textContent = (lim / 1e-12).toFixed(2);
    root.querySelector('[data-out="s1"]').textContent = fmt(at(1)); root.querySelector('[data-out="s2"]').textContent = fmt(at(2));
    root.querySelector('[data-out="s5"]').textContent = fmt(at(5));
    var color = D.colors[det.value] || "#000", name = (D.labels[det.value] || det.value) + " + " + (D.labels[src.value] || src.value);
    var dash = src.value === "ar37" ? [7, 4] : [];
    // mu limit against threshold, with XENONnT's solar bound moved to 95 % CL
    var T = D.thresholds_keV, curve = T.map(function (tt) { return muLimit(cfg, tt, a, n, d) / 1e-12; }), xnt = D.xenonnt_95_muB / 1e-12;
    var ymax = Math.max(Math.max.apply(null, curve), xnt) * 1.12, ymin = Math.min(Math.min.apply(null, curve), xnt) * 0.85;
    var g1 = frame(setup(canvasMu), T[0], T[T.length - 1], ymin, ymax, false, false,
                   [["threshold [keV]"]], [["μ"], ["ν", "sub"], [" limit [10"], ["−12", "sup"], [" μ"], ["B", "sub"], ["]"]]);
    var c1 = g1.ctx;
    c1.strokeStyle = D.colors.xenonnt; c1.lineWidth = 1.5; c1.setLineDash([5, 4]); c1.beginPath();
    c1.moveTo(g1.fx(T[0]), g1.fy(xnt)); c1.lineTo(g1.fx(T[T.length - 1]), g1.fy(xnt)); c1.stroke();
    c1.strokeStyle = color; c1.lineWidth = 2; c1.setLineDash(dash); c1.beginPath();
    T.forEach(function (tt, i) { if (i === 0) { c1.moveTo(g1.fx(tt), g1.fy(curve[i])); } else { c1.lineTo(g1.fx(tt), g1.fy(curve[i])); } });
    c1.stroke(); c1.setLineDash([]);
    c1.fillStyle = color; c1.strokeStyle = "#fff"; c1.beginPath(); c1.arc(g1.fx(t), g1.fy(lim / 1e-12), 5, 0, 2 * Math.PI); c1.fill(); c1.stroke();
    g1.done();
    root.querySelector('[data-legend="mu"]').innerHTML = swatch(src.value === "ar37" ? "dash" : "line", color, name + ", expected (95 % CL)") +
      swatch("dot", color, "this threshold") + swatch("dash", D.colors.xenonnt, "XENONnT 2022, solar (90 % → 95 % CL)");
    // sterile contour with the gallium regions (smooth polygons) and the reactor anomaly's best fit
    var dm = D.dm2_eV2;
    var g2 = frame(setup(canvasSt), 0.01, 1, dm[0], dm[dm.length - 1], true, true, [["sin"], ["2", "sup"], ["2θ"]], [["Δm"], ["2", "sup"], [" [eV"], ["2", "sup"], ["]"]]);
    var c2 = g2.ctx, gc = D.colors.gallium;
    c2.fillStyle = gc + "2e"; c2.beginPath(); D.gallium.best.fill.forEach(function (p) { polygon(c2, g2, p); c2.closePath(); }); c2.fill("evenodd");
    c2.strokeStyle = gc; c2.lineWidth = 1.3; D.gallium.best.line.forEach(function (p) { c2.beginPath(); polygon(c2, g2, p); c2.stroke(); });
    c2.setLineDash([5, 3]); D.gallium["2014"].line.forEach(function (p) { c2.beginPath(); polygon(c2, g2, p); c2.stroke(); }); c2.setLineDash([]);
    var ra = D.reactor, rc = D.colors.reactor, ry = g2.fy(ra.dm2_min_eV2);
    c2.strokeStyle = rc; c2.fillStyle = rc; c2.lineWidth = 1.5; c2.beginPath();
    c2.moveTo(g2.fx(ra.sin2_2theta - ra.error_95), ry); c2.lineTo(g2.fx(ra.sin2_2theta + ra.error_95), ry);
    [ra.sin2_2theta - ra.error_95, ra.sin2_2theta + ra.error_95].forEach(function (v) { c2.moveTo(g2.fx(v), ry - 4); c2.lineTo(g2.fx(v), ry + 4); });
    var rx = g2.fx(ra.sin2_2theta), top = g2.fy(4 * ra.dm2_min_eV2);
    c2.moveTo(rx, ry); c2.lineTo(rx, top); c2.moveTo(rx - 4, top + 6); c2.lineTo(rx, top); c2.lineTo(rx + 4, top + 6); c2.stroke();
    c2.beginPath(); c2.moveTo(rx, ry - 5); c2.lineTo(rx + 5, ry); c2.lineTo(rx, ry + 5); c2.lineTo(rx - 5, ry); c2.closePath(); c2.fill();
    c2.strokeStyle = color; c2.lineWidth = 2.2; c2.setLineDash(dash); c2.beginPath();
    var started = false;
    reach.forEach(function (v, j) { if (v === null) { started = false; return; } var x = g2.fx(Math.max(v, 0.01)), y = g2.fy(dm[j]);
      if (!started) { c2.moveTo(x, y); started = true; } else { c2.lineTo(x, y); } });
    c2.stroke(); c2.setLineDash([]);
    g2.done();
    root.querySelector('[data-legend="sterile"]').innerHTML = swatch(src.value === "ar37" ? "dash" : "line", color, name + ": excluded to the right (95 % CL)") +
      swatch("fill", gc, "gallium with BEST") + swatch("dash", gc, "gallium 2014") + swatch("bar", rc, "reactor anomaly fit, Δm² > " + ra.dm2_min_eV2 + " eV²");
  }
  [act, thr, dep, xe].forEach(function (e) { e.addEventListener("input", draw); });
  [det, src].forEach(function (e) { e.addEventListener("change", draw); });
  // redraw whenever a canvas's column changes width (window resize, sidebar, layout settling)
  var widths = [0, 0], pending = false;
  function schedule() { if (!pending) { pending = true; window.requestAnimationFrame(function () { pending = false; draw(); }); } }
  function resized() {
    var w = [canvasMu.parentNode.clientWidth, canvasSt.parentNode.clientWidth];
    if (w[0] !== widths[0] || w[1] !== widths[1]) { widths = w; schedule(); }
  }
  if (window.ResizeObserver) {
    var ro = new ResizeObserver(resized);
    [root, canvasMu.parentNode, canvasSt.parentNode].forEach(function (b) { ro.observe(b); });
  }
  window.addEventListener("resize", resized);
  draw();
})();
</script>
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Precompute the design explorer's grids or write its page")
    ap.add_argument("--write-data", action="store_true", help="recompute lxenu/data/explorer_grids.json")
    ap.add_argument("--page", default=None, help="write a standalone explorer page to this path")
    args = ap.parse_args(argv)
    data = write_explorer_data() if args.write_data else None
    if args.page:
        print(write_explorer_page(args.page, data))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

r"""The design explorer: detector preset x source x activity x threshold x deployments x 136Xe depletion.

Works without a kernel. What the page needs is precomputed per detector preset and source by
:func:`explorer_data` and embedded as JSON in a self-contained HTML page (:func:`explorer_html`;
no CDN, no network); the page's JavaScript then evaluates the *same* formulas as the Python
functions here, so the numbers it shows can be checked against Python (tests/test_explorer.py):

* mu_nu: the recoil spectra S (Standard Model), M (magnetic, at 1e-12 mu_B), B_other and
  B_136Xe of one 100-day deployment of the preset source, on the bins of :data:`MU_EDGES_KEV`
  (0.5 keV bins to 10 keV, then 1 and 2 keV). The activity and the number of deployments scale
  S and M exactly (a fresh source each deployment, :class:`~lxenu.experiment.source.RunPlan`), the
  deployments scale B, and the depletion d scales B_136Xe by (1 - d) (the 136Xe atoms,
  :mod:`lxenu.physics.backgrounds`). The limit is the paper's Poisson Asimov limit
  (:func:`mu_limit`: Delta chi^2 = 2.71, one-sided 95 % CL) from the threshold up; with
  0.5 keV bins it is within 1 % of :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`'s 0.1 keV one.
* sterile: per reconstructed-distance bin the no-oscillation signal S0, the deficit per unit
  sin^2 2theta D(dm^2) at the dm^2 of :data:`DM2_GRID_EV2`, and the unit-normalised background
  shape, with the window's 136Xe and other background counts; the activity and deployments scale
  S0 and D, the background scales as above. :func:`sterile_reach` is
  :class:`~lxenu.analyses.sterile.SterileFit`'s profiled Gaussian chi^2 (signal free, 0.5 % background
  prior, 95 % CL, 2 dof), bisected in sin^2 2theta.

:func:`live_explorer` is the ipywidgets version for a running kernel.
"""

from __future__ import annotations

import argparse
import json
import math
import uuid
from importlib import resources

import numpy as np

from ..analyses.gallium import GALLIUM_RUNS, REACTOR_ANOMALY, gallium_fit
from ..analyses.landscape import PRESETS, SOURCES, convert_confidence_level, experiment_for, mu_limits
from ..analyses.magnetic_moment import MagneticMomentFit
from ..analyses.sterile import SterileFit, sterile_window_keV
from ..constants import MU_UNIT
from ..experiment.experiment import Experiment
from ..predict.backgrounds import background_events_in_window
from ..validation import check_integer, check_positive, check_range

#: Energy bins of the explorer's mu analysis, keV; its thresholds are the edges up to 10 keV.
MU_EDGES_KEV = np.round(
    np.concatenate([np.arange(0.5, 10.0, 0.5), np.arange(10.0, 30.0, 1.0), np.arange(30.0, 140.01, 2.0)]), 6
)
#: Thresholds the explorer offers, keV.
THRESHOLDS_KEV = MU_EDGES_KEV[MU_EDGES_KEV <= 10.0]
#: dm^2 grid of the explorer's sterile contour, eV^2 (log-spaced, with 1, 2 and 5 eV^2 on it).
DM2_GRID_EV2 = np.unique(np.round(np.concatenate([np.geomspace(0.1, 20.0, 28), [1.0, 2.0, 5.0]]), 6))
#: sin^2 2theta grid of the gallium allowed region drawn behind the contour.
SIN2_GRID = np.geomspace(0.01, 1.0, 40)
#: Activities, deployments and depletions offered by the static page.
ACTIVITIES_MCI = (0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 50.0)
DEPLOYMENTS = tuple(range(1, 11))
DEPLETIONS = (0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
#: Bisection steps of both limits (Python and JavaScript alike).
BISECTION_STEPS = 60
#: Significant digits kept in the page's JSON.
DIGITS = 7


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
    if not np.allclose(edges[idx], MU_EDGES_KEV):
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


def sterile_inputs(experiment: Experiment, response=None, n_mc: int = 200_000) -> dict:
    """Per reco-distance bin S0, background shape and deficits D(dm^2) of the paper's distance fit."""
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


def explorer_data(presets=PRESETS, sources=SOURCES, n_mc: int = 200_000) -> dict:
    """Everything the static explorer needs (JSON-serialisable)."""
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
    ga = gallium_fit(SIN2_GRID, DM2_GRID_EV2, GALLIUM_RUNS)
    xnt = mu_limits()["xenonnt2022"]
    return {
        "presets": list(presets),
        "sources": list(sources),
        "edges_keV": MU_EDGES_KEV.tolist(),
        "thresholds_keV": THRESHOLDS_KEV.tolist(),
        "dm2_eV2": DM2_GRID_EV2.tolist(),
        "sin2_grid": _round(SIN2_GRID),
        "gallium_allowed": ga["allowed"].astype(int).tolist(),
        "reactor": REACTOR_ANOMALY,
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


# -- the formulas the page evaluates -------------------------------------------------------------
def _check_setting(threshold_keV, activity_MCi, deployments, depletion):
    check_positive("activity_MCi", activity_MCi, "MCi")
    check_integer("deployments", deployments, 1)
    check_range("depletion", depletion, 0.0, 1.0, high_inclusive=False)
    if threshold_keV is not None:
        check_range("threshold_keV", threshold_keV, float(THRESHOLDS_KEV[0]), float(THRESHOLDS_KEV[-1]), unit="keV")


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
    edges_keV=MU_EDGES_KEV,
) -> float:
    """Expected one-sided 95 % CL mu_nu limit (mu_B) from a config of :func:`explorer_data`.

    The page's formula: bins from the threshold up, S and M times
    activity/base x deployments, B = deployments x (B_other + (1 - d) B_136Xe), Poisson Asimov
    chi^2, bisection in x = (mu / 1e-12 mu_B)^2.
    """
    _check_setting(threshold_keV, activity_MCi, deployments, depletion)
    edges = np.asarray(edges_keV, dtype=float)
    k = int(np.argmin(np.abs(edges - threshold_keV)))
    if abs(edges[k] - threshold_keV) > 1e-9:
        raise ValueError(f"threshold_keV must be one of {THRESHOLDS_KEV.tolist()}; got {threshold_keV}")
    mu = config["mu"]
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
    """Smallest excluded sin^2 2theta at each dm^2 of the config (NaN where none): the page's formula.

    Signal normalisation free, background normalisation with the fit's prior (0.5 %), Gaussian
    chi^2 with sigma_i^2 = data_i against the no-oscillation Asimov data, 95 % CL, 2 dof.
    """
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
            out.append(math.nan)
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
            "</head><body>" + explorer_html(data) + "</body></html>\n"
        )
    return str(path)


def live_explorer(data: dict | None = None):
    """The same explorer with ipywidgets and matplotlib (needs a running kernel)."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    data = load_explorer_data() if data is None else data
    style = {"description_width": "120px"}
    preset = w.Dropdown(options=data["presets"], description="detector", style=style)
    source = w.Dropdown(options=data["sources"], description="source", style=style)
    activity = w.FloatLogSlider(value=5.0, base=10, min=-0.3, max=1.7, description="activity [MCi]", style=style)
    threshold = w.SelectionSlider(options=data["thresholds_keV"], value=1.0, description="threshold [keV]", style=style)
    deployments = w.IntSlider(value=1, min=1, max=10, description="deployments", style=style)
    depletion = w.FloatSlider(value=0.0, min=0.0, max=0.99, step=0.01, description="136Xe depletion", style=style)
    out_text = w.HTML()
    out_fig = w.Output()
    with out_fig:
        fig, ax = plt.subplots(figsize=(5.5, 3.8))
        plt.close(fig)

    def update(_=None):
        cfg = data["configs"][f"{preset.value}/{source.value}"]
        lim = mu_limit(cfg, threshold.value, activity.value, deployments.value, depletion.value)
        reach = sterile_reach(cfg, activity.value, deployments.value, depletion.value)
        dm2 = np.asarray(data["dm2_eV2"])
        at = {m: reach[int(np.argmin(np.abs(dm2 - m)))] for m in (1.0, 2.0, 5.0)}
        out_text.value = f"<b>μν limit (95 % CL): {lim / 1e-12:.2f} × 10⁻¹² μB</b>; sterile reach sin²2θ: " + ", ".join(
            f"{v:.3f} at {m:g} eV²" for m, v in at.items()
        )
        ax.clear()
        ax.loglog(reach, dm2, color="#0072B2", label=f"{preset.value} + {source.value}")
        ax.set_xlim(0.01, 1.0)
        ax.set_ylim(dm2[0], dm2[-1])
        ax.set_xlabel(r"$\sin^2 2\theta$")
        ax.set_ylabel(r"$\Delta m^2$ [eV$^2$]")
        ax.legend(loc="lower left")
        with out_fig:
            out_fig.clear_output(wait=True)
            display(fig)

    for c in (preset, source, activity, threshold, deployments, depletion):
        c.observe(update, names="value")
    update()
    return w.VBox([w.HBox([preset, source]), activity, threshold, deployments, depletion, out_text, out_fig])


_TEMPLATE = r"""
<div id="__UID__" class="lxenu-explorer" style="font-family: sans-serif; font-size: 14px; max-width: 100%;">
  <div style="display:grid; grid-template-columns: minmax(120px, 170px) 1fr 110px; gap: 4px 10px; align-items: center;">
    <label for="__UID__-act">source activity</label><input id="__UID__-act" data-control="activity" type="range" step="1"><span id="__UID__-act-v"></span>
    <label for="__UID__-thr">threshold</label><input id="__UID__-thr" data-control="threshold" type="range" step="1"><span id="__UID__-thr-v"></span>
    <label for="__UID__-dep">deployments</label><input id="__UID__-dep" data-control="deployments" type="range" step="1"><span id="__UID__-dep-v"></span>
    <label for="__UID__-xe">¹³⁶Xe depletion</label><input id="__UID__-xe" data-control="depletion" type="range" step="1"><span id="__UID__-xe-v"></span>
    <label for="__UID__-det">detector</label><select id="__UID__-det" data-control="preset"></select><span></span>
    <label for="__UID__-src">source</label><select id="__UID__-src" data-control="source"></select><span></span>
  </div>
  <p id="__UID__-out" style="font-weight: bold; margin: 8px 0;">
    μν limit (95% CL): <span data-out="mu"></span> × 10⁻¹² μB;
    sterile reach sin²2θ at 1, 2, 5 eV²: <span data-out="s1"></span>, <span data-out="s2"></span>, <span data-out="s5"></span>
  </p>
  <div style="display:flex; flex-wrap: wrap; gap: 8px;">
    <div style="flex: 1 1 300px; min-width: 260px;"><canvas id="__UID__-mu" style="width:100%; height:260px;" aria-label="mu limit against threshold"></canvas></div>
    <div style="flex: 1 1 300px; min-width: 260px;"><canvas id="__UID__-st" style="width:100%; height:260px;" aria-label="sterile reach"></canvas></div>
  </div>
</div>
<script>
(function () {
  "use strict";
  var D = __DATA__;
  var uid = "__UID__";
  function el(s) { return document.getElementById(uid + s); }
  var act = el("-act"), thr = el("-thr"), dep = el("-dep"), xe = el("-xe"), det = el("-det"), src = el("-src");
  function init(r, list, value) { r.min = 0; r.max = list.length - 1; var i = list.indexOf(value); r.value = i >= 0 ? i : 0; }
  init(act, D.activities_MCi, 5.0); init(thr, D.thresholds_keV, 2.0); init(dep, D.deployments, 1); init(xe, D.depletions, 0.0);
  D.presets.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.textContent = p; det.appendChild(o); });
  D.sources.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.textContent = p; src.appendChild(o); });

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

  function setup(canvas) {
    var dpr = window.devicePixelRatio || 1, w = canvas.clientWidth || 320, h = canvas.clientHeight || 260;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    var ctx = canvas.getContext("2d"); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }
  function frame(g, xmin, xmax, ymin, ymax, logx, logy, xlabel, ylabel) {
    var L = 56, R = 10, T = 10, Bm = 40, ctx = g.ctx;
    ctx.clearRect(0, 0, g.w, g.h); ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, g.w, g.h);
    ctx.strokeStyle = "#333"; ctx.fillStyle = "#222"; ctx.font = "11px sans-serif"; ctx.lineWidth = 1;
    ctx.strokeRect(L, T, g.w - L - R, g.h - T - Bm);
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
    ctx.textAlign = "center";
    ticks(xmin, xmax, logx).forEach(function (x) { ctx.fillText(String(x), fx(x), g.h - Bm + 14); });
    ctx.fillText(xlabel, L + (g.w - L - R) / 2, g.h - 6);
    ctx.textAlign = "right";
    ticks(ymin, ymax, logy).forEach(function (y) { ctx.fillText(String(y), L - 4, fy(y) + 4); });
    ctx.save(); ctx.translate(12, T + (g.h - T - Bm) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center"; ctx.fillText(ylabel, 0, 0); ctx.restore();
    return { fx: fx, fy: fy, ctx: ctx };
  }
  function draw() {
    var a = D.activities_MCi[+act.value], t = D.thresholds_keV[+thr.value], n = D.deployments[+dep.value], d = D.depletions[+xe.value];
    var cfg = D.configs[det.value + "/" + src.value];
    el("-act-v").textContent = a + " MCi"; el("-thr-v").textContent = t.toFixed(1) + " keV";
    el("-dep-v").textContent = n + (n === 1 ? " run" : " runs"); el("-xe-v").textContent = Math.round(100 * d) + " %";
    var lim = muLimit(cfg, t, a, n, d), reach = sterileReach(cfg, a, n, d);
    function at(m) { var j = 0, best = 1e9; D.dm2_eV2.forEach(function (v, i) { if (Math.abs(v - m) < best) { best = Math.abs(v - m); j = i; } }); return reach[j]; }
    function fmt(v) { return v === null ? "none" : v.toFixed(3); }
    var root = el("");
    root.querySelector('[data-out="mu"]').textContent = (lim / 1e-12).toFixed(2);
    root.querySelector('[data-out="s1"]').textContent = fmt(at(1)); root.querySelector('[data-out="s2"]').textContent = fmt(at(2));
    root.querySelector('[data-out="s5"]').textContent = fmt(at(5));
    // mu limit against threshold, with XENONnT's solar bound moved to 95 % CL
    var curve = D.thresholds_keV.map(function (tt) { return muLimit(cfg, tt, a, n, d) / 1e-12; });
    var ymax = Math.max(Math.max.apply(null, curve), D.xenonnt_95_muB / 1e-12) * 1.15, ymin = Math.min.apply(null, curve) * 0.8;
    var g1 = frame(setup(el("-mu")), D.thresholds_keV[0], D.thresholds_keV[D.thresholds_keV.length - 1], Math.max(0, ymin), ymax, false, false,
                   "threshold [keV]", "μν limit [1e-12 μB]");
    var c1 = g1.ctx;
    c1.strokeStyle = "#0072B2"; c1.lineWidth = 2; c1.beginPath();
    D.thresholds_keV.forEach(function (tt, i) { if (i === 0) { c1.moveTo(g1.fx(tt), g1.fy(curve[i])); } else { c1.lineTo(g1.fx(tt), g1.fy(curve[i])); } });
    c1.stroke();
    c1.strokeStyle = "#D55E00"; c1.setLineDash([5, 4]); c1.beginPath();
    c1.moveTo(g1.fx(D.thresholds_keV[0]), g1.fy(D.xenonnt_95_muB / 1e-12)); c1.lineTo(g1.fx(D.thresholds_keV[D.thresholds_keV.length - 1]), g1.fy(D.xenonnt_95_muB / 1e-12));
    c1.stroke(); c1.setLineDash([]);
    c1.fillStyle = "#D55E00"; c1.textAlign = "left"; c1.fillText("XENONnT 2022 (solar, eff.; 90%→95%)", g1.fx(D.thresholds_keV[0]) + 4, g1.fy(D.xenonnt_95_muB / 1e-12) - 4);
    c1.fillStyle = "#CC79A7"; c1.beginPath(); c1.arc(g1.fx(t), g1.fy(lim / 1e-12), 4.5, 0, 2 * Math.PI); c1.fill();
    // sterile contour with the gallium (BEST + 2014) region and the reactor anomaly
    var dm = D.dm2_eV2, sg = D.sin2_grid;
    var g2 = frame(setup(el("-st")), 0.01, 1, dm[0], dm[dm.length - 1], true, true, "sin²2θ", "Δm² [eV²]");
    var c2 = g2.ctx;
    c2.fillStyle = "#F0D7E5";
    for (var i = 0; i < sg.length - 1; i++) { for (var j = 0; j < dm.length - 1; j++) {
      if (D.gallium_allowed[i][j]) { c2.fillRect(g2.fx(sg[i]), g2.fy(dm[j + 1]), g2.fx(sg[i + 1]) - g2.fx(sg[i]) + 1, g2.fy(dm[j]) - g2.fy(dm[j + 1]) + 1); } } }
    var ra = D.reactor, ry = Math.max(ra.dm2_min_eV2, dm[0]);
    c2.strokeStyle = "#000"; c2.fillStyle = "#000"; c2.lineWidth = 1.5; c2.beginPath();
    c2.moveTo(g2.fx(ra.sin2_2theta - ra.sin2_2theta_error), g2.fy(ry)); c2.lineTo(g2.fx(ra.sin2_2theta + ra.sin2_2theta_error), g2.fy(ry)); c2.stroke();
    c2.beginPath(); c2.arc(g2.fx(ra.sin2_2theta), g2.fy(ry), 3.5, 0, 2 * Math.PI); c2.fill();
    c2.strokeStyle = "#0072B2"; c2.lineWidth = 2; c2.beginPath();
    var started = false;
    reach.forEach(function (s, j) { if (s === null) { started = false; return; } var x = g2.fx(Math.max(s, 0.01)), y = g2.fy(dm[j]);
      if (!started) { c2.moveTo(x, y); started = true; } else { c2.lineTo(x, y); } });
    c2.stroke();
    c2.textAlign = "left"; c2.fillStyle = "#0072B2"; c2.fillText(det.value + " + " + src.value + ": excluded to the right", g2.fx(0.011), g2.fy(dm[dm.length - 1]) + 14);
    c2.fillStyle = "#CC79A7"; c2.fillText("gallium (with BEST), 95% CL", g2.fx(0.011), g2.fy(dm[dm.length - 1]) + 28);
    c2.fillStyle = "#000"; c2.fillText("reactor anomaly (Δm² > " + ra.dm2_min_eV2 + ")", g2.fx(0.011), g2.fy(dm[dm.length - 1]) + 42);
  }
  [act, thr, dep, xe].forEach(function (e) { e.addEventListener("input", draw); });
  [det, src].forEach(function (e) { e.addEventListener("change", draw); });
  window.addEventListener("resize", draw);
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

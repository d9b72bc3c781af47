"""Explore the magnetic-moment reach: a live ipywidgets explorer and a static one for the book.

:class:`MagneticMomentExplorer` recomputes the spectrum and the limit from the
precomputed analysis vectors of :class:`~lxenu.magnetic_moment.MagneticMomentFit`
(a millisecond per update). :meth:`MagneticMomentExplorer.widget` wraps it in
ipywidgets for a running kernel; :func:`static_explorer_html` precomputes a grid of
limits and writes a self-contained HTML/JavaScript explorer (no kernel, no network)
for the rendered book.
"""

from __future__ import annotations

import json
import uuid

import numpy as np
from matplotlib.figure import Figure

from .magnetic_moment import MagneticMomentFit
from .plotting import COLORS
from .validation import check_range

DISPLAY_BIN_KEV = 1.0


class MagneticMomentExplorer:
    """Spectrum and 95 % CL limit as functions of threshold, strength, run length and deployments."""

    def __init__(self, fit: MagneticMomentFit | None = None, display_max_keV: float = 60.0):
        self.fit = MagneticMomentFit(convention="one_sided") if fit is None else fit
        self.display_max_keV = display_max_keV
        _, S, M, B = self.fit.spectra(self.fit.bin_keV)
        n = round(DISPLAY_BIN_KEV / self.fit.bin_keV)
        k = round(display_max_keV / DISPLAY_BIN_KEV)
        self._display_edges = np.arange(0, k + 1) * DISPLAY_BIN_KEV
        # rebin the analysis bins (which start one grid step above zero) into 1 keV display bins
        def rebin(x):
            return np.concatenate([[0.0], x])[: n * k].reshape(k, n).sum(axis=1)

        self._S, self._M, self._B = rebin(S), rebin(M), rebin(B)

    def compute(self, threshold_keV: float = 2.0, source_mci: float = 5.0, days: float = 100.0,
                deployments: int = 1, mu_show_muB: float = 1e-11) -> dict:
        """Everything the explorer shows, for one setting."""
        check_range("threshold_keV", threshold_keV, 0.1, self.fit.max_keV, high_inclusive=False, unit="keV")
        sig, bkg = self.fit.scales_for(source_mci, days, deployments)
        limit = self.fit.limit(threshold_keV, sig, bkg)
        _, S, _, B = self.fit.spectra(threshold_keV)
        x = (mu_show_muB / 1e-12) ** 2
        return {
            "limit_muB": limit,
            "signal_events": float(S.sum() * sig),
            "background_events": float(B.sum() * bkg),
            "display_edges_keV": self._display_edges,
            "signal": self._S * sig,
            "signal_with_mu": (self._S + x * self._M) * sig,
            "background": self._B * bkg,
        }

    def figure(self):
        """A figure of the spectrum to be updated by :meth:`redraw`; returns (fig, artists).

        The figure is not registered with pyplot, so no later ``plt.show()`` in the notebook
        draws it a second time; the widget displays it itself.
        """
        fig = Figure(figsize=(6.0, 3.4))
        ax = fig.subplots()
        c = 0.5 * (self._display_edges[1:] + self._display_edges[:-1])
        first = self.compute()
        (l_mu,) = ax.step(c, first["signal_with_mu"], where="mid", color=COLORS["magnetic"],
                          label=r"signal, $\mu_\nu=10^{-11}\mu_B$")
        (l_sm,) = ax.step(c, first["signal"], where="mid", color=COLORS["signal"], label="signal, SM")
        (l_b,) = ax.step(c, first["background"], where="mid", color=COLORS["background"], label="background")
        shade = ax.axvspan(0, 2.0, color="0.8", alpha=0.6)
        ax.set_yscale("log")
        ax.set_xlabel("reconstructed recoil energy [keV]")
        ax.set_ylabel("events / keV")
        ax.legend(fontsize=8)
        fig.tight_layout()
        return fig, {"ax": ax, "mu": l_mu, "sm": l_sm, "bkg": l_b, "shade": shade}

    def redraw(self, artists: dict, threshold_keV=2.0, source_mci=5.0, days=100.0, deployments=1) -> dict:
        """Recompute for one setting and update the figure's lines; returns the numbers."""
        r = self.compute(threshold_keV, source_mci, days, deployments)
        artists["mu"].set_ydata(r["signal_with_mu"])
        artists["sm"].set_ydata(r["signal"])
        artists["bkg"].set_ydata(r["background"])
        artists["shade"].remove()
        artists["shade"] = artists["ax"].axvspan(0, threshold_keV, color="0.8", alpha=0.6)
        artists["ax"].relim()
        artists["ax"].autoscale_view()
        return r

    def widget(self):
        """An ipywidgets explorer (needs a running kernel)."""
        import ipywidgets as w
        from IPython.display import display

        sliders = {
            "threshold_keV": w.FloatSlider(value=2.0, min=0.5, max=20.0, step=0.1, description="threshold [keV]"),
            "source_mci": w.FloatSlider(value=5.0, min=0.5, max=20.0, step=0.5, description="source [MCi]"),
            "days": w.FloatSlider(value=100.0, min=10.0, max=400.0, step=10.0, description="days"),
            "deployments": w.IntSlider(value=1, min=1, max=10, description="deployments"),
        }
        for s in sliders.values():
            s.style = {"description_width": "110px"}
            s.layout = w.Layout(width="420px")
        label = w.HTML()
        out = w.Output()
        fig, artists = self.figure()

        def update(_=None):
            v = {k: s.value for k, s in sliders.items()}
            r = self.redraw(artists, **v)
            label.value = (f"<b>95 % CL bound: {r['limit_muB'] / 1e-12:.2f} &times; 10<sup>-12</sup> &mu;<sub>B</sub></b>"
                           f" &nbsp; signal {r['signal_events']:.0f}, background {r['background_events']:.0f} events"
                           f" above threshold")
            with out:
                out.clear_output(wait=True)
                display(fig)

        for s in sliders.values():
            s.observe(update, names="value")
        update()
        return w.VBox([*sliders.values(), label, out])


def explorer_grid(fit: MagneticMomentFit, thresholds_keV, sources_mci, days) -> np.ndarray:
    """Limits (mu_B) on a (threshold, source, days) grid, one deployment."""
    grid = np.empty((len(thresholds_keV), len(sources_mci), len(days)))
    for k, d in enumerate(days):
        for j, s in enumerate(sources_mci):
            sig, bkg = fit.scales_for(s, d, 1)
            for i, t in enumerate(thresholds_keV):
                grid[i, j, k] = fit.limit(t, sig, bkg)
    return grid


def static_explorer_html(explorer: MagneticMomentExplorer | None = None,
                         thresholds_keV=None, sources_mci=None, days=None) -> str:
    """A self-contained HTML/JavaScript explorer over a precomputed grid of limits.

    Three sliders (threshold, source strength, run length) pick a grid point; the page
    redraws the spectrum (the signal scales with the source decays in the run, the
    background with the run length) and the bound against threshold. No kernel, no
    network: the numbers are embedded in the page.
    """
    ex = MagneticMomentExplorer() if explorer is None else explorer
    fit = ex.fit
    thr = np.round(np.arange(0.5, 10.01, 0.5), 3) if thresholds_keV is None else np.asarray(thresholds_keV)
    mci = np.arange(1.0, 10.01, 1.0) if sources_mci is None else np.asarray(sources_mci)
    dd = np.arange(25.0, 300.01, 25.0) if days is None else np.asarray(days)
    grid = explorer_grid(fit, thr, mci, dd)
    exp = fit.experiment
    base = ex.compute()
    data = {
        "thresholds": thr.tolist(),
        "sources": mci.tolist(),
        "days": dd.tolist(),
        "limits": np.round(grid / 1e-12, 4).tolist(),
        "edges": ex._display_edges.tolist(),
        "signal": np.round(base["signal"], 3).tolist(),
        "signal_mu": np.round(base["signal_with_mu"], 3).tolist(),
        "background": np.round(base["background"], 3).tolist(),
        "tau": exp.source.mean_life_days,
        "base_mci": exp.source.activity_MCi,
        "base_days": exp.run.days,
    }
    uid = "lxenu-explorer-" + uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(data)[:2000]).hex[:8]
    return _STATIC_TEMPLATE.replace("__UID__", uid).replace("__DATA__", json.dumps(data))


_STATIC_TEMPLATE = r"""
<div id="__UID__" class="lxenu-explorer" style="font-family: sans-serif; font-size: 14px; max-width: 760px;">
  <div style="display:grid; grid-template-columns: 170px 1fr 90px; gap: 4px 10px; align-items: center;">
    <label for="__UID__-thr">threshold</label><input id="__UID__-thr" type="range" step="1"><span id="__UID__-thr-v"></span>
    <label for="__UID__-src">source strength</label><input id="__UID__-src" type="range" step="1"><span id="__UID__-src-v"></span>
    <label for="__UID__-days">run length</label><input id="__UID__-days" type="range" step="1"><span id="__UID__-days-v"></span>
  </div>
  <p id="__UID__-out" style="font-weight: bold; margin: 8px 0;"></p>
  <div style="display:flex; flex-wrap: wrap; gap: 8px;">
    <canvas id="__UID__-spec" width="370" height="260" aria-label="recoil spectrum"></canvas>
    <canvas id="__UID__-lim" width="370" height="260" aria-label="bound against threshold"></canvas>
  </div>
</div>
<script>
(function () {
  "use strict";
  var D = __DATA__;
  var root = "__UID__";
  function el(s) { return document.getElementById(root + s); }
  var thr = el("-thr"), src = el("-src"), days = el("-days");
  thr.min = 0; thr.max = D.thresholds.length - 1; thr.value = D.thresholds.indexOf(2.0) >= 0 ? D.thresholds.indexOf(2.0) : 0;
  src.min = 0; src.max = D.sources.length - 1; src.value = D.sources.indexOf(D.base_mci) >= 0 ? D.sources.indexOf(D.base_mci) : 0;
  days.min = 0; days.max = D.days.length - 1; days.value = D.days.indexOf(D.base_days) >= 0 ? D.days.indexOf(D.base_days) : 0;
  function nice(range) {
    var raw = range / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  }
  function decays(mci, d) { return mci * D.tau * (1 - Math.exp(-d / D.tau)); }
  function axes(ctx, w, h, xmin, xmax, ymin, ymax, logy, xlabel, ylabel) {
    var L = 58, R = 10, T = 10, B = 40;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = "#333"; ctx.fillStyle = "#222"; ctx.font = "11px sans-serif"; ctx.lineWidth = 1;
    ctx.strokeRect(L, T, w - L - R, h - T - B);
    var fx = function (x) { return L + (x - xmin) / (xmax - xmin) * (w - L - R); };
    var fy = logy
      ? function (y) { return T + (Math.log10(ymax) - Math.log10(Math.max(y, ymin))) / (Math.log10(ymax) - Math.log10(ymin)) * (h - T - B); }
      : function (y) { return T + (ymax - y) / (ymax - ymin) * (h - T - B); };
    ctx.textAlign = "center";
    var xs = nice(xmax - xmin);
    for (var x = Math.ceil(xmin / xs) * xs; x <= xmax + 1e-9; x += xs) {
      ctx.fillText(+x.toFixed(6) + "", fx(x), h - B + 14);
    }
    ctx.fillText(xlabel, L + (w - L - R) / 2, h - 6);
    ctx.textAlign = "right";
    if (logy) {
      for (var p = Math.ceil(Math.log10(ymin)); p <= Math.floor(Math.log10(ymax)); p++) {
        ctx.fillText("1e" + p, L - 4, fy(Math.pow(10, p)) + 4);
      }
    } else {
      var ys = nice(ymax - ymin);
      for (var y = Math.ceil(ymin / ys) * ys; y <= ymax + 1e-9; y += ys) {
        ctx.fillText(+y.toFixed(6) + "", L - 4, fy(y) + 4);
      }
    }
    ctx.save(); ctx.translate(12, T + (h - T - B) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center";
    ctx.fillText(ylabel, 0, 0); ctx.restore();
    return { fx: fx, fy: fy };
  }
  function stairs(ctx, a, edges, ys, color) {
    ctx.strokeStyle = color; ctx.lineWidth = 1.6; ctx.beginPath();
    for (var i = 0; i < ys.length; i++) {
      var y = a.fy(ys[i]);
      if (i === 0) { ctx.moveTo(a.fx(edges[0]), y); } else { ctx.lineTo(a.fx(edges[i]), y); }
      ctx.lineTo(a.fx(edges[i + 1]), y);
    }
    ctx.stroke();
  }
  function draw() {
    var t = D.thresholds[+thr.value], s = D.sources[+src.value], d = D.days[+days.value];
    el("-thr-v").textContent = t.toFixed(1) + " keV";
    el("-src-v").textContent = s.toFixed(0) + " MCi";
    el("-days-v").textContent = d.toFixed(0) + " days";
    var fs = decays(s, d) / decays(D.base_mci, D.base_days), fb = d / D.base_days;
    var lim = D.limits[+thr.value][+src.value][+days.value];
    el("-out").textContent = "95% CL bound: " + lim.toFixed(2) + " x 1e-12 Bohr magnetons (" + s + " MCi, " + d + " days, threshold " + t.toFixed(1) + " keV)";
    var c1 = el("-spec"), x1 = c1.getContext("2d");
    var sig = D.signal.map(function (v) { return v * fs; }), sigm = D.signal_mu.map(function (v) { return v * fs; });
    var bkg = D.background.map(function (v) { return v * fb; });
    var ymax = Math.max.apply(null, sigm.concat(bkg)) * 2, ymin = 1;
    var a = axes(x1, c1.width, c1.height, 0, D.edges[D.edges.length - 1], ymin, ymax, true, "recoil energy [keV]", "events / keV");
    x1.fillStyle = "rgba(150,150,150,0.35)";
    x1.fillRect(a.fx(0), a.fy(ymax), a.fx(t) - a.fx(0), a.fy(ymin) - a.fy(ymax));
    stairs(x1, a, D.edges, sigm, "#CC79A7"); stairs(x1, a, D.edges, sig, "#0072B2"); stairs(x1, a, D.edges, bkg, "#009E73");
    x1.font = "11px sans-serif"; x1.textAlign = "left";
    x1.fillStyle = "#CC79A7"; x1.fillText("signal, mu = 1e-11 muB", a.fx(D.edges[D.edges.length - 1] * 0.42), 24);
    x1.fillStyle = "#0072B2"; x1.fillText("signal, Standard Model", a.fx(D.edges[D.edges.length - 1] * 0.42), 38);
    x1.fillStyle = "#009E73"; x1.fillText("background", a.fx(D.edges[D.edges.length - 1] * 0.42), 52);
    var c2 = el("-lim"), x2 = c2.getContext("2d");
    var curve = D.thresholds.map(function (_, i) { return D.limits[i][+src.value][+days.value]; });
    var lo = Math.min.apply(null, curve), hi = Math.max.apply(null, curve);
    var b = axes(x2, c2.width, c2.height, D.thresholds[0], D.thresholds[D.thresholds.length - 1], Math.floor(lo) - 0.5, Math.ceil(hi) + 0.5, false,
                 "threshold [keV]", "bound [1e-12 muB]");
    x2.strokeStyle = "#0072B2"; x2.lineWidth = 1.8; x2.beginPath();
    D.thresholds.forEach(function (tt, i) { if (i === 0) { x2.moveTo(b.fx(tt), b.fy(curve[i])); } else { x2.lineTo(b.fx(tt), b.fy(curve[i])); } });
    x2.stroke();
    x2.fillStyle = "#CC79A7"; x2.beginPath(); x2.arc(b.fx(t), b.fy(lim), 4.5, 0, 2 * Math.PI); x2.fill();
  }
  [thr, src, days].forEach(function (e) { e.addEventListener("input", draw); });
  draw();
})();
</script>
"""

"""Explore the magnetic-moment reach: a live ipywidgets explorer and a static one for the book.

:class:`MagneticMomentExplorer` recomputes the spectrum and the limit from the
precomputed analysis vectors of :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`
(``make benchmark`` times an update). :meth:`MagneticMomentExplorer.widget` wraps it in
ipywidgets for a running kernel; :func:`static_explorer_html` precomputes a grid of
limits and writes a self-contained HTML/JavaScript explorer (no kernel, no network)
for the rendered book.
"""

from __future__ import annotations

import json
import uuid

import numpy as np
from matplotlib.figure import Figure

from ..analyses.magnetic_moment import MagneticMomentFit
from ..validation import check_range
from .plotting import COLORS

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

    def compute(
        self,
        threshold_keV: float = 2.0,
        source_mci: float = 5.0,
        days: float = 100.0,
        deployments: int = 1,
        mu_show_muB: float = 1e-11,
    ) -> dict:
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
        (l_mu,) = ax.step(
            c, first["signal_with_mu"], where="mid", color=COLORS["magnetic"], label=r"signal, $\mu_\nu=10^{-11}\mu_B$"
        )
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
            label.value = (
                f"<b>95 % CL bound: {r['limit_muB'] / 1e-12:.2f} &times; 10<sup>-12</sup> &mu;<sub>B</sub></b>"
                f" &nbsp; signal {r['signal_events']:.0f}, background {r['background_events']:.0f} events"
                f" above threshold"
            )
            with out:
                out.clear_output(wait=True)
                display(fig)

        for s in sliders.values():
            s.observe(update, names="value")
        update()
        return w.VBox([*sliders.values(), label, out])


def explorer_grid(fit: MagneticMomentFit, thresholds_keV, sources_mci, days, deployments=(1,)) -> np.ndarray:
    """Limits (mu_B) on a (threshold, source, days, deployments) grid."""
    grid = np.empty((len(thresholds_keV), len(sources_mci), len(days), len(deployments)))
    for m, n in enumerate(deployments):
        for k, d in enumerate(days):
            for j, s in enumerate(sources_mci):
                sig, bkg = fit.scales_for(s, d, int(n))
                for i, t in enumerate(thresholds_keV):
                    grid[i, j, k, m] = fit.limit(t, sig, bkg)
    return grid


def static_explorer_html(
    explorer: MagneticMomentExplorer | None = None,
    thresholds_keV=None,
    sources_mci=None,
    days=None,
    deployments=None,
) -> str:
    """A self-contained HTML/JavaScript explorer over a precomputed grid of limits.

    Four sliders (threshold [keV], source strength [MCi], run length [days], deployments) pick a
    grid point; the page redraws the spectrum (the signal scales with the source decays in the
    run, the background with the live time) and the bound against threshold. The layout is pure
    CSS: the two canvases sit side by side in a grid that follows the width of the text column
    (one above the other when it is narrower than two 300 px plots), with a fixed aspect ratio;
    the script only draws into them, at the size the layout gives them, after the layout has
    settled (a ``ResizeObserver`` on the canvases redraws them whenever that size changes, e.g.
    after a window resize), and at the screen's ``devicePixelRatio``, so they stay sharp on
    high-resolution screens. No kernel, no network: the numbers are embedded in the page. The
    default state is the paper's benchmark (2 keV, 5 MCi, 100 days, one deployment).
    """
    ex = MagneticMomentExplorer() if explorer is None else explorer
    fit = ex.fit
    thr = np.round(np.arange(0.5, 10.01, 0.5), 3) if thresholds_keV is None else np.asarray(thresholds_keV)
    mci = np.array([1.0, 2.0, 3.0, 5.0, 7.0, 10.0]) if sources_mci is None else np.asarray(sources_mci)
    dd = np.array([25.0, 50.0, 75.0, 100.0, 150.0, 200.0, 300.0]) if days is None else np.asarray(days)
    nn = np.array([1, 2, 3, 5, 10]) if deployments is None else np.asarray(deployments, dtype=int)
    grid = explorer_grid(fit, thr, mci, dd, nn)
    exp = fit.experiment
    base = ex.compute()
    data = {
        "thresholds": thr.tolist(),
        "sources": mci.tolist(),
        "days": dd.tolist(),
        "deployments": nn.tolist(),
        "limits": np.round(grid / 1e-12, 4).tolist(),
        "edges": ex._display_edges.tolist(),
        "signal": np.round(base["signal"], 3).tolist(),
        "signal_mu": np.round(base["signal_with_mu"], 3).tolist(),
        "background": np.round(base["background"], 3).tolist(),
        "tau": exp.source.mean_life_days,
        "base_mci": exp.source.activity_MCi,
        "base_days": exp.run.days,
        "colors": {k: COLORS[k] for k in ("signal", "magnetic", "background", "bound")},
    }
    uid = "lxenu-explorer-" + uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(data)[:2000]).hex[:8]
    return _STATIC_TEMPLATE.replace("__UID__", uid).replace("__DATA__", json.dumps(data))


_STATIC_TEMPLATE = r"""
<div id="__UID__" class="lxenu-explorer"
     style="font-family: sans-serif; font-size: 14px; width: 100%; max-width: 100%; box-sizing: border-box;">
  <div style="display: grid; grid-template-columns: max-content minmax(0, 1fr) 8.5em; gap: 4px 10px;
              align-items: center;">
    <label for="__UID__-thr">threshold</label>
    <input id="__UID__-thr" type="range" step="1" style="width: 100%; min-width: 0;">
    <span id="__UID__-thr-v"></span>
    <label for="__UID__-src">source strength</label>
    <input id="__UID__-src" type="range" step="1" style="width: 100%; min-width: 0;">
    <span id="__UID__-src-v"></span>
    <label for="__UID__-days">run length</label>
    <input id="__UID__-days" type="range" step="1" style="width: 100%; min-width: 0;">
    <span id="__UID__-days-v"></span>
    <label for="__UID__-dep">deployments</label>
    <input id="__UID__-dep" type="range" step="1" style="width: 100%; min-width: 0;">
    <span id="__UID__-dep-v"></span>
  </div>
  <p id="__UID__-out" style="font-weight: bold; margin: 8px 0;"></p>
  <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); gap: 12px;">
    <div style="min-width: 0;">
      <canvas id="__UID__-spec" aria-label="recoil spectrum"
              style="display: block; width: 100%; aspect-ratio: 10 / 7;"></canvas>
    </div>
    <div style="min-width: 0;">
      <canvas id="__UID__-lim" aria-label="bound against threshold"
              style="display: block; width: 100%; aspect-ratio: 10 / 7;"></canvas>
    </div>
  </div>
</div>
<script>
(function () {
  "use strict";
  var D = __DATA__;
  var root = "__UID__";
  function el(s) { return document.getElementById(root + s); }
  var thr = el("-thr"), src = el("-src"), days = el("-days"), dep = el("-dep");
  var c1 = el("-spec"), c2 = el("-lim");
  function setup(input, values, start) {
    input.min = 0; input.max = values.length - 1;
    input.value = Math.max(0, values.indexOf(start));
  }
  setup(thr, D.thresholds, 2.0); setup(src, D.sources, D.base_mci);
  setup(days, D.days, D.base_days); setup(dep, D.deployments, 1);
  var SUP = {"-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074",
             "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079"};
  function sup(s) { return String(s).split("").map(function (c) { return SUP[c] || c; }).join(""); }
  // text with subscripts: "μ_ν = 10⁻¹¹ μ_B" draws ν and B lowered and smaller
  function rich(ctx, text, x, y, align) {
    var parts = text.split(/_(.)/), size = parseFloat(ctx.font), family = ctx.font.replace(/^[\d.]+px /, "");
    var width = 0, i;
    for (i = 0; i < parts.length; i++) {
      ctx.font = (i % 2 ? 0.75 * size : size) + "px " + family; width += ctx.measureText(parts[i]).width;
    }
    var x0 = align === "center" ? x - width / 2 : align === "right" ? x - width : x;
    var saved = ctx.textAlign; ctx.textAlign = "left";
    for (i = 0; i < parts.length; i++) {
      ctx.font = (i % 2 ? 0.75 * size : size) + "px " + family;
      ctx.fillText(parts[i], x0, y + (i % 2 ? 0.3 * size : 0)); x0 += ctx.measureText(parts[i]).width;
    }
    ctx.font = size + "px " + family; ctx.textAlign = saved;
  }
  function nice(range) {
    var raw = range / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  }
  function decays(mci, d) { return mci * D.tau * (1 - Math.exp(-d / D.tau)); }
  // the layout (CSS) decides the canvas size; the bitmap follows it at the screen's pixel ratio
  function canvas(c) {
    var w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) { return null; }
    var dpr = window.devicePixelRatio || 1, bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (c.width !== bw) { c.width = bw; }
    if (c.height !== bh) { c.height = bh; }
    var ctx = c.getContext("2d"); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }
  function axes(ctx, w, h, xr, yr, logy, xlabel, ylabel) {
    var L = 60, R = 10, T = 10, B = 42, xmin = xr[0], xmax = xr[1], ymin = yr[0], ymax = yr[1];
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = "#333"; ctx.fillStyle = "#222"; ctx.font = "12px sans-serif"; ctx.lineWidth = 1;
    ctx.strokeRect(L, T, w - L - R, h - T - B);
    var fx = function (x) { return L + (x - xmin) / (xmax - xmin) * (w - L - R); };
    var ly = function (y) { return Math.log10(Math.max(y, ymin)); };
    var fy = logy
      ? function (y) { return T + (ly(ymax) - ly(y)) / (ly(ymax) - ly(ymin)) * (h - T - B); }
      : function (y) { return T + (ymax - y) / (ymax - ymin) * (h - T - B); };
    ctx.textAlign = "center";
    var xs = nice(xmax - xmin);
    for (var x = Math.ceil(xmin / xs) * xs; x <= xmax + 1e-9; x += xs) {
      ctx.fillText(+x.toFixed(6) + "", fx(x), h - B + 15);
    }
    rich(ctx, xlabel, L + (w - L - R) / 2, h - 8, "center");
    ctx.textAlign = "right";
    if (logy) {
      for (var p = Math.ceil(Math.log10(ymin)); p <= Math.floor(Math.log10(ymax)); p++) {
        ctx.fillText("10" + sup(p), L - 5, fy(Math.pow(10, p)) + 4);
      }
    } else {
      var ys = nice(ymax - ymin);
      for (var y = Math.ceil(ymin / ys) * ys; y <= ymax + 1e-9; y += ys) {
        ctx.fillText(+y.toFixed(6) + "", L - 5, fy(y) + 4);
      }
    }
    ctx.save(); ctx.translate(14, T + (h - T - B) / 2); ctx.rotate(-Math.PI / 2);
    rich(ctx, ylabel, 0, 0, "center"); ctx.restore();
    return { fx: fx, fy: fy, L: L, T: T };
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
    var n = D.deployments[+dep.value];
    el("-thr-v").textContent = t.toFixed(1) + " keV";
    el("-src-v").textContent = s.toFixed(0) + " MCi";
    el("-days-v").textContent = d.toFixed(0) + " days";
    el("-dep-v").textContent = n + (n === 1 ? " deployment" : " deployments");
    var fs = n * decays(s, d) / decays(D.base_mci, D.base_days), fb = n * d / D.base_days;
    var lim = D.limits[+thr.value][+src.value][+days.value][+dep.value];
    el("-out").innerHTML = "95 % CL bound: " + lim.toFixed(2) + " &times; 10<sup>&minus;12</sup> &mu;<sub>B</sub>";
    var g1 = canvas(c1), g2 = canvas(c2);
    if (!g1 || !g2) { return; }
    var x1 = g1.ctx, w = g1.w, h = g1.h;
    var sig = D.signal.map(function (v) { return v * fs; }), sigm = D.signal_mu.map(function (v) { return v * fs; });
    var bkg = D.background.map(function (v) { return v * fb; });
    var ymax = Math.max.apply(null, sigm.concat(bkg)) * 3, ymin = 1, xmax = D.edges[D.edges.length - 1];
    var a = axes(x1, w, h, [0, xmax], [ymin, ymax], true, "recoil energy [keV]", "events / keV");
    x1.fillStyle = "rgba(150,150,150,0.35)";
    x1.fillRect(a.fx(0), a.fy(ymax), a.fx(t) - a.fx(0), a.fy(ymin) - a.fy(ymax));
    stairs(x1, a, D.edges, sigm, D.colors.magnetic); stairs(x1, a, D.edges, sig, D.colors.signal);
    stairs(x1, a, D.edges, bkg, D.colors.background);
    x1.font = "12px sans-serif";
    var lx = a.fx(xmax * 0.40);
    x1.fillStyle = D.colors.magnetic; rich(x1, "signal, \u03bc_\u03bd = 10\u207b\u00b9\u00b9 \u03bc_B", lx, 26, "left");
    x1.fillStyle = D.colors.signal; rich(x1, "signal, Standard Model", lx, 42, "left");
    x1.fillStyle = D.colors.background; rich(x1, "background", lx, 58, "left");
    var x2 = g2.ctx;
    var curve = D.thresholds.map(function (_, i) { return D.limits[i][+src.value][+days.value][+dep.value]; });
    var lo = Math.min.apply(null, curve), hi = Math.max.apply(null, curve);
    var b = axes(x2, g2.w, g2.h, [D.thresholds[0], D.thresholds[D.thresholds.length - 1]],
                 [Math.floor(lo) - 0.5, Math.ceil(hi) + 0.5], false, "threshold [keV]",
                 "bound [10\u207b\u00b9\u00b2 \u03bc_B]");
    x2.strokeStyle = D.colors.bound; x2.lineWidth = 1.8; x2.beginPath();
    D.thresholds.forEach(function (tt, i) {
      if (i === 0) { x2.moveTo(b.fx(tt), b.fy(curve[i])); } else { x2.lineTo(b.fx(tt), b.fy(curve[i])); }
    });
    x2.stroke();
    x2.fillStyle = D.colors.bound; x2.beginPath(); x2.arc(b.fx(t), b.fy(lim), 4.5, 0, 2 * Math.PI); x2.fill();
  }
  // redraw after every change of the canvases' size, once the layout has settled (one frame later)
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  }
  [thr, src, days, dep].forEach(function (e) { e.addEventListener("input", draw); });
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(schedule);
    observer.observe(c1); observer.observe(c2);
  } else {
    window.addEventListener("resize", schedule);
  }
  draw();
})();
</script>
"""

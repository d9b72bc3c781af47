"""The reproduction scorecard: every number in the paper's text next to ours.

Each row says where the number is quoted, what the paper says, what lxenu
computes, their ratio and whether it lies within the tolerance the chapters argue
for. Inputs the paper states (and lxenu uses as given) are listed as such, and so
are the numbers of the source-gamma estimate, which the paper neglects and lxenu
does not model, so the table covers the whole text. Nothing here is typed in
except the paper's values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..analyses.gallium import RUNS_2014, covered_fraction, gallium_fit
from ..analyses.magnetic_moment import MagneticMomentFit
from ..analyses.sterile import SterileFit, first_minimum_cm
from ..analyses.summary import compute_summary, format_value
from ..experiment.experiment import Experiment
from ..experiment.paper import PAPER_NUMBERS
from ..physics.attenuation import PAPER_TUNGSTEN_CM, paper_shield_transmission
from ..physics.cross_section import t_max_keV
from ..physics.source_gamma import paper_estimate
from ..predict.signal import SignalPrediction

#: The (sin^2 2theta, dm2 [eV^2]) grid of the sterile-neutrino plane in chapters 5 and 6 and in this
#: scorecard: 200 points each, uniform in the logarithm. The gallium best fit is the grid minimum and the
#: covered fractions are sums over the grid, so one grid gives the same numbers in every place.
STERILE_SIN2_GRID = np.geomspace(1e-2, 1.0, 200)
STERILE_DM2_GRID_EV2 = np.geomspace(0.05, 100.0, 200)


@dataclass
class Row:
    quantity: str
    section: str
    paper: float | str
    ours: float | str | None
    tolerance: float | None = None  # relative; None for inputs and qualitative rows
    kind: str = "computed"  # "computed", "input", "claim", "context" or "not computed"
    chapter: str = ""

    @property
    def ratio(self) -> float | None:
        if isinstance(self.paper, (int, float)) and isinstance(self.ours, (int, float)) and self.paper:
            return float(self.ours) / float(self.paper)
        return None

    @property
    def within(self) -> bool | None:
        if self.kind == "claim":
            return bool(self.ours) if isinstance(self.ours, (bool, np.bool_)) else None
        if self.tolerance is None or self.ratio is None:
            return None
        return abs(self.ratio - 1.0) <= self.tolerance


def scorecard_rows(n_mc: int = 1_000_000) -> list[Row]:
    """Compute every row (takes a few seconds: limits, backgrounds, sterile grids)."""
    P = {key: number.value for key, number in PAPER_NUMBERS.items()}

    exp = Experiment()
    fit = MagneticMomentFit(exp)
    base = compute_summary(exp, fit=fit)
    five = exp.with_options(deployments=5)
    solar = exp.backgrounds.solar

    s_grid, m_grid = STERILE_SIN2_GRID, STERILE_DM2_GRID_EV2
    g14 = gallium_fit(s_grid, m_grid, RUNS_2014)
    low = (m_grid <= 10.0)[None, :]
    d14 = g14["chi2"] - g14["chi2_min"]
    dep1 = SterileFit.for_experiment(exp.with_options(xe136_depletion=0.9), n_mc=n_mc)
    dep5 = SterileFit.for_experiment(five.with_options(xe136_depletion=0.9), response=dep1.response)
    thr = dep1.delta_chi2
    cov1 = covered_fraction(g14["allowed"] & low, dep1.chi2_grid(s_grid, m_grid), thr, d14)
    cov5 = covered_fraction(g14["allowed"] & low, dep5.chi2_grid(s_grid, m_grid), thr, d14)

    mu1 = base["mu_limit"]
    mu5 = fit.limit_for(deployments=5)
    gammas = paper_estimate(
        P["source_gammas_per_day"], 1500.0, exp.detector, window_keV=(2.0, SignalPrediction(exp).max_recoil_keV)
    )
    c7 = "07_full_information"
    events5 = SignalPrediction(five).total_events()
    c2 = "02_detector"
    return [
        Row("51Cr mean life [d]", "1", 39.96, exp.source.mean_life_days, kind="input", chapter="01_source"),
        Row(
            "line energies [keV] (fractions)",
            "1",
            "750 (90 %), 430 (10 %)",
            ", ".join(f"{line.energy_keV:.0f} ({100 * line.branching:.0f} %)" for line in exp.source.lines),
            kind="input",
            chapter="01_source",
        ),
        Row("initial source strength [MCi]", "2", 5.0, exp.source.activity_MCi, kind="input", chapter="01_source"),
        Row("run length [days]", "2", 100.0, exp.run.days, kind="input", chapter="01_source"),
        Row("fiducial height = diameter [m]", "2", 1.38, exp.detector.height_m, kind="input", chapter=c2),
        Row("source below the fiducial volume [m]", "2", 1.0, exp.detector.gap_m, kind="input", chapter=c2),
        Row("fiducial LXe mass [t] ('~6 tons')", "2", P["fiducial_mass_t"], exp.detector.mass_t, 0.05, chapter=c2),
        Row("signal events, 100 days", "2", P["signal_events"], base["signal_events"], 0.02, chapter=c2),
        Row(
            "solar pp events / (t day)",
            "2",
            P["solar_pp_per_tonne_day"],
            solar.rate_per_tonne_day("pp"),
            0.05,
            chapter="03_backgrounds",
        ),
        Row(
            "solar 7Be events / (t day)",
            "2",
            P["solar_7be_per_tonne_day"],
            solar.rate_per_tonne_day("7Be"),
            0.10,
            chapter="03_backgrounds",
        ),
        Row(
            "222Rn [uBq/kg]",
            "2",
            0.1,
            exp.backgrounds.rn222.activity_uBq_per_kg,
            kind="input",
            chapter="03_backgrounds",
        ),
        Row("source gamma: tungsten shield [cm]", "2", 17.0, PAPER_TUNGSTEN_CM, kind="input", chapter=c7),
        Row(
            "LXe between shield and fiducial volume [cm]",
            "2",
            70.0,
            exp.detector.gap_cm - PAPER_TUNGSTEN_CM - exp.source.shape.height_cm / 2,
            kind="context",
            chapter=c7,
        ),
        Row(
            "MeV gammas from the source [per day]",
            "2",
            P["source_gammas_per_day"],
            P["source_gammas_per_day"],
            kind="input",
            chapter=c7,
        ),
        Row(
            "attenuation of a 1.5 MeV gamma (W + LXe), narrow beam",
            "2",
            P["source_gamma_attenuation"],
            float(paper_shield_transmission(1500.0)),
            kind="context",
            chapter=c7,
        ),
        Row(
            "  1.5 MeV gammas interacting in the fiducial volume [per day] ('about 10')",
            "2",
            10.0,
            gammas["interacting_per_day"],
            kind="context",
            chapter=c7,
        ),
        Row(
            "source gammas surviving in the fiducial volume: < 1 per day (single-site, 2 keV to the signal edge)",
            "2",
            "< 1",
            bool(gammas["in_window_per_day"] < 1.0),
            kind="claim",
            chapter=c7,
        ),
        Row(
            "  single-site gammas in the window [per day], an upper bound",
            "2",
            "< 1",
            gammas["in_window_per_day"],
            kind="context",
            chapter=c7,
        ),
        Row(
            "resolution sigma(T) / sqrt(T) [keV^1/2]",
            "2",
            0.20,
            exp.resolution.stochastic_keV_sqrt,
            kind="input",
            chapter=c2,
        ),
        Row("signal events, 2-140 keV", "2", P["signal_events_window"], base["signal_events_window"], 0.03, chapter=c2),
        Row(
            "background events, 2-140 keV",
            "2",
            P["background_events_window"],
            base["background_events_window"],
            0.10,
            chapter="03_backgrounds",
        ),
        Row("mu_nu bound, 95 % CL, 2 keV [mu_B]", "2", P["mu_limit"], mu1, 0.10, chapter="04_magnetic_moment"),
        Row(
            "improves on GEMMA (2.9e-11 mu_B) by a factor of 5 or more",
            "2",
            "factor 5",
            P["gemma_limit"] / mu1 >= P["improvement_over_gemma"],
            kind="claim",
            chapter="04_magnetic_moment",
        ),
        Row(
            "  improvement factor over GEMMA",
            "2",
            P["improvement_over_gemma"],
            P["gemma_limit"] / mu1,
            kind="context",
            chapter="04_magnetic_moment",
        ),
        Row(
            "first oscillation minimum, 1 eV^2, 750 keV [cm]",
            "3",
            P["first_minimum_cm"],
            float(first_minimum_cm(750.0, 1.0)),
            0.10,
            chapter="05_sterile",
        ),
        Row(
            "source cylinder height = diameter [cm]",
            "3",
            14.0,
            exp.source.shape.height_cm,
            kind="input",
            chapter="05_sterile",
        ),
        Row(
            "distance bins / resolution [cm]",
            "3",
            "3 / 1",
            f"{dep1.bin_cm:g} / {dep1.position_resolution_cm:g}",
            kind="input",
            chapter="05_sterile",
        ),
        Row("background uncertainty", "3", 0.005, dep1.background_sigma, kind="input", chapter="05_sterile"),
        Row(
            "sterile threshold [keV]", "3", 5.0, exp.analysis.sterile.threshold_keV, kind="input", chapter="05_sterile"
        ),
        Row(
            "gallium anomaly best fit sin^2 2theta ('~0.1')",
            "3",
            0.1,
            g14["best_sin2_2theta"],
            None,
            kind="context",
            chapter="05_sterile",
        ),
        Row(
            "gallium anomaly best fit dm2 [eV^2] ('~1')",
            "3",
            1.0,
            g14["best_dm2_eV2"],
            None,
            kind="context",
            chapter="05_sterile",
        ),
        Row(
            "background events, sterile window",
            "3",
            P["sterile_background_events"],
            base["sterile_background_events"],
            0.05,
            chapter="03_backgrounds",
        ),
        Row(
            "of which 136Xe 2nu-beta-beta",
            "3",
            P["sterile_background_xe136"],
            base["sterile_background_xe136"],
            0.10,
            chapter="03_backgrounds",
        ),
        Row(
            "depleted Xe covers most of the gallium anomaly (likelihood, dm2 <= 10 eV^2)",
            "3",
            "most",
            cov1 > 0.5,
            kind="claim",
            chapter="05_sterile",
        ),
        Row("  covered fraction, 1 deployment", "3", "> 0.5", cov1, kind="context", chapter="05_sterile"),
        Row(
            "mu_nu bound, five deployments [mu_B]",
            "4",
            P["mu_limit_5_deployments"],
            mu5,
            0.10,
            chapter="06_deployments",
        ),
        Row(
            "nu_e e events, 1 to 5 deployments",
            "4",
            "10,000-50,000",
            f"{base['signal_events']:,.0f}-{events5:,.0f}",
            kind="context",
            chapter="06_deployments",
        ),
        Row(
            "5 deployments cover the full gallium anomaly (>= 95 % of it, dm2 <= 10 eV^2)",
            "4",
            "full",
            cov5 >= 0.95,
            kind="claim",
            chapter="06_deployments",
        ),
        Row("  covered fraction, 5 deployments", "4", "1", cov5, kind="context", chapter="06_deployments"),
        Row(
            "max recoil of the 750 keV line [keV]",
            "3",
            "signal edge",
            float(t_max_keV(750.0)),
            kind="context",
            chapter=c2,
        ),
    ]


#: Chapter titles, for links from the scorecard page.
CHAPTER_TITLES = {
    "01_source": "1. The ⁵¹Cr source",
    "02_detector": "2. The detector and the signal",
    "03_backgrounds": "3. Backgrounds",
    "04_magnetic_moment": "4. The neutrino magnetic moment",
    "05_sterile": "5. Sterile neutrinos",
    "06_deployments": "6. Five deployments",
    "07_full_information": "7. The realistic experiment",
    "08_statistics": "8. Statistics that hold",
    "09_landscape": "9. The landscape today",
}

#: Plain-text notation of the row labels and the typeset form the book shows (longest first).
_TYPESET = [
    ("sin^2 2theta", r"$\sin^2 2\theta$"),
    ("mu_nu", r"$\mu_\nu$"),
    ("mu_B", r"$\mu_B$"),
    ("dm2 [eV^2]", r"$\Delta m^2$ [eV²]"),
    ("dm2 <= 10 eV^2", r"$\Delta m^2 \le$ 10 eV²"),
    ("dm2", r"$\Delta m^2$"),
    ("eV^2", "eV²"),
    ("keV^1/2", r"keV$^{1/2}$"),
    ("sigma(T)", r"$\sigma(T)$"),
    ("sqrt(T)", r"$\sqrt{T}$"),
    ("2nu-beta-beta", r"$2\nu\beta\beta$"),
    ("nu_e e", r"$\nu_e e$"),
    ("uBq/kg", "μBq/kg"),
    (">=", "≥"),
    ("51Cr", "⁵¹Cr"),
    ("136Xe", "¹³⁶Xe"),
    ("7Be", "⁷Be"),
    ("222Rn", "²²²Rn"),
    ("85Kr", "⁸⁵Kr"),
    ("2.9e-11", r"$2.9\times10^{-11}$"),
]


def typeset_label(text: str) -> str:
    """A plain-text scorecard label with its units and symbols typeset for the book (MyST Markdown)."""
    for plain, fancy in _TYPESET:
        text = text.replace(plain, fancy)
    text = re.sub(r"(\d+)-(\d+) keV", "\\1–\\2 keV", text)
    return re.sub(r"\b(\d(?:\.\d+)?)e([-+]\d+)\b", lambda m: _sci(m.group(1), m.group(2)), text)


def _sci(mantissa: str, exponent: str) -> str:
    if float(mantissa) == 1.0:
        return f"$10^{{{int(exponent)}}}$"
    return f"${mantissa}\\times10^{{{int(exponent)}}}$"


def scorecard_markdown(rows: list[Row], typeset: bool = False, link_prefix: str | None = None) -> str:
    """The scorecard as a Markdown table.

    Plain text by default (the command line); ``typeset=True`` writes symbols and units as the book
    shows them, and ``link_prefix`` (e.g. ``"../notebooks/"``) turns the chapter column into links
    titled by the chapter.
    """
    out = ["| quantity | § | paper | lxenu | ratio | tolerance | ok | chapter |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "-" if r.ratio is None else f"{r.ratio:.3f}"
        tol = r.kind if r.kind != "computed" else f"±{100 * r.tolerance:.0f} %"
        within = {True: "✓", False: "✗", None: ""}[r.within]
        quantity = typeset_label(r.quantity) if typeset else r.quantity
        paper, ours = format_value(r.paper), format_value(r.ours)
        if typeset:
            paper, ours = typeset_label(paper), typeset_label(ours)
        if link_prefix is None:
            chapter = r.chapter[:2].lstrip("0")
        else:
            chapter = f"[{CHAPTER_TITLES.get(r.chapter, r.chapter)}]({link_prefix}{r.chapter})"
        out.append(f"| {quantity} | {r.section} | {paper} | {ours} | {ratio} | {tol} | {within} | {chapter} |")
    return "\n".join(out)

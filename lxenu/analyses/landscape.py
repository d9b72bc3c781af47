r"""The landscape today: every detector preset with every source, against today's limits.

* :func:`project` / :func:`landscape`: for a detector preset (``lxenu.experiment_presets()``) and a
  source preset (``cr51``, ``ar37``) at the preset's activity, the expected mu_nu limit and the
  sterile reach, for the paper's energy-only / distance-only analyses
  (:class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`, :class:`~lxenu.analyses.sterile.SterileFit`) and
  for the realistic ones of chapter 7 (:class:`~lxenu.analyses.full_information.MagneticMomentFullFit` in
  (T, L, t) with the BEST activity prior and a background known from source-off running;
  :class:`~lxenu.analyses.full_information.SterileFullFit` in (L, T)). With ``curves=True`` a projection also
  holds the reach as a curve in dm^2 (:data:`REACH_DM2_EV2`), the share of each anomaly it
  excludes (:func:`anomaly_masks`, :data:`SHARE_REGIONS`) and the source activity that would
  reach a target limit (:func:`required_activity_MCi`, :func:`required_activity_realistic_MCi`).
  The distance response is built once per detector and reused for both sources (same 14 cm x
  14 cm source shape).
* :func:`mu_limits`: today's published mu_nu limits (``lxenu/data/mu_limits.toml``), each with its
  confidence level, what it constrains and its citation; :func:`convert_confidence_level` moves a
  limit to another CL where that is defensible.
* :func:`gain_table` / :func:`gain_ranges` and :func:`share_table`: the comparisons the book
  quotes (³⁷Ar against ⁵¹Cr, realistic against paper analyses, anomaly shares), computed from
  the projections.

:func:`write_projections` stores :func:`landscape` in ``lxenu/data/landscape_projections.json``
(regenerate with ``python -m lxenu.analyses.landscape``); :func:`load_projections` reads it back.
"""

from __future__ import annotations

import argparse
import json
import math
import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources

import numpy as np
from scipy.optimize import brentq

from ..constants import MU_UNIT
from ..experiment.experiment import Experiment
from ..experiment.source import LineSource
from ..stats.chi2 import delta_chi2_threshold
from ..stats.likelihood import BEST_ACTIVITY_RELATIVE_SIGMA, PoissonNuisanceModel
from ..validation import as_float_array, check_integer, check_positive, check_range
from .full_information import MagneticMomentFullFit, SterileFullFit
from .gallium import GALLIUM_RUNS, RUNS_2014, covered_fraction, gallium_fit
from .magnetic_moment import MagneticMomentFit
from .reactor import REACTOR_ANOMALY_2011
from .sterile import SterileFit

#: Detector presets of the landscape, in the order the book shows them.
PRESETS = ("paper2014", "xenonnt", "lz", "pandax4t", "xlzd")
#: Source presets compared.
SOURCES = ("cr51", "ar37")
#: dm^2 values (eV^2) at which the sterile reach is tabulated.
DM2_EV2 = (1.0, 2.0, 5.0)
#: dm^2 grid (eV^2) of the reach curves drawn against the anomalies: 0.1-20 eV^2, log-spaced.
REACH_DM2_EV2 = tuple(float(v) for v in np.round(np.geomspace(0.1, 20.0, 61), 6))
#: Monte Carlo events of the distance response in the landscape (the presets use 1e6; 2e5 moves the
#: reach by < 1 %, see tests/test_landscape.py).
LANDSCAPE_N_MC = 200_000
#: Source-off live time that constrains the background of the realistic mu analysis, days
#: (as long as the source-on run of every preset).
SOURCE_OFF_DAYS = 100.0
#: Allowed values of a limit's ``constrains`` field.
FLAVOURS = ("nu_e", "anti_nu_e", "solar_effective", "all_flavours")
#: The limit the activity curves aim at (a key of :func:`mu_limits`): XENONnT's solar bound.
TARGET_LIMIT = "xenonnt2022"
#: Thresholds (keV) of the activity curves.
ACTIVITY_THRESHOLDS_KEV = tuple(float(v) for v in np.round(np.arange(0.5, 10.01, 0.5), 6))
#: Largest activity the root search for a required activity tries, MCi (``inf`` beyond it).
MAX_ACTIVITY_MCI = 1e4
#: Upper end of the ``max_activity_MCi`` a user may pass, MCi (far above any source ever built).
ACTIVITY_CEILING_MCI = 1e6
#: Grid on which the anomaly shares are computed: sin^2 2theta 0.01-1 and dm^2 0.1-20 eV^2,
#: 81 log-spaced points each (the plane of the book's figures).
SHARE_S_GRID = np.geomspace(0.01, 1.0, 81)
SHARE_DM2_GRID = np.geomspace(0.1, 20.0, 81)
#: dm^2 range (eV^2) of the BEST sub-region quoted separately: where the distance pattern lies
#: inside a metre-scale detector (above ~10 eV^2 it averages out over the 3 cm bins).
BEST_CORE_DM2_EV2 = (1.0, 10.0)
#: The reactor anomaly's best fit as a line: sin^2 2theta = 0.14 for dm^2 from its 95 % CL lower
#: limit, 1.5 eV^2, up to 10 eV^2 (Mention et al. 2011, :data:`~lxenu.analyses.reactor.REACTOR_ANOMALY_2011`).
REACTOR_LINE_DM2_EV2 = (REACTOR_ANOMALY_2011.dm2_min_eV2, 10.0)
#: The regions whose excluded share each projection records, and what they are.
SHARE_REGIONS = {
    "gallium_best": "gallium anomaly with BEST (95 % CL, 2 dof), all of it on the grid",
    "gallium_best_1_10": "the same between 1 and 10 eV²",
    "gallium_2014": "gallium anomaly as in 2014 (GALLEX + SAGE, 95 % CL, 2 dof)",
    "reactor_best_fit": "the reactor best fit sin²2θ = 0.14 between 1.5 and 10 eV² (share of log Δm²)",
}


# -- experiments ---------------------------------------------------------------------------------
def experiment_for(preset, source: str | None = "cr51") -> Experiment:
    """The detector preset (a name, or an :class:`Experiment`) with the source preset ``source`` at
    the experiment's activity (MCi); ``source=None`` keeps an :class:`Experiment`'s own source
    (e.g. one with another lifetime)."""
    if not isinstance(preset, (str, Experiment)):
        raise ValueError(f"preset must be a preset name or an Experiment; got {preset!r}")
    exp = preset if isinstance(preset, Experiment) else Experiment.from_file(preset)
    if source is None:
        if not isinstance(preset, Experiment):
            raise ValueError("source=None keeps an Experiment's own source: pass an Experiment as preset")
        return exp
    if not isinstance(source, str):
        raise ValueError(f"source must be a source preset name or None; got {source!r}")
    src = LineSource.from_preset(source).replace(activity_MCi=exp.source.activity_MCi)
    return exp.replace(source=src)


# -- the anomalies on the share grid -----------------------------------------------------------------
def anomaly_masks(s_grid=SHARE_S_GRID, m_grid=SHARE_DM2_GRID) -> dict[str, np.ndarray]:
    """Allowed-region masks (n_s, n_m) of the gallium anomaly with BEST (all of it, and between
    :data:`BEST_CORE_DM2_EV2`) and as in 2014, 95 % CL, 2 dof (:func:`~lxenu.analyses.gallium.gallium_fit`)."""
    best = gallium_fit(s_grid, m_grid, GALLIUM_RUNS)["allowed"]
    m = np.asarray(m_grid, dtype=float)
    core = (m >= BEST_CORE_DM2_EV2[0]) & (m <= BEST_CORE_DM2_EV2[1])
    return {
        "gallium_best": best,
        "gallium_best_1_10": best & core[None, :],
        "gallium_2014": gallium_fit(s_grid, m_grid, RUNS_2014)["allowed"],
    }


def _shares(fit, masks, s_grid, m_grid) -> dict[str, float]:
    """Excluded share of each region of :data:`SHARE_REGIONS` for a sterile fit (chi2_grid, delta_chi2)."""
    chi2 = fit.chi2_grid(s_grid, m_grid)
    out = {k: covered_fraction(mask, chi2, fit.delta_chi2) for k, mask in masks.items()}
    line_m = np.geomspace(*REACTOR_LINE_DM2_EV2, 201)
    on_line = fit.chi2_grid(np.array([REACTOR_ANOMALY_2011.sin2_2theta]), line_m)[0]
    out["reactor_best_fit"] = float(np.mean(on_line >= fit.delta_chi2))
    return out


# -- projections ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """Expected sensitivities of one detector preset with one source (Asimov, no fluctuations).

    ``mu_*_muB`` are one-sided 95 % CL limits (mu_B); ``sterile_*`` the smallest excluded
    sin^2 2theta at 95 % CL, 2 dof, at each of ``dm2_eV2`` (``inf`` where nothing is excluded).
    With curves: ``reach_*`` the same on ``reach_dm2_eV2``; ``shares_*`` the excluded share of
    each region of :data:`SHARE_REGIONS`; ``activity_paper_MCi`` the activity whose expected
    one-sided limit at the target's CL equals the target (:data:`TARGET_LIMIT`) at each of
    ``activity_thresholds_keV``, for the paper's energy fit, and ``activity_*_own_MCi`` the same at
    the preset's own threshold for both analyses (``inf``: not reached below :data:`MAX_ACTIVITY_MCI`).
    """

    preset: str
    source: str
    mass_t: float
    gap_m: float
    activity_MCi: float
    mean_life_days: float
    mu_threshold_keV: float
    mu_paper_muB: float
    mu_realistic_muB: float
    dm2_eV2: tuple
    sterile_paper: tuple
    sterile_realistic: tuple
    reach_dm2_eV2: tuple = ()
    reach_paper: tuple = ()
    reach_realistic: tuple = ()
    shares_paper: dict = field(default_factory=dict)
    shares_realistic: dict = field(default_factory=dict)
    activity_thresholds_keV: tuple = ()
    activity_paper_MCi: tuple = ()
    activity_paper_own_MCi: float = math.nan
    activity_realistic_own_MCi: float = math.nan


def _dm2_values(dm2_eV2) -> tuple:
    d = np.atleast_1d(as_float_array("dm2_eV2", dm2_eV2))
    if d.ndim != 1 or d.size == 0:
        raise ValueError(f"dm2_eV2 must be a non-empty 1-d list of dm^2 values in eV^2; got {dm2_eV2!r}")
    check_positive("dm2_eV2", d, "eV^2")
    return tuple(float(m) for m in d)


def project(
    preset,
    source: str | None = "cr51",
    dm2_eV2=DM2_EV2,
    n_mc: int = LANDSCAPE_N_MC,
    response=None,
    off_live_days: float = SOURCE_OFF_DAYS,
    realistic: bool = True,
    curves: bool = False,
    masks: dict | None = None,
) -> Projection:
    """Projections of ``preset`` (a preset name or an :class:`Experiment`) with ``source``.

    ``source`` is a source preset name (at the preset's activity), or None to keep the source of an
    :class:`Experiment` given as ``preset``. Paper analyses: energy only, both normalisations known
    (mu); distance only, signal free and 0.5 % background prior (sterile). Realistic: (T, L, t) with
    the BEST 0.23 % activity prior and a background width 1/sqrt(N_off) from ``off_live_days`` of
    source-off data (mu); (L, T) with the preset's priors (sterile). ``realistic=False`` skips the
    (slower) realistic fits (NaN there). ``curves=True`` adds the reach curves, the anomaly shares
    (on :func:`anomaly_masks`, or the ``masks`` given) and the activities that reach
    :data:`TARGET_LIMIT`.
    """
    check_positive("off_live_days", off_live_days, "days")
    check_integer("n_mc", n_mc, 1000)
    dm2 = _dm2_values(dm2_eV2)
    exp = experiment_for(preset, source)
    mm = MagneticMomentFit(exp)
    mu_paper = mm.limit()
    sf = SterileFit.for_experiment(exp, n_mc=n_mc, response=response)
    paper_reach = tuple(float(v) for v in sf.sensitivity(dm2))
    mu_real, real_reach = math.nan, tuple(math.nan for _ in dm2)
    full = sterile_full = None
    if realistic:
        ff = MagneticMomentFullFit(exp, "TLt", signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA, mm_fit=mm)
        full = MagneticMomentFullFit.from_prediction(
            ff.prediction,
            signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA,
            background_norm_sigma=ff.source_off_sigmas(off_live_days),
        )
        mu_real = full.limit()
        sterile_full = SterileFullFit(exp, "LT", n_mc=n_mc, response=sf.response)
        real_reach = tuple(float(v) for v in sterile_full.sensitivity(dm2))
    extras = {}
    if curves:
        target = mu_limits()[TARGET_LIMIT]
        masks = anomaly_masks() if masks is None else masks
        fit_cl = MagneticMomentFit(exp, confidence_level=target.confidence_level, energy_spectra=mm.energy_spectra)
        own = float(mm.threshold_keV)
        extras = dict(
            reach_dm2_eV2=REACH_DM2_EV2,
            reach_paper=tuple(float(v) for v in sf.sensitivity(REACH_DM2_EV2)),
            shares_paper=_shares(sf, masks, SHARE_S_GRID, SHARE_DM2_GRID),
            activity_thresholds_keV=ACTIVITY_THRESHOLDS_KEV,
            activity_paper_MCi=tuple(
                float(v) for v in required_activity_MCi(fit_cl, ACTIVITY_THRESHOLDS_KEV, target.value_muB)
            ),
            activity_paper_own_MCi=float(required_activity_MCi(fit_cl, [own], target.value_muB)[0]),
        )
        if realistic:
            extras["reach_realistic"] = tuple(float(v) for v in sterile_full.sensitivity(REACH_DM2_EV2))
            extras["shares_realistic"] = _shares(sterile_full, masks, SHARE_S_GRID, SHARE_DM2_GRID)
            extras["activity_realistic_own_MCi"] = required_activity_realistic_MCi(
                full, target.value_muB, target.confidence_level, guess_MCi=extras["activity_paper_own_MCi"]
            )
    name = exp.name if isinstance(preset, Experiment) else preset
    return Projection(
        name,
        exp.source.name if source is None else source,
        float(exp.detector.mass_t),
        float(exp.detector.gap_m),
        float(exp.source.activity_MCi),
        float(exp.source.mean_life_days),
        float(mm.threshold_keV),
        float(mu_paper),
        float(mu_real),
        dm2,
        paper_reach,
        real_reach,
        **extras,
    )


def landscape(
    presets=PRESETS,
    sources=SOURCES,
    dm2_eV2=DM2_EV2,
    n_mc: int = LANDSCAPE_N_MC,
    realistic: bool = True,
    curves: bool = True,
) -> list[Projection]:
    """:func:`project` for every preset x source; one distance-response Monte Carlo per preset."""
    if not presets or not sources:
        raise ValueError(f"presets and sources must not be empty; got {presets!r}, {sources!r}")
    masks = anomaly_masks() if curves else None
    rows = []
    for preset in presets:
        response = SterileFit.for_experiment(experiment_for(preset, sources[0]), n_mc=n_mc).response
        rows += [
            project(preset, source, dm2_eV2, n_mc, response=response, realistic=realistic, curves=curves, masks=masks)
            for source in sources
        ]
    return rows


def _projections_path():
    return resources.files("lxenu") / "data" / "landscape_projections.json"


def _json_safe(x):
    """NaN and inf as JSON null / "inf" (JSON has neither)."""
    if isinstance(x, float):
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_safe(v) for v in x]
    return x


def _from_json(x):
    if x is None:
        return math.nan
    if x in ("inf", "-inf"):
        return float(x)
    if isinstance(x, list):
        return tuple(_from_json(v) for v in x)
    if isinstance(x, dict):
        return {k: _from_json(v) for k, v in x.items()}
    return x


#: The command that regenerates the stored projections (also written into the file).
PROJECTIONS_COMMAND = "python -m lxenu.analyses.landscape"


def write_projections(path=None, **kwargs) -> list[Projection]:
    """Compute :func:`landscape` and store it as JSON (default: the package's data file)."""
    rows = landscape(**kwargs)
    text = json.dumps(
        _json_safe(
            {
                "command": PROJECTIONS_COMMAND,
                "n_mc": kwargs.get("n_mc", LANDSCAPE_N_MC),
                "source_off_days": SOURCE_OFF_DAYS,
                "target_limit": TARGET_LIMIT,
                "share_regions": SHARE_REGIONS,
                "rows": [asdict(r) for r in rows],
            }
        ),
        indent=1,
    )
    target = _projections_path() if path is None else path
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return rows


def load_projections(path=None) -> list[Projection]:
    """The stored landscape (see :func:`write_projections`)."""
    source = _projections_path() if path is None else path
    with open(source, encoding="utf-8") as fh:
        rows = json.load(fh)["rows"]
    return [Projection(**{k: _from_json(v) for k, v in r.items()}) for r in rows]


def _check_rows(rows) -> list:
    rows = list(rows) if rows is not None else []
    if not rows or not all(isinstance(r, Projection) for r in rows):
        raise ValueError(f"rows must be a non-empty list of Projection (load_projections()); got {rows!r}"[:200])
    return rows


def _fmt_s(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{v:.3f}"


def projection_table_markdown(rows, part: str = "all") -> str:
    """A Markdown table of projections: ``part="mu"`` the detector (mass, gap, threshold) and the mu
    limits, ``"sterile"`` the sterile reach (L / LT) at each tabulated dm^2, ``"all"`` both."""
    rows = _check_rows(rows)
    if part not in ("all", "mu", "sterile"):
        raise ValueError(f"part must be 'all', 'mu' or 'sterile'; got {part!r}")
    dm2 = rows[0].dm2_eV2
    head = ["detector", "source"]
    if part != "sterile":
        head += ["mass [t]", "gap [m]", "threshold [keV]", "μν, T [10⁻¹² μB]", "μν, TLt [10⁻¹² μB]"]
    if part != "mu":
        head += [f"sin²2θ at {m:g} eV², L / LT" for m in dm2]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.preset, r.source]
        if part != "sterile":
            cells += [
                f"{r.mass_t:.2f}",
                f"{r.gap_m:.2f}",
                f"{r.mu_threshold_keV:g}",
                f"{r.mu_paper_muB / 1e-12:.2f}",
                f"{r.mu_realistic_muB / 1e-12:.2f}",
            ]
        if part != "mu":
            cells += [f"{_fmt_s(a)} / {_fmt_s(b)}" for a, b in zip(r.sterile_paper, r.sterile_realistic)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- the comparisons the book quotes ---------------------------------------------------------------
def gain_table(rows) -> list[dict]:
    """Per preset: how much better (in %) ³⁷Ar is than ⁵¹Cr and the realistic analyses than the paper's.

    Keys: ``preset``; ``ar37_mu`` (1 - mu_Ar / mu_Cr, paper energy fit, in %); ``ar37_sterile``
    ((min, max) over the tabulated dm^2 of 1 - s_Ar / s_Cr, paper distance fit, in %);
    ``tlt_mu`` ((⁵¹Cr, ³⁷Ar) of 1 - mu_TLt / mu_T, in %); ``lt_sterile`` ((min, max) over both
    sources and the tabulated dm^2 of 1 - s_LT / s_L, in %). Needs both sources for each preset.
    """
    rows = _check_rows(rows)
    by = {(r.preset, r.source): r for r in rows}
    presets = list(dict.fromkeys(r.preset for r in rows))
    out = []
    for p in presets:
        if (p, "cr51") not in by or (p, "ar37") not in by:
            raise ValueError(f"rows must hold both cr51 and ar37 for preset {p!r}")
        cr, ar = by[(p, "cr51")], by[(p, "ar37")]
        ar_st = [100.0 * (1.0 - a / c) for a, c in zip(ar.sterile_paper, cr.sterile_paper)]
        lt = [100.0 * (1.0 - b / a) for r in (cr, ar) for a, b in zip(r.sterile_paper, r.sterile_realistic)]
        out.append(
            {
                "preset": p,
                "ar37_mu": 100.0 * (1.0 - ar.mu_paper_muB / cr.mu_paper_muB),
                "ar37_sterile": (min(ar_st), max(ar_st)),
                "tlt_mu": tuple(100.0 * (1.0 - r.mu_realistic_muB / r.mu_paper_muB) for r in (cr, ar)),
                "lt_sterile": (min(lt), max(lt)),
            }
        )
    return out


def gain_ranges(rows) -> dict[str, tuple[float, float]]:
    """(min, max) over all presets of each gain of :func:`gain_table`, in %."""
    table = gain_table(rows)

    def span(values):
        values = [v for v in values if math.isfinite(v)]
        return (min(values), max(values)) if values else (math.nan, math.nan)

    return {
        "ar37_mu": span(t["ar37_mu"] for t in table),
        "ar37_sterile": span(v for t in table for v in t["ar37_sterile"]),
        "tlt_mu": span(v for t in table for v in t["tlt_mu"]),
        "lt_sterile": span(v for t in table for v in t["lt_sterile"]),
    }


def share_table(rows, analysis: str = "paper") -> list[dict]:
    """The excluded shares (fractions) of :data:`SHARE_REGIONS` per row, for the ``paper`` (L) or
    ``realistic`` (LT) sterile analysis; each entry has ``preset``, ``source`` and one key per region."""
    rows = _check_rows(rows)
    if analysis not in ("paper", "realistic"):
        raise ValueError(f"analysis must be 'paper' or 'realistic'; got {analysis!r}")
    out = []
    for r in rows:
        shares = r.shares_paper if analysis == "paper" else r.shares_realistic
        if set(shares) != set(SHARE_REGIONS):
            raise ValueError(f"row {r.preset}/{r.source} has no {analysis} shares: compute it with curves=True")
        out.append({"preset": r.preset, "source": r.source, **shares})
    return out


# -- today's limits -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MuLimit:
    """A published mu_nu upper limit (see ``lxenu/data/mu_limits.toml``)."""

    key: str
    label: str
    value_muB: float
    confidence_level: float
    constrains: str
    kind: str
    citation: str
    verified: bool
    checked: str


def mu_limits() -> dict[str, MuLimit]:
    """Today's mu_nu limits by key, read from ``lxenu/data/mu_limits.toml``."""
    text = (resources.files("lxenu") / "data" / "mu_limits.toml").read_text(encoding="utf-8")
    out = {}
    for key, t in tomllib.loads(text).items():
        lim = MuLimit(key=key, **t)
        check_positive(f"{key}.value_muB", lim.value_muB, "mu_B")
        check_range(
            f"{key}.confidence_level", lim.confidence_level, 0.5, 1.0, low_inclusive=False, high_inclusive=False
        )
        if lim.constrains not in FLAVOURS:
            raise ValueError(f"{key}.constrains must be one of {FLAVOURS}; got {lim.constrains!r}")
        out[key] = lim
    return out


def convert_confidence_level(value_muB: float, from_cl: float, to_cl: float) -> float:
    r"""A mu_nu limit moved from one confidence level to another, one-sided.

    Defensible for a background-dominated counting analysis: the excess in the magnetic
    channel is linear in x = mu^2, so chi^2(x) is close to a parabola in x and the limit on x
    scales as sqrt(Delta chi^2): mu_lim scales as (Delta chi^2)^{1/4}, with the one-sided
    thresholds of :func:`~lxenu.stats.chi2.delta_chi2_threshold` (90 %: 1.64, 95 %: 2.71;
    factor 1.133 from 90 % to 95 %). Not for astrophysical bounds, whose statistics differ.
    """
    check_positive("value_muB", value_muB, "mu_B")
    for name, cl in (("from_cl", from_cl), ("to_cl", to_cl)):
        check_range(name, cl, 0.5, 1.0, low_inclusive=False, high_inclusive=False)
    ratio = delta_chi2_threshold(to_cl, 1, "one_sided") / delta_chi2_threshold(from_cl, 1, "one_sided")
    return float(value_muB * ratio**0.25)


# -- the answer as a curve ------------------------------------------------------------------------
def _check_max_activity(max_activity_MCi: float) -> float:
    check_range("max_activity_MCi", max_activity_MCi, 0.0, ACTIVITY_CEILING_MCI, low_inclusive=False, unit="MCi")
    return float(max_activity_MCi)


def required_activity_MCi(
    fit: MagneticMomentFit, thresholds_keV, target_muB: float, max_activity_MCi: float = MAX_ACTIVITY_MCI
) -> np.ndarray:
    """Source activity (MCi, same run plan) whose expected limit equals ``target_muB`` at each threshold.

    The signal scales exactly with the activity (:meth:`MagneticMomentFit.scales_for`), the
    background not at all, and the limit falls monotonically with the activity, so the root is
    unique. Use a fit at the target's confidence level (e.g. ``confidence_level=0.9`` for
    XENONnT). ``inf`` where even ``max_activity_MCi`` does not reach the target.
    """
    if not isinstance(fit, MagneticMomentFit):
        raise ValueError(f"fit must be a MagneticMomentFit; got {type(fit).__name__}")
    check_positive("target_muB", target_muB, "mu_B")
    top = _check_max_activity(max_activity_MCi)
    t_all = np.atleast_1d(as_float_array("thresholds_keV", thresholds_keV))
    check_range("thresholds_keV", t_all, 0.0, 0.5 * fit.max_keV, low_inclusive=False, unit="keV")
    base = fit.experiment.source.activity_MCi
    out = []
    for t in t_all:

        def excess(log_a, t=t):
            return math.log(fit.limit(t, math.exp(log_a) / base) / target_muB)

        lo, hi = math.log(1e-4 * base), math.log(top)
        if excess(hi) > 0:
            out.append(math.inf)
        elif excess(lo) < 0:
            out.append(math.exp(lo))
        else:
            out.append(math.exp(brentq(excess, lo, hi, xtol=1e-8)))
    return np.array(out)


def _scaled_limit(fit: MagneticMomentFullFit, scale: float, delta_chi2: float) -> float:
    """Asimov limit (mu_B) of ``fit`` with the source signal (SM and magnetic) times ``scale``."""
    p = fit.prediction
    model = PoissonNuisanceModel(
        scale * p.signal, scale * p.magnetic, list(p.backgrounds.values()), fit.signal_norm_sigma, fit.background_sigmas
    )
    return float(np.sqrt(model.upper_limit(delta_chi2))) * MU_UNIT


def required_activity_realistic_MCi(
    fit: MagneticMomentFullFit,
    target_muB: float,
    confidence_level: float = 0.90,
    max_activity_MCi: float = MAX_ACTIVITY_MCI,
    guess_MCi: float | None = None,
) -> float:
    """Activity (MCi) at which the realistic fit's expected limit at ``confidence_level`` is ``target_muB``.

    The source signal of the prediction (SM and magnetic, in every (T, L, t) bin) scales with the
    activity; the background, and so its source-off width, does not; the relative activity prior
    stays what it is. ``guess_MCi`` (e.g. the paper fit's answer) starts the bracket. ``inf`` where
    ``max_activity_MCi`` does not reach the target.
    """
    if not isinstance(fit, MagneticMomentFullFit):
        raise ValueError(f"fit must be a MagneticMomentFullFit; got {type(fit).__name__}")
    check_positive("target_muB", target_muB, "mu_B")
    check_range("confidence_level", confidence_level, 0.5, 1.0, low_inclusive=False, high_inclusive=False)
    top = _check_max_activity(max_activity_MCi)
    base = fit.experiment.source.activity_MCi
    dchi2 = delta_chi2_threshold(confidence_level, 1, fit.convention)

    def excess(log_a):
        return math.log(_scaled_limit(fit, math.exp(log_a) / base, dchi2) / target_muB)

    start = base if guess_MCi is None or not math.isfinite(guess_MCi) else float(check_positive("guess_MCi", guess_MCi))
    lo, hi = math.log(min(start, top)) - 0.2, math.log(min(start, top)) + 0.2
    f_lo, f_hi = excess(lo), excess(hi)
    while f_lo < 0 and lo > math.log(1e-4 * base):
        lo, f_lo = lo - 1.0, excess(lo - 1.0)
    while f_hi > 0:
        if hi >= math.log(top):
            return math.inf
        hi = min(hi + 1.0, math.log(top))
        f_hi = excess(hi)
    if f_lo < 0:
        return math.exp(lo)
    return math.exp(brentq(excess, lo, hi, xtol=1e-7))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Recompute lxenu/data/landscape_projections.json")
    ap.add_argument("--out", default=None, help="output file (default: the package's data file)")
    args = ap.parse_args(argv)
    rows = write_projections(args.out)
    print(projection_table_markdown(rows))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

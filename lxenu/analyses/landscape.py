r"""The landscape today: every detector preset with every source, against today's limits.

* :func:`project` / :func:`landscape`: for a detector preset (``lxenu.experiment_presets()``) and a
  source preset (``cr51``, ``ar37``) the expected mu_nu limit and the sterile reach at a few
  dm^2, for the paper's energy-only / distance-only analyses
  (:class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`, :class:`~lxenu.analyses.sterile.SterileFit`) and for
  the realistic ones of chapter 7 (:class:`~lxenu.analyses.full_information.MagneticMomentFullFit` in
  (T, L, t) with the BEST activity prior and a background known from source-off running;
  :class:`~lxenu.analyses.full_information.SterileFullFit` in (L, T)). The distance response is built
  once per detector and reused for both sources (same 14 cm x 14 cm source shape).
* :func:`mu_limits`: today's published mu_nu limits (``lxenu/data/mu_limits.toml``), each with its
  confidence level, what it constrains and its citation; :func:`convert_confidence_level` moves a
  limit to another CL where that is defensible.
* :func:`required_activity_MCi`: the answer as a curve, the source activity that brings the
  expected limit down to a target (e.g. XENONnT's solar bound) at each threshold, by root finding
  on the exact activity scaling of the energy fit.

The full table takes ~1 min; :func:`write_projections` stores it in
``lxenu/data/landscape_projections.json`` (regenerate with ``python -m lxenu.analyses.landscape``) and
:func:`load_projections` reads it back for the book.
"""

from __future__ import annotations

import argparse
import json
import math
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources

import numpy as np
from scipy.optimize import brentq

from ..experiment.experiment import Experiment
from ..experiment.source import LineSource
from ..stats.chi2 import delta_chi2_threshold
from ..stats.likelihood import BEST_ACTIVITY_RELATIVE_SIGMA
from ..validation import check_positive, check_range
from .full_information import MagneticMomentFullFit, SterileFullFit
from .magnetic_moment import MagneticMomentFit
from .sterile import SterileFit

#: Detector presets of the landscape, in the order the book shows them.
PRESETS = ("paper2014", "xenonnt", "lz", "pandax4t", "xlzd")
#: Source presets compared.
SOURCES = ("cr51", "ar37")
#: dm^2 values (eV^2) at which the sterile reach is tabulated.
DM2_EV2 = (1.0, 2.0, 5.0)
#: Monte Carlo events of the distance response in the landscape (the presets use 1e6; 2e5 moves the
#: reach by < 1 %, see tests/test_landscape.py).
LANDSCAPE_N_MC = 200_000
#: Source-off live time that constrains the background of the realistic mu analysis, days
#: (as long as the source-on run of every preset).
SOURCE_OFF_DAYS = 100.0
#: Allowed values of a limit's ``constrains`` field.
FLAVOURS = ("nu_e", "anti_nu_e", "solar_effective", "all_flavours")


# -- experiments ---------------------------------------------------------------------------------
def experiment_for(preset, source: str = "cr51") -> Experiment:
    """The detector preset (a name, or an :class:`Experiment`) with the source preset ``source`` at
    the experiment's activity (MCi)."""
    exp = preset if isinstance(preset, Experiment) else Experiment.from_file(preset)
    src = LineSource.from_preset(source).replace(activity_MCi=exp.source.activity_MCi)
    return exp.replace(source=src)


# -- projections ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """Expected sensitivities of one detector preset with one source (Asimov, no fluctuations).

    ``mu_*_muB`` are one-sided 95 % CL limits (mu_B); ``sterile_*`` the smallest excluded
    sin^2 2theta at 95 % CL, 2 dof, at each of ``dm2_eV2`` (NaN where nothing is excluded).
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


def project(
    preset,
    source: str = "cr51",
    dm2_eV2=DM2_EV2,
    n_mc: int = LANDSCAPE_N_MC,
    response=None,
    off_live_days: float = SOURCE_OFF_DAYS,
    realistic: bool = True,
) -> Projection:
    """Projections of ``preset`` (a preset name or an :class:`Experiment`) with ``source``.

    Paper analyses: energy only, both normalisations known (mu); distance only, signal free and
    0.5 % background prior (sterile). Realistic: (T, L, t) with the BEST 0.23 % activity prior and a
    background width 1/sqrt(N_off) from ``off_live_days`` of source-off data (mu); (L, T) with the
    preset's priors (sterile). ``realistic=False`` skips the (slower) realistic fits (NaN there).
    """
    check_positive("off_live_days", off_live_days, "days")
    exp = experiment_for(preset, source)
    mm = MagneticMomentFit(exp)
    mu_paper = mm.limit()
    sf = SterileFit.for_experiment(exp, n_mc=n_mc, response=response)
    dm2 = tuple(float(m) for m in dm2_eV2)
    paper_reach = tuple(float(v) for v in sf.sensitivity(dm2))
    mu_real, real_reach = math.nan, tuple(math.nan for _ in dm2)
    if realistic:
        ff = MagneticMomentFullFit(exp, "TLt", signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA, mm_fit=mm)
        off = ff.source_off_sigmas(off_live_days)
        mu_real = MagneticMomentFullFit.from_prediction(
            ff.prediction, signal_norm_sigma=BEST_ACTIVITY_RELATIVE_SIGMA, background_norm_sigma=off
        ).limit()
        st = SterileFullFit(exp, "LT", n_mc=n_mc, response=sf.response)
        real_reach = tuple(float(v) for v in st.sensitivity(dm2))
    name = exp.name if isinstance(preset, Experiment) else preset
    return Projection(
        name,
        source,
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
    )


def landscape(
    presets=PRESETS, sources=SOURCES, dm2_eV2=DM2_EV2, n_mc: int = LANDSCAPE_N_MC, realistic: bool = True
) -> list[Projection]:
    """:func:`project` for every preset x source; one distance-response Monte Carlo per preset."""
    rows = []
    for preset in presets:
        response = SterileFit.for_experiment(experiment_for(preset, sources[0]), n_mc=n_mc).response
        rows += [project(preset, source, dm2_eV2, n_mc, response=response, realistic=realistic) for source in sources]
    return rows


def _projections_path():
    return resources.files("lxenu") / "data" / "landscape_projections.json"


def write_projections(path=None, **kwargs) -> list[Projection]:
    """Compute :func:`landscape` and store it as JSON (default: the package's data file)."""
    rows = landscape(**kwargs)
    text = json.dumps(
        {
            "command": "python -m lxenu.analyses.landscape",
            "n_mc": kwargs.get("n_mc", LANDSCAPE_N_MC),
            "source_off_days": SOURCE_OFF_DAYS,
            "rows": [asdict(r) for r in rows],
        },
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
    return [
        Projection(**{k: tuple(v) if isinstance(v, list) else (math.nan if v is None else v) for k, v in r.items()})
        for r in rows
    ]


def _fmt_s(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{v:.3f}"


def projection_table_markdown(rows) -> str:
    """A Markdown table of projections: mass, gap, mu limits, sterile reach (paper / realistic)."""
    dm2 = rows[0].dm2_eV2
    head = [
        "detector",
        "source",
        "mass [t]",
        "gap [m]",
        "threshold [keV]",
        "μν paper [10⁻¹² μB]",
        "μν TLt [10⁻¹² μB]",
    ] + [f"sin²2θ at {m:g} eV² (L / LT)" for m in dm2]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r.preset,
            r.source,
            f"{r.mass_t:.2f}",
            f"{r.gap_m:.2f}",
            f"{r.mu_threshold_keV:g}",
            f"{r.mu_paper_muB / 1e-12:.2f}",
            f"{r.mu_realistic_muB / 1e-12:.2f}",
        ]
        cells += [f"{_fmt_s(a)} / {_fmt_s(b)}" for a, b in zip(r.sterile_paper, r.sterile_realistic)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
def required_activity_MCi(
    fit: MagneticMomentFit, thresholds_keV, target_muB: float, max_activity_MCi: float = 1e4
) -> np.ndarray:
    """Source activity (MCi, same run plan) whose expected limit equals ``target_muB`` at each threshold.

    The signal scales exactly with the activity (:meth:`MagneticMomentFit.scales_for`), the
    background not at all, and the limit falls monotonically with the activity, so the root is
    unique. Use a fit at the target's confidence level (e.g. ``confidence_level=0.9`` for
    XENONnT). ``inf`` where even ``max_activity_MCi`` does not reach the target.
    """
    check_positive("target_muB", target_muB, "mu_B")
    check_positive("max_activity_MCi", max_activity_MCi, "MCi")
    base = fit.experiment.source.activity_MCi
    out = []
    for t in np.atleast_1d(np.asarray(thresholds_keV, dtype=float)):

        def excess(log_a, t=t):
            return math.log(fit.limit(t, math.exp(log_a) / base) / target_muB)

        lo, hi = math.log(1e-4 * base), math.log(max_activity_MCi)
        if excess(hi) > 0:
            out.append(math.inf)
        elif excess(lo) < 0:
            out.append(math.exp(lo))
        else:
            out.append(math.exp(brentq(excess, lo, hi, xtol=1e-8)))
    return np.array(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Recompute lxenu/data/landscape_projections.json")
    ap.add_argument("--out", default=None, help="output file (default: the package's data file)")
    args = ap.parse_args(argv)
    rows = write_projections(args.out)
    print(projection_table_markdown(rows))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

r"""The reactor antineutrino anomaly, as published (Mention et al., PRD 83 (2011) 073006).

What is encoded, and why not more. Mention et al. combine the short-baseline reactor
measurements, with their distances, errors and correlations (how many, and which, was not
verified here), into a mean observed / predicted ratio and fit a 3+1 model to them. Computing the anomaly's region
here would need that table and its correlation matrix checked number by number against
the paper; the tools available to this project could reach only the paper's abstract
(arXiv:1101.2755v4), so the table is not encoded. What the abstract states, and what this
module keeps:

* the mean ratio of observed to predicted rates with the 2011 fluxes: 0.943 +- 0.023
  (0.976 +- 0.024 with the older fluxes), a deviation from one at 98.6 % CL;
* the combined reactor + gallium + MiniBooNE fit: abs(dm2) > 1.5 eV^2 (95 % CL) and
  sin^2 2theta = 0.14 +- 0.08 (95 % CL);
* the mixing the mean deficit alone needs if the oscillation is averaged out,
  sin^2 2theta ~ 0.115.

A best fit with stated ranges is a point with error bars (and a lower limit in dm2), never
a shaded box: :func:`lxenu.report.plotting.draw_reactor_anomaly` draws it that way. The numbers that follow from
the ratio are computed (:func:`averaged_mixing`, :func:`deviation_sigma`) and checked
against the paper's in the tests. Later flux models ("Reactor antineutrino anomaly in
light of recent flux model refinements", Giunti et al., arXiv:2110.06820) shrink the
anomaly; it is a 2011 statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from scipy import stats

from ..validation import check_range, check_scalar_fields


@dataclass(frozen=True)
class ReactorAnomaly:
    """Published summary of the reactor antineutrino anomaly (all from Mention et al. 2011)."""

    ratio: float = 0.943  #: mean observed / predicted, 2011 fluxes
    ratio_error: float = 0.023
    ratio_old_flux: float = 0.976  #: the same with the pre-2011 fluxes
    ratio_old_flux_error: float = 0.024
    quoted_cl_of_deviation: float = 0.986  #: "deviation from unity at 98.6 % C.L."
    sin2_2theta: float = 0.14  #: combined reactor + gallium + MiniBooNE best fit
    sin2_2theta_error_95: float = 0.08  #: its 95 % CL range
    dm2_min_eV2: float = 1.5  #: abs(dm2) > 1.5 eV^2 at 95 % CL
    quoted_averaged_mixing: float = 0.115  #: sin^2 2theta needed by the mean deficit, averaged regime
    reference: str = "Mention et al., PRD 83 (2011) 073006, arXiv:1101.2755"

    def __post_init__(self):
        check_scalar_fields(self)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "reference":
                if not isinstance(value, str):
                    raise ValueError(f"reference must be a string; got {value!r}")
                continue
            if not math.isfinite(value):
                raise ValueError(f"{f.name} must be a finite number; got {value!r}")
        for name in ("ratio", "ratio_old_flux"):  # a mean observed / predicted rate
            check_range(name, getattr(self, name), 0.0, 2.0, low_inclusive=False, high_inclusive=False)
        for name in ("ratio_error", "ratio_old_flux_error", "sin2_2theta_error_95", "dm2_min_eV2"):
            check_range(name, getattr(self, name), 0.0, None, low_inclusive=False)
        check_range(
            "quoted_cl_of_deviation", self.quoted_cl_of_deviation, 0.0, 1.0, low_inclusive=False, high_inclusive=False
        )
        for name in ("sin2_2theta", "quoted_averaged_mixing"):
            check_range(name, getattr(self, name), 0.0, 1.0)


REACTOR_ANOMALY_2011 = ReactorAnomaly()


def _anomaly(anomaly) -> ReactorAnomaly:
    if not isinstance(anomaly, ReactorAnomaly):
        raise ValueError(f"anomaly must be a ReactorAnomaly; got {anomaly!r}")
    return anomaly


def averaged_mixing(anomaly: ReactorAnomaly = REACTOR_ANOMALY_2011) -> tuple[float, float]:
    """sin^2 2theta (and its 1 sigma error) that explains the mean deficit with averaged oscillations.

    At dm2 >> 1 eV^2 and L of 10-100 m, <sin^2(dm2 L / 4E)> = 1/2, so R = 1 - sin^2 2theta / 2.
    """
    anomaly = _anomaly(anomaly)
    return 2.0 * (1.0 - anomaly.ratio), 2.0 * anomaly.ratio_error


def deviation_sigma(anomaly: ReactorAnomaly = REACTOR_ANOMALY_2011) -> dict:
    """Gaussian significance of the mean deficit and the two-sided CL it corresponds to."""
    anomaly = _anomaly(anomaly)
    z = (1.0 - anomaly.ratio) / anomaly.ratio_error
    return {"sigma": float(z), "cl_two_sided": float(1.0 - 2.0 * stats.norm.sf(z))}


def reactor_table_rows(anomaly: ReactorAnomaly = REACTOR_ANOMALY_2011) -> list[tuple[str, str, str]]:
    """(quantity, published, computed here) rows for a comparison table."""
    anomaly = _anomaly(anomaly)
    s, ds = averaged_mixing(anomaly)
    dev = deviation_sigma(anomaly)
    return [
        ("mean ratio, 2011 fluxes", f"{anomaly.ratio} ± {anomaly.ratio_error}", "input"),
        (
            "CL of the deviation from 1",
            f"{anomaly.quoted_cl_of_deviation:.1%}",
            f"{dev['cl_two_sided']:.1%} ({dev['sigma']:.2f} σ)",
        ),
        ("sin²2θ, averaged oscillation", f"~{anomaly.quoted_averaged_mixing}", f"{s:.3f} ± {ds:.3f}"),
        ("sin²2θ, combined fit (95 % CL)", f"{anomaly.sin2_2theta} ± {anomaly.sin2_2theta_error_95}", "input"),
        ("Δm² (95 % CL)", f"> {anomaly.dm2_min_eV2} eV²", "input"),
    ]


__all__ = [
    "ReactorAnomaly",
    "REACTOR_ANOMALY_2011",
    "averaged_mixing",
    "deviation_sigma",
    "reactor_table_rows",
]

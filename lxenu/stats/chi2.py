r"""Test statistics and confidence-level conventions.

* The Poisson likelihood-ratio chi^2 (Baker & Cousins, NIM 221 (1984) 437), used by
  the paper for the magnetic moment:

  .. math:: \chi^2 = 2\sum_i \big[N_i - D_i + D_i \ln(D_i/N_i)\big].

* The Gaussian chi^2 with pull terms for nuisance parameters that enter the
  prediction linearly, used for the sterile-neutrino fit: with prediction
  T_i = (1 + a) S_i + (1 + b) B_i and Gaussian priors a ~ N(0, s_a), b ~ N(0, s_b),

  .. math:: \chi^2(a, b) = \sum_i \frac{(T_i - D_i)^2}{D_i} + \frac{a^2}{s_a^2} + \frac{b^2}{s_b^2},

  which is quadratic in (a, b): its minimum is the solution of a 2 x 2 linear system,
  written out in :func:`profiled_gaussian_chi2` for whole arrays of predictions.
"""

from __future__ import annotations

import numpy as np
from scipy.special import chdtri

from ..experiment.analysis import DELTA_CHI2_CONVENTIONS
from ..validation import as_float_array, check_integer, check_positive, check_range


def delta_chi2_threshold(confidence_level: float = 0.95, dof: int = 1, convention: str = "two_sided") -> float:
    """Delta chi^2 for a confidence level.

    ``two_sided``: the chi^2 quantile with ``dof`` degrees of freedom (Wilks): 3.84 for
    95 % CL and 1 dof, 5.99 for 2 dof.
    ``one_sided``: for one parameter bounded at zero (mu_nu^2 >= 0), Chernoff's theorem
    makes Delta chi^2 a 50:50 mixture of 0 and chi^2_1, so a one-sided 95 % upper limit
    uses the 90 % quantile, 2.71.
    """
    check_range("confidence_level", confidence_level, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    dof = check_integer("dof", dof, 1)
    if convention == "one_sided":
        check_range("confidence_level", confidence_level, 0.5, 1.0, low_inclusive=False, high_inclusive=False)
    if convention == "two_sided":
        return float(chdtri(dof, 1.0 - confidence_level))
    if convention == "one_sided":
        if dof != 1:
            raise ValueError(f"the one_sided convention needs dof = 1; got dof = {dof}")
        return float(chdtri(1, 2.0 * (1.0 - confidence_level)))
    raise ValueError(f"convention must be one of {DELTA_CHI2_CONVENTIONS}; got {convention!r}")


def poisson_chi2(predicted, observed, axis=-1):
    """Poisson likelihood-ratio chi^2 summed over ``axis``; observed may contain zeros."""
    N = as_float_array("predicted", predicted)
    D = as_float_array("observed", observed)
    if not np.all((N > 0) & np.isfinite(N)):
        raise ValueError("predicted counts must be finite and > 0 in every bin for the Poisson chi^2")
    try:
        np.broadcast_shapes(N.shape, D.shape)
    except ValueError:
        raise ValueError(
            f"predicted (shape {N.shape}) and observed (shape {D.shape}) must broadcast together"
        ) from None
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise ValueError("observed counts must be finite and >= 0 in every bin for the Poisson chi^2")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(D > 0, D * np.log(D / N), 0.0)
    return 2.0 * np.sum(N - D + log_term, axis=axis)


def profiled_gaussian_chi2(signal, background, data, sigma_signal=None, sigma_background=0.005):
    """Gaussian chi^2 minimised analytically over the signal and background normalisations.

    Parameters
    ----------
    signal:
        Predicted signal per bin, shape (..., n_bins): any number of leading axes
        (for example a grid of oscillation parameters) is handled at once.
    background, data:
        Background prediction and observed (Asimov) data per bin, shape (n_bins,).
    sigma_signal:
        Gaussian prior width on the signal normalisation a; ``None`` leaves it free
        (shape-only analysis).
    sigma_background:
        Prior width on the background normalisation b (the paper: 0.5 %).

    Returns
    -------
    chi2, a, b : arrays of the leading shape
    """
    S = as_float_array("signal", signal)
    B = as_float_array("background", background)
    D = as_float_array("data", data)
    for name, arr in (("signal", S), ("background", B), ("data", D)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite in every bin")
    if np.any(D <= 0):
        raise ValueError("data must be > 0 in every bin for the Gaussian chi^2 (sigma_i^2 = D_i)")
    if S.shape[-1:] != D.shape or B.shape != D.shape:
        raise ValueError(
            f"signal (..., n_bins), background and data (n_bins) must share the bins; "
            f"got {S.shape}, {B.shape}, {D.shape}"
        )
    w = 1.0 / D
    r = S + B - D  # residual at a = b = 0
    # chi2 = sum w (r + a S + b B)^2 + a^2/sa^2 + b^2/sb^2
    Saa = np.sum(w * S * S, axis=-1)
    Sbb = np.sum(w * B * B)
    Sab = np.sum(w * S * B, axis=-1)
    Sra = np.sum(w * r * S, axis=-1)
    Srb = np.sum(w * r * B, axis=-1)
    Srr = np.sum(w * r * r, axis=-1)
    if sigma_signal is not None:
        check_positive("sigma_signal", sigma_signal)
    if sigma_background is not None:
        check_positive("sigma_background", sigma_background)
    pa = 0.0 if sigma_signal is None else 1.0 / float(sigma_signal) ** 2
    pb = 0.0 if sigma_background is None else 1.0 / float(sigma_background) ** 2
    A11 = Saa + pa
    A22 = Sbb + pb
    A12 = Sab
    det = A11 * A22 - A12 * A12
    a = (-Sra * A22 + Srb * A12) / det
    b = (-Srb * A11 + Sra * A12) / det
    chi2 = Srr + a * Sra + b * Srb  # value at the minimum of a quadratic form
    return np.clip(chi2, 0.0, None), a, b

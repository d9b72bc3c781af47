r"""Coverage of the magnetic-moment upper limit, and CLs.

The mu_nu analysis (:class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`, one-sided convention)
fits x = (mu_nu / 1e-12 mu_B)^2 >= 0 to the recoil spectrum, prediction S + x M + B per bin,
with the Poisson likelihood-ratio chi^2 (Baker & Cousins, NIM 221 (1984) 437). The upper
limit is where Delta chi^2(x) = chi^2(x) - chi^2(x_hat) reaches 2.71 above the constrained
best fit x_hat >= 0. Chernoff's theorem makes this a 95 % CL limit asymptotically; this
module checks it with toys:

* :func:`limits_from_data` solves for the limits of many data sets at once (vectorised
  Newton iterations on the convex chi^2(x)); :func:`cls_limits_asymptotic` likewise for CLs
  (vectorised regula falsi);
* :func:`limit_coverage`: the fraction of toys drawn at a true moment whose limit lies at
  or above the truth, with its binomial error. At mu = 0 every limit covers (the limit is
  >= 0 by construction): coverage 1, not 0.95 — the boundary makes the method conservative
  there, as Chernoff's mixture predicts;
* CLs (Read, J. Phys. G 28 (2002) 2693): CLs = CLs+b / CLb with the test statistic
  q~_x = Delta chi^2(x) if x_hat <= x else 0 (Cowan, Cranmer, Gross & Vitells, EPJC 71
  (2011) 1554, eq. 16), CLs+b = P(q~ >= q_obs | x) and CLb = P(q~ >= q_obs | 0). Either
  from toys (:func:`cls_toys`) or from the asymptotic distributions of q~ (Cowan et al.
  eqs. 64–66) with sigma from the background-only Asimov data set (:func:`cls_asymptotic`).
  Since CLb <= 1, CLs >= CLs+b: CLs limits are never below the CLs+b ones.

Bad input (negative or non-finite counts, a data set with the wrong number of bins, sigma <= 0,
q~ < 0, a seed that is not an integer >= 0, ...) raises a ValueError naming the parameter.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr

from ..constants import MU_UNIT
from ..validation import as_float_array, check_integer, check_non_negative, check_positive, check_range

_NEWTON_STEPS = 30


def _check_counts(name, data, n_bins) -> np.ndarray:
    """Data sets (n_bins,) or (n_sets, n_bins) of finite counts >= 0, as a 2-d array."""
    D = np.atleast_2d(as_float_array(name, data))
    if D.ndim != 2 or D.shape[-1] != n_bins:
        raise ValueError(
            f"{name} must be data sets of {n_bins} bins, shape ({n_bins},) or (n_sets, {n_bins}); "
            f"got shape {np.shape(data)}"
        )
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise ValueError(f"{name} must hold finite counts >= 0; got values from {D.min():g} to {D.max():g}")
    return D


def _check_seed(seed) -> int:
    return check_integer("seed", seed, 0)


def _chi2(S, M, B, D, x):
    """Poisson chi^2 of data D (n_t, n_bins) at x (n_t,) -> (n_t,)."""
    N = S + B + np.asarray(x, dtype=float)[..., None] * M
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(D > 0, D * np.log(D / N), 0.0)
    return 2.0 * np.sum(N - D + log_term, axis=-1)


def _slope(S, M, B, D, x):
    N = S + B + np.asarray(x, dtype=float)[..., None] * M
    return 2.0 * np.sum(M * (1.0 - D / N), axis=-1)


def _curvature(S, M, B, D, x):
    N = S + B + np.asarray(x, dtype=float)[..., None] * M
    return 2.0 * np.sum(M * M * D / (N * N), axis=-1)


def _newton_monotone(f, fprime, x0, tol=1e-10):
    """Newton iterations that approach the root monotonically (convex-from-the-right or
    concave-from-the-left functions, as here), elementwise, until the step is below tol."""
    x = np.array(x0, dtype=float)
    for _ in range(_NEWTON_STEPS):
        step = f(x) / fprime(x)
        x = x - step
        if np.all(np.abs(step) <= tol * np.maximum(1.0, np.abs(x))):
            break
    return x


def _illinois(f, lo, hi, f_lo, f_hi, rtol=1e-11, ftol=1e-13, max_steps=200):
    """Vectorised regula falsi (Illinois variant) for increasing f with f(lo) <= 0 <= f(hi), elementwise.

    Superlinear where f is smooth, and never leaves the bracket: a fraction of bisection's evaluations.
    An element is done when its bracket is narrower than ``rtol`` times its upper end or when
    abs(f) <= ``ftol`` at the last point (which is then returned).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    f_lo, f_hi = np.array(f_lo, dtype=float), np.array(f_hi, dtype=float)
    side = np.zeros(lo.shape, dtype=int)
    root = 0.5 * (lo + hi)
    done = np.zeros(lo.shape, dtype=bool)
    for _ in range(max_steps):
        done |= hi - lo <= rtol * hi
        if done.all():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            x = hi - f_hi * (hi - lo) / (f_hi - f_lo)
        x = np.where(np.isfinite(x) & (x > lo) & (x < hi), x, 0.5 * (lo + hi))
        x = np.where(done, root, x)
        fx = f(x)
        found = ~done & (np.abs(fx) <= ftol)
        root = np.where(found, x, root)
        done |= found
        right = (fx >= 0) & ~done
        left = (fx < 0) & ~done
        # Illinois: when the same end is replaced twice running, halve the value kept at the other end
        f_lo = np.where(right & (side == 1), 0.5 * f_lo, f_lo)
        f_hi = np.where(left & (side == -1), 0.5 * f_hi, f_hi)
        hi, f_hi = np.where(right, x, hi), np.where(right, fx, f_hi)
        lo, f_lo = np.where(left, x, lo), np.where(left, fx, f_lo)
        side = np.where(right, 1, np.where(left, -1, side))
        root = np.where(done, root, 0.5 * (lo + hi))
    return root


def best_fit_x(S, M, B, data) -> np.ndarray:
    """Constrained best fit x_hat >= 0 of each data set (rows of ``data``)."""
    D = _check_counts("data", data, np.size(S))
    zeros = np.zeros(D.shape[0])
    neg = _slope(S, M, B, D, zeros) < 0
    # the slope of the convex chi^2 is concave and increasing: Newton from x = 0 stays below the root
    x = _newton_monotone(
        lambda x: np.where(neg, _slope(S, M, B, D, x), 0.0), lambda x: _curvature(S, M, B, D, x), zeros
    )
    return np.where(neg, x, 0.0)


def q_tilde(S, M, B, data, x, x_hat=None, base=None) -> np.ndarray:
    """Cowan et al.'s q~_x: Delta chi^2(x) against the constrained best fit, 0 if x_hat > x."""
    D = _check_counts("data", data, np.size(S))
    xh = best_fit_x(S, M, B, D) if x_hat is None else np.asarray(x_hat, dtype=float)
    x = np.broadcast_to(np.asarray(x, dtype=float), xh.shape)
    q = _chi2(S, M, B, D, x) - (_chi2(S, M, B, D, xh) if base is None else base)
    return np.where(xh > x, 0.0, np.clip(q, 0.0, None))


def limits_from_data(S, M, B, data, delta_chi2: float = 2.705543454095404) -> np.ndarray:
    """Upper limits on x = (mu / 1e-12 mu_B)^2 where Delta chi^2 reaches ``delta_chi2`` (> 0), per data set."""
    D = _check_counts("data", data, np.size(S))
    check_positive("delta_chi2", delta_chi2)
    xh = best_fit_x(S, M, B, D)
    base = _chi2(S, M, B, D, xh)

    def excess(x):
        return _chi2(S, M, B, D, x) - base - delta_chi2

    hi = np.maximum(1.0, 2.0 * xh)
    while True:
        need = excess(hi) < 0
        if not need.any():
            break
        hi = np.where(need, 4.0 * hi, hi)
    # chi^2 is convex: Newton from the right of the root approaches it from above
    return _newton_monotone(excess, lambda x: _slope(S, M, B, D, x), hi)


def asimov_sigma_x(S, M, B, x) -> np.ndarray:
    """sigma of x-hat from the background-only Asimov data: q_A(x) = x^2 / sigma^2 (Cowan et al. eq. 30)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    A = S + B
    # chi^2 of the Asimov data at x (zero at x = 0): 2 sum [x M - A ln(1 + x M / A)], in a form that
    # keeps its precision for small x
    r = x[..., None] * (M / A)
    qA = 2.0 * np.sum(A * (r - np.log1p(r)), axis=-1)
    return x / np.sqrt(qA)


def _log_sf_q_tilde(q, x, x_prime, sigma):
    """log P(q~_x >= q) when the truth is x' (Cowan et al. eq. 65, as survival functions in log
    form so that the ratio CLs stays finite far in the tails)."""
    q = np.asarray(q, dtype=float)
    r = x / sigma
    low = log_ndtr(-(np.sqrt(q) - (x - x_prime) / sigma))
    with np.errstate(divide="ignore", invalid="ignore"):
        high = log_ndtr(-(q - (x * x - 2.0 * x * x_prime) / sigma**2) / (2.0 * r))
    return np.where(q <= r * r, low, high)


def cls_asymptotic(q_obs, x, sigma) -> dict:
    """CLs+b, CLb and CLs for an observed q~_x (asymptotic formulae; x and sigma in x units).

    ``q_obs`` >= 0, the tested ``x`` > 0 and ``sigma`` > 0 (finite; arrays broadcast).
    """
    check_non_negative("q_obs", q_obs)
    check_positive("x", x)
    check_positive("sigma", sigma)
    log_sb = _log_sf_q_tilde(q_obs, x, x, sigma)
    log_b = _log_sf_q_tilde(q_obs, x, 0.0, sigma)
    return {"clsb": np.exp(log_sb), "clb": np.exp(log_b), "cls": np.exp(log_sb - log_b)}


def cls_limits_asymptotic(S, M, B, data, alpha: float = 0.05) -> np.ndarray:
    """CLs upper limits on x (CLs(x) = alpha, in (0, 1)) for each data set, asymptotic distributions."""
    D = _check_counts("data", data, np.size(S))
    check_range("alpha", alpha, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    xh = best_fit_x(S, M, B, D)
    base = _chi2(S, M, B, D, xh)

    def f(x):  # increasing in x: alpha - CLs(x)
        q = q_tilde(S, M, B, D, x, xh, base)
        return alpha - cls_asymptotic(q, x, asimov_sigma_x(S, M, B, x))["cls"]

    lo = np.full(D.shape[0], 1e-6)
    hi = np.maximum(1.0, 2.0 * xh)
    while True:
        f_hi = f(hi)
        need = f_hi < 0
        if not need.any():
            break
        hi = np.where(need, 4.0 * hi, hi)
    return _illinois(f, lo, hi, np.full(lo.shape, alpha - 1.0), f_hi)  # CLs -> 1 as x -> 0


def _spectra(fit, threshold_keV):
    _, S, M, B = fit.spectra(threshold_keV)
    keep = S + B > 0
    return S[keep], M[keep], B[keep]


def limit_coverage(
    fit, mu_true_muB, n_toys: int = 1000, seed: int = 2011, threshold_keV: float = 2.0, method: str = "chi2"
) -> list[dict]:
    """Coverage of the upper limit at each true moment (mu_B), from Poisson toys.

    ``method``: ``"chi2"`` (Delta chi^2 = fit.delta_chi2, 2.71 for the one-sided convention)
    or ``"cls"`` (asymptotic CLs at 1 - fit.confidence_level). Each row: mu_true_muB,
    coverage (fraction of limits >= truth), its binomial error, the median limit (mu_B).
    """
    if method not in ("chi2", "cls"):
        raise ValueError(f"method must be 'chi2' or 'cls'; got {method!r}")
    n_toys = check_integer("n_toys", n_toys, 1)
    seed = _check_seed(seed)
    mus = np.atleast_1d(as_float_array("mu_true_muB", mu_true_muB))
    if np.isnan(mus).any():
        raise ValueError("mu_true_muB must not contain NaN")
    check_non_negative("mu_true_muB", mus, "mu_B")
    S, M, B = _spectra(fit, threshold_keV)
    rows = []
    for k, mu in enumerate(mus):
        x_true = (mu / MU_UNIT) ** 2
        rng = np.random.default_rng([int(seed), k])
        D = rng.poisson(S + x_true * M + B, size=(n_toys, S.size)).astype(float)
        if method == "chi2":
            x_up = limits_from_data(S, M, B, D, fit.delta_chi2)
        else:
            x_up = cls_limits_asymptotic(S, M, B, D, 1.0 - fit.confidence_level)
        cover = float(np.mean(x_up >= x_true))
        rows.append(
            {
                "mu_true_muB": float(mu),
                "coverage": cover,
                "error": float(np.sqrt(max(cover * (1 - cover), 1.0 / n_toys) / n_toys)),
                "median_limit_muB": float(np.sqrt(np.median(x_up)) * MU_UNIT),
                "n_toys": n_toys,
            }
        )
    return rows


def cls_toys(
    fit, mu_test_muB: float, data=None, n_toys: int = 2000, seed: int = 2002, threshold_keV: float = 2.0
) -> dict:
    """CLs+b, CLb and CLs of ``data`` (default: background-only Asimov) at a tested moment, from toys.

    Toys are drawn at the tested moment (for CLs+b) and at mu = 0 (for CLb); each toy's
    q~ is compared with the observed one. Returns also the asymptotic values and the binomial
    errors of the toy estimates. ``data``: one data set of counts >= 0 in the fit's bins above the
    threshold. Raises if no background toy reaches the observed q~ while no signal toy does
    either (CLs undetermined: increase ``n_toys``).
    """
    check_positive("mu_test_muB", mu_test_muB, "mu_B")
    n_toys = check_integer("n_toys", n_toys, 10)
    seed = _check_seed(seed)
    S, M, B = _spectra(fit, threshold_keV)
    x = (mu_test_muB / MU_UNIT) ** 2
    obs = (S + B)[None, :] if data is None else _check_counts("data", data, S.size)
    if obs.shape[0] != 1:
        raise ValueError(f"data must be one data set of {S.size} bins; got shape {np.shape(data)}")
    q_obs = float(q_tilde(S, M, B, obs, x)[0])
    rng = np.random.default_rng(seed)
    q_sb = q_tilde(S, M, B, rng.poisson(S + x * M + B, size=(n_toys, S.size)).astype(float), x)
    q_b = q_tilde(S, M, B, rng.poisson(S + B, size=(n_toys, S.size)).astype(float), x)
    clsb, clb = float(np.mean(q_sb >= q_obs)), float(np.mean(q_b >= q_obs))
    if clb == 0 and clsb == 0:
        raise ValueError(f"n_toys = {n_toys}: no toy reaches the observed q~ = {q_obs:.3g}; CLs is undetermined")
    asym = cls_asymptotic(q_obs, x, float(asimov_sigma_x(S, M, B, x)[0]))
    return {
        "q_obs": q_obs,
        "clsb": clsb,
        "clb": clb,
        "cls": clsb / clb if clb > 0 else np.inf,
        "clsb_error": float(np.sqrt(clsb * (1 - clsb) / n_toys)),
        "clb_error": float(np.sqrt(clb * (1 - clb) / n_toys)),
        "asymptotic": {k: float(v) for k, v in asym.items()},
    }

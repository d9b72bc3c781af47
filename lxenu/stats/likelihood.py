r"""Binned likelihoods with normalisation nuisances, profiled in closed form or by Newton steps.

Two statistics, both for predictions linear in their normalisations:

* **Poisson** (magnetic moment). With signal template :math:`S_i(x) = S_i + x M_i`
  (x = mu^2 in units of (1e-12 mu_B)^2) and background templates :math:`B_{gi}`,

  .. math::

      \begin{aligned}
      N_i &= a\,S_i(x) + \sum_g b_g B_{gi}, \\
      \chi^2(x; a, b) &= 2\sum_i\big[N_i - D_i + D_i\ln(D_i/N_i)\big] \\
                      &\quad + \frac{(a-1)^2}{\sigma_a^2} + \sum_g\frac{(b_g-1)^2}{\sigma_g^2}
      \end{aligned}

  (Baker & Cousins, NIM 221 (1984) 437, with Gaussian pull terms). At fixed x it is convex in
  theta = (a, b): :func:`profile_poisson` minimises it by Newton steps with the closed-form
  gradient :math:`2\sum_i T_{ki}(1 - D_i/N_i) + 2 p_k(\theta_k - 1)` and Hessian
  :math:`2\sum_i T_{ki}T_{li}D_i/N_i^2 + 2 p_k\delta_{kl}` (p = 1/sigma^2), vectorised over bins
  and over any leading batch axes. By the envelope theorem the profiled chi^2 has
  :math:`d\chi^2/dx = 2 a \sum_i M_i (1 - D_i/N_i)` at the profiled theta, which drives the
  limit search of :class:`PoissonNuisanceModel`.

* **Gaussian** (sterile, after the paper, sect. 3): :func:`profile_gaussian_quadratic` minimises
  a quadratic form over any number of normalisations (a K x K linear system per grid point).

A nuisance width ``0`` (or ``0.0``) means *known* (the parameter is fixed at 1), ``None`` means
*free* (no prior), a positive float is a Gaussian prior of that relative width.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from ..validation import check_non_negative, check_positive

#: Relative uncertainty of the 51Cr source activity achieved by BEST, from calorimetry:
#: 3.414 +- 0.008 MCi at the reference time, i.e. 0.23 % (Barinov et al., PRL 128 (2022)
#: 232501, arXiv:2109.11482, and PRC 105 (2022) 065502, arXiv:2201.07364). The central value
#: is in the PRL abstract ("a 3.414-MCi 51Cr source"); the source paper (Danshin et al.,
#: arXiv:2207.10928) gives 3.41 MCi by calorimetry at delivery. The +- 0.008 MCi width is
#: quoted from the BEST papers' text, not checked against them here.
BEST_CR51_ACTIVITY_MCI = 3.414
BEST_CR51_ACTIVITY_SIGMA_MCI = 0.008
BEST_ACTIVITY_RELATIVE_SIGMA = BEST_CR51_ACTIVITY_SIGMA_MCI / BEST_CR51_ACTIVITY_MCI


def check_norm_sigma(name: str, sigma):
    """Validate a nuisance width: None (free), 0 (known) or a finite positive prior width."""
    if sigma is None:
        return None
    check_non_negative(name, sigma)
    return float(sigma)


def source_off_sigma(background_events_in_run: float, run_live_days: float, off_live_days: float) -> float:
    """Relative background-normalisation uncertainty 1/sqrt(N_off) from source-off data.

    N_off is the expected background in the same analysis region during ``off_live_days``
    of source-off running: N_off = background_events_in_run x off_live_days / run_live_days.
    """
    check_positive("background_events_in_run", background_events_in_run)
    check_positive("run_live_days", run_live_days, "days")
    check_positive("off_live_days", off_live_days, "days")
    return float(1.0 / np.sqrt(background_events_in_run * off_live_days / run_live_days))


def profile_poisson(
    signal,
    backgrounds,
    data,
    signal_sigma=0.0,
    background_sigmas=(0.0,),
    start=None,
    max_iter: int = 100,
    tol: float = 1e-12,
):
    """Minimise the Poisson chi^2 over the normalisations (a, b_1 ... b_k) by Newton steps.

    Parameters
    ----------
    signal:
        Signal template S(x) per bin, shape (..., n): leading axes are a batch (e.g. several x).
    backgrounds:
        Background templates, shape (k, n).
    data:
        Observed counts, shape (n,) or (..., n).
    signal_sigma, background_sigmas:
        Widths of the priors: 0 known, None free, float Gaussian prior (relative).
    start:
        Starting theta, shape (..., 1 + k); default all ones.

    Returns
    -------
    chi2 : array (...)
        The minimised chi^2 (pull terms included).
    theta : array (..., 1 + k)
        The profiled normalisations (a, b_1, ... b_k).
    """
    S = np.asarray(signal, dtype=float)
    B = np.atleast_2d(np.asarray(backgrounds, dtype=float))
    sigmas = [signal_sigma] + list(background_sigmas)
    if len(sigmas) != 1 + B.shape[0]:
        raise ValueError(
            f"background_sigmas needs one entry per background template ({B.shape[0]}); got {len(sigmas) - 1}"
        )
    T = np.empty(S.shape[:-1] + (1 + B.shape[0], S.shape[-1]))
    T[..., 0, :] = S
    T[..., 1:, :] = B
    return _newton_profile(T, np.asarray(data, dtype=float), sigmas, start, max_iter, tol)


def _newton_profile(T, D, sigmas, start=None, max_iter: int = 100, tol: float = 1e-12):
    """Newton minimisation of the Poisson chi^2 of N = theta . T against D (see profile_poisson).

    T has shape (..., K, n); the K normalisations with width 0 stay at 1.
    """
    K, n = T.shape[-2:]
    batch = np.broadcast_shapes(T.shape[:-2], D.shape[:-1])
    free = np.array([s is None or s > 0 for s in sigmas])
    prec = np.array([0.0 if (s is None or s == 0) else 1.0 / s**2 for s in sigmas])
    pos = D > 0
    all_pos = bool(np.all(pos))
    D_safe = D if all_pos else np.where(pos, D, 1.0)
    scalar = batch == () and T.ndim == 2 and D.ndim == 1
    buf = np.empty(n) if scalar else None

    def objective(th):
        """chi^2 with pulls, and N; +inf for elements with N <= 0 where D > 0.

        Summed bin by bin as N - D - D ln(N/D), which stays accurate when chi^2 is small."""
        if scalar:
            N = th @ T
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.log(np.divide(N, D_safe, out=buf), out=buf)
                if not all_pos:
                    terms[~pos] = 0.0
                terms *= D
                np.subtract(N, terms, out=terms)
                terms -= D  # N - D - D ln(N/D) bin by bin: no cancellation between large sums
                value = 2.0 * terms.sum() + prec @ (th - 1.0) ** 2
            return (np.inf if np.isnan(value) else value), N
        N = np.matmul(th[..., None, :], T)[..., 0, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_ratio = np.log(N / D_safe)
            if not all_pos:
                log_ratio = np.where(pos, log_ratio, 0.0)
            terms = N - D - D * log_ratio
            value = 2.0 * np.sum(terms, axis=-1) + np.sum(prec * (th - 1.0) ** 2, axis=-1)
        return np.where(np.isnan(value), np.inf, value), N

    theta = np.ones(batch + (K,)) if start is None else np.array(start, dtype=float)
    theta = np.broadcast_to(theta, batch + (K,)).copy()
    theta[..., ~free] = 1.0
    value, N = objective(theta)
    if not free.any():
        return value, theta
    if not np.all(np.isfinite(value)) and start is not None:
        theta = np.ones(batch + (K,))  # a warm start outside the physical region
        value, N = objective(theta)
    if not np.all(np.isfinite(value)):
        raise ValueError("the prediction must be > 0 wherever data are > 0 at nominal normalisations")
    Tf = T[..., free, :]
    Tf_sum = np.sum(Tf, axis=-1)
    TfT = np.swapaxes(Tf, -1, -2)
    pf = prec[free]
    stale = False  # whether value lags behind theta after full Newton steps
    for _ in range(max_iter):
        q = D / N
        grad = 2.0 * (Tf_sum - np.matmul(Tf, q[..., :, None])[..., 0]) + 2.0 * pf * (theta[..., free] - 1.0)
        H = 2.0 * np.matmul(Tf * (q / N)[..., None, :], TfT) + 2.0 * np.diag(pf)
        step = -np.linalg.solve(H, grad[..., None])[..., 0]
        factor = np.ones(batch)
        if np.all(np.abs(step) <= 1e-4 * (1.0 + np.abs(theta[..., free]))):
            # deep in the quadratic region of a convex function: take the full Newton step
            # and evaluate chi^2 once at the end instead of line-searching every step
            trial = theta.copy()
            trial[..., free] += step
            new_N = np.matmul(trial[..., None, :], T)[..., 0, :]
            if np.all(np.where(pos, new_N, 1.0) > 0):
                theta, N, stale = trial, new_N, True
                if np.all(np.abs(step) <= tol * (1.0 + np.abs(theta[..., free]))):
                    break
                continue
        if stale:
            value, N = objective(theta)
        for _halving in range(60):
            trial = theta.copy()
            trial[..., free] += factor[..., None] * step
            new_value, new_N = objective(trial)
            worse = ~(new_value <= value + 1e-12 * np.abs(value))
            if not np.any(worse):
                break
            factor = np.where(worse, 0.5 * factor, factor)
        stale = False
        moved = ~worse  # no descent left after all halvings: converged to rounding
        if np.all(moved):
            theta, value, N = trial, new_value, new_N
        else:
            theta = np.where(moved[..., None], trial, theta)
            value = np.where(moved, new_value, value)
            N = np.where(moved[..., None], new_N, N)
        small = np.all(np.abs(factor[..., None] * step) <= tol * (1.0 + np.abs(theta[..., free])), axis=-1)
        if np.all(~moved | small):
            break
    if stale:
        value, _ = objective(theta)
    return value, theta


class PoissonNuisanceModel:
    """Poisson chi^2 in x = mu^2 with profiled signal and background normalisations.

    Parameters
    ----------
    S, M:
        SM signal and magnetic signal at x = 1 per bin, any shape (flattened).
    backgrounds:
        Background templates, shape (k,) + S.shape.
    signal_sigma, background_sigmas:
        Nuisance widths: 0 known, None free, float a Gaussian prior.

    Bins in which every template is zero are dropped (they carry no information).
    """

    def __init__(self, S, M, backgrounds, signal_sigma=0.0, background_sigmas=(0.0,)):
        S = np.asarray(S, dtype=float).ravel()
        M = np.asarray(M, dtype=float).ravel()
        B = np.asarray(backgrounds, dtype=float).reshape(-1, S.size)
        keep = (S > 0) | (M > 0) | np.any(B > 0, axis=0)
        self.S, self.M, self.B = S[keep], M[keep], B[:, keep]
        self.keep = keep
        self.signal_sigma = check_norm_sigma("signal_norm_sigma", signal_sigma)
        self.background_sigmas = tuple(check_norm_sigma("background_norm_sigma", s) for s in background_sigmas)
        if len(self.background_sigmas) != self.B.shape[0]:
            raise ValueError("background_sigmas needs one entry per background template")
        self.asimov = self.S + self.B.sum(axis=0)
        self._templates = np.vstack([self.S, self.B])  # row 0 is rewritten with S + x M for each x
        self._M_sum = float(self.M.sum())

    def profile(self, x, data=None, start=None):
        """(chi^2, d chi^2 / dx, theta) at x (scalar or array) with the normalisations profiled."""
        x = np.asarray(x, dtype=float)
        D = self.asimov if data is None else np.asarray(data, dtype=float)
        if x.ndim == 0:
            T = self._templates
            np.add(self.S, x * self.M, out=T[0])
        else:
            T = np.empty(x.shape + self._templates.shape)
            T[..., 0, :] = self.S + x[..., None] * self.M
            T[..., 1:, :] = self.B
        chi2, theta = _newton_profile(T, D, (self.signal_sigma,) + self.background_sigmas, start)
        N = np.matmul(theta[..., None, :], T)[..., 0, :]
        slope = 2.0 * theta[..., 0] * (self._M_sum - np.sum(self.M * (D / N), axis=-1))
        return chi2, slope, theta

    def chi2(self, x, data=None):
        """Profiled chi^2 at x (array allowed), not yet minus its minimum."""
        return self.profile(x, data)[0]

    def best_fit(self, data=None):
        """(x_hat >= 0, chi^2 at x_hat, theta at x_hat)."""
        c0, s0, th0 = self.profile(0.0, data)
        if s0 >= 0:
            return 0.0, float(c0), th0
        state = {"theta": th0}

        def slope(x):
            c, s, th = self.profile(x, data, state["theta"])
            state["theta"] = th
            return s

        lo, hi = 0.0, 1.0
        s_lo, s_hi = s0, slope(hi)
        while s_hi < 0:
            lo, s_lo, hi = hi, s_hi, 4.0 * hi
            if hi > 1e15:
                raise ValueError("no best fit: the chi^2 keeps falling as mu grows")
            s_hi = slope(hi)
        tiny = 1e-9 * abs(s0)  # slopes this small are rounding: the end point is the root
        if s_hi <= tiny or -s_lo <= tiny:
            x_hat = hi if s_hi <= -s_lo else lo
        else:
            x_hat = brentq(slope, lo, hi, xtol=1e-13, rtol=1e-13)
        c, _, th = self.profile(x_hat, data, state["theta"])
        return float(x_hat), float(c), th

    def upper_limit(self, delta_chi2: float, data=None) -> float:
        """x at which the profiled chi^2 exceeds its minimum over x >= 0 by ``delta_chi2``.

        Safeguarded Newton in sqrt(Delta chi^2), which is nearly linear in x, inside a bracket.
        Returns ``inf`` when no x up to 1e15 reaches the threshold: the free normalisations
        absorb any moment, there is no exclusion (a result, not an error).
        """
        check_positive("delta_chi2", delta_chi2)
        if data is None:
            x_hat, base, theta = 0.0, float(self.profile(0.0)[0]), None
        else:
            x_hat, base, theta = self.best_fit(data)
        root = np.sqrt(delta_chi2)
        D = self.asimov if data is None else np.asarray(data, dtype=float)
        fisher = np.sum(self.M**2 / np.where(D > 0, D, np.inf))
        lo, hi = x_hat, None
        x = x_hat + (np.sqrt(delta_chi2 / fisher) if fisher > 0 else 1.0)
        for _ in range(200):
            c, s, theta = self.profile(x, data, theta)
            d = max(float(c) - base, 0.0)
            h = np.sqrt(d) - root
            if abs(h) <= 1e-11 * root:
                return float(x)
            if h < 0:
                lo = x
            else:
                hi = x
            dh = float(s) / (2.0 * np.sqrt(d)) if d > 0 else 0.0
            new = x - h / dh if dh > 0 else np.inf
            if hi is None:
                new = new if np.isfinite(new) and new > x else 4.0 * x + 1.0
            elif not (lo < new < hi):
                new = 0.5 * (lo + hi)
            if abs(new - x) <= 1e-14 * max(abs(x), 1e-300):
                return float(new)
            x = new
            if x > 1e15:
                return float("inf")  # the nuisances absorb any moment: no exclusion
        return float(x)


def profile_gaussian_quadratic(Srr, g, A, prior_precision):
    """Minimum over theta of Srr + 2 g.theta + theta^T (A + diag(p)) theta.

    ``g`` has shape (..., K), ``A`` shape (..., K, K), ``prior_precision`` shape (K,)
    (0 for a free parameter). Returns (chi^2 >= 0, theta).
    """
    M = A + np.diag(np.asarray(prior_precision, dtype=float))
    theta = -np.linalg.solve(M, g[..., None])[..., 0]
    chi2 = Srr + np.sum(g * theta, axis=-1)
    return np.clip(chi2, 0.0, None), theta

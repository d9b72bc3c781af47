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

from dataclasses import dataclass

import numpy as np

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


#: The profile stops when the Newton decrement (twice the chi^2 still to gain) falls below this.
#: After that last step the chi^2 is within ~1e-15 of its minimum; theta within ~1e-12.
CHI2_TOL = 1e-10


def _dot(a, b) -> float:
    """sum(a * b) without BLAS: OpenBLAS threads its level-1/2 routines, and on a busy machine a
    thread that waits for a core costs ~10 ms per call on 2e5 bins (einsum runs in this thread)."""
    return float(np.einsum("i,i->", a, b))


def _profile_single(
    T,
    D,
    D_safe,
    free,
    prec,
    start=None,
    max_iter: int = 100,
    chi2_tol: float = CHI2_TOL,
    row_sums=None,
    nonnegative=None,
    work=None,
    with_chi2: bool = True,
    dropped_sums=None,
):
    """Newton minimisation of the Poisson chi^2 of N = theta . T for one template set T (K, n) and
    one data vector D (n,); the unbatched, allocation-free fast path of :func:`_newton_profile`.

    Returns (chi^2, theta, N). ``D_safe`` is D with its zeros replaced by 1 (for the logarithm),
    ``row_sums`` the sums of the rows of T (over every bin, given or dropped), ``dropped_sums`` the
    sums of the rows over bins left out of T because their data are 0 (there the chi^2 is
    2 sum N, linear in theta: the bins need not be visited), ``nonnegative`` whether every template entry is >= 0
    (then a step that changes no normalisation by more than a quarter of itself provably lowers
    chi^2 and needs no line search), ``work`` three scratch arrays of length n. With
    ``with_chi2=False`` the chi^2 is not evaluated at the end (None is returned in its place).

    Stops when the Newton decrement lambda^2 = -grad . step (twice the chi^2 still to gain,
    to leading order) is below ``chi2_tol`` after the step is taken.
    """
    K, n = T.shape
    idx = np.flatnonzero(free)
    theta = np.ones(K) if start is None else np.array(start, dtype=float).reshape(K)
    theta[~free] = 1.0
    N, q, tmp = (np.empty(n), np.empty(n), np.empty(n)) if work is None else work
    rows = [T[k] for k in idx]
    pf = prec[idx]
    dropped = np.zeros(K) if dropped_sums is None else np.asarray(dropped_sums, dtype=float)
    if row_sums is None:
        row_sums = T.sum(axis=1) + dropped
    sums = np.asarray(row_sums, dtype=float)[idx]
    if nonnegative is None:
        nonnegative = bool(np.all(T >= 0.0)) and bool(np.all(D >= 0.0))
    pos = D > 0
    all_pos = bool(np.all(pos))

    def predict(th, out):
        return np.einsum("k,kn->n", th, T, out=out)  # one pass, no BLAS

    def objective(th, N):
        """chi^2 with pulls at N = th . T, bin by bin as N - D - D ln(N/D) (no cancellation);
        +inf where N <= 0 and D > 0."""
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(N, D_safe, out=q)
            np.log(q, out=q)
            np.multiply(q, D, out=q)
            if not all_pos:
                q[~pos] = 0.0
            np.subtract(N, q, out=q)
            np.subtract(q, D, out=q)
            value = 2.0 * (float(q.sum()) + float(th @ dropped)) + float(prec @ (th - 1.0) ** 2)
        return np.inf if np.isnan(value) else value

    def feasible(N):
        return bool(N.min() > 0.0) if all_pos else bool(np.all(np.where(pos, N, 1.0) > 0.0))

    predict(theta, N)
    if not idx.size:
        return objective(theta, N), theta, N
    if not feasible(N) and start is not None:
        theta = np.ones(K)  # a warm start outside the physical region
        predict(theta, N)
    if not feasible(N):
        raise ValueError("the prediction must be > 0 wherever data are > 0 at nominal normalisations")
    H = np.empty((idx.size, idx.size))
    value = None  # chi^2 at theta, computed only when a line search needs it
    for _ in range(max_iter):
        np.divide(D, N, out=q)
        grad = 2.0 * (sums - np.array([_dot(r, q) for r in rows])) + 2.0 * pf * (theta[idx] - 1.0)
        q /= N  # D / N^2
        for j, r in enumerate(rows):
            np.multiply(r, q, out=tmp)
            for m in range(j + 1):
                H[j, m] = H[m, j] = 2.0 * _dot(tmp, rows[m])
        H[np.diag_indices_from(H)] += 2.0 * pf
        step = -np.linalg.solve(H, grad)
        decrement = float(-grad @ step)
        if not np.isfinite(decrement):
            raise ValueError("the profile of the normalisations failed: singular Hessian (a template is all zero?)")
        th_free = theta[idx]
        # with T >= 0 every N_i >= theta_k T_ki, so no bin changes by more than sum |step_k| / theta_k
        rho = float(np.sum(np.abs(step) / th_free)) if nonnegative and np.all(th_free > 0) else np.inf
        if rho <= 0.25:
            # the curvature D/N^2 of each bin changes by less than a factor 1/(1 - rho)^2 < 2 along
            # the step, so the full Newton step lowers chi^2: no line search needed
            theta[idx] = th_free + step
            predict(theta, N)
            value = None
            if decrement <= chi2_tol:
                break
            continue
        if decrement <= chi2_tol:
            break
        if value is None:
            value = objective(theta, N)
        t = 1.0
        for _halving in range(60):
            trial = theta.copy()
            trial[idx] = th_free + t * step
            trial_N = predict(trial, np.empty(n))
            new_value = objective(trial, trial_N) if feasible(trial_N) else np.inf
            if new_value <= value - 1e-4 * t * decrement:
                break
            t *= 0.5
        else:
            break  # no descent left: converged to rounding
        theta, value = trial, new_value
        N[...] = trial_N
    if value is None and with_chi2:
        value = objective(theta, N)
    return value, theta, N


def _widths(sigmas):
    """(free mask, prior precisions) from nuisance widths: 0 known, None free, float a prior."""
    free = np.array([s is None or s > 0 for s in sigmas])
    prec = np.array([0.0 if (s is None or s == 0) else 1.0 / s**2 for s in sigmas])
    return free, prec


def _newton_profile(T, D, sigmas, start=None, max_iter: int = 100, tol: float = 1e-12):
    """Newton minimisation of the Poisson chi^2 of N = theta . T against D (see profile_poisson).

    T has shape (..., K, n); the K normalisations with width 0 stay at 1. One template set
    against one data vector goes to :func:`_profile_single`; batches are profiled together.
    """
    K, n = T.shape[-2:]
    batch = np.broadcast_shapes(T.shape[:-2], D.shape[:-1])
    free, prec = _widths(sigmas)
    pos = D > 0
    all_pos = bool(np.all(pos))
    D_safe = D if all_pos else np.where(pos, D, 1.0)
    if batch == () and T.ndim == 2 and D.ndim == 1:
        value, theta, _ = _profile_single(T, D, D_safe, free, prec, start, max_iter)
        return value, theta

    def objective(th):
        """chi^2 with pulls, and N; +inf for elements with N <= 0 where D > 0.

        Summed bin by bin as N - D - D ln(N/D), which stays accurate when chi^2 is small."""
        N = np.einsum("...k,...kn->...n", th, T)
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
    pf = prec[free]
    stale = False  # whether value lags behind theta after full Newton steps
    for _ in range(max_iter):
        q = D / N
        grad = 2.0 * (Tf_sum - np.einsum("...kn,...n->...k", Tf, q)) + 2.0 * pf * (theta[..., free] - 1.0)
        H = 2.0 * np.einsum("...kn,...ln->...kl", Tf * (q / N)[..., None, :], Tf) + 2.0 * np.diag(pf)
        step = -np.linalg.solve(H, grad[..., None])[..., 0]
        factor = np.ones(batch)
        if np.all(np.abs(step) <= 1e-4 * (1.0 + np.abs(theta[..., free]))):
            # deep in the quadratic region of a convex function: take the full Newton step
            # and evaluate chi^2 once at the end instead of line-searching every step
            trial = theta.copy()
            trial[..., free] += step
            new_N = np.einsum("...k,...kn->...n", trial, T)
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


@dataclass
class _Bins:
    """The bins one data set needs: its data, the templates there, and the template sums over the
    bins left out because their data are 0 (see :meth:`PoissonNuisanceModel._bins_for`)."""

    D: np.ndarray
    D_safe: np.ndarray
    S: np.ndarray
    M: np.ndarray
    M0: np.ndarray | None
    templates: np.ndarray
    dropped: dict
    work: tuple


class PoissonNuisanceModel:
    """Poisson chi^2 in x = mu^2 with profiled signal and background normalisations.

    The prediction is N = a (S + x M) + x M0 + sum_g b_g B_g: the source's SM and magnetic
    signals scale with the source normalisation a, the backgrounds with theirs, and ``M0`` (default
    none) is magnetic scattering that does not come from the source (solar neutrinos when the moment
    acts on them), known in normalisation.

    Bins in which every template is zero are dropped (they carry no information). A single x
    is profiled by :func:`_profile_single` in scratch arrays kept by the model (no allocation
    per call); an array of x by the batched :func:`_newton_profile`. The normalisations returned
    are (a, b_1, ... b_k).

    Parameters
    ----------
    S, M:
        SM signal and magnetic signal at x = 1 per bin, any shape (flattened), >= 0.
    backgrounds:
        Background templates, shape (k,) + S.shape, >= 0.
    signal_sigma, background_sigmas:
        Nuisance widths: 0 known, None free, float a Gaussian prior.
    magnetic_unscaled:
        M0, magnetic events at x = 1 not scaled by a (shape of S), or None.
    """

    def __init__(self, S, M, backgrounds, signal_sigma=0.0, background_sigmas=(0.0,), magnetic_unscaled=None):
        S = np.asarray(S, dtype=float).ravel()
        M = np.asarray(M, dtype=float).ravel()
        B = np.asarray(backgrounds, dtype=float).reshape(-1, S.size)
        M0 = np.zeros_like(S) if magnetic_unscaled is None else np.asarray(magnetic_unscaled, dtype=float).ravel()
        if M.shape != S.shape or M0.shape != S.shape:
            raise ValueError(f"M and magnetic_unscaled must have the shape of S ({S.size} bins)")
        for name, arr in (("S", S), ("M", M), ("backgrounds", B), ("magnetic_unscaled", M0)):
            if not np.all(np.isfinite(arr)) or np.any(arr < 0):
                raise ValueError(f"{name} must be finite and >= 0 in every bin (event counts)")
        keep = (S > 0) | (M > 0) | (M0 > 0) | np.any(B > 0, axis=0)
        self.S, self.M, self.B = S[keep], M[keep], B[:, keep]
        self.keep = keep
        self.signal_sigma = check_norm_sigma("signal_norm_sigma", signal_sigma)
        self.background_sigmas = tuple(check_norm_sigma("background_norm_sigma", s) for s in background_sigmas)
        if len(self.background_sigmas) != self.B.shape[0]:
            raise ValueError("background_sigmas needs one entry per background template")
        self.sigmas = (self.signal_sigma,) + self.background_sigmas
        self._n_theta = len(self.sigmas)
        self.M0 = M0[keep] if np.any(M0 > 0) else None
        # templates: row 0 is S + x M (rewritten for each x), then the backgrounds, then x M0 (fixed at 1)
        self._free, self._prec = _widths(self.sigmas + ((0.0,) if self.M0 is not None else ()))
        self.asimov = self.S + self.B.sum(axis=0)
        self._templates = np.vstack([self.S, *self.B] + ([self.M0] if self.M0 is not None else []))
        self._sums = {
            "S": float(self.S.sum()),
            "M": float(self.M.sum()),
            "M0": 0.0 if self.M0 is None else float(self.M0.sum()),
            "B": self.B.sum(axis=1),
        }
        self._bins = None  # (data object, _Bins) of the last data set

    def _bins_for(self, data) -> _Bins:
        """The bins a data set needs (None: the Asimov data), kept from the last call.

        Bins with no data contribute 2 N to the chi^2, linear in the normalisations: when more than
        a tenth of the bins are empty (pseudo-experiments of a fine (T, L, t) binning are mostly
        empty) they are dropped and enter through their template sums only.
        """
        if data is None:
            data = self.asimov
        if self._bins is not None and self._bins[0] is data:
            return self._bins[1]
        D = np.asarray(data, dtype=float)
        if D.shape != self.S.shape:
            raise ValueError(f"data must have one entry per kept bin ({self.S.size}); got shape {D.shape}")
        if not np.all(np.isfinite(D)) or np.any(D < 0):
            raise ValueError("data must be finite and >= 0 in every bin (event counts)")
        used = np.flatnonzero(D)
        M0 = self.M0
        if D.size - used.size > 0.1 * D.size:
            S, M, B, D = self.S.take(used), self.M.take(used), self.B.take(used, axis=1), D.take(used)
            M0 = None if M0 is None else M0.take(used)
            dropped = {
                "S": self._sums["S"] - float(S.sum()),
                "M": self._sums["M"] - float(M.sum()),
                "M0": 0.0 if M0 is None else self._sums["M0"] - float(M0.sum()),
                "B": self._sums["B"] - B.sum(axis=1),
            }
        else:
            dropped = {"S": 0.0, "M": 0.0, "M0": 0.0, "B": np.zeros(self.B.shape[0])}
            S, M, B = self.S, self.M, self.B
        rows = [S, *B] + ([M0] if M0 is not None else [])
        bins = _Bins(
            D=D,
            D_safe=np.where(D > 0, D, 1.0),
            S=S,
            M=M,
            M0=M0,
            templates=np.vstack(rows),
            dropped=dropped,
            work=tuple(np.empty(D.size) for _ in range(3)),
        )
        self._bins = (data, bins)
        return bins

    def _row_sums(self, x: float, sums: dict) -> np.ndarray:
        """Sums of the template rows at x: S + x M, the backgrounds, x M0 (if any)."""
        out = [sums["S"] + x * sums["M"], *sums["B"]]
        if self.M0 is not None:
            out.append(x * sums["M0"])
        return np.array(out, dtype=float)

    def _full_theta(self, theta):
        """Normalisations with the fixed 1 of the M0 row appended (internal layout)."""
        if theta is None:
            return None
        th = np.asarray(theta, dtype=float)
        if self.M0 is not None and th.shape[-1] == self._n_theta:
            th = np.concatenate([th, np.ones(th.shape[:-1] + (1,))], axis=-1)
        return th

    def profile(self, x, data=None, start=None, with_chi2: bool = True):
        """(chi^2, d chi^2 / dx, theta) at x (scalar or array) with the normalisations profiled.

        The slope is the envelope-theorem derivative 2 sum_i (a M_i + M0_i) (1 - D_i/N_i) at the
        profiled normalisations. ``with_chi2=False`` (scalar x only) skips the chi^2 itself
        (returned as None): the logarithms over every bin are most of a profile's cost.
        """
        x = np.asarray(x, dtype=float)
        start = self._full_theta(start)
        if x.ndim == 0:
            xf = float(x)
            b = self._bins_for(data)
            T = b.templates
            np.multiply(b.M, xf, out=T[0])
            T[0] += b.S
            if b.M0 is not None:
                np.multiply(b.M0, xf, out=T[-1])
            chi2, theta, N = _profile_single(
                T,
                b.D,
                b.D_safe,
                self._free,
                self._prec,
                start,
                row_sums=self._row_sums(xf, self._sums),
                nonnegative=xf >= 0,
                work=b.work,
                with_chi2=with_chi2,
                dropped_sums=self._row_sums(xf, b.dropped),
            )
            q = b.work[1]
            np.divide(b.D, N, out=q)
            slope = 2.0 * theta[0] * (self._sums["M"] - _dot(b.M, q))
            if b.M0 is not None:
                slope += 2.0 * (self._sums["M0"] - _dot(b.M0, q))
            return chi2, slope, theta[: self._n_theta]
        D = self.asimov if data is None else np.asarray(data, dtype=float)
        T = np.empty(x.shape + self._templates.shape)
        T[..., 0, :] = self.S + x[..., None] * self.M
        T[..., 1 : 1 + self.B.shape[0], :] = self.B
        if self.M0 is not None:
            T[..., -1, :] = x[..., None] * self.M0
        chi2, theta = _newton_profile(T, D, self.sigmas + ((0.0,) if self.M0 is not None else ()), start)
        N = np.einsum("...k,...kn->...n", theta, T)
        q = D / N
        slope = 2.0 * theta[..., 0] * (self._sums["M"] - np.einsum("n,...n->...", self.M, q))
        if self.M0 is not None:
            slope = slope + 2.0 * (self._sums["M0"] - np.einsum("n,...n->...", self.M0, q))
        return chi2, slope, theta[..., : self._n_theta]

    def chi2(self, x, data=None):
        """Profiled chi^2 at x (array allowed), not yet minus its minimum."""
        return self.profile(x, data)[0]

    def best_fit(self, data=None):
        """(x_hat >= 0, chi^2 at x_hat, theta at x_hat).

        The root of the profiled slope by safeguarded secant steps inside a bracket, started from
        the Gaussian estimate x = -slope(0) / (2 F) (F the profiled Fisher information); only the
        last point's chi^2 is evaluated.
        """
        c0, s0, th0 = self.profile(0.0, data)
        if s0 >= 0:
            return 0.0, float(c0), th0
        fisher, dtheta = self.linear_response(th0, data)
        curvature = 2.0 * fisher
        x = -s0 / curvature if curvature > 0 else 1.0
        tol = 1e-9 / np.sqrt(fisher) if fisher > 0 else 1e-12
        lo, s_lo, hi, s_hi = 0.0, s0, None, None
        x_prev, s_prev, th_prev = 0.0, s0, th0
        for _ in range(200):
            _, s, th = self.profile(x, data, th_prev + dtheta * (x - x_prev), with_chi2=False)
            if s < 0:
                lo, s_lo = x, s
            else:
                hi, s_hi = x, s
            secant = (s - s_prev) / (x - x_prev)
            if secant > 0:
                curvature = secant
            dtheta = (th - th_prev) / (x - x_prev)
            new = x - s / curvature
            if hi is None:
                if not new > x:
                    new = 4.0 * x + 1.0
                if new > 1e15:
                    raise ValueError("no best fit: the chi^2 keeps falling as mu grows")
            elif not lo < new < hi:
                new = lo - s_lo * (hi - lo) / (s_hi - s_lo)  # regula falsi inside the bracket
                if not lo < new < hi:
                    new = 0.5 * (lo + hi)
            x_prev, s_prev, th_prev = x, s, th
            converged = abs(new - x) <= tol or s == 0.0
            x = new
            if converged or (hi is not None and hi - lo <= tol):
                break
        c, _, th = self.profile(x, data, th_prev + dtheta * (x - x_prev))
        return float(x), float(c), th

    def linear_response(self, theta, data=None):
        """(profiled Fisher information for x, d theta / dx) at theta and x = 0, Gaussian approximation.

        With weights 1/D_i and g = a M + M0 = dN/dx: chi^2 ~ x^2 [sum g^2/D - c^T (G + P)^-1 c] once
        the free normalisations follow x, with c_k = sum g T_k / D, G_kl = sum T_k T_l / D and P the
        prior precisions; they follow it as d theta / dx = -(G + P)^-1 c. This starts the limit
        search close to its root and each profile close to its minimum.
        """
        b = self._bins_for(data)
        w = b.work[2]
        np.divide(1.0, b.D, out=w, where=b.D > 0)
        w[b.D <= 0] = 0.0
        g = b.M * float(theta[0])
        if b.M0 is not None:
            g += b.M0
        tmp = b.work[1]
        np.multiply(g, w, out=tmp)
        fisher = _dot(tmp, g)
        idx = np.flatnonzero(self._free)
        dtheta = np.zeros(self._n_theta)
        if not idx.size:
            return fisher, dtheta
        rows = [b.S if k == 0 else b.templates[k] for k in idx]  # the signal template at x = 0
        c = np.array([_dot(tmp, r) for r in rows])
        G = np.empty((idx.size, idx.size))
        for j, r in enumerate(rows):
            np.multiply(r, w, out=tmp)
            for m in range(j + 1):
                G[j, m] = G[m, j] = _dot(tmp, rows[m])
        G[np.diag_indices_from(G)] += self._prec[idx]
        try:
            sol = np.linalg.solve(G, c)
        except np.linalg.LinAlgError:
            return fisher, dtheta
        dtheta[idx] = -sol
        return max(fisher - float(c @ sol), 0.0), dtheta

    def upper_limit(self, delta_chi2: float, data=None) -> float:
        """x at which the profiled chi^2 exceeds its minimum over x >= 0 by ``delta_chi2``.

        Safeguarded Newton in sqrt(Delta chi^2), which is nearly linear in x, inside a bracket,
        started from the profiled Fisher information; each profile starts from the normalisations
        extrapolated from the previous points. Returns ``inf`` when no x up to 1e15 reaches the
        threshold: the free normalisations absorb any moment, there is no exclusion (a result, not
        an error).
        """
        check_positive("delta_chi2", delta_chi2)
        if data is None:
            # Asimov data are the prediction at x = 0 with every normalisation 1: chi^2 = 0 there,
            # the least it can be
            x_hat, base, theta = 0.0, 0.0, np.ones(self._n_theta)
        else:
            x_hat, base, theta = self.best_fit(data)
        root = np.sqrt(delta_chi2)
        fisher, dtheta = self.linear_response(theta, data)
        step = np.sqrt(delta_chi2 / fisher) if fisher > 0 else 1.0
        lo, hi = x_hat, None
        x = x_hat + step
        prev = (x_hat, np.asarray(theta, dtype=float), dtheta)  # (x, theta, d theta / dx) of the last point
        for _ in range(200):
            x_prev, th_prev, slope_prev = prev
            start = th_prev + slope_prev * (x - x_prev)
            c, s, th = self.profile(x, data, start)
            prev = (x, th, (th - th_prev) / (x - x_prev) if x != x_prev else slope_prev)
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
            if np.isfinite(new) and abs(new - x) <= 1e-7 * abs(x) and (hi is None or lo < new < hi):
                # a Newton step this small on the nearly linear h: the error of new is ~ (new - x)^2 / x,
                # far below the 1e-11 asked of h; no need to profile at it again
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

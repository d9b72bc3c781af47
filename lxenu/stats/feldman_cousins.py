r"""Feldman–Cousins confidence regions for the sterile-neutrino distance analysis.

Wilks' theorem (Delta chi^2 = 5.99 for 95 % CL, 2 dof) fails for oscillation searches:
sin^2 2theta is bounded at 0 and 1, and at large Delta m^2 the oscillation averages out
so that Delta m^2 is not measured at all (Coloma, Huber & Schwetz, EPJC 81 (2021) 2).
The remedy (Feldman & Cousins, PRD 57 (1998) 3873, "unified approach") is to build
the distribution of the test statistic with toys at each point of the parameter plane.

The statistic
-------------
:class:`~lxenu.analyses.sterile.SterileFit`'s Gaussian chi^2. The prediction in distance bin i is
(1 + a) S_i(s, m) + (1 + b) B_i with S(s, m) = S0 - s Delta(m), (s, m) = (sin^2 2theta, Delta m^2);
the variance of each bin is its no-oscillation expectation S0_i + B_i (what SterileFit uses for
its Asimov data); the nuisances have Gaussian constraint terms (a - a0)^2 / sigma_a^2 (optional:
``norm_sigma`` None leaves a free) and (b - b0)^2 / sigma_b^2 (sigma_b = 0.5 %, the paper's).
a0 and b0 are the auxiliary measurements (the centres of the priors): 0 for the data.

The construction (the "profile construction" of the nuisance parameters: at each point they take
their conditional best fit to a reference data set). At each grid point (s, m):

1. the nuisances are fitted to a *reference data set* with (s, m) held fixed: the conditional
   best fit (a^, b^)(s, m) (:func:`conditional_nuisances`). The reference is the no-oscillation
   Asimov data S0 + B with a0 = b0 = 0 for the sensitivity and for the book's maps; a measured
   data set can be passed as ``reference_data``;
2. Poisson toy data are drawn from the prediction at (s, m, a^, b^), and each toy's auxiliary
   measurements are drawn as a0 ~ N(a^, sigma_a) (when a is constrained) and b0 ~ N(b^, sigma_b)
   (:func:`draw_toys`);
3. each toy's Delta chi^2 = chi^2(s, m; D, a0, b0) - min over the physical region of
   chi^2(D, a0, b0), the nuisances profiled in both terms;
4. the critical value c(s, m) is the CL quantile of those Delta chi^2.

A point is excluded by data if its Delta chi^2 exceeds c(s, m) (Wilks: c = 5.99).
``construction="nominal"`` instead draws the toys at a = b = 0 and keeps a0 = b0 = 0 (the
construction of FC_ALGORITHM_VERSION 1), for comparison.

Why it is fast
--------------
Writing the prediction alpha S0 - beta Delta(m) + b' B with alpha = 1 + a, beta = alpha s,
b' = 1 + b, it is *linear* in (alpha, beta, b') at fixed m. Hence

* chi^2 at fixed (s, m), profiled over (a, b), is a 2 x 2 solve, and
* the minimum over s in [0, 1] at fixed m is a 3 x 3 solve (beta free), falling back to
  the faces s = 0 and s = 1 when beta / alpha leaves [0, 1]: the quadratic form is convex
  and the physical region 0 <= beta <= alpha is a convex cone, so its minimum is either
  the free minimum or lies on one of the two faces.

The constraint terms are pseudo-measurements: a0 and b0 enter the sums *linearly* (u_a gains
a0 / sigma_a^2, u_b gains b0 / sigma_b^2, the data term gains a0^2 / sigma_a^2 + b0^2 / sigma_b^2),
so fluctuating them costs nothing. Every bin sum is either a per-toy scalar or a
(toys x bins) @ (bins x Delta m^2) matrix product, and the normal matrices do not depend on the
data: a whole grid of toys costs a few BLAS calls. The minimum over Delta m^2 is taken over a
grid (``dm2_profile_eV2``, by default :func:`default_profile_grid` joined with the map's own
Delta m^2 values); the minimum over s is continuous.

"No exclusion" is a result: :func:`exclusion_curve`, :func:`fc_sensitivity` and
:func:`exclusion_bands` return ``inf`` where nothing on the grid is excluded.

Public API
----------
:class:`LinearOscillationModel` (the per-bin ingredients), :func:`conditional_nuisances`,
:func:`draw_toys`, :func:`toy_delta_chi2`, :func:`fc_critical_values` (cached map),
:func:`fc_critical_values_along`, :func:`delta_chi2_surface`, :func:`asimov_delta_chi2`,
:func:`fc_sensitivity`, :func:`exclusion_bands`, :func:`exclusion_curve`, :func:`quantile_interval`.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..validation import as_float_array, check_integer, check_non_negative, check_positive, check_range
from .chi2 import delta_chi2_threshold

#: Bump when the statistic or the toy generation changes: invalidates cached maps.
#: 2: the profile construction (toys at the conditional best-fit nuisances, auxiliary
#: measurements fluctuated); version 1 drew toys at a = b = 0 with fixed prior centres.
FC_ALGORITHM_VERSION = 2

#: How the toys treat the nuisances (see the module docstring).
CONSTRUCTIONS = ("profile", "nominal")

#: The committed maps for the book's configurations (see lxenu/data/README.md).
PACKAGE_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Default Wilks threshold for 95 % CL, 2 dof, for comparisons.
WILKS_95_2DOF = 5.991464547107979


@dataclass(frozen=True)
class LinearOscillationModel:
    """Per-bin ingredients of the profiled Gaussian chi^2 of a distance-shape analysis.

    Attributes
    ----------
    signal_no_osc:
        S0, signal events per reconstructed-distance bin without oscillations, (n_bins,).
    background:
        B, background events per bin, (n_bins,).
    deficit_fn:
        Callable dm2_eV2 array (n_m,) -> Delta, events lost per unit sin^2 2theta,
        shape (n_m, n_bins) (:meth:`lxenu.analyses.sterile.SterileFit._deficit`).
    norm_sigma:
        Gaussian prior width on the signal normalisation a; None = free (shape only).
    background_sigma:
        Gaussian prior width on the background normalisation b (the paper: 0.005); None = free.
    """

    signal_no_osc: np.ndarray
    background: np.ndarray
    deficit_fn: object
    norm_sigma: float | None = None
    background_sigma: float | None = 0.005

    @classmethod
    def from_sterile_fit(cls, fit) -> LinearOscillationModel:
        """The model of a :class:`~lxenu.analyses.sterile.SterileFit` (bins with no expected events dropped)."""
        keep = fit.signal_no_oscillation + fit.background > 0

        def deficit(dm2):
            return fit._deficit(np.asarray(dm2, dtype=float))[..., keep]

        return cls(
            np.asarray(fit.signal_no_oscillation)[keep],
            np.asarray(fit.background)[keep],
            deficit,
            fit.norm_sigma,
            fit.background_sigma,
        )

    @property
    def n_bins(self) -> int:
        return int(np.size(self.signal_no_osc))

    @property
    def prior_a(self) -> float:
        return 0.0 if self.norm_sigma is None else 1.0 / float(self.norm_sigma) ** 2

    @property
    def prior_b(self) -> float:
        return 0.0 if self.background_sigma is None else 1.0 / float(self.background_sigma) ** 2

    def deficit(self, dm2_eV2) -> np.ndarray:
        return np.asarray(self.deficit_fn(np.atleast_1d(np.asarray(dm2_eV2, dtype=float))), dtype=float)

    def prediction(self, sin2_2theta, dm2_eV2, a: float = 0.0, b: float = 0.0) -> np.ndarray:
        """(1 + a)(S0 - s Delta(m)) + (1 + b) B for scalar s and m, (n_bins,)."""
        signal = self.signal_no_osc - float(sin2_2theta) * self.deficit([dm2_eV2])[0]
        return (1.0 + float(a)) * signal + (1.0 + float(b)) * self.background

    def fingerprint(self, dm2_eV2) -> str:
        """A hash of everything the statistic depends on (8 significant digits)."""
        h = hashlib.sha256()
        for arr in (self.signal_no_osc, self.background, self.deficit(dm2_eV2)):
            h.update(np.array([float(f"{x:.8g}") for x in np.ravel(arr)]).tobytes())
        h.update(repr((self.norm_sigma, self.background_sigma)).encode())
        return h.hexdigest()


def _as_model(fit) -> LinearOscillationModel:
    if isinstance(fit, LinearOscillationModel):
        return fit
    if not hasattr(fit, "signal_no_oscillation") or not hasattr(fit, "_deficit"):
        raise ValueError(f"fit must be a SterileFit or a LinearOscillationModel; got {type(fit).__name__}")
    return LinearOscillationModel.from_sterile_fit(fit)


# -- input checks ----------------------------------------------------------------------------
def _check_grid(name, values, low, high, unit="", low_inclusive=True):
    """A 1-d, strictly increasing, finite grid inside [low, high] (``low_inclusive=False``: (low, high])."""
    arr = np.atleast_1d(as_float_array(name, values))
    if arr.ndim != 1 or arr.size < 1:
        raise ValueError(f"{name} must be a 1-d array of at least one value; got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN; got {arr.tolist() if arr.size < 8 else 'NaN entries'}")
    check_range(name, arr, low, high, low_inclusive=low_inclusive, unit=unit)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {arr.tolist() if arr.size < 8 else 'non-finite entries'}")
    if np.any(np.diff(arr) <= 0):
        shown = arr.tolist() if arr.size < 8 else f"an array of {arr.size} values"
        raise ValueError(f"{name} must be strictly increasing; got {shown}")
    return arr


def _check_seed(seed) -> int:
    return check_integer("seed", seed, 0)


def _check_cl(cl) -> float:
    check_range("cl", cl, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    return float(cl)


def _check_construction(construction) -> str:
    if construction not in CONSTRUCTIONS:
        raise ValueError(f"construction must be one of {CONSTRUCTIONS}; got {construction!r}")
    return construction


def _check_data(name, data, n_bins) -> np.ndarray:
    """Counts per bin: finite, >= 0, last axis n_bins."""
    D = as_float_array(name, data)
    if D.ndim < 1 or D.shape[-1] != n_bins:
        raise ValueError(f"{name} must have {n_bins} bins along its last axis (the model's); got shape {D.shape}")
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise ValueError(
            f"{name} must hold finite counts >= 0 in every bin; got values from {D.min():g} to {D.max():g}"
        )
    return D


def _check_aux(aux, n_sets) -> np.ndarray | None:
    """Auxiliary measurements (a0, b0) per data set, shape (n_sets, 2), or None (both 0)."""
    if aux is None:
        return None
    A = np.atleast_2d(as_float_array("aux", aux))
    if A.shape[-1] != 2 or A.shape[0] not in (1, n_sets) or A.ndim != 2:
        raise ValueError(f"aux must be (a0, b0) or an array of shape ({n_sets}, 2); got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("aux must be finite")
    return np.broadcast_to(A, (n_sets, 2))


def _check_profile(dm2_profile_eV2, m=None) -> np.ndarray:
    prof = (
        default_profile_grid()
        if dm2_profile_eV2 is None
        else _check_grid("dm2_profile_eV2", dm2_profile_eV2, 0.0, None, "eV^2", low_inclusive=False)
    )
    return prof if m is None else np.union1d(prof, m)


# -- the statistic ---------------------------------------------------------------------------
class _Normal:
    """The data-independent sums of the statistic for a model and a Delta m^2 grid.

    The variance of bin i is the no-oscillation expectation, sigma_i^2 = S0_i + B_i: for the
    no-oscillation Asimov data this is exactly :class:`~lxenu.analyses.sterile.SterileFit`'s
    sigma_i^2 = D_i, and unlike Neyman's sigma_i^2 = D_i it is defined for toys with empty
    bins (the edge bins of the distance range expect < 1 event). With fixed weights the
    normal matrices do not depend on the data: per Delta m^2 vectors, computed once per map column.
    """

    def __init__(self, model: LinearOscillationModel, deficit_m: np.ndarray):
        S0, B = model.signal_no_osc, model.background
        self.S0, self.B = S0, B
        self.w = 1.0 / (S0 + B)
        self.pa, self.pb = model.prior_a, model.prior_b
        dm = np.asarray(deficit_m, dtype=float)  # (n_m, n_bins)
        self.dmT = np.ascontiguousarray(dm.T)  # (n_bins, n_m), for the data sums w r . Delta
        self.ss = float(self.w @ (S0 * S0))
        self.sb = float(self.w @ (S0 * B))
        self.bb = float(self.w @ (B * B))
        self.sd = (S0 * self.w) @ dm.T
        self.dd2 = np.einsum("mi,mi->m", dm * self.w, dm)
        self.db = (B * self.w) @ dm.T
        # inverse of the 3 x 3 normal matrix of (a, beta, b) per Delta m^2 (symmetric: 6 vectors)
        g11, g13, g33 = self.ss + self.pa, self.sb, self.bb + self.pb
        g12, g22, g23 = -self.sd, self.dd2, -self.db
        c11 = g22 * g33 - g23 * g23
        c12 = g13 * g23 - g12 * g33
        c13 = g12 * g23 - g13 * g22
        c22 = g11 * g33 - g13 * g13
        c23 = g12 * g13 - g11 * g23
        c33 = g11 * g22 - g12 * g12
        det = g11 * c11 + g12 * c12 + g13 * c13
        self.k11, self.k12, self.k13 = c11 / det, c12 / det, c13 / det
        self.k22, self.k23, self.k33 = c22 / det, c23 / det, c33 / det
        # the same coefficients stacked for the per-toy products of _ToySums._interior
        self.kp = np.stack([self.k12, self.k23])
        self.ka = np.stack([self.k11, self.k13])
        self.kq = np.stack([-self.k11, -2 * self.k13, -self.k33, np.ones_like(self.k11)])


class _ToySums:
    """Bin sums of data sets D (n_t, n_bins), with auxiliary measurements (a0, b0), against the model.

    The sums are taken over the residual r = D - S0 - B and the fit parameters are the shifts
    a = alpha - 1 and b = b' - 1 from the no-oscillation expectation. The chi^2 is then a small
    quadratic form in small numbers: the no-oscillation Asimov data give exactly 0 at s = 0,
    where expanding sum w D^2 - (fitted part) would lose ~1e-6 to cancellation between
    numbers of order 1e5. The constraint terms are pseudo-measurements of a and b at a0, b0:
    they add pa a0 to u_a, pb b0 to u_b and pa a0^2 + pb b0^2 to the data term.
    """

    def __init__(self, normal: _Normal, data: np.ndarray, aux: np.ndarray | None = None):
        n = normal
        self.n = n
        r = np.asarray(data, dtype=float) - (n.S0 + n.B)
        wr = r * n.w
        rr = np.sum(wr * r, axis=-1)
        rs = wr @ n.S0
        rb = wr @ n.B
        if aux is not None:
            a0, b0 = aux[:, 0], aux[:, 1]
            rr = rr + n.pa * a0 * a0 + n.pb * b0 * b0
            rs = rs + n.pa * a0
            rb = rb + n.pb * b0
        self.rr, self.rs, self.rb = rr[:, None], rs[:, None], rb[:, None]  # (n_t, 1)
        self.rd = wr @ n.dmT  # (n_t, n_m)

    def chi2_fixed_s(self, s, cols=slice(None)):
        """chi^2 profiled over (a, b) at sin^2 2theta = s, shape (n_t, n_m) (s broadcasts in front).

        With y = r + s Delta the residual at a = b = 0 and X = S0 - s Delta the signal shape,
        chi^2 = y.y - u^T G^-1 u, u = (y.X + pa a0, y.B + pb b0), G the normal matrix plus the priors.
        ``cols`` selects Delta m^2 columns; s = 0 (no oscillation) returns one column.
        """
        n = self.n
        if np.ndim(s) == 0 and s == 0:
            gxx, gxb = n.ss + n.pa, n.sb
            yy, ux, ub = self.rr, self.rs, self.rb
        else:
            s = np.asarray(s, dtype=float)
            sd, dd2, db, rd = n.sd[cols], n.dd2[cols], n.db[cols], self.rd[:, cols]
            gxx = n.ss - 2 * s * sd + s * s * dd2 + n.pa
            gxb = n.sb - s * db
            yy = self.rr + 2 * s * rd + s * s * dd2
            ux = self.rs - s * rd + s * sd - s * s * dd2
            ub = self.rb + s * db
        gbb = n.bb + n.pb
        det = gxx * gbb - gxb * gxb
        quad = (gbb / det) * ux * ux + (-2 * gxb / det) * ux * ub + (gxx / det) * ub * ub
        return yy - quad

    #: toys per block: (block x n_m) temporaries stay in the CPU cache
    BLOCK = 128

    def _blocks(self):
        n_t = self.rd.shape[0]
        return [slice(k, min(k + self.BLOCK, n_t)) for k in range(0, n_t, self.BLOCK)]

    def _interior(self, rows):
        """For the toys ``rows``: the minimum over s where it lies inside [0, 1] or on the face s = 0,
        the mask of the (toy, Delta m^2) pairs whose minimum lies on the face s = 1 instead, and
        chi^2 at s = 0 (n_t, 1)."""
        n = self.n
        # parameters (a, beta, b) with alpha = 1 + a, beta = alpha s: residual r - a S0 + beta Delta - b B,
        # u = (rs, -rd, rb); free minimum chi^2 = rr - u^T K u with K the inverse normal matrix. The parts
        # that are outer products of per-toy scalars and per-Delta m^2 vectors are small matrix products.
        u1, u3, rr, rd = self.rs[rows], self.rb[rows], self.rr[rows], self.rd[rows]
        scal = np.hstack([u1, u3, u1 * u1, u1 * u3, u3 * u3, rr])  # (n_t, 6)
        p = scal[:, :2] @ n.kp  # k12 u1 + k23 u3
        a_part = scal[:, :2] @ n.ka  # k11 u1 + k13 u3
        free = scal[:, 2:] @ n.kq  # rr - q
        t = rd * n.k22  # -k22 u2
        beta = p - t
        p += p
        p -= t
        p *= rd
        free += p  # rr - q - u2 (2 p + k22 u2): the unconstrained minimum
        t = rd * n.k12
        a_part -= t  # a = alpha - 1
        # The quadratic form is convex and the physical region 0 <= beta <= alpha a convex cone: a
        # free minimum with beta < 0 (alpha > 0) has its constrained minimum on the face s = 0, one
        # with beta > alpha > 0 on the face s = 1 (the segment to any point of the other face
        # crosses the nearer one inside the cone).
        chi2_null = self.chi2_fixed_s(0.0)[rows]
        a_part += 1.0  # alpha
        high = (beta > a_part) & (beta > 0)
        low = (beta < 0) | (a_part <= 0)
        return np.where(low, chi2_null, free), high & ~low, free, chi2_null

    def chi2_min_over_s(self):
        """min over s in [0, 1] of the profiled chi^2 at each Delta m^2, shape (n_t, n_m)."""
        out = []
        for rows in self._blocks():
            val, high, _, chi2_null = self._interior(rows)
            idx = np.nonzero(high)
            if idx[0].size:
                s1 = self._chi2_s1_at((idx[0] + rows.start, idx[1]))
                val[idx] = np.minimum(s1, chi2_null[idx[0], 0])
            out.append(val)
        return np.concatenate(out)

    def chi2_min(self):
        """Global minimum over the physical region (s continuous, Delta m^2 on the grid), (n_t,).

        The same numbers as ``chi2_min_over_s().min(axis=-1)``, faster: chi^2 on the face s = 1 is
        evaluated only where the unconstrained minimum (a lower bound) lies below the best value
        found elsewhere for that toy.
        """
        out = np.empty(self.rd.shape[0])
        for rows in self._blocks():
            val, high, free, chi2_null = self._interior(rows)
            best = np.minimum(np.where(high, np.inf, val).min(axis=-1), chi2_null[:, 0])
            need = high & (free < best[:, None])
            if need.any():
                idx = np.nonzero(need)
                np.minimum.at(best, idx[0], self._chi2_s1_at((idx[0] + rows.start, idx[1])))
            out[rows] = best
        return out

    def _chi2_s1_at(self, idx):
        """chi^2 at s = 1 for the (toy, Delta m^2) pairs ``idx`` only."""
        n = self.n
        t, m = idx
        gxx = n.ss - 2 * n.sd[m] + n.dd2[m] + n.pa
        gxb = n.sb - n.db[m]
        gbb = n.bb + n.pb
        det = gxx * gbb - gxb * gxb
        rd = self.rd[t, m]
        yy = self.rr[t, 0] + 2 * rd + n.dd2[m]
        ux = self.rs[t, 0] - rd + n.sd[m] - n.dd2[m]
        ub = self.rb[t, 0] + n.db[m]
        return yy - (gbb * ux * ux - 2 * gxb * ux * ub + gxx * ub * ub) / det


def _conditional_fit(model, s_values, deficit_row, data, aux):
    """(a^, b^) minimising chi^2 at fixed (s, m) for one data set: a 2 x 2 solve per s, arrays (n_s,)."""
    S0, B = model.signal_no_osc, model.background
    w = 1.0 / (S0 + B)
    s = np.asarray(s_values, dtype=float)[:, None]
    X = S0 - s * deficit_row  # (n_s, n_bins)
    y = data - X - B
    gxx = np.sum(w * X * X, axis=-1) + model.prior_a
    gxb = np.sum(w * X * B, axis=-1)
    gbb = float(np.sum(w * B * B)) + model.prior_b
    ux = np.sum(w * y * X, axis=-1) + model.prior_a * aux[0]
    ub = np.sum(w * y * B, axis=-1) + model.prior_b * aux[1]
    det = gxx * gbb - gxb * gxb
    return (gbb * ux - gxb * ub) / det, (gxx * ub - gxb * ux) / det


def _draw(model, s, deficit_row, a, b, n_toys, rng, fluctuate_aux):
    """Poisson toys at (1 + a)(S0 - s Delta) + (1 + b) B and their auxiliary measurements (n_t, 2)."""
    T = (1.0 + a) * (model.signal_no_osc - s * deficit_row) + (1.0 + b) * model.background
    D = rng.poisson(T, size=(n_toys, T.size)).astype(float)
    aux = np.zeros((n_toys, 2))
    if fluctuate_aux:
        z = rng.standard_normal((n_toys, 2))
        aux[:, 0] = a + (0.0 if model.norm_sigma is None else float(model.norm_sigma)) * z[:, 0]
        aux[:, 1] = b + (0.0 if model.background_sigma is None else float(model.background_sigma)) * z[:, 1]
    return D, aux


def _reference(model, reference_data):
    """The reference data set of the profile construction and its auxiliary measurements (0, 0)."""
    if reference_data is None:
        return model.signal_no_osc + model.background
    D = _check_data("reference_data", reference_data, model.n_bins)
    if D.ndim != 1:
        raise ValueError(f"reference_data must be one data set of {model.n_bins} bins; got shape {D.shape}")
    return D


def conditional_nuisances(model, sin2_2theta, dm2_eV2, data=None, aux=(0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """The conditional best fit (a^, b^) of the nuisances at fixed (sin^2 2theta, dm2) to one data set.

    ``data``: counts per bin of the model (default: the no-oscillation Asimov data S0 + B);
    ``aux``: its auxiliary measurements (a0, b0) (default (0, 0)). ``sin2_2theta`` may be an
    array (returns arrays of its shape). On Asimov data made at (s, m, a, b) with aux = (a, b)
    it returns (a, b).
    """
    model = _as_model(model)
    s = np.atleast_1d(as_float_array("sin2_2theta", sin2_2theta))
    check_range("sin2_2theta", s, 0.0, 1.0)
    check_positive("dm2_eV2", dm2_eV2, "eV^2")
    D = _reference(model, data)
    A = _check_aux(aux, 1)[0]
    a, b = _conditional_fit(model, s, model.deficit([dm2_eV2])[0], D, A)
    shape = np.shape(sin2_2theta)
    return a.reshape(shape), b.reshape(shape)


def _toy_rng(seed: int, i: int, j: int):
    """Independent, reproducible stream for grid point (i, j): any subset can be recomputed alone."""
    return np.random.default_rng([int(seed), int(i), int(j), FC_ALGORITHM_VERSION])


def draw_toys(
    model,
    sin2_2theta: float,
    dm2_eV2: float,
    n_toys: int,
    seed: int,
    construction: str = "profile",
    reference_data=None,
    index=(0, 0),
) -> dict:
    """The toys of grid point ``index`` at (sin2_2theta, dm2_eV2), as the construction draws them.

    Returns ``data`` (n_toys, n_bins), ``aux`` (n_toys, 2: a0, b0), the nuisances ``a``, ``b``
    the toys are drawn at and the ``expected`` counts per bin (their mean).
    """
    model = _as_model(model)
    check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
    check_positive("dm2_eV2", dm2_eV2, "eV^2")
    n_toys = check_integer("n_toys", n_toys, 1)
    seed = _check_seed(seed)
    construction = _check_construction(construction)
    row = model.deficit([dm2_eV2])[0]
    a, b = 0.0, 0.0
    if construction == "profile":
        ah, bh = _conditional_fit(model, [sin2_2theta], row, _reference(model, reference_data), (0.0, 0.0))
        a, b = float(ah[0]), float(bh[0])
    D, aux = _draw(model, float(sin2_2theta), row, a, b, n_toys, _toy_rng(seed, *index), construction == "profile")
    expected = (1.0 + a) * (model.signal_no_osc - sin2_2theta * row) + (1.0 + b) * model.background
    return {"data": D, "aux": aux, "a": a, "b": b, "expected": expected}


def toy_delta_chi2(
    model,
    sin2_2theta: float,
    dm2_eV2: float,
    n_toys: int,
    seed: int,
    dm2_profile_eV2=None,
    index=(0, 0),
    construction: str = "profile",
    reference_data=None,
) -> np.ndarray:
    """Delta chi^2 of ``n_toys`` toys drawn at (sin2_2theta, dm2_eV2) by the construction, (n_toys,).

    ``dm2_profile_eV2`` is the Delta m^2 grid of the global minimum (default
    :func:`default_profile_grid`; ``dm2_eV2`` is added to it). ``index`` labels the random stream, so that
    point (i, j) of a map can be recomputed on its own.
    """
    model = _as_model(model)
    check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
    check_positive("dm2_eV2", dm2_eV2, "eV^2")
    prof = _check_profile(dm2_profile_eV2, [dm2_eV2])
    j = int(np.searchsorted(prof, dm2_eV2))
    toys = draw_toys(model, sin2_2theta, dm2_eV2, n_toys, seed, construction, reference_data, index)
    sums = _ToySums(_Normal(model, model.deficit(prof)), toys["data"], toys["aux"])
    at_truth = sums.chi2_fixed_s(sin2_2theta, [j])[:, 0]
    return np.clip(at_truth - sums.chi2_min(), 0.0, None)


def _critical_column(args):
    """Critical values of one Delta m^2 column (all sin^2 2theta): a picklable unit of work."""
    core, deficit_prof, deficit_truth, jcol, s_values, n_toys, seed, cl, i0, j, construction, reference = args
    normal = _Normal(core, deficit_prof)
    profile = construction == "profile"
    if profile:
        a_hat, b_hat = _conditional_fit(core, s_values, deficit_truth, reference, (0.0, 0.0))
    else:
        a_hat = b_hat = np.zeros(s_values.size)
    out = np.empty(s_values.size)
    for i, s in enumerate(s_values):
        rng = _toy_rng(seed, i + i0, j)
        D, aux = _draw(core, s, deficit_truth, a_hat[i], b_hat[i], n_toys, rng, profile)
        sums = _ToySums(normal, D, aux)
        at_truth = sums.chi2_fixed_s(s, [jcol])[:, 0]
        out[i] = np.quantile(np.clip(at_truth - sums.chi2_min(), 0.0, None), cl)
    return out


def _critical_values(
    model,
    s_values,
    m_values,
    n_toys,
    seed,
    cl,
    dm2_profile,
    index_offset=(0, 0),
    workers=1,
    construction="profile",
    reference_data=None,
):
    """The uncached work: one toy ensemble per grid point, vectorised over toys and Delta m^2.

    The Python loop runs over truth points only to give each its own random stream; the work
    inside (n_toys x n_bins draws, matrix products against the whole profile grid) is
    vectorised. ``workers`` > 1 spreads the Delta m^2 columns over processes; the numbers do
    not depend on it.
    """
    dm2_profile = np.union1d(dm2_profile, m_values)
    deficit_prof = model.deficit(dm2_profile)
    deficit_truth = model.deficit(m_values)
    jcol = np.searchsorted(dm2_profile, m_values)  # exact: the profile grid contains the truths
    core = LinearOscillationModel(model.signal_no_osc, model.background, None, model.norm_sigma, model.background_sigma)
    reference = _reference(model, reference_data)
    jobs = [
        (
            core,
            deficit_prof,
            deficit_truth[j],
            int(jcol[j]),
            s_values,
            n_toys,
            seed,
            cl,
            index_offset[0],
            j + index_offset[1],
            construction,
            reference,
        )
        for j in range(m_values.size)
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            cols = list(pool.map(_critical_column, jobs))
    else:
        cols = [_critical_column(job) for job in jobs]
    return np.stack(cols, axis=1)


def default_cache_dir() -> Path:
    """``$LXENU_CACHE`` or ``~/.cache/lxenu``."""
    return Path(os.environ.get("LXENU_CACHE", Path.home() / ".cache" / "lxenu"))


def map_key(
    model, s_values, m_values, n_toys, seed, cl, dm2_profile, construction="profile", reference_data=None
) -> str:
    """Hash of everything a map depends on: the model's bins, the grids, toys, seed, CL, construction, version."""
    h = hashlib.sha256()
    h.update(model.fingerprint(dm2_profile).encode())
    for arr in (s_values, m_values, dm2_profile):
        h.update(np.asarray(arr, dtype=float).round(12).tobytes())
    h.update(repr((int(n_toys), int(seed), float(cl), FC_ALGORITHM_VERSION, construction)).encode())
    if reference_data is not None:
        h.update(np.asarray(reference_data, dtype=float).round(8).tobytes())
    return h.hexdigest()[:20]


def fc_critical_values(
    fit,
    s_grid,
    m_grid,
    n_toys: int = 1000,
    seed: int = 1998,
    cl: float = 0.95,
    cache: bool | str | Path = True,
    dm2_profile_eV2=None,
    workers: int = 1,
    construction: str = "profile",
    reference_data=None,
) -> np.ndarray:
    """Feldman–Cousins critical values Delta chi^2_c on a (sin^2 2theta, Delta m^2) grid.

    Parameters
    ----------
    fit:
        A :class:`~lxenu.analyses.sterile.SterileFit` or a :class:`LinearOscillationModel`.
    s_grid, m_grid:
        Strictly increasing sin^2 2theta values in (0, 1] and Delta m^2 values (eV^2, > 0).
    n_toys, seed:
        Toys per grid point (>= 20); the seed (an integer >= 0) makes the map reproducible point by point.
    cl:
        Confidence level in (0, 1) (0.95: compare with Wilks' 5.99).
    cache:
        True: read/write ``default_cache_dir()/fc``; a path: that directory; both after the
        committed maps in ``lxenu/data``. False: compute, read and write nothing. The key hashes the model's
        bins (signal, background, deficits), the grids, the toys, the seed, the CL and the construction.
    dm2_profile_eV2:
        Delta m^2 grid of the global minimum (joined with ``m_grid``); default
        :func:`default_profile_grid`. Data must be analysed with the same grid.
    workers:
        Processes to spread the Delta m^2 columns over (the result does not depend on it).
    construction:
        ``"profile"`` (default: toys at the conditional best-fit nuisances, auxiliary
        measurements fluctuated) or ``"nominal"`` (toys at a = b = 0, prior centres fixed).
    reference_data:
        The data set the nuisances are fitted to in the profile construction (counts in the
        model's bins); default the no-oscillation Asimov data.

    Returns
    -------
    array (n_s, n_m)
    """
    model = _as_model(fit)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0, low_inclusive=False)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2", low_inclusive=False)
    n_toys = check_integer("n_toys", n_toys, 20)
    seed = _check_seed(seed)
    cl = _check_cl(cl)
    construction = _check_construction(construction)
    if reference_data is not None:
        _reference(model, reference_data)
    workers = check_integer("workers", workers, 1)
    prof = _check_profile(dm2_profile_eV2, m)
    key = map_key(model, s, m, n_toys, seed, cl, prof, construction, reference_data)
    name = f"fc_{key}.npz"
    dirs = []
    if cache is not False:
        dirs = [PACKAGE_DATA_DIR, default_cache_dir() / "fc" if cache is True else Path(cache)]
    for d in dirs:
        if (d / name).exists():
            with np.load(d / name) as f:
                return np.array(f["critical_values"])
    out = _critical_values(
        model, s, m, n_toys, seed, cl, prof, workers=workers, construction=construction, reference_data=reference_data
    )
    if cache is not False:
        save_map(dirs[-1] / name, out, s, m, n_toys, seed, cl, key, construction)
    return out


def save_map(path, critical_values, s_grid, m_grid, n_toys, seed, cl, key, construction="profile") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        critical_values=np.asarray(critical_values, dtype=np.float32).astype(float),
        s_grid=s_grid,
        m_grid=m_grid,
        n_toys=n_toys,
        seed=seed,
        cl=cl,
        key=key,
        version=FC_ALGORITHM_VERSION,
        construction=construction,
    )
    return path


def map_file_name(
    fit, s_grid, m_grid, n_toys, seed, cl=0.95, dm2_profile_eV2=None, construction="profile", reference_data=None
) -> str:
    """The file name under which :func:`fc_critical_values` stores (and looks up) this map."""
    model = _as_model(fit)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0, low_inclusive=False)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2", low_inclusive=False)
    prof = _check_profile(dm2_profile_eV2, m)
    return f"fc_{map_key(model, s, m, n_toys, seed, cl, prof, construction, reference_data)}.npz"


# -- Asimov and data-like Delta chi^2 surfaces -----------------------------------------------
def delta_chi2_surface(model, data, s_grid, m_grid, dm2_profile_eV2=None, aux=None) -> np.ndarray:
    """Delta chi^2(s, m) of data sets D (n_bins,) or (n_sets, n_bins) against their global minimum.

    ``aux``: the data sets' auxiliary measurements (a0, b0), shape (2,) or (n_sets, 2); None
    means (0, 0), the data's own. Returns (n_s, n_m), or (n_sets, n_s, n_m) for 2-d data.
    """
    model = _as_model(model)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2", low_inclusive=False)
    prof = _check_profile(dm2_profile_eV2, m)
    D = _check_data("data", data, model.n_bins)
    if D.ndim > 2:
        raise ValueError(f"data must be one data set (n_bins,) or a stack (n_sets, n_bins); got shape {D.shape}")
    D2 = np.atleast_2d(D)
    sums = _ToySums(_Normal(model, model.deficit(prof)), D2, _check_aux(aux, D2.shape[0]))
    cols = np.searchsorted(prof, m)
    chi2 = sums.chi2_fixed_s(s[:, None, None], cols)  # (n_s, n_t, n_m)
    out = np.moveaxis(chi2, 0, 1) - sums.chi2_min()[:, None, None]
    out = np.clip(out, 0.0, None)
    return out if D.ndim > 1 else out[0]


def asimov_delta_chi2(fit, s_grid, m_grid, dm2_profile_eV2=None) -> np.ndarray:
    """Delta chi^2 of the no-oscillation Asimov data (S0 + B) on the grid, (n_s, n_m)."""
    model = _as_model(fit)
    return delta_chi2_surface(model, model.signal_no_osc + model.background, s_grid, m_grid, dm2_profile_eV2)


def _checked_critical(name: str, critical, shape: tuple) -> np.ndarray:
    """Critical values (>= 0: a scalar for Wilks or an (n_s, n_m) map) broadcast to ``shape``."""
    crit = as_float_array(name, critical)
    if np.isnan(crit).any() or np.any(crit < 0):
        raise ValueError(
            f"{name} must be >= 0 and not NaN; got {critical if crit.ndim == 0 else 'an array with such values'}"
        )
    try:
        return np.broadcast_to(crit, shape)
    except ValueError:
        raise ValueError(
            f"{name} must be a scalar or broadcast to the Delta chi^2 grid's shape {shape}; got shape {crit.shape}"
        ) from None


def exclusion_curve(delta_chi2, critical, s_grid) -> np.ndarray:
    """Per Delta m^2 column, the smallest sin^2 2theta where Delta chi^2 > critical.

    The crossing of Delta chi^2 - critical is interpolated linearly in log(s).
    ``delta_chi2`` (..., n_s, n_m) on the strictly increasing ``s_grid`` (values in (0, 1]) ->
    (..., n_m); ``critical`` (>= 0, a scalar for Wilks or an (n_s, n_m) map) broadcasts against it.
    ``inf`` where nothing on the grid is excluded ("no exclusion" is a result).
    """
    s = _check_grid("s_grid", s_grid, 0.0, 1.0, low_inclusive=False)
    dchi2 = as_float_array("delta_chi2", delta_chi2)
    if dchi2.ndim < 2 or dchi2.shape[-2] != s.size:
        raise ValueError(
            f"delta_chi2 must have shape (..., n_s, n_m) with n_s = {s.size} (the s_grid); got shape {dchi2.shape}"
        )
    if np.isnan(dchi2).any():
        raise ValueError("delta_chi2 must not contain NaN")
    diff = dchi2 - _checked_critical("critical", critical, dchi2.shape)
    above = diff > 0
    first = np.argmax(above, axis=-2)  # (..., n_m)
    any_above = np.take_along_axis(above, first[..., None, :], axis=-2)[..., 0, :]
    prev = np.clip(first - 1, 0, None)
    d1 = np.take_along_axis(diff, first[..., None, :], axis=-2)[..., 0, :]
    d0 = np.take_along_axis(diff, prev[..., None, :], axis=-2)[..., 0, :]
    ls = np.log(s)
    l1, l0 = ls[first], ls[prev]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(first > 0, -d0 / (d1 - d0), 1.0)
    out = np.where(first > 0, np.exp(l0 + np.clip(t, 0.0, 1.0) * (l1 - l0)), s[first])
    return np.where(any_above, out, np.inf)


def fc_critical_values_along(
    fit,
    dm2_values,
    s_grid=None,
    n_toys: int = 300,
    seed: int = 1998,
    cl: float = 0.95,
    dm2_profile_eV2=None,
    construction: str = "profile",
) -> tuple[np.ndarray, np.ndarray]:
    """Critical values only along the lines Delta m^2 = const that are needed: (s_grid, c (n_s, n_dm2)).

    ``dm2_values``: distinct values > 0 eV^2 in any order (the columns follow it; each column's
    random stream is that of its rank, so the numbers do not depend on the order).
    """
    model = _as_model(fit)
    m, order = _sorted_values("dm2_values", dm2_values)
    s = default_s_grid(40) if s_grid is None else _check_grid("s_grid", s_grid, 0.0, 1.0, low_inclusive=False)
    prof = _check_profile(dm2_profile_eV2, m)
    n_toys = check_integer("n_toys", n_toys, 20)
    seed = _check_seed(seed)
    cl = _check_cl(cl)
    construction = _check_construction(construction)
    crit = _critical_values(model, s, m, n_toys, seed, cl, prof, construction=construction)
    return s, crit[:, np.argsort(order)]


def _sorted_values(name, values) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values > 0 (eV^2) in any order: (sorted values, the order that sorts the input)."""
    arr = np.atleast_1d(as_float_array(name, values))
    if arr.ndim != 1 or arr.size < 1:
        raise ValueError(f"{name} must be a 1-d array of at least one value; got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN; got {arr.tolist() if arr.size < 8 else 'NaN entries'}")
    check_positive(name, arr, "eV^2")
    order = np.argsort(arr, kind="stable")
    if np.any(np.diff(arr[order]) == 0):
        raise ValueError(f"{name} must be distinct; got {arr.tolist() if arr.size < 8 else 'repeated values'}")
    return arr[order], order


def fc_sensitivity(
    fit,
    dm2_values,
    n_toys: int = 300,
    seed: int = 1998,
    cl: float = 0.95,
    s_grid=None,
    dm2_profile_eV2=None,
    construction: str = "profile",
) -> dict:
    """FC and Wilks sensitivity (no-oscillation Asimov data) at given Delta m^2 values.

    ``dm2_values``: distinct values > 0 eV^2, in any order. Returns a dict with ``dm2_eV2``, ``fc``
    and ``wilks`` (smallest excluded sin^2 2theta, ``inf`` where none), and the ``s_grid`` /
    ``critical_values`` used, in the order of ``dm2_values``.
    """
    model = _as_model(fit)
    cl = _check_cl(cl)
    m_sorted, order = _sorted_values("dm2_values", dm2_values)
    m = m_sorted[np.argsort(order)]  # the input order
    prof = _check_profile(dm2_profile_eV2)
    s, crit = fc_critical_values_along(model, m, s_grid, n_toys, seed, cl, prof, construction)
    asimov = asimov_delta_chi2(model, s, m_sorted, prof)[:, np.argsort(order)]
    wilks = delta_chi2_threshold(cl, 2)
    return {
        "dm2_eV2": m,
        "fc": exclusion_curve(asimov, crit, s),
        "wilks": exclusion_curve(asimov, wilks, s),
        "s_grid": s,
        "critical_values": crit,
        "wilks_threshold": wilks,
    }


def exclusion_bands(
    fit,
    s_grid,
    m_grid,
    critical_values,
    n_toys: int = 200,
    seed: int = 2014,
    dm2_profile_eV2=None,
    chunk: int = 50,
    construction: str = "profile",
) -> dict:
    """Median and +-1 sigma / +-2 sigma bands of the exclusion from no-oscillation toy experiments.

    Each toy experiment is a Poisson draw of S0 + B and, in the profile construction, a draw of
    its auxiliary measurements a0 ~ N(0, sigma_a), b0 ~ N(0, sigma_b) (a real experiment's
    background measurement fluctuates too); ``"nominal"`` keeps a0 = b0 = 0. Its exclusion curve
    is the smallest sin^2 2theta with Delta chi^2 > ``critical_values`` (an (n_s, n_m) FC map, or
    5.99 for Wilks) at each Delta m^2. Returns quantiles 2.5/16/50/84/97.5 % per Delta m^2
    (``inf``: no exclusion) and the per-toy ``curves``.
    """
    model = _as_model(fit)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0, low_inclusive=False)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2", low_inclusive=False)
    n_toys = check_integer("n_toys", n_toys, 1)
    chunk = check_integer("chunk", chunk, 1)
    seed = _check_seed(seed)
    construction = _check_construction(construction)
    _checked_critical("critical_values", critical_values, (s.size, m.size))
    rng = np.random.default_rng(seed)
    curves = []
    for start in range(0, n_toys, chunk):
        n = min(chunk, n_toys - start)
        D, aux = _draw(model, 0.0, 0.0, 0.0, 0.0, n, rng, construction == "profile")
        dchi2 = delta_chi2_surface(model, D, s, m, dm2_profile_eV2, aux)
        curves.append(exclusion_curve(dchi2, critical_values, s))
    curves = np.concatenate(curves)
    probs = {"minus2": 0.025, "minus1": 0.16, "median": 0.5, "plus1": 0.84, "plus2": 0.975}
    q = {k: np.quantile(curves, p, axis=0, method="inverted_cdf") for k, p in probs.items()}
    return {"dm2_eV2": m, "curves": curves, **q}


# -- default grids of the book ---------------------------------------------------------------
def default_s_grid(n: int = 60) -> np.ndarray:
    """sin^2 2theta from 0.01 to 1, log-spaced."""
    return np.geomspace(0.01, 1.0, check_integer("n", n, 2))


def default_dm2_grid(n: int = 60) -> np.ndarray:
    """Delta m^2 from 0.1 to 100 eV^2, log-spaced."""
    return np.geomspace(0.1, 100.0, check_integer("n", n, 2))


def default_profile_grid(n: int = 721) -> np.ndarray:
    """Delta m^2 grid of the global minimum: 0.1 to 100 eV^2, 240 points per decade.

    The toy Delta chi^2 grows with the density of this grid (a finer grid finds deeper
    chance minima among the oscillation patterns) until the grid resolves the narrowest
    features of chi^2(Delta m^2): at (0.05, 1 eV^2) the 95 % quantile is 8.1 / 9.5 / 10.3 /
    10.7 / 10.9 with 20 / 60 / 120 / 240 / 480 points per decade (nominal-nuisance toys,
    FC_ALGORITHM_VERSION 1). 240 per decade is within 2 % of the continuum; data must be
    analysed with the same grid, which keeps the construction exact for the statistic used.
    """
    return np.geomspace(0.1, 100.0, check_integer("n", n, 2))


def quantile_interval(values, q: float, z: float = 1.0) -> tuple[float, float]:
    """Distribution-free +-z sigma interval of the q-quantile of a sample (binomial order statistics).

    ``values``: a non-empty 1-d sample of finite numbers; ``q`` in (0, 1); ``z`` >= 0.
    """
    x = as_float_array("values", values)
    if x.ndim != 1 or x.size < 1:
        raise ValueError(f"values must be a non-empty 1-d sample; got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite")
    check_range("q", q, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    check_non_negative("z", z)
    x = np.sort(x)
    n = x.size
    half = z * np.sqrt(n * q * (1 - q))
    lo = int(np.clip(np.floor(n * q - half), 0, n - 1))
    hi = int(np.clip(np.ceil(n * q + half), 0, n - 1))
    return float(x[lo]), float(x[hi])

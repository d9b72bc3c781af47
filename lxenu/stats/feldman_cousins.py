r"""Feldman–Cousins confidence regions for the sterile-neutrino distance analysis.

Wilks' theorem (Delta chi^2 = 5.99 for 95 % CL, 2 dof) fails for oscillation searches:
sin^2 2theta is bounded at 0 and 1, and at large Delta m^2 the oscillation averages out
so that Delta m^2 is not measured at all (Coloma, Huber & Schwetz, EPJC 81 (2021) 2).
The remedy (Feldman & Cousins, PRD 57 (1998) 3873, "unified approach") is to build the
distribution of the test statistic with toys at each point of the parameter plane:

1. at a grid point (s, m) = (sin^2 2theta, Delta m^2) draw Poisson toy data D from the
   prediction T(s, m) = S(s, m) + B;
2. for each toy, Delta chi^2 = chi^2(s, m; D) - min over the physical region of chi^2(D),
   the nuisances (signal normalisation, background normalisation) profiled in both
   terms (FC's profile construction, as in the Daya Bay and PROSPECT analyses);
3. the critical value c(s, m) is the CL quantile of those Delta chi^2.

A point is excluded by data if its Delta chi^2 exceeds c(s, m) (Wilks: c = 5.99).

The statistic is :class:`~lxenu.analyses.sterile.SterileFit`'s Gaussian chi^2, with the variance
of each bin its no-oscillation expectation (what SterileFit uses for its Asimov data), the
prediction (1 + a) S(s, m) + (1 + b) B and Gaussian
priors on a (optional) and b (0.5 %). Writing S(s, m) = S0 - s Delta(m), the prediction
alpha S0 - beta Delta(m) + b' B with alpha = 1 + a, beta = alpha s, b' = 1 + b is
*linear* in (alpha, beta, b') at fixed m. Hence

* chi^2 at fixed (s, m), profiled over (alpha, b'), is a 2 x 2 solve, and
* the minimum over s in [0, 1] at fixed m is a 3 x 3 solve (beta free), falling back to
  the faces s = 0 and s = 1 when beta / alpha leaves [0, 1]: the quadratic form is convex
  and the physical region 0 <= beta <= alpha is a convex cone, so its minimum is either
  the free minimum or lies on one of the two faces.

Every bin sum that enters these solves is either a per-toy scalar or a (toys x bins) @
(bins x Delta m^2) matrix product, so a whole grid of toys costs a few BLAS calls. The
minimum over Delta m^2 is taken over a grid (``dm2_profile_eV2``, by default the map's
own Delta m^2 values); the minimum over s is continuous.

Public API
----------
:class:`LinearOscillationModel` (the per-bin ingredients), :func:`toy_delta_chi2`,
:func:`fc_critical_values` (cached map), :func:`fc_critical_values_along`,
:func:`asimov_delta_chi2`, :func:`fc_sensitivity`, :func:`exclusion_bands`,
:func:`exclusion_curve`.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..validation import check_integer, check_positive, check_range
from .chi2 import delta_chi2_threshold

#: Bump when the statistic or the toy generation changes: invalidates cached maps.
FC_ALGORITHM_VERSION = 1

#: The committed map for the book's default configuration (see lxenu/data/README.md).
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
        Gaussian prior width on the background normalisation b (the paper: 0.005).
    """

    signal_no_osc: np.ndarray
    background: np.ndarray
    deficit_fn: object
    norm_sigma: float | None = None
    background_sigma: float = 0.005

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
    def prior_a(self) -> float:
        return 0.0 if self.norm_sigma is None else 1.0 / float(self.norm_sigma) ** 2

    @property
    def prior_b(self) -> float:
        return 0.0 if self.background_sigma is None else 1.0 / float(self.background_sigma) ** 2

    def deficit(self, dm2_eV2) -> np.ndarray:
        return np.asarray(self.deficit_fn(np.atleast_1d(np.asarray(dm2_eV2, dtype=float))), dtype=float)

    def prediction(self, sin2_2theta, dm2_eV2) -> np.ndarray:
        """S0 - s Delta(m) + B for scalar s and m, (n_bins,)."""
        return self.signal_no_osc - float(sin2_2theta) * self.deficit([dm2_eV2])[0] + self.background

    def fingerprint(self, dm2_eV2) -> str:
        """A hash of everything the statistic depends on (8 significant digits)."""
        h = hashlib.sha256()
        for arr in (self.signal_no_osc, self.background, self.deficit(dm2_eV2)):
            h.update(np.array([float(f"{x:.8g}") for x in np.ravel(arr)]).tobytes())
        h.update(repr((self.norm_sigma, self.background_sigma)).encode())
        return h.hexdigest()


# -- the statistic ---------------------------------------------------------------------------
class _ToySums:
    """Bin sums of data sets D (n_t, n_bins) against the model on a Delta m^2 grid.

    The variance of bin i is the no-oscillation expectation, sigma_i^2 = S0_i + B_i: for the
    no-oscillation Asimov data this is exactly :class:`~lxenu.analyses.sterile.SterileFit`'s
    sigma_i^2 = D_i, and unlike Neyman's sigma_i^2 = D_i it is defined for toys with empty
    bins (the edge bins of the distance range expect < 1 event). With fixed weights the
    normal matrices do not depend on the data: they are per Delta m^2 vectors, and only the
    data sums need matrix products.

    The sums are taken over the residual r = D - S0 - B and the fit parameters are the shifts
    a = alpha - 1 and b = b' - 1 from the no-oscillation expectation. The chi^2 is then a small
    quadratic form in small numbers: the no-oscillation Asimov data give exactly 0 at s = 0,
    where expanding sum w D^2 - (fitted part) would lose ~1e-6 to cancellation between
    numbers of order 1e5.
    """

    def __init__(self, model: LinearOscillationModel, data: np.ndarray, deficit_m: np.ndarray):
        S0, B = model.signal_no_osc, model.background
        r = np.asarray(data, dtype=float) - (S0 + B)
        w = 1.0 / (S0 + B)
        self.pa, self.pb = model.prior_a, model.prior_b
        dm = deficit_m  # (n_m, n_bins)
        # data-independent sums: scalars and (n_m,)
        self.ss = float(w @ (S0 * S0))
        self.sb = float(w @ (S0 * B))
        self.bb = float(w @ (B * B))
        self.sd = (S0 * w) @ dm.T
        self.dd2 = np.einsum("mi,mi->m", dm * w, dm)
        self.db = (B * w) @ dm.T
        # data-dependent sums (matrix products over bins)
        wr = r * w
        self.rr = np.sum(wr * r, axis=-1)[..., None]  # (n_t, 1)
        self.rs = (wr @ S0)[..., None]
        self.rb = (wr @ B)[..., None]
        self.rd = wr @ dm.T  # (n_t, n_m)

    def chi2_fixed_s(self, s, cols=slice(None)):
        """chi^2 profiled over (a, b) at sin^2 2theta = s, shape (n_t, n_m) (s broadcasts in front).

        With y = r + s Delta the residual at a = b = 0 and X = S0 - s Delta the signal shape,
        chi^2 = y.y - u^T G^-1 u, u = (y.X, y.B), G the normal matrix plus the priors.
        ``cols`` selects Delta m^2 columns; s = 0 (no oscillation) returns one column.
        """
        if np.ndim(s) == 0 and s == 0:
            gxx, gxb = self.ss + self.pa, self.sb
            yy, ux, ub = self.rr, self.rs, self.rb
        else:
            s = np.asarray(s, dtype=float)
            sd, dd2, db, rd = self.sd[cols], self.dd2[cols], self.db[cols], self.rd[:, cols]
            gxx = self.ss - 2 * s * sd + s * s * dd2 + self.pa
            gxb = self.sb - s * db
            yy = self.rr + 2 * s * rd + s * s * dd2
            ux = self.rs - s * rd + s * sd - s * s * dd2
            ub = self.rb + s * db
        gbb = self.bb + self.pb
        det = gxx * gbb - gxb * gxb
        quad = (gbb / det) * ux * ux + (-2 * gxb / det) * ux * ub + (gxx / det) * ub * ub
        return yy - quad

    def chi2_min_over_s(self):
        """min over s in [0, 1] of the profiled chi^2 at each Delta m^2, shape (n_t, n_m)."""
        # parameters (a, beta, b) with alpha = 1 + a, beta = alpha s: r = a S0 - beta Delta + b B
        g11, g13, g33 = self.ss + self.pa, self.sb, self.bb + self.pb
        g12, g22, g23 = -self.sd, self.dd2, -self.db
        c11 = g22 * g33 - g23 * g23
        c12 = g13 * g23 - g12 * g33
        c13 = g12 * g23 - g13 * g22
        c22 = g11 * g33 - g13 * g13
        c23 = g12 * g13 - g11 * g23
        c33 = g11 * g22 - g12 * g12
        det = g11 * c11 + g12 * c12 + g13 * c13
        u1, u2, u3 = self.rs, -self.rd, self.rb
        a = (c11 / det) * u1 + (c12 / det) * u2 + (c13 / det) * u3
        beta = (c12 / det) * u1 + (c22 / det) * u2 + (c23 / det) * u3
        b = (c13 / det) * u1 + (c23 / det) * u2 + (c33 / det) * u3
        free = self.rr - (a * u1 + beta * u2 + b * u3)
        alpha = 1.0 + a
        # outside the physical cone the minimum is on a face: s = 0 (one column, cheap) or s = 1
        out = np.where((alpha > 0) & (beta >= 0), free, self.chi2_fixed_s(0.0))
        high = np.nonzero(beta > alpha)
        if high[0].size:
            s1 = self._chi2_s1_at(high)
            out[high] = np.minimum(s1, self.chi2_fixed_s(0.0)[high[0], 0])
        return out

    def _chi2_s1_at(self, idx):
        """chi^2 at s = 1 for the (toy, Delta m^2) pairs ``idx`` only."""
        t, m = idx
        gxx = self.ss - 2 * self.sd[m] + self.dd2[m] + self.pa
        gxb = self.sb - self.db[m]
        gbb = self.bb + self.pb
        det = gxx * gbb - gxb * gxb
        rd = self.rd[t, m]
        yy = self.rr[t, 0] + 2 * rd + self.dd2[m]
        ux = self.rs[t, 0] - rd + self.sd[m] - self.dd2[m]
        ub = self.rb[t, 0] + self.db[m]
        return yy - (gbb * ux * ux - 2 * gxb * ux * ub + gxx * ub * ub) / det

    def chi2_min(self):
        """Global minimum over the physical region (s continuous, Delta m^2 on the grid), (n_t,)."""
        return self.chi2_min_over_s().min(axis=-1)


def _check_grid(name, values, low, high, unit=""):
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    if arr.ndim != 1 or arr.size < 1:
        raise ValueError(f"{name} must be a 1-d array of at least one value; got shape {arr.shape}")
    check_range(name, arr, low, high, unit=unit)
    return arr


def _toy_rng(seed: int, i: int, j: int):
    """Independent, reproducible stream for grid point (i, j): any subset can be recomputed alone."""
    return np.random.default_rng([int(seed), int(i), int(j), FC_ALGORITHM_VERSION])


def toy_delta_chi2(
    model: LinearOscillationModel,
    sin2_2theta: float,
    dm2_eV2: float,
    n_toys: int,
    seed: int,
    dm2_profile_eV2=None,
    index=(0, 0),
) -> np.ndarray:
    """Delta chi^2 of ``n_toys`` Poisson toys drawn at (sin2_2theta, dm2_eV2), (n_toys,).

    ``dm2_profile_eV2`` is the Delta m^2 grid of the global minimum (default
    :func:`default_profile_grid`; ``dm2_eV2`` is added to it). ``index`` labels the random stream, so that
    point (i, j) of a map can be recomputed on its own.
    """
    check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
    check_positive("dm2_eV2", dm2_eV2, "eV^2")
    n_toys = check_integer("n_toys", n_toys, 1)
    prof = (
        default_profile_grid()
        if dm2_profile_eV2 is None
        else _check_grid("dm2_profile_eV2", dm2_profile_eV2, 0.0, None, "eV^2")
    )
    prof = np.union1d(prof, [dm2_eV2])
    j = int(np.searchsorted(prof, dm2_eV2))
    deficit = model.deficit(prof)
    T = model.signal_no_osc - sin2_2theta * deficit[j] + model.background
    D = _toy_rng(seed, *index).poisson(T, size=(n_toys, T.size)).astype(float)
    sums = _ToySums(model, D, deficit)
    at_truth = sums.chi2_fixed_s(sin2_2theta, [j])[:, 0]
    return np.clip(at_truth - sums.chi2_min(), 0.0, None)


def _critical_column(args):
    """Critical values of one Delta m^2 column (all sin^2 2theta): a picklable unit of work."""
    core, deficit_prof, deficit_truth, jcol, s_values, n_toys, seed, cl, i0, j = args
    out = np.empty(s_values.size)
    for i, s in enumerate(s_values):
        T = core.signal_no_osc - s * deficit_truth + core.background
        D = _toy_rng(seed, i + i0, j).poisson(T, size=(n_toys, T.size)).astype(float)
        sums = _ToySums(core, D, deficit_prof)
        at_truth = sums.chi2_fixed_s(s, [jcol])[:, 0]
        out[i] = np.quantile(np.clip(at_truth - sums.chi2_min(), 0.0, None), cl)
    return out


def _critical_values(model, s_values, m_values, n_toys, seed, cl, dm2_profile, index_offset=(0, 0), workers=1):
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
        )
        for j in range(m_values.size)
    ]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            cols = list(pool.map(_critical_column, jobs))
    else:
        cols = [_critical_column(job) for job in jobs]
    return np.stack(cols, axis=1)


def default_cache_dir() -> Path:
    """``$LXENU_CACHE`` or ``~/.cache/lxenu``."""
    return Path(os.environ.get("LXENU_CACHE", Path.home() / ".cache" / "lxenu"))


def map_key(model, s_values, m_values, n_toys, seed, cl, dm2_profile) -> str:
    h = hashlib.sha256()
    h.update(model.fingerprint(dm2_profile).encode())
    for arr in (s_values, m_values, dm2_profile):
        h.update(np.asarray(arr, dtype=float).round(12).tobytes())
    h.update(repr((int(n_toys), int(seed), float(cl), FC_ALGORITHM_VERSION)).encode())
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
) -> np.ndarray:
    """Feldman–Cousins critical values Delta chi^2_c on a (sin^2 2theta, Delta m^2) grid.

    Parameters
    ----------
    fit:
        A :class:`~lxenu.analyses.sterile.SterileFit` or a :class:`LinearOscillationModel`.
    s_grid, m_grid:
        sin^2 2theta values in (0, 1] and Delta m^2 values (eV^2, > 0).
    n_toys, seed:
        Poisson toys per grid point; the seed makes the map reproducible point by point.
    cl:
        Confidence level (0.95: compare with Wilks' 5.99).
    cache:
        True: read/write ``default_cache_dir()/fc``; a path: that directory; both after the
        committed maps in ``lxenu/data``. False: compute, read and write nothing. The key hashes the model's
        bins (signal, background, deficits), the grids, the toys, the seed and the CL.
    dm2_profile_eV2:
        Delta m^2 grid of the global minimum (joined with ``m_grid``); default
        :func:`default_profile_grid`. Data must be analysed with the same grid.
    workers:
        Processes to spread the Delta m^2 columns over (the result does not depend on it).

    Returns
    -------
    array (n_s, n_m)
    """
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2")
    check_positive("m_grid", m, "eV^2")
    n_toys = check_integer("n_toys", n_toys, 20)
    check_range("cl", cl, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    prof = (
        default_profile_grid()
        if dm2_profile_eV2 is None
        else _check_grid("dm2_profile_eV2", dm2_profile_eV2, 0.0, None, "eV^2")
    )
    prof = np.union1d(prof, m)
    key = map_key(model, s, m, n_toys, seed, cl, prof)
    name = f"fc_{key}.npz"
    dirs = []
    if cache is not False:
        dirs = [PACKAGE_DATA_DIR, default_cache_dir() / "fc" if cache is True else Path(cache)]
    for d in dirs:
        if (d / name).exists():
            with np.load(d / name) as f:
                return np.array(f["critical_values"])
    workers = check_integer("workers", workers, 1)
    out = _critical_values(model, s, m, n_toys, seed, cl, prof, workers=workers)
    if cache is not False:
        save_map(dirs[-1] / name, out, s, m, n_toys, seed, cl, key)
    return out


def save_map(path, critical_values, s_grid, m_grid, n_toys, seed, cl, key) -> Path:
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
    )
    return path


def map_file_name(fit, s_grid, m_grid, n_toys, seed, cl=0.95, dm2_profile_eV2=None) -> str:
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    s = np.atleast_1d(np.asarray(s_grid, dtype=float))
    m = np.atleast_1d(np.asarray(m_grid, dtype=float))
    prof = np.union1d(
        default_profile_grid() if dm2_profile_eV2 is None else np.asarray(dm2_profile_eV2, dtype=float), m
    )
    return f"fc_{map_key(model, s, m, n_toys, seed, cl, prof)}.npz"


# -- Asimov and data-like Delta chi^2 surfaces -----------------------------------------------
def delta_chi2_surface(model: LinearOscillationModel, data, s_grid, m_grid, dm2_profile_eV2=None) -> np.ndarray:
    """Delta chi^2(s, m) of data sets D (..., n_bins) against the global minimum, (..., n_s, n_m)."""
    s = np.asarray(s_grid, dtype=float)
    m = np.asarray(m_grid, dtype=float)
    prof = np.union1d(
        default_profile_grid() if dm2_profile_eV2 is None else np.asarray(dm2_profile_eV2, dtype=float), m
    )
    D = np.atleast_2d(np.asarray(data, dtype=float))
    sums = _ToySums(model, D, model.deficit(prof))
    cols = np.searchsorted(prof, m)
    chi2 = sums.chi2_fixed_s(s[:, None, None])[..., cols]  # (n_s, n_t, n_m)
    out = np.moveaxis(chi2, 0, 1) - sums.chi2_min()[:, None, None]
    out = np.clip(out, 0.0, None)
    return out if np.ndim(data) > 1 else out[0]


def asimov_delta_chi2(fit, s_grid, m_grid, dm2_profile_eV2=None) -> np.ndarray:
    """Delta chi^2 of the no-oscillation Asimov data (S0 + B) on the grid, (n_s, n_m)."""
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    return delta_chi2_surface(model, model.signal_no_osc + model.background, s_grid, m_grid, dm2_profile_eV2)


def exclusion_curve(delta_chi2, critical, s_grid) -> np.ndarray:
    """Per Delta m^2 column, the smallest sin^2 2theta where Delta chi^2 > critical.

    The crossing of Delta chi^2 - critical is interpolated linearly in log(s).
    Arrays (..., n_s, n_m) -> (..., n_m); ``inf`` where nothing on the grid is excluded
    ("no exclusion" is a result). ``critical`` broadcasts (a scalar for Wilks).
    """
    s = np.asarray(s_grid, dtype=float)
    diff = np.asarray(delta_chi2, dtype=float) - np.asarray(critical, dtype=float)
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
    fit, dm2_values, s_grid=None, n_toys: int = 300, seed: int = 1998, cl: float = 0.95, dm2_profile_eV2=None
) -> tuple[np.ndarray, np.ndarray]:
    """Critical values only along the lines Delta m^2 = const that are needed: (s_grid, c (n_s, n_dm2))."""
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    m = _check_grid("dm2_values", dm2_values, 0.0, None, "eV^2")
    check_positive("dm2_values", m, "eV^2")
    s = default_s_grid(40) if s_grid is None else _check_grid("s_grid", s_grid, 0.0, 1.0)
    prof = default_profile_grid() if dm2_profile_eV2 is None else np.asarray(dm2_profile_eV2, dtype=float)
    prof = np.union1d(prof, m)
    n_toys = check_integer("n_toys", n_toys, 20)
    return s, _critical_values(model, s, m, n_toys, seed, cl, prof)


def fc_sensitivity(
    fit, dm2_values, n_toys: int = 300, seed: int = 1998, cl: float = 0.95, s_grid=None, dm2_profile_eV2=None
) -> dict:
    """FC and Wilks sensitivity (no-oscillation Asimov data) at given Delta m^2 values.

    Returns a dict with ``dm2_eV2``, ``fc`` and ``wilks`` (smallest excluded sin^2 2theta,
    ``inf`` where none), and the ``s_grid`` / ``critical_values`` used.
    """
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    m = np.atleast_1d(np.asarray(dm2_values, dtype=float))
    prof = default_profile_grid() if dm2_profile_eV2 is None else np.asarray(dm2_profile_eV2, dtype=float)
    s, crit = fc_critical_values_along(model, m, s_grid, n_toys, seed, cl, prof)
    asimov = asimov_delta_chi2(model, s, m, prof)
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
    fit, s_grid, m_grid, critical_values, n_toys: int = 200, seed: int = 2014, dm2_profile_eV2=None, chunk: int = 50
) -> dict:
    """Median and +-1 sigma / +-2 sigma bands of the exclusion from no-oscillation toy data.

    Each toy is a Poisson draw of S0 + B; its exclusion curve is the smallest sin^2 2theta
    with Delta chi^2 > ``critical_values`` (an (n_s, n_m) FC map, or 5.99 for Wilks) at each
    Delta m^2. Returns quantiles 2.5/16/50/84/97.5 % per Delta m^2 (``inf``: no exclusion)
    and the per-toy curves.
    """
    model = fit if isinstance(fit, LinearOscillationModel) else LinearOscillationModel.from_sterile_fit(fit)
    s = _check_grid("s_grid", s_grid, 0.0, 1.0)
    m = _check_grid("m_grid", m_grid, 0.0, None, "eV^2")
    n_toys = check_integer("n_toys", n_toys, 1)
    rng = np.random.default_rng(seed)
    T = model.signal_no_osc + model.background
    curves = []
    for start in range(0, n_toys, chunk):
        D = rng.poisson(T, size=(min(chunk, n_toys - start), T.size)).astype(float)
        dchi2 = delta_chi2_surface(model, D, s, m, dm2_profile_eV2)
        curves.append(exclusion_curve(dchi2, critical_values, s))
    curves = np.concatenate(curves)
    probs = {"minus2": 0.025, "minus1": 0.16, "median": 0.5, "plus1": 0.84, "plus2": 0.975}
    q = {k: np.quantile(curves, p, axis=0, method="inverted_cdf") for k, p in probs.items()}
    return {"dm2_eV2": m, "curves": curves, **q}


# -- default grids of the book ---------------------------------------------------------------
def default_s_grid(n: int = 60) -> np.ndarray:
    """sin^2 2theta from 0.01 to 1, log-spaced."""
    return np.geomspace(0.01, 1.0, n)


def default_dm2_grid(n: int = 60) -> np.ndarray:
    """Delta m^2 from 0.1 to 100 eV^2, log-spaced."""
    return np.geomspace(0.1, 100.0, n)


def default_profile_grid(n: int = 721) -> np.ndarray:
    """Delta m^2 grid of the global minimum: 0.1 to 100 eV^2, 240 points per decade.

    The toy Delta chi^2 grows with the density of this grid (a finer grid finds deeper
    chance minima among the oscillation patterns) until the grid resolves the narrowest
    features of chi^2(Delta m^2): at (0.05, 1 eV^2) the 95 % quantile is 8.1 / 9.5 / 10.3 /
    10.7 / 10.9 with 20 / 60 / 120 / 240 / 480 points per decade. 240 per decade is within
    2 % of the continuum; data must be analysed with the same grid, which keeps the
    construction exact for the statistic used.
    """
    return np.geomspace(0.1, 100.0, n)


def quantile_interval(values, q: float, z: float = 1.0) -> tuple[float, float]:
    """Distribution-free +-z sigma interval of the q-quantile of a sample (binomial order statistics)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    half = z * np.sqrt(n * q * (1 - q))
    lo = int(np.clip(np.floor(n * q - half), 0, n - 1))
    hi = int(np.clip(np.ceil(n * q + half), 0, n - 1))
    return float(x[lo]), float(x[hi])

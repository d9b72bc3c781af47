r"""Beta-decay electron spectra: Fermi function and shape factors.

The electron kinetic-energy spectrum of a beta decay with endpoint Q is

.. math::

    \frac{dN}{dT} \propto F(Z, W)\, p\, W\, (W_0 - W)^2\, C(W),

with W = 1 + T/m_e the electron total energy and p = sqrt(W^2 - 1) its momentum
(units of m_e), W_0 = 1 + Q/m_e, F the Fermi function of the daughter nucleus of
charge Z and C the shape factor: C = 1 for allowed transitions and
C = q^2 + lambda_2 p^2 for unique first-forbidden ones (q = W_0 - W the neutrino
momentum; Konopinski, *The theory of beta radioactivity*, 1966; Behrens & Buehring,
*Electron radial wave functions and nuclear beta decay*, 1982). Shapes:

* ``"allowed"``: C = 1;
* ``"unique_first_forbidden"``: C = q^2 + p^2 (lambda_2 = 1, its Z -> 0 limit);
* ``"unique_first_forbidden_coulomb"``: C = q^2 + lambda_2(Z, W) p^2 with the Coulomb function
  lambda_2 = F_1 / F_0 (:func:`lambda2`), as in BetaShape (X. Mougeot, PRC 91 (2015) 055504)
  and Hayen et al., Rev. Mod. Phys. 90 (2018) 015008, sect. V;
* ``"empirical"``: C = 1 + a W + b / W + c W^2 with user coefficients ``shape_params = (a, b, c)``,
  the form used to parametrise measured first-forbidden non-unique shapes.

Where only an integral of a calculated shape is published, :func:`linear_shape_for_window_deficit`
finds the one-parameter C = 1 + a W whose spectrum has a given fractional deficit in an energy
window relative to the allowed one: a shape *calibrated to that integral*, not the calculation.

The Fermi function is the relativistic point-nucleus form evaluated at the
nuclear radius R = 1.2 A^(1/3) fm (Behrens & Buehring, eq. (7.4) with L_0 = 1):

.. math::

    \begin{aligned}
    F(Z, W) &= 2(1+\gamma)(2pR)^{2\gamma-2} e^{\pi y}
              \frac{|\Gamma(\gamma + i y)|^2}{\Gamma(2\gamma+1)^2}, \\
    \gamma &= \sqrt{1-(\alpha Z)^2},\quad y = \alpha Z W / p.
    \end{aligned}
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.optimize import brentq
from scipy.special import loggamma

from ..constants import ELECTRON_MASS_KEV, FINE_STRUCTURE, HBAR_C_KEV_CM
from ..validation import check_positive, check_range


def _nuclear_radius_me(A: int) -> float:
    """R = 1.2 A^(1/3) fm in units of the reduced electron Compton wavelength hbar/(m_e c)."""
    return 1.2e-13 * A ** (1.0 / 3.0) / (HBAR_C_KEV_CM / ELECTRON_MASS_KEV)


def fermi_function(Z_daughter: int, T_keV, A: int):
    """Relativistic Fermi function F(Z, W) for an electron (beta-minus) of kinetic energy T.

    Negative ``Z_daughter`` gives the positron (beta-plus) Fermi function.
    """
    T = np.asarray(T_keV, dtype=float)
    check_positive("A", A)
    W = 1.0 + T / ELECTRON_MASS_KEV
    p = np.sqrt(np.clip(W * W - 1.0, 1e-30, None))
    aZ = FINE_STRUCTURE * Z_daughter
    gamma = np.sqrt(1.0 - aZ * aZ)
    y = aZ * W / p
    radius = _nuclear_radius_me(A)
    log_f = (
        np.log(2.0 * (1.0 + gamma))
        + (2.0 * gamma - 2.0) * np.log(2.0 * p * radius)
        + np.pi * y
        + 2.0 * np.real(loggamma(gamma + 1j * y))
        - 2.0 * np.real(loggamma(2.0 * gamma + 1.0))
    )
    return np.exp(log_f)


def finite_size_correction(Z_daughter: int, T_keV, A: int):
    """Finite-nuclear-size factor that turns :func:`fermi_function` into F_0 L_0.

    L_0 is the leading analytic part of Wilkinson's fit (D. H. Wilkinson, Nucl. Instrum.
    Meth. A 290 (1990) 509; Hayen et al., Rev. Mod. Phys. 90 (2018) 015008) for a uniformly
    charged sphere of radius R = 1.2 A^(1/3) fm, beta-minus (g = gamma, aZ = alpha Z):

    L_0 = 1 + 13 (aZ)^2/60 - W R aZ (41 - 26 g)/(15 (2g - 1)) - aZ R g (17 - 2g)/(30 W (2g - 1)).

    :func:`fermi_function` carries F_0 (1 + g)/2, so the factor returned is 2 L_0 / (1 + g).
    Only its energy dependence matters for a spectrum shape: for Z = 56 it falls by 2 %
    between 0 and 600 keV. It is 1 for Z = 0.
    """
    T = np.asarray(T_keV, dtype=float)
    check_positive("A", A)
    W = 1.0 + T / ELECTRON_MASS_KEV
    R = _nuclear_radius_me(A)
    aZ = FINE_STRUCTURE * Z_daughter
    g = np.sqrt(1.0 - aZ * aZ)
    return (
        2.0
        / (1.0 + g)
        * (
            1.0
            + 13.0 * aZ**2 / 60.0
            - W * R * aZ * (41.0 - 26.0 * g) / (15.0 * (2.0 * g - 1.0))
            - aZ * R * g * (17.0 - 2.0 * g) / (30.0 * W * (2.0 * g - 1.0))
        )
    )


#: Rose's screening constant N in V_0 = N alpha^2 Z^(4/3) m_e for beta-minus decay
#: (M. E. Rose, Phys. Rev. 49 (1936) 727; Behrens & Buehring 1982).
ROSE_SCREENING_N = 1.45


def generalized_fermi_function(k: int, Z_daughter: int, T_keV, A: int):
    """Point-nucleus generalised Fermi function F_{k-1}(Z, W) at the nuclear radius.

    F_{k-1} = [k (2k-1)!!]^2 4^k (2pR)^{2(gamma_k - k)} e^{pi y} abs(Gamma(gamma_k + i y))^2 / Gamma(1 + 2 gamma_k)^2,
    gamma_k = sqrt(k^2 - (alpha Z)^2), y = alpha Z W / p (Behrens & Buehring 1982, ch. 7;
    Hayen et al., Rev. Mod. Phys. 90 (2018) 015008, eq. (B5)). F_0 is the usual Fermi function
    (without the (1 + gamma)/2 convention of :func:`fermi_function`); F_{k-1} -> 1 as Z -> 0.
    """
    T = np.asarray(T_keV, dtype=float)
    check_positive("A", A)
    check_range("k", k, 1, 10)
    W = 1.0 + T / ELECTRON_MASS_KEV
    p = np.sqrt(np.clip(W * W - 1.0, 1e-30, None))
    aZ = FINE_STRUCTURE * Z_daughter
    g = np.sqrt(k * k - aZ * aZ)
    y = aZ * W / p
    double_fact = np.prod(np.arange(2 * k - 1, 0, -2, dtype=float))
    log_f = (
        2.0 * np.log(k * double_fact)
        + k * np.log(4.0)
        + 2.0 * (g - k) * np.log(2.0 * p * _nuclear_radius_me(A))
        + np.pi * y
        + 2.0 * np.real(loggamma(g + 1j * y))
        - 2.0 * np.real(loggamma(1.0 + 2.0 * g))
    )
    return np.exp(log_f)


def lambda2(Z_daughter: int, T_keV, A: int):
    """Coulomb function lambda_2 = F_1 / F_0 of the unique first-forbidden shape factor (1 for Z = 0)."""
    return generalized_fermi_function(2, Z_daughter, T_keV, A) / generalized_fermi_function(1, Z_daughter, T_keV, A)


SHAPES = ("allowed", "unique_first_forbidden", "unique_first_forbidden_coulomb", "empirical")


def screened_electron_factor(Z_daughter: int, T_keV, A: int, screening_Z: int):
    """F(Z, W) p W with Rose's atomic screening: the electron leaves the nucleus with W - V_0.

    The cloud of ``screening_Z`` atomic electrons shields the nuclear charge, which the
    emitted electron sees as a constant potential V_0 = 1.45 alpha^2 Z^(4/3) m_e near the
    nucleus (Rose 1936; Hayen et al. 2018, sect. IV.B): F p W is evaluated at W~ = W - V_0.
    Below V_0 (about 8 keV for xenon) the prescription has no meaning; there F p W is held
    at its p -> 0 limit, which is finite for an attractive Coulomb field.
    """
    T = np.asarray(T_keV, dtype=float)
    check_range("screening_Z", screening_Z, 0, 118)
    V0_keV = ROSE_SCREENING_N * FINE_STRUCTURE**2 * screening_Z ** (4.0 / 3.0) * ELECTRON_MASS_KEV
    T_screened = np.maximum(T - V0_keV, 1e-3)
    W = 1.0 + T_screened / ELECTRON_MASS_KEV
    p = np.sqrt(W * W - 1.0)
    return fermi_function(Z_daughter, T_screened, A) * p * W


def beta_spectrum_unnormalised(
    T_keV, Q_keV: float, Z_daughter: int, A: int, shape: str = "allowed", shape_params: tuple = ()
):
    """dN/dT up to a constant, zero outside 0 < T < Q (``shape`` one of :data:`SHAPES`)."""
    check_positive("Q_keV", Q_keV, "keV")
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}; got {shape!r}")
    if shape == "empirical" and len(shape_params) != 3:
        raise ValueError(f"shape_params must be (a, b, c) for shape 'empirical'; got {shape_params!r}")
    T = np.asarray(T_keV, dtype=float)
    inside = (T > 0.0) & (T < Q_keV)
    Tc = np.where(inside, T, 0.5 * Q_keV)
    W = 1.0 + Tc / ELECTRON_MASS_KEV
    W0 = 1.0 + Q_keV / ELECTRON_MASS_KEV
    p = np.sqrt(W * W - 1.0)
    q = W0 - W
    if shape == "allowed":
        C = 1.0
    elif shape == "unique_first_forbidden":
        C = q * q + p * p
    elif shape == "unique_first_forbidden_coulomb":
        C = q * q + lambda2(Z_daughter, Tc, A) * p * p
    else:
        a, b, c = shape_params
        C = 1.0 + a * W + b / W + c * W * W
    val = fermi_function(Z_daughter, Tc, A) * p * W * q * q * C
    return np.where(inside, val, 0.0)


@lru_cache(maxsize=8)
def legendre_nodes(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (an eigenvalue problem: computed once per n)."""
    return np.polynomial.legendre.leggauss(n)


def _gauss_legendre_on(a: float, b: float, n: int):
    x, w = legendre_nodes(n)
    return 0.5 * (b - a) * x + 0.5 * (b + a), 0.5 * (b - a) * w


class BetaBranch:
    """One beta branch: endpoint, daughter, shape, the level it feeds and its intensity.

    With ``level_keV > 0`` the de-excitation gammas are assumed absorbed in the liquid
    xenon, so the deposited energy is the beta kinetic energy plus the level energy.
    """

    def __init__(
        self,
        Q_keV: float,
        Z_daughter: int,
        A: int,
        intensity: float,
        level_keV: float = 0.0,
        shape: str = "allowed",
        shape_params: tuple = (),
    ):
        check_positive("Q_keV", Q_keV, "keV")
        check_range("intensity", intensity, 0.0, 1.0)
        self.Q_keV = float(Q_keV)
        self.Z_daughter = int(Z_daughter)
        self.A = int(A)
        self.intensity = float(intensity)
        self.level_keV = float(level_keV)
        self.shape = shape
        self.shape_params = tuple(shape_params)
        # normalisation by Gauss-Legendre in sqrt-spaced variable (the spectrum ~ sqrt(T) at 0)
        u, wu = _gauss_legendre_on(0.0, np.sqrt(self.Q_keV), 400)
        T = u * u
        self._norm = float(
            np.sum(
                beta_spectrum_unnormalised(T, self.Q_keV, self.Z_daughter, self.A, shape, self.shape_params)
                * 2
                * u
                * wu
            )
        )

    @property
    def deposit_range_keV(self) -> tuple[float, float]:
        return self.level_keV, self.level_keV + self.Q_keV

    def pdf(self, E_keV):
        """Normalised distribution of deposited energy, keV^-1 (integrates to 1)."""
        T = np.asarray(E_keV, dtype=float) - self.level_keV
        return (
            beta_spectrum_unnormalised(T, self.Q_keV, self.Z_daughter, self.A, self.shape, self.shape_params)
            / self._norm
        )

    def mean_kinetic_energy_keV(self) -> float:
        """Mean beta kinetic energy of the branch, keV (Gauss-Legendre in sqrt(T))."""
        u, wu = _gauss_legendre_on(0.0, np.sqrt(self.Q_keV), 400)
        T = u * u
        return float(np.sum(T * self.pdf(T + self.level_keV) * 2 * u * wu))

    def fraction_in_bins(self, edges_keV) -> np.ndarray:
        """Fraction of decays depositing energy in each bin (Gauss-Legendre per bin)."""
        edges = np.asarray(edges_keV, dtype=float)
        lo = np.clip(edges[:-1], self.level_keV, self.level_keV + self.Q_keV)
        hi = np.clip(edges[1:], self.level_keV, self.level_keV + self.Q_keV)
        x, w = legendre_nodes(8)
        half = 0.5 * (hi - lo)
        mid = 0.5 * (hi + lo)
        pts = mid[:, None] + half[:, None] * x[None, :]
        return (self.pdf(pts) * w[None, :]).sum(axis=1) * half


#: Largest slope a of C = 1 + a W searched by :func:`linear_shape_for_window_deficit` (C -> a W beyond).
_MAX_LINEAR_SLOPE = 1e6


@lru_cache(maxsize=32)
def linear_shape_for_window_deficit(
    Q_keV: float,
    Z_daughter: int,
    A: int,
    deficit: float,
    lo_keV: float = 1.0,
    hi_keV: float = 15.0,
    name: str = "deficit",
) -> float:
    """Slope a of the shape factor C(W) = 1 + a W that puts ``deficit`` (a fraction) fewer of a
    branch's decays in [lo_keV, hi_keV] than the allowed shape (both spectra normalised to one decay).

    A positive a shifts the spectrum to higher energies, so the low-energy window loses decays;
    a = 0 is the allowed shape (deficit 0). The largest deficit this one-parameter form can give is
    that of C = W (a -> infinity); beyond it a ``ValueError``. This reproduces one published
    integral (e.g. the 1-15 keV deficit of a shell-model calculation) and nothing else: the shape
    elsewhere is a consequence of the linear form, not of the calculation. ``name`` is the
    parameter named in the error.
    """
    check_positive("Q_keV", Q_keV, "keV")
    check_range("lo_keV", lo_keV, 0.0, Q_keV, unit="keV")
    check_range("hi_keV", hi_keV, lo_keV, Q_keV, low_inclusive=False, unit="keV")
    edges = np.array([lo_keV, hi_keV])

    def in_window(shape, params=()):
        return float(BetaBranch(Q_keV, Z_daughter, A, 1.0, 0.0, shape, params).fraction_in_bins(edges)[0])

    allowed = in_window("allowed")
    largest = 1.0 - in_window("empirical", (_MAX_LINEAR_SLOPE, 0.0, 0.0)) / allowed
    check_range(name, deficit, 0.0, largest, high_inclusive=False)
    if deficit == 0.0:
        return 0.0

    def excess(a):
        return 1.0 - in_window("empirical", (a, 0.0, 0.0)) / allowed - deficit

    hi = 1.0
    while excess(hi) < 0.0:
        hi *= 10.0
    return float(brentq(excess, 0.0, hi, xtol=1e-12, rtol=1e-12))

r"""Neutrino-electron elastic scattering, with a neutrino magnetic moment.

The differential cross section (Vogel & Engel, PRD 39 (1989) 3378; the paper's eq. 2.1)
for a neutrino of energy E and an electron recoil of kinetic energy T is

.. math::

    \begin{aligned}
    \frac{d\sigma}{dT} = {} & \frac{G_F^2 m_e}{2\pi}\Big[(g_V+g_A)^2 + (g_V-g_A)^2\big(1-\tfrac{T}{E}\big)^2 \\
        & \qquad + (g_A^2-g_V^2)\frac{m_e T}{E^2}\Big] \\
        & + \frac{\pi\alpha^2\mu_\nu^2}{m_e^2}\Big(\frac{1}{T}-\frac{1}{E}\Big),
    \end{aligned}

with :math:`\mu_\nu` in Bohr magnetons (so that :math:`\pi\alpha^2/m_e^2 = \pi r_e^2`), and
:math:`0 \le T \le T_{max} = 2E^2/(m_e + 2E)`. For :math:`\nu_e`, charged and neutral
currents interfere: :math:`g_V = 2\sin^2\theta_W + 1/2`, :math:`g_A = 1/2`; for
:math:`\nu_{\mu,\tau}` (neutral current only) :math:`g_V = 2\sin^2\theta_W - 1/2`,
:math:`g_A = -1/2`.

All functions broadcast over T and E. Bin integrals are done in closed form, so the
spectra are exact for any binning. Units: keV, cm^2.
"""

from __future__ import annotations

import numpy as np

from ..constants import (  # noqa: F401  (the sin^2 theta_W values are part of this module's API)
    ELECTRON_MASS_KEV,
    MAGNETIC_PREFACTOR_CM2,
    SIN2_THETA_W_DEFAULT,
    SIN2_THETA_W_LOW_ENERGY,
    SIN2_THETA_W_MZ,
    SIN2_THETA_W_ON_SHELL,
    WEAK_PREFACTOR_CM2_PER_KEV,
)
from ..kinematics import max_recoil_keV
from ..validation import as_float_array, check_flag, check_non_negative, check_positive, check_range
from .atomic import shell_occupancies_and_binding_keV, stepping_factor

FLAVOURS = ("e", "mu", "tau")


def couplings(flavour: str = "e", sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> tuple[float, float]:
    """(g_V, g_A) of the effective nu-e interaction for a neutrino flavour."""
    check_range("sin2_theta_w", sin2_theta_w, 0.0, 1.0)
    if flavour == "e":
        return 2.0 * sin2_theta_w + 0.5, 0.5
    if flavour in ("mu", "tau"):
        return 2.0 * sin2_theta_w - 0.5, -0.5
    raise ValueError(f"flavour must be one of {FLAVOURS}; got {flavour!r}")


def _finite(name, value) -> np.ndarray:
    arr = as_float_array(name, value)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return arr


def _recoil(name, value) -> np.ndarray:
    """Recoil energies: finite and >= 0 keV (above T_max a cross section is zero, below 0 undefined)."""
    arr = _finite(name, value)
    check_non_negative(name, arr, "keV")
    return arr


def _broadcast(T, E, t_name="T_keV", e_name="E_keV"):
    try:
        np.broadcast_shapes(np.shape(T), np.shape(E))
    except ValueError:
        raise ValueError(
            f"{t_name} (shape {np.shape(T)}) and {e_name} (shape {np.shape(E)}) must broadcast together"
        ) from None


def t_max_keV(E_keV):
    """Maximum electron recoil energy T_max = 2 E^2 / (m_e + 2 E), keV (:func:`lxenu.kinematics.max_recoil_keV`)."""
    return max_recoil_keV(E_keV)


def _weak_antiderivative(T, E, gV, gA):
    """int dsigma_weak/dT dT (without the G_F^2 m_e / 2pi prefactor), keV."""
    a = (gV + gA) ** 2
    b = (gV - gA) ** 2
    c = (gA**2 - gV**2) * ELECTRON_MASS_KEV / E**2
    return a * T - b * E / 3.0 * (1.0 - T / E) ** 3 + 0.5 * c * T**2


def _magnetic_antiderivative(T, E):
    """int (1/T - 1/E) dT = ln T - T/E."""
    return np.log(T) - T / E


def weak_dsigma_dT(T_keV, E_keV, flavour="e", sin2_theta_w=SIN2_THETA_W_DEFAULT):
    """Standard-Model weak dsigma/dT, cm^2/keV; zero outside 0 <= T <= T_max."""
    T = _recoil("T_keV", T_keV)
    E = check_positive("E_keV", as_float_array("E_keV", E_keV), "keV")
    _broadcast(T, E)
    gV, gA = couplings(flavour, sin2_theta_w)
    bracket = (gV + gA) ** 2 + (gV - gA) ** 2 * (1.0 - T / E) ** 2 + (gA**2 - gV**2) * ELECTRON_MASS_KEV * T / E**2
    inside = (T >= 0.0) & (T <= t_max_keV(E))
    return np.where(inside, WEAK_PREFACTOR_CM2_PER_KEV * bracket, 0.0)


def magnetic_dsigma_dT(T_keV, E_keV, mu_nu_muB):
    """Magnetic-moment dsigma/dT = pi r_e^2 mu^2 (1/T - 1/E), cm^2/keV; zero outside (0, T_max]."""
    T = _recoil("T_keV", T_keV)
    E = check_positive("E_keV", as_float_array("E_keV", E_keV), "keV")
    _broadcast(T, E)
    check_non_negative("mu_nu_muB", mu_nu_muB, "mu_B")
    inside = (T > 0.0) & (T <= t_max_keV(E))
    with np.errstate(divide="ignore"):
        val = (
            MAGNETIC_PREFACTOR_CM2
            * np.asarray(mu_nu_muB, dtype=float) ** 2
            * (1.0 / np.where(inside, T, 1.0) - 1.0 / E)
        )
    return np.where(inside, val, 0.0)


def _binding_weights():
    occ, binding = shell_occupancies_and_binding_keV()
    return occ / occ.sum(), binding


def dsigma_dT(
    T_keV,
    E_keV,
    mu_nu_muB: float = 0.0,
    flavour: str = "e",
    sin2_theta_w: float = SIN2_THETA_W_DEFAULT,
    atomic_binding: bool = False,
):
    """Total dsigma/dT (weak + magnetic), cm^2/keV, per electron.

    With ``atomic_binding=True`` the free-electron result is multiplied by the xenon
    stepping factor (see :mod:`lxenu.physics.atomic`).
    """
    check_flag("atomic_binding", atomic_binding)
    val = weak_dsigma_dT(T_keV, E_keV, flavour, sin2_theta_w)
    if mu_nu_muB:
        val = val + magnetic_dsigma_dT(T_keV, E_keV, mu_nu_muB)
    if atomic_binding:
        val = val * stepping_factor(T_keV)
    return val


def _clipped(T1, T2, E):
    tmax = t_max_keV(E)
    lo = np.clip(T1, 0.0, tmax)
    hi = np.clip(T2, 0.0, tmax)
    return lo, np.maximum(hi, lo)


def weak_sigma_between(T1_keV, T2_keV, E_keV, flavour="e", sin2_theta_w=SIN2_THETA_W_DEFAULT, atomic_binding=False):
    """int_{T1}^{T2} dsigma_weak/dT dT, cm^2 (exact; T clipped to [0, T_max])."""
    E = check_positive("E_keV", as_float_array("E_keV", E_keV), "keV")
    check_flag("atomic_binding", atomic_binding)
    gV, gA = couplings(flavour, sin2_theta_w)
    T1 = _recoil("T1_keV", T1_keV)
    T2 = _recoil("T2_keV", T2_keV)
    _broadcast(T1, T2, "T1_keV", "T2_keV")
    if np.any(T2 < T1):
        raise ValueError("T2_keV must not be below T1_keV")
    if not atomic_binding:
        lo, hi = _clipped(T1, T2, E)
        return WEAK_PREFACTOR_CM2_PER_KEV * (_weak_antiderivative(hi, E, gV, gA) - _weak_antiderivative(lo, E, gV, gA))
    weights, binding = _binding_weights()
    total = 0.0
    for w, b in zip(weights, binding):
        lo, hi = _clipped(np.maximum(T1, b), np.maximum(T2, b), E)
        total = total + w * WEAK_PREFACTOR_CM2_PER_KEV * (
            _weak_antiderivative(hi, E, gV, gA) - _weak_antiderivative(lo, E, gV, gA)
        )
    return total


def magnetic_sigma_between(T1_keV, T2_keV, E_keV, mu_nu_muB=1.0, atomic_binding=False):
    """int_{T1}^{T2} dsigma_mag/dT dT, cm^2 (exact). Requires T1 > 0: the 1/T term diverges."""
    E = check_positive("E_keV", as_float_array("E_keV", E_keV), "keV")
    check_non_negative("mu_nu_muB", mu_nu_muB, "mu_B")
    check_flag("atomic_binding", atomic_binding)
    T1 = _recoil("T1_keV", T1_keV)
    T2 = _recoil("T2_keV", T2_keV)
    _broadcast(T1, T2, "T1_keV", "T2_keV")
    if np.any(T1 <= 0.0):
        raise ValueError("T1_keV must be > 0 for the magnetic-moment term: its 1/T rate diverges at zero recoil")
    if np.any(T2 < T1):
        raise ValueError("T2_keV must not be below T1_keV")
    scale = MAGNETIC_PREFACTOR_CM2 * np.asarray(mu_nu_muB, dtype=float) ** 2

    def integral(t1, t2):
        lo, hi = _clipped(t1, t2, E)
        lo = np.maximum(lo, 1e-300)
        hi = np.maximum(hi, lo)
        return scale * (_magnetic_antiderivative(hi, E) - _magnetic_antiderivative(lo, E))

    if not atomic_binding:
        return integral(T1, T2)
    weights, binding = _binding_weights()
    total = 0.0
    for w, b in zip(weights, binding):
        total = total + w * integral(np.maximum(T1, b), np.maximum(T2, b))
    return total


def sigma_total(
    E_keV,
    T_min_keV: float = 0.0,
    T_max_keV: float | None = None,
    mu_nu_muB: float = 0.0,
    flavour: str = "e",
    sin2_theta_w: float = SIN2_THETA_W_DEFAULT,
    atomic_binding: bool = False,
):
    """Cross section integrated over recoil energies T_min..T_max (default: all), cm^2."""
    E = check_positive("E_keV", as_float_array("E_keV", E_keV), "keV")
    lo = _recoil("T_min_keV", T_min_keV)
    hi = t_max_keV(E) if T_max_keV is None else _recoil("T_max_keV", T_max_keV)
    if np.any(hi < lo):
        raise ValueError(f"T_max_keV must not be below T_min_keV = {T_min_keV}; got {T_max_keV}")
    check_non_negative("mu_nu_muB", mu_nu_muB, "mu_B")
    if mu_nu_muB and np.any(lo <= 0.0):
        raise ValueError("T_min_keV must be > 0 when mu_nu_muB > 0: the magnetic rate diverges as 1/T")
    sig = weak_sigma_between(lo, hi, E, flavour, sin2_theta_w, atomic_binding)
    if mu_nu_muB:
        sig = sig + magnetic_sigma_between(lo, hi, E, mu_nu_muB, atomic_binding)
    return sig

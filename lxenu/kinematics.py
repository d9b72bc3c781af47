"""Kinematics of neutrino-electron elastic scattering (below every stage, like the constants).

A neutrino of energy E scattering on an electron at rest gives it a kinetic energy
0 <= T <= T_max = 2 E^2 / (m_e + 2 E) (m_e c^2 = 511 keV): 559.4 keV for the 750 keV ⁵¹Cr
line, 617.3 keV for the 811 keV ³⁷Ar line. The experiment uses it to check its analysis
windows against its source's lines; the physics and the predictions to bound their spectra.
"""

from __future__ import annotations

from .constants import ELECTRON_MASS_KEV
from .validation import as_float_array, check_non_negative


def max_recoil_keV(E_keV):
    """Maximum electron recoil energy T_max = 2 E^2 / (m_e + 2 E), keV, for neutrino energy E (keV)."""
    E = check_non_negative("E_keV", as_float_array("E_keV", E_keV), "keV")
    return 2.0 * E**2 / (ELECTRON_MASS_KEV + 2.0 * E)

r"""Short-baseline 3+1 oscillations of a mono-energetic electron neutrino.

In a 3+1 model, short-baseline nu_e disappearance depends on one effective angle and
one mass splitting (the paper's eq. 3.1):

.. math:: P_{ee} = 1 - \sin^2 2\theta_{ee}\,\sin^2\!\Big(\frac{\Delta m^2_{41} L}{4E}\Big),

with the phase 1.267 dm2[eV^2] L[m] / E[MeV]. A mono-energetic source turns P into a
function of L alone; at 750 keV and 1 eV^2 the first minimum is at 93 cm (the paper's
"~90 cm"; the full oscillation length 4 pi E / dm2 is 1.86 m). Units: L in cm, E in keV,
dm2 in eV^2.
"""

from __future__ import annotations

import numpy as np

from ..constants import OSC_PHASE_EV2CM_PER_KEV
from ..validation import as_float_array, check_non_negative, check_positive, check_range


def oscillation_phase_per_cm(dm2_eV2, E_keV):
    """k = dm2 / (4 E) in cm^-1, so that the phase is k L."""
    check_positive("E_keV", E_keV, "keV")
    return OSC_PHASE_EV2CM_PER_KEV * np.asarray(dm2_eV2, dtype=float) / np.asarray(E_keV, dtype=float)


def survival_probability(L_cm, E_keV, sin2_2theta, dm2_eV2):
    """3+1 nu_e survival probability at distance L (cm) and energy E (keV)."""
    check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
    check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
    L = check_non_negative("L_cm", as_float_array("L_cm", L_cm), "cm")
    k = oscillation_phase_per_cm(dm2_eV2, E_keV)
    return 1.0 - np.asarray(sin2_2theta, dtype=float) * np.sin(k * L) ** 2


def bin_averaged_sin2(L1_cm, L2_cm, E_keV, dm2_eV2):
    """<sin^2(k L)> over [L1, L2]: 1/2 [1 - cos(k (L1 + L2)) sin(k dL) / (k dL)], exact."""
    check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
    k = oscillation_phase_per_cm(dm2_eV2, E_keV)
    L1 = check_non_negative("L1_cm", as_float_array("L1_cm", L1_cm), "cm")
    L2 = check_non_negative("L2_cm", as_float_array("L2_cm", L2_cm), "cm")
    if np.any(L2 < L1):
        raise ValueError("L2_cm must not be below L1_cm (each bin runs from L1 to L2)")
    dL = L2 - L1
    return 0.5 * (1.0 - np.cos(k * (L1 + L2)) * np.sinc(k * dL / np.pi))


def first_minimum_cm(E_keV, dm2_eV2=1.0):
    """Distance of the first oscillation minimum, pi / (2 k), cm."""
    check_positive("dm2_eV2", dm2_eV2, "eV^2")
    return np.pi / (2.0 * oscillation_phase_per_cm(dm2_eV2, E_keV))

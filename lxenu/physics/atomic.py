"""Atomic binding of xenon electrons in the stepping approximation.

For recoil energies comparable with atomic binding energies the free-electron
cross section overestimates scattering: an electron of shell i can only be
ejected if the energy transfer T exceeds its binding energy B_i. The stepping
approximation (as used for germanium and xenon by Chen et al., PLB 774 (2017) 656,
and compared with ab-initio calculations for xenon by Hsieh et al., PRD 100 (2019)
073001) multiplies the free cross section by

    S(T) = (1/Z) sum_i n_i theta(T - B_i),

the fraction of electrons that can be ionised. It reproduces ab-initio
(RRPA) calculations to ~10 % above ~1 keV; it is an option, not the paper's
default (the paper uses free electrons).

Binding energies: X-ray Data Booklet (A. C. Thompson et al., LBNL, 2009),
table 1-1, xenon (Z = 54), in eV.
"""

from __future__ import annotations

import numpy as np

#: (shell, occupancy, binding energy in keV) for xenon, X-ray Data Booklet table 1-1.
XENON_SHELLS = (
    ("K", 2, 34.561),
    ("L1", 2, 5.453),
    ("L2", 2, 5.107),
    ("L3", 4, 4.786),
    ("M1", 2, 1.1487),
    ("M2", 2, 1.0021),
    ("M3", 4, 0.9406),
    ("M4", 4, 0.6890),
    ("M5", 6, 0.6764),
    ("N1", 2, 0.2132),
    ("N2", 2, 0.1467),
    ("N3", 4, 0.1455),
    ("N4", 4, 0.0695),
    ("N5", 6, 0.0675),
    ("O1", 2, 0.0233),
    ("O2", 2, 0.0134),
    ("O3", 4, 0.0121),
)


def shell_occupancies_and_binding_keV() -> tuple[np.ndarray, np.ndarray]:
    occ = np.array([s[1] for s in XENON_SHELLS], dtype=float)
    binding = np.array([s[2] for s in XENON_SHELLS], dtype=float)
    return occ, binding


def stepping_factor(T_keV):
    """S(T): fraction of xenon's 54 electrons with binding energy below T (keV)."""
    occ, binding = shell_occupancies_and_binding_keV()
    T = np.asarray(T_keV, dtype=float)
    return (occ * (T[..., None] >= binding)).sum(axis=-1) / occ.sum()

"""Detector response as data: energy and vertex resolution.

The paper smears recoil energies event by event with a Gaussian of width
sigma(T) = 0.20 sqrt(T) (T and sigma in keV; sect. 2) and reconstructs each vertex
coordinate with a 1 cm Gaussian resolution (sect. 3). Here the energy resolution is

    sigma(T)^2 = (a^2 T) + (b T)^2 + c^2,

with a = 0.20 keV^(1/2), b = c = 0 by default (the paper); b (a constant
term) and c (a noise term, keV) are options. These are the ``[response]`` keys of an
experiment file; the smearing matrices built from them are in :mod:`lxenu.predict.response`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import as_float_array, check_non_negative, check_scalar_fields


@dataclass(frozen=True)
class EnergyResolution:
    """Gaussian energy resolution sigma(T)^2 = stochastic^2 T + (constant T)^2 + noise^2.

    Parameters
    ----------
    stochastic_keV_sqrt:
        The a in a sqrt(T), keV^(1/2) (paper: 0.20).
    constant:
        Relative constant term b (dimensionless).
    noise_keV:
        Energy-independent term c, keV.
    """

    stochastic_keV_sqrt: float = 0.20
    constant: float = 0.0
    noise_keV: float = 0.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("stochastic_keV_sqrt", self.stochastic_keV_sqrt, "keV^1/2")
        check_non_negative("constant", self.constant)
        check_non_negative("noise_keV", self.noise_keV, "keV")

    def sigma_keV(self, T_keV):
        """Gaussian width at true energy T (keV), keV."""
        T = as_float_array("T_keV", T_keV)
        if not np.all(np.isfinite(T)):
            raise ValueError(f"T_keV must be finite; got {T_keV!r}")
        check_non_negative("T_keV", T, "keV")
        return np.sqrt(self.stochastic_keV_sqrt**2 * T + (self.constant * T) ** 2 + self.noise_keV**2)

    @property
    def is_perfect(self) -> bool:
        return self.stochastic_keV_sqrt == 0 and self.constant == 0 and self.noise_keV == 0


@dataclass(frozen=True)
class DetectorResponse(EnergyResolution):
    """Energy resolution (see :class:`EnergyResolution`) and vertex resolution.

    Parameters
    ----------
    vertex_resolution_cm:
        Gaussian resolution of each vertex coordinate, cm (paper, sect. 3: 1 cm). The distance
        response adds the finite source size by Monte Carlo (:mod:`lxenu.predict.distance_response`).
    """

    vertex_resolution_cm: float = 1.0

    def __post_init__(self):
        check_scalar_fields(self)
        super().__post_init__()
        check_non_negative("vertex_resolution_cm", self.vertex_resolution_cm, "cm")

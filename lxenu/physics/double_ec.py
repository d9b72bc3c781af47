r"""124Xe two-neutrino double electron capture (2nuECEC): peaks at the Te double-hole energies.

124Xe + 2 e- -> 124Te + 2 nu_e. The two neutrinos carry away the Q value; what the xenon
sees is the relaxation of the two vacancies left in the tellurium atom (X-rays and Auger
electrons, absorbed within ~mm), i.e. a line at the summed binding energy of the two holes:

========  ==================  ============================
capture   deposited energy     fraction of decays (used)
========  ==================  ============================
KK        64.3 keV             0.767
KL        36.7 keV             0.187
LL         9.8 keV             0.015
========  ==================  ============================

Energies and fractions are those of XENON1T, Nature 568 (2019) 532 (KK: 64.3 keV, 76.7 %,
after Doi & Kotani, Prog. Theor. Phys. 89 (1993) 139) and PRC 106 (2022) 024328 (KL, LL).
The listed fractions sum to 0.969; the remaining ~3 % (captures from M and higher shells,
at energies not listed here) are by default spread over the three peaks in proportion
(``renormalise=True``), so that every decay deposits energy in one of the three lines; with
``renormalise=False`` they are dropped. Either way the difference is 3 % of a few hundred
events.

Rate: lambda N_124, with

* T1/2 = (1.1 +- 0.2 (stat) +- 0.1 (sys)) x 10^22 yr, XENON1T, PRC 106 (2022) 024328
  (the 2019 value was (1.8 +- 0.5 +- 0.1) x 10^22 yr; LZ 2024, arXiv:2408.17391, finds
  (1.09 +- 0.14 +- 0.05) x 10^22 yr);
* natural abundance of 124Xe: 0.000952 (IUPAC isotopic compositions of the elements,
  Meija et al., Pure Appl. Chem. 88 (2016) 293; NIST "Atomic Weights and Isotopic
  Compositions": 0.000952(3)).

The peaks are delta functions in deposited energy; the detector response smears them. A
Gaussian ``width_keV`` > 0 is available for plots of the unsmeared spectrum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from ..constants import DAYS_PER_YEAR
from ..experiment.backgrounds import register_component
from ..experiment.target import XENON, Target
from ..validation import check_edges, check_non_negative, check_positive, check_range, check_scalar_fields

#: XENON1T, PRC 106 (2022) 024328: T1/2(2nuECEC, 124Xe) = (1.1 +- 0.2 stat +- 0.1 sys) x 1e22 yr.
XE124_HALF_LIFE_YR = 1.1e22
#: Combined (quadrature) 1-sigma error of that value, yr.
XE124_HALF_LIFE_ERROR_YR = np.hypot(0.2e22, 0.1e22)

#: (name, deposited energy keV, fraction of decays) as used by XENON1T (see module docstring).
XE124_PEAKS = (("KK", 64.3, 0.767), ("KL", 36.7, 0.187), ("LL", 9.8, 0.015))


@register_component("xe124", "124Xe", isotope="124Xe")
@dataclass(frozen=True)
class Xenon124DoubleEC:
    """124Xe 2nuECEC in the liquid: KK, KL and LL lines, uniform in the volume.

    Parameters
    ----------
    abundance_factor:
        124Xe content relative to the target's natural abundance (1 = natural; 0 = fully
        depleted, > 1 enriched); natural xenon (:data:`lxenu.experiment.target.XENON`) has 0.0952 %.
    half_life_yr:
        2nuECEC half-life, years (default XENON1T 2022).
    renormalise:
        Spread the ~3 % of captures not in the three listed peaks over them (default) or drop them.
    width_keV:
        Gaussian width of each line before the detector response, keV (0 = delta functions).
    """

    label = "124Xe"

    abundance_factor: float = 1.0
    half_life_yr: float = XE124_HALF_LIFE_YR
    renormalise: bool = True
    width_keV: float = 0.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("abundance_factor", self.abundance_factor, 0.0, 1.0 / XENON.abundance("124Xe"))
        check_positive("half_life_yr", self.half_life_yr, "yr")
        check_non_negative("width_keV", self.width_keV, "keV")

    def decays_per_tonne_day(self, target: Target = XENON) -> float:
        """124Xe decays per tonne of target per day."""
        fraction = target.abundance("124Xe", "backgrounds.xe124") * self.abundance_factor
        if fraction > 1.0:
            raise ValueError(f"backgrounds.xe124.abundance_factor gives a 124Xe atom fraction {fraction:.3g} > 1")
        return target.molecules_per_tonne * fraction * np.log(2.0) / (self.half_life_yr * DAYS_PER_YEAR)

    def peak_fractions(self) -> dict[str, float]:
        """Fraction of decays in each line (sums to 1 with ``renormalise``)."""
        total = sum(f for _, _, f in XE124_PEAKS) if self.renormalise else 1.0
        return {name: f / total for name, _, f in XE124_PEAKS}

    def peak_energies_keV(self) -> dict[str, float]:
        return {name: E for name, E, _ in XE124_PEAKS}

    def peak_rates_per_tonne_day(self, target: Target = XENON) -> dict[str, float]:
        """Events per tonne per day in each line."""
        rate = self.decays_per_tonne_day(target)
        return {name: rate * f for name, f in self.peak_fractions().items()}

    def events_per_tonne_day(self, edges_keV, target: Target = XENON) -> np.ndarray:
        """Events per tonne per day in deposited-energy bins [lo, hi)."""
        edges = check_edges("edges_keV", edges_keV)
        out = np.zeros(edges.size - 1)
        rates = self.peak_rates_per_tonne_day(target)
        for name, E in self.peak_energies_keV().items():
            if self.width_keV > 0.0:
                out += rates[name] * np.diff(ndtr((edges - E) / self.width_keV))
            else:
                i = np.searchsorted(edges, E, side="right") - 1
                if 0 <= i < out.size:
                    out[i] += rates[name]
        return out

    def spectrum_per_tonne_day_keV(self, E_keV, target: Target = XENON):
        """dN/dE, events per tonne per day per keV.

        With ``width_keV = 0`` the lines are delta functions and dN/dE is zero away from them
        (use :meth:`events_per_tonne_day` or :meth:`peak_rates_per_tonne_day`).
        """
        E = np.asarray(E_keV, dtype=float)
        out = np.zeros_like(E)
        if self.width_keV == 0.0:
            return out
        rates = self.peak_rates_per_tonne_day(target)
        for name, E0 in self.peak_energies_keV().items():
            z = (E - E0) / self.width_keV
            out = out + rates[name] * np.exp(-0.5 * z * z) / (np.sqrt(2.0 * np.pi) * self.width_keV)
        return out

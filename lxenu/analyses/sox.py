"""A Borexino/SOX-like comparison: the same 51Cr source under a large scintillator sphere.

The paper (Fig. 2 left) compares the xenon sensitivity with SOX (Bellini et al.,
JHEP 08 (2013) 038) for the same 5 MCi source, shape information only. We model
SOX as follows (our assumptions, each stated; the paper does not give its SOX inputs):

* the source sits in the pit under the detector, D = 8.25 m from its centre
  (SOX "position A", Bellini et al. 2013, sect. 3);
* the fiducial volume is the whole inner vessel, a sphere of R = 4.25 m of
  pseudocumene (C9H12, 0.878 g/cm^3: 278 t, Borexino, NIM A 600 (2009) 568);
* the vertex resolution is 15 cm (Borexino quotes 14 cm at 1 MeV; Smirnov et al.,
  Phys. Procedia 61 (2015) 511);
* the analysis window is 250-559 keV of (true) recoil energy, above 14C and below
  the 750 keV line's edge; energy smearing is neglected;
* the background is flat in the window at 35 counts per day per 100 t, the order of
  the Borexino Phase-II rates of 7Be neutrinos (~48 cpd/100 t over the whole spectrum),
  210Bi and 85Kr there (Borexino, Nature 562 (2018) 505), with the same 0.5 %
  normalisation prior as the xenon analysis.
"""

from __future__ import annotations

import numpy as np

from ..experiment.experiment import Experiment
from ..experiment.geometry import SphericalDetector
from ..experiment.target import PSEUDOCUMENE
from ..physics.cross_section import t_max_keV, weak_sigma_between
from ..predict.signal import SignalPrediction
from .sterile import SterileFit

#: Pseudocumene (C9H12): electrons per molecule and molar mass (g/mol),
#: see :data:`lxenu.experiment.target.PSEUDOCUMENE`.
PSEUDOCUMENE_ELECTRONS = PSEUDOCUMENE.electrons_per_molecule
PSEUDOCUMENE_MOLAR_MASS_G = PSEUDOCUMENE.molar_mass_g


#: Flat background assumed in the SOX window, counts per day per 100 t (see module docstring).
SOX_BACKGROUND_CPD_PER_100T = 35.0


def sox_sterile_fit(
    experiment=None,
    detector: SphericalDetector | None = None,
    window_keV=(250.0, None),
    background_cpd_per_100t: float = SOX_BACKGROUND_CPD_PER_100T,
    position_resolution_cm: float = 15.0,
    bin_cm: float = 15.0,
    **kwargs,
) -> SterileFit:
    """A :class:`~lxenu.analyses.sterile.SterileFit` for SOX with the experiment's source and run plan."""
    exp = Experiment() if experiment is None else experiment
    det = SphericalDetector() if detector is None else detector
    signal = SignalPrediction(exp)
    lines = signal.line_energies_keV
    lo = window_keV[0]
    hi = float(t_max_keV(lines.max())) if window_keV[1] is None else window_keV[1]
    n_nu = signal.neutrinos_per_line
    sigma = np.array([weak_sigma_between(lo, hi, E, "e", exp.sin2_theta_w) for E in lines])
    per_flux = n_nu * det.electrons_per_cm3 * sigma
    background = background_cpd_per_100t / 100.0 * det.mass_t * exp.run.live_days
    return SterileFit(
        det,
        exp.source.shape,
        lines,
        per_flux,
        background,
        position_resolution_cm=position_resolution_cm,
        bin_cm=bin_cm,
        label="SOX",
        **kwargs,
    )

"""lxenu: an electron-capture neutrino source next to a liquid-xenon detector.

Where to start
--------------
* An experiment is data: ``lxenu.Experiment.from_file("paper2014")`` (the default,
  Coloma, Huber & Link, JHEP 11 (2014) 042), or ``"xenonnt"``, ``"lz"``, ``"pandax4t"``,
  ``"xlzd"``, or your own TOML file; :func:`experiment_presets` lists them and
  ``Experiment.to_toml()`` writes one out.
* Sources: ``lxenu.LineSource.from_preset("cr51" | "cr51-four-lines" | "ar37")``.
* The signal: ``lxenu.SignalPrediction(experiment).total_events()``.
* The magnetic moment: ``lxenu.MagneticMomentFit(experiment).limit()`` (μ_B, one-sided 95 % CL);
  with distance and time as well, ``lxenu.MagneticMomentFullFit(experiment, "TLt")``.
* Sterile neutrinos: ``lxenu.SterileFit.for_experiment(experiment).sensitivity([1, 2, 5])``.
* Everything at once: ``lxenu.compute_summary(experiment)``; on the command line ``lxenu summary``.
* The paper's published numbers: ``lxenu.PAPER_NUMBERS``.

The subpackages are the stages of the calculation, each importing only the stages before it:

1. :mod:`lxenu.experiment.experiment`: the experiment as data (files, presets, source, geometry, target,
   response, background components, analysis settings);
2. :mod:`lxenu.physics`: cross sections, decays, oscillations, solar neutrinos, attenuation;
3. :mod:`lxenu.predict`: signal and backgrounds in (T, L, t) bins, energy and distance responses;
4. :mod:`lxenu.stats`: chi^2, likelihoods with nuisances, Feldman–Cousins, coverage;
5. :mod:`lxenu.analyses`: the magnetic-moment and sterile fits, the anomalies, today's landscape;
6. :mod:`lxenu.report`: figures, tables, the scorecard, the explorers;

with :mod:`lxenu.constants` and :mod:`lxenu.validation` below them all and :mod:`lxenu.cli` on top.
"""

from importlib.metadata import PackageNotFoundError, version

from . import physics  # noqa: F401  (registers the background components)
from .analyses.full_information import MagneticMomentFullFit, SterileFullFit
from .analyses.magnetic_moment import MagneticMomentFit
from .analyses.sterile import SterileFit
from .analyses.summary import compute_summary
from .experiment import (
    PAPER_NUMBERS,
    TARGETS,
    XENON,
    AnalysisSettings,
    BackgroundComponent,
    BackgroundModel,
    Cr51Source,
    CylindricalDetector,
    DetectorResponse,
    EnergyResolution,
    Experiment,
    FiducialGeometry,
    LineSource,
    MagneticMomentSettings,
    NeutrinoLine,
    RunPlan,
    SphericalDetector,
    SterileSettings,
    Target,
    experiment_presets,
    paper_value,
    source_presets,
)
from .predict.signal import SignalPrediction

try:
    __version__ = version("lxenu")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
    __version__ = "0.0.0+unknown"

__all__ = [
    "AnalysisSettings",
    "BackgroundComponent",
    "BackgroundModel",
    "Cr51Source",
    "CylindricalDetector",
    "DetectorResponse",
    "EnergyResolution",
    "Experiment",
    "FiducialGeometry",
    "LineSource",
    "MagneticMomentFit",
    "MagneticMomentFullFit",
    "MagneticMomentSettings",
    "NeutrinoLine",
    "PAPER_NUMBERS",
    "RunPlan",
    "SignalPrediction",
    "SphericalDetector",
    "SterileFit",
    "SterileFullFit",
    "SterileSettings",
    "TARGETS",
    "Target",
    "XENON",
    "__version__",
    "compute_summary",
    "experiment_presets",
    "paper_value",
    "source_presets",
]

"""lxenu: an electron-capture neutrino source next to a liquid-xenon detector.

Where to start
--------------
* An experiment is data: ``lxenu.Experiment.from_file("paper2014")`` (the default,
  Coloma, Huber & Link, JHEP 11 (2014) 042), or ``"xenonnt"``, ``"lz"``, ``"pandax4t"``,
  ``"xlzd"``, or your own TOML file; :func:`experiment_presets` lists them and
  ``Experiment.to_toml()`` writes one out.
* Sources: ``lxenu.LineSource.from_preset("cr51" | "cr51-four-lines" | "ar37")``.
* The magnetic moment: ``lxenu.MagneticMomentFit(experiment).limit()`` (μ_B, one-sided 95 % CL).
* Sterile neutrinos: ``lxenu.SterileFit.for_experiment(experiment).sensitivity([1, 2, 5])``.
* Everything at once: ``lxenu.compute_summary(experiment)``; on the command line ``lxenu summary``.
* The paper's published numbers: ``lxenu.PAPER_NUMBERS``.

The modules follow the flow of the calculation: experiment data (:mod:`~lxenu.experiment`,
:mod:`~lxenu.source`, :mod:`~lxenu.detector`, :mod:`~lxenu.target`) → physics
(:mod:`~lxenu.cross_section`, :mod:`~lxenu.oscillation`, the backgrounds) → predictions and
response (:mod:`~lxenu.signal`, :mod:`~lxenu.response`, :mod:`~lxenu.distance_response`) →
statistics (:mod:`~lxenu.statistics`) → analyses (:mod:`~lxenu.magnetic_moment`,
:mod:`~lxenu.sterile`) → reports (:mod:`~lxenu.summary`, :mod:`~lxenu.scorecard`, :mod:`~lxenu.cli`).
"""

from importlib.metadata import PackageNotFoundError, version

from .analysis_settings import AnalysisSettings, MagneticMomentSettings, SterileSettings
from .backgrounds import BackgroundComponent, BackgroundModel
from .detector import CylindricalDetector, FiducialGeometry, SphericalDetector
from .experiment import Experiment, experiment_presets
from .magnetic_moment import MagneticMomentFit
from .paper import PAPER_NUMBERS, paper_value
from .response import DetectorResponse, EnergyResolution
from .source import Cr51Source, LineSource, NeutrinoLine, RunPlan, source_presets
from .sterile import SterileFit
from .summary import compute_summary
from .target import TARGETS, XENON, Target

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
    "MagneticMomentSettings",
    "NeutrinoLine",
    "PAPER_NUMBERS",
    "RunPlan",
    "SphericalDetector",
    "SterileFit",
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

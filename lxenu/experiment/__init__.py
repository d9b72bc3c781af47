"""Stage 1, the experiment as data: files, presets, source, geometry, target, response, backgrounds, settings.

It holds source, detector geometry and target, run plan, response,
background components and analysis settings, read from cited TOML files.

Nothing here computes a prediction and nothing here imports a later stage
(:mod:`lxenu.physics`, :mod:`lxenu.predict`, ...): an :class:`Experiment` is a frozen value
that the later stages read. Start with :meth:`Experiment.from_file` and :func:`experiment_presets`.
"""

from .analysis import AnalysisSettings, MagneticMomentSettings, SterileSettings
from .backgrounds import BackgroundComponent, BackgroundModel, register_component
from .experiment import Experiment, experiment_presets, read_experiment_table
from .geometry import CylindricalDetector, FiducialGeometry, SphericalDetector
from .paper import PAPER_NUMBERS, paper_value
from .response import DetectorResponse, EnergyResolution
from .source import Cr51Source, LineSource, NeutrinoLine, RunPlan, source_presets
from .target import TARGETS, XENON, Target

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
    "MagneticMomentSettings",
    "NeutrinoLine",
    "PAPER_NUMBERS",
    "RunPlan",
    "SphericalDetector",
    "SterileSettings",
    "TARGETS",
    "Target",
    "XENON",
    "experiment_presets",
    "paper_value",
    "read_experiment_table",
    "register_component",
    "source_presets",
]

"""One description of the set-up: source, detector, run plan, response, backgrounds.

Like a GLoBES experiment file, an :class:`Experiment` is data: it says what is
built and how long it runs, with the paper's benchmark as the default. The
analyses (:mod:`lxenu.magnetic_moment`, :mod:`lxenu.sterile`) take it as input.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .backgrounds import BackgroundModel
from .cross_section import SIN2_THETA_W_DEFAULT
from .detector import CylindricalDetector
from .response import EnergyResolution, smeared_window_counts
from .signal import SignalPrediction, fine_true_edges_keV
from .source import Cr51Source, RunPlan
from .validation import check_range


@dataclass(frozen=True)
class Experiment:
    """The paper's benchmark by default: 5 MCi 51Cr, 100 days, 1.38 m LXe cylinder 1 m above it.

    Parameters
    ----------
    source, detector, run, resolution, backgrounds:
        The parts of the set-up (see their classes).
    sin2_theta_w:
        Weak mixing angle used in every nu-e cross section (signal and solar background:
        the solar component of ``backgrounds`` is given this value and ``atomic_binding``).
    atomic_binding:
        Use the xenon stepping approximation for the signal (and solar) cross sections.
    """

    source: Cr51Source = field(default_factory=Cr51Source)
    detector: CylindricalDetector = field(default_factory=CylindricalDetector)
    run: RunPlan = field(default_factory=RunPlan)
    resolution: EnergyResolution = field(default_factory=EnergyResolution)
    backgrounds: BackgroundModel = field(default_factory=BackgroundModel)
    sin2_theta_w: float = SIN2_THETA_W_DEFAULT
    atomic_binding: bool = False

    def __post_init__(self):
        check_range("sin2_theta_w", self.sin2_theta_w, 0.0, 1.0)
        solar = self.backgrounds.solar
        if solar.sin2_theta_w != self.sin2_theta_w or solar.atomic_binding != self.atomic_binding:
            consistent = dataclasses.replace(solar, sin2_theta_w=self.sin2_theta_w, atomic_binding=self.atomic_binding)
            object.__setattr__(self, "backgrounds", dataclasses.replace(self.backgrounds, solar=consistent))

    @classmethod
    def paper(cls) -> Experiment:
        """The benchmark of Coloma, Huber & Link (2014)."""
        return cls()

    def replace(self, **changes) -> Experiment:
        """A copy with some fields replaced (dataclasses.replace)."""
        return dataclasses.replace(self, **changes)

    def with_options(
        self,
        source_mci: float | None = None,
        days: float | None = None,
        deployments: int | None = None,
        start_day: float | None = None,
        gap_m: float | None = None,
        xe136_depletion: float | None = None,
        density_g_cm3: float | None = None,
        background_scale: float | None = None,
        four_lines: bool | None = None,
    ) -> Experiment:
        """A copy with the command-line options applied (``None`` keeps the current value)."""
        exp = self
        if source_mci is not None:
            exp = exp.replace(source=dataclasses.replace(exp.source, activity_MCi=source_mci))
        if four_lines:
            from .source import CR51_FOUR_LINES

            exp = exp.replace(source=dataclasses.replace(exp.source, lines=CR51_FOUR_LINES))
        if days is not None or deployments is not None or start_day is not None:
            run = exp.run
            exp = exp.replace(
                run=RunPlan(
                    days=run.days if days is None else days,
                    start_day=run.start_day if start_day is None else start_day,
                    deployments=run.deployments if deployments is None else deployments,
                )
            )
        if gap_m is not None or density_g_cm3 is not None:
            det = exp.detector
            exp = exp.replace(
                detector=dataclasses.replace(
                    det,
                    gap_m=det.gap_m if gap_m is None else gap_m,
                    density_g_cm3=det.density_g_cm3 if density_g_cm3 is None else density_g_cm3,
                )
            )
        if xe136_depletion is not None:
            bkg = exp.backgrounds
            exp = exp.replace(
                backgrounds=dataclasses.replace(bkg, xe136=dataclasses.replace(bkg.xe136, depletion=xe136_depletion))
            )
        if background_scale is not None:
            exp = exp.replace(backgrounds=dataclasses.replace(exp.backgrounds, scale=background_scale))
        return exp

    # -- derived quantities -------------------------------------------------------------
    @cached_property
    def signal(self) -> SignalPrediction:
        return SignalPrediction(self)

    @property
    def exposure_tonne_days(self) -> float:
        """Fiducial mass x live time, the background exposure, t d."""
        return self.detector.mass_t * self.run.live_days

    def background_true_events(self, edges_keV) -> dict:
        """Background events over the whole run in deposited-energy bins, by component."""
        per_td = self.backgrounds.events_per_tonne_day_by_component(edges_keV)
        return {k: v * self.exposure_tonne_days for k, v in per_td.items()}

    def background_events_in_window(self, low_keV: float, high_keV: float, smeared: bool = True) -> dict:
        """Background events over the run with (reconstructed) energy in [low, high), by component."""
        if high_keV <= low_keV:
            raise ValueError(f"high_keV must exceed low_keV; got [{low_keV}, {high_keV}]")
        if not smeared:
            return {k: float(v[0]) for k, v in self.background_true_events(np.array([low_keV, high_keV])).items()}
        top = high_keV + 10.0 * float(self.resolution.sigma_keV(high_keV)) + 1.0
        edges = fine_true_edges_keV(top)
        return {k: float(smeared_window_counts(edges, v, low_keV, high_keV, self.resolution))
                for k, v in self.background_true_events(edges).items()}

"""Background events of an experiment: each component's rate times the exposure, true and smeared.

The components (:mod:`lxenu.experiment.backgrounds`, physics in :mod:`lxenu.physics`) give
events per tonne of the experiment's target per day in deposited-energy bins; here they
are taken with the experiment's nu-e cross section (``[cross_section]``: the solar
neutrinos scatter like the signal), multiplied by the exposure (fiducial mass x live time)
and, for windows in reconstructed energy, smeared with the experiment's resolution.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..experiment.backgrounds import COMPONENT_LABELS, BackgroundModel
from ..experiment.target import XENON, Target
from ..validation import check_edges, check_range
from .response import smeared_window_counts
from .signal import fine_true_edges_keV


def events_per_tonne_day_by_component(model: BackgroundModel, edges_keV, target: Target = XENON) -> dict:
    """Events per tonne per day in deposited-energy bins, for each labelled component (or part)."""
    edges = check_edges("edges_keV", edges_keV)
    out = {}
    for key, comp in model.components:
        by_part = getattr(comp, "events_per_tonne_day_by_part", None)
        parts = by_part(edges, target) if by_part else {COMPONENT_LABELS[key]: comp.events_per_tonne_day(edges, target)}
        out.update({label: model.scale * rate for label, rate in parts.items()})
    return out


def events_per_tonne_day(model: BackgroundModel, edges_keV, target: Target = XENON) -> np.ndarray:
    """Events per tonne per day in deposited-energy bins, all components."""
    parts = events_per_tonne_day_by_component(model, edges_keV, target)
    return sum(parts.values()) if parts else np.zeros(np.asarray(edges_keV).size - 1)


def background_model(experiment) -> BackgroundModel:
    """The experiment's components as computed: those with a nu-e cross section use the experiment's."""
    comps = tuple(
        (
            key,
            dataclasses.replace(comp, sin2_theta_w=experiment.sin2_theta_w, atomic_binding=experiment.atomic_binding)
            if hasattr(comp, "sin2_theta_w")
            else comp,
        )
        for key, comp in experiment.backgrounds.components
    )
    return dataclasses.replace(experiment.backgrounds, components=comps)


def background_true_events(experiment, edges_keV) -> dict:
    """Background events over the whole run in deposited-energy bins, by component."""
    per_td = events_per_tonne_day_by_component(
        background_model(experiment), edges_keV, experiment.detector.target_material
    )
    return {k: v * experiment.exposure_tonne_days for k, v in per_td.items()}


def background_events_in_window(experiment, low_keV: float, high_keV: float, smeared: bool = True) -> dict:
    """Background events over the run with (reconstructed) energy in [low, high), by component."""
    check_range("low_keV", low_keV, 0.0, None, unit="keV")
    check_range("high_keV", high_keV, low_keV, None, low_inclusive=False, unit="keV")
    if not math.isfinite(high_keV):
        raise ValueError(f"high_keV must be finite; got {high_keV}")
    if not isinstance(smeared, (bool, np.bool_)):
        raise ValueError(f"smeared must be True or False; got {smeared!r}")
    if not smeared:
        return {k: float(v[0]) for k, v in background_true_events(experiment, np.array([low_keV, high_keV])).items()}
    res = experiment.resolution
    edges = fine_true_edges_keV(high_keV + 10.0 * float(res.sigma_keV(high_keV)) + 1.0)
    return {
        k: float(smeared_window_counts(edges, v, low_keV, high_keV, res))
        for k, v in background_true_events(experiment, edges).items()
    }

"""Background components as data: the plug-in point, the registry and an experiment's list.

An experiment file lists its backgrounds as ``[backgrounds.<key>]`` tables, each read
into the component class registered under ``<key>``. The classes themselves are physics
(their spectra come from decay and scattering physics) and live in :mod:`lxenu.physics`,
which registers them here with :func:`register_component`; this module knows only their
contract, :class:`BackgroundComponent`, so that the experiment, as data, depends on no
physics. A new background is a frozen dataclass that follows the contract and is
registered under a new key.

The components registered by lxenu:

===========  =========  ======================================================  ==========
key          label      class                                                   in paper
===========  =========  ======================================================  ==========
``solar``    solar      :class:`lxenu.physics.solar.SolarNeutrinos`              yes
``kr85``     85Kr       :class:`lxenu.physics.backgrounds.Krypton85`             yes
``rn222``    222Rn      :class:`lxenu.physics.backgrounds.Radon222`              yes
``xe136``    136Xe      :class:`lxenu.physics.backgrounds.Xenon136DoubleBeta`    yes
``xe124``    124Xe      :class:`lxenu.physics.double_ec.Xenon124DoubleEC`        no
===========  =========  ======================================================  ==========
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ..validation import check_range, check_scalar_fields
from .target import Target


@runtime_checkable
class BackgroundComponent(Protocol):
    """What a background component provides (the plug-in point for new backgrounds).

    Contract: a frozen dataclass whose fields are the keys of its ``[backgrounds.<key>]``
    table (with units in their names), uniform in the target and constant in time, whose
    ``events_per_tonne_day(edges_keV, target)`` gives events per tonne of the
    :class:`~lxenu.experiment.target.Target` per day in bins of deposited energy (exact bin
    integrals; edges increasing, keV). It may also give
    ``events_per_tonne_day_by_part(edges_keV, target)``, a dict of labelled parts that sum to
    the total (the solar fluxes). A component that needs an isotope of the target declares it
    when it is registered; one whose rate depends on the nu-e cross section has the fields
    ``sin2_theta_w`` and ``atomic_binding``, which the experiment's ``[cross_section]`` sets.
    """

    def events_per_tonne_day(self, edges_keV, target: Target) -> np.ndarray: ...


#: Component classes by the table name used in experiment files (``[backgrounds.<key>]``).
COMPONENT_TYPES: dict[str, type] = {}
#: The label of each component in tables and plots.
COMPONENT_LABELS: dict[str, str] = {}
#: The isotope of the target that a component needs, where it needs one.
COMPONENT_ISOTOPES: dict[str, str] = {}
#: Largest factor on every background accepted ("what if the background were N times higher").
MAX_SCALE = 1e6
#: The paper's components (sect. 2): solar pp + 7Be, 85Kr, 222Rn (214Pb) and 136Xe.
PAPER_COMPONENT_KEYS = ("solar", "kr85", "rn222", "xe136")


def register_component(key: str, label: str, isotope: str | None = None):
    """Class decorator: register a :class:`BackgroundComponent` under the file key ``key``.

    ``label`` names it in tables and plots; ``isotope`` is the isotope of the target it needs
    (e.g. ``"136Xe"``), checked against the target when an experiment is built.
    """

    def register(cls):
        if key in COMPONENT_TYPES and COMPONENT_TYPES[key] is not cls:
            raise ValueError(f"a background component is already registered as {key!r}")
        COMPONENT_TYPES[key] = cls
        COMPONENT_LABELS[key] = label
        if isotope is not None:
            COMPONENT_ISOTOPES[key] = isotope
        return cls

    return register


def _default_components():
    return tuple((key, COMPONENT_TYPES[key]()) for key in PAPER_COMPONENT_KEYS)


@dataclass(frozen=True)
class BackgroundModel:
    """The background components of an experiment, each with the same interface.

    Components are also reachable by key as attributes (``model.xe136``). Their rates for an
    experiment are in :mod:`lxenu.predict.backgrounds`.

    Parameters
    ----------
    components:
        ``(key, component)`` pairs, keys from :data:`COMPONENT_TYPES` (the paper's four by
        default: solar pp + 7Be, 85Kr, 222Rn and 136Xe). Each component follows
        :class:`BackgroundComponent`.
    scale:
        Multiplies every component (for "what if the background were N times lower"
        studies) without changing their shapes.
    """

    components: tuple = field(default_factory=_default_components)
    scale: float = 1.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("scale", self.scale, 0.0, MAX_SCALE)
        if not isinstance(self.components, tuple):
            raise ValueError(f"components must be a tuple of (key, component) pairs; got {self.components!r}")
        keys = [key for key, _ in self.components]
        if len(set(keys)) != len(keys):
            raise ValueError(f"components must have distinct keys; got {keys}")
        for key, comp in self.components:
            if key not in COMPONENT_TYPES:
                raise ValueError(f"background component must be one of {sorted(COMPONENT_TYPES)}; got {key!r}")
            if not isinstance(comp, COMPONENT_TYPES[key]):
                raise ValueError(f"backgrounds.{key} must be a {COMPONENT_TYPES[key].__name__}; got {comp!r}")

    def __getattr__(self, key):
        if key in COMPONENT_TYPES:
            for k, comp in self.__dict__.get("components", ()):
                if k == key:
                    return comp
            raise AttributeError(f"this background model has no {key!r} component")
        raise AttributeError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.components)

    def replace_component(self, key: str, **changes) -> BackgroundModel:
        """A copy with fields of one component changed (``model.replace_component("xe136", depletion=0.9)``)."""
        if key not in self.keys:
            raise ValueError(f"background component must be one of {list(self.keys)}; got {key!r}")
        comps = tuple((k, dataclasses.replace(c, **changes) if k == key else c) for k, c in self.components)
        return dataclasses.replace(self, components=comps)

    def with_component(self, key: str, component) -> BackgroundModel:
        """A copy with the component ``key`` replaced by (or, if absent, extended with) ``component``."""
        if key not in COMPONENT_TYPES:
            raise ValueError(f"background component must be one of {sorted(COMPONENT_TYPES)}; got {key!r}")
        comps = tuple((k, component if k == key else c) for k, c in self.components)
        if key not in self.keys:
            comps += ((key, component),)
        return dataclasses.replace(self, components=comps)

    def check_target(self, target: Target) -> None:
        """Raise a ``ValueError`` if a component cannot be computed for ``target``."""
        if self.components and not target.has_intrinsic_background_model:
            raise ValueError(
                f"backgrounds: lxenu has no background model for the target {target.name!r} "
                f"(components given: {', '.join(self.keys)}); give no [backgrounds.*] tables for it"
            )
        for key, _ in self.components:
            if key in COMPONENT_ISOTOPES:
                target.abundance(COMPONENT_ISOTOPES[key], needed_by=f"backgrounds.{key}")

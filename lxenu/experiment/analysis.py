"""Analysis settings as data: the windows, binnings, conventions and priors of each fit.

They are the ``[analysis.magnetic_moment]`` and ``[analysis.sterile]`` tables of an
experiment file; the paper's analysis (Coloma, Huber & Link 2014, sect. 2 and 3) is
the default. The fits (:class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit`,
:class:`~lxenu.analyses.sterile.SterileFit`) read them from the experiment, so a threshold or a
window is written once, here or in a file, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..validation import check_integer, check_positive, check_range, check_scalar_fields

#: A window that ends at the largest recoil energy of the source's highest line.
ENDPOINT = "endpoint"
#: A normalisation left free in the fit (shape-only analysis).
FREE = "free"


#: Conventions for turning a confidence level into a Delta chi^2 threshold
#: (:func:`lxenu.stats.chi2.delta_chi2_threshold`).
DELTA_CHI2_CONVENTIONS = ("two_sided", "one_sided")


#: Widest Gaussian prior on a normalisation accepted (1000 %); wider is ``"free"``.
MAX_NORM_SIGMA = 10.0


def _check_sigma(name: str, value, zero_allowed: bool = True) -> None:
    if value == FREE:
        return
    low = "[0" if zero_allowed else "(0"
    if isinstance(value, str):
        raise ValueError(f"{name} must be a number in {low}, {MAX_NORM_SIGMA:g}] or {FREE!r}; got {value!r}")
    check_range(name, value, 0.0, MAX_NORM_SIGMA, low_inclusive=zero_allowed)


@dataclass(frozen=True)
class MagneticMomentSettings:
    """The magnetic-moment fit (paper, sect. 2): Poisson chi^2 in reconstructed recoil energy.

    Parameters
    ----------
    threshold_keV, max_keV:
        The analysis window in reconstructed energy, keV (paper: 2-140 keV).
    bin_keV:
        Bin width, keV (paper: 0.1; at least 0.01); it must divide ``max_keV``.
    confidence_level:
        Of the upper limit (paper: 95 %).
    convention:
        ``"one_sided"`` (Delta chi^2 = 2.71 at 95 %: mu^2 >= 0 sits on its boundary, Chernoff's
        theorem; the book's convention, and the one that matches the paper's 4.9e-12) or
        ``"two_sided"`` (Wilks, 3.84).
    """

    threshold_keV: float = 2.0
    max_keV: float = 140.0
    bin_keV: float = 0.1
    confidence_level: float = 0.95
    convention: str = "one_sided"

    def __post_init__(self):
        check_scalar_fields(self)
        check_positive("max_keV", self.max_keV, "keV")
        check_range("threshold_keV", self.threshold_keV, 0.1, self.max_keV, high_inclusive=False, unit="keV")
        check_range("bin_keV", self.bin_keV, 0.01, self.max_keV - self.threshold_keV, unit="keV")
        n = self.max_keV / self.bin_keV
        if abs(n - round(n)) > 1e-6 * max(1.0, n):
            raise ValueError(
                f"bin_keV must divide max_keV = {self.max_keV:g} keV into whole bins; got {self.bin_keV:g}"
            )
        if self.convention not in DELTA_CHI2_CONVENTIONS:
            raise ValueError(f"convention must be one of {DELTA_CHI2_CONVENTIONS}; got {self.convention!r}")
        low = 0.5 if self.convention == "one_sided" else 0.0
        check_range("confidence_level", self.confidence_level, low, 1.0, low_inclusive=False, high_inclusive=False)


@dataclass(frozen=True)
class SterileSettings:
    """The sterile-neutrino fit (paper, sect. 3): Gaussian chi^2 in reconstructed distance.

    Parameters
    ----------
    threshold_keV, max_keV:
        Energy window, keV (paper: 5 keV to the edge of the 750 keV line); ``max_keV = "endpoint"``
        ends it at the largest recoil of the source's highest line.
    bin_cm:
        Distance bin width, cm (paper: 3).
    confidence_level, dof:
        Of the contour (paper: 95 %, 2 dof, Delta chi^2 = 5.99).
    signal_norm_sigma, background_norm_sigma:
        Gaussian prior widths on the signal and background normalisations, or ``"free"``
        (paper: signal free, background 0.5 %; sect. 4 also a 2 % signal prior).
    mc_events, seed:
        Monte Carlo events and seed of the distance response.
    """

    threshold_keV: float = 5.0
    max_keV: float | str = ENDPOINT
    bin_cm: float = 3.0
    confidence_level: float = 0.95
    dof: int = 2
    signal_norm_sigma: float | str = FREE
    background_norm_sigma: float | str = 0.005
    mc_events: int = 1_000_000
    seed: int = 51

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("threshold_keV", self.threshold_keV, 0.0, None, unit="keV")
        if isinstance(self.max_keV, str):
            if self.max_keV != ENDPOINT:
                raise ValueError(f"max_keV must be a number or {ENDPOINT!r}; got {self.max_keV!r}")
        else:
            check_range("max_keV", self.max_keV, self.threshold_keV, None, low_inclusive=False, unit="keV")
        check_positive("bin_cm", self.bin_cm, "cm")
        check_range("confidence_level", self.confidence_level, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
        check_integer("dof", self.dof, 1, 2)
        # the sterile fit profiles both normalisations: a prior of width 0 would pin one exactly
        _check_sigma("signal_norm_sigma", self.signal_norm_sigma, zero_allowed=False)
        _check_sigma("background_norm_sigma", self.background_norm_sigma, zero_allowed=False)
        check_integer("mc_events", self.mc_events, 1000, 100_000_000)
        check_integer("seed", self.seed, 0)

    @staticmethod
    def prior(value) -> float | None:
        """A prior width as the fits take it: ``None`` for ``"free"``."""
        return None if value == FREE else float(value)


@dataclass(frozen=True)
class AnalysisSettings:
    """Both analyses' settings (the ``[analysis.*]`` tables)."""

    magnetic_moment: MagneticMomentSettings = field(default_factory=MagneticMomentSettings)
    sterile: SterileSettings = field(default_factory=SterileSettings)

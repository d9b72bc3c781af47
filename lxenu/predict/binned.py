r"""Signal and background predictions binned in any subset of (T, L, t).

An event in the xenon TPC has a reconstructed recoil energy T (keV), a reconstructed
distance L from the source centre (cm) and a time t since the start of its deployment
(days). The predictions factorise (the energy response does not depend on position or
time):

* signal, per bin: (recoil spectrum, smeared, in T) x (fraction of the flux integral in the
  reconstructed-L bin) x (fraction of the source decays in the t bin). The decays per time
  bin are exact exponential integrals (:meth:`~lxenu.experiment.source.Cr51Source.decays_between`),
  the same in every deployment; the distance fraction is the exact point-source flux
  :meth:`~lxenu.experiment.geometry.CylindricalDetector.flux_in_bins_cm` on a fine grid, smeared with
  the vertex resolution (or the reconstructed flux of a Monte Carlo
  :class:`~lxenu.predict.distance_response.DistanceResponse`, which includes the finite source);
* each background component: (its own smeared spectrum in T) x (fraction of the fiducial
  volume in the reconstructed-L bin, :meth:`~lxenu.experiment.geometry.CylindricalDetector.volume_in_bins_cm3`
  smeared with the vertex resolution) x (live-time fraction of the t bin): uniform and constant;
* with the solar option ``moment_in_fit``, the solar neutrinos' magnetic scattering
  (:attr:`FullInformationPrediction.magnetic_solar`): a magnetic spectrum in T with the
  backgrounds' distance and time shapes (the Sun is not the source: uniform in L, constant in t).

The energy axis is that of :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit` (0.1 keV bins from
the threshold to 140 keV), so the prediction summed over L and t is its
:meth:`~lxenu.analyses.magnetic_moment.MagneticMomentFit.spectra` exactly.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..experiment.experiment import Experiment
from ..validation import check_instance, check_non_negative, check_positive, check_range
from .distance_response import analysis_edges_cm, smear_distance_1d
from .energy_spectra import EnergySpectra

#: The observables, in the order of the array axes.
AXES = ("T", "L", "t")

#: Named groupings of the background components into separately normalised groups.
BACKGROUND_GROUPINGS = ("all", "xe136")


def parse_observables(observables: str, allowed: str = "TLt") -> tuple[str, ...]:
    """'TLt', 'LT', 'tT' ... -> the axes in canonical (T, L, t) order; ValueError otherwise."""
    if not isinstance(observables, str) or not observables:
        raise ValueError(f"observables must be a non-empty string of the letters {allowed!r}; got {observables!r}")
    letters = tuple(observables)
    if len(set(letters)) != len(letters) or any(c not in allowed for c in letters):
        raise ValueError(f"observables must be made of distinct letters from {allowed!r}; got {observables!r}")
    return tuple(a for a in AXES if a in letters)


def group_components(names, grouping) -> dict[str, list[str]]:
    """Map a grouping ('all', 'xe136' or a dict group -> component names) to groups of components."""
    names = list(names)
    if grouping is None or grouping == "all":
        return {"background": names}
    if grouping == "xe136":
        return {"136Xe": [n for n in names if n == "136Xe"], "other": [n for n in names if n != "136Xe"]}
    if isinstance(grouping, dict):
        seen = [c for comps in grouping.values() for c in comps]
        if sorted(seen) != sorted(names):
            raise ValueError(
                f"background_groups must assign every component exactly once; components are {names}, got {grouping}"
            )
        return {k: list(v) for k, v in grouping.items()}
    raise ValueError(f"background_groups must be one of {BACKGROUND_GROUPINGS} or a dict; got {grouping!r}")


def time_edges_days(days: float, bin_days: float) -> np.ndarray:
    """Edges 0, bin, 2 bin, ... ending exactly at ``days`` (the last bin may be shorter; a bin
    longer than the run gives one bin, the whole run)."""
    check_positive("days", days, "days")
    check_positive("time_bin_days", bin_days, "days")
    n = max(1, int(np.ceil(days / bin_days - 1e-9)))
    return np.minimum(np.arange(n + 1) * bin_days, days)


def signal_time_fractions(source, run, edges_days) -> np.ndarray:
    """Fraction of a deployment's source decays in each time bin (exact exponential integrals)."""
    e = np.asarray(edges_days, dtype=float) + run.start_day
    per_bin = source.decays_between(e[:-1], e[1:])
    return per_bin / source.decays_between(run.start_day, run.start_day + run.days)


def reco_distance_fractions(
    detector, reco_edges_cm, position_resolution_cm: float, weight: str, n_fine: int = 4001
) -> np.ndarray:
    """Fraction of the flux (``weight='flux'``: signal) or volume (``'volume'``: backgrounds)
    in each reconstructed-distance bin; sums to one when the bins cover the smeared range.

    The exact distribution in true L on a fine grid that contains the reco edges (so that
    without smearing the result is exact), smeared by a Gaussian in L."""
    check_non_negative("position_resolution_cm", position_resolution_cm, "cm")
    lo, hi = detector.distance_range_cm
    reco = np.asarray(reco_edges_cm, dtype=float)
    fine = np.union1d(np.linspace(lo, hi, n_fine), reco[(reco > lo) & (reco < hi)])
    true = detector.flux_in_bins_cm(fine) if weight == "flux" else detector.volume_in_bins_cm3(fine)
    return smear_distance_1d(fine, true / true.sum(), reco_edges_cm, position_resolution_cm)


class FullInformationPrediction:
    """SM signal, magnetic signal (at 1e-12 mu_B) and grouped backgrounds on (T, L, t) bins.

    The arrays ``signal`` and ``magnetic`` and the values of the dict ``backgrounds`` (one per
    background group) have the shape :attr:`shape`, one axis per observable in (T, L, t) order.

    Parameters
    ----------
    experiment:
        The set-up (paper benchmark by default).
    observables:
        Any subset of "TLt" (e.g. "T", "TL", "Tt", "TLt"): the axes kept; the others are summed.
    threshold_keV, max_keV, bin_keV:
        Energy axis as in :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit` (default: the
        experiment's ``analysis.magnetic_moment`` settings, the paper's 2, 140 and 0.1 keV).
    distance_bin_cm:
        Width of the reconstructed-distance bins, cm (default 10 cm).
    time_bin_days:
        Width of the time bins within a deployment, days (default 10 d).
    position_resolution_cm:
        Vertex resolution (Gaussian, per coordinate, applied to L), cm (paper: 1 cm).
    background_groups:
        ``"all"`` (one normalisation), ``"xe136"`` (136Xe and the rest), or a dict that maps
        group names to lists of component labels.
    distance_response:
        Optional :class:`~lxenu.predict.distance_response.DistanceResponse` whose ``reco_flux_cm``
        replaces the analytic signal distance distribution (its reco bins are then used).
    energy_spectra:
        Optional :class:`~lxenu.predict.energy_spectra.EnergySpectra` of the same experiment,
        max_keV and bin_keV to reuse (the response sums cost ~0.3 s per experiment).

    """

    def __init__(
        self,
        experiment=None,
        observables: str = "TLt",
        threshold_keV: float | None = None,
        max_keV: float | None = None,
        bin_keV: float | None = None,
        distance_bin_cm: float = 10.0,
        time_bin_days: float = 10.0,
        position_resolution_cm: float | None = None,
        background_groups="all",
        distance_response=None,
        energy_spectra: EnergySpectra | None = None,
    ):
        self.experiment = Experiment() if experiment is None else experiment
        check_instance("experiment", self.experiment, Experiment, "an Experiment (Experiment.from_file('xenonnt'))")
        mm = self.experiment.analysis.magnetic_moment
        threshold_keV = mm.threshold_keV if threshold_keV is None else threshold_keV
        max_keV = mm.max_keV if max_keV is None else max_keV
        bin_keV = mm.bin_keV if bin_keV is None else bin_keV
        if position_resolution_cm is None:
            position_resolution_cm = self.experiment.resolution.vertex_resolution_cm
        self.observables = parse_observables(observables)
        check_range("threshold_keV", threshold_keV, 0.1, max_keV, high_inclusive=False, unit="keV")
        self.threshold_keV = float(threshold_keV)
        check_positive("distance_bin_cm", distance_bin_cm, "cm")
        self.distance_bin_cm = float(distance_bin_cm)
        self.time_bin_days = float(check_positive("time_bin_days", time_bin_days, "days"))
        self.position_resolution_cm = float(check_non_negative("position_resolution_cm", position_resolution_cm, "cm"))
        if energy_spectra is None:
            energy_spectra = EnergySpectra(self.experiment, max_keV, bin_keV)
        elif (
            energy_spectra.experiment != self.experiment
            or energy_spectra.max_keV != max_keV
            or energy_spectra.bin_keV != bin_keV
        ):
            raise ValueError("energy_spectra must be the EnergySpectra of the same experiment, max_keV and bin_keV")
        self.energy_spectra = energy_spectra
        self.groups = group_components(self._component_names, background_groups)
        self.distance_response = distance_response

    # -- the three axes -----------------------------------------------------------------------
    @cached_property
    def _component_names(self):
        return list(self.energy_spectra.true_background_components)

    @cached_property
    def energy(self):
        """(edges_keV, SM signal, source magnetic at 1e-12 mu_B, {component: background}) in reco T bins."""
        edges, S, _, _ = self.energy_spectra.spectra(self.threshold_keV)
        M_source, _ = self.energy_spectra.magnetic_parts(self.threshold_keV)
        return edges, S, M_source, self.energy_spectra.background_components(edges)

    @cached_property
    def solar_magnetic_energy(self) -> np.ndarray | None:
        """Solar magnetic events at 1e-12 mu_B in reco T bins when the moment acts on them, else None."""
        if not self.energy_spectra.has_solar_moment:
            return None
        return self.energy_spectra.magnetic_parts(self.threshold_keV)[1]

    @cached_property
    def distance_edges_cm(self) -> np.ndarray:
        if self.distance_response is not None:
            return np.asarray(self.distance_response.reco_edges_cm, dtype=float)
        margin = 5.0 * self.position_resolution_cm
        return analysis_edges_cm(self.experiment.detector, self.distance_bin_cm, margin)

    @cached_property
    def signal_distance_fraction(self) -> np.ndarray:
        """Fraction of the signal in each reconstructed-distance bin (sums to 1)."""
        if self.distance_response is not None:
            f = np.asarray(self.distance_response.reco_flux_cm, dtype=float)
        else:
            f = reco_distance_fractions(
                self.experiment.detector, self.distance_edges_cm, self.position_resolution_cm, "flux"
            )
        return f / f.sum()

    @cached_property
    def background_distance_fraction(self) -> np.ndarray:
        """Fraction of a uniform background in each reconstructed-distance bin (sums to 1)."""
        f = reco_distance_fractions(
            self.experiment.detector, self.distance_edges_cm, self.position_resolution_cm, "volume"
        )
        return f / f.sum()

    @cached_property
    def time_edges_days(self) -> np.ndarray:
        return time_edges_days(self.experiment.run.days, self.time_bin_days)

    @cached_property
    def signal_time_fraction(self) -> np.ndarray:
        """Fraction of the source decays in each time bin of a deployment (sums to 1)."""
        exp = self.experiment
        return signal_time_fractions(exp.source, exp.run, self.time_edges_days)

    @cached_property
    def background_time_fraction(self) -> np.ndarray:
        """Live-time fraction of each time bin (sums to 1)."""
        return np.diff(self.time_edges_days) / self.experiment.run.days

    # -- the binned predictions ---------------------------------------------------------------
    @property
    def edges(self) -> dict:
        """Bin edges of each kept axis: keV, cm, days."""
        all_edges = {"T": self.energy[0], "L": self.distance_edges_cm, "t": self.time_edges_days}
        return {a: all_edges[a] for a in self.observables}

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(e.size - 1 for e in self.edges.values())

    def _outer(self, spectrum, distance, time):
        factors = {"T": spectrum, "L": distance, "t": time}
        out = np.asarray(1.0)
        kept_total = 1.0
        for a in AXES:
            if a in self.observables:
                out = np.multiply.outer(out, factors[a])
            else:
                kept_total *= float(np.sum(factors[a]))
        return out * kept_total

    @cached_property
    def signal(self) -> np.ndarray:
        """SM signal events per bin."""
        return self._outer(self.energy[1], self.signal_distance_fraction, self.signal_time_fraction)

    @cached_property
    def magnetic(self) -> np.ndarray:
        """Magnetic-moment signal of the source per bin at mu = 1e-12 mu_B (scales as mu^2)."""
        return self._outer(self.energy[2], self.signal_distance_fraction, self.signal_time_fraction)

    @cached_property
    def magnetic_solar(self) -> np.ndarray | None:
        """Solar magnetic scattering per bin at 1e-12 mu_B (uniform in L, constant in t), or None
        unless the solar option ``moment_in_fit`` is set."""
        M = self.solar_magnetic_energy
        if M is None:
            return None
        return self._outer(M, self.background_distance_fraction, self.background_time_fraction)

    @cached_property
    def backgrounds(self) -> dict[str, np.ndarray]:
        """Background events per bin, for each group of components."""
        comps = self.energy[3]
        return {
            g: self._outer(
                sum(comps[c] for c in names) if names else np.zeros_like(self.energy[1]),
                self.background_distance_fraction,
                self.background_time_fraction,
            )
            for g, names in self.groups.items()
        }

    @property
    def background(self) -> np.ndarray:
        """All backgrounds per bin."""
        return sum(self.backgrounds.values())

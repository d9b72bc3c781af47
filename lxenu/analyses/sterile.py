r"""Sterile-neutrino oscillations seen as a pattern in distance inside the detector.

The survival probability and its bin averages are in :mod:`lxenu.physics.oscillation`;
at 750 keV and 1 eV^2 the first minimum is at 93 cm, so the pattern lies inside a
metre-scale detector.

The analysis (paper, sect. 3): events between a 5 keV threshold and the maximum
recoil, binned in reconstructed distance (3 cm bins), Gaussian chi^2 against the
no-oscillation Asimov data, a free signal normalisation (shape only; or a Gaussian
prior) and a 0.5 % background normalisation prior, both profiled analytically
(:func:`lxenu.stats.chi2.profiled_gaussian_chi2`). Sensitivity: 95 % CL, 2 dof.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy.optimize import brentq

from ..experiment.experiment import Experiment
from ..experiment.geometry import FiducialGeometry
from ..experiment.source import CylindricalSourceShape
from ..physics.oscillation import (  # noqa: F401  (re-exported: the names lived here before)
    bin_averaged_sin2,
    first_minimum_cm,
    oscillation_phase_per_cm,
    survival_probability,
)
from ..predict.backgrounds import background_events_in_window
from ..predict.distance_response import build_distance_response, smear_distance_1d
from ..predict.response import smeared_window_counts
from ..predict.signal import SignalPrediction, fine_true_edges_keV
from ..stats.chi2 import delta_chi2_threshold, profiled_gaussian_chi2
from ..validation import (
    as_float_array,
    check_edges,
    check_instance,
    check_integer,
    check_non_negative,
    check_nonempty,
    check_positive,
    check_range,
)


class SterileFit:
    """Sensitivity of a distance-shape analysis to 3+1 nu_e disappearance.

    Generic in the detector: it needs the signal per source line in the energy window
    (as ``events_per_flux_cm``: events per unit flux integral, i.e. N_nu n_e sigma_window),
    the background in the window (uniform in volume), a detector with the geometry
    methods of :class:`~lxenu.experiment.geometry.CylindricalDetector`, the source shape, and the
    vertex resolution. Use :meth:`for_experiment` for the liquid-xenon set-up. A
    ``response`` built for the same detector, source shape, resolution and bins can be
    passed in to skip the Monte Carlo.
    """

    def __init__(
        self,
        detector,
        source_shape,
        line_energies_keV,
        events_per_flux_cm,
        background_events,
        position_resolution_cm: float = 1.0,
        bin_cm: float = 3.0,
        n_mc: int = 1_000_000,
        seed: int = 51,
        norm_sigma: float | None = None,
        background_sigma: float | None = 0.005,
        confidence_level: float = 0.95,
        label: str = "",
        response=None,
        dof: int = 2,
    ):
        self.detector = check_instance("detector", detector, FiducialGeometry, "a fiducial volume (FiducialGeometry)")
        self.source_shape = check_instance("source_shape", source_shape, CylindricalSourceShape)
        self.line_energies_keV = np.atleast_1d(
            check_positive("line_energies_keV", as_float_array("line_energies_keV", line_energies_keV), "keV")
        )
        self.events_per_flux_cm = np.atleast_1d(
            check_non_negative("events_per_flux_cm", as_float_array("events_per_flux_cm", events_per_flux_cm), "cm^-1")
        )
        if self.line_energies_keV.shape != self.events_per_flux_cm.shape:
            raise ValueError("line_energies_keV and events_per_flux_cm must have the same length")
        if not np.any(self.events_per_flux_cm > 0):
            raise ValueError("events_per_flux_cm must be > 0 for at least one line: without signal there is no fit")
        check_non_negative("background_events", background_events)
        self.background_events = float(background_events)
        self.position_resolution_cm = check_non_negative("position_resolution_cm", position_resolution_cm, "cm")
        lo, hi = self.detector.distance_range_cm
        self.bin_cm = check_range("bin_cm", bin_cm, 0.0, (hi - lo) / 2.0, low_inclusive=False, unit="cm")
        self.n_mc = check_integer("n_mc", n_mc, 1000)
        self.seed = check_integer("seed", seed, 0)
        if norm_sigma is not None:
            check_positive("norm_sigma", norm_sigma)
        if background_sigma is not None:
            check_positive("background_sigma", background_sigma)
        self.norm_sigma = norm_sigma
        self.background_sigma = background_sigma
        self.dof = check_integer("dof", dof, 1, 2)
        self.delta_chi2 = delta_chi2_threshold(confidence_level, self.dof)
        self.confidence_level = confidence_level
        self.label = check_instance("label", label, str, "a string")
        if response is not None:
            self.__dict__["response"] = response

    @classmethod
    def for_experiment(
        cls,
        experiment: Experiment | None = None,
        threshold_keV: float | None = None,
        max_keV: float | None = None,
        **kwargs,
    ) -> SterileFit:
        """The liquid-xenon distance analysis of an :class:`~lxenu.experiment.experiment.Experiment`.

        Window, bins, priors, confidence level, dof and the distance-response Monte Carlo come
        from the experiment's ``analysis.sterile`` settings (the paper's: 5 keV to the edge of
        the highest line, 559 keV for 750 keV; 3 cm bins; signal free, background 0.5 %), the
        vertex resolution from its response; ``threshold_keV``, ``max_keV`` and keyword
        arguments of :class:`SterileFit` override them.
        """
        exp = Experiment() if experiment is None else experiment
        if not isinstance(exp, Experiment):
            raise ValueError(f"experiment must be an Experiment; got {type(exp).__name__}")
        st = exp.analysis.sterile
        signal = SignalPrediction(exp)
        lo, hi = sterile_window_keV(exp)
        lo = lo if threshold_keV is None else threshold_keV
        hi = hi if max_keV is None else max_keV
        check_range("max_keV", hi, 0.0, signal.max_recoil_keV, low_inclusive=False, unit="keV")
        check_range("threshold_keV", lo, 0.0, hi, high_inclusive=False, unit="keV")
        defaults = dict(
            position_resolution_cm=exp.resolution.vertex_resolution_cm,
            bin_cm=st.bin_cm,
            n_mc=st.mc_events,
            seed=st.seed,
            norm_sigma=st.prior(st.signal_norm_sigma),
            background_sigma=st.prior(st.background_norm_sigma),
            confidence_level=st.confidence_level,
            dof=st.dof,
        )
        per_flux = events_per_flux_in_window(exp, lo, hi)
        bkg = sum(background_events_in_window(exp, lo, hi).values())
        return cls(exp.detector, exp.source.shape, signal.line_energies_keV, per_flux, bkg, **{**defaults, **kwargs})

    # -- predictions ------------------------------------------------------------------------
    @cached_property
    def response(self):
        return build_distance_response(
            self.detector,
            self.source_shape,
            self.position_resolution_cm,
            self.bin_cm,
            n_events=self.n_mc,
            seed=self.seed,
        )

    @property
    def reco_edges_cm(self) -> np.ndarray:
        return self.response.reco_edges_cm

    @cached_property
    def signal_no_oscillation(self) -> np.ndarray:
        """Signal events per reconstructed-distance bin without oscillations."""
        return self.events_per_flux_cm.sum() * self.response.reco_flux_cm

    @property
    def signal_events(self) -> float:
        return float(self.signal_no_oscillation.sum())

    @cached_property
    def background(self) -> np.ndarray:
        """Background events per reconstructed-distance bin: volume-weighted, vertex-smeared."""
        lo, hi = self.detector.distance_range_cm
        fine = np.linspace(lo, hi, 2001)
        vol = self.detector.volume_in_bins_cm3(fine)
        per_bin = smear_distance_1d(fine, vol / vol.sum(), self.reco_edges_cm, self.position_resolution_cm)
        return self.background_events * per_bin

    def _deficit(self, dm2_eV2) -> np.ndarray:
        """Events lost per unit sin^2(2 theta) in each reco bin, shape dm2.shape + (n_reco,)."""
        dm2 = np.asarray(dm2_eV2, dtype=float)
        r = self.response
        L1, L2 = r.true_edges_cm[:-1], r.true_edges_cm[1:]
        out = np.zeros(dm2.shape + (r.reco_edges_cm.size - 1,))
        for E, k in zip(self.line_energies_keV, self.events_per_flux_cm):
            avg = bin_averaged_sin2(L1, L2, E, dm2[..., None])  # (..., n_true)
            out += k * avg @ r.joint_flux_cm.T
        return out

    def signal(self, sin2_2theta, dm2_eV2) -> np.ndarray:
        """Oscillated signal per reco bin (broadcast: sin2_2theta x dm2 grids)."""
        check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
        check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
        s = np.asarray(sin2_2theta, dtype=float)
        return self.signal_no_oscillation - s[..., None] * self._deficit(dm2_eV2)

    # -- chi^2 ------------------------------------------------------------------------------
    def _masked(self):
        data = self.signal_no_oscillation + self.background
        return data > 0

    def chi2(self, sin2_2theta, dm2_eV2):
        """Profiled chi^2 at (sin^2 2theta, dm2) against no-oscillation Asimov data (broadcasts)."""
        keep = self._masked()
        S = self.signal(sin2_2theta, dm2_eV2)[..., keep]
        B = self.background[keep]
        data = self.signal_no_oscillation[keep] + B
        chi2, _, _ = profiled_gaussian_chi2(S, B, data, self.norm_sigma, self.background_sigma)
        return chi2

    def chi2_grid(self, sin2_2theta_values, dm2_values) -> np.ndarray:
        """chi^2 on the full grid, shape (n_sin2, n_dm2), one vectorised call."""
        s = check_nonempty("sin2_2theta_values", sin2_2theta_values)
        check_range("sin2_2theta_values", s, 0.0, 1.0)
        dm2 = check_nonempty("dm2_values", dm2_values)
        check_non_negative("dm2_values", dm2, "eV^2")
        keep = self._masked()
        deficit = self._deficit(dm2)[:, keep]  # (n_dm2, n_keep)
        S0 = self.signal_no_oscillation[keep]
        B = self.background[keep]
        S = S0[None, None, :] - s[:, None, None] * deficit[None, :, :]
        chi2, _, _ = profiled_gaussian_chi2(S, B, S0 + B, self.norm_sigma, self.background_sigma)
        return chi2

    def sensitivity(self, dm2_values) -> np.ndarray:
        """Smallest sin^2 2theta excluded at the fit's CL (2 dof) for each dm2; ``inf`` where none
        ("no exclusion": even full mixing is allowed there)."""
        dm2 = check_nonempty("dm2_values", dm2_values)
        check_positive("dm2_values", dm2, "eV^2")
        out = np.full(dm2.shape, np.inf)

        def excess(s, m):
            return float(self.chi2(s, m)) - self.delta_chi2

        for idx, m in np.ndenumerate(dm2):
            if excess(1.0, m) <= 0:
                continue
            out[idx] = brentq(excess, 0.0, 1.0, args=(m,), xtol=1e-7, rtol=1e-7)
        return out

    def contour_from_grid(self, sin2_2theta_values, dm2_values, chi2=None) -> np.ndarray:
        """Per dm2 row of a grid, the sin^2 2theta where chi^2 first crosses the threshold
        (interpolated in log sin^2 2theta, linearly next to a grid point at 0); ``inf`` where it
        never does (no exclusion)."""
        s = check_edges("sin2_2theta_values", sin2_2theta_values)
        check_range("sin2_2theta_values", s, 0.0, 1.0)
        m = check_edges("dm2_values", dm2_values)
        c = self.chi2_grid(s, m) if chi2 is None else as_float_array("chi2", chi2)
        if c.shape != (s.size, m.size):
            raise ValueError(
                f"chi2 must have shape (len(sin2_2theta_values), len(dm2_values)) = {(s.size, m.size)}; got {c.shape}"
            )
        if not np.all(np.isfinite(c)) or np.any(c < 0):
            raise ValueError("chi2 must be finite and >= 0 at every grid point")
        out = np.full(c.shape[1], np.inf)
        above = c >= self.delta_chi2
        for j in range(c.shape[1]):
            idx = np.argmax(above[:, j])
            if not above[idx, j]:
                continue
            if idx == 0:
                out[j] = s[0]
                continue
            c0, c1 = c[idx - 1, j], c[idx, j]
            t = (self.delta_chi2 - c0) / (c1 - c0)
            if s[idx - 1] == 0.0:
                out[j] = t * s[idx]
            else:
                out[j] = np.exp(np.log(s[idx - 1]) + t * (np.log(s[idx]) - np.log(s[idx - 1])))
        return out


def sterile_window_keV(experiment: Experiment) -> tuple[float, float]:
    """The sterile analysis' energy window, keV, with ``max_keV = "endpoint"`` resolved for the source."""
    st = experiment.analysis.sterile
    hi = experiment.source.max_recoil_keV if isinstance(st.max_keV, str) else float(st.max_keV)
    return float(st.threshold_keV), hi


def events_per_flux_in_window(experiment: Experiment, low_keV: float, high_keV: float) -> np.ndarray:
    """For each source line, events per unit flux integral (cm^-1) in a reco-energy window."""
    sig = SignalPrediction(experiment)
    edges = fine_true_edges_keV(sig.max_recoil_keV)
    per_line = smeared_window_counts(edges, sig.true_events_per_line(edges), low_keV, high_keV, experiment.resolution)
    return per_line / experiment.detector.flux_integral_cm

r"""Analyses that use every piece of event information: energy T, distance L, time t.

* :class:`MagneticMomentFullFit`: the neutrino magnetic moment from a binned Poisson
  likelihood in any subset of (T, L, t) containing T, with the signal normalisation (source
  activity) and the background normalisation (one or several groups of components) known,
  constrained by a Gaussian prior, or free, profiled by Newton steps
  (:mod:`lxenu.stats.likelihood`). With observables "T" and both normalisations known it *is* the
  paper's analysis, :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit` with the one-sided
  convention.
* :class:`SterileFullFit`: the 3+1 distance-pattern search with observables "L" (the paper's
  analysis, :class:`~lxenu.analyses.sterile.SterileFit`) or "LT" (energy bins as well: the source signal
  and the 136Xe background have different recoil spectra, so their normalisations separate).
  Gaussian chi^2 (sigma_i^2 = D_i, the paper's statistic) with any number of normalisations
  profiled exactly; the whole (sin^2 2theta, dm^2) grid is evaluated from a handful of
  per-dm^2 sums, no loop over grid points.

Which prior to take for the activity: BEST measured its 51Cr source by calorimetry to
3.414 +- 0.008 MCi (0.23 %; :data:`~lxenu.stats.likelihood.BEST_ACTIVITY_RELATIVE_SIGMA`). A background
constrained by source-off running of a given live time has a relative width 1/sqrt(N_off)
(:meth:`MagneticMomentFullFit.source_off_sigmas`).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from ..constants import MU_UNIT
from ..experiment.experiment import Experiment
from ..predict.backgrounds import background_events_in_window, background_true_events
from ..predict.binned import FullInformationPrediction, group_components, parse_observables
from ..predict.response import energy_response_matrix
from ..predict.signal import SignalPrediction, fine_true_edges_keV
from ..stats.chi2 import delta_chi2_threshold
from ..stats.likelihood import PoissonNuisanceModel, check_norm_sigma, profile_gaussian_quadratic, source_off_sigma
from ..validation import as_float_array, check_integer, check_non_negative, check_positive, check_range
from .magnetic_moment import MagneticMomentFit
from .sterile import SterileFit, bin_averaged_sin2, sterile_window_keV

#: Quantiles of the expected band, as standard-normal probabilities.
BAND_QUANTILES = {
    "-2sigma": ndtr(-2.0),
    "-1sigma": ndtr(-1.0),
    "median": 0.5,
    "+1sigma": ndtr(1.0),
    "+2sigma": ndtr(2.0),
}


def _group_sigmas(name: str, sigma, groups) -> tuple:
    """One width per background group from a scalar (same for all) or a dict group -> width."""
    if isinstance(sigma, dict):
        unknown = set(sigma) - set(groups)
        if unknown or set(groups) - set(sigma):
            raise ValueError(f"{name} as a dict must give a width for each group {list(groups)}; got {sigma}")
        return tuple(check_norm_sigma(f"{name}[{g!r}]", sigma[g]) for g in groups)
    s = check_norm_sigma(name, sigma)
    return tuple(s for _ in groups)


#: Default of the sterile fit's normalisation priors: take them from the experiment's settings.
FROM_EXPERIMENT = "experiment"


class MagneticMomentFullFit:
    """mu_nu limits from a binned Poisson likelihood in (T, L, t) with profiled normalisations.

    Parameters
    ----------
    experiment:
        The set-up (paper benchmark by default).
    observables:
        "T", "TL", "Tt" or "TLt" (any order): the event information used.
    signal_norm_sigma:
        Relative width of the signal (source activity) normalisation: 0 known (the paper),
        a float for a Gaussian prior (BEST: :data:`~lxenu.stats.likelihood.BEST_ACTIVITY_RELATIVE_SIGMA`),
        None free.
    background_norm_sigma:
        Same for the background normalisation of each group, or a dict group -> width.
    background_groups:
        "all" (one background normalisation), "xe136" (136Xe and the rest separately) or a dict.
    threshold_keV, max_keV, bin_keV:
        Analysis window and energy bins (paper: 2, 140, 0.1 keV).
    distance_bin_cm, time_bin_days, position_resolution_cm:
        Distance and time binning and the vertex resolution (defaults 10 cm, 10 d, 1 cm).
    confidence_level, convention:
        The limit is where Delta chi^2 reaches
        :func:`~lxenu.stats.chi2.delta_chi2_threshold` (one-sided 95 %: 2.71, as the book uses).
    prediction:
        A :class:`~lxenu.predict.binned.FullInformationPrediction` to reuse (its experiment,
        observables and binning are then taken from it).
    mm_fit:
        A :class:`~lxenu.analyses.magnetic_moment.MagneticMomentFit` of the same experiment,
        ``max_keV`` and ``bin_keV`` whose response sums are reused (saves ~0.3 s per experiment).
    """

    def __init__(
        self,
        experiment=None,
        observables: str = "T",
        signal_norm_sigma=0.0,
        background_norm_sigma=0.0,
        threshold_keV: float | None = None,
        max_keV: float | None = None,
        bin_keV: float | None = None,
        distance_bin_cm: float = 10.0,
        time_bin_days: float = 10.0,
        position_resolution_cm: float | None = None,
        background_groups="all",
        confidence_level: float | None = None,
        convention: str | None = None,
        prediction: FullInformationPrediction | None = None,
        mm_fit=None,
    ):
        if prediction is None:
            axes = parse_observables(observables)
            if "T" not in axes:
                raise ValueError(f"observables must contain T for the magnetic-moment fit; got {observables!r}")
            prediction = FullInformationPrediction(
                experiment,
                "".join(axes),
                threshold_keV,
                max_keV,
                bin_keV,
                distance_bin_cm,
                time_bin_days,
                position_resolution_cm,
                background_groups,
                energy_spectra=None if mm_fit is None else mm_fit.energy_spectra,
            )
        self.prediction = prediction
        self.experiment = prediction.experiment
        self.observables = "".join(prediction.observables)
        self.signal_norm_sigma = check_norm_sigma("signal_norm_sigma", signal_norm_sigma)
        self.background_norm_sigma = background_norm_sigma
        self.background_sigmas = _group_sigmas("background_norm_sigma", background_norm_sigma, prediction.groups)
        mm = self.experiment.analysis.magnetic_moment
        self.confidence_level = mm.confidence_level if confidence_level is None else confidence_level
        self.convention = mm.convention if convention is None else convention
        self.delta_chi2 = delta_chi2_threshold(self.confidence_level, 1, self.convention)

    @cached_property
    def mm_fit(self) -> MagneticMomentFit:
        """The paper's energy-only fit on the prediction's energy spectra (same experiment and bins)."""
        es = self.prediction.energy_spectra
        return MagneticMomentFit(
            self.experiment,
            es.max_keV,
            es.bin_keV,
            self.confidence_level,
            self.convention,
            energy_spectra=es,
        )

    @classmethod
    def from_prediction(cls, prediction: FullInformationPrediction, **kwargs) -> MagneticMomentFullFit:
        """Another set of nuisance assumptions on an already computed prediction."""
        return cls(prediction=prediction, **kwargs)

    @cached_property
    def model(self) -> PoissonNuisanceModel:
        p = self.prediction
        return PoissonNuisanceModel(
            p.signal,
            p.magnetic,
            list(p.backgrounds.values()),
            self.signal_norm_sigma,
            self.background_sigmas,
            magnetic_unscaled=p.magnetic_solar,
        )

    def source_off_sigmas(self, off_live_days: float) -> dict[str, float]:
        """Background widths 1/sqrt(N_off) per group for source-off data of ``off_live_days``."""
        run = self.experiment.run
        return {
            g: source_off_sigma(float(b.sum()), run.live_days, off_live_days)
            for g, b in self.prediction.backgrounds.items()
        }

    # -- statistic and limits -------------------------------------------------------------------
    def chi2(self, mu_muB, observed=None):
        """Profiled chi^2 at mu (mu_B, scalar or array) against the Asimov (SM + background) or
        given data (an array of the prediction's shape)."""
        check_non_negative("mu_muB", mu_muB, "mu_B")
        x = (np.asarray(mu_muB, dtype=float) / MU_UNIT) ** 2
        return self.model.chi2(x, self._flat(observed))

    def profile(self, mu_muB, observed=None):
        """(chi^2, normalisations (a, b_1, ...)) at mu (mu_B)."""
        check_non_negative("mu_muB", mu_muB, "mu_B")
        x = (np.asarray(mu_muB, dtype=float) / MU_UNIT) ** 2
        c, _, theta = self.model.profile(x, self._flat(observed))
        return c, theta

    def _flat(self, observed):
        if observed is None:
            return None
        d = np.asarray(observed, dtype=float)
        if d.shape != self.prediction.shape:
            raise ValueError(f"observed must have the prediction's shape {self.prediction.shape}; got {d.shape}")
        check_non_negative("observed", d)
        return d.ravel()[self.model.keep]

    def best_fit(self, observed) -> tuple[float, np.ndarray]:
        """(mu_hat >= 0 in mu_B, profiled normalisations (a, b_1, ...)) for observed counts."""
        x_hat, _, theta = self.model.best_fit(self._flat(observed))
        return float(np.sqrt(x_hat)) * MU_UNIT, theta

    def limit(self) -> float:
        """Expected (Asimov) upper limit on mu_nu, mu_B (``inf``: no exclusion).

        With energy alone and both normalisations known nothing is profiled and the statistic is
        the paper's: the limit is then :meth:`MagneticMomentFit.limit`'s, to the last digit.
        """
        p = self.prediction
        if self.observables == "T" and self.signal_norm_sigma == 0 and all(s == 0 for s in self.background_sigmas):
            return self.mm_fit.limit(p.threshold_keV)
        return float(np.sqrt(self.model.upper_limit(self.delta_chi2))) * MU_UNIT

    def data_limit(self, observed) -> float:
        """Upper limit (mu_B) for observed counts of the prediction's shape (x_hat >= 0 profiled)."""
        return float(np.sqrt(self.model.upper_limit(self.delta_chi2, self._flat(observed)))) * MU_UNIT

    def pseudo_experiment_limits(self, n: int = 200, seed: int = 20141104) -> np.ndarray:
        """Limits (mu_B) of Poisson pseudo-experiments drawn from the SM signal + background."""
        n = check_integer("n", n, 1)
        rng = np.random.default_rng(seed)
        m = self.model
        data = rng.poisson(m.asimov, size=(n, m.asimov.size)).astype(float)
        return np.array([np.sqrt(m.upper_limit(self.delta_chi2, d)) for d in data]) * MU_UNIT

    def expected_band(self, n: int = 200, seed: int = 20141104) -> dict:
        """Median and 1, 2 sigma quantiles of the pseudo-experiment limits (mu_B)."""
        lim = self.pseudo_experiment_limits(n, seed)
        return {k: float(np.quantile(lim, p)) for k, p in BAND_QUANTILES.items()}


def band_with_errors(limits_muB, n_boot: int = 1000, seed: int = 1) -> dict:
    """{quantile: (limit, statistical error)} of pseudo-experiment limits (mu_B).

    The quantiles of :data:`BAND_QUANTILES`; each error is the standard deviation of that quantile
    over ``n_boot`` bootstrap resamplings of the limits (seeded): what a finite number of
    pseudo-experiments leaves uncertain.
    """
    lim = np.asarray(limits_muB, dtype=float).ravel()
    if lim.size < 2 or np.any(np.isnan(lim)):
        raise ValueError(f"limits_muB must hold at least 2 limits and no NaN; got {lim.size} values")
    n_boot = check_integer("n_boot", n_boot, 2)
    rng = np.random.default_rng(check_integer("seed", seed, 0))
    boot = rng.choice(lim, size=(n_boot, lim.size), replace=True)
    return {
        k: (float(np.quantile(lim, p)), float(np.std(np.quantile(boot, p, axis=1), ddof=1)))
        for k, p in BAND_QUANTILES.items()
    }


#: The four assumptions on the normalisations: (signal_norm_sigma, background_norm_sigma).
NORMALISATION_ASSUMPTIONS = {
    "both known": (0.0, 0.0),
    "signal free": (None, 0.0),
    "background free": (0.0, None),
    "both free": (None, None),
}


def mu_limit_table(
    experiment=None, observables=("T", "TL", "Tt", "TLt"), assumptions=None, predictions=None, **kwargs
) -> dict:
    """Asimov mu_nu limits (mu_B) for each set of observables and assumption on the normalisations.

    ``assumptions`` maps a label to (signal_norm_sigma, background_norm_sigma)
    (default :data:`NORMALISATION_ASSUMPTIONS`); ``kwargs`` go to
    :class:`~lxenu.predict.binned.FullInformationPrediction` (threshold, binning, groups; ``mm_fit`` or
    ``energy_spectra`` to reuse the energy spectra). ``predictions``, a dict {observables: prediction},
    is used where it has an entry and filled where it has not, so that later calls reuse them.
    Returns {observables: {label: limit}}; each prediction is built once.
    """
    exp = Experiment() if experiment is None else experiment
    assumptions = NORMALISATION_ASSUMPTIONS if assumptions is None else assumptions
    mm_fit = kwargs.pop("mm_fit", None)
    spectra = kwargs.pop("energy_spectra", None) or (None if mm_fit is None else mm_fit.energy_spectra)
    predictions = {} if predictions is None else predictions
    table = {}
    for obs in observables:
        key = "".join(parse_observables(obs))
        pred = predictions.get(key)
        if pred is None or pred.experiment != exp:
            pred = FullInformationPrediction(exp, key, energy_spectra=spectra, **kwargs)
            predictions[key] = pred
        spectra = pred.energy_spectra
        table[obs] = {
            label: MagneticMomentFullFit.from_prediction(pred, signal_norm_sigma=s, background_norm_sigma=b).limit()
            for label, (s, b) in assumptions.items()
        }
    return table


class SterileFullFit:
    """3+1 sensitivity from the distance pattern ("L") or distance and energy ("LT").

    Parameters
    ----------
    experiment:
        The set-up (paper benchmark by default).
    observables:
        "L" (the paper) or "LT".
    threshold_keV, max_keV:
        Reconstructed-energy window (paper: 5 keV to the maximum recoil, 559 keV).
    energy_bin_keV:
        Width of the energy bins for "LT", keV (default 25 keV; the last bin may be shorter).
    signal_norm_sigma:
        None free (the paper: shape only), 0 known, float a Gaussian prior.
    background_norm_sigma:
        Width per background group (paper: 0.005 on the total), or a dict group -> width.
    background_groups:
        "all" or "xe136" (136Xe and the rest normalised separately) or a dict.
    bin_cm, position_resolution_cm, n_mc, seed, response:
        The distance response, as for :class:`~lxenu.analyses.sterile.SterileFit` (3 cm, 1 cm, 1e6, 51).
    """

    def __init__(
        self,
        experiment=None,
        observables: str = "L",
        threshold_keV: float | None = None,
        max_keV=None,
        energy_bin_keV: float = 25.0,
        signal_norm_sigma=FROM_EXPERIMENT,
        background_norm_sigma=FROM_EXPERIMENT,
        background_groups="all",
        bin_cm: float | None = None,
        position_resolution_cm: float | None = None,
        n_mc: int | None = None,
        seed: int | None = None,
        response=None,
        confidence_level: float | None = None,
    ):
        self.experiment = Experiment() if experiment is None else experiment
        st = self.experiment.analysis.sterile
        lo, hi = sterile_window_keV(self.experiment)
        threshold_keV = lo if threshold_keV is None else threshold_keV
        max_keV = hi if max_keV is None else max_keV
        if isinstance(signal_norm_sigma, str) and signal_norm_sigma == FROM_EXPERIMENT:
            signal_norm_sigma = st.prior(st.signal_norm_sigma)
        if isinstance(background_norm_sigma, str) and background_norm_sigma == FROM_EXPERIMENT:
            background_norm_sigma = st.prior(st.background_norm_sigma)
        bin_cm = st.bin_cm if bin_cm is None else bin_cm
        if position_resolution_cm is None:
            position_resolution_cm = self.experiment.resolution.vertex_resolution_cm
        n_mc = st.mc_events if n_mc is None else n_mc
        seed = st.seed if seed is None else seed
        confidence_level = st.confidence_level if confidence_level is None else confidence_level
        axes = parse_observables(observables, "LT")
        if "L" not in axes:
            raise ValueError(f"observables must be 'L' or 'LT' for the sterile fit; got {observables!r}")
        self.observables = "".join(axes)
        self.energy_bin_keV = float(check_positive("energy_bin_keV", energy_bin_keV, "keV"))
        self.signal_norm_sigma = check_norm_sigma("signal_norm_sigma", signal_norm_sigma)
        self.distance_fit = SterileFit.for_experiment(
            self.experiment,
            threshold_keV,
            max_keV,
            bin_cm=bin_cm,
            position_resolution_cm=position_resolution_cm,
            n_mc=n_mc,
            seed=seed,
            response=response,
        )
        self.threshold_keV = float(threshold_keV)
        self.max_keV = float(max_keV)
        names = list(background_true_events(self.experiment, np.array([1.0, 2.0])).keys())
        self.groups = group_components(names, background_groups)
        self.background_sigmas = _group_sigmas("background_norm_sigma", background_norm_sigma, self.groups)
        free_bkg = sum(s is None for s in self.background_sigmas)
        if self.observables == "L" and free_bkg + (self.signal_norm_sigma is None) > 1 and len(self.groups) > 1:
            raise ValueError(
                "with observables 'L' every background group has the same shape: at most one "
                "normalisation (signal or background) can be free"
            )
        self.confidence_level = confidence_level
        self.delta_chi2 = delta_chi2_threshold(confidence_level, self.distance_fit.dof)

    # -- predictions ---------------------------------------------------------------------------
    @property
    def response(self):
        return self.distance_fit.response

    @cached_property
    def energy_edges_keV(self) -> np.ndarray:
        """Reconstructed-energy edges: one window for "L", bins of ``energy_bin_keV`` for "LT"."""
        lo, hi = self.threshold_keV, self.max_keV
        if self.observables == "L":
            return np.array([lo, hi])
        n = max(1, int(np.ceil((hi - lo) / self.energy_bin_keV - 1e-9)))  # one bin if wider than the window
        return np.minimum(lo + np.arange(n + 1) * self.energy_bin_keV, hi)

    @cached_property
    def events_per_flux_cm(self) -> np.ndarray:
        """Signal events per unit flux integral in each energy bin and line, shape (n_T, n_lines)."""
        if self.observables == "L":
            return self.distance_fit.events_per_flux_cm[None, :]
        exp = self.experiment
        sig = SignalPrediction(exp)
        edges = fine_true_edges_keV(sig.max_recoil_keV)
        R = energy_response_matrix(edges, self.energy_edges_keV, exp.resolution)
        return R @ sig.true_events_per_line(edges).T / exp.detector.flux_integral_cm

    @cached_property
    def background_energy(self) -> np.ndarray:
        """Background events in each energy bin for each group, shape (n_groups, n_T)."""
        exp = self.experiment
        if self.observables == "L":
            comps = background_events_in_window(exp, self.threshold_keV, self.max_keV)
            return np.array([[sum(comps[c] for c in names)] for names in self.groups.values()])
        top = self.max_keV + 10.0 * float(exp.resolution.sigma_keV(self.max_keV)) + 1.0
        edges = fine_true_edges_keV(top)
        R = energy_response_matrix(edges, self.energy_edges_keV, exp.resolution)
        comps = {k: R @ v for k, v in background_true_events(exp, edges).items()}
        return np.array([sum((comps[c] for c in names), np.zeros(R.shape[0])) for names in self.groups.values()])

    @cached_property
    def background_distance_fraction(self) -> np.ndarray:
        """Fraction of a uniform background per reconstructed-distance bin (the SterileFit shape)."""
        fit = self.distance_fit
        return fit.background / fit.background_events

    @cached_property
    def signal_no_oscillation(self) -> np.ndarray:
        """Signal per (T, L) bin without oscillation, shape (n_T, n_L)."""
        return np.outer(self.events_per_flux_cm.sum(axis=1), self.response.reco_flux_cm)

    @cached_property
    def backgrounds(self) -> np.ndarray:
        """Background per group and (T, L) bin, shape (n_groups, n_T, n_L)."""
        return self.background_energy[:, :, None] * self.background_distance_fraction[None, None, :]

    def line_deficits(self, dm2_eV2) -> np.ndarray:
        """Flux integral (cm) lost per unit sin^2 2theta per line and reco-L bin, shape dm2.shape + (n_lines, n_L)."""
        dm2 = np.asarray(dm2_eV2, dtype=float)
        r = self.response
        L1, L2 = r.true_edges_cm[:-1], r.true_edges_cm[1:]
        E = self.distance_fit.line_energies_keV
        avg = bin_averaged_sin2(L1, L2, E[:, None], dm2[..., None, None])  # (..., n_lines, n_true)
        return avg @ r.joint_flux_cm.T

    def signal(self, sin2_2theta, dm2_eV2) -> np.ndarray:
        """Oscillated signal per (T, L) bin, shape broadcast(s, dm2) + (n_T, n_L)."""
        check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
        check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
        s = np.asarray(sin2_2theta, dtype=float)
        d = self.line_deficits(dm2_eV2)  # (..., n_lines, n_L)
        deficit = np.einsum("tl,...lL->...tL", self.events_per_flux_cm, d)
        return self.signal_no_oscillation - s[..., None, None] * deficit

    # -- the chi^2 from per-dm2 sums -----------------------------------------------------------
    @cached_property
    def _sums(self):
        """Constant weighted sums over the bins (weights 1 / D_i, Asimov data D = S0 + B)."""
        S0 = self.signal_no_oscillation
        B = self.backgrounds
        D = S0 + B.sum(axis=0)
        w = np.where(D > 0, 1.0 / np.where(D > 0, D, 1.0), 0.0)
        e = self.events_per_flux_cm  # (n_T, n_lines)
        return {
            "A0": np.sum(w * S0 * S0),
            "C0": np.einsum("tL,tL,gtL->g", w, S0, B),
            "G": np.einsum("tL,gtL,htL->gh", w, B, B),
            "U": np.einsum("tL,tL,tl->lL", w, S0, e),
            "W": np.einsum("tL,tl,tk->lkL", w, e, e),
            "V": np.einsum("tL,tl,gtL->lgL", w, e, B),
        }

    def _dm2_sums(self, dm2):
        d = self.line_deficits(dm2)  # (n_m, n_lines, n_L)
        s = self._sums
        A1 = np.einsum("mlL,lL->m", d, s["U"])
        A2 = np.einsum("mlL,lkL,mkL->m", d, s["W"], d)
        E = np.einsum("mlL,lgL->mg", d, s["V"])
        return A1, A2, E

    def _chi2_from_sums(self, s, A1, A2, E):
        """chi^2 at sin^2 2theta = s (shape (..., 1) against per-dm2 sums (n_m,)) with the nuisances profiled."""
        c = self._sums
        n_g = c["G"].shape[0]
        shape = np.broadcast_shapes(np.shape(s), A1.shape)
        K = 1 + n_g
        A = np.empty(shape + (K, K))
        g = np.empty(shape + (K,))
        A[..., 0, 0] = c["A0"] - 2.0 * s * A1 + s * s * A2
        Sab = c["C0"] - s[..., None] * E  # (..., n_g)
        A[..., 0, 1:] = Sab
        A[..., 1:, 0] = Sab
        A[..., 1:, 1:] = c["G"]
        g[..., 0] = -s * A1 + s * s * A2
        g[..., 1:] = -s[..., None] * E
        Srr = s * s * A2
        sigmas = (self.signal_norm_sigma,) + self.background_sigmas
        free = np.array([sg is None or sg > 0 for sg in sigmas])
        prec = np.array([0.0 if (sg is None or sg == 0) else 1.0 / sg**2 for sg in sigmas])
        if not free.any():
            return np.clip(Srr, 0.0, None)
        chi2, _ = profile_gaussian_quadratic(Srr, g[..., free], A[..., free, :][..., free], prec[free])
        return chi2

    def chi2(self, sin2_2theta, dm2_eV2):
        """Profiled chi^2 at (sin^2 2theta, dm2), broadcasting the two, against no-oscillation Asimov data."""
        check_range("sin2_2theta", sin2_2theta, 0.0, 1.0)
        check_non_negative("dm2_eV2", dm2_eV2, "eV^2")
        s, m = np.broadcast_arrays(np.asarray(sin2_2theta, dtype=float), np.asarray(dm2_eV2, dtype=float))
        A1, A2, E = self._dm2_sums(m.ravel())
        return self._chi2_from_sums(s.ravel(), A1, A2, E).reshape(s.shape)

    def chi2_grid(self, sin2_2theta_values, dm2_values) -> np.ndarray:
        """chi^2 on the full grid, shape (n_sin2, n_dm2), one vectorised evaluation."""
        s = np.atleast_1d(np.asarray(sin2_2theta_values, dtype=float))
        check_range("sin2_2theta_values", s, 0.0, 1.0)
        m = np.atleast_1d(np.asarray(dm2_values, dtype=float))
        check_non_negative("dm2_values", m, "eV^2")
        A1, A2, E = self._dm2_sums(m)
        return self._chi2_from_sums(s[:, None], A1[None, :], A2[None, :], E[None, :, :])

    def sensitivity(self, dm2_values) -> np.ndarray:
        """Smallest sin^2 2theta excluded at the fit's CL (2 dof) for each dm2; ``inf`` where nothing
        is (no exclusion, as :meth:`lxenu.analyses.sterile.SterileFit.sensitivity`)."""
        dm2 = np.atleast_1d(as_float_array("dm2_values", dm2_values))
        check_positive("dm2_values", dm2, "eV^2")
        A1, A2, E = self._dm2_sums(dm2.ravel())
        out = np.full(dm2.size, np.inf)
        for j in range(dm2.size):

            def excess(s, j=j):
                return float(self._chi2_from_sums(np.array(s), A1[j], A2[j], E[j])) - self.delta_chi2

            if excess(1.0) > 0:
                out[j] = brentq(excess, 0.0, 1.0, xtol=1e-14, rtol=1e-12)
        return out.reshape(dm2.shape)

    def contour_from_grid(self, sin2_2theta_values, dm2_values, chi2=None) -> np.ndarray:
        """Per dm2 column of a grid, the sin^2 2theta where chi^2 first crosses the threshold
        (as :meth:`lxenu.analyses.sterile.SterileFit.contour_from_grid`); ``inf`` where it never does."""
        c = self.chi2_grid(sin2_2theta_values, dm2_values) if chi2 is None else chi2
        return self.distance_fit.contour_from_grid(sin2_2theta_values, dm2_values, chi2=c)

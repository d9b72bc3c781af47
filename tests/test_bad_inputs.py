"""A corpus of bad inputs: each must raise ValueError naming the parameter the user wrote (issue 11).

Python API here (public classes and the low-level functions a user may call); the command
line and experiment files in ``test_experiment_files.py`` and below.
"""

import numpy as np
import pytest

from lxenu.analyses.full_information import MagneticMomentFullFit
from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.analyses.sterile import SterileFit
from lxenu.analyses.summary import compute_summary
from lxenu.experiment.analysis import MagneticMomentSettings, SterileSettings
from lxenu.experiment.backgrounds import BackgroundModel
from lxenu.experiment.experiment import Experiment
from lxenu.experiment.geometry import CylindricalDetector, SphericalDetector
from lxenu.experiment.response import DetectorResponse, EnergyResolution
from lxenu.experiment.source import CylindricalSourceShape, LineSource, NeutrinoLine, RunPlan
from lxenu.experiment.target import target_named
from lxenu.physics import cross_section as xs
from lxenu.physics import oscillation as osc
from lxenu.physics.backgrounds import Krypton85, Radon222, Xenon136DoubleBeta
from lxenu.physics.double_ec import Xenon124DoubleEC
from lxenu.physics.solar import SolarNeutrinos
from lxenu.predict.backgrounds import background_events_in_window, events_per_tonne_day
from lxenu.predict.response import energy_response_matrix, window_efficiency
from lxenu.predict.signal import SignalPrediction, fine_true_edges_keV
from lxenu.report import explorer
from lxenu.stats.chi2 import delta_chi2_threshold, poisson_chi2, profiled_gaussian_chi2

NAN = float("nan")
INF = float("inf")


@pytest.fixture(scope="module")
def exp():
    return Experiment()


@pytest.fixture(scope="module")
def mm(exp):
    return MagneticMomentFit(exp)


@pytest.fixture(scope="module")
def st(exp):
    return SterileFit.for_experiment(exp, n_mc=20_000)


E = Experiment()

# (id, callable taking the fixtures dict, the name the message must contain)
CASES = [
    # -- source, run -----------------------------------------------------------------------------
    ("activity negative", lambda f: LineSource(activity_MCi=-5), "activity_MCi"),
    ("activity zero", lambda f: LineSource(activity_MCi=0), "activity_MCi"),
    ("activity nan", lambda f: LineSource(activity_MCi=NAN), "activity_MCi"),
    ("activity inf", lambda f: LineSource(activity_MCi=INF), "activity_MCi"),
    ("activity absurd", lambda f: LineSource(activity_MCi=1e308), "activity_MCi"),
    ("activity string", lambda f: LineSource(activity_MCi="5"), "activity_MCi"),
    ("activity None", lambda f: LineSource(activity_MCi=None), "activity_MCi"),
    ("activity bool", lambda f: LineSource(activity_MCi=True), "activity_MCi"),
    ("activity list", lambda f: LineSource(activity_MCi=[5.0]), "activity_MCi"),
    ("mean life zero", lambda f: LineSource(mean_life_days=0), "mean_life_days"),
    ("no lines", lambda f: LineSource(lines=()), "lines"),
    ("lines not lines", lambda f: LineSource(lines=(750.0,)), "lines"),
    (
        "branchings above one",
        lambda f: LineSource(lines=(NeutrinoLine(750, 0.9), NeutrinoLine(430, 0.9))),
        "branchings",
    ),
    ("line energy negative", lambda f: NeutrinoLine(-750, 0.9), "energy_keV"),
    ("line branching > 1", lambda f: NeutrinoLine(750, 1.5), "branching"),
    ("line branching nan", lambda f: NeutrinoLine(750, NAN), "branching"),
    ("line label number", lambda f: NeutrinoLine(750, 0.9, 7), "label"),
    ("source diameter negative", lambda f: CylindricalSourceShape(diameter_cm=-1), "diameter_cm"),
    ("unknown preset", lambda f: LineSource.from_preset("cr52"), "source must be one of the presets"),
    ("decays stop nan", lambda f: LineSource().decays_between(0, NAN), "t_stop_days"),
    ("decays start negative", lambda f: LineSource().decays_between(-1, 10), "t_start_days"),
    ("decays reversed", lambda f: LineSource().decays_between(10, 5), "t_stop_days"),
    ("decays string", lambda f: LineSource().decays_between("0", 10), "t_start_days"),
    ("activity at negative time", lambda f: LineSource().activity_MCi_at(-1), "t_days"),
    ("neutrinos per line negative", lambda f: LineSource().neutrinos_per_line(-1), "n_decays"),
    ("days zero", lambda f: RunPlan(days=0), "days"),
    ("days nan", lambda f: RunPlan(days=NAN), "days"),
    ("days None", lambda f: RunPlan(days=None), "days"),
    ("start day negative", lambda f: RunPlan(start_day=-3), "start_day"),
    ("deployments fractional", lambda f: RunPlan(deployments=1.5), "deployments"),
    ("deployments zero", lambda f: RunPlan(deployments=0), "deployments"),
    ("deployments bool", lambda f: RunPlan(deployments=True), "deployments"),
    ("deployments absurd", lambda f: RunPlan(deployments=10**6), "deployments"),
    # -- detector, target ------------------------------------------------------------------------
    ("height negative", lambda f: CylindricalDetector(height_m=-1), "height_m"),
    ("diameter nan", lambda f: CylindricalDetector(diameter_m=NAN), "diameter_m"),
    ("gap zero", lambda f: CylindricalDetector(gap_m=0), "gap_m"),
    ("gap absurd", lambda f: CylindricalDetector(gap_m=1e9), "gap_m"),
    ("density string", lambda f: CylindricalDetector(density_g_cm3="2.9"), "density_g_cm3"),
    ("density absurd", lambda f: CylindricalDetector(density_g_cm3=1e3), "density_g_cm3"),
    ("unknown target", lambda f: CylindricalDetector(target="argon"), "target"),
    ("target not a name", lambda f: CylindricalDetector(target=54), "target"),
    ("sphere source inside", lambda f: SphericalDetector(radius_m=5, distance_m=4), "distance_m"),
    ("sphere radius negative", lambda f: SphericalDetector(radius_m=-1), "radius_m"),
    ("flux bins decreasing", lambda f: E.detector.flux_in_bins_cm([150, 120]), "edges_cm"),
    ("flux bins nan", lambda f: E.detector.flux_in_bins_cm([100, NAN]), "edges_cm"),
    ("volume bins one edge", lambda f: E.detector.volume_in_bins_cm3([100]), "edges_cm"),
    ("volume bins strings", lambda f: E.detector.volume_in_bins_cm3(["a", "b"]), "edges_cm"),
    ("sampler negative n", lambda f: E.detector.sample_flux_weighted_points_cm(-5, np.random.default_rng(1)), "n must"),
    ("flux MC n=1", lambda f: E.detector.flux_integral_mc_cm(1, np.random.default_rng(1)), "n must"),
    ("target lookup", lambda f: target_named("neon"), "target"),
    # -- response --------------------------------------------------------------------------------
    ("resolution negative", lambda f: EnergyResolution(stochastic_keV_sqrt=-0.2), "stochastic_keV_sqrt"),
    ("resolution nan", lambda f: EnergyResolution(noise_keV=NAN), "noise_keV"),
    ("vertex resolution negative", lambda f: DetectorResponse(vertex_resolution_cm=-1), "vertex_resolution_cm"),
    (
        "response matrix decreasing",
        lambda f: energy_response_matrix([1, 2, 3], [5, 4], EnergyResolution()),
        "reco_edges_keV",
    ),
    (
        "response matrix true edges",
        lambda f: energy_response_matrix([3, 2], [1, 5], EnergyResolution()),
        "true_edges_keV",
    ),
    ("window reversed", lambda f: window_efficiency([10.0], 5.0, 2.0, EnergyResolution()), "high_keV"),
    ("fine edges negative", lambda f: fine_true_edges_keV(-10), "T_high_keV"),
    # -- cross sections --------------------------------------------------------------------------
    ("E negative", lambda f: xs.weak_dsigma_dT(10.0, -750.0), "E_keV"),
    ("E nan", lambda f: xs.sigma_total(NAN), "E_keV"),
    ("E string", lambda f: xs.sigma_total("750"), "E_keV"),
    ("flavour", lambda f: xs.couplings("sterile"), "flavour"),
    ("sin2 theta_W", lambda f: xs.couplings("e", 1.5), "sin2_theta_w"),
    ("T2 below T1", lambda f: xs.weak_sigma_between(10.0, 5.0, 750.0), "T2_keV"),
    ("magnetic T1 zero", lambda f: xs.magnetic_sigma_between(0.0, 5.0, 750.0), "T1_keV"),
    ("mu negative", lambda f: xs.magnetic_dsigma_dT(10.0, 750.0, -1e-11), "mu_nu_muB"),
    ("t_max negative", lambda f: xs.t_max_keV(-1.0), "E_keV"),
    ("T nan", lambda f: xs.weak_sigma_between(NAN, 5.0, 750.0), "T1_keV"),
    ("binding flag string", lambda f: xs.dsigma_dT(10.0, 750.0, atomic_binding="no"), "atomic_binding"),
    (
        "binding flag string between",
        lambda f: xs.weak_sigma_between(1.0, 5.0, 750.0, atomic_binding="no"),
        "atomic_binding",
    ),
    # -- oscillations ----------------------------------------------------------------------------
    ("sin2 2theta > 1", lambda f: osc.survival_probability(100.0, 750.0, 1.5, 1.0), "sin2_2theta"),
    ("dm2 negative", lambda f: osc.survival_probability(100.0, 750.0, 0.1, -1.0), "dm2_eV2"),
    ("E zero phase", lambda f: osc.oscillation_phase_per_cm(1.0, 0.0), "E_keV"),
    ("first minimum dm2 zero", lambda f: osc.first_minimum_cm(750.0, 0.0), "dm2_eV2"),
    ("bin average dm2 nan", lambda f: osc.bin_averaged_sin2(100.0, 103.0, 750.0, NAN), "dm2_eV2"),
    # -- statistics ------------------------------------------------------------------------------
    ("CL above one", lambda f: delta_chi2_threshold(1.5), "confidence_level"),
    ("CL one-sided below half", lambda f: delta_chi2_threshold(0.4, 1, "one_sided"), "confidence_level"),
    ("convention", lambda f: delta_chi2_threshold(0.95, 1, "both"), "convention"),
    ("one-sided with 2 dof", lambda f: delta_chi2_threshold(0.95, 2, "one_sided"), "dof"),
    ("dof zero", lambda f: delta_chi2_threshold(0.95, 0), "dof"),
    ("poisson negative prediction", lambda f: poisson_chi2([-1.0, 2.0], [1.0, 2.0]), "predicted"),
    ("poisson negative data", lambda f: poisson_chi2([1.0, 2.0], [-1.0, 2.0]), "observed"),
    ("gaussian data zero", lambda f: profiled_gaussian_chi2([1.0], [1.0], [0.0]), "data"),
    ("gaussian prior negative", lambda f: profiled_gaussian_chi2([1.0], [1.0], [2.0], -0.1), "sigma_signal"),
    # -- backgrounds -----------------------------------------------------------------------------
    ("Kr negative", lambda f: Krypton85(natkr_ppt=-1), "natkr_ppt"),
    ("Kr fraction", lambda f: Krypton85(kr85_fraction=2), "kr85_fraction"),
    ("Rn nan", lambda f: Radon222(activity_uBq_per_kg=NAN), "activity_uBq_per_kg"),
    ("Xe depletion", lambda f: Xenon136DoubleBeta(depletion=1.2), "depletion"),
    ("Xe half-life", lambda f: Xenon136DoubleBeta(half_life_yr=0), "half_life_yr"),
    ("Xe spectrum model", lambda f: Xenon136DoubleBeta(spectrum_model="exact"), "spectrum_model"),
    ("124Xe half-life", lambda f: Xenon124DoubleEC(half_life_yr=-1), "half_life_yr"),
    ("solar component", lambda f: SolarNeutrinos(components=("8B-hep",)), "components"),
    ("solar flux scale", lambda f: SolarNeutrinos(flux_scale=-1), "flux_scale"),
    ("background scale", lambda f: BackgroundModel(scale=-1), "scale"),
    ("background edges", lambda f: events_per_tonne_day(BackgroundModel(), [5, 2]), "edges_keV"),
    (
        "background component key",
        lambda f: BackgroundModel().replace_component("radon", activity_uBq_per_kg=1),
        "component",
    ),
    ("solar line", lambda f: SolarNeutrinos().line_rate_per_tonne_day("7Be", 500.0), "line_keV"),
    # -- experiment ------------------------------------------------------------------------------
    ("sin2 theta_W experiment", lambda f: Experiment(sin2_theta_w=2.0), "sin2_theta_w"),
    ("atomic_binding string", lambda f: Experiment(atomic_binding="no"), "atomic_binding"),
    ("sphere with xenon backgrounds", lambda f: Experiment(detector=SphericalDetector()), "backgrounds"),
    ("detector not a detector", lambda f: Experiment(detector="xenonnt"), "detector"),
    ("source not a source", lambda f: Experiment(source=5.0), "source"),
    ("unknown preset file", lambda f: Experiment.from_file("nope"), "experiment must be one of the presets"),
    ("window reversed", lambda f: background_events_in_window(E, 10.0, 5.0), "high_keV"),
    ("window negative", lambda f: background_events_in_window(E, -1.0, 5.0), "low_keV"),
    ("signal window reversed", lambda f: SignalPrediction(E).events_in_window(10.0, 5.0), "high_keV"),
    ("signal edges decreasing", lambda f: SignalPrediction(E).true_events([5.0, 2.0]), "edges_keV"),
    ("signal magnetic at zero", lambda f: SignalPrediction(E).total_events(mu_nu_muB=1e-11), "T_min_keV"),
    ("signal mu negative", lambda f: SignalPrediction(E).true_events([1.0, 2.0], -1e-11), "mu_nu_muB"),
    ("with_options depletion", lambda f: E.with_options(xe136_depletion=2.0), "depletion"),
    ("with_options days", lambda f: E.with_options(days=-1.0), "days"),
    # -- analysis settings and fits --------------------------------------------------------------
    ("mm threshold zero", lambda f: MagneticMomentSettings(threshold_keV=0.0), "threshold_keV"),
    ("mm bin too wide", lambda f: MagneticMomentSettings(bin_keV=200.0), "bin_keV"),
    ("mm bin not dividing", lambda f: MagneticMomentSettings(bin_keV=0.3), "bin_keV"),
    ("mm convention", lambda f: MagneticMomentSettings(convention="upper"), "convention"),
    ("mm one-sided CL", lambda f: MagneticMomentSettings(confidence_level=0.3), "confidence_level"),
    ("sterile bin zero", lambda f: SterileSettings(bin_cm=0.0), "bin_cm"),
    ("sterile dof 3", lambda f: SterileSettings(dof=3), "dof"),
    ("sterile prior word", lambda f: SterileSettings(signal_norm_sigma="loose"), "signal_norm_sigma"),
    ("sterile max word", lambda f: SterileSettings(max_keV="edge"), "max_keV"),
    ("sterile mc events", lambda f: SterileSettings(mc_events=10), "mc_events"),
    ("fit bin 200 keV", lambda f: MagneticMomentFit(bin_keV=200.0), "bin_keV"),
    ("fit window above edge", lambda f: MagneticMomentFit(max_keV=1000.0), "max_keV"),
    ("fit convention", lambda f: MagneticMomentFit(convention="two-sided"), "convention"),
    ("fit not an experiment", lambda f: MagneticMomentFit("paper2014"), "experiment"),
    ("full fit not an experiment", lambda f: MagneticMomentFullFit("paper2014"), "experiment"),
    ("explorer inputs not an experiment", lambda f: explorer.sterile_inputs("paper2014"), "experiment"),
    ("limit threshold negative", lambda f: f["mm"].limit(-1.0), "threshold_keV"),
    ("limit threshold nan", lambda f: f["mm"].limit(NAN), "threshold_keV"),
    ("limit threshold above window", lambda f: f["mm"].limit(200.0), "threshold_keV"),
    ("limit signal scale zero", lambda f: f["mm"].limit(2.0, signal_scale=0.0), "signal_scale"),
    ("limit background scale negative", lambda f: f["mm"].limit(2.0, background_scale=-1.0), "background_scale"),
    ("chi2 mu negative", lambda f: f["mm"].chi2(-1e-12), "mu_muB"),
    ("limit_for deployments", lambda f: f["mm"].limit_for(deployments=2.5), "deployments"),
    ("limit_for mass", lambda f: f["mm"].limit_for(mass_scale=-1.0), "mass_scale"),
    ("pseudo-experiments n", lambda f: f["mm"].pseudo_experiment_limits(n=0), "n must"),
    ("threshold scan nan", lambda f: f["mm"].threshold_scan([2.0, NAN]), "threshold_keV"),
    ("sterile threshold", lambda f: SterileFit.for_experiment(E, threshold_keV=600.0, n_mc=20_000), "threshold_keV"),
    ("sterile max", lambda f: SterileFit.for_experiment(E, max_keV=5000.0, n_mc=20_000), "max_keV"),
    ("sterile dm2 negative", lambda f: f["st"].sensitivity([-1.0]), "dm2_values"),
    ("sterile dm2 string", lambda f: f["st"].sensitivity(["1"]), "dm2_values"),
    ("sterile grid sin2", lambda f: f["st"].chi2_grid([0.1, 2.0], [1.0]), "sin2_2theta_values"),
    ("contour grid decreasing", lambda f: f["st"].contour_from_grid([0.5, 0.1], [1.0, 2.0]), "sin2_2theta_values"),
    ("contour dm2 decreasing", lambda f: f["st"].contour_from_grid([0.1, 0.5], [2.0, 1.0]), "dm2_values"),
    ("contour chi2 shape", lambda f: f["st"].contour_from_grid([0.1, 0.5], [1.0, 2.0], chi2=np.zeros((3, 3))), "chi2"),
    ("sterile n_mc", lambda f: SterileFit.for_experiment(E, n_mc=10), "n_mc"),
    ("sterile prior negative", lambda f: SterileFit.for_experiment(E, norm_sigma=-0.02, n_mc=20_000), "norm_sigma"),
    # -- added with the validation of issue 11 (wrong types, non-finite, out of range) -----------
    ("experiment run string", lambda f: Experiment(run="100"), "run"),
    ("experiment resolution number", lambda f: Experiment(resolution=0.2), "resolution"),
    ("experiment backgrounds None", lambda f: Experiment(backgrounds=None), "backgrounds"),
    ("experiment analysis dict", lambda f: Experiment(analysis={}), "analysis"),
    ("experiment name None", lambda f: Experiment(name=None), "name"),
    ("from_file None", lambda f: Experiment.from_file(None), "name_or_path"),
    ("from_file number", lambda f: Experiment.from_file(5), "name_or_path"),
    ("option source_mci nan", lambda f: E.with_options(source_mci=NAN), "source_mci"),
    ("option source_mci absurd", lambda f: E.with_options(source_mci=1e308), "source_mci"),
    ("option xe136_depletion", lambda f: E.with_options(xe136_depletion=-0.1), "xe136_depletion"),
    ("option background_scale", lambda f: E.with_options(background_scale=INF), "background_scale"),
    ("option four_lines 'no'", lambda f: E.with_options(four_lines="no"), "four_lines"),
    ("source shape None", lambda f: LineSource(shape=None), "shape"),
    ("source nuclide number", lambda f: LineSource(nuclide=51), "nuclide"),
    ("line zero branching", lambda f: NeutrinoLine(750.0, 0.0), "branching"),
    ("deployments nan", lambda f: RunPlan(deployments=NAN), "deployments"),
    ("run days tiny", lambda f: RunPlan(days=1e-9), "days"),
    ("source_decays string", lambda f: RunPlan().source_decays("cr51"), "source"),
    ("flux bins negative", lambda f: E.detector.flux_in_bins_cm([-10.0, 120.0]), "edges_cm"),
    ("cumulative flux nan", lambda f: E.detector.cumulative_flux_cm(NAN), "L_cm"),
    ("solid angle nan", lambda f: E.detector.solid_angle_fraction(NAN), "L_cm"),
    ("cos limits string", lambda f: E.detector.cos_limits("a"), "L_cm"),
    ("sampler rng string", lambda f: E.detector.sample_flux_weighted_points_cm(10, "rng"), "rng"),
    ("sphere xenon no density", lambda f: SphericalDetector(target="xenon"), "density_g_cm3"),
    ("dsigma negative T", lambda f: xs.dsigma_dT(-10.0, 750.0), "T_keV"),
    ("magnetic dsigma negative T", lambda f: xs.magnetic_dsigma_dT(-10.0, 750.0, 1e-11), "T_keV"),
    ("weak dsigma shapes", lambda f: xs.weak_dsigma_dT([1.0, 2.0], [750.0, 430.0, 300.0]), "T_keV"),
    ("weak between negative", lambda f: xs.weak_sigma_between(-5.0, 10.0, 750.0), "T1_keV"),
    ("sigma_total T_min negative", lambda f: xs.sigma_total(750.0, T_min_keV=-1.0), "T_min_keV"),
    ("sigma_total T_max string", lambda f: xs.sigma_total(750.0, T_max_keV="a"), "T_max_keV"),
    ("sigma_total magnetic from 0", lambda f: xs.sigma_total(750.0, mu_nu_muB=1e-11), "T_min_keV"),
    ("resolution at negative T", lambda f: EnergyResolution().sigma_keV(-5.0), "T_keV"),
    ("resolution at nan", lambda f: EnergyResolution().sigma_keV(NAN), "T_keV"),
    ("window efficiency nan", lambda f: window_efficiency([NAN], 2.0, 20.0, EnergyResolution()), "T_keV"),
    ("window efficiency resolution", lambda f: window_efficiency([10.0], 2.0, 20.0, "res"), "resolution"),
    ("signal T_min above the edge", lambda f: SignalPrediction(E).total_events(T_min_keV=1e4), "T_min_keV"),
    ("signal T_min nan", lambda f: SignalPrediction(E).total_events(T_min_keV=NAN), "T_min_keV"),
    ("signal dN/dT negative", lambda f: SignalPrediction(E).dN_dT(-5.0), "T_keV"),
    ("poisson predicted inf", lambda f: poisson_chi2([1.0, INF], [1.0, 1.0]), "predicted"),
    ("poisson shapes", lambda f: poisson_chi2([1.0, 2.0, 3.0], [1.0, 2.0]), "predicted"),
    ("gaussian data nan", lambda f: profiled_gaussian_chi2([1.0, 2.0], [1.0, 1.0], [NAN, 3.0]), "data"),
    ("gaussian signal nan", lambda f: profiled_gaussian_chi2([NAN, 2.0], [1.0, 1.0], [2.0, 3.0]), "signal"),
    ("survival L nan", lambda f: osc.survival_probability(NAN, 750.0, 0.1, 1.0), "L_cm"),
    ("survival L negative", lambda f: osc.survival_probability(-100.0, 750.0, 0.1, 1.0), "L_cm"),
    ("bin average L2 < L1", lambda f: osc.bin_averaged_sin2(110.0, 100.0, 750.0, 1.0), "L2_cm"),
    ("mm max_keV tiny", lambda f: MagneticMomentFit(E, max_keV=0.15), "max_keV"),
    ("mm background scale absurd", lambda f: f["mm"].limit(2.0, background_scale=1e308), "background_scale"),
    ("mm seed negative", lambda f: f["mm"].pseudo_experiment_limits(n=5, seed=-1), "seed"),
    ("mm thresholds empty", lambda f: f["mm"].threshold_scan([]), "thresholds_keV"),
    ("mm bin tiny", lambda f: MagneticMomentFit(E, bin_keV=1e-9), "bin_keV"),
    ("contour chi2 nan", lambda f: f["st"].contour_from_grid([0.1, 0.5], [1, 2], chi2=np.full((2, 2), NAN)), "chi2"),
    ("contour chi2 negative", lambda f: f["st"].contour_from_grid([0.1, 0.5], [1, 2], chi2=-np.ones((2, 2))), "chi2"),
    ("sterile dm2 empty", lambda f: f["st"].sensitivity([]), "dm2_values"),
    ("sterile grid strings", lambda f: f["st"].chi2_grid(["0.1"], [1.0]), "sin2_2theta_values"),
    ("sterile bins too wide", lambda f: SterileFit.for_experiment(E, bin_cm=1000.0, n_mc=20_000), "bin_cm"),
    ("sterile label number", lambda f: SterileFit.for_experiment(E, label=5, n_mc=20_000), "label"),
    ("sterile line negative", lambda f: SterileFit(E.detector, E.source.shape, [-750], [1], 10), "line_energies_keV"),
    ("sterile signal nan", lambda f: SterileFit(E.detector, E.source.shape, [750], [NAN], 10), "events_per_flux_cm"),
    ("summary experiment string", lambda f: compute_summary("paper2014"), "experiment"),
    ("summary fit string", lambda f: compute_summary(E, fit="x"), "fit"),
    ("background window smeared 'no'", lambda f: background_events_in_window(E, 2.0, 140.0, smeared="no"), "smeared"),
]


@pytest.mark.parametrize("make, named", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_python_input_names_the_parameter(make, named, mm, st):
    with pytest.raises(ValueError) as err:
        make({"mm": mm, "st": st})
    assert named in str(err.value)


CLI_CASES = [
    (["sterile", "--dm2", "-1"], "--dm2"),
    (["sterile", "--toys", "100"], "--toys only applies with --method fc"),
    (["mu", "--seed", "3"], "--seed only applies with --band"),
    (["sterile", "--dm2", "abc"], "--dm2"),
    (["sterile", "--norm-sigma", "-0.1"], "--norm-sigma"),
    (["sterile", "--source", "ar38"], "--source"),
    (["scan", "--thresholds-kev", "0"], "--thresholds-kev"),
    (["scan", "--thresholds-kev", "200"], "--thresholds-kev"),
    (["scan", "--set", "analysis.magnetic_moment.bin_keV=200"], "bin_keV"),
    (["scan", "--set", "analysis.magnetic_moment.convention=upper"], "convention"),
    (["experiment", "paper2014", "--set", "run.deployments=0"], "run.deployments"),
    (["experiment", "nope"], "--experiment"),
    (["summary", "--set", "analysis.sterile.dof=1.5"], "dof"),
    (["summary", "--set", "detector.target=argon"], "--set detector.target"),
    (["summary", "--set", "response.stochastic_keV_sqrt=-1"], "stochastic_keV_sqrt"),
    (["summary", "--set", "cross_section.atomic_binding=no"], "atomic_binding"),
]


@pytest.mark.parametrize("argv, named", CLI_CASES, ids=[" ".join(a) for a, _ in CLI_CASES])
def test_bad_command_line_is_one_line_exit_2(argv, named, cli):
    code, out, err = cli(*argv)
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and named in err
    assert "Traceback" not in err and "Warning" not in err


def test_corpus_is_large():
    assert len(CASES) + len(CLI_CASES) >= 100

"""Experiments as data: presets, files, round trips, overrides and their errors (issue 10)."""

import dataclasses
import json
import tomllib

import numpy as np
import pytest

import lxenu
from lxenu.analyses.sterile import sterile_window_keV
from lxenu.analyses.summary import comparison_rows, compute_summary
from lxenu.cli import main
from lxenu.experiment.experiment import Experiment, experiment_presets
from lxenu.experiment.paper import PAPER_NUMBERS, paper_value
from lxenu.experiment.source import LineSource, source_presets
from lxenu.physics.backgrounds import Xenon136DoubleBeta
from lxenu.physics.double_ec import Xenon124DoubleEC
from lxenu.predict.backgrounds import background_events_in_window
from lxenu.predict.signal import SignalPrediction

PRESETS = sorted(experiment_presets())
SOURCES = sorted(source_presets())


def cli_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def default_summary():
    return compute_summary()


def test_default_is_the_paper_preset():
    assert Experiment() == Experiment.from_file("paper2014") == Experiment.paper()
    assert Experiment().to_dict()["analysis"] == Experiment.from_file("paper2014").to_dict()["analysis"]


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_validates_and_round_trips(name, tmp_path):
    exp = Experiment.from_file(name)
    assert exp.description and exp.reference, "every preset says what it is and cites its source"
    again = Experiment.from_dict(tomllib.loads(exp.to_toml()))
    assert again == exp
    assert again.to_dict() == exp.to_dict()
    path = tmp_path / f"{name}.toml"
    path.write_text(exp.to_toml())
    assert Experiment.from_file(path).to_dict() == exp.to_dict()


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_preset_loads_and_round_trips(name):
    src = LineSource.from_preset(name)
    assert src.description and src.reference
    assert LineSource.from_dict(src.to_dict()) == src
    assert sum(line.branching for line in src.lines) == pytest.approx(1.0, abs=1e-9)


def test_summary_from_preset_and_resolved_file_equal_the_default(capsys, tmp_path, default_summary):
    default = cli_json(capsys, "summary", "--json")
    assert cli_json(capsys, "summary", "--json", "--experiment", "paper2014") == default
    assert main(["experiment", "paper2014"]) == 0
    path = tmp_path / "f.toml"
    path.write_text(capsys.readouterr().out)
    assert cli_json(capsys, "summary", "--json", "--experiment", str(path)) == default
    for key, value in default_summary.items():
        assert default[key] == pytest.approx(value, rel=1e-12, abs=0)


def test_published_numbers_come_from_one_file():
    assert paper_value("signal_events") == 12518
    assert paper_value("mu_limit") == 4.9e-12
    assert PAPER_NUMBERS["sterile_background_xe136"].section == "3"
    with pytest.raises(ValueError, match="key"):
        paper_value("no_such_number")


def test_summary_compares_with_the_paper_only_for_the_paper_set_up(default_summary):
    rows = {r[0]: r for r in comparison_rows(default_summary)}
    assert rows["mu_limit"][1] == paper_value("mu_limit")
    assert rows["mu_limit"][3] == pytest.approx(default_summary["mu_limit"] / 4.9e-12, rel=1e-6, abs=0)
    lower = Experiment().replace(
        analysis=dataclasses.replace(
            Experiment().analysis,
            magnetic_moment=dataclasses.replace(Experiment().analysis.magnetic_moment, threshold_keV=1.0),
        )
    )
    rows = {r[0]: r for r in comparison_rows(compute_summary(lower), lower)}
    assert (
        rows["mu_limit"][1] is None and rows["mu_limit"][3] is None and "magnetic-moment window" in rows["mu_limit"][4]
    )
    assert rows["signal_events"][3] is not None  # the total signal does not depend on the window


def test_threshold_flag_is_not_compared_with_the_paper(capsys):
    assert main(["summary", "--threshold-kev", "1"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("mu_nu limit"))
    assert "not the paper's set-up" in line and "4.9e-12" not in line


# -- overrides change the numbers as the physics says -------------------------------------------
def test_activity_scales_signal_linearly(capsys, default_summary):
    got = cli_json(capsys, "summary", "--json", "--set", "source.activity_MCi=10")
    assert got["signal_events"] == pytest.approx(2 * default_summary["signal_events"], rel=1e-12, abs=0)
    assert got["background_events_window"] == pytest.approx(
        default_summary["background_events_window"], rel=1e-12, abs=0
    )


def test_set_and_short_flag_agree(capsys):
    assert cli_json(capsys, "summary", "--json", "--set", "run.days=50") == cli_json(
        capsys, "summary", "--json", "--days", "50"
    )
    assert cli_json(capsys, "summary", "--json", "--set", "backgrounds.xe136.depletion=0.9") == cli_json(
        capsys, "summary", "--json", "--xe136-depletion", "0.9"
    )


def test_geometry_scaling():
    base = Experiment()
    # doubling every length: volume x 8, flux integral x 2 (it is a length), electrons per cm^3 fixed
    big = base.replace(detector=dataclasses.replace(base.detector, height_m=2.76, diameter_m=2.76, gap_m=2.0))
    assert big.detector.mass_t == pytest.approx(8 * base.detector.mass_t, rel=1e-12, abs=0)
    assert SignalPrediction(big).total_events() == pytest.approx(
        2 * SignalPrediction(base).total_events(), rel=1e-12, abs=0
    )
    # far away the signal falls as 1/gap^2 (point-like detector)
    far1 = SignalPrediction(base.with_options(gap_m=50.0)).total_events()
    far2 = SignalPrediction(base.with_options(gap_m=100.0)).total_events()
    assert far1 / far2 == pytest.approx(4.0, rel=0.05, abs=0)
    # density scales signal and background alike
    dense = base.replace(detector=dataclasses.replace(base.detector, density_g_cm3=5.8))
    assert SignalPrediction(dense).total_events() == pytest.approx(
        2 * SignalPrediction(base).total_events(), rel=1e-12, abs=0
    )
    assert dense.exposure_tonne_days == pytest.approx(2 * base.exposure_tonne_days, rel=1e-12, abs=0)


def test_source_lifetime_and_line_energies():
    base = Experiment()
    ar = base.replace(source=LineSource.from_preset("ar37"))
    decays_cr = base.run.source_decays(base.source)
    decays_ar = ar.run.source_decays(ar.source)
    # 100 days of a source with mean life tau: A0 tau (1 - exp(-100/tau)) decays
    for exp, decays in ((base, decays_cr), (ar, decays_ar)):
        tau = exp.source.mean_life_days
        assert decays == pytest.approx(
            exp.source.initial_rate_per_day * tau * (1 - np.exp(-100 / tau)), rel=1e-12, abs=0
        )
    assert decays_ar > decays_cr  # 37Ar lives longer
    # 37Ar's lines are all near 811 keV: more events per neutrino and a higher recoil edge
    per_nu_cr = SignalPrediction(base).total_events() / decays_cr
    per_nu_ar = SignalPrediction(ar).total_events() / decays_ar
    assert per_nu_ar > per_nu_cr
    assert SignalPrediction(ar).max_recoil_keV > SignalPrediction(base).max_recoil_keV
    assert sterile_window_keV(ar)[1] == pytest.approx(SignalPrediction(ar).max_recoil_keV, rel=1e-6, abs=0)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_gives_a_signal_and_a_limit(name):
    exp = Experiment.from_file(name)
    assert SignalPrediction(exp).total_events() > 0
    limit = lxenu.MagneticMomentFit(exp).limit()
    assert 1e-13 < limit < 1e-10


def test_sources_on_the_command_line(capsys, default_summary):
    ar = cli_json(capsys, "summary", "--json", "--source", "ar37")
    assert ar["signal_events"] > default_summary["signal_events"]
    four = cli_json(capsys, "summary", "--json", "--source", "cr51-four-lines")
    assert four["signal_events"] == pytest.approx(default_summary["signal_events"], rel=0.03, abs=0)


def test_experiment_list_names_every_preset_with_its_reference(capsys):
    assert main(["experiment", "--list"]) == 0
    out = capsys.readouterr().out
    for name, (_, reference) in experiment_presets().items():
        assert name in out and reference in out
    for name in source_presets():
        assert name in out


def test_public_api():
    assert lxenu.__version__
    assert "Where to start" in lxenu.__doc__
    for name in ("Experiment", "MagneticMomentFit", "SterileFit", "LineSource", "experiment_presets"):
        assert name in lxenu.__all__ and hasattr(lxenu, name)


def test_magnetic_moment_fit_default_convention_is_the_books():
    fit = lxenu.MagneticMomentFit()
    assert fit.convention == "one_sided" and fit.delta_chi2 == pytest.approx(2.7055, abs=1e-4)
    assert fit.limit() == pytest.approx(compute_summary()["mu_limit"], rel=1e-12, abs=0)


def test_analysis_settings_come_from_the_experiment():
    exp = Experiment()
    st = dataclasses.replace(exp.analysis.sterile, threshold_keV=20.0, dof=1)
    other = exp.replace(analysis=dataclasses.replace(exp.analysis, sterile=st))
    fit = lxenu.SterileFit.for_experiment(other, n_mc=20_000)
    assert fit.delta_chi2 == pytest.approx(3.841, abs=1e-3)
    assert sterile_window_keV(other)[0] == 20.0


# -- errors: one line naming the key, exit status 2 ---------------------------------------------
def _write(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "text, key",
    [
        ("[detector]\nheigth_m = 1.0\n", "heigth_m"),
        ("[detector]\nheight_m = -1.0\n", "height_m"),
        ("[detector]\nheight_m = nan\n", "height_m"),
        ('[detector]\nheight_m = "tall"\n', "height_m"),
        ("[detector]\nheight_m = true\n", "height_m"),
        ('[source]\npreset = "cr51"\nactivity_MCi = inf\n', "activity_MCi"),
        ('[source]\npreset = "cr52"\n', "cr52"),
        ("[run]\ndeployments = 2.5\n", "deployments"),
        ("[backgrounds.xe136]\ndepletion = 1.5\n", "depletion"),
        ("[backgrounds.xe999]\ndepletion = 0.5\n", "xe999"),
        ("[backgrounds.solar]\nsin2_theta_w = 0.2\n", "sin2_theta_w"),
        ("[analysis.magnetic_moment]\nbin_keV = 200.0\n", "bin_keV"),
        ('[analysis.magnetic_moment]\nconvention = "one_sided"\nconfidence_level = 0.4\n', "confidence_level"),
        ('[analysis.sterile]\nsignal_norm_sigma = "loose"\n', "signal_norm_sigma"),
        ("[analysis.sterile]\ndof = 3\n", "dof"),
        ("[analysis.limits]\nx = 1\n", "limits"),
        ("[cross_section]\nsin2_theta_w = 2.0\n", "sin2_theta_w"),
        ('[detector]\ngeometry = "cube"\n', "cube"),
        ('[detector]\ntarget = "argon"\n', "argon"),
        ('[detector]\ngeometry = "sphere"\n', "pseudocumene"),
        ('[detector]\ngeometry = "sphere"\nradius_m = 1.0\nheight_m = 1.0\n', "height_m belong"),
        ('colour = "blue"\n', "colour"),
        ("[detector\n", "TOML"),
    ],
)
def test_bad_files_name_the_key(tmp_path, text, key, cli):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=key) as err:
        Experiment.from_file(path)
    assert "bad.toml" in str(err.value)
    code, out, err_text = cli("summary", "--experiment", path)
    assert code == 2 and out == ""
    assert len(err_text.strip().splitlines()) == 1 and key in err_text
    assert "Traceback" not in err_text and "Warning" not in err_text


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--experiment", "no_such_preset"], "no_such_preset"),
        (["--experiment", "/nonexistent/file.toml"], "file.toml"),
        (["--source", "cr52"], "--source"),
        (["--set", "detector.height_m"], "--set"),
        (["--set", "detector.heigth_m=2"], "heigth_m"),
        (["--set", "detector.height_m=-2"], "detector.height_m"),
        (["--set", "detector.height_m=nan"], "detector.height_m"),
        (["--set", "source.activity_MCi=1e308"], "activity_MCi"),
        (["--source-mci", "-5"], "--source-mci"),
        (["--days", "0"], "--days"),
        (["--deployments", "0"], "--deployments"),
        (["--gap-m", "-1"], "--gap-m"),
        (["--xe136-depletion", "2"], "--xe136-depletion"),
        (["--threshold-kev", "600"], "--threshold-kev"),
    ],
)
def test_bad_command_lines_name_the_flag(argv, named, cli):
    code, out, err = cli("summary", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and named in err
    assert "Traceback" not in err and "RuntimeWarning" not in err


def test_the_issue_presets_ship():
    assert {"paper2014", "paper2014-modern", "xenonnt", "lz", "pandax4t", "xlzd"} <= set(experiment_presets())
    assert {"cr51", "cr51-four-lines", "ar37"} <= set(source_presets())


def test_background_components_are_replaced_not_edited():

    exp = Experiment()
    pr = exp.backgrounds.with_component("xe136", Xenon136DoubleBeta(spectrum_model="primakoff_rosen"))
    assert pr.keys == exp.backgrounds.keys and pr.xe136.spectrum_model == "primakoff_rosen"
    assert exp.backgrounds.xe136.spectrum_model == "fermi"
    more = exp.backgrounds.with_component("xe124", Xenon124DoubleEC())
    assert more.keys[-1] == "xe124"
    lo, hi = 2.0, 140.0
    with_124 = background_events_in_window(exp.replace(backgrounds=more), lo, hi)
    assert "124Xe" in with_124 and with_124["124Xe"] > 100
    with pytest.raises(ValueError, match="component"):
        exp.backgrounds.with_component("radon", Xenon124DoubleEC())


# -- files that leave sections out, and what the options do to them -----------------------------
MINIMAL = 'name = "mine"\ndescription = "the defaults"\nreference = "none"\n'


def test_options_on_a_minimal_file_keep_every_default(capsys, tmp_path):
    """A file without [source] or [backgrounds] resolves to the defaults before an option applies:
    setting one background key must not drop the other components."""
    path = _write(tmp_path, MINIMAL)
    ref = cli_json(capsys, "summary", "--json", "--xe136-depletion", "0.9")
    got = cli_json(capsys, "summary", "--json", "--experiment", path, "--xe136-depletion", "0.9")
    assert got == ref
    scaled = cli_json(capsys, "summary", "--json", "--experiment", path, "--set", "backgrounds.scale=2")
    base = cli_json(capsys, "summary", "--json", "--experiment", path)
    assert scaled["background_events_window"] == pytest.approx(2 * base["background_events_window"], rel=1e-12, abs=0)
    strong = cli_json(capsys, "summary", "--json", "--experiment", path, "--source-mci", "10")
    assert strong["signal_events"] == pytest.approx(2 * base["signal_events"], rel=1e-12, abs=0)


def test_a_bad_source_file_is_named_itself(tmp_path, cli):
    src = tmp_path / "badsrc.toml"
    src.write_text('name = "x"\nactivity_MCi = 1.0\nmean_life_days = 10.0\n')
    code, _, err = cli("summary", "--source", str(src))
    assert code == 2
    assert "badsrc.toml" in err and "lines" in err and "paper2014.toml" not in err


def test_an_experiment_without_backgrounds_is_computed():
    exp = Experiment().replace(backgrounds=lxenu.BackgroundModel(components=()))
    s = compute_summary(exp)
    assert s["background_events_window"] == 0.0 and s["sterile_background_events"] == 0.0
    assert 0.0 < s["mu_limit"] < lxenu.MagneticMomentFit().limit()  # no background: a stronger limit


def test_a_target_needs_its_own_density(tmp_path):
    with pytest.raises(ValueError, match="density_g_cm3"):
        lxenu.SphericalDetector(target="xenon")
    with pytest.raises(ValueError, match="density_g_cm3"):
        lxenu.CylindricalDetector(target="pseudocumene")
    assert lxenu.SphericalDetector(target="xenon", density_g_cm3=2.9).mass_t > 0
    # a file that names the target and no density gets the target's nominal density
    path = _write(
        tmp_path, MINIMAL + '[detector]\ngeometry = "sphere"\nradius_m = 0.8\ndistance_m = 2.0\ntarget = "xenon"\n'
    )
    det = Experiment.from_file(path).detector
    assert det.density_g_cm3 == lxenu.XENON.density_g_cm3 == 2.9


@pytest.mark.parametrize(
    "setting, key",
    [
        ("analysis.sterile.threshold_keV=1000", "analysis.sterile.threshold_keV"),
        ("analysis.sterile.max_keV=1e5", "analysis.sterile.max_keV"),
        ("analysis.magnetic_moment.max_keV=600", "analysis.magnetic_moment.max_keV"),
        ("analysis.sterile.bin_cm=1e308", "analysis.sterile.bin_cm"),
    ],
)
def test_windows_are_checked_against_the_source_when_the_file_is_read(setting, key, cli):
    """An analysis window beyond the largest recoil is refused on reading, naming the key."""
    code, _, err = cli("summary", "--set", setting)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert key in err
    if "bin_cm" not in key:
        assert "559.4" in err  # the 750 keV line's largest recoil, keV


def test_scorecard_takes_the_options_and_refuses_another_set_up(cli):
    assert cli("scorecard", "--json", "--experiment", "paper2014")[0] == 0
    code, _, err = cli("scorecard", "--days", "5")
    assert code == 2 and "--days 5" in err and "lxenu summary" in err


def test_five_deployments_are_compared_with_the_papers_five_deployment_number():
    five = Experiment().with_options(deployments=5)
    rows = {r[0]: r for r in comparison_rows(compute_summary(five), five)}
    assert rows["mu_limit"][1] == paper_value("mu_limit_5_deployments")
    assert rows["mu_limit"][3] == pytest.approx(0.9598, abs=1e-4)
    assert rows["signal_events"][1] is None  # five times the paper's signal is not a number it quotes


def test_experiment_list_gives_source_references(capsys):
    assert main(["experiment", "--list"]) == 0
    out = capsys.readouterr().out
    for name in SOURCES:
        line = next(x for x in out.splitlines() if x.startswith(name + " "))
        assert LineSource.from_preset(name).reference in line

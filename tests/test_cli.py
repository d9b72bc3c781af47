import json
import subprocess
import sys

import pytest

from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.analyses.summary import SUMMARY_KEYS, compute_summary
from lxenu.cli import main
from lxenu.experiment.experiment import Experiment


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def base():
    return compute_summary()


def summary_json(capsys, *options):
    code, out, _ = run(capsys, "summary", "--json", *options)
    assert code == 0
    return json.loads(out)


def test_summary_json_has_every_key(capsys, base):
    got = summary_json(capsys)
    assert set(got) == set(SUMMARY_KEYS)
    for key in SUMMARY_KEYS:
        assert got[key] == pytest.approx(base[key], rel=1e-9, abs=0)


def test_summary_reproduces_paper(base):
    assert base["signal_events"] == pytest.approx(12518, rel=0.02, abs=0)
    assert base["signal_events_window"] == pytest.approx(3656, rel=0.03, abs=0)
    assert base["background_events_window"] == pytest.approx(3450, rel=0.10, abs=0)
    assert base["mu_limit"] == pytest.approx(4.9e-12, rel=0.10, abs=0)


def test_summary_table(capsys):
    code, out, _ = run(capsys, "summary")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("experiment: paper2014 (") and "paper" in lines[1]
    assert any(x.startswith("mu_nu limit [mu_B], 95 % CL ") and "0.978" in x for x in lines)
    assert any(x.startswith("signal events, 2-140 keV ") for x in lines)


def test_header_names_the_file_and_the_changes(capsys, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[run]\ndays = 50\n")
    code, out, _ = run(capsys, "mu", "--experiment", str(f), "--source", "ar37", "--set", "run.deployments=2")
    assert code == 0
    assert out.splitlines()[0] == f"experiment: {f}, changed by --source ar37, --set run.deployments=2"
    code, out, _ = run(capsys, "mu", "--background-norm-sigma", "0.01")
    assert (
        out.splitlines()[1] == "observables T; signal normalisation known, background normalisation Gaussian prior 1 %"
    )


def test_source_strength_option(capsys, base):
    got = summary_json(capsys, "--source-mci", "10")
    assert got["signal_events"] == pytest.approx(2 * base["signal_events"], rel=1e-9, abs=0)
    assert got["background_events_window"] == pytest.approx(base["background_events_window"], rel=1e-9, abs=0)
    assert got["mu_limit"] < base["mu_limit"]


def test_deployments_option(capsys, base):
    got = summary_json(capsys, "--deployments", "5")
    assert got["signal_events"] == pytest.approx(5 * base["signal_events"], rel=1e-9, abs=0)
    assert got["background_events_window"] == pytest.approx(5 * base["background_events_window"], rel=1e-9, abs=0)
    # paper, sect. 4: 3.31e-12 mu_B with five deployments
    assert got["mu_limit"] == pytest.approx(3.31e-12, rel=0.10, abs=0)


def test_days_option(capsys, base):
    got = summary_json(capsys, "--days", "50")
    assert got["background_events_window"] == pytest.approx(0.5 * base["background_events_window"], rel=1e-9, abs=0)
    assert 0.5 * base["signal_events"] < got["signal_events"] < base["signal_events"]
    # half the run loses 28 % of the signal but half the background: the bound weakens slightly
    assert got["mu_limit"] > base["mu_limit"]
    # a source that lives 40 days gains little after 100: 300 days is worse again (background)
    assert summary_json(capsys, "--days", "300")["mu_limit"] > base["mu_limit"]


def test_threshold_option(capsys, base):
    got = summary_json(capsys, "--threshold-kev", "5")
    assert got["signal_events_window"] < base["signal_events_window"]
    assert got["mu_limit"] > base["mu_limit"]
    assert got["signal_events"] == pytest.approx(base["signal_events"], rel=1e-12, abs=0)


def test_gap_option(capsys, base):
    got = summary_json(capsys, "--gap-m", "2")
    assert got["signal_events"] < base["signal_events"]
    assert got["background_events_window"] == pytest.approx(base["background_events_window"], rel=1e-12, abs=0)


def test_depletion_option(capsys, base):
    got = summary_json(capsys, "--xe136-depletion", "0.9")
    assert got["sterile_background_xe136"] == pytest.approx(0.1 * base["sterile_background_xe136"], rel=1e-9, abs=0)
    other = base["sterile_background_events"] - base["sterile_background_xe136"]
    assert got["sterile_background_events"] - got["sterile_background_xe136"] == pytest.approx(other, rel=1e-9, abs=0)


@pytest.mark.parametrize(
    "argv",
    [
        ["summary", "--source-mci", "-5"],
        ["summary", "--days", "0"],
        ["summary", "--deployments", "0"],
        ["summary", "--threshold-kev", "600"],
        ["summary", "--gap-m", "-1"],
        ["summary", "--xe136-depletion", "2"],
        ["summary", "--days", "abc"],
        ["sterile", "--dm2", "-1"],
    ],
)
def test_bad_options_exit_2_with_one_line(argv, cli):
    code, out, err = cli(*argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


def test_python_m_lxenu_end_to_end():
    """The installed entry point: a bad value is one line on stderr and exit status 2, nothing else."""
    proc = subprocess.run(
        [sys.executable, "-m", "lxenu", "summary", "--set", "detector.height_m=-2"], capture_output=True, text=True
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("lxenu: error: --set detector.height_m") and len(proc.stderr.splitlines()) == 1


def test_a_reader_that_stops_early_gets_no_traceback():
    """`lxenu experiment --list | head -1`: the reader closes the pipe before lxenu writes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lxenu", "experiment", "--list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert err == ""


def test_sterile_json(capsys):
    code, out, _ = run(capsys, "sterile", "--json", "--dm2", "1", "2", "0.001")
    assert code == 0
    got = json.loads(out)
    assert got["dm2"] == [1.0, 2.0, 0.001]
    assert 0 < got["sin2_2theta_min"][0] < 1
    assert got["sin2_2theta_min"][2] is None  # no reach at tiny dm2


def test_scan_json(capsys):
    code, out, _ = run(capsys, "scan", "--json", "--thresholds-kev", "1", "3")
    assert code == 0
    got = json.loads(out)
    assert got["mu_limit"][0] < got["mu_limit"][1]


def test_summary_reuses_a_matching_fit_and_rejects_another(base):

    exp = Experiment()
    fit = MagneticMomentFit(exp, max_keV=140.0, convention="one_sided")
    assert compute_summary(exp, fit=fit)["mu_limit"] == pytest.approx(base["mu_limit"], rel=1e-12, abs=0)
    with pytest.raises(ValueError, match="fit"):
        compute_summary(exp, fit=MagneticMomentFit(exp, max_keV=140.0, convention="two_sided"))
    with pytest.raises(ValueError, match="fit"):
        compute_summary(Experiment().with_options(days=50), fit=fit)


def test_mu_default_equals_summary(capsys, base):
    code, out, _ = run(capsys, "mu", "--json")
    assert code == 0
    got = json.loads(out)
    assert got == {
        "mu_limit": base["mu_limit"],
        "observables": "T",
        "signal_norm_sigma": 0.0,
        "background_norm_sigma": 0.0,
    }


def test_mu_free_normalisations_and_more_observables(capsys, base):
    def mu(*opts):
        code, out, _ = run(capsys, "mu", "--json", *opts)
        assert code == 0
        return json.loads(out)

    free_T = mu("--signal-norm-sigma", "free", "--background-norm-sigma", "free")
    free_TLt = mu("--observables", "TLt", "--signal-norm-sigma", "free", "--background-norm-sigma", "free")
    assert free_T["signal_norm_sigma"] == "free" and free_TLt["observables"] == "TLt"
    # freeing both normalisations costs in T alone; distance and time recover most of it
    assert free_T["mu_limit"] > 1.2 * base["mu_limit"]
    assert base["mu_limit"] < free_TLt["mu_limit"] < free_T["mu_limit"]
    recovered = (free_T["mu_limit"] - free_TLt["mu_limit"]) / (free_T["mu_limit"] - base["mu_limit"])
    assert recovered > 0.5
    assert mu("--signal-norm-sigma", "0.0023")["mu_limit"] < free_T["mu_limit"]


def test_mu_band(capsys):
    code, out, _ = run(capsys, "mu", "--json", "--band", "--toys", "60", "--seed", "3")
    assert code == 0
    band = json.loads(out)["band"]
    values = [band[k] for k in ("-2sigma", "-1sigma", "median", "+1sigma", "+2sigma")]
    assert values == sorted(values) and all(v > 0 for v in values)
    code, again, _ = run(capsys, "mu", "--json", "--band", "--toys", "60", "--seed", "3")
    assert again == out


def test_sterile_observables(capsys):
    code, out, _ = run(capsys, "sterile", "--json", "--dm2", "1", "2")
    L = json.loads(out)["sin2_2theta_min"]
    code, out, _ = run(capsys, "sterile", "--json", "--dm2", "1", "2", "--observables", "LT")
    LT = json.loads(out)["sin2_2theta_min"]
    assert all(b < a for a, b in zip(L, LT)), "energy information separates the signal from 136Xe"


def test_sterile_feldman_cousins(capsys):
    code, out, _ = run(capsys, "sterile", "--json", "--dm2", "1", "2", "--method", "fc", "--toys", "100", "--seed", "5")
    assert code == 0
    fc = json.loads(out)["sin2_2theta_min"]
    code, out, _ = run(capsys, "sterile", "--json", "--dm2", "1", "2")
    wilks = json.loads(out)["sin2_2theta_min"]
    # FC critical values lie above 5.99 here (look-elsewhere in dm2): the FC reach is weaker
    assert all(f > w for f, w in zip(fc, wilks))
    code, again, _ = run(
        capsys, "sterile", "--json", "--dm2", "1", "2", "--method", "fc", "--toys", "100", "--seed", "5"
    )
    assert json.loads(again)["sin2_2theta_min"] == fc


def test_solar_moment_option_joins_the_fit(cli):
    """Solar neutrinos scattering through the fitted moment add magnetic signal: the limit improves,
    more with every flavour carrying it than with nu_e alone (weighted by P_ee < 1)."""
    limits = {}
    for which in ("none", "e", "all"):
        code, out, _ = cli("mu", "--json", "--solar-moment", which)
        assert code == 0
        limits[which] = json.loads(out)["mu_limit"]
    assert limits["all"] < limits["e"] < limits["none"]
    code, out, _ = cli("mu", "--json")
    assert json.loads(out)["mu_limit"] == limits["none"]

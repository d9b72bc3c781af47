import json
import subprocess
import sys

import pytest

from lxenu.cli import main
from lxenu.summary import SUMMARY_KEYS, compute_summary


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
        assert got[key] == pytest.approx(base[key], rel=1e-9)


def test_summary_reproduces_paper(base):
    assert base["signal_events"] == pytest.approx(12518, rel=0.02)
    assert base["signal_events_window"] == pytest.approx(3656, rel=0.03)
    assert base["background_events_window"] == pytest.approx(3450, rel=0.10)
    assert base["mu_limit"] == pytest.approx(4.9e-12, rel=0.10)


def test_summary_table(capsys):
    code, out, _ = run(capsys, "summary")
    assert code == 0
    assert "signal_events" in out and "paper" in out


def test_source_strength_option(capsys, base):
    got = summary_json(capsys, "--source-mci", "10")
    assert got["signal_events"] == pytest.approx(2 * base["signal_events"], rel=1e-9)
    assert got["background_events_window"] == pytest.approx(base["background_events_window"], rel=1e-9)
    assert got["mu_limit"] < base["mu_limit"]


def test_deployments_option(capsys, base):
    got = summary_json(capsys, "--deployments", "5")
    assert got["signal_events"] == pytest.approx(5 * base["signal_events"], rel=1e-9)
    assert got["background_events_window"] == pytest.approx(5 * base["background_events_window"], rel=1e-9)
    # paper, sect. 4: 3.31e-12 mu_B with five deployments
    assert got["mu_limit"] == pytest.approx(3.31e-12, rel=0.10)


def test_days_option(capsys, base):
    got = summary_json(capsys, "--days", "50")
    assert got["background_events_window"] == pytest.approx(0.5 * base["background_events_window"], rel=1e-9)
    assert 0.5 * base["signal_events"] < got["signal_events"] < base["signal_events"]
    # half the run loses 28 % of the signal but half the background: the bound weakens slightly
    assert got["mu_limit"] > base["mu_limit"]
    # a source that lives 40 days gains little after 100: 300 days is worse again (background)
    assert summary_json(capsys, "--days", "300")["mu_limit"] > base["mu_limit"]


def test_threshold_option(capsys, base):
    got = summary_json(capsys, "--threshold-kev", "5")
    assert got["signal_events_window"] < base["signal_events_window"]
    assert got["mu_limit"] > base["mu_limit"]
    assert got["signal_events"] == pytest.approx(base["signal_events"], rel=1e-12)


def test_gap_option(capsys, base):
    got = summary_json(capsys, "--gap-m", "2")
    assert got["signal_events"] < base["signal_events"]
    assert got["background_events_window"] == pytest.approx(base["background_events_window"], rel=1e-12)


def test_depletion_option(capsys, base):
    got = summary_json(capsys, "--xe136-depletion", "0.9")
    assert got["sterile_background_xe136"] == pytest.approx(0.1 * base["sterile_background_xe136"], rel=1e-9)
    other = base["sterile_background_events"] - base["sterile_background_xe136"]
    assert got["sterile_background_events"] - got["sterile_background_xe136"] == pytest.approx(other, rel=1e-9)


@pytest.mark.parametrize(
    "argv",
    [["summary", "--source-mci", "-5"], ["summary", "--days", "0"], ["summary", "--deployments", "0"],
     ["summary", "--threshold-kev", "600"], ["summary", "--gap-m", "-1"], ["summary", "--xe136-depletion", "2"],
     ["summary", "--days", "abc"], ["sterile", "--dm2", "-1"]],
)
def test_bad_options_exit_nonzero_with_one_line(argv):
    proc = subprocess.run([sys.executable, "-m", "lxenu", *argv], capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1


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
    from lxenu.experiment import Experiment
    from lxenu.magnetic_moment import MagneticMomentFit

    exp = Experiment()
    fit = MagneticMomentFit(exp, max_keV=140.0, convention="one_sided")
    assert compute_summary(exp, fit=fit)["mu_limit"] == pytest.approx(base["mu_limit"], rel=1e-12)
    with pytest.raises(ValueError, match="fit"):
        compute_summary(exp, fit=MagneticMomentFit(exp, max_keV=140.0, convention="two_sided"))
    with pytest.raises(ValueError, match="fit"):
        compute_summary(Experiment().with_options(days=50), fit=fit)

import numpy as np
import pytest

from lxenu.experiment.source import CR51_FOUR_LINES, CR51_TWO_LINES, Cr51Source, CylindricalSourceShape, RunPlan


def test_decays_scale_with_strength():
    a, b = Cr51Source(activity_MCi=5.0), Cr51Source(activity_MCi=10.0)
    assert b.decays_between(0, 100) == pytest.approx(2 * a.decays_between(0, 100), rel=1e-12, abs=0)


def test_decay_law_between_consecutive_windows():
    src = Cr51Source()
    first = src.decays_between(0, 30)
    second = src.decays_between(30, 60)
    assert second / first == pytest.approx(np.exp(-30 / src.mean_life_days), rel=1e-12, abs=0)


def test_decays_over_all_time_equal_activity_times_mean_life():
    src = Cr51Source()
    assert src.decays_between(0, 1e5) == pytest.approx(src.initial_rate_per_day * src.mean_life_days, rel=1e-10, abs=0)


def test_paper_source_decays_in_100_days():
    # 5 MCi x 3.7e10 Bq/Ci x tau x (1 - exp(-100/tau)), tau = 39.96 d
    expected = 5e6 * 3.7e10 * 39.96 * 86400 * (1 - np.exp(-100 / 39.96))
    assert RunPlan().source_decays(Cr51Source()) == pytest.approx(expected, rel=1e-12, abs=0)


def test_late_start_is_a_decayed_source():
    src = Cr51Source()
    late = RunPlan(start_day=20).source_decays(src)
    weaker = RunPlan().source_decays(Cr51Source(activity_MCi=5 * np.exp(-20 / src.mean_life_days)))
    assert late == pytest.approx(weaker, rel=1e-12, abs=0)


def test_deployments_are_fresh_sources():
    src = Cr51Source()
    assert RunPlan(deployments=5).source_decays(src) == pytest.approx(
        5 * RunPlan().source_decays(src), rel=1e-12, abs=0
    )
    assert RunPlan(deployments=5).live_days == 500


def test_line_models():
    assert sum(line.branching for line in CR51_TWO_LINES) == pytest.approx(1.0, rel=1e-6, abs=0)
    assert sum(line.branching for line in CR51_FOUR_LINES) == pytest.approx(1.0, abs=1e-4)
    # the four lines keep the ground-state / excited-state split of the two-line model within 0.2 %
    ground = sum(line.branching for line in CR51_FOUR_LINES if line.energy_keV > 700)
    assert ground == pytest.approx(0.90, abs=0.002)
    assert Cr51Source.four_lines().lines == CR51_FOUR_LINES


def test_half_life_of_paper_mean_life():
    assert Cr51Source().half_life_days == pytest.approx(27.70, abs=0.01)


def test_source_shape_points_inside_cylinder(rng):
    shape = CylindricalSourceShape(14.0, 14.0)
    p = shape.sample_points_cm(20000, rng)
    assert np.all(np.hypot(p[:, 0], p[:, 1]) <= 7.0)
    assert np.all(np.abs(p[:, 2]) <= 7.0)
    # uniform in volume: mean r^2 = R^2 / 2
    assert np.mean(p[:, 0] ** 2 + p[:, 1] ** 2) == pytest.approx(49.0 / 2, rel=0.03, abs=0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"activity_MCi": -1}, "activity_MCi"),
        ({"activity_MCi": 0}, "activity_MCi"),
        ({"mean_life_days": 0}, "mean_life_days"),
        ({"activity_MCi": float("nan")}, "activity_MCi"),
    ],
)
def test_bad_source_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Cr51Source(**kwargs)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"days": 0}, "days"),
        ({"days": -5}, "days"),
        ({"deployments": 0}, "deployments"),
        ({"deployments": 1.5}, "deployments"),
        ({"start_day": -1}, "start_day"),
    ],
)
def test_bad_run_plan(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RunPlan(**kwargs)


def test_decays_between_rejects_reversed_window():
    with pytest.raises(ValueError, match="t_stop_days"):
        Cr51Source().decays_between(10, 5)


def test_four_lines_keeps_the_other_settings():
    src = Cr51Source.four_lines(activity_MCi=3.4, mean_life_days=39.96)
    assert src.lines == CR51_FOUR_LINES and src.activity_MCi == 3.4 and src.mean_life_days == 39.96

"""The reactor anomaly as published: numbers that follow from the mean ratio, and how it is drawn."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from lxenu.analyses.reactor import (  # noqa: E402
    REACTOR_ANOMALY_2011,
    ReactorAnomaly,
    averaged_mixing,
    deviation_sigma,
    reactor_table_rows,
)
from lxenu.report.plotting import draw_reactor_anomaly  # noqa: E402


def test_numbers_that_follow_from_the_ratio():
    s, ds = averaged_mixing()
    assert s == pytest.approx(REACTOR_ANOMALY_2011.quoted_averaged_mixing, abs=0.002)  # paper: ~0.115
    assert ds == pytest.approx(0.046, rel=1e-6, abs=0)
    dev = deviation_sigma()
    assert dev["cl_two_sided"] == pytest.approx(REACTOR_ANOMALY_2011.quoted_cl_of_deviation, abs=0.002)  # 98.6 %


def test_drawn_as_a_point_with_error_bars_not_a_box():
    fig, ax = plt.subplots()
    n_patches = len(ax.patches)
    draw_reactor_anomaly(ax)
    assert not any(isinstance(p, Rectangle) for p in ax.patches[n_patches:])
    assert len(ax.containers) == 1  # one errorbar container
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(ratio="x"), "ratio must be a number"),
        (dict(ratio=float("nan")), "ratio must be a finite number"),
        (dict(ratio=2.5), r"ratio must lie in \(0, 2\)"),
        (dict(ratio_error=0.0), r"ratio_error must lie in \(0, inf\)"),
        (dict(ratio_error=float("inf")), "ratio_error must be a finite number"),
        (dict(sin2_2theta=1.5), r"sin2_2theta must lie in \[0, 1\]"),
        (dict(quoted_cl_of_deviation=1.0), "quoted_cl_of_deviation"),
        (dict(reference=3), "reference must be a string"),
    ],
)
def test_bad_anomaly(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReactorAnomaly(**kwargs)


def test_functions_need_an_anomaly():
    for fn in (averaged_mixing, deviation_sigma, reactor_table_rows):
        with pytest.raises(ValueError, match="anomaly must be a ReactorAnomaly; got 'x'"):
            fn("x")

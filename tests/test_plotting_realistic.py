"""Smoke tests of the chapter-7 figures: each returns a figure with labelled axes and draws its data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lxenu.experiment.experiment import Experiment  # noqa: E402
from lxenu.physics import attenuation  # noqa: E402
from lxenu.predict.binned import FullInformationPrediction  # noqa: E402
from lxenu.report import plotting_realistic as pr
from lxenu.report.plotting import COLORS


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel()


@pytest.fixture(scope="module")
def coarse_prediction():
    return FullInformationPrediction(Experiment(), "TLt", bin_keV=1.0, distance_bin_cm=30.0, time_bin_days=25.0)


def test_distance_and_time(coarse_prediction):
    fig, axes = pr.distance_and_time(coarse_prediction)
    for ax in axes:
        _labelled(ax)
        assert len(ax.patches) == 2  # signal and background stairs
    # Both curves are normalised to unit area in L and in t.
    L = coarse_prediction.edges["L"]
    heights = axes[0].patches[1].get_data()[0]
    assert np.sum(heights * np.diff(L)) == pytest.approx(1.0, rel=1e-12, abs=0)
    plt.close(fig)


def test_distance_and_time_rejects_other_observables():
    with pytest.raises(ValueError, match="TLt"):
        pr.distance_and_time(FullInformationPrediction(Experiment(), "T", bin_keV=1.0))


def test_limits_by_observables():
    table = {"T": {"both known": 4.8e-12, "both free": 6.0e-12}, "TLt": {"both known": 4.7e-12, "both free": 5.3e-12}}
    fig, ax = pr.limits_by_observables(table, reference_muB=4.8e-12)
    _labelled(ax)
    y = ax.lines[1].get_ydata()
    assert np.allclose(y, [6.0, 5.3])  # plotted in units of 1e-12 mu_B
    plt.close(fig)


def test_sterile_gain():
    dm2 = np.array([0.5, 1.0, 2.0])
    fig, ax = pr.sterile_gain(dm2, {"L": (np.array([0.3, 0.2, 0.15]), {}), "LT": (np.array([0.25, 0.18, 0.13]), {})})
    _labelled(ax)
    assert len(ax.lines) == 2 and ax.get_xscale() == "log"
    plt.close(fig)


def test_background_spectra():
    edges = np.linspace(2.0, 140.0, 11)
    fig, ax = pr.background_spectra(
        edges, {"124Xe": np.full(10, 5.0), "136Xe": np.full(10, 10.0)}, signal=np.full(10, 20.0)
    )
    _labelled(ax)
    heights = ax.patches[0].get_data()[0]
    assert np.allclose(heights, 20.0 / 13.8)  # events per keV
    plt.close(fig)


def test_attenuation_and_transmission():
    fig, ax = pr.attenuation_coefficients()
    _labelled(ax)
    plt.close(fig)
    fig, ax = pr.shield_transmission()
    _labelled(ax)
    E, T = ax.lines[0].get_data()
    assert np.allclose(T, attenuation.paper_shield_transmission(E))
    assert np.all(ax.lines[1].get_ydata() >= T)  # build-up only adds photons
    plt.close(fig)


def test_impurity_rates():
    t = np.linspace(0.0, 10.0, 5)
    fig, ax = pr.impurity_rates(t, {"24Na": np.exp(-t), "60Co": np.full(5, 0.1)})
    _labelled(ax)
    assert np.allclose(ax.lines[2].get_ydata(), np.exp(-t) + 0.1)  # the total
    plt.close(fig)
    with pytest.raises(ValueError, match="rates_by_nuclide"):
        pr.impurity_rates(t, {"24Na": np.ones(3)})


def test_isotopes_are_typeset():
    assert pr.typeset_isotopes("24Na") == "²⁴Na"
    assert pr.typeset_isotopes("solar 7Be") == "solar ⁷Be"
    assert pr.typeset_isotopes("124Xe and 136Xe") == "¹²⁴Xe and ¹³⁶Xe"
    assert pr.typeset_isotopes("natural, (L, T)") == "natural, (L, T)"


def test_figures_use_the_book_colours_and_typeset_labels():

    t = np.linspace(0.0, 10.0, 5)
    fig, ax = pr.impurity_rates(t, {"24Na": np.exp(-t), "46Sc": np.full(5, 1e-5)})
    assert [line.get_label() for line in ax.lines[:2]] == ["²⁴Na", "⁴⁶Sc"]
    assert ax.lines[0].get_color() == pr.IMPURITY_COLORS["24Na"]
    assert ax.get_ylim()[0] < 1e-5  # every nuclide's curve is inside the axes
    plt.close(fig)
    fig, ax = pr.shield_transmission()
    assert ax.lines[2].get_color() == COLORS["paper"]
    plt.close(fig)
    fig, ax = pr.sterile_gain(np.array([1.0, 2.0]), {"a": (np.array([0.2, 0.1]), {})}, cl_label="95 % CL, 2 dof")
    assert "95 % CL, 2 dof" in ax.get_xlabel()
    plt.close(fig)
    fig, ax = pr.limits_by_observables({"T": {"both known": 4.8e-12}}, cl_label="90 % CL")
    assert ax.get_ylabel().startswith("90 % CL")
    plt.close(fig)

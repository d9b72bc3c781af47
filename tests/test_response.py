import numpy as np
import pytest

from lxenu.experiment.response import EnergyResolution
from lxenu.predict.response import energy_response_matrix, window_efficiency


def test_paper_resolution():
    res = EnergyResolution()
    assert res.sigma_keV(100.0) == pytest.approx(2.0, rel=1e-6, abs=0)
    assert res.sigma_keV(4.0) == pytest.approx(0.4, rel=1e-6, abs=0)


def test_matrix_conserves_events_over_full_range():
    true_edges = np.linspace(0.05, 600, 2000)
    reco_edges = np.linspace(-50, 700, 3001)
    R = energy_response_matrix(true_edges, reco_edges, EnergyResolution())
    np.testing.assert_allclose(R.sum(axis=0), 1.0, atol=1e-12)
    spectrum = np.random.default_rng(1).random(true_edges.size - 1)
    assert (R @ spectrum).sum() == pytest.approx(spectrum.sum(), rel=1e-12, abs=0)


def test_matrix_preserves_mean_energy():
    true_edges = np.array([99.95, 100.05])
    reco_edges = np.linspace(80, 120, 4001)
    R = energy_response_matrix(true_edges, reco_edges, EnergyResolution())[:, 0]
    centres = 0.5 * (reco_edges[1:] + reco_edges[:-1])
    mean = (R * centres).sum()
    width = np.sqrt((R * (centres - mean) ** 2).sum())
    assert mean == pytest.approx(100.0, abs=1e-3)
    assert width == pytest.approx(2.0, rel=1e-3, abs=0)


def test_perfect_resolution_is_the_identity():
    edges = np.linspace(0, 10, 11)
    R = energy_response_matrix(edges, edges, EnergyResolution(0.0))
    np.testing.assert_allclose(R, np.eye(10))


def test_window_efficiency():
    res = EnergyResolution()
    eff = window_efficiency(np.array([1.0, 2.0, 70.0, 140.0, 200.0]), 2.0, 140.0, res)
    assert eff[0] < 1e-3
    assert eff[1] == pytest.approx(0.5, abs=1e-9)
    assert eff[2] == pytest.approx(1.0, abs=1e-9)
    assert eff[3] == pytest.approx(0.5, abs=1e-9)
    assert eff[4] < 1e-9


def test_bad_resolution_and_edges():
    with pytest.raises(ValueError, match="stochastic_keV_sqrt"):
        EnergyResolution(-0.2)
    with pytest.raises(ValueError, match="reco_edges_keV"):
        energy_response_matrix([0, 1, 2], [2, 1, 0], EnergyResolution())

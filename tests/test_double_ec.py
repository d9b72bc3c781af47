import numpy as np
import pytest

from lxenu.constants import AVOGADRO, DAYS_PER_YEAR
from lxenu.physics.double_ec import Xenon124DoubleEC

EDGES = np.arange(0.0, 200.0001, 0.1)


def test_rate_from_half_life_and_abundance():
    xe = Xenon124DoubleEC()
    atoms = 1e6 / 131.293 * AVOGADRO * 0.000952
    assert xe.decays_per_tonne_day() == pytest.approx(atoms * np.log(2) / (1.1e22 * DAYS_PER_YEAR), rel=1e-12, abs=0)
    assert xe.decays_per_tonne_day() == pytest.approx(0.7535, rel=1e-3, abs=0)


def test_six_tonnes_hundred_days_is_a_few_hundred():
    n = Xenon124DoubleEC().events_per_tonne_day(EDGES).sum() * 6.0 * 100.0
    assert n == pytest.approx(452.1, rel=1e-3, abs=0)


def test_fractions_sum_to_one_and_keep_ratios():
    f = Xenon124DoubleEC().peak_fractions()
    assert sum(f.values()) == pytest.approx(1.0, abs=1e-12)
    assert f["KK"] / f["KL"] == pytest.approx(0.767 / 0.187, rel=1e-6, abs=0)
    raw = Xenon124DoubleEC(renormalise=False).peak_fractions()
    assert sum(raw.values()) == pytest.approx(0.969, rel=1e-6, abs=0)


def test_bins_are_exact_integrals_and_peaks_in_right_bins():
    xe = Xenon124DoubleEC()
    counts = xe.events_per_tonne_day(EDGES)
    assert counts.sum() == pytest.approx(xe.decays_per_tonne_day(), rel=1e-12, abs=0)
    nonzero = np.flatnonzero(counts)
    assert nonzero.size == 3
    np.testing.assert_allclose(EDGES[nonzero], [9.8, 36.7, 64.3], atol=0.1 + 1e-9)
    assert counts[np.searchsorted(EDGES, 64.3, side="right") - 1] == pytest.approx(
        0.767 / 0.969 * xe.decays_per_tonne_day(), rel=1e-6, abs=0
    )
    # a window that excludes the KK line loses exactly its share
    lo = xe.events_per_tonne_day([2.0, 60.0]).sum()
    assert lo == pytest.approx(xe.decays_per_tonne_day() * (0.187 + 0.015) / 0.969, rel=1e-12, abs=0)


def test_scaling_with_abundance_and_half_life():
    base = Xenon124DoubleEC().events_per_tonne_day(EDGES)
    np.testing.assert_allclose(Xenon124DoubleEC(abundance_factor=3.0).events_per_tonne_day(EDGES), 3 * base, rtol=1e-12)
    np.testing.assert_allclose(Xenon124DoubleEC(half_life_yr=2.2e22).events_per_tonne_day(EDGES), base / 2, rtol=1e-12)
    assert Xenon124DoubleEC(abundance_factor=0.0).events_per_tonne_day(EDGES).sum() == 0.0


def test_gaussian_width_option_normalised():
    xe = Xenon124DoubleEC(width_keV=0.5)
    assert xe.events_per_tonne_day(EDGES).sum() == pytest.approx(xe.decays_per_tonne_day(), rel=1e-9, abs=0)
    E = np.linspace(0, 200, 200001)
    assert np.trapezoid(xe.spectrum_per_tonne_day_keV(E), E) == pytest.approx(
        xe.decays_per_tonne_day(), rel=1e-6, abs=0
    )
    assert np.all(Xenon124DoubleEC().spectrum_per_tonne_day_keV(E) == 0.0)
    assert Xenon124DoubleEC.label == "124Xe"


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"abundance_factor": -1}, "abundance_factor"),
        ({"half_life_yr": 0.0}, "half_life_yr"),
        ({"abundance_factor": 2000.0}, "abundance_factor"),
        ({"width_keV": -0.1}, "width_keV"),
        ({"abundance_factor": float("nan")}, "abundance_factor"),
        ({"half_life_yr": float("nan")}, "half_life_yr"),
        ({"width_keV": float("nan")}, "width_keV"),
    ],
)
def test_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Xenon124DoubleEC(**kwargs)


def test_bad_edges():
    with pytest.raises(ValueError, match="edges_keV"):
        Xenon124DoubleEC().events_per_tonne_day([5.0, 1.0])
    with pytest.raises(ValueError, match="edges_keV"):
        Xenon124DoubleEC().events_per_tonne_day([1.0, float("nan")])

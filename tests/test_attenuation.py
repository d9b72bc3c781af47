import numpy as np
import pytest

from lxenu.physics import attenuation as att

# NIST SRD 126 (Hubbell & Seltzer), Table 3, mu/rho in cm^2/g, read off the NIST pages for Z = 74, 54.
NIST = {
    "W": {150: 1.581, 200: 0.7844, 300: 0.3238, 1000: 0.06618, 1500: 0.05000, 2000: 0.04433, 3000: 0.04075},
    "Xe": {150: 0.7202, 200: 0.3760, 300: 0.1797, 1000: 0.05785, 1500: 0.04594, 2000: 0.04078, 3000: 0.03681},
}


@pytest.mark.parametrize("material", ["W", "Xe"])
def test_reproduces_nist_at_tabulated_energies(material):
    for E, mu in NIST[material].items():
        assert att.mass_attenuation_cm2_g(material, E) == pytest.approx(mu, rel=1e-12, abs=0)
    tab = att.table()
    np.testing.assert_allclose(att.mass_attenuation_cm2_g(material, 1e3 * tab["energy_MeV"]), tab[material], rtol=1e-12)


def test_design_values():
    # DESIGN.md: W 0.0662/0.0500/0.0443, Xe 0.0579/0.0459/0.0408 at 1.0/1.5/2.0 MeV
    E = np.array([1000.0, 1500.0, 2000.0])
    np.testing.assert_allclose(att.mass_attenuation_cm2_g("W", E), [0.0662, 0.0500, 0.0443], atol=5e-5)
    np.testing.assert_allclose(att.mass_attenuation_cm2_g("Xe", E), [0.0579, 0.0459, 0.0408], atol=5e-5)


@pytest.mark.parametrize("material", ["W", "Xe"])
def test_interpolation_monotonic_and_power_law_between_nodes(material):
    E = np.geomspace(150.0, 3000.0, 2001)
    mu = att.mass_attenuation_cm2_g(material, E)
    assert np.all(np.diff(mu) < 0)  # no pair-production rise below 3 MeV in either element
    # log-log: geometric mean of two nodes' energies gives the geometric mean of mu
    assert att.mass_attenuation_cm2_g(material, np.sqrt(1000.0 * 1250.0)) == pytest.approx(
        np.sqrt(att.mass_attenuation_cm2_g(material, 1000.0) * att.mass_attenuation_cm2_g(material, 1250.0)),
        rel=1e-12,
        abs=0,
    )


def test_transmission_multiplicative_in_thickness():
    E = np.array([500.0, 1500.0, 2500.0])
    t1 = att.transmission(E, [("W", 5.0, 19.3)])
    t2 = att.transmission(E, [("W", 12.0, 19.3)])
    t12 = att.transmission(E, [("W", 17.0, 19.3)])
    np.testing.assert_allclose(t1 * t2, t12, rtol=1e-12)
    # layer order does not matter for narrow beams; zero thickness transmits everything
    a = att.transmission(E, [("W", 17.0, 19.3), ("Xe", 70.0, 2.9)])
    b = att.transmission(E, [("Xe", 70.0, 2.9), ("W", 17.0, 19.3)])
    np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(att.transmission(E, [("W", 0.0, 19.3)]), 1.0)


def test_paper_shield_at_1p5_MeV():
    expected = np.exp(-(0.05000 * 19.3 * 17.0 + 0.04594 * 2.9 * 70.0))
    T = att.paper_shield_transmission(1500.0)
    assert T == pytest.approx(expected, rel=1e-12, abs=0)
    assert T == pytest.approx(6.687239e-12, rel=1e-6, abs=0)  # the chapter's number; the paper: "1e-11"
    assert att.paper_shield_transmission(1500.0, buildup="linear") == pytest.approx(1.787554e-10, rel=1e-6, abs=0)
    # harder photons get through more easily
    assert att.paper_shield_transmission(2500.0) > T > att.paper_shield_transmission(1000.0)


def test_linear_buildup_bound():
    E = 1500.0
    layers = att.paper_layers()
    mfp = att.mean_free_paths(E, layers)
    assert att.transmission(E, layers, "linear") == pytest.approx((1 + mfp) * np.exp(-mfp), rel=1e-12, abs=0)
    assert att.transmission(E, layers, "linear") > att.transmission(E, layers)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: att.mass_attenuation_cm2_g("Pb", 1000.0), "material"),
        (lambda: att.mass_attenuation_cm2_g("W", 140.0), "E_keV"),
        (lambda: att.mass_attenuation_cm2_g("W", 5000.0), "E_keV"),
        (lambda: att.mass_attenuation_cm2_g("W", np.nan), "E_keV"),
        (lambda: att.transmission(1000.0, [("W", -1.0, 19.3)]), "thickness_cm"),
        (lambda: att.transmission(1000.0, [("W", 1.0, 0.0)]), "density_g_cm3"),
        (lambda: att.transmission(1000.0, [("W", 1.0, 19.3)], "taylor"), "buildup"),
        (lambda: att.paper_shield_transmission(1500.0, tungsten_cm=np.nan), "tungsten_cm"),
        (lambda: att.paper_shield_transmission(1500.0, lxe_cm=-1.0), "lxe_cm"),
        (lambda: att.half_space_escape_probability(300.0, np.nan), "depth_cm"),
        (lambda: att.half_space_escape_probability(300.0, 1.0, density_g_cm3=np.nan), "density_g_cm3"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()

r"""Photon attenuation in tungsten and liquid xenon, 0.15-3 MeV.

Mass attenuation coefficients mu/rho (total, with coherent scattering) are the NIST values
(Hubbell & Seltzer, NIST SRD 126, Table 3; the XCOM database at the same energies) vendored
in ``lxenu/data/nist_mu_rho_W_Xe.csv`` with their provenance. Between tabulated energies
they are interpolated linearly in (log E, log mu/rho), as NIST recommends for smooth
stretches without absorption edges (there are none in W or Xe above 0.15 MeV; the W K edge
is at 69.5 keV, the Xe K edge at 34.6 keV).

Narrow-beam ("good geometry") transmission through layers i of thickness x_i and density
rho_i is

.. math::

    T(E) = \exp\Big(-\sum_i (\mu/\rho)_i(E)\, \rho_i\, x_i\Big),

which counts only uncollided photons. Photons scattered through small angles also reach
the target; a build-up factor B >= 1 multiplies T. Without the ANSI/ANS-6.4.3 build-up
tables (not available to us), :func:`transmission` offers the linear form
B = 1 + mu x (mu x the total number of mean free paths), a deliberately generous stated
bound for high-Z shields at 0.15-3 MeV; it is an option, never the default.

The paper (Coloma, Huber & Link 2014, sect. 2) quotes an attenuation of 1e-11 at 1.5 MeV for
17 cm of tungsten plus 70 cm of liquid xenon; :func:`paper_shield_transmission` computes ours.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import expn

from ..experiment.geometry import LXE_DENSITY_G_CM3
from ..validation import check_non_negative, check_positive, check_range

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "nist_mu_rho_W_Xe.csv"

#: Density of tungsten, g/cm^3 (NIST SRD 126, Table 1: 19.30).
TUNGSTEN_DENSITY_G_CM3 = 19.3

#: The paper's shield (sect. 2): 17 cm of tungsten, then 70 cm of liquid xenon before the fiducial volume.
PAPER_TUNGSTEN_CM = 17.0
PAPER_LXE_CM = 70.0

MATERIALS = ("W", "Xe")
BUILDUP_MODELS = ("none", "linear")


@lru_cache(maxsize=1)
def table() -> dict[str, np.ndarray]:
    """The vendored NIST table: {"energy_MeV", "W", "Xe"} arrays (mu/rho in cm^2/g)."""
    lines = [ln.strip() for ln in DATA_FILE.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split(",")
    rows = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]])
    if header != ["energy_MeV", "mu_rho_W_cm2_g", "mu_rho_Xe_cm2_g"]:
        raise ValueError(f"unexpected columns in {DATA_FILE.name}: {list(header)}")
    return {"energy_MeV": rows[:, 0], "W": rows[:, 1], "Xe": rows[:, 2]}


def energy_range_keV() -> tuple[float, float]:
    """Energies covered by the table, keV."""
    e = table()["energy_MeV"]
    return 1e3 * float(e[0]), 1e3 * float(e[-1])


def mass_attenuation_cm2_g(material: str, E_keV):
    """mu/rho of ``material`` ("W" or "Xe") at photon energy E (keV), cm^2/g, log-log interpolated."""
    if material not in MATERIALS:
        raise ValueError(f"material must be one of {MATERIALS}; got {material!r}")
    lo, hi = energy_range_keV()
    check_range("E_keV", E_keV, lo, hi, unit="keV")
    tab = table()
    logE = np.log(np.asarray(E_keV, dtype=float) * 1e-3)
    return np.exp(np.interp(logE, np.log(tab["energy_MeV"]), np.log(tab[material])))


def mean_free_paths(E_keV, layers) -> np.ndarray:
    """Total optical depth sum_i (mu/rho)_i rho_i x_i of ``layers`` = [(material, thickness_cm, density_g_cm3)]."""
    total = np.zeros(np.shape(np.asarray(E_keV, dtype=float)))
    for i, (material, thickness_cm, density_g_cm3) in enumerate(layers):
        check_non_negative(f"layers[{i}] thickness_cm", thickness_cm, "cm")
        check_positive(f"layers[{i}] density_g_cm3", density_g_cm3, "g/cm^3")
        total = total + mass_attenuation_cm2_g(material, E_keV) * density_g_cm3 * thickness_cm
    return total


def buildup_factor(mfp, model: str = "none"):
    """Build-up factor B(mu x): 1 for "none"; 1 + mu x for "linear" (a stated upper bound, see module)."""
    if model not in BUILDUP_MODELS:
        raise ValueError(f"buildup must be one of {BUILDUP_MODELS}; got {model!r}")
    mfp = np.asarray(mfp, dtype=float)
    check_non_negative("mfp", mfp)
    return np.ones_like(mfp) if model == "none" else 1.0 + mfp


def transmission(E_keV, layers, buildup: str = "none"):
    """Photon transmission through ``layers`` = [(material, thickness_cm, density_g_cm3)].

    Narrow-beam exp(-mu x) by default; ``buildup="linear"`` multiplies by B = 1 + mu x.
    """
    mfp = mean_free_paths(E_keV, layers)
    return buildup_factor(mfp, buildup) * np.exp(-mfp)


def paper_layers(
    tungsten_cm: float = PAPER_TUNGSTEN_CM, lxe_cm: float = PAPER_LXE_CM, lxe_density_g_cm3: float = LXE_DENSITY_G_CM3
):
    """The paper's shield as layers: tungsten then liquid xenon."""
    check_non_negative("tungsten_cm", tungsten_cm, "cm")
    check_non_negative("lxe_cm", lxe_cm, "cm")
    check_positive("lxe_density_g_cm3", lxe_density_g_cm3, "g/cm^3")
    return [("W", tungsten_cm, TUNGSTEN_DENSITY_G_CM3), ("Xe", lxe_cm, lxe_density_g_cm3)]


def paper_shield_transmission(
    E_keV=1500.0, buildup: str = "none", tungsten_cm: float = PAPER_TUNGSTEN_CM, lxe_cm: float = PAPER_LXE_CM
):
    """Transmission through 17 cm W + 70 cm LXe (the paper quotes 1e-11 at 1.5 MeV)."""
    return transmission(E_keV, paper_layers(tungsten_cm, lxe_cm), buildup)


def half_space_escape_probability(E_keV, depth_cm, material: str = "Xe", density_g_cm3: float = LXE_DENSITY_G_CM3):
    """Probability that a gamma emitted isotropically at ``depth_cm`` below the flat surface of a
    half-space leaves it without interacting: 1/2 E_2(mu d), E_2 the exponential integral
    (the standard slab-escape result, e.g. Chandrasekhar, *Radiative Transfer*, 1960, ch. 1).
    1/2 at the surface; falls as e^(-mu d)/(2 mu d) deep inside.
    """
    check_non_negative("depth_cm", depth_cm, "cm")
    check_positive("density_g_cm3", density_g_cm3, "g/cm^3")
    tau = mass_attenuation_cm2_g(material, E_keV) * density_g_cm3 * np.asarray(depth_cm, dtype=float)
    return 0.5 * expn(2, tau)

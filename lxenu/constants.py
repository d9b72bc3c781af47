"""Physical constants in the units used throughout lxenu (keV, cm, days).

Every value is taken from :mod:`scipy.constants` (CODATA) and converted here
once; nothing is retyped except the exact definitions that CODATA does not
carry (the curie) and the weak mixing angle, which CODATA does not give (PDG values).
"""

from scipy import constants as _c

#: Electron mass m_e c^2 in keV (CODATA).
ELECTRON_MASS_KEV = _c.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3

#: Fermi constant G_F / (hbar c)^3 in keV^-2 (CODATA, given in GeV^-2).
FERMI_CONSTANT_PER_KEV2 = _c.physical_constants["Fermi coupling constant"][0] * 1e-12

#: hbar c in keV cm (CODATA, given in MeV fm).
HBAR_C_KEV_CM = _c.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e3 * 1e-13

#: Classical electron radius r_e = alpha hbar c / (m_e c^2) in cm (CODATA).
CLASSICAL_ELECTRON_RADIUS_CM = _c.physical_constants["classical electron radius"][0] * 1e2

#: Fine-structure constant (CODATA).
FINE_STRUCTURE = _c.fine_structure

#: Avogadro constant in mol^-1 (exact, SI 2019).
AVOGADRO = _c.N_A

#: Seconds per day.
SECONDS_PER_DAY = _c.day

#: Days per Julian year (365.25 d), the year used for half-lives.
DAYS_PER_YEAR = _c.Julian_year / _c.day

#: Becquerel per curie: 1 Ci = 3.7e10 Bq exactly (definition of the curie).
BECQUEREL_PER_CURIE = 3.7e10

#: Electron-mass-squared conversion: (G_F^2 m_e / 2 pi) in cm^2 / keV, the
#: prefactor of the weak nu-e differential cross section.
WEAK_PREFACTOR_CM2_PER_KEV = FERMI_CONSTANT_PER_KEV2**2 * ELECTRON_MASS_KEV / (2.0 * _c.pi) * HBAR_C_KEV_CM**2

#: pi r_e^2 in cm^2, the prefactor of the magnetic-moment cross section
#: pi alpha^2 mu^2 / m_e^2 (1/T - 1/E) with mu in Bohr magnetons.
MAGNETIC_PREFACTOR_CM2 = _c.pi * CLASSICAL_ELECTRON_RADIUS_CM**2

#: sqrt(2) G_F N_A / cm^3 in eV: the matter potential for an electron density
#: of one mole of electrons per cm^3.
MATTER_POTENTIAL_EV_PER_NA_CM3 = 2**0.5 * FERMI_CONSTANT_PER_KEV2 * 1e-6 * AVOGADRO * (HBAR_C_KEV_CM * 1e3) ** 3

#: Oscillation phase constant: Delta m^2 L / (4 E) = OSC_PHASE * dm2[eV^2] L[cm] / E[keV].
#: (1/(4 hbar c)) with hbar c in eV cm, times the keV->eV conversion.
OSC_PHASE_EV2CM_PER_KEV = 1.0 / (4.0 * HBAR_C_KEV_CM * 1e3) / 1e3

#: Default weak mixing angle: the low-energy (Q -> 0) MS-bar value sin^2 theta_W(0) = 0.23857
#: (PDG Review of Particle Physics, Electroweak model chapter), the value for keV momentum
#: transfers.
SIN2_THETA_W_LOW_ENERGY = 0.23857
#: MS-bar value at the Z pole, sin^2 theta_W(M_Z) = 0.23122 (PDG).
SIN2_THETA_W_MZ = 0.23122
#: On-shell value 1 - M_W^2/M_Z^2 = 0.22337 (PDG).
SIN2_THETA_W_ON_SHELL = 0.22337

#: The weak mixing angle of every nu-e cross section unless an experiment sets another.
SIN2_THETA_W_DEFAULT = SIN2_THETA_W_LOW_ENERGY

#: Unit of the magnetic-moment fits, mu_B: they fit x = (mu_nu / MU_UNIT)^2.
MU_UNIT = 1e-12

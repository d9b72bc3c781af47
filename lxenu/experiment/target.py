"""Target materials: what the detector is made of, as data.

A :class:`Target` gives the electron count (signal and solar-neutrino rates scale
with electrons per gram) and the isotopic abundances that the intrinsic
backgrounds need (¹³⁶Xe double-beta decay, ¹²⁴Xe double electron capture). A
detector names its target (``detector.target = "xenon"`` in an experiment file);
a background component that needs an isotope the target does not list raises a
``ValueError`` instead of silently computing xenon rates for another material.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import AVOGADRO
from ..validation import check_positive


@dataclass(frozen=True)
class Target:
    """A target material.

    Parameters
    ----------
    name:
        The name used in experiment files (``detector.target``).
    electrons_per_molecule:
        Electrons per atom (element) or molecule (compound): Z for xenon.
    molar_mass_g:
        Molar mass of that atom or molecule, g/mol.
    isotopic_abundance:
        (isotope, atom fraction) pairs for the isotopes that background models use.
    has_intrinsic_background_model:
        Whether lxenu models this material's intrinsic radioactivity (⁸⁵Kr, ²²²Rn, ¹³⁶Xe …).
    density_g_cm3:
        Nominal density of the material in a detector, g/cm^3: what an experiment file gets when
        its ``[detector]`` table gives no ``density_g_cm3``.
    reference:
        Where the numbers come from.
    """

    name: str
    electrons_per_molecule: int
    molar_mass_g: float
    isotopic_abundance: tuple[tuple[str, float], ...] = ()
    has_intrinsic_background_model: bool = False
    density_g_cm3: float = 1.0
    reference: str = ""

    def __post_init__(self):
        check_positive("electrons_per_molecule", self.electrons_per_molecule)
        check_positive("molar_mass_g", self.molar_mass_g, "g/mol")
        check_positive("density_g_cm3", self.density_g_cm3, "g/cm^3")

    @property
    def electrons_per_tonne(self) -> float:
        """Electrons per tonne of material."""
        return 1e6 * self.electrons_per_molecule * AVOGADRO / self.molar_mass_g

    @property
    def molecules_per_tonne(self) -> float:
        """Atoms (element) or molecules (compound) per tonne."""
        return 1e6 * AVOGADRO / self.molar_mass_g

    def abundance(self, isotope: str, needed_by: str = "a background component") -> float:
        """Atom fraction of ``isotope``; a ``ValueError`` names ``needed_by`` if the target lacks it."""
        table = dict(self.isotopic_abundance)
        if isotope not in table:
            raise ValueError(
                f"{needed_by} needs {isotope}, but the target {self.name!r} has no {isotope} "
                f"(isotopes listed: {', '.join(table) or 'none'})"
            )
        return table[isotope]


#: Xenon: Z = 54, standard atomic weight 131.293 g/mol (CIAAW/IUPAC 2013); isotopic abundances
#: ¹²⁴Xe 0.0952 %, ¹³⁶Xe 8.857 % (IUPAC "Isotopic compositions of the elements 2013",
#: Meija et al., Pure Appl. Chem. 88 (2016) 293: 0.000952(3) and 0.088573(44)).
XENON = Target(
    name="xenon",
    electrons_per_molecule=54,
    molar_mass_g=131.293,
    isotopic_abundance=(("124Xe", 0.000952), ("136Xe", 0.08857)),
    has_intrinsic_background_model=True,
    density_g_cm3=2.9,
    reference="CIAAW 2013 atomic weight; Meija et al., Pure Appl. Chem. 88 (2016) 293; "
    "density: liquid xenon near 175 K (LZ), which makes the paper's ~6 t",
)

#: Pseudocumene (1,2,4-trimethylbenzene, C₉H₁₂), the Borexino scintillator: 66 electrons and
#: 120.19 g/mol per molecule (standard atomic weights C 12.011, H 1.008), 0.878 g/cm^3. lxenu has no model of
#: its intrinsic backgrounds (the SOX comparison of :mod:`lxenu.analyses.sox` sets its own).
PSEUDOCUMENE = Target(
    name="pseudocumene",
    electrons_per_molecule=9 * 6 + 12,
    molar_mass_g=9 * 12.011 + 12 * 1.008,
    density_g_cm3=0.878,
    reference="standard atomic weights (CIAAW); density of the Borexino scintillator, 0.878 g/cm^3",
)

TARGETS = {t.name: t for t in (XENON, PSEUDOCUMENE)}


def target_named(name: str) -> Target:
    """The :class:`Target` called ``name`` (``ValueError`` listing the known ones otherwise)."""
    if name not in TARGETS:
        raise ValueError(f"target must be one of {sorted(TARGETS)}; got {name!r}")
    return TARGETS[name]

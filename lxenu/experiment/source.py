"""Electron-capture neutrino sources: one line-source class, ⁵¹Cr and ³⁷Ar as presets.

When a nucleus decays by electron capture almost all the energy goes to one
mono-energetic neutrino. A :class:`LineSource` is data: initial activity, mean
life, the neutrino lines (energy, neutrinos per decay) and the shape of the
source material. Presets are files in ``lxenu/data/sources/`` with their
references (``LineSource.from_preset("ar37")``):

* ``cr51`` (the default): the paper's two-line model, 750 keV (90 %) and
  430 keV (10 %), mean life 39.96 d (Coloma, Huber & Link, JHEP 11 (2014) 042,
  sect. 1). ⁵¹Cr decays to ⁵¹V with Q_EC = 752.4 keV: 90.1 % to the ground state
  (747 keV, K capture; 752 keV, L and higher shells) and 9.9 % to the 320 keV
  level (427/432 keV neutrinos and a 320 keV gamma).
* ``cr51-four-lines``: the four measured lines (Bahcall, PRC 56 (1997) 3391) and
  the evaluated half-life 27.704 d.
* ``ar37``: 811/813 keV, T½ = 35.011 d, no gammas.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ..constants import BECQUEREL_PER_CURIE, SECONDS_PER_DAY
from ..kinematics import max_recoil_keV
from ..validation import check_instance, check_integer, check_non_negative, check_range, check_scalar_fields
from .schema import build, table_of


@dataclass(frozen=True)
class NeutrinoLine:
    """A mono-energetic neutrino line: energy (keV) and neutrinos per decay."""

    energy_keV: float
    branching: float
    label: str = ""

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("energy_keV", self.energy_keV, 0.0, 1e5, low_inclusive=False, unit="keV")
        check_range("branching", self.branching, 0.0, 1.0, low_inclusive=False)
        if not isinstance(self.label, str):
            raise ValueError(f"label must be a string; got {self.label!r}")


#: The paper's two-line model (sect. 1): 750 keV in 90 %, 430 keV in 10 % of decays.
CR51_TWO_LINES = (
    NeutrinoLine(750.0, 0.90, "750 keV"),
    NeutrinoLine(430.0, 0.10, "430 keV"),
)

#: The four measured 51Cr lines (Bahcall, PRC 56 (1997) 3391, table II): K and L
#: capture to the ground state and to the 320 keV level of 51V.
CR51_FOUR_LINES = (
    NeutrinoLine(747.0, 0.8163, "747 keV (K, g.s.)"),
    NeutrinoLine(752.0, 0.0849, "752 keV (L, g.s.)"),
    NeutrinoLine(427.0, 0.0895, "427 keV (K, 320 keV level)"),
    NeutrinoLine(432.0, 0.0093, "432 keV (L, 320 keV level)"),
)

#: Largest activity accepted, MCi: far above any source made (GALLEX 1.7 MCi, BEST 3.4 MCi) or
#: proposed (SOX 10 MCi); larger inputs are typing errors, not studies.
MAX_ACTIVITY_MCI = 1000.0
#: Shortest run accepted, days (about 15 minutes).
MIN_DAYS = 0.01
#: Longest run or start delay accepted, days (about 270 years).
MAX_DAYS = 1e5
#: Most deployments accepted (one a year would take a millennium).
MAX_DEPLOYMENTS = 1000

#: Mean life used by the paper, days (sect. 1).
CR51_MEAN_LIFE_DAYS_PAPER = 39.96

#: Evaluated half-life 27.704 d (ENSDF, Nucl. Data Sheets 107 (2006) 2715); tau = T1/2 / ln 2.
CR51_HALF_LIFE_DAYS = 27.704


@dataclass(frozen=True)
class CylindricalSourceShape:
    """A uniform cylinder of source material, axis along the detector axis (cm).

    The paper assumes a compact 51Cr source, a cylinder 14 cm high and 14 cm in
    diameter (sect. 3), which needs chromium enriched to ~95 % in 50Cr.
    """

    diameter_cm: float = 14.0
    height_cm: float = 14.0

    def __post_init__(self):
        check_scalar_fields(self)
        check_non_negative("diameter_cm", self.diameter_cm, "cm")
        check_non_negative("height_cm", self.height_cm, "cm")

    def sample_points_cm(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Uniform emission points relative to the source centre, shape (n, 3), cm."""
        n = check_integer("n", n, 0)
        check_instance("rng", rng, np.random.Generator, "a numpy.random.Generator (numpy.random.default_rng(seed))")
        r = 0.5 * self.diameter_cm * np.sqrt(rng.random(n))
        phi = 2.0 * np.pi * rng.random(n)
        z = self.height_cm * (rng.random(n) - 0.5)
        return np.column_stack((r * np.cos(phi), r * np.sin(phi), z))


@dataclass(frozen=True)
class LineSource:
    """An electron-capture neutrino source of given initial activity (the paper's ⁵¹Cr by default).

    Parameters
    ----------
    activity_MCi:
        Activity at t = 0 (the start of the first run unless ``RunPlan.start_day`` says
        otherwise), in mega-curie. The paper: 5 MCi.
    mean_life_days:
        Mean life tau, days. The paper: 39.96 d.
    lines:
        The neutrino lines; the paper's two-line model by default.
    shape:
        The geometry of the source material (used by the distance response).
    name, nuclide, description, reference:
        What the source is and where its numbers come from (not used in any calculation).
    """

    activity_MCi: float = 5.0
    mean_life_days: float = CR51_MEAN_LIFE_DAYS_PAPER
    lines: tuple[NeutrinoLine, ...] = CR51_TWO_LINES
    shape: CylindricalSourceShape = field(default_factory=CylindricalSourceShape)
    name: str = field(default="cr51", compare=False)
    nuclide: str = "51Cr"
    description: str = field(default="", compare=False)
    reference: str = field(default="", compare=False)

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("activity_MCi", self.activity_MCi, 0.0, MAX_ACTIVITY_MCI, low_inclusive=False, unit="MCi")
        check_range("mean_life_days", self.mean_life_days, 0.0, 1e6, low_inclusive=False, unit="days")
        if not isinstance(self.lines, tuple) or not all(isinstance(x, NeutrinoLine) for x in self.lines):
            raise ValueError(f"lines must be a tuple of NeutrinoLine; got {self.lines!r}")
        if not self.lines:
            raise ValueError("lines must contain at least one NeutrinoLine")
        check_instance("shape", self.shape, CylindricalSourceShape)
        for key in ("name", "nuclide", "description", "reference"):
            check_instance(key, getattr(self, key), str, "a string")
        total = sum(line.branching for line in self.lines)
        if total > 1.0 + 1e-9:
            raise ValueError(f"the line branchings must sum to at most 1; got {total:g}")

    @classmethod
    def from_preset(cls, name: str) -> LineSource:
        """A preset from ``lxenu/data/sources/<name>.toml`` (see :func:`source_presets`)."""
        return cls.from_dict(load_source_table(name), where=f"source preset {name!r}")

    @classmethod
    def from_dict(cls, table: dict, where: str = "[source]") -> LineSource:
        """A source from a table of an experiment or source file (keys as in ``cr51.toml``).

        ``shape_diameter_cm`` and ``shape_height_cm`` give the source cylinder, ``lines`` a list
        of tables with ``energy_keV``, ``branching`` and ``label``.
        """
        if not isinstance(table, dict):
            raise ValueError(f"{where} must be a table of keys; got {table!r}")
        table = dict(table)
        shape = build(
            CylindricalSourceShape,
            {k[len("shape_") :]: table.pop(k) for k in list(table) if k.startswith("shape_")},
            where,
        )
        if "lines" not in table:
            raise ValueError(f"{where}: lines is missing (a list of tables with energy_keV, branching, label)")
        lines = table.pop("lines")
        if not isinstance(lines, list) or not lines:
            raise ValueError(f"{where}: lines must be a non-empty list of tables; got {lines!r}")
        built = tuple(build(NeutrinoLine, line, f"{where} lines[{i}]") for i, line in enumerate(lines))
        return build(cls, table, where, shape=shape, lines=built)

    def to_dict(self) -> dict:
        """The table that :meth:`from_dict` reads back into an equal source."""
        out = table_of(self, skip=("shape", "lines"))
        out.update({f"shape_{k}": v for k, v in table_of(self.shape).items()})
        out["lines"] = [table_of(line) for line in self.lines]
        return out

    @classmethod
    def four_lines(cls, **kwargs) -> LineSource:
        """The source with the four measured ⁵¹Cr lines instead of the paper's two."""
        return cls(lines=CR51_FOUR_LINES, **kwargs)

    def replace(self, **changes) -> LineSource:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)

    @property
    def half_life_days(self) -> float:
        return self.mean_life_days * np.log(2.0)

    @property
    def initial_rate_per_day(self) -> float:
        """Decays per day at t = 0."""
        return self.activity_MCi * 1e6 * BECQUEREL_PER_CURIE * SECONDS_PER_DAY

    def activity_MCi_at(self, t_days):
        """Activity (MCi) at time t (days) after t = 0: A0 exp(-t / tau)."""
        check_non_negative("t_days", t_days, "days")
        return self.activity_MCi * np.exp(-np.asarray(t_days, dtype=float) / self.mean_life_days)

    def decays_between(self, t_start_days, t_stop_days):
        """Number of decays between two times (days after t = 0).

        N = A0 tau [exp(-t1/tau) - exp(-t2/tau)], exact for exponential decay.
        """
        check_non_negative("t_start_days", t_start_days, "days")
        check_non_negative("t_stop_days", t_stop_days, "days")
        t1 = np.asarray(t_start_days, dtype=float)
        t2 = np.asarray(t_stop_days, dtype=float)
        if np.any(t2 < t1):
            raise ValueError("t_stop_days must not be earlier than t_start_days")
        tau = self.mean_life_days
        return self.initial_rate_per_day * tau * (np.exp(-t1 / tau) - np.exp(-t2 / tau))

    @property
    def max_recoil_keV(self) -> float:
        """Largest electron recoil energy its neutrinos can give, keV (the highest line's T_max)."""
        return float(max_recoil_keV(max(line.energy_keV for line in self.lines)))

    def neutrinos_per_line(self, n_decays) -> dict[float, float]:
        """Neutrinos emitted in each line for a number of decays, keyed by line energy (keV)."""
        check_non_negative("n_decays", n_decays)
        return {line.energy_keV: line.branching * n_decays for line in self.lines}


#: The name this class had when lxenu knew only ⁵¹Cr; ``Cr51Source()`` is the paper's source.
Cr51Source = LineSource


def source_presets() -> dict[str, str]:
    """Preset names and their one-line descriptions (files in ``lxenu/data/sources/``)."""
    out = {}
    for path in sorted((resources.files("lxenu") / "data" / "sources").iterdir(), key=lambda p: p.name):
        if path.name.endswith(".toml"):
            out[path.name[:-5]] = tomllib.loads(path.read_text(encoding="utf-8")).get("description", "")
    return out


def load_source_table(name: str) -> dict:
    """The raw table of a source preset."""
    presets = source_presets()
    if name not in presets:
        raise ValueError(f"source must be one of the presets {sorted(presets)} or a .toml file; got {name!r}")
    text = (resources.files("lxenu") / "data" / "sources" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class RunPlan:
    """When data are taken.

    Parameters
    ----------
    days:
        Length of each data-taking period, days (paper: 100).
    start_day:
        Days between t = 0 (when the source has ``activity_MCi``) and the start of
        data taking: a source delivered late has decayed by exp(-start_day / tau).
    deployments:
        Number of deployments. Each is a fresh source of the same strength,
        taking data for the same ``days`` from the same ``start_day`` (paper sect. 4).
    """

    days: float = 100.0
    start_day: float = 0.0
    deployments: int = 1

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("days", self.days, MIN_DAYS, MAX_DAYS, unit="days")
        check_range("start_day", self.start_day, 0.0, MAX_DAYS, unit="days")
        check_integer("deployments", self.deployments, 1, MAX_DEPLOYMENTS)

    @property
    def live_days(self) -> float:
        """Total data-taking time over all deployments, days (the background exposure time)."""
        return self.days * self.deployments

    def source_decays(self, source: LineSource) -> float:
        """Source decays during data taking, summed over deployments."""
        check_instance("source", source, LineSource, "a LineSource (e.g. LineSource.from_preset('cr51'))")
        single = source.decays_between(self.start_day, self.start_day + self.days)
        return float(single) * self.deployments

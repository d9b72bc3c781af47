"""An experiment is data: source, detector, run plan, response, backgrounds, analysis settings.

Like a GLoBES AEDL file or a pyhf workspace, an experiment is described by a file
(TOML, read with :mod:`tomllib`) in which every value carries its unit in its key and
every preset its reference::

    name = "paper2014"
    description = "5 MCi 51Cr 1 m below a 1.38 m x 1.38 m liquid-xenon cylinder (~6 t), 100 days"
    reference = "Coloma, Huber & Link, JHEP 11 (2014) 042"
    [source]              preset = "cr51" (a file in lxenu/data/sources/), plus any key to override
    [detector]            geometry = "cylinder", height_m, diameter_m, gap_m, target, density_g_cm3
    [run]                 days, start_day, deployments
    [response]            stochastic_keV_sqrt, constant, noise_keV, vertex_resolution_cm
    [cross_section]       sin2_theta_w, atomic_binding
    [backgrounds]         scale; [backgrounds.solar], [backgrounds.kr85], [backgrounds.rn222], ...
    [analysis.magnetic_moment], [analysis.sterile]   windows, bins, conventions, priors

Presets ship in ``lxenu/data/experiments/`` (:func:`experiment_presets`); ``paper2014`` is
the default, and ``Experiment()`` equals ``Experiment.from_file("paper2014")``. Unknown
keys, wrong types, NaN and out-of-range values raise a ``ValueError`` that names the
file, the key, the value and the allowed range. :meth:`Experiment.to_toml` writes the
fully resolved experiment, which reads back into an equal one.

Nothing downstream edits an experiment, and an experiment computes nothing: the
predictions (:mod:`lxenu.predict`: the signal, the backgrounds, the responses) are
functions of it, and the analyses (:mod:`lxenu.analyses`) read their settings from it.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import tomli_w

from ..constants import SIN2_THETA_W_DEFAULT
from ..validation import check_flag, check_instance, check_range, check_scalar_fields
from .analysis import AnalysisSettings, MagneticMomentSettings, SterileSettings
from .backgrounds import COMPONENT_TYPES, BackgroundModel
from .geometry import GEOMETRIES, CylindricalDetector, FiducialGeometry
from .response import DetectorResponse
from .schema import build, check_value, table_of
from .source import LineSource, RunPlan, load_source_table
from .target import TARGETS

#: Top-level sections of an experiment file, besides ``name``, ``description`` and ``reference``.
SECTIONS = ("source", "detector", "run", "response", "cross_section", "backgrounds", "analysis")
#: Keys of a solar-background table that the experiment sets from ``[cross_section]``.
_CROSS_SECTION_KEYS = ("sin2_theta_w", "atomic_binding")


def _presets_dir():
    return resources.files("lxenu") / "data" / "experiments"


def experiment_presets() -> dict[str, tuple[str, str]]:
    """Preset names with their (description, reference)."""
    out = {}
    for path in sorted(_presets_dir().iterdir(), key=lambda p: p.name):
        if path.name.endswith(".toml"):
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            out[path.name[:-5]] = (table.get("description", ""), table.get("reference", ""))
    return out


def read_experiment_table(name_or_path) -> tuple[dict, str]:
    """(raw table, label for messages) of a preset name or a TOML file path."""
    check_instance("experiment", name_or_path, (str, os.PathLike), "a preset name or the path of a TOML file")
    text_path = os.fspath(name_or_path)
    if not isinstance(text_path, str) or not text_path:
        raise ValueError(f"experiment must be a preset name or a .toml file; got {name_or_path!r}")
    presets = experiment_presets()
    if text_path in presets:
        text, label = (_presets_dir() / f"{text_path}.toml").read_text(encoding="utf-8"), f"{text_path}.toml"
    elif os.path.isfile(text_path):
        with open(text_path, encoding="utf-8") as fh:
            text, label = fh.read(), text_path
    else:
        raise ValueError(
            f"experiment must be one of the presets {sorted(presets)} or an existing .toml file; got {text_path!r}"
        )
    try:
        return tomllib.loads(text), label
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{label}: not valid TOML: {err}") from None


@dataclass(frozen=True)
class Experiment:
    """The paper's benchmark by default: 5 MCi ⁵¹Cr, 100 days, 1.38 m LXe cylinder 1 m above it.

    Parameters
    ----------
    source:
        The neutrino source (:class:`~lxenu.experiment.source.LineSource`; ⁵¹Cr or ³⁷Ar presets).
    detector:
        The fiducial volume and its target (:class:`~lxenu.experiment.geometry.CylindricalDetector`
        or :class:`~lxenu.experiment.geometry.SphericalDetector`).
    run:
        Run length, start and number of deployments (:class:`~lxenu.experiment.source.RunPlan`).
    resolution:
        Energy and vertex resolution (:class:`~lxenu.experiment.response.DetectorResponse`).
    backgrounds:
        The background components (:class:`~lxenu.experiment.backgrounds.BackgroundModel`).
    sin2_theta_w:
        Weak mixing angle of every nu-e cross section, signal and solar background alike.
    atomic_binding:
        Xenon stepping approximation in every nu-e cross section.
    analysis:
        Settings of the magnetic-moment and sterile fits (:mod:`lxenu.experiment.analysis`).
    name, description, reference:
        What the experiment is and where its numbers come from (not compared).
    """

    source: LineSource = field(default_factory=LineSource)
    detector: CylindricalDetector = field(default_factory=CylindricalDetector)
    run: RunPlan = field(default_factory=RunPlan)
    resolution: DetectorResponse = field(default_factory=DetectorResponse)
    backgrounds: BackgroundModel = field(default_factory=BackgroundModel)
    sin2_theta_w: float = SIN2_THETA_W_DEFAULT
    atomic_binding: bool = False
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    name: str = field(default="paper2014", compare=False)
    description: str = field(default="", compare=False)
    reference: str = field(default="", compare=False)

    def __post_init__(self):
        check_scalar_fields(self)
        check_range("sin2_theta_w", self.sin2_theta_w, 0.0, 1.0)
        if not isinstance(self.atomic_binding, (bool, np.bool_)):
            raise ValueError(f"atomic_binding must be true or false; got {self.atomic_binding!r}")
        if not isinstance(self.source, LineSource):
            raise ValueError(f"source must be a LineSource; got {type(self.source).__name__}")
        if not isinstance(self.detector, FiducialGeometry) or not hasattr(self.detector, "target_material"):
            raise ValueError(
                f"detector must be a fiducial volume with a target (e.g. CylindricalDetector); "
                f"got {type(self.detector).__name__}"
            )
        check_instance("run", self.run, RunPlan, "a RunPlan (days, start_day, deployments)")
        check_instance("resolution", self.resolution, DetectorResponse, "a DetectorResponse")
        check_instance("backgrounds", self.backgrounds, BackgroundModel, "a BackgroundModel")
        check_instance("analysis", self.analysis, AnalysisSettings, "an AnalysisSettings")
        for key in ("name", "description", "reference"):
            check_instance(key, getattr(self, key), str, "a string")
        self.backgrounds.check_target(self.detector.target_material)
        self._check_windows()

    def _check_windows(self) -> None:
        """The analysis windows must lie below the largest recoil the source's lines can give."""
        top = self.source.max_recoil_keV
        mm, st = self.analysis.magnetic_moment, self.analysis.sterile
        if mm.max_keV > top:
            raise ValueError(
                f"analysis.magnetic_moment.max_keV must not exceed the largest recoil of the source's lines, "
                f"{top:.1f} keV; got {mm.max_keV:g}"
            )
        st_top = top if isinstance(st.max_keV, str) else float(st.max_keV)
        if not isinstance(st.max_keV, str) and st_top > top:
            raise ValueError(
                f"analysis.sterile.max_keV must not exceed the largest recoil of the source's lines, "
                f'{top:.1f} keV (or be "endpoint"); got {st.max_keV:g}'
            )
        if st.threshold_keV >= st_top:
            raise ValueError(
                f"analysis.sterile.threshold_keV must lie below the window's upper end {st_top:.1f} keV; "
                f"got {st.threshold_keV:g}"
            )
        lo, hi = self.detector.distance_range_cm
        if st.bin_cm > (hi - lo) / 2.0:
            raise ValueError(
                f"analysis.sterile.bin_cm must give at least two distance bins over the fiducial volume "
                f"({lo:.0f}-{hi:.0f} cm): at most {(hi - lo) / 2.0:.1f} cm; got {st.bin_cm:g}"
            )

    # -- files ---------------------------------------------------------------------------------
    @classmethod
    def paper(cls) -> Experiment:
        """The benchmark of Coloma, Huber & Link (2014), read from its preset file."""
        return cls.from_file("paper2014")

    @classmethod
    def from_file(cls, name_or_path) -> Experiment:
        """An experiment from a preset name (see :func:`experiment_presets`) or a TOML file."""
        check_instance("name_or_path", name_or_path, (str, os.PathLike), "a preset name or the path of a TOML file")
        table, label = read_experiment_table(name_or_path)
        return cls.from_dict(table, where=label)

    @classmethod
    def from_dict(cls, table: dict, where: str = "experiment") -> Experiment:
        """An experiment from a table with the sections of an experiment file.

        ``[source]`` may name a ``preset`` whose keys the other entries override; every
        other section is complete in itself (missing keys take the paper's values).
        """
        if not isinstance(table, dict):
            raise ValueError(f"{where} must be a table of sections; got {table!r}")
        unknown = sorted(set(table) - set(SECTIONS) - {"name", "description", "reference"})
        if unknown:
            raise ValueError(
                f"{where}: unknown section or key {unknown[0]!r}; allowed: "
                f"name, description, reference, {', '.join(SECTIONS)}"
            )
        meta = {k: check_value(where, k, table[k], str) for k in ("name", "description", "reference") if k in table}
        source = _source_from_table(table.get("source", {"preset": "cr51"}), f"{where} [source]")
        detector = _detector_from_table(table.get("detector", {}), f"{where} [detector]")
        run = build(RunPlan, table.get("run", {}), f"{where} [run]")
        resolution = build(DetectorResponse, table.get("response", {}), f"{where} [response]")
        xs = _cross_section_from_table(table.get("cross_section", {}), f"{where} [cross_section]")
        backgrounds = _backgrounds_from_table(table.get("backgrounds", None), f"{where} [backgrounds]")
        analysis = _analysis_from_table(table.get("analysis", {}), f"{where} [analysis")
        try:
            return cls(
                source=source,
                detector=detector,
                run=run,
                resolution=resolution,
                backgrounds=backgrounds,
                analysis=analysis,
                **xs,
                **meta,
            )
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None

    def to_dict(self) -> dict:
        """The fully resolved experiment as a table that :meth:`from_dict` reads back into an equal one."""
        geometry = next((k for k, c in GEOMETRIES.items() if type(self.detector) is c), None)
        if geometry is None:
            raise ValueError(
                f"detector {type(self.detector).__name__} has no geometry name for a file; "
                f"file geometries: {sorted(GEOMETRIES)}"
            )
        out = {
            "name": self.name,
            "description": self.description,
            "reference": self.reference,
            "source": self.source.to_dict(),
            "detector": {"geometry": geometry, **table_of(self.detector)},
            "run": table_of(self.run),
            "response": table_of(self.resolution),
            "cross_section": {"sin2_theta_w": self.sin2_theta_w, "atomic_binding": bool(self.atomic_binding)},
            "backgrounds": {"scale": self.backgrounds.scale},
            "analysis": {
                "magnetic_moment": table_of(self.analysis.magnetic_moment),
                "sterile": table_of(self.analysis.sterile),
            },
        }
        for key, comp in self.backgrounds.components:
            out["backgrounds"][key] = table_of(comp, skip=_CROSS_SECTION_KEYS)
        return out

    def to_toml(self) -> str:
        """The fully resolved experiment as TOML text (``lxenu experiment NAME`` prints it)."""
        return tomli_w.dumps(self.to_dict())

    # -- copies ----------------------------------------------------------------------------------
    def replace(self, **changes) -> Experiment:
        """A copy with some fields replaced (dataclasses.replace)."""
        return dataclasses.replace(self, **changes)

    def with_options(
        self,
        source_mci: float | None = None,
        days: float | None = None,
        deployments: int | None = None,
        start_day: float | None = None,
        gap_m: float | None = None,
        xe136_depletion: float | None = None,
        density_g_cm3: float | None = None,
        background_scale: float | None = None,
        four_lines: bool | None = None,
    ) -> Experiment:
        """A copy with the command-line options applied (``None`` keeps the current value).

        An error names the option (``source_mci``), not the field it sets (``activity_MCi``).
        """
        exp = self
        with _option("source_mci", "activity_MCi"):
            if source_mci is not None:
                exp = exp.replace(source=exp.source.replace(activity_MCi=source_mci))
        if four_lines is not None and check_flag("four_lines", four_lines):
            exp = exp.replace(
                source=LineSource.from_preset("cr51-four-lines").replace(activity_MCi=exp.source.activity_MCi)
            )
        for option, value in (("days", days), ("deployments", deployments), ("start_day", start_day)):
            if value is not None:
                exp = exp.replace(run=dataclasses.replace(exp.run, **{option: value}))
        for option, value in (("gap_m", gap_m), ("density_g_cm3", density_g_cm3)):
            if value is not None:
                exp = exp.replace(detector=dataclasses.replace(exp.detector, **{option: value}))
        with _option("xe136_depletion", "depletion"):
            if xe136_depletion is not None:
                exp = exp.replace(backgrounds=exp.backgrounds.replace_component("xe136", depletion=xe136_depletion))
        with _option("background_scale", "scale"):
            if background_scale is not None:
                exp = exp.replace(backgrounds=dataclasses.replace(exp.backgrounds, scale=background_scale))
        return exp

    # -- derived quantities (data only: the predictions are in lxenu.predict) ----------------
    @property
    def exposure_tonne_days(self) -> float:
        """Fiducial mass x live time, the background exposure, t d."""
        return self.detector.mass_t * self.run.live_days


@contextmanager
def _option(option: str, field_name: str):
    """Re-raise a field's ValueError under the name of the option that set it."""
    try:
        yield
    except ValueError as err:
        text = str(err)
        if text.startswith(field_name):
            text = option + text[len(field_name) :]
        raise ValueError(text) from None


def _source_from_table(table, where: str) -> LineSource:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of keys; got {table!r}")
    table = dict(table)
    if "preset" in table:
        preset = check_value(where, "preset", table.pop("preset"), str)
        try:
            table = {**load_source_table(preset), **table}
        except ValueError as err:
            raise ValueError(f"{where}: preset: {err}") from None
    return LineSource.from_dict(table, where)


def _detector_from_table(table, where: str):
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of keys; got {table!r}")
    table = dict(table)
    geometry = check_value(where, "geometry", table.pop("geometry", "cylinder"), str)
    if geometry not in GEOMETRIES:
        raise ValueError(f"{where}: geometry must be one of {sorted(GEOMETRIES)}; got {geometry!r}")
    if "density_g_cm3" not in table and isinstance(table.get("target"), str) and table["target"] in TARGETS:
        # a file that names its target but no density gets the target's nominal density
        table["density_g_cm3"] = TARGETS[table["target"]].density_g_cm3
    own = {f.name for f in dataclasses.fields(GEOMETRIES[geometry])}
    foreign = sorted(
        k
        for k in table
        if k not in own and any(k in {f.name for f in dataclasses.fields(c)} for c in GEOMETRIES.values())
    )
    if foreign:
        raise ValueError(
            f"{where}: {', '.join(foreign)} belong(s) to another geometry; geometry = {geometry!r} takes "
            f"{', '.join(sorted(own))} (write them in the [detector] table of an experiment file)"
        )
    return build(GEOMETRIES[geometry], table, where)


def _cross_section_from_table(table, where: str) -> dict:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of keys; got {table!r}")
    unknown = sorted(set(table) - set(_CROSS_SECTION_KEYS))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; allowed keys: {', '.join(_CROSS_SECTION_KEYS)}")
    out = {
        "sin2_theta_w": check_value(where, "sin2_theta_w", table.get("sin2_theta_w", SIN2_THETA_W_DEFAULT), float),
        "atomic_binding": check_value(where, "atomic_binding", table.get("atomic_binding", False), bool),
    }
    try:
        check_range("sin2_theta_w", out["sin2_theta_w"], 0.0, 1.0)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    return out


def _backgrounds_from_table(table, where: str) -> BackgroundModel:
    if table is None:
        return BackgroundModel()
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of components; got {table!r}")
    table = dict(table)
    scale = check_value(where, "scale", table.pop("scale", 1.0), float)
    components = []
    for key, sub in table.items():
        if key not in COMPONENT_TYPES:
            raise ValueError(f"{where}: unknown component {key!r}; allowed: scale, {', '.join(COMPONENT_TYPES)}")
        if isinstance(sub, dict):
            bad = sorted(set(sub) & set(_CROSS_SECTION_KEYS))
            if bad:
                raise ValueError(f"{where[:-1]}.{key}]: {bad[0]} is set by [cross_section] for the whole experiment")
        components.append((key, build(COMPONENT_TYPES[key], sub, f"{where[:-1]}.{key}]")))
    try:
        return BackgroundModel(components=tuple(components), scale=scale)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def _analysis_from_table(table, where: str) -> AnalysisSettings:
    if not isinstance(table, dict):
        raise ValueError(f"{where}] must be a table of analyses; got {table!r}")
    unknown = sorted(set(table) - {"magnetic_moment", "sterile"})
    if unknown:
        raise ValueError(f"{where}]: unknown analysis {unknown[0]!r}; allowed: magnetic_moment, sterile")
    mm = build(MagneticMomentSettings, table.get("magnetic_moment", {}), f"{where}.magnetic_moment]")
    st = build(SterileSettings, table.get("sterile", {}), f"{where}.sterile]")
    return AnalysisSettings(magnetic_moment=mm, sterile=st)

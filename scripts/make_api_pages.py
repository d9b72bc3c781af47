"""Write the API reference: one page per lxenu module (book/api/<module>.md), the index book/api.md
(grouped by stage of the calculation, each module with the first line of its docstring) and the
API section of _toc.yml. Run after adding a module: `python scripts/make_api_pages.py`.
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]

GROUPS = {
    "The experiment as data": ["experiment", "source", "detector", "target", "analysis_settings", "schema", "paper"],
    "Interaction and detection": ["cross_section", "atomic", "oscillation", "response", "distance_response", "signal"],
    "Backgrounds and the source's gammas": [
        "backgrounds",
        "solar",
        "beta_decay",
        "double_beta",
        "double_ec",
        "attenuation",
        "source_gamma",
    ],
    "Statistics": ["statistics", "likelihood", "feldman_cousins", "coverage"],
    "Analyses": [
        "magnetic_moment",
        "sterile",
        "binned_prediction",
        "full_information",
        "sox",
        "gallium",
        "reactor",
        "landscape",
    ],
    "Reports: summary, scorecard, tables, plots, explorers, command line": [
        "summary",
        "scorecard",
        "tables",
        "plotting",
        "plotting_realistic",
        "widgets",
        "explorer",
        "cli",
        "validation",
        "constants",
    ],
}


def first_line(path: pathlib.Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    line = doc.strip().splitlines()[0] if doc.strip() else ""
    return re.sub(r"[.:]$", "", line)


def main() -> None:
    modules = {p.stem: p for p in (ROOT / "lxenu").glob("*.py") if not p.stem.startswith("_")}
    listed = [m for group in GROUPS.values() for m in group if m in modules]
    missing = sorted(set(modules) - set(listed))
    if missing:
        raise SystemExit(f"add these modules to a group in {__file__}: {missing}")
    api = ROOT / "book" / "api"
    api.mkdir(exist_ok=True)
    for old in api.glob("*.md"):
        old.unlink()
    index = [
        "# The `lxenu` package",
        "",
        "All the physics of the book lives in `lxenu`; the chapters only call it. Modules follow the",
        "flow of the calculation, from the experiment (data) to the results; each has a page of its own.",
        "Start with `import lxenu` (its docstring says where to start).",
        "",
    ]
    for title, names in GROUPS.items():
        index += [f"## {title}", ""]
        for name in names:
            if name not in modules:
                continue
            (api / f"{name}.md").write_text(
                f"# `lxenu.{name}`\n\n```{{eval-rst}}\n.. automodule:: lxenu.{name}\n   :members:\n```\n"
            )
            index.append(f"- [`lxenu.{name}`](api/{name}): {first_line(modules[name])}")
        index.append("")
    (ROOT / "book" / "api.md").write_text("\n".join(index))
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    sections = "".join(f"          - file: book/api/{n}\n" for n in listed)
    toc = re.sub(
        r"(      - file: book/api\n        sections:\n)(?:          - file: book/api/\w+\n)+",
        lambda m: m.group(1) + sections,
        toc,
    )
    (ROOT / "_toc.yml").write_text(toc)


if __name__ == "__main__":
    main()

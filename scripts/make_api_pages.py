"""Write the API reference: one page per lxenu module (book/api/<stage>.<module>.md), the index
book/api.md (one section per stage of the calculation, each module with the first line of its
docstring) and the API section of _toc.yml. Run after adding a module: `python scripts/make_api_pages.py`.
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]

#: The stages, in the order of the flow (each subpackage imports only those above it).
STAGES = {
    "experiment": "1. The experiment as data",
    "physics": "2. Physics",
    "predict": "3. Predictions and detector response",
    "stats": "4. Statistics",
    "analyses": "5. Analyses",
    "report": "6. Reports: figures, tables, scorecard, explorers",
    "": "Below and above the stages: constants, validation, the command line",
}


def first_line(path: pathlib.Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    line = doc.strip().splitlines()[0] if doc.strip() else ""
    return re.sub(r"[.:]$", "", line)


def modules_by_stage() -> dict[str, list[tuple[str, pathlib.Path]]]:
    """{stage: [(dotted name below lxenu, path)]} in the order of the files in the package."""
    pkg = ROOT / "lxenu"
    out = {stage: [] for stage in STAGES}
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).with_suffix("")
        if rel.name.startswith("_"):
            continue
        stage = rel.parts[0] if len(rel.parts) > 1 else ""
        if stage not in STAGES:
            raise SystemExit(f"add the stage {stage!r} to STAGES in {__file__}")
        out[stage].append((".".join(rel.parts), path))
    return out


def main() -> None:
    api = ROOT / "book" / "api"
    api.mkdir(exist_ok=True)
    for old in api.glob("*.md"):
        old.unlink()
    index = [
        "# The `lxenu` package",
        "",
        "All the physics of the book lives in `lxenu`; the chapters only call it. Its subpackages are the",
        "stages of the calculation, from the experiment (data) to the results, and each imports only the",
        "stages before it. Every module has a page of its own. Start with `import lxenu` (its docstring",
        "says where to start).",
        "",
    ]
    listed = []
    for stage, modules in modules_by_stage().items():
        if not modules:
            continue
        title = STAGES[stage]
        index += [f"## {title}", ""]
        if stage:
            index += [f"`lxenu.{stage}`: {first_line(ROOT / 'lxenu' / stage / '__init__.py')}.", ""]
        for dotted, path in modules:
            (api / f"{dotted}.md").write_text(
                f"# `lxenu.{dotted}`\n\n```{{eval-rst}}\n.. automodule:: lxenu.{dotted}\n   :members:\n```\n"
            )
            index.append(f"- [`lxenu.{dotted}`](api/{dotted}): {first_line(path)}")
            listed.append(dotted)
        index.append("")
    (ROOT / "book" / "api.md").write_text("\n".join(index))
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    sections = "".join(f"          - file: book/api/{n}\n" for n in listed)
    toc = re.sub(
        r"(      - file: book/api\n        sections:\n)(?:          - file: book/api/[\w.]+\n)+",
        lambda m: m.group(1) + sections,
        toc,
    )
    (ROOT / "_toc.yml").write_text(toc)


if __name__ == "__main__":
    main()

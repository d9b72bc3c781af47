"""Keep saved notebooks reproducible, so that `make notebooks` run twice leaves git clean.

Drops widget state, execution timestamps and kernel-session metadata; merges consecutive stream
outputs of the same stream (a kernel splits them by timing); drops the outputs of cells tagged
``remove-output`` (the live widget: random model ids, never shown in the book).

Usage: python scripts/clean_notebooks.py notebooks/*.ipynb   (run by `make notebooks`)
"""

import sys

import nbformat

NOTEBOOK_METADATA_KEPT = ("kernelspec", "language_info", "mystnb")


def merge_streams(outputs: list) -> list:
    """Consecutive ``stream`` outputs of the same name merged into one."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def clean_notebook(nb) -> None:
    """Clean a notebook object in place."""
    for key in list(nb.metadata):
        if key not in NOTEBOOK_METADATA_KEPT:
            del nb.metadata[key]
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type != "code":
            continue
        if "remove-output" in cell.metadata.get("tags", []):
            cell.outputs = []
        cell.outputs = merge_streams(cell.outputs)
        for out in cell.outputs:
            out.get("metadata", {}).pop("transient", None)


def clean(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    clean_notebook(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        clean(p)

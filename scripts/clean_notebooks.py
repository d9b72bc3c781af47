"""Keep saved notebooks reproducible: drop widget state and execution timestamps, and the outputs
of cells tagged ``remove-output`` (the live widget: random model ids, never shown in the book).

Usage: python scripts/clean_notebooks.py notebooks/*.ipynb   (run by `make notebooks`)
"""

import sys

import nbformat


def clean(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and "remove-output" in cell.metadata.get("tags", []):
            cell.outputs = []
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        clean(p)

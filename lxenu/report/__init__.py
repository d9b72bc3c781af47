"""Stage 6, reports: figures, tables, the scorecard against the paper, the explorers.

It holds the book's figures in one style, tables, the scorecard against the paper,
and the interactive explorers (ipywidgets in a kernel, JavaScript in the static book).
"""

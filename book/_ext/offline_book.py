"""Sphinx extension of this book: keep every page free of scripts it does not need.

jupyter-book 1 always loads sphinx-thebe. The book has no live-kernel buttons, and
sphinx-thebe's inline configuration script is added to each page twice (a redeclared
``const`` and a JavaScript error) and points at a CDN. This removes its scripts.
"""


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "thebe" in str(script) or "THEBE_JS_URL" in body


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

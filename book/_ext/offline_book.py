"""Sphinx extension of this book: pages free of scripts they do not need, and the scorecard.

* jupyter-book 1 always loads sphinx-thebe. The book has no live-kernel buttons, and
  sphinx-thebe's inline configuration script is added to each page twice (a redeclared
  ``const`` and a JavaScript error) and points at a CDN. This removes its scripts.
* The bibliography is labelled author–year, like the citations in the text (``{cite:p}``,
  ``{cite:t}``): style ``lxenu_author_year``.
* ``{lxenu-scorecard}`` computes the reproduction scorecard (:mod:`lxenu.report.scorecard`) while the
  book is built and inserts it as a table; ``{lxenu-command}`` runs ``python -m lxenu ARGS`` and
  inserts its output. The chapters render their stored outputs (checked by nbval), so these are
  the only numbers computed at build time, in the Sphinx process: no kernel is started.
"""

import codecs
import shlex
import subprocess
import sys

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from docutils import nodes
from docutils.statemachine import StringList
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.util.docutils import SphinxDirective

from lxenu.report.scorecard import scorecard_markdown, scorecard_rows, typeset_label


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "thebe" in str(script) or "THEBE_JS_URL" in body


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Coloma et al., 2014", "Kaether et al., 2010", "Erler and Ramsey-Musolf, 2005"."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            persons = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [
                codecs.decode(" ".join(p.prelast_names + p.last_names), "ulatex").replace("{", "").replace("}", "")
                for p in persons
            ]
            if "others" in names:
                names = names[: names.index("others")] + ["", ""]
            if not names or not names[0]:
                who = entry.fields.get("key", entry.key)
            elif len(names) == 1:
                who = names[0]
            elif len(names) == 2:
                who = f"{names[0]} and {names[1]}"
            else:
                who = f"{names[0]} et al."
            yield f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(PlainStyle):
    """pybtex's plain style with author–year labels."""

    default_label_style = "lxenu_author_year"


def _verdict(rows) -> str:
    checked = [r for r in rows if r.within is not None]
    outside = [typeset_label(r.quantity) for r in checked if not r.within]
    text = f"{len(checked) - len(outside)} of {len(checked)} computed numbers and claims are within tolerance"
    return text + (f"; outside: {'; '.join(outside)}." if outside else ".")


class ScorecardDirective(SphinxDirective):
    """The scorecard table (Markdown from :func:`lxenu.report.scorecard.scorecard_markdown`), parsed in place."""

    has_content = False

    def run(self):
        rows = scorecard_rows()
        text = scorecard_markdown(rows, typeset=True, link_prefix="../notebooks/") + "\n\n" + _verdict(rows)
        container = nodes.container(classes=["lxenu-scorecard"])
        self.state.nested_parse(
            StringList(text.splitlines(), source="lxenu.report.scorecard"), self.content_offset, container
        )
        return [container]


class CommandDirective(SphinxDirective):
    """The standard output of ``python -m lxenu ARGS`` as a literal block."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        args = shlex.split(self.arguments[0])
        out = subprocess.run([sys.executable, "-m", "lxenu", *args], capture_output=True, text=True, check=True)
        block = nodes.literal_block(out.stdout, out.stdout, classes=["output"])
        block["language"] = "none"
        return [block]


def setup(app):
    register_plugin("pybtex.style.labels", "lxenu_author_year", AuthorYearLabelStyle)
    register_plugin("pybtex.style.formatting", "lxenu_author_year", AuthorYearStyle)
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    app.add_directive("lxenu-scorecard", ScorecardDirective)
    app.add_directive("lxenu-command", CommandDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension of this book: pages free of scripts they do not need, and the scorecard.

* jupyter-book 1 always loads sphinx-thebe. The book has no live-kernel buttons, and
  sphinx-thebe's inline configuration script is added to each page twice (a redeclared
  ``const`` and a JavaScript error) and points at a CDN. This removes its scripts.
* Citations in one style, author–year, in the text (``{cite:p}``, ``{cite:t}``: reference
  style ``lxenu_author_year``) and in the bibliography (labels, formatting and sorting style
  ``lxenu_author_year``): a BibTeX author list that ends in ``and others`` is written
  "Abdurashitov et al." everywhere (pybtex would print "Abdurashitov and others"), and the
  references are sorted by the name the label shows, without braces or case, so
  "{Borexino Collaboration}" sorts under B and not after Z.
* ``{lxenu-scorecard}`` computes the reproduction scorecard (:mod:`lxenu.report.scorecard`) while the
  book is built and inserts it as a table; ``{lxenu-command}`` runs ``python -m lxenu ARGS`` and
  inserts its output. The chapters render their stored outputs (checked by nbval), so these are
  the only numbers computed at build time, in the Sphinx process: no kernel is started.
"""

import codecs
import shlex
import subprocess
import sys
from dataclasses import dataclass, field

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from docutils import nodes
from docutils.statemachine import StringList
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional, sentence, tag
from pybtex.style.template import field as bib_field
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from lxenu.report.scorecard import scorecard_markdown, scorecard_rows, typeset_label


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "thebe" in str(script) or "THEBE_JS_URL" in body


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def _is_others(person) -> bool:
    """BibTeX's ``and others``: the author list is longer than the entry says."""
    return not person.first_names and person.last_names == ["others"]


def _last_name(person) -> str:
    """A person's last name as plain text: LaTeX accents decoded, braces dropped."""
    return codecs.decode(" ".join(person.prelast_names + person.last_names), "ulatex").replace("{", "").replace("}", "")


def label_author(entry) -> str:
    """The author part of an entry's label: "Coloma et al.", "Erler and Ramsey-Musolf", "Borexino Collaboration"."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    others = bool(persons) and _is_others(persons[-1])
    names = [_last_name(p) for p in persons if not _is_others(p)]
    if not names:
        return entry.fields.get("key", entry.key)
    if len(names) == 1 and not others:
        return names[0]
    if len(names) == 2 and not others:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Coloma et al., 2014", "Abdurashitov et al., 2009", "Erler and Ramsey-Musolf, 2005"."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield f"{label_author(entry)}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearSortingStyle(BaseSortingStyle):
    """References in the order of their labels: the shown name (no braces, any case), the year, the title."""

    def sorting_key(self, entry):
        return (label_author(entry).lower(), entry.fields.get("year", ""), entry.fields.get("title", "").lower())


@node
def names_et_al(children, context, role, abbreviate=None, **kwargs):
    """The persons of ``role``, joined; a final ``others`` becomes "et al." instead of a name.

    In the bibliography (``abbreviate`` None: pybtex's formatting style) every listed author is
    kept: "J. N. Abdurashitov et al."; in the text (``abbreviate`` given: the referencing style's
    person style) only the first: "Abdurashitov et al.", like an entry with many authors.
    """
    if children:
        raise ValueError(children)
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    style = context["style"]
    others = bool(persons) and _is_others(persons[-1])
    persons = [p for p in persons if not _is_others(p)]
    if abbreviate is None:  # the bibliography: pybtex's formatting style
        names = [style.format_name(p, style.abbreviate_names).format_data(context) for p in persons]
        if others:
            return Text(Text(", ").join(names), " et al.")
        return join(**kwargs)[names].format_data(context)
    names = [style.person.style_plugin.format(p, abbreviate).format_data(context) for p in persons]
    if others:
        return Text(names[0], kwargs.get("other") or " et al.")
    return _reference_join(names, **kwargs)


def _reference_join(names, sep=", ", sep2=" and ", last_sep=", and ", other=None):
    if len(names) <= 1:
        return Text(*names)
    if len(names) == 2:
        return Text(sep2).join(names)
    if other is None:
        return Text(last_sep).join([Text(sep).join(names[:-1]), names[-1]])
    return Text(names[0], other)


@dataclass
class EtAlPersonStyle(PersonStyle):
    """sphinxcontrib-bibtex's person style with ``and others`` written "et al." (:func:`names_et_al`)."""

    other: object = " et al."

    def names(self, role: str, full: bool):
        return names_et_al(role, abbreviate=self.abbreviate, **self._join_kwargs(full))

    def author_or_editor_or_title(self, full: bool):
        kwargs = self._join_kwargs(full)
        return first_of[
            optional[names_et_al("author", abbreviate=self.abbreviate, **kwargs)],
            optional[names_et_al("editor", abbreviate=self.abbreviate, **kwargs)],
            tag("em")[bib_field("title")],
        ]

    def _join_kwargs(self, full: bool) -> dict:
        return {"sep": self.sep, "sep2": self.sep2, "last_sep": self.last_sep, "other": None if full else self.other}


@dataclass
class EtAlAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Author–year citations in the text ("Coloma et al., 2014") with :class:`EtAlPersonStyle`."""

    person: PersonStyle = field(default_factory=EtAlPersonStyle)


class AuthorYearStyle(PlainStyle):
    """pybtex's plain style with author–year labels, the same order and "et al." for ``and others``."""

    default_label_style = "lxenu_author_year"
    default_sorting_style = "lxenu_author_year"

    def format_names(self, role, as_sentence=True):
        formatted = names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted


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
    register_plugin("pybtex.style.sorting", "lxenu_author_year", AuthorYearSortingStyle)
    register_plugin("pybtex.style.formatting", "lxenu_author_year", AuthorYearStyle)
    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "lxenu_author_year", EtAlAuthorYearReferenceStyle)
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    app.add_directive("lxenu-scorecard", ScorecardDirective)
    app.add_directive("lxenu-command", CommandDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

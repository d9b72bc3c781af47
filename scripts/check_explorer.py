"""Drive the static design explorer in headless Chromium, network blocked, and check its physics.

For each explorer on the page (``.lxenu-explorer`` with ``data-control`` inputs, written by
:mod:`lxenu.report.explorer`), for every detector preset and source, and at several settings
(:data:`BASES`: the page's default and two others), every control is moved and the shown numbers
must move the physically right way:

* more source activity: lower mu_nu limit and a smaller excluded sin^2 2theta at every dm^2 shown;
* higher threshold: higher mu_nu limit (the magnetic signal grows as 1/T at low energy);
* more deployments: lower mu_nu limit and better sterile reach;
* more 136Xe depletion: better sterile reach (and no worse mu_nu limit);
* the source, at equal activity: ³⁷Ar must beat ⁵¹Cr in every number. Its mean life is 50.5 d
  against 40.0 d, so it gives 18 % more decays in a 100-day run, and every decay gives an
  811 keV neutrino (⁵¹Cr: 90 % at 747/752 keV, 10 % at 427/432 keV), whose cross section and
  maximum recoil are larger; the background is the same. More signal on the same background
  lowers the mu_nu limit and the excluded sin^2 2theta alike;
* the detector, at equal settings: XLZD (a ~40-t fiducial design, shown as more than 20 t) must
  beat every other detector, and of any two detectors the one with at least twice the
  fiducial mass shown, no more than 0.3 m farther from the source, must win (at these distances
  the flux falls more slowly than the mass grows);
* the sterile-contour canvas must change when activity, deployments, depletion, detector or
  source change; the mu_nu canvas when the threshold changes.

Then the window is resized (to 900 px, 640 px and back to 1280 px): every canvas must still fit its
column, be drawn at the width it is shown times the device pixel ratio (2), and show the same
numbers. Fails (exit 1) on any of these, a JavaScript or console error, a blank canvas, or any
request that leaves the machine (only file: URLs load, so the page may be a standalone one from
``python -m lxenu.report.explorer --page`` or the chapter's page in the built book). With
``--screenshot`` the explorer is saved at its default state, after the checks (and the check
fails if the default state does not show the numbers it started with).

Usage: python scripts/check_explorer.py PAGE.html [--chromium /usr/bin/chromium] [--screenshot PNG]
Needs Debian's chromium (/usr/bin/chromium) and the Python package playwright.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

from check_book import CHROMIUM_FLAGS  # one set of flags for every browser check (scripts/ is on sys.path)

#: Settings (by value) at which the directions are checked: the page's default, a weak source
#: with a low threshold, several runs and depleted xenon, and a strong source at a high threshold.
BASES = (
    None,
    {"activity": 1.0, "threshold": 1.0, "deployments": 3, "depletion": 0.9},
    {"activity": 20.0, "threshold": 5.0, "deployments": 1, "depletion": 0.5},
)
#: control -> (quantity, expected sign of the change when the control goes up: -1 lower, +1 higher, 0 no worse)
EXPECTED = {
    "activity": {"mu": -1, "s1": -1, "s2": -1, "s5": -1},
    "threshold": {"mu": +1},
    "deployments": {"mu": -1, "s1": -1, "s2": -1, "s5": -1},
    "depletion": {"s1": -1, "s2": -1, "s5": -1, "mu": -1},
}
#: controls whose single steps may leave a shown (rounded) number unchanged: each step must be no
#: worse, and the whole range strictly better (0.95 -> 0.99 depletion removes 4 % of the 136Xe only)
FINE_STEPS = ("depletion",)
#: which canvas must change when a control changes
CANVAS_CHANGES = {
    "activity": ("sterile", "mu"),
    "threshold": ("mu",),
    "deployments": ("sterile", "mu"),
    "depletion": ("sterile", "mu"),
    "preset": ("sterile", "mu"),
    "source": ("sterile", "mu"),
}
QUANTITIES = ("mu", "s1", "s2", "s5")
#: data list of each range control in the page's data
LISTS = {
    "activity": "activities_MCi",
    "threshold": "thresholds_keV",
    "deployments": "deployments",
    "depletion": "depletions",
}
#: the next-generation detector that must beat every other one, and the least fiducial mass it may show (t)
BIGGEST = ("xlzd", 20.0)
#: the mass rule: at least this mass ratio, at most this much farther (m)
MASS_RATIO, GAP_SLACK_M = 2.0, 0.3
#: widths (px) of the resize check (a narrower window, a phone-sized one), ending at the page's width
RESIZE_WIDTHS = (900, 640, 1280)
DEVICE_SCALE = 2

READ = """
(root) => {
  const r = document.querySelector('#' + root);
  const num = (k) => { const t = r.querySelector('[data-out="' + k + '"]').textContent.trim();
                       return t === 'none' ? Infinity : parseFloat(t); };
  const det = (r.querySelector('[data-out="detector"]') || {textContent: ''}).textContent;
  const m = det.match(/([0-9.]+)\\s*t,\\s*([0-9.]+)\\s*m/);
  const hash = (c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        let h = 0, any = 0;
                        for (let i = 0; i < d.length; i += 3) { h = (h * 31 + d[i]) | 0; any |= d[i]; }
                        return any ? h : null; };
  const canvases = {};
  for (const c of r.querySelectorAll('canvas')) { canvases[c.dataset.plot || c.id] = hash(c); }
  return {mu: num('mu'), s1: num('s1'), s2: num('s2'), s5: num('s5'),
          mass: m ? parseFloat(m[1]) : null, gap: m ? parseFloat(m[2]) : null, canvases: canvases};
}
"""

SET = """
([root, control, value]) => {
  const e = document.querySelector('#' + root + ' [data-control="' + control + '"]');
  e.value = String(value);
  e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input'));
}
"""

GET = """
([root, control]) => { const e = document.querySelector('#' + root + ' [data-control="' + control + '"]');
  return e.tagName === 'SELECT' ? Array.from(e.options).map(o => o.value) : [+e.min, +e.max, +e.value]; }
"""

VALUE = "([root, control]) => document.querySelector('#' + root + ' [data-control=\"' + control + '\"]').value"

LISTS_JS = """
(root) => { const E = (window.lxenuLandscape || {})[root]; if (!E) return null;
            return {activity: E.data.activities_MCi, threshold: E.data.thresholds_keV,
                    deployments: E.data.deployments, depletion: E.data.depletions}; }
"""

GEOMETRY = """
(root) => {
  const r = document.querySelector('#' + root);
  const column = r.parentElement.closest('article, .bd-article, main') || document.body;
  const col = column.getBoundingClientRect(), rr = r.getBoundingClientRect();
  return {root: [rr.left, rr.right], column: [col.left, col.right], dpr: window.devicePixelRatio,
          content: [r.scrollWidth, r.clientWidth],
          canvases: Array.from(r.querySelectorAll('canvas')).map(c => {
            const b = c.getBoundingClientRect(), box = c.parentElement.getBoundingClientRect();
            return {id: c.dataset.plot || c.id, width: c.width, height: c.height, shown: b.width, shownH: b.height,
                    left: b.left, right: b.right, box: box.width}; })};
}
"""


def _direction_problems(control, before, after, strict: bool = True) -> list[str]:
    out = []
    for q, sign in EXPECTED[control].items():
        a, b = before[q], after[q]
        if sign == 0 or not strict:
            if b > a:
                out.append(f"{control} up: {q} got worse ({a} -> {b})")
        elif math.isinf(a) and math.isinf(b):
            continue  # nothing excluded either way: no direction to check
        elif sign < 0 and not b < a:
            out.append(f"{control} up: {q} should fall ({a} -> {b})")
        elif sign > 0 and not b > a:
            out.append(f"{control} up: {q} should rise ({a} -> {b})")
    return out


def _canvas_problems(control, before, after) -> list[str]:
    return [
        f"{control} changed but the {name} canvas did not"
        for name in CANVAS_CHANGES[control]
        if name in before["canvases"] and before["canvases"][name] == after["canvases"].get(name)
    ]


def _beats(winner, loser) -> list[str]:
    """Quantities in which ``winner`` is not better than ``loser`` (both Infinity counts as a tie)."""
    return [q for q in QUANTITIES if not (winner[q] < loser[q] or (math.isinf(winner[q]) and math.isinf(loser[q])))]


def _geometry_problems(geo, where: str) -> list[str]:
    out = []
    col_left, col_right = geo["column"]
    if geo["root"][1] > col_right + 1 or geo["root"][0] < col_left - 1:
        out.append(f"{where}: the explorer ({geo['root']}) reaches outside its column ({geo['column']})")
    if geo["content"][0] > geo["content"][1] + 1:
        out.append(f"{where}: the explorer's content is {geo['content'][0]} px wide in {geo['content'][1]} px")
    for c in geo["canvases"]:
        if c["right"] > geo["root"][1] + 1 or c["left"] < geo["root"][0] - 1 or c["shown"] > c["box"] + 1:
            out.append(f"{where}: canvas {c['id']} ({c['left']:.0f}-{c['right']:.0f} px) does not fit its column")
        if abs(c["width"] - c["shown"] * geo["dpr"]) > 2 or abs(c["height"] - c["shownH"] * geo["dpr"]) > 2:
            out.append(
                f"{where}: canvas {c['id']} has a {c['width']}x{c['height']} bitmap shown at "
                f"{c['shown']:.0f}x{c['shownH']:.0f} px (device pixel ratio {geo['dpr']}): not sharp"
            )
    return out


def _settle(page):
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def check_root(page, root: str, only_presets=None) -> tuple[list[str], dict]:
    """Every check on one explorer (on the detector presets ``only_presets``, default all);
    returns (problems, the numbers at its default state)."""
    problems: list[str] = []

    def read():
        return page.evaluate(READ, root)

    def set_(control, value):
        page.evaluate(SET, [root, control, value])

    lists = page.evaluate(LISTS_JS, root)
    if lists is None:
        return [f"{root}: no window.lxenuLandscape entry (the page's data and formulas)"], {}
    default_index = {c: int(page.evaluate(VALUE, [root, c])) for c in LISTS}
    presets, sources = page.evaluate(GET, [root, "preset"]), page.evaluate(GET, [root, "source"])
    if only_presets:
        missing = set(only_presets) - set(presets)
        if missing:
            return [f"{root}: no detector preset {sorted(missing)} on the page (it has {presets})"], {}
        presets = [p for p in presets if p in only_presets]
    start_preset, start_source = page.evaluate(VALUE, [root, "preset"]), page.evaluate(VALUE, [root, "source"])
    start = read()
    if any(v is None for v in start["canvases"].values()):
        problems.append(f"{root}: blank canvas at the start: {start['canvases']}")
    if any(math.isinf(start[q]) or math.isnan(start[q]) for q in QUANTITIES):
        problems.append(f"{root}: the default state shows no number: {start}")

    def index_of(control, value):
        values = lists[control]
        return min(range(len(values)), key=lambda i: abs(values[i] - value))

    def apply(base):
        for c in LISTS:
            set_(c, default_index[c] if base is None else index_of(c, base[c]))

    def label(preset, source, base):
        where = "default" if base is None else ", ".join(f"{k} {v:g}" for k, v in base.items())
        return f"{root} [{preset}/{source}; {where}]"

    by_setting = {}
    for preset in presets:
        set_("preset", preset)
        for source in sources:
            set_("source", source)
            for base in BASES:
                apply(base)
                here = read()
                by_setting[(preset, source, BASES.index(base))] = here
                where = label(preset, source, base)
                for control in LISTS:
                    lo, hi, value = (int(v) for v in page.evaluate(GET, [root, control]))
                    # the default: the whole range; elsewhere one step either side of the setting
                    steps = (
                        range(int(lo), int(hi) + 1)
                        if base is None
                        else range(max(lo, value - 1), min(hi, value + 1) + 1)
                    )
                    steps = list(steps)
                    set_(control, steps[0])
                    before = first = read()
                    strict = control not in FINE_STEPS
                    for step in steps[1:]:
                        set_(control, step)
                        after = read()
                        problems += [
                            f"{where}: {p} (index {step - 1} -> {step})"
                            for p in _direction_problems(control, before, after, strict)
                        ]
                        if strict:
                            problems += [f"{where}: {p}" for p in _canvas_problems(control, before, after)]
                        before = after
                    if not strict:
                        problems += [f"{where}: {p} (over the steps)" for p in _canvas_problems(control, first, before)]
                        if base is None:
                            problems += [
                                f"{where}: {p} (over the whole range)"
                                for p in _direction_problems(control, first, before)
                            ]
                    set_(control, value)
    # across sources and detectors, at each setting
    for b in range(len(BASES)):
        where = "default" if BASES[b] is None else ", ".join(f"{k} {v:g}" for k, v in BASES[b].items())
        for preset in presets:
            if "cr51" in sources and "ar37" in sources:
                lost = _beats(by_setting[(preset, "ar37", b)], by_setting[(preset, "cr51", b)])
                if lost:
                    problems.append(f"{root} [{preset}; {where}]: ³⁷Ar does not beat ⁵¹Cr at equal activity in {lost}")
        for source in sources:
            rows = {p: by_setting[(p, source, b)] for p in presets}
            big, least_mass = BIGGEST
            if big in rows:
                if rows[big]["mass"] is not None and rows[big]["mass"] < least_mass:
                    problems.append(
                        f"{root} [{source}]: {big} shows a fiducial mass of {rows[big]['mass']} t (< {least_mass} t)"
                    )
                for other in presets:
                    lost = _beats(rows[big], rows[other]) if other != big else []
                    if lost:
                        problems.append(f"{root} [{source}; {where}]: {big} does not beat {other} in {lost}")
            for a in presets:
                for o in presets:
                    big_one, small_one = rows[a], rows[o]
                    sizes = (big_one["mass"], small_one["mass"], big_one["gap"], small_one["gap"])
                    if a == o or None in sizes:
                        continue
                    ruled = sizes[0] >= MASS_RATIO * sizes[1] and sizes[2] <= sizes[3] + GAP_SLACK_M
                    if ruled and _beats(big_one, small_one):
                        problems.append(
                            f"{root} [{source}; {where}]: {a} ({sizes[0]} t at {sizes[2]} m) does not beat "
                            f"{o} ({sizes[1]} t at {sizes[3]} m) in {_beats(big_one, small_one)}"
                        )
    # detector and source change the pictures
    apply(None)
    for control, options, other in (("preset", presets, start_source), ("source", sources, start_preset)):
        set_("preset" if control == "source" else "source", other)
        set_(control, options[0])
        before = read()
        for opt in options[1:]:
            set_(control, opt)
            after = read()
            problems += [f"{root}: {p} ({opt})" for p in _canvas_problems(control, before, after)]
            before = after
    set_("preset", start_preset)
    set_("source", start_source)
    apply(None)
    # resizing: canvases fit their column and stay sharp, numbers stay
    problems += [f"{root}: {p}" for p in _geometry_problems(page.evaluate(GEOMETRY, root), "at load")]
    for width in RESIZE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _settle(page)
        page.wait_for_timeout(150)
        _settle(page)
        problems += [f"{root}: {p}" for p in _geometry_problems(page.evaluate(GEOMETRY, root), f"at {width} px")]
        now = read()
        if any(now[q] != start[q] for q in QUANTITIES):
            problems.append(f"{root}: after resizing to {width} px the numbers changed: {start} -> {now}")
        if any(v is None for v in now["canvases"].values()):
            problems.append(f"{root}: blank canvas after resizing to {width} px")
    end = read()
    if any(end[q] != start[q] for q in QUANTITIES):
        problems.append(f"{root}: back at the default state the numbers differ: {start} -> {end}")
    return problems, start


def check_page(page_path: Path, chromium: str, screenshot: Path | None = None, only_presets=None) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    url = page_path.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_context(
            viewport={"width": RESIZE_WIDTHS[-1], "height": 900}, device_scale_factor=DEVICE_SCALE
        ).new_page()

        def route(r):
            if r.request.url.startswith(("file:", "data:", "blob:")):  # local files only: no network
                r.continue_()
            else:
                problems.append(f"network request to {r.request.url[:100]}")
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
        page.on("console", lambda m: problems.append(f"console error: {m.text[:200]}") if m.type == "error" else None)
        page.goto(url, wait_until="load")
        _settle(page)
        roots = page.eval_on_selector_all(
            ".lxenu-explorer", "els => els.filter(e => e.querySelector('[data-control]')).map(e => e.id)"
        )
        if not roots:
            problems.append("no design explorer (.lxenu-explorer with data-control inputs) on the page")
        for root in roots:
            found, start = check_root(page, root, only_presets)
            problems += found
            shown = {q: start.get(q) for q in QUANTITIES}
            print(
                f"{root}: checked {sorted(EXPECTED)} at {len(BASES)} settings, preset, source, resize; default {shown}"
            )
        if screenshot and roots:
            page.set_viewport_size({"width": RESIZE_WIDTHS[-1], "height": 900})
            _settle(page)
            page.locator("#" + roots[0]).screenshot(path=str(screenshot))
        browser.close()
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--screenshot", type=Path, default=None, help="save the explorer at its default state (PNG)")
    ap.add_argument("--presets", default=None, help="check only these detector presets (comma-separated)")
    args = ap.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"chromium not found at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2
    if not args.page.exists():
        print(f"page not found: {args.page}", file=sys.stderr)
        return 2
    only = [p for p in args.presets.split(",") if p] if args.presets else None
    problems = check_page(args.page, args.chromium, args.screenshot, only)
    for p in problems:
        print("FAIL", p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

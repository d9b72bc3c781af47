"""Drive the static design explorer in headless Chromium, network blocked, and check its physics.

For each explorer on the page (``.lxenu-explorer`` with ``data-control`` inputs, written by
:mod:`lxenu.report.explorer`) every control is moved and the shown numbers must move the physically
right way:

* more source activity: lower mu_nu limit and a smaller excluded sin^2 2theta at every dm^2 shown;
* higher threshold: higher mu_nu limit;
* more deployments: lower mu_nu limit and better sterile reach;
* more 136Xe depletion: better sterile reach (and no worse mu_nu limit);
* another detector or source: the numbers change.

Fails (exit 1) on any wrong direction, a JavaScript or console error, a blank canvas, a canvas
not drawn at the device pixel ratio, or any request that leaves the machine (only file: URLs
load, so the page may be a standalone one from ``python -m lxenu.report.explorer --page`` or the
chapter's page in the built book).

Usage: python scripts/check_explorer.py PAGE.html [--chromium /usr/bin/chromium]
Needs Debian's chromium (/usr/bin/chromium) and the Python package playwright.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from check_book import CHROMIUM_FLAGS  # one set of flags for every browser check (scripts/ is on sys.path)

READ = """
(root) => {
  const r = document.querySelector('#' + root);
  const num = (k) => { const t = r.querySelector('[data-out="' + k + '"]').textContent.trim();
                       return t === 'none' ? Infinity : parseFloat(t); };
  const blank = Array.from(r.querySelectorAll('canvas')).filter(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return false; }
    return true; }).length;
  return {mu: num('mu'), s1: num('s1'), s2: num('s2'), s5: num('s5'), blank: blank};
}
"""

SET = """
([root, control, value]) => {
  const e = document.querySelector('#' + root + ' [data-control="' + control + '"]');
  e.value = String(value);
  e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input'));
}
"""

RANGE = """
([root, control]) => { const e = document.querySelector('#' + root + ' [data-control="' + control + '"]');
  return e.tagName === 'SELECT' ? Array.from(e.options).map(o => o.value) : [+e.min, +e.max, +e.value]; }
"""

#: control -> (quantity, expected sign of the change when the control goes up: -1 lower, +1 higher)
EXPECTED = {
    "activity": {"mu": -1, "s1": -1, "s2": -1, "s5": -1},
    "threshold": {"mu": +1},
    "deployments": {"mu": -1, "s1": -1, "s2": -1, "s5": -1},
    "depletion": {"s1": -1, "s2": -1, "s5": -1, "mu": 0},
}


def _direction_problems(control, before, after) -> list[str]:
    out = []
    for q, sign in EXPECTED[control].items():
        a, b = before[q], after[q]
        if sign == 0:
            if b > a:
                out.append(f"{control} up: {q} got worse ({a} -> {b})")
        elif sign < 0 and not b < a:
            out.append(f"{control} up: {q} should fall ({a} -> {b})")
        elif sign > 0 and not b > a:
            out.append(f"{control} up: {q} should rise ({a} -> {b})")
    return out


def check_page(page_path: Path, chromium: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    url = page_path.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 1100, "height": 900}, device_scale_factor=2).new_page()

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
        roots = page.eval_on_selector_all(
            ".lxenu-explorer", "els => els.filter(e => e.querySelector('[data-control]')).map(e => e.id)"
        )
        if not roots:
            problems.append("no design explorer (.lxenu-explorer with data-control inputs) on the page")
        for root in roots:
            start = page.evaluate(READ, root)
            if start["blank"]:
                problems.append(f"{root}: {start['blank']} blank canvas(es)")
            sharp = page.evaluate(
                f"() => {{ const c = document.querySelector('#{root} canvas'); return c.width / c.clientWidth; }}"
            )
            if sharp < 1.9:
                problems.append(f"{root}: canvas not drawn at the device pixel ratio (2): {sharp:.2f}")
            for control in ("activity", "threshold", "deployments", "depletion"):
                lo, hi, value = page.evaluate(RANGE, [root, control])
                page.evaluate(SET, [root, control, lo])
                before = page.evaluate(READ, root)
                for step in range(int(lo) + 1, int(hi) + 1):
                    page.evaluate(SET, [root, control, step])
                    after = page.evaluate(READ, root)
                    problems += [
                        f"{root}: {p} (index {step - 1} -> {step})" for p in _direction_problems(control, before, after)
                    ]
                    before = after
                page.evaluate(SET, [root, control, value])
            for control in ("preset", "source"):
                options = page.evaluate(RANGE, [root, control])
                seen = set()
                for opt in options:
                    page.evaluate(SET, [root, control, opt])
                    seen.add(tuple(page.evaluate(READ, root)[k] for k in ("mu", "s1", "s2", "s5")))
                if len(seen) != len(options):
                    problems.append(f"{root}: changing {control} over {options} did not change the numbers")
                page.evaluate(SET, [root, control, options[0]])
            print(f"{root}: checked {sorted(EXPECTED)} + preset, source; start {start}")
        browser.close()
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"chromium not found at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2
    problems = check_page(args.page, args.chromium)
    for p in problems:
        print("FAIL", p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

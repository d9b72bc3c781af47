"""Open every page of the built book in headless Chromium with the network off.

Fails (exit 1) on: a JavaScript error or console error, a request that leaves the
machine (anything not served from the local build), a local file that is missing,
an image that did not load, an equation MathJax did not render (or rendered as an
error), and a static explorer (``.lxenu-explorer``) whose canvases are blank or whose sliders
do not redraw it. Each page is first resized to 900 px and back to 1280 px, as a reader
resizing the window would; then, at 1280 px, it measures what a reader sees and fails on: a
display equation, an output block, a code cell, a table or an explorer (its box, its panels
and its canvases) wider than its column (scrollWidth > clientWidth + 1, or reaching past the
article column); a warning or traceback shown in an output (stderr blocks, "Traceback",
"Warning:"); raw LaTeX in bibliography entries ("$", "\\", "^{"). With ``--screenshots`` it
saves a screenshot of every whole page at 1280 px, taken after the resize and before the
explorer's sliders are touched (the default state), and fails if the image is shorter than the
page (a capture cut off by a layout that moved while it was taken).

Usage: python scripts/check_book.py _build/html --screenshots _build/screenshots
Needs Debian's chromium (/usr/bin/chromium) and the Python package playwright.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import multiprocessing
import os
import shutil
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]

MATH_CHECK = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const math = Array.from(document.querySelectorAll('.math, .MathJax_Preview'));
  const unrendered = math.filter(e => !e.querySelector('mjx-container') && !e.closest('mjx-container')
                                      && e.textContent.trim().length > 0);
  return {n: math.length, unrendered: unrendered.slice(0, 3).map(e => e.textContent.slice(0, 60)),
          n_unrendered: unrendered.length, errors: document.querySelectorAll('mjx-merror').length,
          mathjax: !!window.MathJax};
}
"""

OVERFLOW_CHECK = """
() => {
  const kinds = [
    ["display equation", 'mjx-container[display="true"], mjx-container[jax="CHTML"][display="true"]'],
    ["output block", "div.cell_output .output, div.cell_output pre, div.output pre"],
    ["code cell", "div.cell_input pre, div.highlight pre"],
    ["table", "table"],
    ["explorer", ".lxenu-explorer, .lxenu-explorer > div, .lxenu-explorer canvas"],
  ];
  const out = [];
  const seen = new Set();
  for (const [kind, selector] of kinds) {
    for (const el of document.querySelectorAll(selector)) {
      if (seen.has(el) || el.offsetParent === null) continue;
      seen.add(el);
      const column = el.closest("article, .bd-article, main") || document.body;
      const colRect = column.getBoundingClientRect();
      const rect = el.getBoundingClientRect();
      // hidden: the element's own content scrolls, a scrolling or clipping wrapper cuts it, or it
      // reaches past the article column
      let limit = colRect.right;
      for (let p = el.parentElement; p && p !== column; p = p.parentElement) {
        const ov = getComputedStyle(p).overflowX;
        if (ov === "auto" || ov === "scroll" || ov === "hidden") {
          const r = p.getBoundingClientRect();
          if (r.right < limit) { limit = r.right; }
        }
      }
      const own = el.scrollWidth - el.clientWidth;
      const past = rect.right - limit;
      if (own > 1 || past > 1) {
        out.push({kind: kind, width: Math.round(Math.max(el.scrollWidth, rect.width)),
                  avail: Math.round(Math.min(el.clientWidth, limit - rect.left)),
                  text: (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 70)});
      }
    }
  }
  return out;
}
"""

SHOWN_PROBLEMS_CHECK = """
() => {
  const out = [];
  for (const el of document.querySelectorAll(".stderr, .output.stderr, .output.traceback, .traceback")) {
    out.push("stderr/traceback output shown: " + el.textContent.replace(/\\s+/g, " ").trim().slice(0, 80));
  }
  for (const el of document.querySelectorAll("div.cell_output, div.output")) {
    const t = el.textContent;
    for (const word of ["Traceback", "Warning:"]) {
      if (t.includes(word)) {
        const i = t.indexOf(word);
        out.push(`"${word}" shown in an output: ` + t.slice(Math.max(0, i - 30), i + 50).replace(/\\s+/g, " "));
      }
    }
  }
  for (const el of document.querySelectorAll(".citation, div.citation, dl.citation > dd, .bibliography li")) {
    const t = el.textContent;
    const raw = ["$", "\\\\", "^{"].filter(x => t.includes(x));
    const text = t.replace(/\\s+/g, " ").trim().slice(0, 90);
    if (raw.length) out.push(`raw LaTeX ${JSON.stringify(raw)} in a reference: ` + text);
  }
  return Array.from(new Set(out));
}
"""

PAGE_HEIGHT = "() => Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))"

# two animation frames and a pause: resize observers and the redraws they schedule have run
SETTLE = """
() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150))))
"""

WIDTH, HEIGHT, NARROW = 1280, 900, 900

IMAGE_CHECK = """
() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)
"""

EXPLORER_CHECK = """
() => {
  const out = [];
  for (const root of document.querySelectorAll('.lxenu-explorer')) {
    const canvases = Array.from(root.querySelectorAll('canvas'));
    const blank = canvases.filter(c => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return false; }
      return true;
    }).length;
    const text = root.querySelector('p').textContent;
    const slider = root.querySelector('input[type=range]');
    slider.value = Math.min(+slider.max, +slider.value + 3);
    slider.dispatchEvent(new Event('input'));
    const changed = root.querySelector('p').textContent !== text;
    out.push({blank: blank, changed: changed, text: text});
  }
  return out;
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _watch(page, origin: str) -> list[str]:
    """Block every request that leaves the local server and collect the page's problems."""
    issues: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith((origin, "data:", "blob:")):
            r.continue_()
        else:
            issues.append(f"network request to {url[:100]}")
            r.abort()

    def on_console(m):
        if m.type == "error" and "net::ERR_FAILED" not in m.text:
            issues.append(f"console error: {m.text[:200]}")

    def on_response(r):
        if r.url.startswith(origin) and r.status >= 400:
            issues.append(f"HTTP {r.status} for {r.url[len(origin) :]}")

    page.route("**/*", route)
    page.on("pageerror", lambda e: issues.append(f"JavaScript error: {e}"))
    page.on("console", on_console)
    page.on("response", on_response)
    return issues


def resize_round_trip(page) -> None:
    """Narrow the window to 900 px and widen it back to 1280 px, letting the layout settle each time."""
    for width in (NARROW, WIDTH):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.evaluate(SETTLE)


def png_height(path: Path) -> int:
    """Height in pixels of a PNG file (from its IHDR chunk)."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    return int.from_bytes(head[20:24], "big")


def whole_page_screenshot(page, path: Path) -> list[str]:
    """A screenshot of the whole page at 1280 px; a problem if it does not show all of it.

    The viewport is first made as tall as the page, so the capture itself resizes nothing, and
    the height is measured again after the layout has settled at that size.
    """
    height = page.evaluate(PAGE_HEIGHT)
    for _ in range(4):
        page.set_viewport_size({"width": WIDTH, "height": height})
        page.evaluate(SETTLE)
        now = page.evaluate(PAGE_HEIGHT)
        if now <= height:
            break
        height = now
    page.screenshot(path=str(path), full_page=True)
    shown = png_height(path)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.evaluate(SETTLE)
    full = page.evaluate(PAGE_HEIGHT)
    if shown < full:
        return [f"screenshot shows {shown} px of a {full} px page: the capture was cut off"]
    return []


def pages_of(html_dir: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images", "_sphinx_design_static"}
    return sorted(p for p in html_dir.rglob("*.html") if not (set(p.relative_to(html_dir).parts) & skip))


def _check_pages(origin: str, rels: list[str], screenshots: Path | None, chromium: str) -> list[tuple[str, str, list]]:
    """(page, its status line, its problems) for each page of ``rels``, in one browser."""
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        for rel in rels:
            page = context.new_page()
            issues = _watch(page, origin)
            page.goto(f"{origin}/{rel}", wait_until="load")
            page.wait_for_load_state("networkidle")
            math = page.evaluate(MATH_CHECK)
            if math["n_unrendered"]:
                issues.append(f"{math['n_unrendered']} equations not rendered, e.g. {math['unrendered']}")
            if math["errors"]:
                issues.append(f"{math['errors']} MathJax errors")
            if math["n"] and not math["mathjax"]:
                issues.append("page has math but MathJax did not load")
            broken = page.evaluate(IMAGE_CHECK)
            if broken:
                issues.append(f"images that did not load: {broken[:3]}")
            resize_round_trip(page)
            for o in page.evaluate(OVERFLOW_CHECK):
                issues.append(f"{o['kind']} wider than its column ({o['width']} px > {o['avail']} px): {o['text']!r}")
            issues += page.evaluate(SHOWN_PROBLEMS_CHECK)
            if screenshots:  # before the explorer check moves a slider: the default state
                shot = screenshots / (rel.replace("/", "__").removesuffix(".html") + ".png")
                issues += whole_page_screenshot(page, shot)
            for ex in page.evaluate(EXPLORER_CHECK):
                if ex["blank"] or not ex["changed"]:
                    issues.append(f"static explorer not working: {ex}")
            status = "ok" if not issues else "FAIL"
            line = f"{status:4s} {rel}  (math {math['n']}, images {page.evaluate('document.images.length')})"
            out.append((rel, line, list(issues)))
            page.close()
        browser.close()
    return out


def check(
    html_dir: Path, screenshots: Path | None, chromium: str, only: list[str] | None = None, jobs: int = 2
) -> list[str]:
    """Check the pages (all, or ``only``) with ``jobs`` browsers side by side; print a line per page."""
    rels = [p.relative_to(html_dir).as_posix() for p in pages_of(html_dir)]
    if only:
        rels = [r for r in rels if r in only]
    server, port = serve(html_dir)
    origin = f"http://127.0.0.1:{port}"
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    try:
        shares = [rels[i::jobs] for i in range(jobs) if rels[i::jobs]]
        if len(shares) <= 1:
            results = _check_pages(origin, rels, screenshots, chromium)
        else:
            # separate processes: each drives its own browser (the waits for the pages overlap)
            with ProcessPoolExecutor(len(shares), mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_check_pages, origin, share, screenshots, chromium) for share in shares]
                results = [r for f in futures for r in f.result()]
    finally:
        server.shutdown()
    problems: list[str] = []
    for rel, line, issues in sorted(results):
        print(line)
        for i in issues:
            print(f"       {i}")
        problems += [f"{rel}: {i}" for i in issues]
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html_dir", type=Path)
    ap.add_argument("--screenshots", type=Path, default=None)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument(
        "--page",
        action="append",
        default=None,
        help="check only this page, relative to HTML_DIR (repeatable), e.g. notebooks/04_magnetic_moment.html",
    )
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="browsers side by side (default: 2)")
    args = ap.parse_args(argv)
    if not (args.html_dir / "index.html").exists():
        print(f"no index.html in {args.html_dir}: build the book first (make book)", file=sys.stderr)
        return 2
    if not Path(args.chromium).exists():
        print(f"chromium not found at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2
    problems = check(args.html_dir, args.screenshots, args.chromium, args.page, max(1, args.jobs))
    n = len(args.page) if args.page else len(pages_of(args.html_dir))
    print(f"\n{n} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

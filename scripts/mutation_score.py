"""Kill rate of a mutmut run, by module: `python scripts/mutation_score.py RESULTS.txt`.

RESULTS.txt is the output of `mutmut results --all true` (one `name: status` line per mutant).
Message-only mutants (a changed error text or unit string) are counted like the others.
"""

import sys
from collections import Counter, defaultdict


def main(path: str) -> None:
    by_module: dict[str, Counter] = defaultdict(Counter)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if ":" not in line:
                continue
            name, status = (x.strip() for x in line.rsplit(":", 1))
            module = name.split(".x")[0] if ".x" in name else name.rsplit(".", 1)[0]
            by_module[module][status] += 1
    total = Counter()
    print(f"{'module':34s} {'mutants':>8s} {'killed':>7s} {'survived':>9s} {'other':>6s} {'kill rate':>10s}")
    for module, c in sorted(by_module.items()):
        total.update(c)
        n = sum(c.values())
        tested = n - c["not checked"]
        other = tested - c["killed"] - c["survived"]
        rate = c["killed"] / tested if tested else float("nan")
        print(f"{module:34s} {n:8d} {c['killed']:7d} {c['survived']:9d} {other:6d} {rate:10.1%}")
    n = sum(total.values()) - total["not checked"]
    if n == 0:
        raise SystemExit("no mutant was checked: did `mutmut run` fail? (see its output above)")
    print(
        f"{'all':34s} {sum(total.values()):8d} {total['killed']:7d} {total['survived']:9d} "
        f"{n - total['killed'] - total['survived']:6d} {total['killed'] / max(n, 1):10.1%}"
    )


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Where one process's CPU time goes: start-up phases, then the steady per-letter cost.

    python benchmarks/profile_lint.py DIR [--profile OUT] [--no-cache]

Prints CPU seconds (time.process_time) of: importing poalint's linting side, loading the rules,
the first letter (spaCy's import and every first-use build), and the rest of DIR's letters per
letter. `--profile OUT` writes a cProfile of the steady part (every letter after the first).
"""

from __future__ import annotations

import argparse
import cProfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--profile", metavar="OUT", help="write a cProfile of the steady part here")
    ap.add_argument("--startup-profile", metavar="OUT", help="write a cProfile of the start-up (through the first letter)")
    ap.add_argument("--repeat", type=int, default=1, help="lint the letters this many times (steady part)")
    args = ap.parse_args()
    paths = sorted(p for p in args.folder.iterdir() if p.suffix in (".txt", ".md"))
    t = time.process_time
    sp = cProfile.Profile() if args.startup_profile else None
    if sp:
        sp.enable()
    t0 = t()
    from poalint.api import Setup, lint_letter
    from poalint.letter import parse
    t1 = t()
    setup = Setup.create()
    setup.ruleset  # noqa: B018
    t2 = t()
    letters = [parse(p.read_text(encoding="utf-8"), str(p)) for p in paths]
    lint_letter(letters[0], setup)
    t3 = t()
    if sp:
        sp.disable()
        sp.dump_stats(args.startup_profile)
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    n = 0
    for _ in range(args.repeat):
        for letter in letters[1:]:
            lint_letter(letter, setup)
            n += 1
    t4 = t()
    if prof:
        prof.disable()
        prof.dump_stats(args.profile)
    print(f"import {t1 - t0:.3f} s, rules {t2 - t1:.3f} s, first letter {t3 - t2:.3f} s, "
          f"start-up total {t3 - t0:.3f} s; then {n} letters {t4 - t3:.2f} s = {1000 * (t4 - t3) / max(n, 1):.1f} ms/letter")


if __name__ == "__main__":
    main()

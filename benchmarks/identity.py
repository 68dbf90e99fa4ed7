#!/usr/bin/env python3
"""Record or compare poalint's output on the labelled corpora (a refactor must not change it).

    python benchmarks/identity.py record DIR    # write every output under DIR
    python benchmarks/identity.py compare DIR   # re-run and diff against DIR; exit 1 on any difference
    RECORDED_ROOT=/path/of/the/recording/checkout python copy/benchmarks/identity.py compare DIR
    IDENTITY_ONLY=folder,group0 python benchmarks/identity.py record DIR   # only runs whose name holds one of these

Each corpus (a folder with labels.yaml and letters/) is linted as a whole, then once per
(reason, notice) group of its labels, as the shared score script does; JSON always, and the
full and sarif formats for one corpus so the renderers are covered too.
"""

from __future__ import annotations

import collections
import difflib
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [Path("/work/shared/corpus"), ROOT / "tests/corpus", ROOT / "tests/holdout", ROOT / "tests/holdout2",
           ROOT / "tests/tune", ROOT / "tests/real-tune"]
# invented letters, one per row of their README's table: "| file | reason | ..." (notice.txt beside them)
EXAMPLES = Path("/work/shared/reviews/judgement-examples")
POALINT = [sys.executable, "-m", "poalint"]


def runs() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for corpus in CORPORA:
        if not (corpus / "labels.yaml").exists():
            continue
        name = corpus.name if corpus.parent.name != "tests" else f"tests-{corpus.name}"
        out[f"{name}.folder.json"] = ["--format", "json", str(corpus / "letters")]
        groups: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
        for e in yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8")):
            groups[(e.get("reason") or "", e.get("notice") or "")].append(str(corpus / e["file"]))
        for i, ((reason, notice), paths) in enumerate(sorted(groups.items())):
            argv = ["--format", "json"]
            if reason:
                argv += ["--reason", reason]
            if notice:
                argv += ["--notice", str(corpus / notice)]
            out[f"{name}.group{i:02d}.json"] = argv + sorted(paths)
    if (EXAMPLES / "README.md").exists():
        out["judgement-examples.folder.json"] = ["--format", "json", str(EXAMPLES)]
        for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or not (EXAMPLES / cells[0].split(" ")[0]).is_file() or cells[0] == "file":
                continue
            name = cells[0].split(" ")[0]
            argv = ["--format", "json", "--reason", cells[1]]
            if "notice.txt" in cells[0]:
                argv += ["--notice", str(EXAMPLES / "notice.txt")]
            out[f"judgement-examples.{name}.json"] = [*argv, str(EXAMPLES / name)]
    tc = ROOT / "tests/corpus/letters"
    out["tests-corpus.folder.full"] = ["--format", "full", str(tc)]
    out["tests-corpus.folder.sarif"] = ["--format", "sarif", str(tc)]
    return out


def run(argv: list[str]) -> str:
    proc = subprocess.run([*POALINT, "--no-cache", *argv], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1"})
    return f"exit {proc.returncode}\n--- stderr\n{proc.stderr}--- stdout\n{proc.stdout}"


def main() -> int:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    bad = 0
    only = [s for s in os.environ.get("IDENTITY_ONLY", "").split(",") if s]
    for name, argv in runs().items():
        if only and not any(s in name for s in only):
            continue
        got = run(argv)
        if mode == "record":
            (folder / name).write_text(got, encoding="utf-8")
            (folder / (name + ".argv")).write_text(" ".join(argv), encoding="utf-8")
            continue
        # paths in the output name the checkout: compare a copy against a recording made elsewhere
        want = (folder / name).read_text(encoding="utf-8").replace(os.environ.get("RECORDED_ROOT", str(ROOT)), "<ROOT>")
        got = got.replace(str(ROOT), "<ROOT>")
        if got != want:
            bad += 1
            print(f"DIFFERS: {name}")
            sys.stdout.writelines(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                            "before", "after", n=1))[:60])
        else:
            print(f"same: {name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

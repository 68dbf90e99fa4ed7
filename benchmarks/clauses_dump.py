"""Every clause's fields for every letter of the given corpora, one line per clause: proof that a
change to poalint/clauses.py changes no reading (diff the outputs before and after).

    python benchmarks/clauses_dump.py OUT.tsv tests/tune tests/corpus tests/real-tune ../shared/corpus
    python benchmarks/clauses_dump.py --compare BEFORE.tsv AFTER.tsv   # sentences read differently, and how

(`hedged` is written only when true, so a dump made before the field existed compares line for line.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from poalint.clauses import document_clauses  # noqa: E402
from poalint.document import build  # noqa: E402
from poalint.letter import parse  # noqa: E402
from poalint.nlp import get_nlp  # noqa: E402
from poalint.ruleset import load  # noqa: E402
from poalint.structure import HeadingVocab  # noqa: E402


def compare(before: str, after: str) -> int:
    """Print every sentence whose clauses differ (before / after lines); return how many differ."""
    def load_(path: str) -> dict[tuple[str, str], list[str]]:
        got: dict[tuple[str, str], list[str]] = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                got.setdefault((parts[0], parts[1]), []).append("\t".join(parts[2:]))
        return got

    a, b = load_(before), load_(after)
    n = 0
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], int(k[1]))):
        if a.get(key) != b.get(key):
            n += 1
            print(f"== {key[0]} #{key[1]}")
            for line in a.get(key, []):
                print("  -", line)
            for line in b.get(key, []):
                print("  +", line)
    print(f"{n} sentences read differently")
    return n


def main() -> None:
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
        return
    sections = load().sections
    vocab = HeadingVocab(sections.headings, sections.greetings, sections.closings)
    nlp = get_nlp()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for corpus in sys.argv[2:]:
            for path in sorted(p for p in Path(corpus, "letters").rglob("*") if p.is_file()):
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                letter = parse(text, str(path))
                d = build(letter, nlp(letter.text), vocab)
                for si, group in enumerate(document_clauses(d)):
                    for c in group:
                        anc = ";".join(f"{a.kind.name}:{a.text!r}:{int(a.weak)}" for a in c.anchors)
                        out.write(f"{path}\t{si}\t{c.start}-{c.end}\t{d.text[c.start:c.end]!r}\t{c.actor.name}\t"
                                  f"{c.actor_text!r}\t{c.verb}\t{c.time.name}\tneg={int(c.negated)}\tmodal={c.modal}\t"
                                  f"pass={int(c.passive)}/{int(c.agentless_passive)}\t{anc}\tlink={c.link}\t"
                                  f"agent={c.agent!r}\tom={int(c.omission)}\tinh={int(c.inherited)}"
                                  f"{chr(9) + 'hedged' if getattr(c, 'hedged', False) else ''}\n")


if __name__ == "__main__":
    main()

"""Time the clause reader (poalint.clauses.read_clauses) on generated letters, on top of tokenizing.

    python benchmarks/clauses_bench.py [--letters 300] [--words 600] [--repeat 5]

Letters come from benchmarks/letters.py, joined until each has about --words words (the budget
is stated per 600-word letter). spaCy tokenizing, the block parser and the sentence splitter run
first and are not timed; after a warm-up pass (word memos filled) read_clauses is timed alone, in CPU time
(the machine may be shared; wall time would count other processes).
Prints ms per letter (median of the repeats) and ms per 600 words.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from letters import letter  # noqa: E402

from poalint.clauses import load_vocab, read_clauses  # noqa: E402
from poalint.document import build  # noqa: E402
from poalint.letter import parse  # noqa: E402
from poalint.nlp import get_nlp  # noqa: E402
from poalint.ruleset import load  # noqa: E402
from poalint.structure import HeadingVocab  # noqa: E402


def texts(n: int, words: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = letter(rng, i)[1]
        while len(body.split()) < words:
            extra = letter(rng, i)[1].split("\n\n", 1)[1]  # without the greeting
            body += "\n\n" + extra
        out.append(body)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=300)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sections = load().sections
    vocab = HeadingVocab(sections.headings, sections.greetings, sections.closings)
    nlp = get_nlp()
    docs = []
    for i, text in enumerate(texts(args.letters, args.words)):
        letter_ = parse(text, f"l{i}.txt")
        docs.append(build(letter_, nlp(letter_.text), vocab))
    words = statistics.mean(len(d.text.split()) for d in docs)
    load_vocab()
    for d in docs:  # warm-up: lookup tables loaded, per-word memos filled
        read_clauses(d.doc, d.sentences, d.blocks, text=d.text)
    runs = []
    for _ in range(args.repeat):
        t0 = time.process_time()
        for d in docs:
            read_clauses(d.doc, d.sentences, d.blocks, text=d.text)
        runs.append((time.process_time() - t0) * 1000 / len(docs))
    ms = min(runs)  # the least disturbed run: the machine is shared
    raw = [d.text for d in docs]
    tok = []
    for _ in range(args.repeat):
        t0 = time.process_time()
        for text in raw:
            nlp(text)
        tok.append((time.process_time() - t0) * 1000 / len(docs))
    n_clauses = sum(len(read_clauses(d.doc, d.sentences, d.blocks)) for d in docs) / len(docs)
    print(f"{len(docs)} letters, {words:.0f} words and {n_clauses:.0f} clauses each on average")
    print(f"read_clauses: {ms:.2f} ms/letter (best of {args.repeat}; runs {', '.join(f'{r:.2f}' for r in runs)})")
    print(f"              {ms * 600 / words:.2f} ms per 600 words")
    print(f"for scale, tokenizing + lookup lemmas (get_nlp()): {min(tok):.2f} ms/letter on this machine now")


if __name__ == "__main__":
    main()

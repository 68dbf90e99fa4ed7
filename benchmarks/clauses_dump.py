"""Every clause's fields for every letter of the given corpora, one line per clause: proof that a
change to poalint/clauses.py changes no reading (diff the outputs before and after).

    python benchmarks/clauses_dump.py OUT.tsv tests/tune tests/corpus tests/real-tune ../shared/corpus
"""
import sys, glob, os
sys.path.insert(0, os.getcwd())
from poalint.clauses import document_clauses
from poalint.document import build
from poalint.letter import parse
from poalint.nlp import get_nlp
from poalint.ruleset import load
from poalint.structure import HeadingVocab

sections = load().sections
vocab = HeadingVocab(sections.headings, sections.greetings, sections.closings)
nlp = get_nlp()
out = open(sys.argv[1], "w")
for corpus in sys.argv[2:]:
    for path in sorted(glob.glob(corpus + "/letters/**/*", recursive=True)):
        if os.path.isdir(path):
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except Exception:
            continue
        letter = parse(text, path)
        d = build(letter, nlp(letter.text), vocab)
        for si, group in enumerate(document_clauses(d)):
            for c in group:
                anc = ";".join(f"{a.kind.name}:{a.text!r}:{int(a.weak)}" for a in c.anchors)
                out.write(f"{path}\t{si}\t{c.start}-{c.end}\t{d.text[c.start:c.end]!r}\t{c.actor.name}\t{c.actor_text!r}\t{c.verb}\t{c.time.name}\t"
                          f"neg={int(c.negated)}\tmodal={c.modal}\tpass={int(c.passive)}/{int(c.agentless_passive)}\t{anc}\tlink={c.link}\tagent={c.agent!r}\tom={int(c.omission)}\tinh={int(c.inherited)}\n")

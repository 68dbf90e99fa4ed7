"""Generate realistic Plan of Action letters from templates with variation (strong, weak and failing ones)."""

from __future__ import annotations

import random
from pathlib import Path

REASONS = {
    "late-shipment": ("our late shipment rate rose to {pct}% in {month}",
                      "we accepted {n} orders during a warehouse move and printed labels a day after the promised date"),
    "valid-tracking": ("{n} orders were confirmed without valid tracking",
                       "our packing staff typed tracking numbers by hand and {n} of them had a missing digit"),
    "inauthentic": ("buyers reported {n} units of our kettles as not genuine",
                    "we bought a batch of {n} units from a wholesaler we had not checked, without invoices from the brand"),
    "order-defect-rate": ("our order defect rate reached {pct}%",
                          "{n} buyers received the wrong size because our size chart used European sizes"),
    "not-as-described": ("{n} buyers said the item was not as described",
                         "our listing said stainless steel while the supplier changed the lid to plastic in {month}"),
    "pre-fulfillment-cancellation": ("we cancelled {n} orders before shipping",
                                     "our stock count was synchronised only once a day, so we sold units we no longer had"),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
NAMES = ["Maria Lopez", "Chen Wei", "Aisha Khan", "Tom Becker", "Priya Nair", "Omar Haddad", "Lena Novak"]
ROLES = ["warehouse lead", "operations manager", "listing manager", "customer service lead", "owner"]
ACTIONS = [
    "On {day} {month} we refunded all {n} affected buyers and apologised to each of them by message.",
    "On {day} {month} we removed the {n} units from sale and sent them back to the supplier.",
    "We retrained our {k} packing staff on {day} {month}; each of them passed a short test.",
    "On {day} {month} we connected our shipping software to the carrier so that tracking is uploaded automatically.",
    "We corrected the listing on {day} {month} and added photos of the real product from every side.",
    "We checked every open order by hand on {day} {month} and shipped {n} of them the same day.",
]
MEASURES = [
    "Every Monday our {role} reviews the account health page and acts on any metric above target the same day.",
    "From {month} on, two people check each order before the label is printed, and both sign the packing list.",
    "We now buy only from the brand owner or its authorised distributors and keep every invoice for five years.",
    "Our stock is synchronised every 15 minutes, and listings pause automatically when stock falls below {k} units.",
    "Each quarter our {role} audits {n} random orders and writes a short report for the owner.",
    "We added a second carrier with a daily pickup at 4 p.m., so one missed pickup cannot delay orders again.",
]
WEAK = [
    "We will be more careful in the future and make sure this never happens again.",
    "It was not our fault, the carrier lost the packages and the buyers did not read the listing.",
    "We are a small family business and this account is our only income, please reinstate us as soon as possible.",
    "We always follow all Amazon policies and we believe this suspension is a mistake by your system.",
    "We will try to improve our processes and we hope you give us another chance.",
]


def letter(rng: random.Random, i: int) -> tuple[str, str]:
    """(file name, text) of one letter; about a third are weak, a tenth fail badly."""
    reason = rng.choice(list(REASONS))
    metric, cause = REASONS[reason]
    v = {"n": rng.randint(3, 250), "pct": rng.choice(["4.2", "6.8", "11", "2.9"]), "month": rng.choice(MONTHS),
         "day": rng.randint(1, 28), "k": rng.randint(2, 12), "role": rng.choice(ROLES)}
    quality = rng.random()
    md = rng.random() < 0.4
    head = (lambda t: f"## {t}\n\n") if md else (lambda t: f"{t}:\n")
    parts = [f"Dear Seller Performance Team,\n\nThank you for the chance to explain why {metric.format(**v)}."]
    root = f"The root cause was in our own process: {cause.format(**v)}."
    if quality < 0.1:
        parts.append(rng.choice(WEAK) + " " + rng.choice(WEAK))
    else:
        parts.append(head("Root cause") + root + (" " + rng.choice(WEAK) if quality < 0.35 else ""))
        actions = rng.sample(ACTIONS, rng.randint(1, 3))
        parts.append(head("Corrective actions") + "\n".join(f"- {a.format(**v)}" for a in actions))
        measures = rng.sample(MEASURES, rng.randint(1, 3))
        text = "\n".join(f"{j}. {m.format(**v)}" for j, m in enumerate(measures, 1))
        parts.append(head("Preventive measures") + (text if quality >= 0.35 else rng.choice(WEAK)))
    parts.append(f"Sincerely,\n{rng.choice(NAMES)}\nSeller ID A{rng.randint(10**9, 10**10 - 1)}")
    front = f"---\nreason: {reason}\n---\n" if md and rng.random() < 0.5 else ""
    return f"letter-{i:05d}.{'md' if md else 'txt'}", front + "\n\n".join(parts) + "\n"


def generate(folder: Path, n: int, seed: int = 6) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name, text = letter(rng, i)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out

"""Custom checks (kind: custom), one module per family; registered in poalint.kinds.custom.CHECKS."""

"""nn operators (filled in by the operator-surface work)."""

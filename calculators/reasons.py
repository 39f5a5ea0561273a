"""Reasons: why a calculator answered as it did, each tied to a rule and its page."""

from __future__ import annotations

from . import rules


def reason(rule: str, text: str) -> dict[str, str]:
    """One reason: the rule id, a plain sentence, and where the handbook explains it."""
    return {"rule": rule, "text": text, "source": rules.SOURCES[rule]}


def usd(amount: float) -> str:
    """Dollars as a rep writes them: $20,000 (cents only when there are some)."""
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"

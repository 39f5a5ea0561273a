"""Reasons: why a calculator answered as it did, each tied to a rule and its page."""

from __future__ import annotations

from . import rules


class UnknownRule(KeyError):
    """A reason cites a rule id that calculators/rules.py does not define (in SOURCES)."""


def reason(rule: str, text: str) -> dict[str, str]:
    """One reason: the rule id, a plain sentence, and where the handbook explains it.

    Raises:
        UnknownRule: ``rule`` is not in the registry (rules.SOURCES). The build also
            checks every rule id the package spells out before it runs anything.
    """
    source = rules.SOURCES.get(rule)
    if source is None:
        raise UnknownRule(f"rule id {rule!r} is not defined in calculators/rules.py (SOURCES)")
    return {"rule": rule, "text": text, "source": source}


def usd(amount: float) -> str:
    """Dollars as a rep writes them: $20,000 (cents only when there are some)."""
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"

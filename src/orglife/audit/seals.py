"""
A registry of seal verifiers that ``audit_verify`` runs after the chain.

An app that seals records (meetings, ADR 0006) registers a callable that
recomputes its seals from the current rows and yields one sentence per
problem; ``orglife verify-audit`` reports them and exits 1. The audit app
knows nothing of the records themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

SealVerifier = Callable[[], Iterable[str]]

_VERIFIERS: dict[str, SealVerifier] = {}


def register_seal_verifier(name: str, verifier: SealVerifier) -> None:
    """Register (or replace) the verifier called ``name``."""
    _VERIFIERS[name] = verifier


def seal_verifiers() -> dict[str, SealVerifier]:
    """The registered verifiers by name, in registration order."""
    return dict(_VERIFIERS)


def verify_seals() -> list[str]:
    """Run every verifier; each problem is prefixed with its verifier's name."""
    problems: list[str] = []
    for name, verifier in _VERIFIERS.items():
        problems.extend(f"{name}: {problem}" for problem in verifier())
    return problems

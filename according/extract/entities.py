"""Resolve the sources of one article to canonical entities (placeholder until the resolver lands)."""
from __future__ import annotations


def resolve(doc, attributions):
    return []

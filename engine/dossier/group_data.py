"""The data a member of a procedure group receives: from the group's declaration and the earlier results.

A member's `data:` mapping names, for each of its keys, where the value comes from:
`declaration.<key of the group's declaration>` or `results.<member procedure code>.<code|result|unit|…>`
(procedure codes hold dots: the result's field is what follows the longest code that matches).
A source not there yet is left out, never guessed.
"""
from __future__ import annotations


def member_data(member: dict, group_data: dict) -> dict:
    """The values of a member's `data:` mapping, read from the group's data (declaration, results)."""
    declaration = group_data.get("declaration") or {}
    results = group_data.get("results") or {}
    out = {}
    for key, source in (member.get("data") or {}).items():
        kind, _, rest = str(source).partition(".")
        if kind == "declaration" and rest in declaration:
            out[key] = declaration[rest]
        elif kind == "results":
            value = _result_value(results, rest)
            if value is not None:
                out[key] = value
    return out


def _result_value(results: dict, path: str):
    for code in sorted(results, key=len, reverse=True):
        if path.startswith(code + "."):
            return (results[code] or {}).get(path[len(code) + 1:])
    return None

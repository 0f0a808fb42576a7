"""A small JSON Schema validator for the subset ``evaluation/report.schema.json`` uses, and
:func:`validate_report`.

Supported keywords: ``type`` (one name or a list; ``integer`` excludes booleans), ``enum``,
``properties``, ``required``, ``additionalProperties`` (false or a schema), ``items``,
``minItems``, ``maxItems``, ``minimum``, ``maximum``, ``anyOf`` and local ``$ref``
(``#/$defs/name``). Any other keyword raises, so the schema cannot silently ask for more than
is checked. (No dependency: ``jsonschema`` is not among the project's.)

Examples
--------
>>> schema = {"type": "object", "required": ["p"], "properties": {"p": {"type": "number", "maximum": 1}}}
>>> validate({"p": 0.5}, schema)
[]
>>> validate({"p": 2}, schema)
['$.p: 2 is above the maximum 1']
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
_TYPES = {"object": dict, "array": list, "string": str, "number": (int, float), "integer": int,
          "boolean": bool, "null": type(None)}
_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
_KEYWORDS = {"type", "enum", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
             "minimum", "maximum", "anyOf", "$ref"} | _ANNOTATIONS


def _is_type(value: Any, name: str) -> bool:
    if name not in _TYPES:
        raise ValueError(f"unsupported JSON Schema type {name!r}")
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def validate(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    """Errors of ``instance`` against ``schema`` (empty when valid), each naming its JSON path.

    Examples
    --------
    >>> schema = {"type": "array", "items": {"$ref": "#/$defs/score"},
    ...           "$defs": {"score": {"type": "object", "required": ["set"], "additionalProperties": False,
    ...                               "properties": {"set": {"type": "string"}, "n": {"type": "integer"}}}}}
    >>> validate([{"set": "wordsim353", "n": 353}, {"n": True, "x": 1}], schema)
    ["$[1]: missing required key 'set'", '$[1].n: expected integer, got bool', "$[1]: unexpected key 'x'"]
    >>> validate(1, {"type": "number", "format": "float"})
    Traceback (most recent call last):
    ...
    ValueError: schema at $ uses unsupported keywords ['format']
    """
    root = schema if root is None else root
    unknown = set(schema) - _KEYWORDS
    if unknown:
        raise ValueError(f"schema at {path} uses unsupported keywords {sorted(unknown)}")
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only local '#/$defs/...' references are supported, not {ref!r}")
        return validate(instance, root["$defs"][ref[len("#/$defs/"):]], root, path)
    errors: list[str] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(instance, n) for n in names):
            return [f"{path}: expected {' or '.join(names)}, got {type(instance).__name__}"]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} is not one of {schema['enum']}")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: {instance} is below the minimum {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: {instance} is above the maximum {schema['maximum']}")
    if isinstance(instance, dict):
        errors += [f"{path}: missing required key {key!r}" for key in schema.get("required", ()) if key not in instance]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in properties:
                errors += validate(value, properties[key], root, f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, root, f"{path}.{key}")
    if isinstance(instance, list):
        if "minItems" in schema and len(instance) < schema["minItems"]:
            errors.append(f"{path}: {len(instance)} items, fewer than {schema['minItems']}")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"{path}: {len(instance)} items, more than {schema['maxItems']}")
        if "items" in schema:
            for i, item in enumerate(instance):
                errors += validate(item, schema["items"], root, f"{path}[{i}]")
    if "anyOf" in schema:
        branches = [validate(instance, branch, root, path) for branch in schema["anyOf"]]
        if all(branches):
            errors.append(f"{path}: matches none of anyOf: " + " | ".join("; ".join(b) for b in branches))
    return errors


def load_schema() -> dict[str, Any]:
    """The report schema shipped beside this module.

    Examples
    --------
    >>> schema = load_schema()
    >>> schema["type"], "comparisons" in schema["required"]
    ('object', True)
    """
    return json.loads(SCHEMA_PATH.read_text(encoding="utf8"))


def validate_report(data: dict[str, Any]) -> list[str]:
    """Errors of a parsed ``report.json`` against ``evaluation/report.schema.json`` (empty: valid).

    Examples
    --------
    >>> validate_report({"format": "something else"})[:1]
    ["$: missing required key 'version'"]
    """
    return validate(data, load_schema())

#!/usr/bin/env python3
"""Validate gpucost JSON documents against a JSON Schema.

Usage: validate_compare_json.py SCHEMA JSONFILE...

Each JSONFILE is checked against SCHEMA (draft 2020-12 or draft-07, chosen by its "$schema").
Every failure is printed as `FILE: PATH: MESSAGE`, PATH being a JSONPath-like location such as
`$.options[2].split.rerun`. Exit status: 0 when every file is valid, 1 when one is not (or does
not parse), 2 on a usage error or an invalid schema.
"""

import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("validate_compare_json.py: error: the Python module jsonschema is missing "
                     "(apt install python3-jsonschema or pip install jsonschema)\n")
    sys.exit(2)


def json_path(path):
    """Render a jsonschema error path (a deque of keys and indices) as $.a.b[3]."""
    text = "$"
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}"
    return text


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def validate_file(validator, path):
    """Print every schema violation in the file at `path`; return True when there is none."""
    try:
        document = load_json(path)
    except (OSError, ValueError) as error:
        print(f"{path}: cannot read JSON: {error}")
        return False
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        print(f"{path}: {json_path(error.absolute_path)}: {error.message}")
    return not errors


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: validate_compare_json.py SCHEMA JSONFILE...\n")
        return 2
    try:
        schema = load_json(argv[1])
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as error:
        sys.stderr.write(f"validate_compare_json.py: error: {argv[1]}: bad schema: {error}\n")
        return 2
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    results = [validate_file(validator, path) for path in argv[2:]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

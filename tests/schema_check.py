#!/usr/bin/env python3
"""schema_check.py - validates JSON documents against one of doc/*.schema.json.

    schema_check.py SCHEMA FILE...           each FILE is one JSON document
    schema_check.py --lines SCHEMA FILE...   each line of each FILE is one (NDJSON)

Stricter than a plain validator in what JSON it accepts, because the reports
are meant to be read by any program: a number with a fraction part is never an
integer (1.0 is not 1), NaN and Infinity are refused, and so are repeated keys.
It also checks the project's "x-decimals": N annotation: such a number is
written with exactly N decimals. A "$ref" to another schema file is looked up
among the *.schema.json files next to SCHEMA, by file name.

Exit status: 0 all valid, 1 something invalid, 2 a file or schema could not be
used, 77 (automake's "skipped") when the jsonschema module is missing.
"""

import argparse
import decimal
import glob
import json
import os
import pathlib
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator, ValidationError
except ImportError:
    print("skipped: the Python jsonschema module is missing "
          "(Debian/Ubuntu: apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(77)

MAX_ERRORS = 5


class Unusable(Exception):
    """A file or schema that cannot be used at all (exit 2)."""


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def no_repeated_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"key {key!r} appears twice in one object")
        obj[key] = value
    return obj


def parse(text):
    """JSON text -> Python, numbers with a fraction part as exact Decimals."""
    return json.loads(text, parse_float=decimal.Decimal, parse_constant=refuse_constant,
                      object_pairs_hook=no_repeated_keys)


def x_decimals(validator, decimals, instance, schema):
    if not validator.is_type(instance, "number"):
        return
    exponent = instance.as_tuple().exponent if isinstance(instance, decimal.Decimal) else 0
    if exponent != -decimals:
        yield ValidationError(f"{instance} is not written with exactly {decimals} decimals")


Validator = jsonschema.validators.extend(Draft202012Validator, {"x-decimals": x_decimals})


def load_schema(path):
    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        raise Unusable(f"{path}: cannot read the schema: {e}")
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        raise Unusable(f"{path}: not a valid JSON Schema 2020-12: {e.message}")
    return schema


def make_validator(path):
    """A validator for the schema at path; its neighbours answer relative $refs."""
    path = os.path.abspath(path)
    schema = load_schema(path)
    neighbours = {other: load_schema(other)
                  for other in sorted(glob.glob(os.path.join(os.path.dirname(path),
                                                             "*.schema.json")))}
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        # jsonschema before 4.18 (Debian 12 has 4.10) resolves with RefResolver,
        # against the schema's own file URI.
        store = {pathlib.Path(p).as_uri(): s for p, s in neighbours.items()}
        resolver = jsonschema.RefResolver(base_uri=pathlib.Path(path).as_uri(),
                                          referrer=schema, store=store)
        return Validator(schema, resolver=resolver)
    # A schema without $id resolves a relative $ref to the bare file name.
    registry = Registry().with_resources(
        (os.path.basename(p), Resource.from_contents(s, default_specification=DRAFT202012))
        for p, s in neighbours.items())
    return Validator(schema, registry=registry)


def where(error):
    path = "/".join(str(p) for p in error.absolute_path)
    return f"at /{path}" if path else "at the top"


def check(validator, name, text):
    """Returns the error lines for one instance (none when it is valid)."""
    try:
        instance = parse(text)
    except ValueError as e:
        return [f"{name}: not JSON: {e}"]
    errors = sorted(validator.iter_errors(instance),
                    key=lambda e: [str(p) for p in e.absolute_path])
    lines = [f"{name}: {where(e)}: {e.message}" for e in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        lines.append(f"{name}: ... and {len(errors) - MAX_ERRORS} more")
    return lines


def read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, ValueError) as e:
        raise Unusable(f"{path}: cannot read: {e}")


def check_file(validator, path, lines):
    """Returns the error lines for one file: one document, or one per line."""
    content = read(path)
    if not lines:
        return check(validator, path, content)
    errors = []
    if content and not content.endswith("\n"):
        errors.append(f"{path}: the last line has no newline")
    parts = content.split("\n")
    if parts[-1] == "":
        parts.pop()
    for number, line in enumerate(parts, 1):
        errors += check(validator, f"{path}:{number}", line)
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", action="store_true", help="one JSON document per line")
    ap.add_argument("schema")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    try:
        validator = make_validator(args.schema)
        invalid = 0
        for path in args.files:
            errors = check_file(validator, path, args.lines)
            invalid += bool(errors)
            for line in errors:
                print(line)
    except Unusable as e:
        print(f"schema_check.py: {e}", file=sys.stderr)
        return 2
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())

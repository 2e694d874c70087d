#!/usr/bin/env python3
"""Validate example events against Chancery's published JSON Schemas with Python's `jsonschema`.

This is the reference check for the Swift validator (Sources/ChanceryDomain/Schema): the Swift test
`SchemaCorpusTests` runs this script and asserts that both give the same verdict on every example.

Each example is a CloudEvent as a publisher submits it. It is valid when
  1. the envelope validates against schemas/cloudevent.json#/$defs/submission, and
  2. `data` validates against schemas/events/<type>.v<version>.json, where <version> comes from
     `dataschema` (urn:chancery:schema:<type>:<version>) or, without one, is the newest version.
Both with Draft202012Validator and format checking (date, date-time).

A file's expected verdict is the start of its name: `valid-….json` or `invalid-….json`.

Usage: scripts/validate-corpus.py [--schemas DIR] [FILE_OR_DIR ...]
  (defaults: schemas/ and Tests/ChanceryDomainTests/corpus/ of this repository)

Prints one JSON object per file, one per line:
  {"file": "<path as given/relative>", "valid": true|false, "expected": "valid"|"invalid"|null,
   "errors": [{"pointer": "/data/itemCode", "message": "…"}]}
Exits 0 when every file with an expected verdict got it, 1 otherwise, 2 on a usage or set-up error.

Needs `jsonschema` with date-time format checking, i.e. `rfc3339-validator` installed too:
pip install jsonschema rfc3339-validator.
"""
import argparse
import json
import os
import re
import sys

try:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
except ImportError as e:  # pragma: no cover
    print(f"validate-corpus: needs the jsonschema package (pip install jsonschema): {e}", file=sys.stderr)
    sys.exit(2)

if "date-time" not in Draft202012Validator.FORMAT_CHECKER.checkers:  # pragma: no cover
    print("validate-corpus: date-time format checking needs rfc3339-validator "
          "(pip install jsonschema rfc3339-validator)", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATASCHEMA = re.compile(r"^urn:chancery:schema:(.+):([1-9][0-9]*)$")
EVENT_FILE = re.compile(r"^(.+)\.v([1-9][0-9]*)\.json$")


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class Schemas:
    def __init__(self, directory):
        with open(os.path.join(directory, "cloudevent.json"), encoding="utf-8") as f:
            self.cloudevent = json.load(f)
        self.events = {}  # type -> {version: schema}
        events_dir = os.path.join(directory, "events")
        for name in sorted(os.listdir(events_dir)):
            m = EVENT_FILE.match(name)
            if not m:
                continue
            with open(os.path.join(events_dir, name), encoding="utf-8") as f:
                schema = json.load(f)
            Draft202012Validator.check_schema(schema)
            self.events.setdefault(m.group(1), {})[int(m.group(2))] = schema
        Draft202012Validator.check_schema(self.cloudevent)
        registry = Registry().with_resource(self.cloudevent["$id"], Resource.from_contents(self.cloudevent))
        self.envelope = Draft202012Validator(
            {"$ref": self.cloudevent["$id"] + "#/$defs/submission"},
            registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        self.data_validators = {}

    def data_validator(self, event_type, version):
        key = (event_type, version)
        if key not in self.data_validators:
            schema = self.events[event_type][version]
            self.data_validators[key] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self.data_validators[key]


def errors_of(validator, instance, prefix=()):
    out = []
    for e in sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        out.append({"pointer": pointer(list(prefix) + list(e.absolute_path)), "message": e.message})
    return out


def check(event, schemas):
    errors = errors_of(schemas.envelope, event)
    if not isinstance(event, dict):
        return errors
    event_type = event.get("type")
    if not isinstance(event_type, str) or event_type not in schemas.events:
        if not errors:
            errors.append({"pointer": "/type", "message": f"no schema for type {event_type!r}"})
        return errors
    versions = schemas.events[event_type]
    version = max(versions)
    dataschema = event.get("dataschema")
    if dataschema is not None:
        m = DATASCHEMA.match(dataschema) if isinstance(dataschema, str) else None
        if not m or m.group(1) != event_type or int(m.group(2)) not in versions:
            errors.append({"pointer": "/dataschema", "message": f"{dataschema!r} is not a schema of {event_type}"})
            return errors
        version = int(m.group(2))
    if "data" in event:
        errors += errors_of(schemas.data_validator(event_type, version), event["data"], ("data",))
    return errors


def expected_of(path):
    base = os.path.basename(path)
    if base.startswith("valid-"):
        return "valid"
    if base.startswith("invalid-"):
        return "invalid"
    return None


def files_of(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith(".json"):
                        yield os.path.join(root, n)
        else:
            yield p


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schemas", default=os.path.join(REPO, "schemas"))
    parser.add_argument("paths", nargs="*", default=[os.path.join(REPO, "Tests", "ChanceryDomainTests", "corpus")])
    args = parser.parse_args()
    try:
        schemas = Schemas(args.schemas)
    except Exception as e:
        print(f"validate-corpus: cannot load schemas from {args.schemas}: {e}", file=sys.stderr)
        return 2
    ok = True
    for path in files_of(args.paths):
        try:
            with open(path, encoding="utf-8") as f:
                event = json.load(f)
            errors = check(event, schemas)
        except (OSError, ValueError) as e:
            errors = [{"pointer": "", "message": f"unreadable: {e}"}]
        expected = expected_of(path)
        valid = not errors
        if expected is not None and (expected == "valid") != valid:
            ok = False
        print(json.dumps({"file": path, "valid": valid, "expected": expected, "errors": errors}, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

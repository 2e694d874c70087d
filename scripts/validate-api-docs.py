#!/usr/bin/env python3
"""Validate Chancery's published API documents: schemas/openapi.yaml and schemas/asyncapi.yaml.

What checks what:

1. schemas/openapi.yaml (OpenAPI 3.1) with `openapi-spec-validator` (OpenAPIV31SpecValidator): the
   document against the OpenAPI 3.1 specification's schema, plus that library's semantic checks
   (parameters, operation ids, internal references, schema objects).
2. schemas/asyncapi.yaml (AsyncAPI 3.0.0). No PyPI package ships the official AsyncAPI JSON Schemas
   (asyncapi/spec-json-schemas is published on npm only; of the PyPI packages looked at,
   asyncapi-python-parser-jonaslagoni reads them from a folder its wheel does not contain, and
   asyncapi, asyncapi-python, asyncapi3, asyncapi-schema-pydantic, pydantic-asyncapi and
   asyncapi-payload-validator ship none, only hand-written models), so this script checks the document
   structurally itself. Its limits, honestly: it knows the objects and fields Chancery's document uses
   (top level, info, servers, channels, operations, messages, message examples, the Kafka bindings
   0.3.0–0.5.0) and refuses unknown fields on them, but it is not the full 3.0.0 meta-schema (it does not
   check, e.g., security schemes, server variables or correlation ids in depth). When you have the
   official schema (`schemas/3.0.0-without-$id.json` of asyncapi/spec-json-schemas), pass it with
   `--asyncapi-meta-schema FILE` and the document is validated against it too (JSON Schema draft-07).
3. Both documents: every `$ref` is relative and resolves — to a file that exists and a JSON Pointer
   that exists in it — following references into schemas/cloudevent.json and schemas/events/*.json.
4. Both documents: every example (OpenAPI media types and parameters, schema-level `example`s;
   AsyncAPI message examples, headers and payload) validates against its schema with `jsonschema`
   (draft 2020-12 for OpenAPI schemas and the draft-2020-12 payloads, draft-07 for AsyncAPI Schema
   Objects), formats checked.
5. Both documents against the code and the event catalogue: every event type of schemas/events (and of
   cloudevent.json's `type` enum) has a canonical message on its topic's channel and a submission message
   on gov.inbound; the five canonical topics, gov.inbound and gov.deadletter are channels; the consumer
   groups of Sources/ are operation `groupId`s; the dead-letter headers of Sources/ChanceryGateway are
   documented; every HTTP route of Sources/ChanceryHTTP is a path, analyst routes need a token and public
   ones do not; every problem status and code the code uses is documented.

Usage: scripts/validate-api-docs.py [--asyncapi-meta-schema FILE]
Prints one line per check; exits 0 when everything passed, 1 when a document has a problem (each named
with its file and JSON Pointer), 2 when a needed package is missing.
Needs: pip install -r scripts/requirements-api-docs.txt
"""
import argparse
import glob
import json
import os
import re
import sys
import urllib.parse

try:
    import yaml
    from jsonschema import Draft7Validator, Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7, DRAFT202012
    import openapi_spec_validator
    from openapi_spec_validator import OpenAPIV31SpecValidator
except ImportError as e:  # pragma: no cover
    print(f"validate-api-docs: a needed package is missing ({e}); "
          "pip install -r scripts/requirements-api-docs.txt", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SCHEMAS = os.path.join(REPO, "schemas")
OPENAPI = os.path.join(SCHEMAS, "openapi.yaml")
ASYNCAPI = os.path.join(SCHEMAS, "asyncapi.yaml")
SOURCES = os.path.join(REPO, "Sources")
EVENT_FILE = re.compile(r"^(.+)\.v([1-9][0-9]*)\.json$")
DRAFT_2020_12_FORMAT = "application/schema+json;version=draft-2020-12"
CANONICAL_TOPICS = ["gov.catalog", "gov.approval", "gov.disclosure", "gov.interaction", "gov.supervision"]


class Report:
    def __init__(self):
        self.problems = []

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    def ok(self, message):
        print(f"ok: {message}")


def rel(path):
    return os.path.relpath(path, REPO)


def pointer_of(parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve_pointer(doc, pointer):
    """The value at RFC 6901 `pointer` in `doc`; raises KeyError when there is none."""
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        raise KeyError(f"'{pointer}' is not a JSON Pointer")
    node = doc
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(f"no member '{token}'")
    return node


_documents = {}


def load(path):
    """A JSON or YAML document, parsed once."""
    path = os.path.normpath(path)
    if path not in _documents:
        with open(path, encoding="utf-8") as f:
            _documents[path] = yaml.safe_load(f) if path.endswith((".yaml", ".yml")) else json.load(f)
    return _documents[path]


def check_json_compatible(node, where, report, parts=()):
    """YAML can produce dates, sets and non-string keys; published documents must be plain JSON."""
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                report.problem(f"{where}#{pointer_of(parts)}", f"key {k!r} is not a string (quote it)")
            check_json_compatible(v, where, report, parts + (str(k),))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_json_compatible(v, where, report, parts + (i,))
    elif not (node is None or isinstance(node, (str, bool, int, float))):
        report.problem(f"{where}#{pointer_of(parts)}", f"{type(node).__name__} value {node!r} is not JSON (quote it)")


# Keywords whose values are instances, not schemas or objects with references.
INSTANCE_KEYWORDS = {"example", "const", "enum", "default"}
# Keywords whose values map names to schemas (a member named `example` there is a name, not a keyword).
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


def iter_refs(node, parts=(), in_name_map=False):
    """(pointer parts, $ref value) for every reference in a document, skipping example instances."""
    if isinstance(node, dict):
        for k, v in node.items():
            if not in_name_map:
                if k == "$ref" and isinstance(v, str):
                    yield parts + (k,), v
                    continue
                if k in INSTANCE_KEYWORDS:
                    continue
                if k == "examples":
                    if isinstance(v, dict):  # OpenAPI: a map of Example Objects or references to them
                        for name, ex in v.items():
                            if isinstance(ex, dict) and isinstance(ex.get("$ref"), str):
                                yield parts + (k, name, "$ref"), ex["$ref"]
                    continue  # a list: JSON Schema or AsyncAPI message examples, all instances
            yield from iter_refs(v, parts + (k,), in_name_map=(not in_name_map and k in NAME_MAPS))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from iter_refs(v, parts + (i,))


def check_refs(start_files, report):
    """Every $ref of the documents, and of the files they reference, is relative and resolves."""
    seen, queue, count = set(), [os.path.normpath(p) for p in start_files], 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        doc = load(path)
        for parts, ref in iter_refs(doc):
            count += 1
            where = f"{rel(path)}#{pointer_of(parts)}"
            parsed = urllib.parse.urlsplit(ref)
            if parsed.scheme or parsed.netloc:
                report.problem(where, f"$ref '{ref}' is not relative; published documents reference files next to them")
                continue
            file_part, _, fragment = ref.partition("#")
            target = path if file_part == "" else os.path.normpath(
                os.path.join(os.path.dirname(path), urllib.parse.unquote(file_part)))
            if not os.path.isfile(target):
                report.problem(where, f"$ref '{ref}': no file {rel(target)}")
                continue
            try:
                target_doc = load(target)
            except (ValueError, yaml.YAMLError) as e:
                report.problem(where, f"$ref '{ref}': {rel(target)} does not parse: {e}")
                continue
            try:
                resolve_pointer(target_doc, urllib.parse.unquote(fragment))
            except KeyError as e:
                report.problem(where, f"$ref '{ref}': pointer '{fragment}' does not resolve in {rel(target)} ({e})")
                continue
            if target != path:
                queue.append(target)
    report.ok(f"{count} $ref in {len(seen)} files resolve "
              f"({', '.join(sorted(rel(p) for p in seen if not p.startswith(os.path.join(SCHEMAS, 'events'))))} "
              f"and {sum(1 for p in seen if p.startswith(os.path.join(SCHEMAS, 'events')))} event schemas)")


def file_uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def schema_registry():
    """Every JSON Schema of schemas/ under its file URI and its $id, and the two API documents."""
    resources = []
    for path in [os.path.join(SCHEMAS, "cloudevent.json")] + sorted(glob.glob(os.path.join(SCHEMAS, "events", "*.json"))):
        contents = load(path)
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((file_uri(path), resource))
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            resources.append((contents["$id"], resource))
    resources.append((file_uri(OPENAPI), Resource(contents=load(OPENAPI), specification=DRAFT202012)))
    return Registry().with_resources(resources)


def short(error, limit=300):
    """An exception's message, cut (referencing errors print whole documents)."""
    text = str(error).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + " …"


def validate_event_data(event, where, registry, catalog, report):
    """`data` of an example event against the schema its `dataschema` (or the newest version) names,
    as Chancery does: the envelope schema alone only says `data` is an object."""
    if not isinstance(event, dict) or event.get("type") not in catalog or "data" not in event:
        return 0  # the envelope check reports it
    versions = catalog[event["type"]]
    version = max(versions)
    m = re.match(r"^urn:chancery:schema:(.+):([1-9][0-9]*)$", str(event.get("dataschema", "")))
    if m and m.group(1) == event["type"] and int(m.group(2)) in versions:
        version = int(m.group(2))
    path = os.path.join(SCHEMAS, "events", f"{event['type']}.v{version}.json")
    return validate_instance(event["data"], file_uri(path), "2020-12", registry, where + "/data", report)


def validate_instance(instance, schema_uri, dialect, registry, where, report):
    cls = Draft202012Validator if dialect == "2020-12" else Draft7Validator
    validator = cls({"$ref": schema_uri}, registry=registry, format_checker=cls.FORMAT_CHECKER)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    except Exception as e:  # an unresolvable reference inside the schema
        report.problem(where, f"cannot validate the example: {type(e).__name__}: {short(e)}")
        return 0
    for e in errors[:5]:
        report.problem(where, f"example invalid at {pointer_of(e.absolute_path) or '(root)'}: {e.message}")
    return 1


# ---------------------------------------------------------------------------------------------- OpenAPI

def check_openapi(report, registry, catalog):
    spec = load(OPENAPI)
    check_json_compatible(spec, rel(OPENAPI), report)
    if spec.get("openapi", "").split(".")[:2] != ["3", "1"]:
        report.problem(rel(OPENAPI), f"openapi is '{spec.get('openapi')}', not 3.1.x")
    validator = OpenAPIV31SpecValidator(spec, base_uri=file_uri(OPENAPI))
    try:
        errors = list(validator.iter_errors())
    except Exception as e:  # e.g. a reference the validator cannot follow
        report.problem(rel(OPENAPI), f"openapi-spec-validator stopped: {type(e).__name__}: {short(e)}")
        errors = None
    if errors is not None:
        for e in errors:
            path = pointer_of(getattr(e, "absolute_path", []) or [])
            report.problem(f"{rel(OPENAPI)}#{path}", f"openapi-spec-validator: {str(e).splitlines()[0]}")
        if not errors:
            report.ok(f"{rel(OPENAPI)} is valid OpenAPI {spec.get('openapi')} "
                      f"(openapi-spec-validator {openapi_spec_validator_version()})")

    # Examples against their schemas (OpenAPI 3.1 Schema Objects are JSON Schema draft 2020-12).
    base = file_uri(OPENAPI)
    count = 0

    def check_example(instance, schema_uri, where, media_type):
        n = validate_instance(instance, schema_uri, "2020-12", registry, where, report)
        if media_type == "application/cloudevents+json":
            n += validate_event_data(instance, where, registry, catalog, report)
        elif media_type == "application/cloudevents-batch+json" and isinstance(instance, list):
            for i, event in enumerate(instance):
                n += validate_event_data(event, f"{where}/{i}", registry, catalog, report)
        return n

    def walk(node, parts):
        nonlocal count
        if isinstance(node, dict):
            schema = node.get("schema")
            if isinstance(schema, dict) and ("example" in node or "examples" in node):
                schema_uri = f"{base}#{pointer_of(parts + ('schema',))}"
                where = f"{rel(OPENAPI)}#{pointer_of(parts)}"
                media_type = parts[-1] if len(parts) > 1 and parts[-2] == "content" else None
                if "example" in node:
                    count += check_example(node["example"], schema_uri, where + "/example", media_type)
                for name, ex in (node.get("examples") or {}).items():
                    if isinstance(ex, dict) and "$ref" in ex:
                        try:
                            ex = resolve_pointer(spec, ex["$ref"].partition("#")[2])
                        except KeyError:
                            continue  # reported by the $ref check
                    if isinstance(ex, dict) and "value" in ex:
                        count += check_example(ex["value"], schema_uri, f"{where}/examples/{name}", media_type)
            for k, v in node.items():
                if k in ("example", "examples"):
                    continue
                walk(v, parts + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, parts + (i,))

    walk(spec.get("paths", {}), ("paths",))
    walk(spec.get("components", {}).get("responses", {}), ("components", "responses"))
    walk(spec.get("components", {}).get("parameters", {}), ("components", "parameters"))
    walk(spec.get("components", {}).get("requestBodies", {}), ("components", "requestBodies"))

    def schema_examples(node, parts, in_name_map=False):
        nonlocal count
        if isinstance(node, dict):
            if not in_name_map and "example" in node:
                count += validate_instance(node["example"], f"{base}#{pointer_of(parts)}", "2020-12", registry,
                                           f"{rel(OPENAPI)}#{pointer_of(parts)}/example", report)
            for k, v in node.items():
                if not in_name_map and k in INSTANCE_KEYWORDS | {"examples"}:
                    continue
                schema_examples(v, parts + (k,), in_name_map=(not in_name_map and k in NAME_MAPS))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                schema_examples(v, parts + (i,))

    for name, schema in (spec.get("components", {}).get("schemas") or {}).items():
        schema_examples(schema, ("components", "schemas", name))
    report.ok(f"{count} OpenAPI examples checked against their schemas")
    return spec


def openapi_spec_validator_version():
    try:
        from importlib.metadata import version
        return version("openapi-spec-validator")
    except Exception:  # pragma: no cover
        return getattr(openapi_spec_validator, "__version__", "?")


# --------------------------------------------------------------------------------------------- AsyncAPI

EXTENSION = re.compile(r"^x-[\w\d.\-_]+$")
COMPONENT_KEY = re.compile(r"^[\w\d.\-_]+$")
ALLOWED = {
    "document": {"asyncapi", "id", "info", "servers", "defaultContentType", "channels", "operations", "components"},
    "info": {"title", "version", "description", "termsOfService", "contact", "license", "tags", "externalDocs"},
    "server": {"host", "protocol", "protocolVersion", "pathname", "description", "title", "summary", "variables",
               "security", "tags", "externalDocs", "bindings"},
    "channel": {"address", "messages", "title", "summary", "description", "servers", "parameters", "tags",
                "externalDocs", "bindings"},
    "operation": {"action", "channel", "title", "summary", "description", "security", "tags", "externalDocs",
                  "bindings", "traits", "messages", "reply"},
    "message": {"headers", "payload", "correlationId", "contentType", "name", "title", "summary", "description",
                "tags", "externalDocs", "bindings", "examples", "traits"},
    "messageExample": {"headers", "payload", "name", "summary"},
    "components": {"schemas", "servers", "channels", "operations", "messages", "securitySchemes", "serverVariables",
                   "parameters", "correlationIds", "replies", "replyAddresses", "externalDocs", "tags",
                   "operationTraits", "messageTraits", "serverBindings", "channelBindings", "operationBindings",
                   "messageBindings"},
    "kafka.server": {"schemaRegistryUrl", "schemaRegistryVendor", "bindingVersion"},
    "kafka.channel": {"topic", "partitions", "replicas", "topicConfiguration", "bindingVersion"},
    "kafka.operation": {"groupId", "clientId", "bindingVersion"},
    "kafka.message": {"key", "schemaIdLocation", "schemaIdPayloadEncoding", "schemaLookupStrategy", "bindingVersion"},
}
KAFKA_BINDING_VERSIONS = {"0.3.0", "0.4.0", "0.5.0"}


def deref(doc, node):
    """Follow a local reference (`#/…`) once; other nodes unchanged."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        try:
            return resolve_pointer(doc, urllib.parse.unquote(node["$ref"][1:]))
        except KeyError:
            return None
    return node


def check_fields(obj, kind, where, report):
    if not isinstance(obj, dict):
        report.problem(where, f"a {kind} must be an object")
        return False
    for k in obj:
        if k not in ALLOWED[kind] and not EXTENSION.match(k):
            report.problem(where, f"'{k}' is not a field of a {kind} (AsyncAPI 3.0.0)")
    return True


def check_kafka_binding(bindings, kind, doc, where, report):
    bindings = deref(doc, bindings)
    if bindings is None:
        return None
    if not isinstance(bindings, dict):
        report.problem(where, "bindings must be an object")
        return None
    kafka = bindings.get("kafka")
    if kafka is None:
        return None
    if check_fields(kafka, f"kafka.{kind}", where + "/kafka", report):
        if "bindingVersion" in kafka and kafka["bindingVersion"] not in KAFKA_BINDING_VERSIONS:
            report.problem(where + "/kafka/bindingVersion", f"'{kafka['bindingVersion']}' is not a Kafka binding version of AsyncAPI 3.0.0")
        for field in ("groupId", "clientId", "key"):
            if field in kafka and not isinstance(kafka[field], (dict, bool)):
                report.problem(f"{where}/kafka/{field}", "must be a Schema Object (e.g. {type: string, const: …})")
    return kafka


def schema_property_names(doc, schema):
    """Property names a header schema defines (through allOf and local references)."""
    schema = deref(doc, schema)
    names = {}
    if not isinstance(schema, dict):
        return names
    for name, sub in (schema.get("properties") or {}).items():
        names[name] = deref(doc, sub)
    for part in schema.get("allOf") or []:
        for name, sub in schema_property_names(doc, part).items():
            names.setdefault(name, sub)
    return names


def schema_required(doc, schema):
    schema = deref(doc, schema)
    if not isinstance(schema, dict):
        return set()
    req = set(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        req |= schema_required(doc, part)
    return req


def payload_refs(node):
    return {ref for _, ref in iter_refs(node)}


def event_catalog(report):
    """{type: [versions]} from schemas/events, checked against cloudevent.json's enum."""
    catalog = {}
    for path in sorted(glob.glob(os.path.join(SCHEMAS, "events", "*.json"))):
        m = EVENT_FILE.match(os.path.basename(path))
        if not m:
            report.problem(rel(path), "not named <type>.v<version>.json")
            continue
        catalog.setdefault(m.group(1), []).append(int(m.group(2)))
    enum = set(load(os.path.join(SCHEMAS, "cloudevent.json"))["properties"]["type"]["enum"])
    for t in sorted(enum - set(catalog)):
        report.problem("schemas/cloudevent.json#/properties/type/enum", f"{t} has no file in schemas/events")
    for t in sorted(set(catalog) - enum):
        report.problem(f"schemas/events/{t}.v*.json", f"{t} is not in cloudevent.json's type enum")
    return catalog


def check_asyncapi(report, registry, catalog, meta_schema):
    doc = load(ASYNCAPI)
    name = rel(ASYNCAPI)
    check_json_compatible(doc, name, report)
    before = len(report.problems)

    if meta_schema:
        with open(meta_schema, encoding="utf-8") as f:
            official = json.load(f)
        errors = list(Draft7Validator(official).iter_errors(doc))
        for e in errors[:20]:
            report.problem(f"{name}#{pointer_of(e.absolute_path)}", f"official AsyncAPI schema: {e.message[:300]}")
        if not errors:
            report.ok(f"{name} is valid against the official AsyncAPI JSON Schema {os.path.basename(meta_schema)}")

    # --- structure
    if doc.get("asyncapi") != "3.0.0":
        report.problem(f"{name}#/asyncapi", f"'{doc.get('asyncapi')}' is not 3.0.0")
    check_fields(doc, "document", name, report)
    info = doc.get("info")
    if check_fields(info, "info", f"{name}#/info", report):
        for field in ("title", "version"):
            if not isinstance(info.get(field), str) or not info.get(field):
                report.problem(f"{name}#/info/{field}", "required, a non-empty string")
    for sid, server in (doc.get("servers") or {}).items():
        where = f"{name}#/servers/{sid}"
        server = deref(doc, server)
        if check_fields(server, "server", where, report):
            for field in ("host", "protocol"):
                if not isinstance(server.get(field), str):
                    report.problem(f"{where}/{field}", "required, a string")
            for var in re.findall(r"\{([^}]+)\}", server.get("host", "") + server.get("pathname", "")):
                if var not in (server.get("variables") or {}):
                    report.problem(f"{where}/host", f"variable '{var}' is not defined in variables")
            check_kafka_binding(server.get("bindings"), "server", doc, where + "/bindings", report)

    components = doc.get("components") or {}
    check_fields(components, "components", f"{name}#/components", report)
    for section, entries in components.items():
        for key in (entries or {}):
            if not COMPONENT_KEY.match(key):
                report.problem(f"{name}#/components/{section}/{key}", "component keys must match ^[\\w\\d.\\-_]+$")

    channels = doc.get("channels") or {}
    channel_messages = {}  # channel id -> {message id: message object}
    for cid, channel in channels.items():
        where = f"{name}#/channels/{pointer_of([cid])[1:]}"
        channel = deref(doc, channel)
        if not check_fields(channel, "channel", where, report):
            continue
        if "address" in channel and not (channel["address"] is None or isinstance(channel["address"], str)):
            report.problem(f"{where}/address", "must be a string or null")
        channel_messages[cid] = {}
        for mid, message in (channel.get("messages") or {}).items():
            resolved = deref(doc, message)
            if resolved is None:
                continue  # reported by the $ref check
            if isinstance(message, dict) and "$ref" in message and not message["$ref"].startswith("#/components/messages/"):
                report.problem(f"{where}/messages/{mid}", "a channel's message reference must point into #/components/messages")
            channel_messages[cid][mid] = resolved
        check_kafka_binding(channel.get("bindings"), "channel", doc, where + "/bindings", report)

    operations = doc.get("operations") or {}
    groups = {}  # (channel id, action) -> [groupId]
    actions = set()  # (channel id, action) of every operation
    for oid, operation in operations.items():
        where = f"{name}#/operations/{oid}"
        operation = deref(doc, operation)
        if not check_fields(operation, "operation", where, report):
            continue
        if operation.get("action") not in ("send", "receive"):
            report.problem(f"{where}/action", f"'{operation.get('action')}' is neither send nor receive")
        ref = (operation.get("channel") or {}).get("$ref", "")
        cid = urllib.parse.unquote(ref[len("#/channels/"):]).replace("~1", "/").replace("~0", "~") if ref.startswith("#/channels/") else None
        if cid not in channels:
            report.problem(f"{where}/channel", f"must reference a channel of this document (#/channels/<id>), not '{ref}'")
            continue
        for i, m in enumerate(operation.get("messages") or []):
            mref = m.get("$ref", "") if isinstance(m, dict) else ""
            prefix = f"{ref}/messages/"
            if not mref.startswith(prefix) or mref[len(prefix):] not in channel_messages.get(cid, {}):
                report.problem(f"{where}/messages/{i}", f"'{mref}' is not a message of the operation's channel {cid}")
        actions.add((cid, operation.get("action")))
        kafka = check_kafka_binding(operation.get("bindings"), "operation", doc, where + "/bindings", report)
        group = (kafka or {}).get("groupId")
        if isinstance(group, dict):
            value = group.get("const", (group.get("enum") or [None])[0])
            if value:
                groups.setdefault((cid, operation.get("action")), []).append(value)

    messages = components.get("messages") or {}
    for mid, message in messages.items():
        where = f"{name}#/components/messages/{mid}"
        message = deref(doc, message)
        if not check_fields(message, "message", where, report):
            continue
        headers = deref(doc, message.get("headers"))
        if isinstance(headers, dict) and headers.get("type", "object") != "object":
            report.problem(f"{where}/headers", "headers must be a schema of type object")
        payload = message.get("payload")
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" not in payload:
            report.problem(f"{where}/payload", "a Multi Format Schema Object needs 'schema'")
        check_kafka_binding(message.get("bindings"), "message", doc, where + "/bindings", report)
        for i, example in enumerate(message.get("examples") or []):
            check_fields(example, "messageExample", f"{where}/examples/{i}", report)

    # --- examples against headers and payload schemas
    base = file_uri(ASYNCAPI)
    async_registry = registry.with_resource(base, Resource(contents=doc, specification=DRAFT7))
    count = 0
    for mid, message in messages.items():
        message = deref(doc, message) or {}
        for i, example in enumerate(message.get("examples") or []):
            where = f"{name}#/components/messages/{mid}/examples/{i}"
            if "headers" in example and "headers" in message:
                count += validate_instance(example["headers"], f"{base}#/components/messages/{mid}/headers", "07",
                                           async_registry, where + "/headers", report)
            if "payload" in example and "payload" in message:
                payload = message["payload"]
                if isinstance(payload, dict) and "schemaFormat" in payload:
                    if payload["schemaFormat"] != DRAFT_2020_12_FORMAT:
                        continue
                    count += validate_instance(example["payload"], f"{base}#/components/messages/{mid}/payload/schema",
                                               "2020-12", async_registry, where + "/payload", report)
                else:
                    count += validate_instance(example["payload"], f"{base}#/components/messages/{mid}/payload", "07",
                                               async_registry, where + "/payload", report)
    report.ok(f"{count} AsyncAPI message example parts checked against their schemas")

    # --- Chancery's catalogue and topics
    addresses = {cid: (deref(doc, ch) or {}).get("address") for cid, ch in channels.items()}
    by_address = {a: cid for cid, a in addresses.items()}
    for topic in CANONICAL_TOPICS + ["gov.inbound", "gov.deadletter"]:
        if topic not in by_address:
            report.problem(f"{name}#/channels", f"no channel with address {topic}")
    inbound, deadletter = by_address.get("gov.inbound"), by_address.get("gov.deadletter")

    def messages_referencing(cid, file_name):
        return [mid for mid, m in channel_messages.get(cid, {}).items()
                if any(r.endswith(file_name) for r in payload_refs(m.get("payload")))]

    for event_type, versions in sorted(catalog.items()):
        topic = ".".join(event_type.split(".")[:2])
        for v in versions:
            file_name = f"./events/{event_type}.v{v}.json"
            canonical = messages_referencing(by_address.get(topic), file_name)
            if not canonical:
                report.problem(f"{name}#/channels/{by_address.get(topic, topic)}",
                               f"no message whose payload references {file_name}")
            for mid in canonical:
                m = channel_messages[by_address[topic]][mid]
                headers = schema_property_names(doc, m.get("headers"))
                if not {"ce_type", "content-type"} <= schema_required(doc, m.get("headers")):
                    report.problem(f"{name}: message {mid}", "canonical headers must require ce_type and content-type")
                if (headers.get("ce_type") or {}).get("const") not in (None, event_type) and not any(
                        (sub or {}).get("const") == event_type for sub in [headers.get("ce_type")]):
                    report.problem(f"{name}: message {mid}", f"ce_type header is not {event_type}")
                refs = payload_refs(m.get("payload"))
                if not any(r.endswith("cloudevent.json#/$defs/canonical") for r in refs):
                    report.problem(f"{name}: message {mid}", "payload must use cloudevent.json#/$defs/canonical")
            if not messages_referencing(inbound, file_name):
                report.problem(f"{name}#/channels/{inbound}", f"no submission message whose payload references {file_name}")
    report.ok(f"every event type ({sum(len(v) for v in catalog.values())} schemas) has a canonical message on its "
              f"topic and a submission message on gov.inbound")

    # Headers and keys.
    subject_pattern = load(os.path.join(SCHEMAS, "cloudevent.json"))["properties"]["subject"]["pattern"]
    for cid, cmsgs in channel_messages.items():
        for mid, m in cmsgs.items():
            where = f"{name}: message {mid} on {cid}"
            bindings = deref(doc, m.get("bindings")) or {}
            key = deref(doc, (bindings.get("kafka") or {}).get("key"))
            if not isinstance(key, dict):
                report.problem(where, "no Kafka message key (bindings.kafka.key)")
            elif cid != deadletter and ("subject" not in json.dumps(key) or key.get("pattern") != subject_pattern):
                report.problem(where, "the Kafka key must be documented as the event's subject, with "
                                      f"cloudevent.json's subject pattern {subject_pattern}")
            headers = schema_property_names(doc, m.get("headers"))
            if cid == inbound:
                if "authorization" not in headers:
                    report.problem(where, "no authorization header")
                if any(h.startswith("ce_") for h in headers):
                    for h in ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time", "ce_region",
                              "ce_expectedsequence"):
                        if h not in headers:
                            report.problem(where, f"binary mode without the {h} header")
            if cid == deadletter:
                for h in dead_letter_headers(report) + ["retry.of"]:
                    if h not in headers:
                        report.problem(where, f"no {h} header")
    if not any(any(h.startswith("ce_") for h in schema_property_names(doc, m.get("headers")))
               for m in channel_messages.get(inbound, {}).values()):
        report.problem(f"{name}#/channels/{inbound}", "no binary content mode message (ce_ headers)")

    # Who sends and receives what, with which consumer group.
    def need(cid, action, group=None):
        if cid is None:
            return  # reported above: no such channel
        if (cid, action) not in actions:
            report.problem(f"{name}#/operations", f"no {action} operation on {cid}")
        if group and group not in groups.get((cid, action), []):
            report.problem(f"{name}#/operations", f"no {action} operation on {cid} with Kafka groupId {group}")

    need(inbound, "send")
    need(inbound, "receive", "chancery-gateway-inbound")
    need(deadletter, "send")
    for topic in CANONICAL_TOPICS:
        need(by_address.get(topic), "send")
        need(by_address.get(topic), "receive", "chancery-projector")
    need(by_address.get("gov.approval"), "receive", "chancery-supervisor")
    documented_groups = {g for gs in groups.values() for g in gs}
    for group, source in consumer_groups_in_code(report):
        if group not in documented_groups:
            report.problem(f"{name}#/operations", f"consumer group {group} ({source}) is not a documented groupId")

    if len(report.problems) == before:
        report.ok(f"{name}: AsyncAPI 3.0.0 structure, {len(channels)} channels, {len(operations)} operations, "
                  f"{len(messages)} messages, Kafka bindings, groupIds and headers (structural check, see the docstring)")


# -------------------------------------------------------------------------------------- drift vs. code

def read_sources(folder):
    out = {}
    for path in sorted(glob.glob(os.path.join(SOURCES, folder, "**", "*.swift"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            out[path] = f.read()
    return out


def consumer_groups_in_code(report):
    found = []
    for folder in ("ChanceryGateway", "ChanceryProjections", "ChancerySupervision"):
        for path, text in read_sources(folder).items():
            for m in re.finditer(r'static let consumerGroup = "([^"]+)"', text):
                found.append((m.group(1), rel(path)))
    if len(found) < 3:
        report.problem("Sources/", f"expected the consumer groups of the gateway, projector and supervisor, found {found}")
    return found


def dead_letter_headers(report):
    text = "".join(read_sources("ChanceryGateway").values())
    block = re.search(r"enum DeadLetterHeader \{(.*?)\n\}", text, re.S)
    names = re.findall(r'static let \w+ = "([^"]+)"', block.group(1)) if block else []
    if len(names) < 6:
        report.problem("Sources/ChanceryGateway", f"could not read the dead-letter headers of DeadLetterHeader: {names}")
    return names


STATUS = {"badRequest": 400, "unauthorized": 401, "forbidden": 403, "notFound": 404, "conflict": 409,
          "methodNotAllowed": 405, "contentTooLarge": 413, "unsupportedMediaType": 415, "unprocessableContent": 422,
          "internalServerError": 500, "serviceUnavailable": 503, "ok": 200, "created": 201}


def check_code_against_openapi(report, spec):
    http = read_sources("ChanceryHTTP")
    if not http:
        report.problem("Sources/ChanceryHTTP", "no Swift sources found")
        return
    text = open(OPENAPI, encoding="utf-8").read()
    paths = spec.get("paths") or {}
    build = "".join(t for p, t in http.items() if p.endswith("Application+build.swift"))
    group = re.search(r'router\.group\("([^"]+)"\)', build)
    prefix = "/" + group.group(1) if group else ""
    routes = []
    for path, source in http.items():
        on_group = "addRoutes(to group: RouterGroup" in source
        for m in re.finditer(r'\b(?:group|router)\.(get|post|put|patch|delete)\("([^"]*)", use: (\w+)\)', source):
            method, route, handler = m.groups()
            # A catch-all (`**`, e.g. `streams/**`: a stream id whose number may hold slashes) is documented as one
            # path parameter, `{subject}`, the percent-encoded remainder of the path.
            route = "/".join("{" + seg[1:] + "}" if seg.startswith(":") else "{subject}" if seg == "**" else seg
                             for seg in route.split("/"))
            full = (prefix if on_group else "") + "/" + route
            body = re.search(r"func " + handler + r"\(.*?(?=\n    @Sendable func |\n    static func |\n    private func |\Z)", source, re.S)
            # A requirement on a line of its own; one behind an `if` on its line (a parameter only analysts may use, on a
            # public list) leaves the route public.
            lines = [line for line in (body.group(0).splitlines() if body else []) if not re.search(r"\bif\b", line)]
            routes.append((method, full, any("requireAnalyst()" in line or "requireAuditor()" in line for line in lines),
                           any("requirePrincipal()" in line for line in lines), rel(path)))
    for method, full, analyst, principal, source in routes:
        operation = (paths.get(full) or {}).get(method)
        if operation is None:
            report.problem(f"{rel(OPENAPI)}#/paths", f"{method.upper()} {full} ({source}) is not documented")
            continue
        security = operation.get("security", spec.get("security"))
        public = security is not None and {} in security
        if (analyst or principal) and public:
            report.problem(f"{rel(OPENAPI)}#/paths/{pointer_of([full])[1:]}/{method}",
                           "the code requires a token here, but the document says it is public")
        if not (analyst or principal) and not public:
            report.problem(f"{rel(OPENAPI)}#/paths/{pointer_of([full])[1:]}/{method}",
                           "the code serves this without a token, but the document does not mark it public ({} in security)")
        if analyst and "403" not in operation.get("responses", {}):
            report.problem(f"{rel(OPENAPI)}#/paths/{pointer_of([full])[1:]}/{method}", "analyst route without a 403 response")
    documented = {(m, p) for p, item in paths.items() for m in item if m in ("get", "post", "put", "patch", "delete")}
    for method, full in sorted(documented - {(m, f) for m, f, *_ in routes}):
        report.problem(f"{rel(OPENAPI)}#/paths", f"{method.upper()} {full} is documented but not routed in Sources/ChanceryHTTP")

    all_statuses = {code for item in paths.values() for op in item.values() if isinstance(op, dict)
                    for code in (op.get("responses") or {})}
    # Answers of the router itself on any path (405 for a served path asked with another method).
    all_statuses |= set(spec.get("x-chancery-router-responses") or {})
    for path, source in http.items():
        for status in set(re.findall(r"Problem\(\s*\.(\w+)", source)):
            if status not in STATUS:
                report.problem(rel(path), f"unknown HTTP status .{status} (teach scripts/validate-api-docs.py its code)")
            elif str(STATUS[status]) not in all_statuses:
                report.problem(f"{rel(OPENAPI)}#/paths", f"status {STATUS[status]} (.{status}, {rel(path)}) is never documented")
    events = (paths.get(prefix + "/events") or {}).get("post") or {}
    body_types = set((events.get("requestBody") or {}).get("content", {}))
    for media in set(re.findall(r'case "(application/[^"]+)"', "".join(http.values()))):
        if media not in body_types:
            report.problem(f"{rel(OPENAPI)}#/paths/~1v1~1events/post/requestBody", f"content type {media} is not documented")

    # Problem codes: the HTTP ones, and the validation and gateway ones that reach HTTP as 422/409/403.
    asyncapi_codes = set()
    try:
        asyncapi_codes = set(load(ASYNCAPI)["components"]["schemas"]["DeadLetterReasonCode"]["enum"])
    except (KeyError, TypeError):
        report.problem(rel(ASYNCAPI), "no components/schemas/DeadLetterReasonCode enum")
    code_literal = re.compile(r'\bcode: "([a-z0-9-]+)"')
    for folder in ("ChanceryHTTP", "ChanceryDomain", "ChanceryGateway"):
        for path, source in read_sources(folder).items():
            for code in sorted(set(code_literal.findall(source))):
                if f"`{code}`" not in text and f"/problems/{code}" not in text:
                    report.problem(rel(OPENAPI), f"problem code {code} ({rel(path)}) is not documented")
                if folder != "ChanceryHTTP" and code not in asyncapi_codes:
                    report.problem(f"{rel(ASYNCAPI)}#/components/schemas/DeadLetterReasonCode",
                                   f"dead-letter code {code} ({rel(path)}) is missing")
    report.ok(f"{len(routes)} HTTP routes, their access, problem statuses and codes match Sources/ChanceryHTTP")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asyncapi-meta-schema", metavar="FILE",
                        help="the official AsyncAPI 3.0.0 JSON Schema (asyncapi/spec-json-schemas, schemas/3.0.0-without-$id.json)")
    args = parser.parse_args()
    report = Report()
    for path in (OPENAPI, ASYNCAPI):
        if not os.path.isfile(path):
            report.problem(rel(path), "missing")
    if report.problems:
        return finish(report)
    try:
        load(OPENAPI)
        load(ASYNCAPI)
    except (ValueError, yaml.YAMLError) as e:
        report.problem("schemas/", f"a document does not parse: {e}")
        return finish(report)
    print(f"tools: openapi-spec-validator {openapi_spec_validator_version()}, jsonschema {jsonschema_version()}, "
          f"PyYAML {yaml.__version__}, Python {sys.version.split()[0]}")
    check_refs([OPENAPI, ASYNCAPI], report)
    registry = schema_registry()
    catalog = event_catalog(report)
    spec = check_openapi(report, registry, catalog)
    check_asyncapi(report, registry, catalog, args.asyncapi_meta_schema)
    check_code_against_openapi(report, spec)
    return finish(report)


def jsonschema_version():
    try:
        from importlib.metadata import version
        return version("jsonschema")
    except Exception:  # pragma: no cover
        return "?"


def finish(report):
    if report.problems:
        for p in report.problems:
            print(f"problem: {p}", file=sys.stderr)
        print(f"validate-api-docs: {len(report.problems)} problem(s) in schemas/openapi.yaml or schemas/asyncapi.yaml",
              file=sys.stderr)
        return 1
    print("validate-api-docs: both documents are valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())

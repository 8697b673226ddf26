#!/usr/bin/python3
"""Builds the gateway's /openapi.json from protoc-gen-swagger output (build step).

protoc-gen-swagger (Debian golang-grpc-gateway 1.6.4) refuses to merge files of
different proto packages, so gateway/openapi/openapi.cmake runs it once per .proto and
this script merges the results, then adds what the generator cannot know:
  - title, version and an introduction;
  - the auth schemes (JWT bearer in `Authorization`, API key in `X-Api-Key`) as a
    global requirement, and `security: []` on RPCs whose (gongkai.api.access) option is
    ACCESS_PUBLIC_READ or ACCESS_PUBLIC_WRITE, read from the descriptor set;
  - the error body, google.rpc.Status, as the `default` response of every operation;
  - unique operationIds ("CatalogService_GetDocument"), `x-gongkai-rpc` (the full RPC
    name) and `x-gongkai-access` on each operation, a tag per service with its comment;
  - "{name=units/*}" path segments rewritten to "{name}" (OpenAPI 2 has no patterns),
    the pattern kept in `x-gongkai-path-pattern` and the parameter's description.
Any inconsistency (two different definitions or operations with one name, an operation
that maps to no RPC) fails the build with a message naming it.

Usage: build_openapi.py --descriptor_set gongkai.desc --version 0.1.0 \
           --output openapi.json a.swagger.json [b.swagger.json ...]
Runs on Debian's /usr/bin/python3 (python3-protobuf); standard library otherwise.
"""

import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # No __pycache__ in the source tree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proto_rpcs  # noqa: E402

STATUS_REF = "#/definitions/rpcStatus"
PATTERN_SEGMENT = re.compile(r"\{([^{}=]+)=([^{}]+)\}")

INTRODUCTION = """\
Every gongkai service as REST/JSON (政务公开 API), transcoded from the gRPC APIs by the
gateway. Bodies are proto3 JSON: lowerCamelCase field names (proto names are accepted
on input), 64-bit integers as strings, enums by name, timestamps in RFC 3339.

**Authentication.** Send a JWT as `Authorization: Bearer <token>` or a system API key as
`X-Api-Key: <key>`. Operations marked public need neither.

**Errors.** Every error has the body of `google.rpc.Status`: `code` (the gRPC code),
`message`, and `details` (e.g. `google.rpc.BadRequest` naming each bad field). HTTP
statuses follow the standard gRPC mapping: 400 INVALID_ARGUMENT / FAILED_PRECONDITION,
401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 ALREADY_EXISTS / ABORTED,
429 RESOURCE_EXHAUSTED (with `Retry-After`), 501, 503, 504, 500 otherwise.

**Lists** are paginated: pass `page_size` and the `nextPageToken` of the previous page
as `page_token`."""

ERROR_DEFINITIONS = {
    "rpcStatus": {
        "type": "object",
        "description": "The error body of every failed call (google.rpc.Status).",
        "properties": {
            "code": {"type": "integer", "format": "int32",
                     "description": "The gRPC status code, e.g. 3 for INVALID_ARGUMENT."},
            "message": {"type": "string",
                        "description": "A developer-facing explanation of the error."},
            "details": {"type": "array", "items": {"$ref": "#/definitions/protobufAny"},
                        "description": "Machine-readable details such as "
                                       "google.rpc.BadRequest (field violations)."},
        },
    },
    "protobufAny": {
        "type": "object",
        "description": "A detail message; `@type` names it, e.g. "
                       "type.googleapis.com/google.rpc.BadRequest, and its fields follow.",
        "properties": {"@type": {"type": "string"}},
        "additionalProperties": {},
    },
}


def fail(message):
    sys.exit("build_openapi.py: " + message)


def clean_comment(text):
    """Drops the " " protoc leaves after "//" and section dividers ("---- Units ----")."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if not line.startswith("---")]
    return "\n".join(lines).strip()


def merge(swagger_files):
    paths, definitions = {}, {}
    for path in swagger_files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for name, schema in doc.get("definitions", {}).items():
            if name in definitions and definitions[name] != schema:
                fail("two different messages are both named %r in OpenAPI (protoc-gen-swagger "
                     "names them by the last package component); rename one (%s)" % (name, path))
            definitions[name] = schema
        for url, operations in doc.get("paths", {}).items():
            for verb, operation in operations.items():
                if verb in paths.get(url, {}):
                    fail("%s %s is bound by two RPCs (%s)" % (verb.upper(), url, path))
                paths.setdefault(url, {})[verb] = operation
    return paths, definitions


def rpc_of(operation, rpcs_by_service):
    """The RPC an operation belongs to: tag = service, operationId = method name, plus
    "2", "3", ... for additional bindings."""
    service = (operation.get("tags") or [""])[0]
    methods = rpcs_by_service.get(service, {})
    op_id = operation.get("operationId", "")
    if op_id in methods:
        return methods[op_id], 0
    match = re.fullmatch(r"(.*?)(\d+)", op_id)
    if match and match.group(1) in methods:
        rpc = methods[match.group(1)]
        index = int(match.group(2)) - 1
        if 1 <= index < len(rpc.bindings):
            return rpc, index
    fail("operation %r of tag %r matches no RPC in the descriptor set" % (op_id, service))


def rewrite_patterns(url, operation):
    """"/v1/{name=units/*}" -> "/v1/{name}", pattern kept beside the parameter."""
    patterns = dict(PATTERN_SEGMENT.findall(url))
    if not patterns:
        return url
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter["name"] in patterns:
            pattern = patterns[parameter["name"]]
            parameter["x-gongkai-path-pattern"] = pattern
            parameter["description"] = (
                "A resource name of the form `%s`; its slashes are sent as they are, not "
                "percent-encoded." % pattern)
    return PATTERN_SEGMENT.sub(lambda m: "{%s}" % m.group(1), url)


def build(args):
    rpcs, service_comments = proto_rpcs.load(args.descriptor_set, args.proto_prefix)
    rpcs_by_service = {}
    for rpc in rpcs:
        rpcs_by_service.setdefault(rpc.service, {})[rpc.method] = rpc
    raw_paths, definitions = merge(args.swagger_files)
    definitions.pop("runtimeError", None)  # Newer generators' error type; ours is rpcStatus.
    definitions.update(ERROR_DEFINITIONS)

    paths, seen_ids, used_tags = {}, set(), set()
    for url in sorted(raw_paths):
        for verb, operation in sorted(raw_paths[url].items()):
            rpc, index = rpc_of(operation, rpcs_by_service)
            op_id = "%s_%s" % (rpc.service, rpc.method) + ("_%d" % (index + 1) if index else "")
            if op_id in seen_ids:
                fail("operationId %s is used twice" % op_id)
            seen_ids.add(op_id)
            operation["operationId"] = op_id
            operation["tags"] = [rpc.service]
            used_tags.add(rpc.service)
            for key in ("summary", "description"):
                if key in operation:
                    operation[key] = clean_comment(operation[key])
                    if not operation[key]:
                        del operation[key]
            operation["x-gongkai-rpc"] = rpc.full_name
            operation["x-gongkai-access"] = rpc.access
            if rpc.public:
                operation["security"] = []
            responses = operation.setdefault("responses", {})
            responses.pop("default", None)
            responses["default"] = {
                "description": "An error; the body is google.rpc.Status.",
                "schema": {"$ref": STATUS_REF},
            }
            new_url = rewrite_patterns(url, operation)
            if verb in paths.get(new_url, {}):
                fail("%s %s: two bindings become the same OpenAPI path" % (verb.upper(), new_url))
            paths.setdefault(new_url, {})[verb] = operation

    spec = {
        "swagger": "2.0",
        "info": {"title": "gongkai API", "version": args.version, "description": INTRODUCTION},
        "schemes": ["http", "https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {
            "bearer": {"type": "apiKey", "in": "header", "name": "Authorization",
                       "description": "A JWT: `Authorization: Bearer <token>` "
                                      "(gongkai-token mints one for development)."},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                       "description": "A system-to-system API key (gongkai-api-key makes "
                                      "one; the gateway stores only its SHA-256)."},
        },
        "security": [{"bearer": []}, {"apiKey": []}],
        "tags": [{"name": name, "description": clean_comment(service_comments.get(name, ""))}
                 for name in sorted(used_tags)],
        "paths": paths,
        "definitions": dict(sorted(definitions.items())),
    }
    text = json.dumps(spec, ensure_ascii=False, indent=1) + "\n"
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--descriptor_set", required=True)
    parser.add_argument("--proto_prefix", default="gongkai/",
                        help="only RPCs of .proto files under this path are documented")
    parser.add_argument("--version", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("swagger_files", nargs="+")
    build(parser.parse_args())


if __name__ == "__main__":
    main()

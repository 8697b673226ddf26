#!/usr/bin/python3
"""Checks the gateway's openapi.json (CTest gateway_openapi_test, label unit).

  1. It is a valid Swagger 2.0 document (Debian python3-swagger-spec-validator).
  2. Every google.api.http binding of every RPC in the descriptor set is an operation
     with the binding's verb and path, tagged with the service.
  3. RPCs with (gongkai.api.access) ACCESS_PUBLIC_READ/WRITE have `security: []`; all
     others inherit the global bearer-or-API-key requirement.
  4. Every operation's `default` response is google.rpc.Status (code, message,
     details[] of Any with @type).
Then, unless --no_self_test, it breaks copies of the document in each of those ways
and requires the checks to notice, so a check that silently passes cannot hide.

Usage: check_openapi.py --openapi openapi.json --descriptor_set gongkai.desc
Runs on Debian's /usr/bin/python3 (python3-protobuf, python3-swagger-spec-validator).
"""

import argparse
import copy
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # No __pycache__ in the source tree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proto_rpcs  # noqa: E402

from swagger_spec_validator.common import SwaggerValidationError  # noqa: E402
from swagger_spec_validator.validator20 import validate_spec  # noqa: E402

STATUS_REF = "#/definitions/rpcStatus"


def normalize_path(template):
    """"/v1/{name=units/*}" and "/v1/{name}" compare equal."""
    return re.sub(r"\{([^{}=]+)(=[^{}]*)?\}", r"{\1}", template)


def problems_of(spec, rpcs):
    problems = []
    try:
        validate_spec(copy.deepcopy(spec))  # The validator annotates what it is given.
    except SwaggerValidationError as e:
        problems.append("not valid Swagger 2.0: %s" % e)

    if spec.get("info", {}).get("title") != "gongkai API":
        problems.append("info.title is not \"gongkai API\"")
    schemes = spec.get("securityDefinitions", {})
    if schemes.get("bearer", {}).get("name") != "Authorization" or \
            schemes.get("apiKey", {}).get("name") != "X-Api-Key":
        problems.append("securityDefinitions lack bearer (Authorization) or apiKey (X-Api-Key)")
    if spec.get("security") != [{"bearer": []}, {"apiKey": []}]:
        problems.append("the global security requirement is not bearer or apiKey")

    definitions = spec.get("definitions", {})
    status = definitions.get("rpcStatus", {}).get("properties", {})
    if status.get("code", {}).get("type") != "integer" or \
            status.get("message", {}).get("type") != "string" or \
            status.get("details", {}).get("items", {}).get("$ref") != "#/definitions/protobufAny":
        problems.append("definitions.rpcStatus is not google.rpc.Status")
    if "@type" not in definitions.get("protobufAny", {}).get("properties", {}):
        problems.append("definitions.protobufAny has no @type")

    operations = {}  # (rpc full name) -> [(verb, normalized path)]
    for url, path_item in spec.get("paths", {}).items():
        for verb, operation in path_item.items():
            where = "%s %s" % (verb.upper(), url)
            rpc_name = operation.get("x-gongkai-rpc")
            if not rpc_name:
                problems.append("%s has no x-gongkai-rpc" % where)
                continue
            operations.setdefault(rpc_name, []).append((verb, normalize_path(url), operation))
            default = operation.get("responses", {}).get("default", {})
            if default.get("schema", {}).get("$ref") != STATUS_REF:
                problems.append("%s: default response is not google.rpc.Status" % where)

    for rpc in rpcs:
        if not rpc.bindings:
            if rpc.full_name in operations:
                problems.append("%s has no google.api.http binding but is documented" %
                                rpc.full_name)
            continue
        found = operations.get(rpc.full_name, [])
        expected = sorted((verb, normalize_path(path)) for verb, path, _ in rpc.bindings)
        actual = sorted((verb, path) for verb, path, _ in found)
        if expected != actual:
            problems.append("%s: bindings %s but operations %s" % (rpc.full_name, expected, actual))
        for verb, path, operation in found:
            where = "%s %s (%s)" % (verb.upper(), path, rpc.full_name)
            if rpc.service not in operation.get("tags", []):
                problems.append("%s is not tagged %s" % (where, rpc.service))
            if rpc.public and operation.get("security") != []:
                problems.append("%s is %s but does not have security: []" % (where, rpc.access))
            if not rpc.public and "security" in operation:
                problems.append("%s needs a principal but overrides security" % where)
    known = {rpc.full_name for rpc in rpcs}
    for name in operations:
        if name not in known:
            problems.append("operation for %s, which is not in the descriptor set" % name)
    return problems


def self_test(spec, rpcs):
    """Each way of breaking the document must be caught."""
    public = next((r for r in rpcs if r.public and r.bindings), None)
    private = next((r for r in rpcs if not r.public and r.bindings), None)

    def operation_of(doc, rpc):
        for path_item in doc["paths"].values():
            for operation in path_item.values():
                if operation.get("x-gongkai-rpc") == rpc.full_name:
                    return path_item, operation
        raise AssertionError("no operation for %s" % rpc.full_name)

    breakers = {
        "swagger version": lambda d: d.update(swagger="3.0"),
        "global security": lambda d: d.pop("security"),
        "error schema": lambda d: d["definitions"]["rpcStatus"]["properties"].pop("details"),
        "missing operation": lambda d: operation_of(d, private)[0].clear(),
        "default response": lambda d: operation_of(d, private)[1]["responses"].pop("default"),
    }
    if public:
        breakers["public security"] = lambda d: operation_of(d, public)[1].pop("security")
    if private:
        breakers["private security"] = lambda d: operation_of(d, private)[1].update(security=[])
    failures = []
    for name, breaker in breakers.items():
        broken = copy.deepcopy(spec)
        breaker(broken)
        if not problems_of(broken, rpcs):
            failures.append("self-test: breaking the %s went unnoticed" % name)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openapi", required=True)
    parser.add_argument("--descriptor_set", required=True)
    parser.add_argument("--proto_prefix", default="gongkai/",
                        help="only RPCs of .proto files under this path are documented")
    parser.add_argument("--no_self_test", action="store_true")
    args = parser.parse_args()
    with open(args.openapi, encoding="utf-8") as f:
        spec = json.load(f)
    rpcs, _ = proto_rpcs.load(args.descriptor_set, args.proto_prefix)
    bound = [r for r in rpcs if r.bindings]
    problems = problems_of(spec, rpcs)
    if not problems and not args.no_self_test:
        problems = self_test(spec, rpcs)
    for problem in problems:
        print("FAIL " + problem)
    operations = sum(len(item) for item in spec.get("paths", {}).values())
    print("%s: %d operations for %d HTTP-bound RPCs (%d public)" %
          (args.openapi, operations, len(bound), sum(r.public for r in bound)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Interoperability check: a Python grpcio client against a running gongkai-catalog.

Generates Python stubs from the project's .proto files at run time (grpc_tools.protoc),
then checks, over the wire:
  1. the standard grpc.health.v1 Check answers SERVING;
  2. CreateUnit + CreateDocument with Chinese text, and GetDocument returns it intact;
  3. an invalid request fails with INVALID_ARGUMENT and its grpc-status-details-bin
     trailer is a google.rpc.Status holding a google.rpc.BadRequest naming the field.

Started by python_interop_test.cc, which runs the service and passes:
  --address=127.0.0.1:PORT --proto-dir=protos --googleapis-dir=DIR --work-dir=TMP
and an ADMIN token in GONGKAI_INTEROP_TOKEN. Prints each check; exits 1 on the first
failure. Must run with /usr/bin/python3 (Debian's python3-grpcio, python3-grpc-tools).
"""

import argparse
import os
import shutil
import sys
import uuid

# Seconds to wait for the connection and for each call. Generous: the CI machine is a
# shared, loaded 2-core box, and a call that takes this long has hung rather than
# been slow. A call past it raises grpc.RpcError (DEADLINE_EXCEEDED), which ends the
# run with a traceback naming the call.
TIMEOUT_S = 60


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def ok(message):
    print(f"ok: {message}", flush=True)


def generate_stubs(proto_dir, googleapis_dir, out_dir):
    import grpc_tools
    from grpc_tools import protoc

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    sources = [
        "gongkai/catalog/v1/catalog.proto",
        "gongkai/common/v1/common.proto",
        "gongkai/api/annotations.proto",
        "google/api/annotations.proto",
        "google/api/http.proto",
        "google/rpc/status.proto",
        "google/rpc/error_details.proto",
        "grpc/health/v1/health.proto",
    ]
    args = [
        "grpc_tools.protoc",
        f"-I{proto_dir}",
        f"-I{googleapis_dir}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
    ] + sources
    if protoc.main(args) != 0:
        fail("grpc_tools.protoc could not generate the Python stubs: " + " ".join(args))
    sys.path.insert(0, out_dir)
    ok(f"generated Python stubs for {len(sources)} protos in {out_dir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", required=True)
    parser.add_argument("--proto-dir", required=True)
    parser.add_argument("--googleapis-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    token = os.environ.get("GONGKAI_INTEROP_TOKEN", "")
    if not token:
        fail("GONGKAI_INTEROP_TOKEN is not set")

    generate_stubs(args.proto_dir, args.googleapis_dir, args.work_dir)

    import grpc

    # grpc/health/v1 is generated under the name of grpcio's own `grpc` package; let that
    # package find the generated subpackage too.
    grpc.__path__.append(os.path.join(args.work_dir, "grpc"))
    from gongkai.catalog.v1 import catalog_pb2, catalog_pb2_grpc
    from google.rpc import error_details_pb2, status_pb2
    from grpc.health.v1 import health_pb2, health_pb2_grpc

    channel = grpc.insecure_channel(args.address)
    try:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT_S)
    except grpc.FutureTimeoutError:
        fail(f"could not connect to {args.address} within {TIMEOUT_S} s")
    auth = (("authorization", f"Bearer {token}"),)

    # 1. Standard health protocol.
    health = health_pb2_grpc.HealthStub(channel)
    answer = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT_S)
    if answer.status != health_pb2.HealthCheckResponse.SERVING:
        fail(f"health status is {answer.status}, want SERVING")
    ok("grpc.health.v1.Health/Check says SERVING")

    # 2. Chinese text survives the round trip.
    catalog = catalog_pb2_grpc.CatalogServiceStub(channel)
    suffix = uuid.uuid4().hex[:8].upper()
    unit = catalog.CreateUnit(
        catalog_pb2.CreateUnitRequest(
            unit=catalog_pb2.Unit(
                code=f"PY-{suffix}", name="市卫生健康委员会", level=catalog_pb2.UNIT_LEVEL_DEPARTMENT
            ),
            request_id=f"py-unit-{suffix}",
        ),
        metadata=auth,
        timeout=TIMEOUT_S,
    )
    if unit.id <= 0 or unit.name != "市卫生健康委员会":
        fail(f"CreateUnit returned {unit}")
    ok(f"CreateUnit created unit {unit.id} ({unit.name})")

    title = "关于做好2026年冬春季传染病防控工作的通知"
    body = "各医疗机构：\n现就做好冬春季传染病防控工作通知如下。——市卫健委 🏥"
    created = catalog.CreateDocument(
        catalog_pb2.CreateDocumentRequest(
            document=catalog_pb2.Document(
                title=title,
                body=body,
                document_number="卫发〔2026〕7号",
                drafting_unit_id=unit.id,
                issuing_authority=catalog_pb2.DEPARTMENT,
                key_area=catalog_pb2.HEALTH,
                disclosure_attribute=catalog_pb2.PROACTIVE,
            ),
            request_id=f"py-doc-{suffix}",
        ),
        metadata=auth,
        timeout=TIMEOUT_S,
    )
    if created.state != catalog_pb2.DRAFT:
        fail(f"new document is in state {created.state}, want DRAFT")
    fetched = catalog.GetDocument(
        catalog_pb2.GetDocumentRequest(id=created.id), metadata=auth, timeout=TIMEOUT_S
    )
    for field, want in (("title", title), ("body", body), ("document_number", "卫发〔2026〕7号")):
        got = getattr(fetched, field)
        if got != want:
            fail(f"GetDocument {field} = {got!r}, want {want!r}")
    if not fetched.publication_deadline.text:
        fail("a PROACTIVE draft has no publication deadline explanation (CAT-3)")
    ok(f"document {created.id} round-trips its Chinese title, body and number")

    # 3. Rich error details in the standard trailer.
    try:
        catalog.CreateDocument(
            catalog_pb2.CreateDocumentRequest(
                document=catalog_pb2.Document(
                    title="",
                    drafting_unit_id=unit.id,
                    issuing_authority=catalog_pb2.DEPARTMENT,
                )
            ),
            metadata=auth,
            timeout=TIMEOUT_S,
        )
        fail("CreateDocument with an empty title succeeded")
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.INVALID_ARGUMENT:
            fail(f"empty title gave {error.code()}, want INVALID_ARGUMENT: {error.details()}")
        raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
        if raw is None:
            fail("INVALID_ARGUMENT without a grpc-status-details-bin trailer")
        status = status_pb2.Status.FromString(raw)
        if status.code != grpc.StatusCode.INVALID_ARGUMENT.value[0]:
            fail(f"google.rpc.Status code {status.code}, want 3")
        fields = []
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                fields += [v.field for v in bad_request.field_violations]
        if "document.title" not in fields:
            fail(f"BadRequest names {fields}, want document.title")
        ok(f"INVALID_ARGUMENT carries google.rpc.BadRequest naming {fields}")

    print("PASS: python interop", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The RPCs of a descriptor set with their HTTP bindings and access option.

Reads a FileDescriptorSet (build/gongkai.desc, made by protoc --include_source_info)
with Debian's python3-protobuf. The two method options that matter here are decoded
from their wire bytes, so no generated Python code is needed:
  google.api.http      (field 72295728, google.api.HttpRule)
  gongkai.api.access   (field 51001, enum gongkai.api.Access)
"""

from google.protobuf import descriptor_pb2

HTTP_RULE_FIELD = 72295728
ACCESS_FIELD = 51001
ACCESS_NAMES = {0: "ACCESS_AUTHENTICATED", 1: "ACCESS_PUBLIC_READ", 2: "ACCESS_PUBLIC_WRITE"}
PUBLIC_ACCESS = ("ACCESS_PUBLIC_READ", "ACCESS_PUBLIC_WRITE")

# HttpRule pattern fields -> HTTP verb.
_PATTERN_FIELDS = {2: "get", 3: "put", 4: "post", 5: "delete", 6: "patch"}
_CUSTOM_FIELD, _BODY_FIELD, _ADDITIONAL_BINDINGS_FIELD = 8, 7, 11


def _varint(buf, pos):
    result, shift = 0, 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yields (field number, value): int for varints, bytes for length-delimited."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = _varint(buf, pos)
        elif wire_type == 2:
            length, pos = _varint(buf, pos)
            value, pos = bytes(buf[pos:pos + length]), pos + length
        elif wire_type == 1:
            value, pos = None, pos + 8
        elif wire_type == 5:
            value, pos = None, pos + 4
        else:
            raise ValueError("unsupported wire type %d in method options" % wire_type)
        yield number, value


def _bindings(rule):
    """[(verb, path, body)] for an encoded HttpRule and its additional_bindings."""
    verb = path = None
    body = ""
    extra = []
    for number, value in _fields(rule):
        if number in _PATTERN_FIELDS:
            verb, path = _PATTERN_FIELDS[number], value.decode("utf-8")
        elif number == _CUSTOM_FIELD:
            custom = dict(_fields(value))
            verb, path = custom[1].decode("utf-8").lower(), custom[2].decode("utf-8")
        elif number == _BODY_FIELD:
            body = value.decode("utf-8")
        elif number == _ADDITIONAL_BINDINGS_FIELD:
            extra.extend(_bindings(value))
    return ([(verb, path, body)] if verb else []) + extra


class Rpc:
    def __init__(self, package, service, method, bindings, access):
        self.package = package
        self.service = service  # Short name, e.g. "CatalogService" (the OpenAPI tag).
        self.method = method
        self.bindings = bindings  # [(verb, path template, body)], primary first.
        self.access = access  # One of ACCESS_NAMES' values.

    @property
    def full_name(self):
        return "%s.%s.%s" % (self.package, self.service, self.method)

    @property
    def public(self):
        return self.access in PUBLIC_ACCESS


def load(descriptor_set_path, file_prefix="gongkai/"):
    """Returns ([Rpc], {service name: leading comment}) for files under file_prefix."""
    fds = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set_path, "rb") as f:
        fds.ParseFromString(f.read())
    rpcs, service_comments = [], {}
    for file in fds.file:
        if not file.name.startswith(file_prefix):
            continue
        comments = {tuple(loc.path): loc.leading_comments.strip()
                    for loc in file.source_code_info.location}
        header = comments.get((12,), "")  # A file comment sits above `syntax`.
        for loc in file.source_code_info.location:
            if tuple(loc.path) == (12,) and loc.leading_detached_comments:
                header = header or loc.leading_detached_comments[0].strip()
        for s_index, service in enumerate(file.service):
            service_comments[service.name] = comments.get((6, s_index), "") or header
            for method in service.method:
                bindings, access = [], ACCESS_NAMES[0]
                for number, value in _fields(method.options.SerializeToString()):
                    if number == HTTP_RULE_FIELD:
                        bindings = _bindings(value)
                    elif number == ACCESS_FIELD:
                        access = ACCESS_NAMES.get(value, "ACCESS_UNKNOWN_%d" % value)
                rpcs.append(Rpc(file.package, service.name, method.name, bindings, access))
    return rpcs, service_comments

"""Validates rendered Kubernetes objects against the API's types, offline.

The schema is the one Debian 12 ships: the models of python3-kubernetes 22.6 (the
Kubernetes 1.22 API, generated from its OpenAPI document). Each model names its fields
(`attribute_map`: JSON name), their types (`openapi_types`) and, in its setters, the
required fields and the allowed values of enumerations. For every object this checks,
recursively: no unknown field (a typo such as `readOnlyRootFileSystem` would otherwise
be dropped silently by the API server's older versions or refused by a newer one), every
value of the declared type, every required field present, every enumeration value
allowed. docs/adr/0026-offline-kubernetes-schema.md says why this source and not another.

What the suite uses and the 1.22 API lacks is written out below (NEWER_THAN_SCHEMA),
each item with the Kubernetes version that added it, and validated the same way.
"""
import inspect

from kubernetes.client import Configuration
from kubernetes.client import models

# apiVersion -> the prefix of the model class names ("apps/v1" -> "V1").
# autoscaling/v2 (GA in 1.23) has the fields of autoscaling/v2beta2, which the 1.22
# models have: its objects are validated as V2beta2*.
VERSION_PREFIX = {
    "v1": "V1",
    "apps/v1": "V1",
    "batch/v1": "V1",
    "policy/v1": "V1",
    "networking.k8s.io/v1": "V1",
    "autoscaling/v2": "V2beta2",
}

# (model, JSON field) -> the type of a field newer than the 1.22 models.
NEWER_THAN_SCHEMA = {
    # Native gRPC probes: alpha in 1.23, beta (on by default) in 1.24, GA in 1.27.
    ("V1Probe", "grpc"): "GRPCAction",
}
# Types that are not in the 1.22 models: JSON field -> (type, required).
EXTRA_TYPES = {
    "GRPCAction": {"port": ("int", True), "service": ("str", False)},
}

_CONFIG = Configuration()
_CONFIG.client_side_validation = True
_REQUIRED = {}


def _model(name):
    return getattr(models, name, None)


def _required_fields(cls):
    """The attributes whose setter refuses None (the OpenAPI `required` list)."""
    if cls not in _REQUIRED:
        required = set()
        for attr in cls.openapi_types:
            prop = getattr(cls, attr, None)
            if isinstance(prop, property) and prop.fset is not None and \
                    "must not be `None`" in inspect.getsource(prop.fset):
                required.add(attr)
        _REQUIRED[cls] = required
    return _REQUIRED[cls]


def _check_scalar(type_name, value, path, problems):
    expected = {"str": str, "int": int, "bool": bool, "float": (int, float), "datetime": str,
                "date": str}[type_name]
    if isinstance(value, bool) and type_name != "bool":
        problems.append("%s: %r is not a %s" % (path, value, type_name))
    elif not isinstance(value, expected):
        problems.append("%s: %r is not a %s" % (path, value, type_name))


def _check_value(type_name, value, path, problems):
    if value is None:
        return
    if type_name == "object":
        return  # int-or-string, raw JSON: any value
    if type_name.startswith("list["):
        if not isinstance(value, list):
            problems.append("%s: not a list" % path)
            return
        for i, item in enumerate(value):
            _check_value(type_name[5:-1], item, "%s[%d]" % (path, i), problems)
        return
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            problems.append("%s: not a map" % path)
            return
        inner = type_name[5:-1].split(", ", 1)[1]
        for k, v in value.items():
            _check_value(inner, v, "%s.%s" % (path, k), problems)
        return
    if type_name in ("str", "int", "bool", "float", "datetime", "date"):
        _check_scalar(type_name, value, path, problems)
        return
    if type_name in EXTRA_TYPES:
        _check_extra(type_name, value, path, problems)
        return
    cls = _model(type_name)
    if cls is None:
        problems.append("%s: no schema for type %s" % (path, type_name))
        return
    _check_model(cls, value, path, problems)


def _check_extra(type_name, value, path, problems):
    if not isinstance(value, dict):
        problems.append("%s: not an object (%s)" % (path, type_name))
        return
    fields = EXTRA_TYPES[type_name]
    for key, v in value.items():
        if key not in fields:
            problems.append("%s: unknown field %s" % (path, key))
        else:
            _check_value(fields[key][0], v, "%s.%s" % (path, key), problems)
    for key, (_, required) in fields.items():
        if required and key not in value:
            problems.append("%s: required field %s missing" % (path, key))


def _check_model(cls, value, path, problems):
    if not isinstance(value, dict):
        problems.append("%s: not an object (%s)" % (path, cls.__name__))
        return
    by_json = {json_name: attr for attr, json_name in cls.attribute_map.items()}
    probe = cls.__new__(cls)
    probe.local_vars_configuration = _CONFIG
    for key, v in value.items():
        where = "%s.%s" % (path, key)
        if key in by_json:
            attr = by_json[key]
            type_name = cls.openapi_types[attr]
            _check_value(type_name, v, where, problems)
            # The setter checks enumerations and patterns (required: below).
            if v is not None and not isinstance(v, (dict, list)):
                try:
                    setattr(probe, attr, v)
                except ValueError as e:
                    problems.append("%s: %s" % (where, e))
        elif (cls.__name__, key) in NEWER_THAN_SCHEMA:
            _check_value(NEWER_THAN_SCHEMA[(cls.__name__, key)], v, where, problems)
        else:
            problems.append("%s: unknown field %s (not in the %s schema)" % (path, key,
                                                                            cls.__name__))
    for attr in _required_fields(cls):
        if value.get(cls.attribute_map[attr]) is None:
            problems.append("%s: required field %s missing" % (path, cls.attribute_map[attr]))


def validate(obj):
    """The problems of one object (an empty list: valid)."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    prefix = VERSION_PREFIX.get(api_version)
    cls = _model("%s%s" % (prefix, kind)) if prefix else None
    if cls is None:
        return ["no schema for %s %s" % (api_version, kind)]
    problems = []
    _check_model(cls, obj, kind, problems)
    return problems

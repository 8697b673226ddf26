#!/usr/bin/env python3
"""Checks the Kubernetes manifests as rendered, and that they agree with ./gongkai.

    check_manifests.py [--kubectl PATH]          render k8s/overlays/dev and k8s/base, check
    check_manifests.py --compare OLD.yaml NEW.yaml
                                                 the objects of two renderings, compared as
                                                 data (order of objects and of named list
                                                 items ignored); prints what differs

Checks (the CTest `k8s_manifests`, label unit, runs the first form):
  * nothing of components/grpc-service's placeholders (SERVICE, port 1) is left;
  * every Deployment meets the restricted Pod Security Standard as k8s/README.md says
    (non-root, read-only root, no privilege escalation, all capabilities dropped,
    RuntimeDefault seccomp, no service-account token), has startup, readiness and
    liveness probes and CPU requests, and has a ServiceAccount, a PodDisruptionBudget
    and a HorizontalPodAutoscaler of its own;
  * every service registered for ./gongkai (services/<name>/service.env) has
    k8s/base/<name>/grpc-service.yaml with the same ports, and is in the base.
Exit status 1 with one line per problem.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
K8S = ROOT / "k8s"


def render(kubectl, path):
    out = subprocess.run([kubectl, "kustomize", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def key(obj):
    return (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def normalised(value):
    """Lists of named items (env, volumes, ports, ...) are sets for Kubernetes."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalised(v) for v in value]
        if items and all(isinstance(v, dict) and "name" in v for v in items):
            return sorted(items, key=lambda v: str(v["name"]))
        return items
    return value


def compare(old_path, new_path):
    def load(path):
        with open(path, encoding="utf-8") as f:
            return {key(d): normalised(d) for d in yaml.safe_load_all(f) if d}

    old, new = load(old_path), load(new_path)
    for k in sorted(old.keys() - new.keys()):
        print("only in %s: %s %s/%s" % (old_path, *k))
    for k in sorted(new.keys() - old.keys()):
        print("only in %s: %s %s/%s" % (new_path, *k))
    changed = [k for k in sorted(old.keys() & new.keys()) if old[k] != new[k]]
    for k in changed:
        print("differs: %s %s/%s" % k)
    return 0 if old.keys() == new.keys() and not changed else 1


def walk(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, "%s.%s" % (path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, "%s[%d]" % (path, i))
    else:
        yield path, value


def check_objects(objects, where, problems):
    def problem(obj, text):
        problems.append("%s: %s %s: %s" % (where, obj["kind"], obj["metadata"]["name"], text))

    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
        for path, value in walk(obj):
            if isinstance(value, str) and "SERVICE" in value:
                problem(obj, "placeholder left at %s: %s" % (path, value))
            if (path.endswith(("containerPort", ".port")) or path.endswith("prometheus.io/port")) \
                    and str(value) == "1":
                problem(obj, "placeholder port left at %s" % path)

    for deployment in by_kind.get("Deployment", []):
        name = deployment["metadata"]["name"]
        pod = deployment["spec"]["template"]["spec"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        sc = pod.get("securityContext", {})
        if sc.get("runAsNonRoot") is not True or \
                sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problem(deployment, "pod securityContext is not runAsNonRoot + RuntimeDefault")
        if pod.get("automountServiceAccountToken") is not False:
            problem(deployment, "mounts a service-account token")
        for c in pod["containers"]:
            csc = c.get("securityContext", {})
            if csc.get("allowPrivilegeEscalation") is not False or \
                    csc.get("readOnlyRootFilesystem") is not True or \
                    csc.get("capabilities", {}).get("drop") != ["ALL"]:
                problem(deployment, "container %s securityContext is not restricted" % c["name"])
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if probe not in c:
                    problem(deployment, "container %s has no %s" % (c["name"], probe))
            if "cpu" not in c.get("resources", {}).get("requests", {}):
                problem(deployment, "container %s has no CPU request (the HPA needs one)"
                        % c["name"])
        accounts = {o["metadata"]["name"] for o in by_kind.get("ServiceAccount", [])}
        if pod.get("serviceAccountName") not in accounts:
            problem(deployment, "no ServiceAccount %s" % pod.get("serviceAccountName"))
        if not any(h["spec"]["scaleTargetRef"]["name"] == name
                   for h in by_kind.get("HorizontalPodAutoscaler", [])):
            problem(deployment, "no HorizontalPodAutoscaler")
        if not any(all(labels.get(k) == v
                       for k, v in p["spec"]["selector"]["matchLabels"].items())
                   for p in by_kind.get("PodDisruptionBudget", [])):
            problem(deployment, "no PodDisruptionBudget selects its pods")


def read_service_env(path):
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            values[k.strip()] = v.strip().strip("\"'")
    return values


def check_registration(problems):
    with open(K8S / "base" / "kustomization.yaml", encoding="utf-8") as f:
        base_resources = yaml.safe_load(f).get("resources", [])
    for env_file in sorted((ROOT / "services").glob("*/service.env")):
        name = env_file.parent.name
        params_file = K8S / "base" / name / "grpc-service.yaml"
        if not params_file.exists():
            problems.append("%s: no %s" % (env_file.relative_to(ROOT),
                                           params_file.relative_to(ROOT)))
            continue
        if name not in base_resources:
            problems.append("k8s/base/kustomization.yaml: %s is not in resources" % name)
        env = read_service_env(env_file)
        with open(params_file, encoding="utf-8") as f:
            params = yaml.safe_load(f)["data"]
        for env_key, param in (("GRPC_PORT", "grpcPort"), ("METRICS_PORT", "metricsPort")):
            if env.get(env_key) != str(params.get(param)):
                problems.append("%s: %s %s, but %s says %s" % (
                    params_file.relative_to(ROOT), param, params.get(param),
                    env_file.relative_to(ROOT), env.get(env_key)))
        if params.get("name") != name:
            problems.append("%s: name %s, expected %s" % (params_file.relative_to(ROOT),
                                                         params.get("name"), name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kubectl", default=shutil.which("kubectl"))
    parser.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.kubectl:
        print("check_manifests.py: kubectl not found", file=sys.stderr)
        return 2
    problems = []
    for where in ("overlays/dev", "base"):
        check_objects(render(args.kubectl, K8S / where), "k8s/" + where, problems)
    check_registration(problems)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

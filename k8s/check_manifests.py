#!/usr/bin/env python3
"""Checks the Kubernetes manifests as rendered, and that they agree with ./gongkai.

    check_manifests.py [--kubectl PATH]          render every overlay (k8s/overlays/*) and
                                                 k8s/base, check
    check_manifests.py --compare OLD.yaml NEW.yaml
                                                 the objects of two renderings, compared as
                                                 data (order of objects and of named list
                                                 items ignored); prints what differs

Checks (the CTest `k8s_manifests`, label unit, runs the first form):
  * every object is valid against the Kubernetes API schema, offline (api_schema.py:
    Debian's python3-kubernetes models; docs/adr/0026-offline-kubernetes-schema.md);
  * nothing of components/grpc-service's placeholders (SERVICE, port 1) is left;
  * every workload (Deployment, StatefulSet, Job) meets the restricted Pod Security
    Standard as k8s/README.md says (non-root, read-only root, no privilege escalation,
    all capabilities dropped, RuntimeDefault seccomp, no service-account token) and has
    CPU and memory requests and limits; every Deployment and StatefulSet has startup,
    readiness and liveness probes; every Deployment has a ServiceAccount, a
    PodDisruptionBudget and a HorizontalPodAutoscaler of its own;
  * the NetworkPolicies allow exactly the calls of docs/architecture.md's "Network
    calls" table for that overlay, on the caller's side (egress) and on the callee's
    (ingress) alike; the table's service-to-service rows are the services' peers in
    services/<name>/main.cc, their GONGKAI_PEERS and the gateway's GONGKAI_BACKENDS;
  * every service registered for ./gongkai (services/<name>/service.env) has
    k8s/base/<name>/grpc-service.yaml with the same ports, and is in the base.
Exit status 1 with one line per problem.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

import api_schema

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

    for obj in objects:
        for p in api_schema.validate(obj):
            problem(obj, "schema: " + p)

    for workload in workloads(objects):
        pod = workload["spec"]["template"]["spec"]
        sc = pod.get("securityContext", {})
        if sc.get("runAsNonRoot") is not True or \
                sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problem(workload, "pod securityContext is not runAsNonRoot + RuntimeDefault")
        if pod.get("automountServiceAccountToken") is not False:
            problem(workload, "mounts a service-account token")
        for c in pod["containers"] + pod.get("initContainers", []):
            csc = c.get("securityContext", {})
            if csc.get("allowPrivilegeEscalation") is not False or \
                    csc.get("readOnlyRootFilesystem") is not True or \
                    csc.get("capabilities", {}).get("drop") != ["ALL"]:
                problem(workload, "container %s securityContext is not restricted" % c["name"])
            if workload["kind"] != "Job":
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    if probe not in c:
                        problem(workload, "container %s has no %s" % (c["name"], probe))
            resources = c.get("resources", {})
            for part in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(part, {}):
                        problem(workload, "container %s has no %s %s (the HPA needs the CPU "
                                "request)" % (c["name"], resource, part[:-1]))

    for deployment in by_kind.get("Deployment", []):
        name = deployment["metadata"]["name"]
        pod = deployment["spec"]["template"]["spec"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
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

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job")
NAME_LABEL = "app.kubernetes.io/name"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def workloads(objects):
    return [o for o in objects if o["kind"] in WORKLOAD_KINDS]


def selector_matches(selector, labels):
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        value, op = labels.get(e["key"]), e["operator"]
        if (op == "In" and value not in e["values"]) or \
                (op == "NotIn" and value in e["values"]) or \
                (op == "Exists" and value is None) or (op == "DoesNotExist" and value is not None):
            return False
    return True


def pinned_names(selector):
    """The names a pod selector pins by app.kubernetes.io/name, or None."""
    if NAME_LABEL in (selector.get("matchLabels") or {}):
        return {selector["matchLabels"][NAME_LABEL]}
    for e in selector.get("matchExpressions") or []:
        if e["key"] == NAME_LABEL and e["operator"] == "In":
            return set(e["values"])
    return None


NAMESPACE_PEERS = {"monitoring": "prometheus", "ingress-nginx": "ingress-nginx"}


def peer_names(peer, pods):
    """What a NetworkPolicy peer stands for, in the names of the architecture table."""
    if "ipBlock" in peer:
        # The only addresses outside the cluster the suite reaches are the internet (the
        # prober) and, in prod, the external database cluster's CIDR.
        return {"internet" if peer["ipBlock"]["cidr"] == "0.0.0.0/0" else "mysql"}
    ns = peer.get("namespaceSelector")
    pod_selector = peer.get("podSelector")
    ns_name = (ns or {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
    if pod_selector is None:
        return {NAMESPACE_PEERS.get(ns_name, "namespace:%s" % ns_name)}
    if ns_name == "kube-system" and \
            (pod_selector.get("matchLabels") or {}).get("k8s-app") == "kube-dns":
        return {"kube-dns"}
    pinned = pinned_names(pod_selector)
    if pinned is not None:
        return pinned
    return {name for name, labels, _ in pods if selector_matches(pod_selector, labels)}


def rule_ports(rule):
    ports = rule.get("ports")
    if not ports:
        return {"*"}
    return {"%s/%s" % (p.get("port", "*"), p.get("protocol", "TCP").lower()) for p in ports}


def policy_edges(objects, pods):
    """(egress, ingress): the sets of (from, to, port/protocol) the policies allow."""
    egress, ingress = set(), set()
    for policy in (o for o in objects if o["kind"] == "NetworkPolicy"):
        spec = policy["spec"]
        selected = {name for name, labels, _ in pods
                    if selector_matches(spec.get("podSelector") or {}, labels)}
        types = spec.get("policyTypes", ["Ingress"])
        for direction, rules_key, peers_key, edges in (
                ("Egress", "egress", "to", egress), ("Ingress", "ingress", "from", ingress)):
            if direction not in types:
                continue
            for rule in spec.get(rules_key) or []:
                peers = set()
                for peer in rule.get(peers_key) or [{}]:
                    peers |= peer_names(peer, pods) if peer else {"any"}
                for own in selected:
                    for other in peers:
                        for port in rule_ports(rule):
                            edges.add((own, other, port) if direction == "Egress"
                                      else (other, own, port))
    return egress, ingress


def architecture_calls():
    """The rows of docs/architecture.md's network-calls table: (from, to, ports, where)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"<!-- network-calls:begin -->(.*?)<!-- network-calls:end -->", text,
                      re.S)
    rows = []
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("From", "") or set(cells[0]) <= set("-"):
            continue
        rows.append((cells[0], cells[1], cells[2].split(), cells[3].split()))
    return rows


def expected_edges(rows, overlay, pods):
    named_ports = {name: ports for name, _, ports in pods}
    edges = set()
    for src, dst, ports, where in rows:
        if "all" not in where and overlay not in where:
            continue
        for port in ports:
            if re.fullmatch(r"\d+(/(tcp|udp))?", port):
                edges.add((src, dst, port if "/" in port else port + "/tcp"))
            elif port in named_ports.get(dst, {}):
                edges.add((src, dst, "%s/tcp" % named_ports[dst][port]))
            elif dst in named_ports:
                edges.add((src, dst, "no port %s on %s" % (port, dst)))
    return edges


def check_network_policies(objects, where, problems):
    overlay = where.split("/")[-1]
    pods = []
    for w in workloads(objects):
        template = w["spec"]["template"]
        ports = {p["name"]: p["containerPort"] for c in template["spec"]["containers"]
                 for p in c.get("ports", []) if "name" in p}
        pods.append((template["metadata"]["labels"][NAME_LABEL], template["metadata"]["labels"],
                     ports))
    names = {name for name, _, _ in pods}
    expected = expected_edges(architecture_calls(), overlay, pods)
    egress, ingress = policy_edges(objects, pods)
    for side, actual, wanted in (
            ("egress", egress, {e for e in expected if e[0] in names}),
            ("ingress", ingress, {e for e in expected if e[1] in names})):
        for e in sorted(actual - wanted):
            problems.append("%s: NetworkPolicy %s allows %s -> %s %s, which docs/architecture.md "
                            "(Network calls) does not list" % (where, side, *e))
        for e in sorted(wanted - actual):
            problems.append("%s: NetworkPolicy %s does not allow %s -> %s %s, which "
                            "docs/architecture.md (Network calls) lists" % (where, side, *e))


def code_peers(service_dir):
    """ServiceDefinition::peers as main.cc sets it (a list, or a function returning one)."""
    main = (service_dir / "main.cc").read_text(encoding="utf-8")
    match = re.search(r"definition\.peers\s*=\s*(.*?);", main, re.S)
    if not match:
        return set()
    value = match.group(1)
    if not value.startswith("{"):
        function = value.split("::")[-1].split("(")[0]
        for source in sorted(service_dir.glob("*.cc")):
            found = re.search(function + r"\(\)\s*\{\s*return\s*(\{.*?\});",
                              source.read_text(encoding="utf-8"), re.S)
            if found:
                value = found.group(1)
                break
    return set(re.findall(r'"([a-z0-9-]+)"', value))


def config_value(objects, configmap_prefix, key):
    for o in objects:
        if o["kind"] == "ConfigMap" and o["metadata"]["name"].startswith(configmap_prefix):
            if key in o.get("data", {}):
                return o["data"][key]
    return None


def check_peers(objects, problems):
    """Code (main.cc peers), Kubernetes (GONGKAI_PEERS, GONGKAI_BACKENDS) and the doc agree."""
    rows = architecture_calls()
    service_names = {p.parent.name for p in (ROOT / "services").glob("*/service.env")}
    documented = {}
    for src, dst, _, where in rows:
        if dst in service_names and "all" in where:
            documented.setdefault(src, set()).add(dst)
    for name in sorted(service_names):
        in_code = code_peers(ROOT / "services" / name)
        in_doc = documented.get(name, set())
        if in_code != in_doc:
            problems.append("services/%s/main.cc peers %s, docs/architecture.md (Network calls) "
                            "%s" % (name, sorted(in_code), sorted(in_doc)))
        value = config_value(objects, name + "-config", "GONGKAI_PEERS") or ""
        in_k8s = {entry.split("=", 1)[0] for entry in value.split(",") if entry}
        if in_k8s != in_code:
            problems.append("k8s/base/%s GONGKAI_PEERS names %s, services/%s/main.cc %s"
                            % (name, sorted(in_k8s), name, sorted(in_code)))
    backends = config_value(objects, "gateway-config", "GONGKAI_BACKENDS") or ""
    in_k8s = {entry.split("=", 1)[0] for entry in backends.split(",") if entry}
    if in_k8s != documented.get("gateway", set()) or in_k8s != service_names:
        problems.append("k8s/base/gateway GONGKAI_BACKENDS names %s; docs/architecture.md "
                        "(Network calls) %s; services %s" % (
                            sorted(in_k8s), sorted(documented.get("gateway", set())),
                            sorted(service_names)))


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
    overlays = sorted("overlays/" + p.name for p in (K8S / "overlays").iterdir() if p.is_dir())
    for where in overlays + ["base"]:
        objects = render(args.kubectl, K8S / where)
        check_objects(objects, "k8s/" + where, problems)
        check_network_policies(objects, "k8s/" + where, problems)
        if where == "base":
            check_peers(objects, problems)
    check_registration(problems)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

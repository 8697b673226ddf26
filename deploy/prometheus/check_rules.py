#!/usr/bin/env python3
"""Keeps gongkai's alerting rules, their Kubernetes copy, tests and runbook together.

deploy/prometheus/alerts.yml is the source of truth. This script checks that
  - k8s/components/servicemonitor/prometheus-rule.yaml is a PrometheusRule whose
    spec.groups equal alerts.yml's groups, and that the component lists it;
  - every alert has severity page or ticket, a summary, a description and a
    runbook_url naming a heading of docs/operations.md;
  - every alert has a test case where it fires and one where it stays silent
    (alerts_test.yml, alerts_calendar_test.yml, any other alerts*_test.yml);
  - docs/operations.md names every alert (its table of what to do).
It prints every problem and exits 1, or exits 0 in silence.

  deploy/prometheus/check_rules.py           # check (CTest: prometheus_rules_sync)
  deploy/prometheus/check_rules.py --write   # regenerate prometheus-rule.yaml

Needs python3-yaml.
"""

import argparse
import pathlib
import re
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
RULES = REPO / "deploy/prometheus/alerts.yml"
TESTS = sorted((REPO / "deploy/prometheus").glob("alerts*_test.yml"))
COMPONENT = REPO / "k8s/components/servicemonitor"
PROMETHEUS_RULE = COMPONENT / "prometheus-rule.yaml"
RUNBOOK = REPO / "docs/operations.md"
SEVERITIES = {"page", "ticket"}

PROMETHEUS_RULE_HEADER = """\
# Generated from deploy/prometheus/alerts.yml by `deploy/prometheus/check_rules.py
# --write`: edit that file and regenerate; the prometheus_rules_sync test fails while
# the two differ. What to do for each alert: docs/operations.md, "Metrics and alerts".
# The Prometheus resource must select this object: by default the Operator's Helm
# chart selects PrometheusRules labelled `release: <its release name>`; add that label
# in the overlay if your Prometheus needs it (as for the ServiceMonitors).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: gongkai-alerts
  labels:
    app.kubernetes.io/name: gongkai-alerts
    app.kubernetes.io/part-of: gongkai
spec:
"""


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def prometheus_rule_text():
    """alerts.yml from `groups:` on, indented under the PrometheusRule's spec."""
    lines = RULES.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("groups:"))
    body = "".join(("  " + line if line else "") + "\n" for line in lines[start:])
    return PROMETHEUS_RULE_HEADER + body


def github_anchor(heading):
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def alerts_of(groups):
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def check_prometheus_rule(groups, problems):
    if not PROMETHEUS_RULE.exists():
        problems.append(f"{PROMETHEUS_RULE} is missing (run with --write)")
        return
    rule = load(PROMETHEUS_RULE)
    if rule.get("apiVersion") != "monitoring.coreos.com/v1" or rule.get("kind") != "PrometheusRule":
        problems.append(f"{PROMETHEUS_RULE} is not a monitoring.coreos.com/v1 PrometheusRule")
    if (rule.get("spec") or {}).get("groups") != groups:
        problems.append(f"{PROMETHEUS_RULE} spec.groups differ from {RULES} (run with --write)")
    resources = load(COMPONENT / "kustomization.yaml").get("resources") or []
    if PROMETHEUS_RULE.name not in resources:
        problems.append(f"{COMPONENT}/kustomization.yaml does not list {PROMETHEUS_RULE.name}")


def check_alert_fields(alerts, problems):
    anchors = {github_anchor(line.lstrip("#")) for line in
               RUNBOOK.read_text(encoding="utf-8").splitlines() if line.startswith("#")}
    for alert in alerts:
        name = alert["alert"]
        severity = (alert.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"{name}: severity {severity!r} is not one of {sorted(SEVERITIES)}")
        annotations = alert.get("annotations") or {}
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                problems.append(f"{name}: annotation {key} is missing")
        url = annotations.get("runbook_url", "")
        path, _, anchor = url.partition("#")
        if path != "docs/operations.md" or anchor not in anchors:
            problems.append(f"{name}: runbook_url {url!r} names no heading of docs/operations.md")


def check_tests(alerts, problems):
    fires, silent = set(), set()
    for path in TESTS:
        for group in load(path).get("tests") or []:
            for case in group.get("alert_rule_test") or []:
                (fires if case.get("exp_alerts") else silent).add(case["alertname"])
    for alert in alerts:
        name = alert["alert"]
        if name not in fires:
            problems.append(f"{name}: no test case where it fires")
        if name not in silent:
            problems.append(f"{name}: no test case where it stays silent")


def check_runbook(alerts, problems):
    runbook = RUNBOOK.read_text(encoding="utf-8")
    for alert in alerts:
        if f"`{alert['alert']}`" not in runbook:
            problems.append(f"{alert['alert']}: not named in {RUNBOOK}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="regenerate prometheus-rule.yaml from alerts.yml")
    args = parser.parse_args()
    if args.write:
        PROMETHEUS_RULE.write_text(prometheus_rule_text(), encoding="utf-8")

    groups = load(RULES)["groups"]
    alerts = alerts_of(groups)
    problems = []
    check_prometheus_rule(groups, problems)
    check_alert_fields(alerts, problems)
    check_tests(alerts, problems)
    check_runbook(alerts, problems)
    for problem in problems:
        print(f"check_rules: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The suite's Grafana dashboards: written here as data, kept as JSON in dashboards/.

    deploy/grafana/dashboards.py --write     regenerate dashboards/*.json from this file
    deploy/grafana/dashboards.py             check (CTest grafana_dashboards, label unit):
        * dashboards/ holds exactly what this file generates (edit here, then --write);
        * every PromQL expression parses: all of them are written as recording rules
          into a temporary file and `promtool check rules` reads it (Grafana's
          variables replaced by values of their type first);
    deploy/grafana/dashboards.py --metrics FILE...
        also: every metric an expression names is in one of the FILEs, /metrics pages
        scraped from the running processes (the CTest grafana_dashboard_metrics, label
        e2e, scrapes them: deploy/grafana/scrape_suite.sh).

One overview of the suite and one dashboard per process: request rate, errors, latency,
the database pool (failovers included), and the business gauges each service exports
(its *_metrics.cc). Every panel selects by the Prometheus `job` label (variable `job`,
a regex; the per-service dashboards default to the service's jobs).
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "dashboards"
RATE = "$__rate_interval"
J = 'job=~"$job"'

# The process -> the job regex its dashboard starts with (k8s Service names; the
# ServiceMonitors and the annotation-based scrape both name the job after them).
SERVICES = {
    "catalog": "catalog|.*gongkai.*catalog.*",
    "interpretation": "interpretation|.*gongkai.*interpretation.*",
    "consultation": "consultation|.*gongkai.*consultation.*",
    "opinion": "opinion|.*gongkai.*opinion.*",
    "website": "website|.*gongkai.*website.*",
    "assessment": "assessment|.*gongkai.*assessment.*",
}


def panel(title, exprs, unit="short", kind="timeseries", legend=None, description=""):
    targets = []
    for i, expr in enumerate(exprs if isinstance(exprs, list) else [exprs]):
        if isinstance(expr, tuple):
            expr, fmt = expr
        else:
            fmt = legend or ""
        targets.append({"refId": chr(ord("A") + i), "expr": expr, "legendFormat": fmt,
                        "datasource": {"type": "prometheus", "uid": "${datasource}"}})
    return {"type": kind, "title": title, "description": description,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": targets}


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": []}


def grpc_panels():
    return [
        row("gRPC requests"),
        panel("Requests per second by method",
              'sum by (grpc_method) (rate(grpc_server_started_total{%s}[%s]))' % (J, RATE),
              "reqps", legend="{{grpc_method}}"),
        panel("Errors per second by code (not OK)",
              'sum by (grpc_code) (rate(grpc_server_handled_total{%s,grpc_code!="OK"}[%s]))'
              % (J, RATE), "reqps", legend="{{grpc_code}}",
              description="INVALID_ARGUMENT, NOT_FOUND, ABORTED are callers' mistakes or races; "
                          "Internal and Unavailable page (alerts.yml GongkaiGrpcErrorRatio)."),
        panel("Server error ratio (Internal, Unavailable)",
              'sum(rate(grpc_server_handled_total{%s,grpc_code=~"Internal|Unavailable"}[%s]))'
              ' / sum(rate(grpc_server_started_total{%s}[%s]))' % (J, RATE, J, RATE),
              "percentunit"),
        panel("Latency p50 / p95 / p99",
              [("histogram_quantile(%s, sum by (le) (rate(grpc_server_handling_seconds_bucket"
                "{%s}[%s])))" % (q, J, RATE), "p%s" % q[2:] if len(q) > 3 else "p%s0" % q[2:])
               for q in ("0.5", "0.95", "0.99")], "s"),
        panel("p95 latency by method",
              "histogram_quantile(0.95, sum by (le, grpc_method) "
              "(rate(grpc_server_handling_seconds_bucket{%s}[%s])))" % (J, RATE), "s",
              legend="{{grpc_method}}"),
    ]


def db_panels():
    return [
        row("Database pool"),
        panel("Connections in use / idle / max",
              [('sum by (state) (gongkai_db_pool_connections{%s})' % J, "{{state}}"),
               ('sum(gongkai_db_pool_max_connections{%s})' % J, "max")]),
        panel("Waits, wait timeouts, errors per second",
              [('sum(rate(gongkai_db_pool_waits_total{%s}[%s]))' % (J, RATE), "waits"),
               ('sum(rate(gongkai_db_pool_wait_timeouts_total{%s}[%s]))' % (J, RATE),
                "wait timeouts"),
               ('sum(rate(gongkai_db_pool_errors_total{%s}[%s]))' % (J, RATE), "errors")],
              "ops"),
        panel("Connections opened and failovers (1h)",
              [('sum(increase(gongkai_db_pool_connections_opened_total{%s}[1h]))' % J,
                "opened"),
               ('sum by (pool) (increase(gongkai_db_pool_failovers_total{%s}[1h]))' % J,
                "failovers {{pool}}")],
              description="A failover: the pool moved to another server of GONGKAI_DB_HOST's "
                          "list after the current one failed (a Galera node down, ADR 0025)."),
    ]


def process_panels():
    return [
        row("Process"),
        panel("CPU (cores)", 'sum by (instance) (rate(process_cpu_seconds_total{%s}[%s]))'
              % (J, RATE), legend="{{instance}}"),
        panel("Resident memory", 'sum by (instance) (process_resident_memory_bytes{%s})' % J,
              "bytes", legend="{{instance}}"),
        panel("Background sync errors (1h)",
              'sum by (what) (increase(gongkai_background_sync_errors_total{%s}[1h]))' % J,
              legend="{{what}}"),
    ]


def outbox_panels():
    return [
        row("Outbox (ADR 0024)"),
        panel("Backlog, parked, oldest undelivered",
              [('sum(gongkai_outbox_backlog{%s})' % J, "backlog"),
               ('sum(gongkai_outbox_parked{%s})' % J, "parked"),
               ('max(gongkai_outbox_oldest_undelivered_age_seconds{%s})' % J, "oldest (s)")]),
        panel("Delivered and failed per second",
              [('sum(rate(gongkai_outbox_delivered_total{%s}[%s]))' % (J, RATE), "delivered"),
               ('sum(rate(gongkai_outbox_delivery_failures_total{%s}[%s]))' % (J, RATE),
                "failures")], "ops"),
        panel("Delivery lag p95",
              "histogram_quantile(0.95, sum by (le) "
              "(rate(gongkai_outbox_delivery_lag_seconds_bucket{%s}[%s])))" % (J, RATE), "s"),
    ]


def gauge(title, metric, by=None, unit="short", description=""):
    expr = "sum by (%s) (%s{%s})" % (by, metric, J) if by else "max(%s{%s})" % (metric, J)
    return panel(title, expr, unit, legend="{{%s}}" % by if by else title,
                 description=description)


def counter(title, metric, by, description=""):
    return panel(title, "sum by (%s) (increase(%s{%s}[1h]))" % (by, metric, J),
                 legend="{{%s}}" % by, description=description)


BUSINESS = {
    "catalog": [
        row("Documents and disclosure (CAT-3, CAT-8, NAT-4 ... NAT-9)"),
        gauge("Documents overdue for publication (CAT-3)", "catalog_documents_overdue",
              description="Proactive documents past their publication due day, unpublished."),
        gauge("Documents by state", "catalog_documents", by="state"),
        gauge("Disclosure requests overdue (NAT-6)", "catalog_disclosure_requests_overdue"),
        gauge("Disclosure requests due soon", "catalog_disclosure_requests_due_soon"),
        gauge("Disclosure requests by state", "catalog_disclosure_requests", by="state"),
        counter("Submissions returned (1h, CAT-2)", "catalog_returned_submissions_total",
                "cause"),
        panel("Documents published per hour",
              "sum(increase(catalog_documents_published_total{%s}[1h]))" % J),
        panel("Published-document cache hit ratio",
              "sum(rate(catalog_document_cache_hits_total{%s}[%s])) / "
              "(sum(rate(catalog_document_cache_hits_total{%s}[%s])) + "
              "sum(rate(catalog_document_cache_misses_total{%s}[%s])))"
              % (J, RATE, J, RATE, J, RATE), "percentunit"),
        panel("Public list and search cache hit ratio",
              "sum(rate(catalog_document_list_cache_hits_total{%s}[%s])) / "
              "(sum(rate(catalog_document_list_cache_hits_total{%s}[%s])) + "
              "sum(rate(catalog_document_list_cache_misses_total{%s}[%s])))"
              % (J, RATE, J, RATE, J, RATE), "percentunit"),
        gauge("Calendar loaded through year (NAT-1)", "catalog_calendar_loaded_through_year",
              description="Load next year's calendar before December (alerts.yml)."),
    ],
    "interpretation": [
        row("Interpretations (INT-1 ... INT-4)"),
        gauge("Interpretations by state", "interpretation_interpretations", by="state"),
        counter("Released (1h) by timing", "interpretation_released_total", "timing"),
        panel("Approvals per hour (INT-3)",
              "sum(increase(interpretation_approvals_total{%s}[1h]))" % J),
        gauge("Publications flagged (INT-3)", "interpretation_publications_flagged",
              by="status"),
    ],
    "consultation": [
        row("Consultations (CON-1 ... CON-5, NAT-11)"),
        gauge("Consultations by state", "consultation_consultations", by="state"),
        gauge("Decisions missing their pre-disclosure (CON-1)",
              "consultation_missing_pre_disclosures"),
        gauge("Comments undecided", "consultation_undecided_comments"),
        gauge("Periods pending a calendar year (NAT-1)", "consultation_periods_pending",
              description="Open until next year's holiday notice is loaded."),
        gauge("Comments reported", "consultation_reported_comments"),
    ],
    "opinion": [
        row("Opinion events and response clocks (OPI-1 ... OPI-5, NAT-12)"),
        gauge("Clocks breached (OPI-4)", "opinion_clocks_breached",
              description="Response clocks past their deadline without an answer."),
        gauge("Clocks due soon", "opinion_clocks_due_soon"),
        gauge("Clocks running", "opinion_clocks_running"),
        gauge("Open events", "opinion_open_events"),
        counter("Events collected (1h) by grade", "opinion_events_collected_total", "grade"),
        counter("Responses (1h) by channel", "opinion_responses_total", "channel"),
        counter("Clock escalations (1h) by stage", "opinion_clock_escalations_total", "stage"),
        panel("Scheduler errors (1h)",
              "sum(increase(opinion_scheduler_errors_total{%s}[1h]))" % J),
    ],
    "website": [
        row("Website supervision (WEB-1 ... WEB-6, NAT-13, NAT-14)"),
        gauge("Probes overdue (NAT-13)", "website_probes_overdue"),
        gauge("Notices overdue (WEB-4)", "website_notices_overdue"),
        gauge("Notices with a pending deadline (NAT-1)", "website_notices_deadline_pending",
              description="Rectification deadlines waiting for next year's holiday notice."),
        panel("Notice deadline recomputation failures (1h)",
              "sum(increase(website_notice_deadline_recompute_failures_total{%s}[1h]))" % J),
        gauge("Sites by state", "website_sites", by="state"),
        gauge("Supervision runs running", "website_supervision_runs_running"),
        gauge("Outbound fetches in flight", "website_fetches_in_flight"),
        panel("Probes per second by outcome",
              "sum by (outcome) (rate(website_probes_total{%s}[%s]))" % (J, RATE), "ops",
              legend="{{outcome}}"),
        panel("Home page fetch p95",
              "histogram_quantile(0.95, sum by (le) "
              "(rate(website_probe_home_seconds_bucket{%s}[%s])))" % (J, RATE), "s"),
    ],
    "assessment": [
        row("Assessment (ASM-1 ... ASM-6)"),
        gauge("Runs by state", "assessment_runs", by="state"),
        gauge("Items with evidence unavailable", "assessment_items_unavailable"),
        panel("Evidence calls per second by service and result",
              "sum by (service, result) (rate(assessment_evidence_calls_total{%s}[%s]))"
              % (J, RATE), "ops", legend="{{service}} {{result}}"),
    ],
}
REFRESH_ERRORS = {name: "%s_metrics_refresh_errors_total" % name for name in SERVICES}


def gateway_panels():
    return [
        row("HTTP (REST/JSON)"),
        panel("Requests per second by route",
              "sum by (route) (rate(http_requests_total{%s}[%s]))" % (J, RATE), "reqps",
              legend="{{route}}"),
        panel("5xx ratio",
              'sum(rate(http_requests_total{%s,code=~"5.."}[%s])) / '
              "sum(rate(http_requests_total{%s}[%s]))" % (J, RATE, J, RATE), "percentunit"),
        panel("Responses per second by code",
              "sum by (code) (rate(http_requests_total{%s}[%s]))" % (J, RATE), "reqps",
              legend="{{code}}"),
        panel("Latency p50 / p95 / p99",
              [("histogram_quantile(%s, sum by (le) (rate(http_request_duration_seconds_bucket"
                "{%s}[%s])))" % (q, J, RATE), name)
               for q, name in (("0.5", "p50"), ("0.95", "p95"), ("0.99", "p99"))], "s"),
        panel("In flight", "sum(http_requests_in_flight{%s})" % J),
        panel("Upstream errors per second by backend and code",
              "sum by (backend, code) (rate(gateway_upstream_errors_total{%s}[%s]))" % (J, RATE),
              "ops", legend="{{backend}} {{code}}"),
        panel("Rate limited per second",
              "sum by (class) (rate(gateway_rate_limited_total{%s}[%s]))" % (J, RATE), "ops",
              legend="{{class}}"),
    ]


def dashboard(uid, title, panels, job_default, tags):
    y = 0
    laid_out = []
    x = 0
    for i, p in enumerate(panels):
        p = dict(p, id=i + 1)
        if p["type"] == "row":
            if x:
                y += 8
            x = 0
            p["gridPos"] = {"h": 1, "w": 24, "x": 0, "y": y}
            y += 1
        else:
            p["gridPos"] = {"h": 8, "w": 8, "x": x, "y": y}
            x += 8
            if x >= 24:
                x, y = 0, y + 8
        laid_out.append(p)
    return {
        "uid": uid, "title": title, "tags": ["gongkai"] + tags, "editable": True,
        "schemaVersion": 38, "version": 1, "time": {"from": "now-6h", "to": "now"},
        "refresh": "1m", "timezone": "browser",
        "templating": {"list": [
            {"name": "datasource", "type": "datasource", "query": "prometheus",
             "label": "Prometheus"},
            {"name": "job", "type": "custom", "label": "job (regex)",
             "query": job_default, "current": {"text": job_default, "value": job_default}},
        ]},
        "annotations": {"list": []},
        "panels": laid_out,
    }


def overview():
    suite = "|".join(SERVICES.values()) + "|gateway|.*gongkai.*gateway.*"
    panels = [
        row("The suite"),
        panel("Targets up", "sum by (job) (up{%s})" % J, legend="{{job}}"),
        panel("gRPC requests per second by job",
              "sum by (job) (rate(grpc_server_started_total{%s}[%s]))" % (J, RATE), "reqps",
              legend="{{job}}"),
        panel("gRPC server error ratio by job",
              'sum by (job) (rate(grpc_server_handled_total{%s,grpc_code=~"Internal|Unavailable"}'
              '[%s])) / sum by (job) (rate(grpc_server_started_total{%s}[%s]))'
              % (J, RATE, J, RATE), "percentunit", legend="{{job}}"),
        panel("gRPC p95 latency by job",
              "histogram_quantile(0.95, sum by (le, job) "
              "(rate(grpc_server_handling_seconds_bucket{%s}[%s])))" % (J, RATE), "s",
              legend="{{job}}"),
        panel("Gateway requests per second and 5xx",
              [("sum(rate(http_requests_total{%s}[%s]))" % (J, RATE), "all"),
               ('sum(rate(http_requests_total{%s,code=~"5.."}[%s]))' % (J, RATE), "5xx")],
              "reqps"),
        panel("Gateway p95 latency",
              "histogram_quantile(0.95, sum by (le) "
              "(rate(http_request_duration_seconds_bucket{%s}[%s])))" % (J, RATE), "s"),
        row("Databases"),
        panel("Pool connections in use / max by job",
              [('sum by (job) (gongkai_db_pool_connections{%s,state="in_use"})' % J,
                "{{job}} in use"),
               ("sum by (job) (gongkai_db_pool_max_connections{%s})" % J, "{{job}} max")]),
        panel("Pool wait timeouts and errors per second by job",
              [("sum by (job) (rate(gongkai_db_pool_wait_timeouts_total{%s}[%s]))" % (J, RATE),
                "{{job}} wait timeouts"),
               ("sum by (job) (rate(gongkai_db_pool_errors_total{%s}[%s]))" % (J, RATE),
                "{{job}} errors")], "ops"),
        panel("Database failovers (1h) by job",
              "sum by (job) (increase(gongkai_db_pool_failovers_total{%s}[1h]))" % J,
              legend="{{job}}",
              description="The pools moved to another server of their host list (ADR 0025)."),
        row("What is late (the statutory clocks)"),
        gauge("Documents overdue (CAT-3)", "catalog_documents_overdue"),
        gauge("Disclosure requests overdue (NAT-6)", "catalog_disclosure_requests_overdue"),
        gauge("Opinion clocks breached (OPI-4)", "opinion_clocks_breached"),
        gauge("Website probes overdue (NAT-13)", "website_probes_overdue"),
        gauge("Website notices overdue (WEB-4)", "website_notices_overdue"),
        gauge("Assessment items unavailable", "assessment_items_unavailable"),
        row("Outboxes"),
        panel("Outbox backlog by job", "sum by (job) (gongkai_outbox_backlog{%s})" % J,
              legend="{{job}}"),
        panel("Oldest undelivered by job",
              "max by (job) (gongkai_outbox_oldest_undelivered_age_seconds{%s})" % J, "s",
              legend="{{job}}"),
    ]
    return dashboard("gongkai-overview", "gongkai — overview", panels, suite, ["overview"])


def all_dashboards():
    result = {"overview": overview()}
    for name, job in SERVICES.items():
        panels = grpc_panels() + BUSINESS[name] + [
            panel("Metrics refresh errors (1h)",
                  "sum(increase(%s{%s}[1h]))" % (REFRESH_ERRORS[name], J))]
        if name in ("catalog", "interpretation", "opinion"):  # the services with an outbox relay
            panels += outbox_panels()
        panels += db_panels() + process_panels()
        result[name] = dashboard("gongkai-" + name, "gongkai — " + name, panels, job, [name])
    result["gateway"] = dashboard(
        "gongkai-gateway", "gongkai — gateway", gateway_panels() + process_panels(),
        "gateway|.*gongkai.*gateway.*", ["gateway"])
    return result


def expressions(dashboards):
    for name, d in dashboards.items():
        for p in d["panels"]:
            for t in p.get("targets", []):
                yield name, p["title"], t["expr"]


def promql(expr):
    """The expression as Prometheus reads it, Grafana's variables replaced."""
    return expr.replace("$__rate_interval", "5m").replace('"$job"', '".+"')


# Families whose every series carries a label known only when the event happens (the
# failure's status code): a healthy process exports none. The check accepts them when
# the C++ sources register them (a quoted name in a .cc under services/, libs/ or
# gateway/), and says so.
EVENT_ONLY = {
    "gongkai_outbox_delivery_failures_total": "by the failed delivery's status code",
}

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and",
            "or", "unless", "offset", "le", "inf", "nan"}


def metric_names(expr):
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', promql(expr))
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    names = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        follows = text[m.end():].lstrip()[:1]
        if follows != "(" and m.group(0).lower() not in KEYWORDS:
            names.add(m.group(0))
    return names


def exported(metrics_files):
    names = set()
    for path in metrics_files:
        for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--metrics", nargs="+", default=[])
    parser.add_argument("--promtool", default=shutil.which("promtool"))
    args = parser.parse_args()
    dashboards = all_dashboards()
    rendered = {name: json.dumps(d, indent=2, ensure_ascii=False) + "\n"
                for name, d in dashboards.items()}
    if args.write:
        OUT.mkdir(exist_ok=True)
        for old in OUT.glob("*.json"):
            old.unlink()
        for name, text in rendered.items():
            (OUT / ("%s.json" % name)).write_text(text, encoding="utf-8")
        return 0
    problems = []
    on_disk = {p.stem: p.read_text(encoding="utf-8") for p in OUT.glob("*.json")}
    if on_disk != rendered:
        problems.append("deploy/grafana/dashboards/ differs from deploy/grafana/dashboards.py: "
                        "run deploy/grafana/dashboards.py --write")
    for name, text in on_disk.items():
        d = json.loads(text)
        if not d.get("uid") or not d.get("panels"):
            problems.append("%s.json: no uid or no panels" % name)
    exprs = list(expressions(dashboards))
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        rules = [{"record": "dashboard:expr_%d" % i, "expr": promql(e)}
                 for i, (_, _, e) in enumerate(exprs)]
        json.dump({"groups": [{"name": "dashboards", "rules": rules}]}, f)
    check = subprocess.run([args.promtool, "check", "rules", f.name], capture_output=True,
                           text=True)
    pathlib.Path(f.name).unlink()
    if check.returncode != 0:
        problems.append("promtool check rules on the dashboards' expressions:\n" +
                        check.stdout + check.stderr)
    if args.metrics:
        have = exported(args.metrics)
        root = HERE.parent.parent
        sources = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                            for d in ("services", "libs", "gateway")
                            for p in (root / d).rglob("*.cc") if not p.name.endswith("_test.cc"))
        for metric, why in EVENT_ONLY.items():
            if metric not in have:
                if '"%s"' % metric in sources:
                    print("%s: not on the pages (no series until an event, %s); registered "
                          "in the sources" % (metric, why))
                    have.add(metric)
        for name, title, expr in exprs:
            for metric in sorted(metric_names(expr) - have - {"up"}):
                problems.append("%s.json, %r: %s is not exported by the running processes"
                                % (name, title, metric))
    for p in problems:
        print(p)
    print("%d dashboards, %d expressions%s: %s" % (
        len(dashboards), len(exprs), ", metrics checked against %d scraped pages"
        % len(args.metrics) if args.metrics else "", "FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

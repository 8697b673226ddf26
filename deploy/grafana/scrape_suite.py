#!/usr/bin/env python3
"""Starts the whole suite (six services + gateway) and scrapes every /metrics page.

    scrape_suite.py --build-dir BUILD --out DIR [--check CMD...]

The CTest grafana_dashboard_metrics (label e2e) runs it with `--check
deploy/grafana/dashboards.py --metrics`: every metric the dashboards name must be on a
page the running processes serve. It needs ./gongkai test's MariaDB (the
GONGKAI_TEST_MYSQL_* variables: an admin user that may create databases and users).

Each service gets a fresh database and user of its own (dropped at the end), ports
chosen free on 127.0.0.1, the peers it declares pointing at the others, and the real
gateway in front of all six. Before scraping, traffic that makes the request families
appear: a REST call through the gateway to every service and the catalog demo loader
(units, documents, publications: the catalog's outbox delivers to interpretation).
Nothing is timed; every wait is for a condition, bounded by a generous limit.
"""
import argparse
import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SERVICES = ["catalog", "interpretation", "consultation", "opinion", "website", "assessment"]
# Each service's peers (services/<name>/main.cc; docs/architecture.md "Network calls").
PEERS = {
    "catalog": ["interpretation"],
    "interpretation": ["catalog"],
    "consultation": ["catalog"],
    "opinion": ["catalog", "interpretation"],
    "website": ["catalog"],
    "assessment": ["catalog", "consultation", "interpretation", "opinion", "website"],
}
# One authenticated GET per service through the gateway (docs/api.md).
REST_CALLS = {
    "catalog": "/v1/units",
    "interpretation": "/v1/interpretations",
    "consultation": "/v1/consultations",
    "opinion": "/v1/opinion-events",
    "website": "/v1/sites",
    "assessment": "/v1/assessment/schemes/2026",
}
ISSUER, AUDIENCE = "gongkai-dashboards", "gongkai"
WAIT_S = 180


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mysql(sql):
    env = dict(os.environ, MYSQL_PWD=os.environ["GONGKAI_TEST_MYSQL_PASSWORD"])
    subprocess.run(["mariadb", "--protocol=tcp", "-h", os.environ["GONGKAI_TEST_MYSQL_HOST"],
                    "-P", os.environ["GONGKAI_TEST_MYSQL_PORT"], "-u",
                    os.environ["GONGKAI_TEST_MYSQL_USER"], "-e", sql], env=env, check=True)


def http_get(url, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError:
        return None, ""


def wait_for(what, condition, processes):
    deadline = time.monotonic() + WAIT_S
    while not condition():
        for name, p in processes.items():
            if p.poll() is not None:
                raise RuntimeError("%s exited (%s) while waiting for %s" % (name, p.returncode,
                                                                           what))
        if time.monotonic() > deadline:
            raise RuntimeError("waited %d s for %s" % (WAIT_S, what))
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--out", help="where the scraped pages go (default: a temp dir)")
    parser.add_argument("--check", nargs=argparse.REMAINDER,
                        help="a command run with the scraped files appended")
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    out = pathlib.Path(args.out or tempfile.mkdtemp(prefix="gongkai-scrape-"))
    out.mkdir(parents=True, exist_ok=True)
    logs = pathlib.Path(tempfile.mkdtemp(prefix="gongkai-scrape-logs-"))
    suffix = secrets.token_hex(4)
    jwt_secret = secrets.token_hex(32)
    grpc = {name: free_port() for name in SERVICES}
    metrics = {name: free_port() for name in SERVICES + ["gateway"]}
    http_port = free_port()
    databases = {}
    processes = {}
    # The years the built-in calendar may lack (this year and the next, which the demos'
    # deadlines reach), as the e2e tests' stand-in (tests/e2e/stand_in_calendar.h):
    # weekends only; the catalog uses a year file only where it has no year of its own.
    calendar_dir = logs / "calendar"
    calendar_dir.mkdir()
    this_year = time.gmtime(time.time() + 8 * 3600).tm_year  # Asia/Shanghai
    builtin = pathlib.Path(__file__).resolve().parents[2] / "libs" / "calendar" / "data"
    for year in (this_year, this_year + 1):
        if (builtin / ("cn-%d.json" % year)).exists():
            continue
        (calendar_dir / ("stand-in-%d.json" % year)).write_text(json.dumps({
            "region": "CN", "year": year, "version": "dashboards-stand-in-%d" % year,
            "source": {"notice": "gongkai dashboards test stand-in: weekends only"},
            "holidays": [], "adjusted_working_days": []}), encoding="utf-8")
    try:
        for name in SERVICES:
            db = "dash_%s_%s" % (name, suffix)
            password = secrets.token_hex(16)
            mysql("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
                  "CREATE USER '%s'@'%%' IDENTIFIED BY '%s'; GRANT ALL ON `%s`.* TO '%s'@'%%';"
                  % (db, db, password, db, db))
            databases[name] = (db, password)
        for name in SERVICES:
            db, password = databases[name]
            env = dict(os.environ)
            env.update({
                "GONGKAI_GRPC_ADDRESS": "127.0.0.1:%d" % grpc[name],
                "GONGKAI_METRICS_ADDRESS": "127.0.0.1:%d" % metrics[name],
                "GONGKAI_DB_HOST": os.environ["GONGKAI_TEST_MYSQL_HOST"],
                "GONGKAI_DB_PORT": os.environ["GONGKAI_TEST_MYSQL_PORT"],
                "GONGKAI_DB_NAME": db, "GONGKAI_DB_USER": db, "GONGKAI_DB_PASSWORD": password,
                "GONGKAI_DB_POOL_SIZE": "4",
                "GONGKAI_JWT_HS256_SECRET": jwt_secret, "GONGKAI_JWT_ISSUER": ISSUER,
                "GONGKAI_JWT_AUDIENCE": AUDIENCE, "GONGKAI_METRICS_REFRESH": "1s",
                "GONGKAI_PEERS": ",".join("%s=127.0.0.1:%d" % (p, grpc[p]) for p in PEERS[name]),
            })
            if name == "catalog":
                env["GONGKAI_APPLICANT_KEY_SECRET"] = jwt_secret + "-applicants"
                env["GONGKAI_CALENDAR_DIR"] = str(calendar_dir)
                env["GONGKAI_OUTBOX_POLL_INTERVAL"] = "200ms"
            else:
                env["GONGKAI_CALENDAR_ADDRESS"] = "127.0.0.1:%d" % grpc["catalog"]
            log = open(logs / ("%s.log" % name), "w")
            processes[name] = subprocess.Popen(
                [str(build / "services" / name / ("gongkai-%s" % name))], env=env,
                stdout=log, stderr=subprocess.STDOUT)
        env = dict(os.environ)
        env.update({
            "GONGKAI_HTTP_ADDRESS": "127.0.0.1:%d" % http_port,
            "GONGKAI_METRICS_ADDRESS": "127.0.0.1:%d" % metrics["gateway"],
            "GONGKAI_BACKENDS": ",".join("%s=127.0.0.1:%d" % (n, grpc[n]) for n in SERVICES),
            "GONGKAI_JWT_HS256_SECRET": jwt_secret, "GONGKAI_JWT_ISSUER": ISSUER,
            "GONGKAI_JWT_AUDIENCE": AUDIENCE, "GONGKAI_IO_THREADS": "2",
            "GONGKAI_SHUTDOWN_GRACE": "1s",
            "GONGKAI_RATE_LIMIT_ANONYMOUS_READ": "0.001:1",
        })
        processes["gateway"] = subprocess.Popen(
            [str(build / "gateway" / "gongkai-gateway")], env=env,
            stdout=open(logs / "gateway.log", "w"), stderr=subprocess.STDOUT)
        base = "http://127.0.0.1:%d" % http_port
        wait_for("the gateway's /readyz (every backend SERVING)",
                 lambda: http_get(base + "/readyz")[0] == 200, processes)
        token = subprocess.run(
            [str(build / "libs" / "auth" / "gongkai-token"), "--secret-file=/dev/stdin",
             "--sub=dashboards", "--unit-id=1", "--roles=ADMIN", "--issuer=" + ISSUER,
             "--audience=" + AUDIENCE], input=jwt_secret, capture_output=True, text=True,
            check=True).stdout.strip()
        for name, path in REST_CALLS.items():
            status, body = http_get(base + path, token)
            print("GET %s -> %s" % (path, status))
        # The demo data of every service, as ./gongkai up loads it: units, documents and
        # publications (the catalog's outbox delivers to interpretation), interpretations,
        # consultations, opinion events and answers, sites and probes, an assessment run.
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(jwt_secret)
        for name in SERVICES:
            demo = build / "services" / name / ("gongkai-%s-demo" % name)
            if demo.exists():
                started = time.monotonic()
                command = [str(demo), "--target=127.0.0.1:%d" % grpc[name],
                           "--secret-file=" + f.name, "--issuer=" + ISSUER,
                           "--audience=" + AUDIENCE]
                if name not in ("catalog", "assessment"):  # they look up units there
                    command.append("--catalog=127.0.0.1:%d" % grpc["catalog"])
                subprocess.run(command, check=True,
                               stdout=open(logs / ("%s-demo.log" % name), "w"),
                               stderr=subprocess.STDOUT)
                print("%s demo data loaded (%.1f s)" % (name, time.monotonic() - started))
        os.unlink(f.name)
        # A full-text search (catalog_search_seconds), a call the backend refuses
        # (gateway_upstream_errors_total) and one over the anonymous rate limit
        # (gateway_rate_limited_total: 1 request, then none for 1000 s).
        for path, with_token in (("/v1/documents:search?query=%E9%80%9A%E7%9F%A5", True),
                                 ("/v1/units/987654321", True),
                                 ("/v1/documents:search?query=x", False),
                                 ("/v1/documents:search?query=y", False)):
            status, _ = http_get(base + path, token if with_token else None)
            print("GET %s -> %s" % (path, status))
        time.sleep(2.5)  # two metrics refreshes (GONGKAI_METRICS_REFRESH=1s) after the traffic
        files = []
        for name, port in metrics.items():
            status, page = http_get("http://127.0.0.1:%d/metrics" % port)
            if status != 200:
                raise RuntimeError("%s /metrics answered %s" % (name, status))
            path = out / ("%s.prom" % name)
            path.write_text(page, encoding="utf-8")
            files.append(str(path))
        print("scraped %d pages into %s" % (len(files), out))
        if args.check:
            return subprocess.run(args.check + files).returncode
        return 0
    except Exception as e:  # the logs say why
        print("FAILED: %s" % e, file=sys.stderr)
        for log in sorted(logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            print("--- %s (last lines)\n%s" % (log.name, "\n".join(lines)), file=sys.stderr)
        return 1
    finally:
        for p in processes.values():
            if p.poll() is None:
                p.terminate()
        for p in processes.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for db, _ in databases.values():
            mysql("DROP DATABASE IF EXISTS `%s`; DROP USER IF EXISTS '%s'@'%%';" % (db, db))


if __name__ == "__main__":
    sys.exit(main())

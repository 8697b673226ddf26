#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/<target>/corpus/ (seed-*.txt files; a corpus
also keeps regression-* files, one per bug the fuzzers found, which this never touches).
Run it again after changing a seed here: python3 tests/fuzz/make_seeds.py"""
import base64
import hashlib
import hmac
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write(target, seeds):
    corpus = os.path.join(HERE, target, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for name in os.listdir(corpus):
        if name.startswith("seed-"):
            os.remove(os.path.join(corpus, name))
    for i, seed in enumerate(seeds):
        data = seed if isinstance(seed, bytes) else seed.encode()
        with open(os.path.join(corpus, "seed-%02d.txt" % i), "wb") as f:
            f.write(data)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def fnv1a(text):
    h = 1469598103934665603
    for c in text.encode():
        h ^= c
        h = (h * 1099511628211) % (1 << 64)
    return h


# page_token: tokens for the fuzzer's fingerprint, others, and broken ones.
FINGERPRINT = "unit_id=3|status=PUBLISHED"
write("page_token", [
    "",
    b64url(("v1:%d:%d" % (42, fnv1a(FINGERPRINT))).encode()),
    b64url(("v1:%d:%d" % (9223372036854775807, fnv1a(FINGERPRINT))).encode()),
    b64url(("v1:%d:%d" % (7, fnv1a("unit_id=4"))).encode()),
    b64url(b"v1:-5:1"),
    b64url(b"v2:1:1"),
    "not a token!",
    "djE6MTox==",
])

# search_terms: Chinese, ASCII, mixed, long words, invalid UTF-8.
write("search_terms", [
    "政务公开",
    "2024年政府信息公开工作年度报告",
    "Annual Report 2024: 税 收 (Tax) — 国务院办公厅关于印发《政府信息公开条例》的通知",
    "a" * 80 + " " + "b" * 64,
    "ひらがな カタカナ 한국어 𠀀𠀁 豈",
    b"\xe6\x94\xbf\xff\xe5\x8a\xa1 \xc0\x80 \xed\xa0\x80 \xf4\x90\x80\x80 abc",
])

# calendar_data: the shipped years and broken variants.
seeds = []
for name in sorted(os.listdir(os.path.join(ROOT, "libs/calendar/data"))):
    if name.startswith("cn-") and name.endswith(".json"):
        with open(os.path.join(ROOT, "libs/calendar/data", name), "rb") as f:
            seeds.append(f.read())
seeds += [
    '{"region":"CN","year":2024,"version":"v","source":{"notice":"n"},'
    '"holidays":[{"date":"2024-02-30","name":"x"}],"adjusted_working_days":[]}',
    '{"region":"CN","year":99999999999,"version":"v","source":{"notice":"n"},'
    '"holidays":[],"adjusted_working_days":[{"date":"2024-02-04","for":"春节"}]}',
    '{"year": "2024"}',
    "[1,2,",
]
write("calendar_data", seeds)

# metrics_labels: \x1e between records, \x1f between fields.
RS, US = "\x1e", "\x1f"
write("metrics_labels", [
    US.join(["GET", "200"]) + RS + US.join(["F", "pool_connections", "Open connections.", "g", "pool,state"])
    + RS + US.join(["catalog", "idle", "3"]) + RS + US.join(["catalog", "in \"use\"\n\\", "2"]),
    US.join(["a\\b", "c\"d"]) + RS + US.join(["F", "jobs_total", "Jobs\nrun \\ so far.", "c", "kind"])
    + RS + US.join(["x", "1e308"]) + RS + US.join(["y", "NaN"]) + RS + US.join(["z", "w", "1"]),
    "\xe6\x94\xbf" + US + "ok" + RS + US.join(["F", "bad name", "h", "g", ""]) + RS + "5",
    RS.join([US.join(["F", "dup", "h", "g", "a,a"]), US.join(["1", "2", "3"])]),
])

# jwt: byte 0 picks the mode (0 token, 1 header, 2 header\npayload signed here).
NOW = 1767225600
SECRET = b"fuzz-secret-0123456789abcdef0123456789"
claims = {"sub": "alice", "unit_id": 3, "roles": ["STAFF", "REVIEWER"], "iss": "gongkai-fuzz",
          "aud": "gongkai", "iat": NOW - 60, "exp": NOW + 3600}


def hs256(header, payload, secret):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)


hdr = {"alg": "HS256", "typ": "JWT"}
write("jwt", [
    "\x00" + hs256(hdr, claims, SECRET),
    "\x00" + hs256(hdr, claims, b"another-secret-0123456789abcdef012345"),
    "\x00" + b64url(b'{"alg":"none"}') + "." + b64url(json.dumps(claims).encode()) + ".",
    "\x00" + hs256({"alg": "RS256", "kid": "k1"}, claims, SECRET),
    "\x01Bearer " + hs256(hdr, claims, SECRET),
    "\x01bearer   a.b.c",
    "\x01Basic YWxpY2U6c2VjcmV0",
    "\x02" + json.dumps(hdr) + "\n" + json.dumps(claims),
    "\x02" + json.dumps(hdr) + "\n" + json.dumps(dict(claims, aud=["x", "gongkai"], nbf=NOW)),
    "\x02" + json.dumps(dict(hdr, crit=["exp"])) + "\n" + json.dumps(claims),
    "\x02" + json.dumps(hdr) + "\n" + json.dumps(dict(claims, exp=NOW - 3600)),
    "\x02" + json.dumps(hdr) + "\n" + json.dumps(dict(claims, unit_id="3", sub="x" * 300)),
    "\x02" + json.dumps(hdr) + "\n" + json.dumps(dict(claims, exp=1e300, unit_id=-1, roles="ADMIN")),
])

# path_template: "<template>\n<path>".
write("path_template", [
    "/v1/{name=units/*/documents/*}:publish\n/v1/units/3/documents/7:publish",
    "/v1/documents/{id}\n/v1/documents/%E6%94%BF%2F7",
    "/v1/{name=files/**}\n/v1/files/a/b%2Fc/d",
    "/v1/catalog-items/{item.id}\n/v1/catalog-items/12",
    "/v1/annual-reports/{year}/units/{unit_id}:html\n/v1/annual-reports/2024/units/3:html",
    "/v1/a/**/b\n/v1/a/x/b",
    "/v1/{a={b}}\n/v1/x",
    "/v1/documents:search\n/v1/documents:search",
    "/v1/x/{y}\n/v1/x/%zz",
])

# transcoder: "<METHOD> <path>\n<query>\n<body>".
doc = {"title": "关于2024年政务公开工作要点的通知", "body": "正文", "draftingUnitId": "3",
       "issuingAuthority": "UNIT", "keyArea": "PRODUCT_QUALITY", "categoryId": 4,
       "publicationLimitWorkingDays": 20}
write("transcoder", [
    "POST /v1/documents\nrequestId=r-1\n" + json.dumps(doc, ensure_ascii=False),
    "GET /v1/documents\ndraftingUnitId=3&state=PUBLISHED&createdFrom=2024-01-01&pageSize=20&pageToken=abc\n",
    "GET /v1/documents:search\nquery=%E6%94%BF%E5%8A%A1&key_area=2&page_size=5\n",
    "PATCH /v1/documents/7\nupdateMask=title,body&expectedVersion=3\n" + json.dumps({"title": "t", "id": "7"}),
    "GET /v1/documents/7\n\n",
    "GET /v1/annual-reports/2024/units/3:html\n\n",
    "POST /v1/annual-reports:compute\n\n{\"year\":2024,\"unitId\":\"3\"}",
    "GET /v1/units\nunknown=1\n",
    "POST /v1/documents\n\n{\"title\":\"a\",\"title\":\"b\"}",
    "POST /v1/documents\n\n" + "[" * 200 + "]" * 200,
    "POST /v1/assessment/runs\n\n{\"year\":2025,\"schemeVersion\":\"x\",\"unitIds\":[\"1\",\"2\"],\"createTime\":\"2025-01-01T00:00:00Z\"}",
    "GET /v1/disclosure-requests\nfilter=a&filter=b&page_size=-1\n",
])

# gateway_request: the request as the HTTP server hands it over.
write("gateway_request", [
    "GET /v1/documents/7\nauthorization: Bearer $TOKEN\nx-request-id: r-1\n\n",
    "POST /v1/documents?requestId=r-2\nauthorization: Bearer $TOKEN\ncontent-type: application/json\n"
    "grpc-timeout: 5S\n\n" + json.dumps(doc, ensure_ascii=False),
    "POST /v1/documents\nx-api-key: $APIKEY\ncontent-type: application/json; charset=utf-8\n\n{\"title\":\"a\",\"title\":\"b\"}",
    "GET /v1/documents:search?query=%E6%94%BF%E5%8A%A1\norigin: https://portal.example.gov.cn\n\n",
    "OPTIONS /v1/documents\norigin: https://portal.example.gov.cn\naccess-control-request-method: POST\n"
    "access-control-request-headers: authorization, content-type\n\n",
    "GET /healthz\n\n",
    "GET /readyz\n\n",
    "GET /openapi.json\n\n",
    "GET /metrics\n\n",
    "DELETE /v1/documents/7\nauthorization: Bearer a.b.c\n\n",
    "POST /v1/documents\nauthorization: Bearer $TOKEN\nx-api-key: $APIKEY\ncontent-type: text/plain\n\nx",
    "GET /v1/units?pageSize=2\nx-forwarded-for: 1.2.3.4, 5.6.7.8\ngrpc-timeout: 99999999H\n\n",
    "PATCH /v1/interpretations/5?updateMask=title\nauthorization: Bearer $TOKEN\ncontent-type: application/json\n"
    "expect: 100-continue\n\n{\"title\":\"x\"}",
    "GET /v1/../../etc/passwd\n\n",
])

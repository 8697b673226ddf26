#!/usr/bin/env python3
"""ASM-2: a draw recomputed by an independent implementation of gongkai-draw-v1.

This file implements the draw function from its documentation (draw_function.h,
docs/services/assessment.md) with nothing but Python's hashlib, computes draws for
several seeds and inputs, writes each as the published Draw record (proto3 JSON, as the
gateway serves it) and asks the shipped verifier (gongkai-draw-verify, argv[1]) to check
it: the verifier must accept every record computed here, and reject a record whose pick,
seed or inputs were tampered with. Usage: draw_independent_test.py PATH/gongkai-draw-verify
"""
import hashlib
import json
import subprocess
import sys
import tempfile

FUNCTION = "gongkai-draw-v1"


def canonical_text(units, items, windows, picks):
    w = ",".join("%s/%s" % (s, e) for s, e in sorted(windows))
    return "%s\nunits=%s\nitems=%s\nwindows=%s\npick=%d,%d,%d\n" % (
        FUNCTION, ",".join(str(u) for u in sorted(units)), ",".join(str(i) for i in sorted(items)),
        w, picks[0], picks[1], picks[2])


class Stream:
    def __init__(self, seed, digest, label):
        self.prefix = seed + digest + label.encode() + b":"
        self.j = 0

    def next(self):
        x = int.from_bytes(hashlib.sha256(self.prefix + str(self.j).encode()).digest()[:8], "big")
        self.j += 1
        return x

    def below(self, n):
        limit = (2 ** 64 // n) * n
        while True:
            x = self.next()
            if x < limit:
                return x % n


def pick(values, k, stream):
    a = list(values)
    for i in range(min(k, len(a))):
        r = stream.below(len(a) - i)
        a[i], a[i + r] = a[i + r], a[i]
    return sorted(a[:k])


def draw(seed_hex, units, items, windows, picks):
    seed = bytes.fromhex(seed_hex)
    digest = hashlib.sha256(canonical_text(units, items, windows, picks).encode()).digest()
    return (pick(sorted(units), picks[0], Stream(seed, digest, "units")),
            pick(sorted(items), picks[1], Stream(seed, digest, "items")),
            pick(sorted(windows), picks[2], Stream(seed, digest, "windows")))


def date(text):
    y, m, d = text.split("-")
    return {"year": int(y), "month": int(m), "day": int(d)}


def record(seed_hex, units, items, windows, picks):
    pu, pi, pw = draw(seed_hex, units, items, windows, picks)
    return {
        "id": "1", "drawFunction": FUNCTION, "state": "DRAWN", "seed": seed_hex,
        "commitment": hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest(),
        "inputs": {"unitIds": [str(u) for u in units], "items": items,
                   "windows": [{"start": date(s), "end": date(e)} for s, e in windows],
                   "unitsToPick": picks[0], "itemsToPick": picks[1], "windowsToPick": picks[2]},
        "pickedUnitIds": [str(u) for u in pu], "pickedItems": pi,
        "pickedWindows": [{"start": date(s), "end": date(e)} for s, e in pw],
    }


def verify(verifier, rec):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(rec, f)
        f.flush()
        return subprocess.run([verifier, f.name], capture_output=True, text=True)


def main():
    verifier = sys.argv[1]
    failures = 0
    windows = [("2026-%02d-01" % m, "2026-%02d-28" % (m + 2)) for m in (1, 4, 7, 10)]
    cases = [
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         [9, 3, 12, 7, 1, 40, 22, 18], [14, 3, 9, 5, 11], windows, (3, 2, 1)),
    ]
    for s in range(12):
        seed = hashlib.sha256(b"seed-%d" % s).hexdigest()
        cases.append((seed, list(range(1, 41 + s)), list(range(1, 16)), windows, (5, 3, 2)))
    for seed, units, items, wins, picks in cases:
        rec = record(seed, units, items, wins, picks)
        ok = verify(verifier, rec)
        if ok.returncode != 0:
            failures += 1
            print("FAIL: verifier rejected an independent draw:", ok.stdout, ok.stderr)
        # A pick replaced by a unit that was not drawn must be rejected.
        tampered = json.loads(json.dumps(rec))
        spare = [u for u in units if str(u) not in rec["pickedUnitIds"]][0]
        tampered["pickedUnitIds"][0] = str(spare)
        tampered["pickedUnitIds"].sort(key=int)
        if verify(verifier, tampered).returncode != 1:
            failures += 1
            print("FAIL: verifier accepted a tampered pick")
        # Another seed does not match the commitment.
        tampered = dict(rec, seed=hashlib.sha256(b"other").hexdigest())
        if verify(verifier, tampered).returncode != 1:
            failures += 1
            print("FAIL: verifier accepted a seed that does not match the commitment")
    print("%d draws recomputed independently, %d failures" % (len(cases), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

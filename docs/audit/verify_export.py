#!/usr/bin/env python3
"""Independent verifier of an Earwitness audit export (earwitness-audit-export/1).

Uses only the Python standard library and shares no code with Earwitness. It recomputes every
hash of the chain from the genesis hash, checks the sequence numbers, the links and the final
head line, and optionally a head hash given out earlier and the SHA-256 of clip files.

    python3 verify_export.py EXPORT [--expect-head SEQ:HASH] [--clips DIR]

Exit status 0 when everything matches, 1 at the first mismatch (printed), 2 on bad usage.
"""
import hashlib
import json
import os
import sys

GENESIS = "0" * 64


def jstr(s):
    # The same escaping as JavaScript's JSON.stringify for strings: ", \\, control characters.
    return json.dumps(s, ensure_ascii=False)


def entry_hash(prev_hash, e):
    canonical = ('{"action":' + jstr(e["action"]) + ',"actor":' + jstr(e["actor"]) + ',"atUs":' + str(int(e["atUs"]))
                 + ',"entity":' + jstr(e["entity"]) + ',"payload":' + e["payloadJson"] + ',"seq":' + str(int(e["seq"])) + "}")
    return hashlib.sha256((prev_hash + "\n" + canonical).encode("utf-8")).hexdigest()


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
        if isinstance(doc, dict) and "entries" in doc:
            return doc["header"], doc["entries"], doc["head"]
    except json.JSONDecodeError:
        pass
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return lines[0], [l for l in lines if l.get("type") == "entry"], lines[-1]


def fail(message):
    print("MISMATCH: " + message)
    sys.exit(1)


def main(argv):
    if len(argv) < 1:
        print(__doc__)
        return 2
    path, expect, clips = argv[0], None, None
    rest = argv[1:]
    while rest:
        flag = rest.pop(0)
        if flag == "--expect-head" and rest:
            seq, _, h = rest.pop(0).partition(":")
            expect = (int(seq), h)
        elif flag == "--clips" and rest:
            clips = rest.pop(0)
        else:
            print(__doc__)
            return 2
    header, entries, head = load(path)
    if header.get("format") != "earwitness-audit-export/1":
        fail("not an earwitness-audit-export/1 file")
    prev, expected_seq, hashes, clip_hashes = GENESIS, 1, {}, {}
    for e in entries:
        if e["seq"] != expected_seq:
            fail("entry %d: expected seq %d (an entry is missing or out of order)" % (e["seq"], expected_seq))
        if e["prevHash"] != prev:
            fail("entry %d: prevHash does not link to the entry before" % e["seq"])
        h = entry_hash(prev, e)
        if h != e["hash"]:
            fail("entry %d: content does not give its hash (%s on %s by %s)" % (e["seq"], e["action"], e["entity"], e["actor"]))
        if e["action"] == "alert.imported":
            for s in json.loads(e["payloadJson"]).get("sensors", []):
                clip_hashes.setdefault(s["clipSha256"], (e["seq"], e["entity"], s["sensorId"]))
        hashes[e["seq"]] = h
        prev, expected_seq = h, expected_seq + 1
    last = entries[-1]["seq"] if entries else 0
    if head.get("type") != "head" or head["seq"] != last or head["hash"] != (prev if entries else head["hash"]):
        fail("the head line does not match the last entry")
    if expect is not None:
        seq, h = expect
        if seq > last:
            fail("the export ends at entry %d but entry %d was given out before" % (last, seq))
        if hashes[seq] != h:
            fail("entry %d differs from the hash given out before" % seq)
    if clips is not None:
        found = {}
        for root, _, files in os.walk(clips):
            for name in files:
                if name.endswith(".wav"):
                    found[name[:-4]] = os.path.join(root, name)
        for sha, (seq, entity, sensor) in sorted(clip_hashes.items(), key=lambda kv: kv[1]):
            p = found.get(sha)
            if p is None:
                fail("clip %s of %s sensor %s (entry %d) is missing" % (sha, entity, sensor, seq))
            with open(p, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != sha:
                    fail("clip %s of %s sensor %s (entry %d) was altered" % (sha, entity, sensor, seq))
    print("OK: %d entries, head %d %s%s" % (len(entries), last, prev, ", %d clips" % len(clip_hashes) if clips else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Reads an Earwitness export folder the way the formats' own tools do, with the standard library
only: Raven selection tables with csv (tab-separated, header by name) and the sound each names in
its Begin File column; Audacity label tracks beside the WAV of the same stem; the audiofolder
layout's metadata.csv with csv and each file_name beside it. Every WAV is opened with the wave
module. Prints one JSON summary; exits 1 naming the first thing a tool could not open.

    python3 read_export.py FORMAT FOLDER
"""
import csv
import json
import os
import sys
import wave

RAVEN = ["Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)", "High Freq (Hz)"]


def fail(message):
    print(message)
    sys.exit(1)


def open_wav(path):
    if not os.path.isfile(path):
        fail(f"missing sound file {os.path.basename(path)}")
    with wave.open(path, "rb") as w:
        return {"channels": w.getnchannels(), "rate": w.getframerate(), "frames": w.getnframes()}


def raven(folder):
    tables = sorted(f for f in os.listdir(folder) if f.endswith(".selections.txt"))
    out = []
    for t in tables:
        with open(os.path.join(folder, t), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        if not rows:
            fail(f"{t}: no rows")
        missing = [c for c in RAVEN + ["Begin File"] if c not in rows[0]]
        if missing:
            fail(f"{t}: no column {missing}")
        files = {r["Begin File"] for r in rows}
        if len(files) != 1:
            fail(f"{t}: Begin File names {sorted(files)}")
        sound = files.pop()
        info = open_wav(os.path.join(folder, sound))
        for r in rows:
            if float(r["End Time (s)"]) > info["frames"] / info["rate"] + 1e-9:
                fail(f"{t}: selection {r['Selection']} ends after {sound}")
            if not 1 <= int(r["Channel"]) <= info["channels"]:
                fail(f"{t}: channel {r['Channel']} is not in {sound}")
        out.append({"table": t, "sound": sound, "rows": len(rows), **info})
    return out


def audacity(folder):
    out = []
    for t in sorted(f for f in os.listdir(folder) if f.endswith(".txt")):
        stem = t[: -len(".txt")]
        base = stem.rsplit(".ch", 1)[0] if ".ch" in stem and stem.rsplit(".ch", 1)[1].isdigit() else stem
        info = open_wav(os.path.join(folder, base + ".wav"))
        labels = 0
        with open(os.path.join(folder, t), encoding="utf-8") as f:
            for line in f:
                cells = line.rstrip("\n").split("\t")
                if cells[0] == "\\":
                    continue
                if float(cells[1]) > info["frames"] / info["rate"] + 1e-6:
                    fail(f"{t}: a label ends after {base}.wav")
                labels += 1
        out.append({"track": t, "sound": base + ".wav", "labels": labels, **info})
    return out


def audiofolder(folder):
    out = []
    for split in ("train", "validation", "test"):
        meta = os.path.join(folder, split, "metadata.csv")
        if not os.path.isfile(meta):
            continue
        with open(meta, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            info = open_wav(os.path.join(folder, split, r["file_name"]))
            if "end_sample" in r and info["frames"] != int(r["end_sample"]) - int(r["start_sample"]):
                fail(f"{split}/{r['file_name']}: {info['frames']} frames, the row says {r['start_sample']}..{r['end_sample']}")
            out.append({"split": split, "file_name": r["file_name"], "label": r["label"], "clip_id": r["clip_id"], "alert_id": r["alert_id"], **info})
    return out


if __name__ == "__main__":
    kind, folder = sys.argv[1], sys.argv[2]
    print(json.dumps({"raven": raven, "audacity": audacity, "audiofolder": audiofolder}[kind](folder)))

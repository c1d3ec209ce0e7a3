#!/usr/bin/env python3
"""Compares protocheck with buf breaking on every fixture, at every level.

For each fixtures/<case>/{old,new*} pair and each level, runs
  buf breaking NEW --against OLD --config '{"version":"v2","breaking":{"use":[LEVEL]}}' --error-format json
  protocheck OLD NEW --level LEVEL --format json --no-config
and compares the sets of (rule, file, line) among buf's rules (protocheck's own
warnings and infos are left out). Differences listed in
fixtures/<case>/buf-differences.txt (one "LEVEL RULE file:line  reason" per
line, "-" prefix for a finding buf has and protocheck deliberately does not,
"+" for the reverse) are expected; any other difference fails.

Usage: bench/parity.py [--buf PATH] [--protocheck PATH] [CASE...]
"""
import argparse, json, os, subprocess, sys
from pathlib import Path

LEVELS = {"FILE": "file", "PACKAGE": "package", "WIRE_JSON": "wire-json", "WIRE": "wire"}

def buf_findings(buf, old, new, level):
    cfg = json.dumps({"version": "v2", "breaking": {"use": [level]}})
    # buf wants the module root as its input: run inside NEW.
    r = subprocess.run([buf, "breaking", ".", "--against", str(old.resolve()), "--config", cfg,
                        "--error-format", "json"], capture_output=True, text=True, cwd=new)
    if r.returncode not in (0, 100):
        raise SystemExit(f"buf failed on {new} vs {old}: {r.stderr}")
    out = set()
    for line in r.stdout.splitlines():
        a = json.loads(line)
        path = a.get("path", "")
        # No file in the new schema: buf prints no path and line 1.
        out.add((a["type"], path, (a.get("start_line", 0) or 0) if path else 0))
    return out

def protocheck_findings(pc, old, new, level, own):
    r = subprocess.run([pc, str(old), str(new), "--level", LEVELS[level], "--format", "json",
                        "--no-config"], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"protocheck failed on {new} vs {old}: {r.stderr}")
    out = set()
    for f in json.loads(r.stdout)["findings"]:
        if f["rule"] in own or f["severity"] != "error":
            continue
        # No place in the new schema (a deleted file or package, or an element
        # that went with its file): buf prints no path.
        if f["line"] is None:
            out.add((f["rule"], "", 0))
        else:
            out.add((f["rule"], f["file"], f["line"]))
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--buf", default=os.path.expanduser("~/.cache/protocheck-bench/peers/node_modules/.bin/buf"))
    ap.add_argument("--protocheck", default="target/release/protocheck")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    r = subprocess.run([args.protocheck, "rules"], capture_output=True, text=True, check=True)
    own = {l.split()[0] for l in r.stdout.splitlines()[1:] if "(warning)" in l}
    own |= {"FIELD_WIRE_NO_NARROWING", "FIELD_WIRE_SAME_SIGNEDNESS", "ENUM_WIRE_SAME_OPENNESS"}
    cases = [Path("fixtures") / c for c in args.cases] or sorted(p for p in Path("fixtures").iterdir() if (p / "old").is_dir())
    failures = compared = 0
    for case in cases:
        expected = set()
        diff_file = case / "buf-differences.txt"
        if diff_file.exists():
            for l in diff_file.read_text().splitlines():
                if l.strip() and not l.startswith("#"):
                    expected.add(l.split("  ")[0].strip())
        for new in sorted(p for p in case.iterdir() if p.is_dir() and p.name.startswith("new")):
            for level in LEVELS:
                b = buf_findings(args.buf, case / "old", new, level)
                p = protocheck_findings(args.protocheck, case / "old", new, level, own)
                compared += 1
                for sign, items in (("-", b - p), ("+", p - b)):
                    for rule, path, line in sorted(items):
                        key = f"{sign} {new.name} {level} {rule} {path}:{line}"
                        if key in expected:
                            continue
                        failures += 1
                        print(f"{case.name}: {key}")
    print(f"{failures} unexplained differences from buf in {compared} comparisons")
    print(f"parity: {compared - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)

main()

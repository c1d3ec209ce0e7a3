#!/usr/bin/env python3
"""Does protocheck's cost grow linearly with schema size?

Generates old/new schema pairs of 1x, 2x, 4x and 8x a base size (5,000 messages
by default, 50 per file), in which every file changed (a field added to every
message, and one breaking change per file), so nothing is skipped as unchanged.
Runs the release binary on each (median of --runs) and prints time and peak
memory per size, and per 1,000 messages.

Usage: bench/scaling.py [--base 5000] [--runs 3] [--protocheck target/release/protocheck]
"""
import argparse, statistics, subprocess, tempfile
from pathlib import Path

PER_FILE = 50


def message(f, i, breaking, new):
    ref = f"M{f}_{i - 1}" if i else "common.Money"
    fields = [
        f"string name = 1;",
        f"int64 id = 2;",
        f"repeated {ref} parts = 3;",
        f"map<string, int32> labels = 4;",
        f"Kind kind = 5;",
        f"oneof choice {{ string text = 6; bytes blob = 7; }}",
        f"double score = 8;" if not (breaking and new) else "float score = 8;",
    ]
    if new:
        fields.append("optional string note = 9;")
    body = "\n  ".join(fields)
    return (f"message M{f}_{i} {{\n  enum Kind {{ KIND_UNSPECIFIED = 0; KIND_A = 1; }}\n  {body}\n"
            f"  reserved 20 to 30;\n}}\n")


def write_tree(root: Path, files: int, new: bool):
    (root / "common").mkdir(parents=True, exist_ok=True)
    (root / "common/money.proto").write_text(
        'syntax = "proto3";\npackage common;\nmessage Money { int64 units = 1; int32 nanos = 2; }\n')
    for f in range(files):
        d = root / f"pkg{f % 20}"
        d.mkdir(exist_ok=True)
        msgs = "".join(message(f, i, breaking=(i == 0), new=new) for i in range(PER_FILE))
        svc = f"service S{f} {{\n  rpc Get(M{f}_0) returns (M{f}_1);\n}}\n"
        (d / f"f{f}.proto").write_text(
            f'syntax = "proto3";\npackage pkg{f % 20};\nimport "common/money.proto";\n{msgs}{svc}')


def run(pc, old, new, runs):
    times, mems = [], []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r") as t:
            r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, pc, str(old), str(new),
                                "--format", "json", "--no-config"], capture_output=True, text=True)
            assert r.returncode in (0, 1), r.stderr[:2000]
            secs, kib = t.read().split()[-2:]
        times.append(float(secs))
        mems.append(int(kib))
    return statistics.median(times), max(mems), r.stdout.count('"rule"')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=5000, help="messages at 1x")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--protocheck", default="target/release/protocheck")
    args = ap.parse_args()
    pc = str(Path(args.protocheck).resolve())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (1, 2, 4, 8):
            messages = args.base * scale
            files = messages // PER_FILE
            root = Path(tmp) / f"x{scale}"
            write_tree(root / "old", files, new=False)
            write_tree(root / "new", files, new=True)
            secs, kib, findings = run(pc, root / "old", root / "new", args.runs)
            rows.append((scale, messages, files, secs, kib, findings))
            print(f"{scale}x: {messages} messages, {files} files: {secs:.2f} s, "
                  f"{kib / 1024:.0f} MiB, {findings} findings", flush=True)
    print()
    print("| size | messages | files | wall time | peak memory | time per 1,000 messages |")
    print("|---|---|---|---|---|---|")
    for scale, messages, files, secs, kib, _ in rows:
        print(f"| {scale}x | {messages} | {files} | {secs:.2f} s | {kib / 1024:.0f} MiB | "
              f"{secs / messages * 1000 * 1000:.0f} ms |")
    per = [secs / messages for _, messages, _, secs, _, _ in rows]
    growth = per[-1] / per[0]
    print(f"\ntime per message at 8x / at 1x: {growth:.2f} "
          f"({'linear' if growth < 1.5 else 'NOT linear'}: under 1.5 counts as linear)")


main()

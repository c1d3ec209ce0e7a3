#!/usr/bin/env python3
"""Does protocheck's cost grow linearly with schema size?

Generates old/new schema pairs of 1x, 2x, 4x and 8x a base size (5,000 messages
by default, 50 per file), in which every file changed (a field added to every
message, and one breaking change per file), so nothing is skipped as unchanged.
Runs the release binary on each (median of --runs) and prints time and peak
memory per size, and per 1,000 messages; and buf breaking 1.75 on the same
trees in the same run (interleaved), with the ratios (target at 8x, issue 16:
at most 1/10 of buf's time and memory). --no-buf skips buf.

Usage: bench/scaling.py [--base 5000] [--runs 3] [--no-buf] [--protocheck target/release/protocheck]
"""
import argparse, json, os, statistics, subprocess, tempfile
from pathlib import Path

BASE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "protocheck-bench"

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


def run(pc, buf, old, new, runs):
    """protocheck's and (unless buf is None) buf's (median time, peak KiB, findings)."""
    cfg = json.dumps({"version": "v2", "breaking": {"use": ["FILE"]}})
    out = {"protocheck": [], "buf": []}
    found = {}
    for _ in range(runs):
        for tool in ("protocheck", "buf"):
            if tool == "buf" and buf is None:
                continue
            if tool == "buf":
                cmd, cwd = [str(buf), "breaking", ".", "--against", str(old), "--config", cfg,
                            "--error-format", "json"], new
            else:
                cmd, cwd = [pc, str(old), str(new), "--format", "json", "--no-config"], None
            with tempfile.NamedTemporaryFile("r") as t:
                r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, cwd=cwd,
                                   capture_output=True, text=True)
                assert r.returncode in ((0, 100) if tool == "buf" else (0, 1)), r.stderr[:2000]
                secs, kib = t.read().split()[-2:]
            out[tool].append((float(secs), int(kib)))
            found[tool] = (len(r.stdout.splitlines()) if tool == "buf"
                           else r.stdout.count('"rule"'))
    return {tool: (statistics.median(s for s, _ in v), max(k for _, k in v), found[tool])
            for tool, v in out.items() if v}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=5000, help="messages at 1x")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--protocheck", default="target/release/protocheck")
    ap.add_argument("--buf", default=BASE / "peers/node_modules/@bufbuild/buf-linux-x64/bin/buf")
    ap.add_argument("--no-buf", action="store_true")
    args = ap.parse_args()
    pc = str(Path(args.protocheck).resolve())
    buf = None if args.no_buf else args.buf
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (1, 2, 4, 8):
            messages = args.base * scale
            files = messages // PER_FILE
            root = Path(tmp) / f"x{scale}"
            write_tree(root / "old", files, new=False)
            write_tree(root / "new", files, new=True)
            res = run(pc, buf, root / "old", root / "new", args.runs)
            secs, kib, findings = res["protocheck"]
            rows.append((scale, messages, files, secs, kib, findings, res.get("buf")))
            b = res.get("buf")
            print(f"{scale}x: {messages} messages, {files} files: {secs:.2f} s, "
                  f"{kib / 1024:.0f} MiB, {findings} findings"
                  + (f"; buf {b[0]:.2f} s, {b[1] / 1024:.0f} MiB, {b[2]} findings" if b else ""),
                  flush=True)
    print()
    print("| size | messages | files | wall time | peak memory | time per 1,000 messages "
          "| buf breaking 1.75 | time ratio | memory ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scale, messages, files, secs, kib, _, b in rows:
        theirs = (f"{b[0]:.2f} s, {b[1] / 1024:,.0f} MiB | {b[0] / secs:.1f}x faster | "
                  f"{b[1] / kib:.1f}x less" if b else "— | | ")
        print(f"| {scale}x | {messages:,} | {files} | {secs:.2f} s | {kib / 1024:,.0f} MiB | "
              f"{secs / messages * 1000 * 1000:.0f} ms | {theirs} |")
    per = [secs / messages for _, messages, _, secs, _, _, _ in rows]
    growth = per[-1] / per[0]
    print(f"\ntime per message at 8x / at 1x: {growth:.2f} "
          f"({'linear' if growth < 1.5 else 'NOT linear'}: under 1.5 counts as linear)")
    last = rows[-1]
    if last[6]:
        b = last[6]
        met = b[0] / last[3] >= 10 and b[1] / last[4] >= 10
        print(f"at {last[0]}x: {b[0] / last[3]:.1f}x faster, {b[1] / last[4]:.1f}x less memory "
              f"than buf (targets 10x, 10x):", "met" if met else "NOT met")


main()

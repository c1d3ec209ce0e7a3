#!/usr/bin/env python3
"""protocheck vs buf breaking where every message changes: one finding each.

One file of N messages `message Mi { string a = 1; int64 b = 2; repeated
string c = 3; map<string,int32> d = 4; }`; the new version turns every
`int64 b` into `int32 b` (FIELD_SAME_TYPE, N findings), `--format json`.
For each N (default 5000 10000 20000 40000): wall time (median of --runs)
and peak memory (GNU time's max RSS) of both tools from the same run, their
ratio, and the number of findings of each. Then protocheck's 40k/5k time
ratio (linear in the findings: at most 9) and, at 20k, the shares of buf's
time and memory (targets: at most a fifth of each, issue 16).

Needs buf 1.75 (../shared/bench/setup.sh). Builds nothing: pass the release
binary (cargo build --release). --no-buf skips buf (protocheck's scaling only).

Usage: bench/many_findings.py [--runs N] [--sizes 5000 10000] [--protocheck target/release/protocheck]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

BASE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "protocheck-bench"


def timed(cmd, cwd=None):
    """Runs cmd under GNU time; returns (seconds, peak KiB, completed process)."""
    with tempfile.NamedTemporaryFile("r") as t:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd,
                           cwd=cwd, capture_output=True, text=True)
        secs, kib = t.read().split()[-2:]
    return float(secs), int(kib), r


def write_tree(root, n, b_type):
    path = root / "many.proto"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        f.write('syntax = "proto3";\npackage many;\n\n')
        for i in range(n):
            f.write(f"message M{i} {{ string a = 1; {b_type} b = 2; repeated string c = 3; "
                    f"map<string,int32> d = 4; }}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--buf", default=BASE / "peers/node_modules/@bufbuild/buf-linux-x64/bin/buf")
    ap.add_argument("--protocheck", default="target/release/protocheck")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    ap.add_argument("--no-buf", action="store_true")
    args = ap.parse_args()
    pc = str(Path(args.protocheck).resolve())
    cfg = json.dumps({"version": "v2", "breaking": {"use": ["FILE"]}})
    tools = ("protocheck",) if args.no_buf else ("buf", "protocheck")
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            old, new = Path(tmp) / f"{n}/old", Path(tmp) / f"{n}/new"
            write_tree(old, n, "int64")
            write_tree(new, n, "int32")
            for tool in tools:
                runs = []
                for _ in range(args.runs):
                    if tool == "buf":
                        secs, kib, r = timed([str(args.buf), "breaking", ".", "--against", str(old),
                                              "--config", cfg, "--error-format", "json"], cwd=new)
                        ok = r.returncode in (0, 100)
                        found = len(r.stdout.splitlines())
                    else:
                        secs, kib, r = timed([pc, str(old), str(new), "--format", "json", "--no-config"])
                        ok = r.returncode in (0, 1)
                        found = len(json.loads(r.stdout)["findings"]) if ok else 0
                    if not ok:
                        sys.exit(f"{tool} failed at {n}: {r.stderr[:2000]}")
                    runs.append((secs, kib))
                    print(f"{n:6} {tool:10} run: {secs:7.2f} s  {kib / 1024:8.0f} MiB  {found} findings",
                          flush=True)
                rows[(n, tool)] = (statistics.median(s for s, _ in runs), max(k for _, k in runs), found)

    print()
    print(f"| messages | protocheck (median of {args.runs}) | buf breaking 1.75 | time ratio | memory ratio |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        ps, pk, pf = rows[(n, "protocheck")]
        if (n, "buf") in rows:
            bs, bk, bf = rows[(n, "buf")]
            print(f"| {n:,} | {ps:.2f} s, {pk / 1024:.0f} MiB ({pf} findings) | {bs:.2f} s, {bk / 1024:.0f} MiB "
                  f"({bf} findings) | {bs / ps:.1f}x faster | {bk / pk:.1f}x less |")
        else:
            print(f"| {n:,} | {ps:.2f} s, {pk / 1024:.0f} MiB ({pf} findings) | — | | |")
    lo, hi = min(args.sizes), max(args.sizes)
    scale = rows[(hi, "protocheck")][0] / rows[(lo, "protocheck")][0]
    print(f"\nprotocheck {hi}/{lo} time ratio: {scale:.1f} (inputs x{hi / lo:.0f}; target for 40k/5k: <= 9)")
    if (20000, "buf") in rows and (20000, "protocheck") in rows:
        (bs, bk, _), (ps, pk, _) = rows[(20000, "buf")], rows[(20000, "protocheck")]
        met = bs / ps >= 5 and bk / pk >= 5
        print(f"at 20k: {bs / ps:.1f}x faster, {bk / pk:.1f}x less memory (targets 5x, 5x):",
              "met" if met else "NOT met")


main()

#!/usr/bin/env python3
"""protocheck vs buf breaking on the googleapis trees, side by side in one run.

Needs ../shared/bench/setup.sh to have installed the trees (google-proto-files
5.0.3 -> CORPUS/a, 6.0.1 -> CORPUS/b) and buf 1.75. Builds nothing: pass the
release binary (cargo build --release).

For each tool: wall time and peak memory (GNU time's max RSS) over --runs runs
(the median is reported), both sides from source, default level (FILE).
Then compares the findings by (rule, path, line) and prints the differences.
Runs are interleaved (buf, protocheck, any --also binaries, then again), so
that other work on the machine weighs on all of them alike.

--full passes --full to protocheck (every file compiled, none skipped as
unchanged). --also BIN (repeatable) runs other protocheck builds in the same
run (an older commit, say) and prints their time and memory too.

Targets (issue 16): default level, at most 1/50 of buf's time and 1/30 of its
memory; with --full, at most 1/10 of each; the same findings either way.

Usage: bench/googleapis.py [--runs N] [--full] [--also OTHER_BUILD]... [--protocheck target/release/protocheck]
"""
import argparse, collections, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

BASE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "protocheck-bench"


def timed(cmd, cwd=None):
    """Runs cmd under GNU time; returns (seconds, peak KiB, stdout)."""
    with tempfile.NamedTemporaryFile("r") as t:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd,
                           cwd=cwd, capture_output=True, text=True)
        secs, kib = t.read().split()[-2:]
    return float(secs), int(kib), r


def warm(*trees):
    """Reads every file of the trees, so that each tool starts with them in
    the page cache: buf takes 8 GB, and whatever ran after it otherwise read
    the trees back from disk (protocheck measured 1.3 s warm, 1.8 s so)."""
    for tree in trees:
        for path in Path(tree).rglob("*"):
            if path.is_file():
                path.read_bytes()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("CORPUS", BASE / "corpus"))
    ap.add_argument("--buf", default=BASE / "peers/node_modules/@bufbuild/buf-linux-x64/bin/buf")
    ap.add_argument("--protocheck", default="target/release/protocheck")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="pass --full to protocheck")
    ap.add_argument("--also", action="append", default=[], help="another protocheck build to time")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    old, new = corpus / "a", corpus / "b"
    pc = str(Path(args.protocheck).resolve())
    cfg = json.dumps({"version": "v2", "breaking": {"use": ["FILE"]}})

    full = ["--full"] if args.full else []
    tools = {"buf": None, "protocheck": pc}
    for other in args.also:
        tools[other] = str(Path(other).resolve())
    runs = {tool: [] for tool in tools}
    outputs = {}
    for _ in range(args.runs):
        for tool, binary in tools.items():
            warm(old, new)
            if tool == "buf":
                secs, kib, r = timed([str(args.buf), "breaking", ".", "--against", str(old),
                                      "--config", cfg, "--error-format", "json"], cwd=new)
                ok = r.returncode in (0, 100)
            else:
                secs, kib, r = timed([binary, str(old), str(new), "--format", "json", "--no-config"]
                                     + full)
                ok = r.returncode in (0, 1)
            if not ok:
                sys.exit(f"{tool} failed: {r.stderr[:2000]}")
            runs[tool].append((secs, kib))
            outputs.setdefault(tool, r.stdout)
            print(f"{tool:10} run: {secs:7.2f} s  {kib / 1024:8.0f} MiB", flush=True)
    results = {tool: (statistics.median(s for s, _ in v), max(k for _, k in v))
               for tool, v in runs.items()}

    # Multisets of (rule, path, line): deleted files have no path in buf's
    # output and no line in protocheck's, so they count by rule.
    buf_found = collections.Counter()
    for line in outputs["buf"].splitlines():
        a = json.loads(line)
        path = a.get("path", "")
        buf_found[(a["type"], path, a.get("start_line", 0) if path else 0)] += 1
    pc_found = collections.Counter()
    for f in json.loads(outputs["protocheck"])["findings"]:
        if f["severity"] != "error":
            continue
        pc_found[(f["rule"], f["file"] if f["line"] else "", f["line"] or 0)] += 1

    (bs, bk), (ps, pk) = results["buf"], results["protocheck"]
    print()
    print(f"| tool | wall time (median of {args.runs}) | peak memory | findings |")
    print("|---|---|---|---|")
    print(f"| buf breaking 1.75 | {bs:.2f} s | {bk / 1024:.0f} MiB | {sum(buf_found.values())} |")
    print(f"| protocheck | {ps:.2f} s | {pk / 1024:.0f} MiB | {sum(pc_found.values())} |")
    print(f"| ratio | {bs / ps:.1f}x faster | {bk / pk:.1f}x less | |")
    for other in args.also:
        os_, ok_ = results[other]
        print(f"| {other} | {os_:.2f} s | {ok_ / 1024:.0f} MiB | |")
    only_buf, only_pc = buf_found - pc_found, pc_found - buf_found
    print(f"\nfindings: {sum((buf_found & pc_found).values())} identical (rule, path, line); "
          f"{sum(only_buf.values())} only buf, {sum(only_pc.values())} only protocheck")
    for tag, items in (("only buf", only_buf), ("only protocheck", only_pc)):
        for (rule, path, line), n in sorted(items.items()):
            print(f"  {tag}: {rule} {path}:{line} x{n}")
    want = (10, 10) if args.full else (50, 30)
    print(f"time: {bs / ps:.1f}x faster (target {want[0]}x):", "met" if bs / ps >= want[0] else "NOT met")
    print(f"memory: {bk / pk:.1f}x less (target {want[1]}x):", "met" if bk / pk >= want[1] else "NOT met")
    print("findings: same" if not only_buf and not only_pc else "findings: DIFFERENT")


main()

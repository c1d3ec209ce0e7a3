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

It then checks the buf v2 workspace of tests/data/buf_workspace the same way: `old` committed on main in a
temporary git repository, `new` in its working tree, `buf breaking --against .git#branch=main` (with the dep as a
local module, buf having no network here) against `protocheck --against git:main -I dep`, with and without
--exclude-imports.

Usage: bench/parity.py [--buf PATH] [--protocheck PATH] [CASE...]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
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

def workspace_findings(buf, pc, exclude_imports):
    """buf's and protocheck's findings on the workspace fixture, as (rule, path, line)."""
    data = Path("tests/data/buf_workspace").resolve()
    pc = str(Path(pc).resolve())
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    out = []
    for tool in ("buf", "protocheck"):
        with tempfile.TemporaryDirectory() as tmp:
            def tree(side):
                for p in Path(tmp).iterdir():
                    if p.name != ".git":
                        shutil.rmtree(p) if p.is_dir() else p.unlink()
                shutil.copytree(data / side, tmp, dirs_exist_ok=True)
                if tool == "buf":
                    # buf has no network here: the dep becomes a module of the workspace.
                    shutil.copytree(data / "dep", Path(tmp) / "third_party/common")
                    y = Path(tmp) / "buf.yaml"
                    t = y.read_text().replace("deps:\n  - buf.build/acme/common\n", "")
                    y.write_text(t.replace("modules:\n", "modules:\n  - path: third_party/common\n", 1))
            subprocess.run(["git", "init", "-q", "-b", "main", tmp], check=True, env=env)
            tree("old")
            subprocess.run(["git", "-C", tmp, "add", "-A"], check=True, env=env)
            subprocess.run(["git", "-C", tmp, "commit", "-qm", "old"], check=True, env=env)
            tree("new")
            extra = ["--exclude-imports"] if exclude_imports else []
            found = set()
            if tool == "buf":
                r = subprocess.run([buf, "breaking", "--against", ".git#branch=main", "--error-format", "json"] + extra,
                                   capture_output=True, text=True, cwd=tmp, env=env)
                if r.returncode not in (0, 100):
                    raise SystemExit(f"buf failed on the workspace: {r.stderr}")
                for line in r.stdout.splitlines():
                    a = json.loads(line)
                    path = a.get("path", "")
                    found.add((a["type"], path, a.get("start_line", 0) if path else 0))
            else:
                r = subprocess.run([pc, "--against", "git:main", "-I", str(data / "dep"), "--format", "json"] + extra,
                                   capture_output=True, text=True, cwd=tmp, env=env)
                if r.returncode not in (0, 1):
                    raise SystemExit(f"protocheck failed on the workspace: {r.stderr}")
                for f in json.loads(r.stdout)["findings"]:
                    if f["severity"] != "error":
                        continue
                    found.add((f["rule"], f["path"], f["line"]) if f["line"] is not None else (f["rule"], "", 0))
            out.append(found)
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
    if not args.cases:
        for exclude in (False, True):
            b, p = workspace_findings(args.buf, args.protocheck, exclude)
            compared += 1
            for sign, items in (("-", b - p), ("+", p - b)):
                for rule, path, line in sorted(items):
                    failures += 1
                    print(f"workspace{' --exclude-imports' if exclude else ''}: {sign} {rule} {path}:{line}")
    print(f"{failures} unexplained differences from buf in {compared} comparisons")
    print(f"parity: {compared - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)

main()

#!/usr/bin/env bash
# Lays out the npm packages for one platform's binary: the platform package
# protocheck-cli-<os>-<cpu> (the binary, npm's os and cpu fields) and the
# launcher package protocheck-cli, both at Cargo.toml's version, under OUT.
#   npm/package.sh BINARY OS CPU OUT     (OS, CPU as node names them: linux x64)
set -euo pipefail
binary="$1" os="$2" cpu="$3" out="$4"
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/../Cargo.toml" | head -1)"
exe=protocheck
[ "$os" != win32 ] || exe=protocheck.exe
platform="$out/protocheck-cli-$os-$cpu"
rm -rf "$platform" "$out/protocheck-cli"
mkdir -p "$platform/bin"
cp "$binary" "$platform/bin/$exe"
chmod +x "$platform/bin/$exe"
cat > "$platform/package.json" <<JSON
{
  "name": "protocheck-cli-$os-$cpu",
  "version": "$version",
  "description": "The protocheck binary for $os-$cpu (installed by the protocheck-cli package).",
  "license": "MIT OR Apache-2.0",
  "repository": { "type": "git", "url": "git+https://github.com/protocheck/protocheck.git" },
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$exe"]
}
JSON
cp -r "$here/protocheck-cli" "$out/protocheck-cli"
cp "$here/../README.md" "$out/protocheck-cli/README.md"
# The launcher and its optional dependencies at this version.
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.version = process.argv[2];
  for (const dep of Object.keys(pkg.optionalDependencies)) pkg.optionalDependencies[dep] = process.argv[2];
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$out/protocheck-cli/package.json" "$version"

#!/usr/bin/env node
// Runs the protocheck binary of this platform's package (installed by npm as
// an optional dependency: only the one whose os and cpu match), with the
// same arguments, standard streams and exit code.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const pkg = `protocheck-cli-${process.platform}-${process.arch}`;
const exe = process.platform === "win32" ? "protocheck.exe" : "protocheck";
let binary;
try {
  binary = require.resolve(path.posix.join(pkg, "bin", exe));
} catch {
  console.error(
    `protocheck: no binary for ${process.platform}-${process.arch}: the package "${pkg}" is not installed ` +
      "(npm skips optional dependencies with --no-optional or --omit=optional); " +
      "the Python wheel (pip install protocheck-cli) or cargo can install protocheck instead"
  );
  process.exit(2);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`protocheck: cannot run ${binary}: ${result.error.message}`);
  process.exit(2);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 2);

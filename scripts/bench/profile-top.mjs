/**
 * Hot spots of V8 CPU profiles (written by BENCH_PROFILE=<dir>, i.e. node --cpu-prof on the runner).
 *   node scripts/bench/profile-top.mjs <dir or .cpuprofile> [top=25]
 * Prints self time and inclusive time per function, as a share of all samples, for each profile.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";

const [target = ".", topArg = "25"] = process.argv.slice(2);
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => join(target, name))
  : [target];

function where(frame) {
  const url = frame.url.replace(/^file:\/\//, "");
  const file = url ? relative(process.cwd(), url).replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "") : "";
  return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`.trim();
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (node.callFrame.functionName === "(idle)") continue;
    total += count;
    const name = where(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + count);
    // Each function once per sample, however deep the recursion.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frameName = where(byId.get(at).callFrame);
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      inclusive.set(frameName, (inclusive.get(frameName) ?? 0) + count);
    }
  }
  const ms = ((profile.endTime - profile.startTime) / 1000).toFixed(0);
  console.log(`\n${basename(file)}: ${total} busy samples over ${ms} ms`);
  const show = (title, table) => {
    console.log(`  ${title}`);
    const rows = [...table].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
    for (const [name, count] of rows) console.log(`  ${((100 * count) / total).toFixed(1).padStart(6)}%  ${name}`);
  };
  show("self time", self);
  show("inclusive time", inclusive);
}

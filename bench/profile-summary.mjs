/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time and the
 * share of time in a few named areas. Usage: node bench/profile-summary.mjs file.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const agg = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const f = n.callFrame;
  const file = f.url.replace(/^.*\/(node_modules\/[^/]+|src|bench)\//, '$1/');
  const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  agg.set(key, (agg.get(key) ?? 0) + us);
}
console.log(`total sampled ${(total / 1e6).toFixed(1)} s`);
for (const [k, us] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);

// self time by file (node internals grouped by module)
const byFile = new Map();
for (const [id, us] of self) {
  const f = byId.get(id).callFrame;
  const file = f.url === '' ? f.functionName : f.url.replace(/^.*\/(node_modules\/[^/]+)\/.*$/, '$1').replace(/^.*\/((src|bench)\/.*)$/, '$1');
  byFile.set(file, (byFile.get(file) ?? 0) + us);
}
console.log('\nself time by file:');
for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);

/**
 * Summarises a V8 heap snapshot (bench/probe-watch.ts writes one when BENCH_HEAP_SNAPSHOT is set):
 * self size and count by constructor, the top N. Usage: node bench/heap-summary.mjs file.heapsnapshot [N]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/heap-summary.mjs file.heapsnapshot [N]');
const snap = JSON.parse(readFileSync(file, 'utf8'));
const meta = snap.snapshot.meta;
const F = meta.node_fields.length;
const typeIdx = meta.node_fields.indexOf('type');
const nameIdx = meta.node_fields.indexOf('name');
const sizeIdx = meta.node_fields.indexOf('self_size');
const types = meta.node_types[typeIdx];
const by = new Map();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += F) {
  const type = types[snap.nodes[i + typeIdx]];
  const name = snap.strings[snap.nodes[i + nameIdx]];
  const size = snap.nodes[i + sizeIdx];
  total += size;
  const key = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${name}` : type;
  const e = by.get(key) ?? { count: 0, size: 0 };
  e.count++;
  e.size += size;
  by.set(key, e);
}
const top = [...by.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, Number(topArg ?? 40));
console.log(`total self size ${(total / 1048576).toFixed(1)} MB in ${snap.nodes.length / F} nodes`);
console.log('| constructor | count | MB | bytes/each |\n|---|---|---|---|');
for (const [k, e] of top) console.log(`| ${k.slice(0, 60)} | ${e.count} | ${(e.size / 1048576).toFixed(1)} | ${Math.round(e.size / e.count)} |`);

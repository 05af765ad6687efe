/**
 * Summarises a V8 heap snapshot (bench/probe-watch.ts writes one when BENCH_HEAP_SNAPSHOT is set):
 * self size and count by constructor (top N), and the retained size of every instance of a few
 * classes that matter for NetWatch's memory (issue 12 §1: per-actor state, timers, sockets,
 * buffered results, latest-result map), from the dominator tree (Cooper–Harvey–Kennedy).
 * Usage: node --max-old-space-size=4096 bench/heap-summary.mjs file.heapsnapshot [N] [Class,Class…]
 */
import { readFileSync } from 'node:fs';

const [file, topArg, classesArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/heap-summary.mjs file.heapsnapshot [N] [Class,…]');
const CLASSES = (classesArg ?? 'Actor,Timeout,Immediate,Socket,ResultBuffer,LatestResults,Map,Statement,Database,Promise,Array,Object').split(',');
const snap = JSON.parse(readFileSync(file, 'utf8'));
const meta = snap.snapshot.meta;
const F = meta.node_fields.length;
const E = meta.edge_fields.length;
const nf = (n) => meta.node_fields.indexOf(n);
const ef = (n) => meta.edge_fields.indexOf(n);
const [TYPE, NAME, SIZE, EDGES] = [nf('type'), nf('name'), nf('self_size'), nf('edge_count')];
const [ETYPE, ETO] = [ef('type'), ef('to_node')];
const nodeTypes = meta.node_types[TYPE];
const edgeTypes = meta.edge_types[ETYPE];
const WEAK = edgeTypes.indexOf('weak');
const SHORTCUT = edgeTypes.indexOf('shortcut');
const nodes = snap.nodes;
const edges = snap.edges;
const N = nodes.length / F;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) {
  firstEdge[i] = e;
  e += nodes[i * F + EDGES] * E;
  firstEdge[i + 1] = e;
}
const label = (i) => {
  const type = nodeTypes[nodes[i * F + TYPE]];
  const name = snap.strings[nodes[i * F + NAME]];
  return type === 'object' || type === 'closure' || type === 'native' ? `${type} ${name}` : type;
};

// self size by constructor
const by = new Map();
let total = 0;
for (let i = 0; i < N; i++) {
  const size = nodes[i * F + SIZE];
  total += size;
  const k = label(i);
  const e = by.get(k) ?? { count: 0, size: 0 };
  e.count++;
  e.size += size;
  by.set(k, e);
}
console.log(`total self size ${(total / 1048576).toFixed(1)} MB in ${N} nodes\n`);
console.log('| constructor (self size) | count | MB | bytes/each |\n|---|---|---|---|');
for (const [k, e] of [...by.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, Number(topArg ?? 25)))
  console.log(`| ${k.slice(0, 60)} | ${e.count} | ${(e.size / 1048576).toFixed(1)} | ${Math.round(e.size / e.count)} |`);

// dominators: reverse postorder from the root (node 0), strong edges only
const order = new Int32Array(N).fill(-1); // postorder index
const rpo = new Int32Array(N);
let count = 0;
{
  const stack = [0];
  const next = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  for (let i = 0; i < N; i++) next[i] = firstEdge[i];
  while (stack.length) {
    const v = stack[stack.length - 1];
    let pushed = false;
    while (next[v] < firstEdge[v + 1]) {
      const e = next[v];
      next[v] += E;
      const t = edges[e + ETYPE];
      if (t === WEAK || t === SHORTCUT) continue;
      const w = edges[e + ETO] / F;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      order[v] = count;
      rpo[count++] = v;
    }
  }
}
// predecessors (strong edges between reachable nodes)
const predCount = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) {
  if (order[v] < 0) continue;
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += E) {
    const t = edges[e + ETYPE];
    if (t === WEAK || t === SHORTCUT) continue;
    predCount[edges[e + ETO] / F + 1]++;
  }
}
for (let i = 0; i < N; i++) predCount[i + 1] += predCount[i];
const preds = new Uint32Array(predCount[N]);
const fill = predCount.slice();
for (let v = 0; v < N; v++) {
  if (order[v] < 0) continue;
  for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += E) {
    const t = edges[e + ETYPE];
    if (t === WEAK || t === SHORTCUT) continue;
    const w = edges[e + ETO] / F;
    preds[fill[w]++] = v;
  }
}
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (order[a] < order[b]) a = idom[a];
    while (order[b] < order[a]) b = idom[b];
  }
  return a;
};
for (let changed = true; changed;) {
  changed = false;
  for (let k = count - 2; k >= 0; k--) {
    const v = rpo[k];
    let d = -1;
    for (let p = predCount[v]; p < predCount[v + 1]; p++) {
      const u = preds[p];
      if (idom[u] < 0) continue;
      d = d < 0 ? u : intersect(u, d);
    }
    if (d >= 0 && idom[v] !== d) {
      idom[v] = d;
      changed = true;
    }
  }
}
// retained sizes: children before parents (postorder)
const retained = new Float64Array(N);
for (let k = 0; k < count; k++) {
  const v = rpo[k];
  retained[v] += nodes[v * F + SIZE];
  if (v !== 0) retained[idom[v]] += retained[v];
}
// per class: instances not dominated by another instance of the same class
console.log('\n| class (retained, outermost instances) | instances | retained MB |\n|---|---|---|');
for (const cls of CLASSES) {
  const key = `object ${cls}`;
  let n = 0;
  let size = 0;
  for (let v = 0; v < N; v++) {
    if (order[v] < 0 || label(v) !== key) continue;
    let d = idom[v];
    let nested = false;
    while (d !== 0) {
      if (label(d) === key) {
        nested = true;
        break;
      }
      d = idom[d];
    }
    if (nested) continue;
    n++;
    size += retained[v];
  }
  console.log(`| ${cls} | ${n} | ${(size / 1048576).toFixed(1)} |`);
}

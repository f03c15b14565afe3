/**
 * vpctwin benchmarks (`npm run bench`). Figures are reported as ratios against baselines measured in the
 * same run on the same machine:
 *   - load: loadSnapshot(dir) vs reading and JSON.parse of the same files;
 *   - trace: trace() latency (median, p99) vs a bare model lookup (addressHolders) of the same addresses.
 * Environment: BENCH_VPCS (1000), BENCH_ENIS (100000), BENCH_TRACES (2000), BENCH_ESTATE (reuse a folder).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exposure, loadSnapshot, trace } from '../dist/index.js';
import { generateEstate } from './estate.mjs';
import { benchFlowLogsInProcess } from './flowlogs.mjs';
import { benchWeb } from './web.mjs';

const VPCS = Number(process.env.BENCH_VPCS ?? 1000);
const ENIS = Number(process.env.BENCH_ENIS ?? 100000);
const TRACES = Number(process.env.BENCH_TRACES ?? 2000);

function jsonFiles(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') ? [p] : [];
  });
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function timeEach(n, fn) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn(i);
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b);
}

/** Trace latency on `requests` (cycled) against a lookup baseline of the same addresses. */
function benchTraces(model, requests, label) {
  let failed = 0;
  let reachable = 0;
  const run = (i) => {
    try {
      if (trace(model, requests[i % requests.length]).reachable) reachable++;
    } catch {
      failed++;
    }
  };
  for (let i = 0; i < Math.min(200, TRACES); i++) run(i); // warm-up
  failed = 0;
  reachable = 0;
  const t = timeEach(TRACES, run);
  const ips = requests.map((r) => r.to);
  const base = timeEach(TRACES, (i) => model.addressHolders(ips[i % ips.length]));
  const median = quantile(t, 0.5);
  const baseMedian = quantile(base, 0.5);
  return { label, traces: TRACES, medianMs: median, p99Ms: quantile(t, 0.99), baselineMedianMs: baseMedian, ratio: median / Math.max(baseMedian, 1e-6), reachable, failed };
}

function exampleRequests(dir) {
  const m = loadSnapshot(dir);
  const names = [...m.instances.values()].filter((i) => i.name).map((i) => i.name);
  const reqs = [];
  for (const a of names) {
    for (const b of names) if (a !== b) reqs.push({ from: a, to: b, protocol: 'tcp', port: 22 });
    reqs.push({ from: a, to: '198.51.100.77', protocol: 'tcp', port: 443 });
    reqs.push({ from: 'internet', to: a, protocol: 'tcp', port: 22 });
  }
  return { model: m, reqs };
}

const results = { date: new Date().toISOString(), node: process.version, vpcs: VPCS, enis: ENIS, examples: [], estate: {} };
const lines = [];

for (const name of readdirSync('examples').sort()) {
  const dir = join('examples', name);
  if (!statSync(dir).isDirectory()) continue;
  const { model, reqs } = exampleRequests(dir);
  if (reqs.length === 0) continue;
  const r = benchTraces(model, reqs, name);
  results.examples.push(r);
}

const own = !process.env.BENCH_ESTATE;
const estateDir = process.env.BENCH_ESTATE ?? mkdtempSync(join(tmpdir(), 'vpctwin-bench-'));
let samples;
{
  const s = performance.now();
  const g = generateEstate({ out: estateDir, vpcs: VPCS, enis: ENIS, seed: 42 });
  samples = g.samples;
  results.estate.generated = { vpcs: g.vpcs, enis: g.enis, ms: performance.now() - s };
}
const files = jsonFiles(estateDir);
const rssBefore = process.memoryUsage().rss;
let s = performance.now();
let bytes = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  bytes += text.length;
  JSON.parse(text);
}
const parseMs = performance.now() - s;
s = performance.now();
const model = loadSnapshot(estateDir);
const loadMs = performance.now() - s;
const rssAfter = process.memoryUsage().rss;
results.estate.load = { files: files.length, megabytes: bytes / 1e6, resources: model.resources.length, loadMs, baselineParseMs: parseMs, ratio: loadMs / parseMs, rssMegabytes: rssAfter / 1e6, rssGrowthMegabytes: (rssAfter - rssBefore) / 1e6, errors: model.issues.filter((i) => i.severity === 'error').length };
const estateReqs = [
  ...samples.sameVpc.map(([a, b]) => ({ from: a, to: b, protocol: 'tcp', port: 8080 })),
  ...samples.toInternet.map((a) => ({ from: a, to: '198.51.100.77', protocol: 'tcp', port: 443 })),
  ...samples.fromInternet.map((a) => ({ from: 'internet', to: a, protocol: 'tcp', port: 443 })),
];
results.estate.trace = benchTraces(model, estateReqs, `estate ${VPCS} VPCs / ${model.networkInterfaces.size} ENIs`);
{
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const found = exposure(model);
  results.estate.exposure = { findings: found.length, ms: performance.now() - t0, rssMegabytes: process.memoryUsage().rss / 1e6, rssGrowthMegabytes: (process.memoryUsage().rss - rss0) / 1e6 };
}
if (process.env.BENCH_WEB !== '0') {
  const s0 = samples.sameVpc[0];
  results.web = await benchWeb(model, loadSnapshot('examples/flowlogs-lab'), s0 ? { from: s0[0], to: s0[1], port: 8080 } : undefined);
}
const FLOW_RECORDS = Number(process.env.BENCH_FLOWLOG_RECORDS ?? 2000000);
if (FLOW_RECORDS > 0) results.flowLogs = benchFlowLogsInProcess(estateDir, FLOW_RECORDS);
if (own) rmSync(estateDir, { recursive: true, force: true });

const f = (x) => x.toFixed(3);
lines.push(`vpctwin bench — node ${process.version}, ${results.date}`);
lines.push('');
lines.push('trace latency (ms; baseline = one model.addressHolders lookup of the destination, same run)');
lines.push('snapshot'.padEnd(48) + 'median'.padStart(9) + 'p99'.padStart(9) + 'baseline'.padStart(10) + 'ratio'.padStart(9) + '  reachable/failed');
for (const r of [...results.examples, results.estate.trace])
  lines.push(r.label.padEnd(48) + f(r.medianMs).padStart(9) + f(r.p99Ms).padStart(9) + f(r.baselineMedianMs).padStart(10) + r.ratio.toFixed(0).padStart(9) + `  ${r.reachable}/${r.failed} of ${r.traces}`);
lines.push('');
const L = results.estate.load;
lines.push(`load: ${L.files} files, ${L.megabytes.toFixed(1)} MB, ${L.resources} resources, ${L.errors} errors`);
lines.push(`load ${(L.loadMs / 1000).toFixed(2)} s vs read+JSON.parse ${(L.baselineParseMs / 1000).toFixed(2)} s (ratio ${L.ratio.toFixed(2)}), RSS ${L.rssMegabytes.toFixed(0)} MB`);
if (results.estate.exposure) {
  const E = results.estate.exposure;
  lines.push(`exposure: ${E.findings} findings in ${(E.ms / 1000).toFixed(2)} s, RSS ${E.rssMegabytes.toFixed(0)} MB (the model already loaded)`);
}
if (results.web) {
  const W = results.web;
  lines.push('');
  if (W.skipped) lines.push(`web page: skipped (${W.skipped})`);
  else {
    lines.push(`web page, time to first render in Chromium: ${W.estate.vpcs} VPCs (${W.estate.nodes} nodes, ${W.estate.edges} edges, collapsed) ${(W.estate.firstRenderMs / 1000).toFixed(2)} s vs ${W.baseline.vpcs}-VPC example ${(W.baseline.firstRenderMs / 1000).toFixed(2)} s (ratio ${W.ratio.toFixed(2)})`);
    lines.push(`  expand one VPC ${(W.expandMs / 1000).toFixed(2)} s; trace from the form ${W.traceMs === undefined ? '-' : `${(W.traceMs / 1000).toFixed(2)} s`}`);
  }
}
if (results.flowLogs) {
  const F = results.flowLogs;
  lines.push('');
  const range = (a) => `${(Math.min(...a) / 1000).toFixed(2)}–${(Math.max(...a) / 1000).toFixed(2)} s`;
  lines.push(`flow logs: ${F.records} records, ${F.distinctFlows} distinct flows explained (${F.engine} engine), ${F.problems} malformed; medians of ${F.rounds} interleaved rounds`);
  lines.push(`read+explain ${(F.readExplainMs / 1000).toFixed(2)} s [${range(F.times.vpctwin)}] (${Math.round(F.recordsPerSecond)} records/s) vs DuckDB read_csv + GROUP BY without source port ${(F.duckdbMs / 1000).toFixed(2)} s [${range(F.times.plain)}], ${F.duckdbGroups} groups (ratio ${F.ratio.toFixed(2)})`);
  lines.push(`  vs DuckDB read_csv + GROUP BY the flows as written (with source port) ${(F.duckdbTupleMs / 1000).toFixed(2)} s [${range(F.times.tuple)}], ${F.duckdbTupleGroups} groups (ratio ${F.tupleRatio.toFixed(2)})`);
  lines.push(`  the same file gzip-compressed (as S3 delivers it): read+explain ${(F.gzipReadExplainMs / 1000).toFixed(2)} s [${range(F.times.vpctwinGzip)}] vs DuckDB's first baseline ${(F.gzipDuckdbMs / 1000).toFixed(2)} s [${range(F.times.plainGzip)}] (ratio ${F.gzipRatio.toFixed(2)})`);
}
lines.push('');
lines.push('reproduce: npm run bench   (sizes: BENCH_VPCS=1000 BENCH_ENIS=100000 BENCH_TRACES=2000 BENCH_FLOWLOG_RECORDS=2000000 BENCH_FLOWLOG_ROUNDS=7; BENCH_WEB=0 skips the browser)');
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/results.json', JSON.stringify(results, null, 2));

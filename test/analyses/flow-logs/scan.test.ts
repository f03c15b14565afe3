/**
 * The DuckDB engine of `scanAndExplain` folds records in SQL; the streaming engine explains them one by one.
 * Both must give the same flows: same keys, verdicts, counts, packets, bytes, port ranges and times.
 * DuckDB parses the numbers (typed CSV columns); the streaming reader checks the file's first 64 KB first.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanAndExplain } from '../../../src/analyses/flow-logs/scan.js';
import { tempDir } from '../../helpers/temp-snapshot.js';
import { ruleBoundaryModel } from './snapshot-spec.js';

const ENI = 'eni-0aa00000000000001';
const model = ruleBoundaryModel();

/** Random records on one interface: ports around every rule boundary, ephemeral ports, flags, NODATA. */
function randomLines(n: number, seed: number, withFlags: boolean): string[] {
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % k);
  const peers = ['10.0.1.20', '10.0.2.5', '203.0.113.9', '198.51.100.4'];
  const ports = [22, 53, 443, 600, 1023, 1024, 8000, 8100, 8101, 8999, 9000, 32767, 32768, 40000, 65535];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000 + rnd(5000);
    if (rnd(50) === 0) {
      lines.push(withFlags ? `2 123456789012 ${ENI} - - - - - - - ${t} ${t + 60} - NODATA -` : `2 123456789012 ${ENI} - - - - - - - ${t} ${t + 60} - NODATA`);
      continue;
    }
    const inbound = rnd(2) === 0;
    const peer = peers[rnd(peers.length)] as string;
    const p1 = rnd(3) === 0 ? (ports[rnd(ports.length)] as number) : 1024 + rnd(64500);
    const p2 = ports[rnd(ports.length)] as number;
    const [sport, dport] = rnd(2) === 0 ? [p1, p2] : [p2, p1];
    const proto = rnd(4) === 0 ? 17 : 6;
    const flags = [0, 2, 18, 3, 19, 1][rnd(6)] as number;
    const base = `2 123456789012 ${ENI} ${inbound ? peer : '10.0.1.10'} ${inbound ? '10.0.1.10' : peer} ${sport} ${dport} ${proto} ${1 + rnd(9)} ${100 + rnd(900)} ${t} ${t + rnd(60)} ${rnd(2) === 0 ? 'ACCEPT' : 'REJECT'} OK`;
    lines.push(withFlags ? `${base} ${proto === 6 ? flags : '-'}` : base);
  }
  return lines;
}

/** Records in a version-5 custom format: packet-level addresses, direction, type, traffic path, encryption status. */
function v5Lines(n: number, seed: number): string[] {
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % k);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000 + rnd(5000);
    const ingress = rnd(2) === 0;
    const peer = ['10.0.1.20', '203.0.113.9', '198.51.100.4'][rnd(3)] as string;
    const service = [22, 443, 8050, 8500][rnd(4)] as number;
    const eph = 1024 + rnd(64000);
    const [src, dst, sport, dport] = ingress ? [peer, '10.0.1.10', eph, service] : ['10.0.1.10', peer, eph, service];
    lines.push(
      `5 ${ENI} ${src} ${dst} ${src} ${dst} ${sport} ${dport} 6 ${1 + rnd(9)} ${100 + rnd(900)} ${t} ${t + 30} ${rnd(3) === 0 ? 'REJECT' : 'ACCEPT'} OK ${ingress ? 'ingress' : 'egress'} IPv4 ${ingress ? '-' : 1 + rnd(8)} ${rnd(4)}`,
    );
  }
  return lines;
}
const V5_HEADER = 'version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction type traffic-path encryption-status';

/** A file of `lines` after `padding` clean records: far enough in to be past the head the reader checks (64 KB). */
function deepFile(dir: string, name: string, lines: readonly string[], padding = 3000): string {
  const file = join(dir, name);
  writeFileSync(file, `${[...randomLines(padding, 17, false), ...lines].join('\n')}\n`);
  return file;
}

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/**
 * What must agree between the engines. The example port of a flow (`srcport`/`dstport`, and the port quoted
 * in its reason, e.g. "no inbound rule for udp 40000") is one record of the flow, the first the engine met:
 * file order when streaming, any record of the group in DuckDB. Every port of a flow gets the same verdict.
 */
const comparable = (flows: Awaited<ReturnType<typeof scanAndExplain>>['flows']) =>
  JSON.parse(JSON.stringify(flows.map(({ srcport: _s, dstport: _d, ...f }) => f)).replace(/\b(tcp|udp) \d+/g, '$1 N'));

describe('scanAndExplain: the DuckDB engine agrees with the streaming engine', () => {
  it.each([
    ['default format, no header', false, false, false],
    ['S3 header with tcp-flags, gzip', true, true, true],
  ])('%s', async (_name, header, flags, gzip) => {
    const dir = tempDir('scan');
    const lines = randomLines(4000, 11, flags);
    const text = `${[...(header ? [`${HEADER}${flags ? ' tcp-flags' : ''}`] : []), ...lines].join('\n')}\n`;
    const file = join(dir, gzip ? 'a.log.gz' : 'a.log');
    writeFileSync(file, gzip ? gzipSync(text) : text);
    const fast = await scanAndExplain(model, file);
    const slow = await scanAndExplain(model, file, { engine: 'stream' });
    expect(fast.records).toBe(4000);
    expect(slow.records).toBe(4000);
    expect(fast.problems).toEqual([]);
    expect(fast.inputs[0]?.kind).toBe(gzip ? 'gzip' : 'text');
    expect(fast.inputs[0]?.engine).toBe('duckdb');
    expect(slow.inputs[0]?.engine).toBeUndefined();
    // Thousands of random ephemeral ports fold into few flows, identically in both engines.
    expect(fast.flows.length).toBeLessThan(400);
    expect(comparable(fast.flows)).toEqual(comparable(slow.flows));
  });

  it('reports how far DuckDB has scanned a file, ending at 1', async () => {
    const dir = tempDir('scan');
    const file = join(dir, 'p.log');
    writeFileSync(file, `${randomLines(20000, 3, false).join('\n')}\n`);
    const seen: number[] = [];
    const r = await scanAndExplain(model, file, { onScanProgress: (f, x) => (expect(f).toBe(file), seen.push(x)), progressMs: 5 });
    expect(r.inputs[0]?.engine).toBe('duckdb');
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((x, i) => x >= 0 && x <= 1 && (i === 0 || x >= (seen[i - 1] as number)))).toBe(true);
  });

  it('a file with a malformed line is read by the streaming engine, which names the line; nothing is dropped', async () => {
    const dir = tempDir('scan');
    const lines = randomLines(50, 5, false);
    lines.splice(10, 0, `2 123456789012 ${ENI} 10.0.1.10 10.0.2.5 notaport 443 6 1 100 1700000000 1700000001 ACCEPT OK`);
    lines.splice(20, 0, `2 123456789012 ${ENI} 10.0.1.10 10.0.2.5 40000 443 6 1 100 1700000000`);
    const file = join(dir, 'bad.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await scanAndExplain(model, file);
    expect(r.records).toBe(50);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([
      ['bad-value', 11],
      ['field-count', 21],
    ]);
    const slow = await scanAndExplain(model, file, { engine: 'stream' });
    expect(comparable(r.flows)).toEqual(comparable(slow.flows));
  });

  it('a custom format (packet addresses, direction, type, traffic path, encryption status): both engines agree', async () => {
    const dir = tempDir('scan');
    const file = join(dir, 'v5.log');
    writeFileSync(file, `${[V5_HEADER, ...v5Lines(3000, 23)].join('\n')}\n`);
    const fast = await scanAndExplain(model, file);
    const slow = await scanAndExplain(model, file, { engine: 'stream' });
    expect(fast.inputs[0]?.engine).toBe('duckdb');
    expect(fast.records).toBe(3000);
    expect(fast.flows.every((f) => f.direction !== 'unknown')).toBe(true);
    expect(comparable(fast.flows)).toEqual(comparable(slow.flows));
  });

  it('millisecond timestamps (the reader reads them as seconds) are left to the streaming engine', async () => {
    const dir = tempDir('scan');
    const file = deepFile(dir, 'ms.log', [`2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 8080 6 1 100 1800000000000 1800000001000 ACCEPT OK`]);
    const r = await scanAndExplain(model, file);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(r.flows.find((f) => f.srcaddr === '10.0.2.5' && f.lastEnd === 1800000001)?.firstStart).toBe(1800000000);
  });

  it.each([
    ['version 300', (l: string) => l.replace(/^2 /, '300 ')],
    ['start and end past 2^32 seconds (the year 2106)', (l: string) => l.replace('1700000000 1700000001', '4294967296 4294967300')],
  ])('past the head, a whole number wider than DuckDB reads it (%s) sends the file to the streaming engine, which reads it', async (_name, widen) => {
    const dir = tempDir('scan');
    const line = `2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 443 6 1 100 1700000000 1700000001 ACCEPT OK`;
    const file = deepFile(dir, 'wide.log', [widen(line)]);
    const r = await scanAndExplain(model, file);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(r.records).toBe(3001);
    const same = await scanAndExplain(model, file, { engine: 'stream' });
    expect(comparable(r.flows)).toEqual(comparable(same.flows));
  });

  it('a value that is not a number past the checked head fails the DuckDB scan: the streaming engine names its line', async () => {
    const dir = tempDir('scan');
    const file = deepFile(dir, 'deep.log', [`2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 notaport 6 1 100 1700000000 1700000001 ACCEPT OK`, `2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 70000 6 1 100 1700000000 1700000001 ACCEPT OK`]);
    const r = await scanAndExplain(model, file);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.records).toBe(3000);
    expect(r.problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ['bad-value', 3001, 'dstport is "notaport": not a whole number'],
      ['bad-value', 3002, 'dstport is "70000": above 65535'],
    ]);
    // A field the explanation does not use (version) is checked too: DuckDB parses only the columns a query reads.
    const version = await scanAndExplain(model, deepFile(dir, 'version.log', [`2x 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 443 6 1 100 1700000000 1700000001 ACCEPT OK`]));
    expect(version.inputs[0]?.engine).toBeUndefined();
    expect(version.problems.map((p) => [p.code, p.line])).toEqual([['bad-value', 3001]]);
  });

  it.each([
    ['encryption-status 7 (above its bound, 3)', (l: string) => l.replace(/ \d$/, ' 7')],
    ['traffic-path x (a field the explanation does not read)', (l: string) => l.replace(/ (\S+) (\d)$/, ' x $2')],
  ])('past the head, %s fails the DuckDB scan', async (_name, spoil) => {
    const dir = tempDir('scan');
    const file = join(dir, 'v5bad.log');
    const lines = v5Lines(3000, 29);
    lines.push(spoil(lines[0] as string));
    writeFileSync(file, `${[V5_HEADER, ...lines].join('\n')}\n`);
    const r = await scanAndExplain(model, file);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['bad-value', 3002]]);
  });

  it('a number in a notation AWS never writes (5.0) in the head: the streaming engine reports the line', async () => {
    const dir = tempDir('scan');
    const lines = randomLines(100, 31, false);
    lines.splice(5, 0, `2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 8080 6 5.0 100 1700000000 1700000001 ACCEPT OK`);
    const file = join(dir, 'float.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await scanAndExplain(model, file);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect(r.problems.map((p) => [p.code, p.line, p.message])).toEqual([['bad-value', 6, 'packets is "5.0": not a whole number']]);
  });

  it('past the head, DuckDB reads such a notation as the number it denotes (the documented difference)', async () => {
    const dir = tempDir('scan');
    // 12 packets written as +12 and 1.2e1, 8,000 bytes as 0x1F40: DuckDB's reader takes them as 12, 12 and 8000.
    const file = deepFile(dir, 'notation.log', [`2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40000 8080 6 +12 0x1F40 1800000000 1800000001 ACCEPT OK`, `2 123456789012 ${ENI} 10.0.2.5 10.0.1.10 40001 8080 6 1.2e1 8000 1800000000 1800000001 ACCEPT OK`]);
    const fast = await scanAndExplain(model, file);
    const slow = await scanAndExplain(model, file, { engine: 'stream' });
    expect(fast.inputs[0]?.engine).toBe('duckdb');
    expect(fast.records).toBe(3002);
    const flow = (r: typeof fast) => r.flows.find((f) => f.srcaddr === '10.0.2.5' && f.lastEnd === 1800000001);
    expect([flow(fast)?.count, flow(fast)?.packets, flow(fast)?.bytes]).toEqual([2, 24, 16000]);
    // The streaming engine checks every value and reports both lines instead.
    expect(slow.records).toBe(3000);
    expect(slow.problems.map((p) => p.line)).toEqual([3001, 3002]);
    expect(flow(slow)).toBeUndefined();
  });

  it('a pipe (`<(…)`) is left to the streaming engine, which reads it once from its first byte', async () => {
    const fifo = join(tempDir('scan'), 'pipe');
    execFileSync('mkfifo', [fifo]);
    createWriteStream(fifo).end(gzipSync(`${randomLines(500, 37, false).join('\n')}\n`));
    const r = await scanAndExplain(model, fifo);
    expect(r.inputs[0]?.engine).toBeUndefined();
    expect([r.records, r.problems.length]).toEqual([500, 0]);
  });
});

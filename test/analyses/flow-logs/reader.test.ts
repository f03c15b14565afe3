/**
 * The flow-log reader: every format (default, custom of any version, any subset and order), the special
 * values, the S3 header, gzip (and a truncated one), CloudWatch exports, Parquet, the S3 and Hive folder
 * layouts, malformed lines reported with line numbers (shared/docs/vpc-flow-logs.md §1).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, FIELDS, formatString, formatVersion, isHeaderLine, parseFormat } from '../../../src/analyses/flow-logs/fields.js';
import { expandFlowLogInputs } from '../../../src/analyses/flow-logs/files.js';
import { defaultsFromPath, parseFlowLogLines, readFlowLogFile, streamFlowLogFile, type FlowLogRecord, type ReadProblem } from '../../../src/analyses/flow-logs/reader.js';
import { tempDir } from '../../helpers/temp-snapshot.js';

/** A plausible value for every field (no spaces), by field name. */
const SAMPLE: Record<string, string> = {
  version: '11', 'account-id': '123456789012', 'interface-id': 'eni-0a1b2c3d4e5f60718', srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', srcport: '49152', dstport: '443', protocol: '6',
  packets: '12', bytes: '3400', start: '1700000000', end: '1700000060', action: 'ACCEPT', 'log-status': 'OK', 'vpc-id': 'vpc-0a1b2c3d4e5f60718', 'subnet-id': 'subnet-0a1b2c3d4e5f60718',
  'instance-id': 'i-0a1b2c3d4e5f60718', 'tcp-flags': '19', type: 'IPv4', 'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '10.0.2.9', region: 'eu-west-1', 'az-id': 'euw1-az1', 'sublocation-type': 'outpost',
  'sublocation-id': 'op-0a1b2c3d4e5f60718', 'pkt-src-aws-service': 'AMAZON', 'pkt-dst-aws-service': 'S3', 'flow-direction': 'egress', 'traffic-path': '8',
  'ecs-cluster-arn': 'arn:aws:ecs:eu-west-1:123456789012:cluster/web', 'ecs-cluster-name': 'web', 'ecs-container-instance-arn': 'arn:aws:ecs:eu-west-1:123456789012:container-instance/web/abc',
  'ecs-container-instance-id': 'abc', 'ecs-container-id': '0123abcd', 'ecs-second-container-id': '4567ef01', 'ecs-service-name': 'front', 'ecs-task-definition-arn': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/front:3',
  'ecs-task-arn': 'arn:aws:ecs:eu-west-1:123456789012:task/web/0f1e', 'ecs-task-id': '0f1e', 'reject-reason': 'BPA', 'resource-id': 'nat-0a1b2c3d4e5f60718', 'encryption-status': '1',
  'instance-tag': 'web%20server', 'instance-tag-2': 'prod', 'interface-tag': 'eth0', 'interface-tag-2': '-', 'asg-tag': 'web-asg', 'asg-tag-2': 'blue', 'interface-type': 'nat_gateway',
  'next-hop-interface-id': 'eni-0f1e2d3c4b5a69788', 'next-hop-subnet-id': 'subnet-0f1e2d3c4b5a69788', 'next-hop-az-id': 'euw1-az2', 'next-hop-vpc-id': 'vpc-0a1b2c3d4e5f60718', 'next-hop-interface-type': 'transit_gateway',
};

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('formats', () => {
  it('knows every field of versions 2 to 11 with its version', () => {
    expect(FIELDS).toHaveLength(54);
    expect(Object.keys(SAMPLE).sort()).toEqual(FIELDS.map((f) => f.name).sort());
    expect(formatVersion([...DEFAULT_FIELDS])).toBe(2);
    expect(formatVersion(['srcaddr', 'pkt-srcaddr', 'region'])).toBe(4);
    expect(formatVersion(['flow-direction', 'ecs-task-id'])).toBe(7);
    expect(formatVersion(['reject-reason'])).toBe(8);
    expect(parseFormat('${version} ${account-id}')).toEqual(['version', 'account-id']);
    expect(parseFormat('version account-id')).toEqual(['version', 'account-id']);
    expect(parseFormat('${version} $bad')).toBeUndefined();
    expect(isHeaderLine(['eni-0a1b2c3d4e5f60718', 'ingress'])).toBe(false);
    expect(isHeaderLine(['interface-id', 'flow-direction'])).toBe(true);
  });

  it('any subset of fields in any order, given by header or by --format, parses to the same values (property)', () => {
    const rnd = prng(11);
    const names = FIELDS.map((f) => f.name);
    for (let round = 0; round < 200; round++) {
      const shuffled = [...names].sort(() => rnd() - 0.5);
      const subset = shuffled.slice(0, 1 + Math.floor(rnd() * names.length));
      const line = subset.map((f) => SAMPLE[f]).join(' ');
      const expected = Object.fromEntries(subset.map((f) => [f, SAMPLE[f] === '-' ? undefined : SAMPLE[f]]));
      const byHeader = parseFlowLogLines([subset.join(' '), line], 'h.log');
      expect(byHeader.problems.filter((p) => p.severity === 'error'), subset.join(' ')).toEqual([]);
      expect(byHeader.records, subset.join(' ')).toEqual([expected]);
      const byOption = parseFlowLogLines([line], 'o.log', formatString(subset));
      expect(byOption.records).toEqual([expected]);
    }
  });

  it('the default format without a header; - is missing in every column; NODATA and SKIPDATA are records', () => {
    const r = parseFlowLogLines(['2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 - - 6 - - 1700000000 1700000060 ACCEPT OK', '2 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - SKIPDATA'], 'd.log');
    expect(r.fields).toEqual([...DEFAULT_FIELDS]);
    expect(r.problems).toEqual([]);
    expect(r.records[0]).toMatchObject({ srcport: undefined, dstport: undefined, packets: undefined, protocol: '6' });
    expect(r.records[1]).toMatchObject({ 'log-status': 'SKIPDATA', action: undefined, start: '1700000000' });
  });

  it('--format overrides the header (a differing header is a warning with its line); a later header switches the format', () => {
    const r = parseFlowLogLines(['version interface-id action', 'eni-1 10.0.0.1 ACCEPT'], 'x.log', '${interface-id} ${srcaddr} ${action}');
    expect(r.problems).toEqual([{ code: 'header-mismatch', severity: 'warning', file: 'x.log', line: 1, message: 'the header line (version interface-id action) differs from the given format: the given format is used' }]);
    expect(r.records).toEqual([{ 'interface-id': 'eni-1', srcaddr: '10.0.0.1', action: 'ACCEPT' }]);
    const switched = parseFlowLogLines(['interface-id action', 'eni-1 ACCEPT', 'version interface-id srcaddr', '3 eni-2 10.0.0.1'], 'cat.log');
    expect(switched.records).toEqual([{ 'interface-id': 'eni-1', action: 'ACCEPT' }, { version: '3', 'interface-id': 'eni-2', srcaddr: '10.0.0.1' }]);
  });

  it('millisecond start and end become seconds', () => {
    const r = parseFlowLogLines(['2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000123 1700000060999 ACCEPT OK'], 'ms.log');
    expect(r.records[0]).toMatchObject({ start: '1700000000', end: '1700000060' });
  });
});

describe('malformed lines and unknown fields', () => {
  it('are reported with their line numbers and skipped; the rest is read', () => {
    const r = parseFlowLogLines(
      [
        'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status future-field',
        '2 123456789012 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK abc',
        'garbage line',
        '2 123456789012 eni-1 172.31.9.69 172.31.9.12 49761 x 6 20 4249 1418530010 1418530070 REJECT OK abc',
        '2 123456789012 eni-1 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 MAYBE OK abc',
        '2 123456789012 eni-1 172.31.9.69 not-an-ip 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK abc',
        '2 123456789012 eni-1 172.31.9.69 172.31.9.12 49761 70000 6 20 4249 1418530010 1418530070 REJECT OK abc',
        '',
        '2 123456789012 eni-1 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK def',
      ],
      'x.log',
    );
    expect(r.records.map((x) => [x.dstport, x['future-field']])).toEqual([
      ['22', 'abc'],
      ['3389', 'def'],
    ]);
    expect(r.unknownFields).toEqual(['future-field']);
    expect(r.problems).toEqual([
      { code: 'unknown-field', severity: 'warning', file: 'x.log', line: 1, message: 'the format names field AWS does not document: future-field (read as text)' },
      { code: 'field-count', severity: 'error', file: 'x.log', line: 3, message: 'expected 15 values (the header), found 2' },
      { code: 'bad-value', severity: 'error', file: 'x.log', line: 4, message: 'dstport is "x": not a whole number' },
      { code: 'bad-value', severity: 'error', file: 'x.log', line: 5, message: 'action is "MAYBE": not ACCEPT, REJECT or -' },
      { code: 'bad-value', severity: 'error', file: 'x.log', line: 6, message: 'dstaddr is "not-an-ip": not an IP address' },
      { code: 'bad-value', severity: 'error', file: 'x.log', line: 7, message: 'dstport is "70000": above 65535' },
    ]);
  });

  it('a file that is not in the default format and has no header says so once', () => {
    const r = parseFlowLogLines(['eni-1 ACCEPT', 'eni-2 REJECT'], 'nohdr.log');
    expect(r.problems.map((p) => p.message)).toEqual([
      'expected 14 values (the default format), found 2 (the file has no header line and this is not the default format: give the format with --format)',
      'expected 14 values (the default format), found 2',
    ]);
  });
});

describe('files', () => {
  const line = (i: number) => `2 123456789012 eni-0a1b2c3d4e5f60718 10.0.${i % 250}.1 10.0.0.2 ${1024 + (i % 60000)} 443 6 1 40 1700000000 1700000060 ACCEPT OK`;

  it('gzip is recognised by its bytes, whatever the name', async () => {
    const dir = tempDir('flowlogs');
    const text = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status', ...Array.from({ length: 2000 }, (_, i) => line(i))].join('\n');
    writeFileSync(join(dir, 'ok.log.gz'), gzipSync(Buffer.from(text)));
    writeFileSync(join(dir, 'no-extension'), gzipSync(Buffer.from(text)));
    for (const f of ['ok.log.gz', 'no-extension']) {
      const r = await readFlowLogFile(join(dir, f));
      expect(r.records, f).toHaveLength(2000);
      expect(r.problems).toEqual([]);
    }
  });

  it('a truncated gzip keeps the records before the cut and says at which line it ended', async () => {
    const dir = tempDir('flowlogs');
    const text = Array.from({ length: 20000 }, (_, i) => line(i)).join('\n');
    const gz = gzipSync(Buffer.from(text));
    const file = join(dir, 'cut.log.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await readFlowLogFile(file);
    expect(r.records.length).toBeGreaterThan(1000);
    expect(r.records.length).toBeLessThan(20000);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0] as ReadProblem;
    expect(p).toMatchObject({ code: 'truncated', severity: 'error', file, line: r.lines + 1 });
    expect(p.message).toBe(`the gzip data ends early (unexpected end of file) at line ${r.lines + 1}: the ${r.records.length} records of lines 1-${r.lines} were read; line ${r.lines + 1} (cut short) and anything after it are missing`);
  });

  it('a corrupt gzip says so, with the line reached', async () => {
    const file = join(tempDir('flowlogs'), 'bad.log.gz');
    const gz = gzipSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => line(i)).join('\n')));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] = 0xff;
    writeFileSync(file, gz);
    const r = await readFlowLogFile(file);
    // The damaged stretch decompresses to garbage (malformed lines), then the CRC check fails at the end.
    expect(r.problems.slice(0, -1).every((p) => p.code === 'field-count' || p.code === 'bad-value')).toBe(true);
    expect(r.problems.at(-1)).toMatchObject({ code: 'corrupt', line: r.lines + 1 });
    expect(r.problems.at(-1)?.message).toMatch(/^the gzip data is corrupt \(incorrect data check\), detected at line \d+: \d+ records were read before it/);
    expect(r.records.length).toBeGreaterThan(5000);
  });

  it('streams: records arrive while the file is read, with progress every N records', async () => {
    const dir = tempDir('flowlogs');
    const file = join(dir, 'big.log');
    writeFileSync(file, Array.from({ length: 50000 }, (_, i) => line(i)).join('\n'));
    const progress: number[] = [];
    let n = 0;
    const s = await streamFlowLogFile(file, { onRecord: () => n++, onProgress: (k) => progress.push(k), progressEvery: 10000 });
    expect(n).toBe(50000);
    expect(progress).toEqual([10000, 20000, 30000, 40000, 50000]);
    expect(s).toMatchObject({ kind: 'text', records: 50000, malformed: 0, truncated: false, formatSource: 'default' });
  });
});

describe('CloudWatch Logs exports', () => {
  const msg = (eni: string, dport: number) => `2 123456789012 ${eni} 10.0.0.1 10.0.0.2 40000 ${dport} 6 1 40 1700000000 1700000060 ACCEPT OK`;

  it('JSON lines of {timestamp, message}; a line without a message is reported', () => {
    const r = parseFlowLogLines([JSON.stringify({ timestamp: 1, message: msg('eni-1', 22) }), '{"timestamp": 2}', JSON.stringify({ timestamp: 3, message: msg('eni-1', 80), ingestionTime: 4 })], 'cw.jsonl');
    expect(r.records.map((x) => x.dstport)).toEqual(['22', '80']);
    expect(r.problems).toEqual([{ code: 'bad-json', severity: 'error', file: 'cw.jsonl', line: 2, message: 'a JSON value without a string "message"' }]);
  });

  it('aws logs get-log-events output (a pretty-printed document) and filter-log-events (stream names per event)', () => {
    const doc = JSON.stringify({ events: [{ timestamp: 1, message: msg('eni-1', 22), ingestionTime: 2 }, { timestamp: 3, message: msg('eni-1', 443), ingestionTime: 4 }], nextForwardToken: 'f/1' }, null, 2);
    expect(parseFlowLogLines(doc.split('\n'), 'get.json').records.map((x) => x.dstport)).toEqual(['22', '443']);
    // A custom format without interface-id: the stream name (eni-…-all) supplies it.
    const filtered = JSON.stringify({ events: [{ logStreamName: 'eni-0aaaaaaaaaaaaaaa1-all', timestamp: 1, message: '10.0.0.1 10.0.0.2 ACCEPT' }, { logStreamName: 'eni-0bbbbbbbbbbbbbbb2-all', timestamp: 1, message: '10.0.0.3 10.0.0.4 REJECT' }] });
    const r = parseFlowLogLines([filtered], 'filter.json', '${srcaddr} ${dstaddr} ${action}');
    expect(r.records).toEqual([
      { srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'ACCEPT', 'interface-id': 'eni-0aaaaaaaaaaaaaaa1' },
      { srcaddr: '10.0.0.3', dstaddr: '10.0.0.4', action: 'REJECT', 'interface-id': 'eni-0bbbbbbbbbbbbbbb2' },
    ]);
  });

  it('subscription payloads, concatenated without newlines as Firehose writes them (gzip); CONTROL_MESSAGE skipped', async () => {
    const payload = (stream: string, dports: number[]) => JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: 'flowlogs', logStream: stream, subscriptionFilters: ['f'], logEvents: dports.map((d, i) => ({ id: String(i), timestamp: 1, message: msg('eni-1', d) })) });
    const control = JSON.stringify({ messageType: 'CONTROL_MESSAGE', logEvents: [{ id: '', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] });
    const file = join(tempDir('flowlogs'), 'firehose-object');
    writeFileSync(file, gzipSync(Buffer.from(control + payload('eni-1-all', [22, 80]) + payload('eni-1-all', [443]))));
    const r = await readFlowLogFile(file);
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => x.dstport)).toEqual(['22', '80', '443']);
  });

  it('an export task to S3: `<ISO time> <message>` lines', () => {
    const r = parseFlowLogLines([`2023-11-14T22:13:20.000Z ${msg('eni-1', 22)}`, `2023-11-14T22:14:20.000Z ${msg('eni-1', 23)}`], '000000');
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => x.dstport)).toEqual(['22', '23']);
  });

  it('a stream saved as a file named after its interface supplies interface-id', async () => {
    const file = join(tempDir('flowlogs'), 'eni-0c19436730cc350ae-all');
    writeFileSync(file, '10.0.0.1 10.0.0.2 ACCEPT\n');
    const r = await readFlowLogFile(file, '${srcaddr} ${dstaddr} ${action}');
    expect(r.records).toEqual([{ srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'ACCEPT', 'interface-id': 'eni-0c19436730cc350ae' }]);
  });
});

describe('S3 layouts and Parquet', () => {
  it('expands the S3 and Hive-partitioned layouts, learns account and Region from the key, reads Parquet columns with _', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const root = tempDir('flowlogs');
    const s3 = join(root, 'bucket/prefix/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/22');
    const hive = join(root, 'hive/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=22/hour=10');
    mkdirSync(s3, { recursive: true });
    mkdirSync(hive, { recursive: true });
    writeFileSync(join(s3, '123456789012_vpcflowlogs_us-east-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_abc.log.gz'), gzipSync(Buffer.from('interface-id srcaddr dstaddr action\neni-1 10.0.0.1 10.0.0.2 REJECT\n')));
    writeFileSync(join(s3, 'README.md'), 'not a log');
    writeFileSync(join(s3, '.hidden.log'), 'not a log');
    const parquet = join(hive, '123456789012_vpcflowlogs_eu-west-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_def.log.parquet');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(
      `COPY (SELECT 5 AS version, '123456789012' AS account_id, 'eni-2' AS interface_id, '10.0.0.3' AS srcaddr, '10.0.0.4' AS dstaddr, 40000 AS srcport, 22 AS dstport, 6 AS protocol, 5::BIGINT AS packets, 300::BIGINT AS bytes, 1700000000::BIGINT AS start, 1700000060::BIGINT AS "end", 'REJECT' AS action, 'OK' AS log_status, 'ingress' AS flow_direction, NULL::INTEGER AS traffic_path) TO '${parquet}' (FORMAT parquet)`,
    );
    db.closeSync();
    const files = expandFlowLogInputs([root]);
    expect(files.map((f) => f.slice(root.length))).toEqual([
      '/bucket/prefix/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/22/123456789012_vpcflowlogs_us-east-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_abc.log.gz',
      '/hive/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=22/hour=10/123456789012_vpcflowlogs_eu-west-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_def.log.parquet',
    ]);
    expect(defaultsFromPath(files[0] as string)).toEqual({ 'account-id': '123456789012', region: 'us-east-1' });
    expect(defaultsFromPath(files[1] as string)).toEqual({ 'account-id': '123456789012', region: 'eu-west-1' });
    const text = await readFlowLogFile(files[0] as string);
    expect(text.records).toEqual([{ 'interface-id': 'eni-1', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'REJECT', 'account-id': '123456789012', region: 'us-east-1' }]);
    const pq = await readFlowLogFile(files[1] as string);
    expect(pq.problems).toEqual([]);
    expect(pq.fields).toEqual(['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'flow-direction', 'traffic-path']);
    const rec = pq.records[0] as FlowLogRecord;
    expect(rec).toMatchObject({ version: '5', 'interface-id': 'eni-2', dstport: '22', packets: '5', end: '1700000060', action: 'REJECT', 'flow-direction': 'ingress', 'traffic-path': undefined, region: 'eu-west-1' });
  });
});

describe('pipes (`<(…)`, /dev/stdin)', () => {
  it.each([
    ['plain text', false],
    ['gzip', true],
  ])('a FIFO of %s is read from its first byte, its problems named by line', async (_name, gzip) => {
    const fifo = join(tempDir('fifo'), 'records');
    execFileSync('mkfifo', [fifo]);
    const text = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status', '2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 40000 443 6 1 40 1 2 ACCEPT OK', 'not a record', '2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.2 10.0.0.1 443 40000 6 1 40 1 2 ACCEPT OK'].join('\n');
    // The writer opens the FIFO while the reader does; neither side can seek.
    createWriteStream(fifo).end(gzip ? gzipSync(text) : text);
    const records: string[] = [];
    const problems: ReadProblem[] = [];
    const s = await streamFlowLogFile(fifo, { onRecord: (v) => records.push(`${v.get('srcaddr')}>${v.get('dstaddr')}`), onProblem: (p) => problems.push(p) });
    expect(records).toEqual(['10.0.0.1>10.0.0.2', '10.0.0.2>10.0.0.1']);
    expect(problems.map((p) => [p.code, p.line])).toEqual([['field-count', 3]]);
    expect([s.records, s.malformed, s.formatSource]).toEqual([2, 1, 'header']);
  });
});

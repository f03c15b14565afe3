/**
 * Flow logs: reading formats, the records AWS would write for traced traffic, and explaining records
 * against the snapshot (shared/docs/vpc-flow-logs.md; aws-vpc-semantics §12 record semantics).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { explainFlowLogRecords } from '../../../src/analyses/flow-logs/explain.js';
import { DEFAULT_FORMAT } from '../../../src/analyses/flow-logs/fields.js';
import { flowLogRecordsForTrace, formatFlowLogRecord } from '../../../src/analyses/flow-logs/generate.js';
import { parseFlowLogLines, readFlowLogFile } from '../../../src/analyses/flow-logs/reader.js';
import { trace } from '../../../src/analyses/trace.js';
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import { copyExample, editSnapshot, tempDir } from '../../helpers/temp-snapshot.js';

const LAB = 'examples/flowlogs-lab';
const A_ENI = 'eni-0a1b2c3d4e5f60718';
const B_ENI = 'eni-0b2c3d4e5f6a70819';

describe('generate', () => {
  const model = loadSnapshot(LAB);

  it('lab-a -> lab-b ping: ACCEPT outbound on A, REJECT inbound on B, nothing else; explain names lab-sg', () => {
    const out = flowLogRecordsForTrace(model, trace(model, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' }));
    expect(out.format).toBe(DEFAULT_FORMAT); // the lab's flow log uses the default format
    expect(out.records.map((r) => [r['interface-id'], r.srcaddr, r.dstaddr, r.protocol, r.srcport, r.dstport, r.action])).toEqual([
      [A_ENI, '172.31.40.10', '172.31.40.20', '1', '0', '0', 'ACCEPT'],
      [B_ENI, '172.31.40.10', '172.31.40.20', '1', '0', '0', 'REJECT'],
    ]);
    const flows = explainFlowLogRecords(model, out.records);
    const reject = flows.find((f) => f.action === 'REJECT');
    expect(reject).toMatchObject({ interfaceId: B_ENI, direction: 'ingress', verdict: 'explained', component: { id: 'sg-05a4b3c2d1e0f9a8b', type: 'security-group' } });
    expect(reject?.reason).toMatch(/no inbound rule for ICMP from 172\.31\.40\.10/);
  });

  it('a NACL that drops the reply gives ACCEPT in and REJECT out, and explain names the NACL rule', () => {
    const dir = copyExample('flowlogs-lab');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    });
    editSnapshot(dir, 'NetworkAcls', (doc) => {
      for (const acl of doc.NetworkAcls)
        acl.Entries = [
          { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } },
          { RuleNumber: 100, Egress: true, RuleAction: 'deny', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
          { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 32767, Egress: true, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
        ];
    });
    const m = loadSnapshot(dir);
    const out = flowLogRecordsForTrace(m, trace(m, { from: 'internet', to: 'lab-a', port: 22 }));
    expect(out.records.map((r) => [r['interface-id'], r.action, r.srcport, r.dstport])).toEqual([
      [A_ENI, 'ACCEPT', '49152', '22'],
      [A_ENI, 'REJECT', '22', '49152'],
    ]);
    const flows = explainFlowLogRecords(m, out.records);
    const reject = flows.find((f) => f.action === 'REJECT');
    expect(reject).toMatchObject({ direction: 'egress', verdict: 'explained', component: { type: 'network-acl' } });
    expect(reject?.reason).toMatch(/rule 100 deny tcp 1024-65535/);
  });

  it('writes NAT gateway records with the translated addresses, and none for link-local traffic', () => {
    const m = loadSnapshot('examples/private-subnet-egress');
    const out = flowLogRecordsForTrace(m, trace(m, { from: 'private-app', to: '1.1.1.1', port: 443 }), {
      format: '${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${action}',
    });
    const nat = out.records.filter((r) => r['interface-id'] === 'eni-0a2c4e6f8b0d2f4a6');
    expect(nat.map((r) => [r['flow-direction'], r['pkt-srcaddr'], r['pkt-dstaddr']])).toEqual([
      ['ingress', '10.20.10.50', '1.1.1.1'],
      ['egress', '10.20.0.120', '1.1.1.1'],
      ['ingress', '1.1.1.1', '10.20.0.120'],
      ['egress', '1.1.1.1', '10.20.10.50'],
    ]);
    expect(flowLogRecordsForTrace(m, trace(m, { from: 'private-app', to: '169.254.169.254', port: 80 })).records).toEqual([]);
  });

  it('round trip: generate -> text -> read -> explain returns the trace verdicts on every example', async () => {
    for (const [dir, req] of [
      [LAB, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' }],
      [LAB, { from: 'lab-a', to: '8.8.8.8', protocol: 'icmp' }],
      ['examples/private-subnet-egress', { from: 'private-app', to: '1.1.1.1', port: 443 }],
      ['examples/peering-nontransitive', { from: 'a-app', to: 'b-app', port: 22 }],
      ['examples/hybrid-vpn-tgw-privatelink', { from: '192.168.10.10', to: 'connectivity-app', port: 22 }],
      ['examples/hub-spoke-privatelink', { from: 'spoke-bastion', to: '10.210.250.6', port: 443 }],
      ['test/fixtures/alb-public', { from: 'internet', to: 'web-alb', port: 443 }],
    ] as const) {
      const m = loadSnapshot(dir);
      const out = flowLogRecordsForTrace(m, trace(m, req));
      const file = join(tempDir('flowlogs'), 'records.log');
      writeFileSync(file, out.records.map((r) => formatFlowLogRecord(out.format, r)).join('\n'));
      const read = await readFlowLogFile(file);
      expect(read.problems).toEqual([]);
      const flows = explainFlowLogRecords(m, read.records);
      expect(flows.length, dir).toBeGreaterThan(0);
      expect(flows.filter((f) => f.verdict !== 'explained'), `${dir} ${JSON.stringify(req)}`).toEqual([]);
    }
  });
});

describe('read', () => {
  it('learns the format from an S3 header line and keeps `-` as missing', () => {
    const r = parseFlowLogLines(['version interface-id srcaddr dstaddr action log-status', '3 eni-0123 10.0.0.1 10.0.0.2 ACCEPT OK', '3 eni-0123 - - - NODATA'], 'x.log');
    expect(r.fields).toEqual(['version', 'interface-id', 'srcaddr', 'dstaddr', 'action', 'log-status']);
    expect(r.records).toEqual([
      { version: '3', 'interface-id': 'eni-0123', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'ACCEPT', 'log-status': 'OK' },
      { version: '3', 'interface-id': 'eni-0123', srcaddr: undefined, dstaddr: undefined, action: undefined, 'log-status': 'NODATA' },
    ]);
  });

  it('reports malformed lines with line numbers and reads the rest; unknown fields are kept', () => {
    const r = parseFlowLogLines(
      ['2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK', 'garbage line', '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 x 6 20 4249 1418530010 1418530070 REJECT OK', '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 MAYBE OK'],
      'x.log',
    );
    expect(r.records).toHaveLength(1);
    expect(r.problems).toEqual([
      { file: 'x.log', line: 2, message: 'expected 14 fields, found 2' },
      { file: 'x.log', line: 3, message: 'field dstport is "x", not a number' },
      { file: 'x.log', line: 4, message: 'action is "MAYBE", not ACCEPT or REJECT' },
    ]);
    const custom = parseFlowLogLines(['interface-id action future-field', 'eni-1 ACCEPT abc'], 'y.log');
    expect(custom.unknownFields).toEqual(['future-field']);
    expect(custom.records[0]?.['future-field']).toBe('abc');
  });

  it('reads CloudWatch Logs exports (JSON lines with a message)', () => {
    const r = parseFlowLogLines([JSON.stringify({ timestamp: 1, message: '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK' }), '{"timestamp": 2}'], 'cw.json');
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => p.line)).toEqual([2]);
  });

  it('reads gzip, and a truncated gzip keeps what was read with a clear message', async () => {
    const dir = tempDir('flowlogs');
    const lines = Array.from({ length: 2000 }, (_, i) => `2 123456789010 eni-1 10.0.${i % 250}.1 10.0.0.2 ${1024 + i} 443 6 1 40 1 2 ACCEPT OK`).join('\n');
    const gz = gzipSync(Buffer.from(lines));
    writeFileSync(join(dir, 'ok.log.gz'), gz);
    expect((await readFlowLogFile(join(dir, 'ok.log.gz'))).records).toHaveLength(2000);
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const cut = await readFlowLogFile(join(dir, 'cut.log.gz'));
    expect(cut.problems[0]?.message).toMatch(/the file ends early .* lines were read/);
    expect(cut.records.length).toBeGreaterThan(0);
    expect(cut.records.length).toBeLessThan(2000);
  });
});

describe('explain flags what the configuration cannot explain', () => {
  const model = loadSnapshot(LAB);
  it('flags drift, traffic AWS never logs, NODATA and unknown interfaces', () => {
    const recs = parseFlowLogLines(
      [
        // lab-sg has no inbound rules: a recorded ACCEPT for ssh into lab-b cannot come from this configuration.
        `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 ACCEPT OK`,
        `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40001 22 6 5 300 1 2 ACCEPT OK`,
        `2 123456789012 ${A_ENI} 172.31.40.10 169.254.169.254 40000 80 6 5 300 1 2 ACCEPT OK`,
        `2 123456789012 ${A_ENI} - - - - - - - 1 2 - NODATA`,
        '2 123456789012 eni-0nothere000000000 10.9.9.9 10.9.9.8 40000 22 6 5 300 1 2 ACCEPT OK',
      ],
      'x.log',
    ).records;
    const flows = explainFlowLogRecords(model, recs);
    const byVerdict = Object.fromEntries(flows.map((f) => [f.verdict, f]));
    expect(byVerdict.drift).toMatchObject({ interfaceId: B_ENI, count: 2, expected: 'REJECT' }); // ephemeral ports folded
    expect(byVerdict['not-logged-by-aws']?.reason).toMatch(/never logged/);
    expect(byVerdict['no-data']?.interfaceId).toBe(A_ENI);
    expect(byVerdict['unknown-interface']?.interfaceId).toBe('eni-0nothere000000000');
  });
});

describe('flowlogs CLI', () => {
  it('generate writes records with a header, explain reads them back', async () => {
    const { runCli } = await import('../../cli/run-cli.js');
    const gen = await runCli(['flowlogs', 'generate', '--snapshot', LAB, '--from', 'lab-a', '--to', 'lab-b', '--protocol', 'icmp', '--header']);
    expect(gen.code).toBe(0);
    const lines = gen.stdout.trim().split('\n');
    expect(lines[0]).toBe('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status');
    const file = join(tempDir('flowlogs'), 'lab.log');
    writeFileSync(file, gen.stdout);
    const ex = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file, '--only-rejects', '--json']);
    expect(ex.code).toBe(0);
    const flows = JSON.parse(ex.stdout);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ interfaceId: B_ENI, action: 'REJECT', verdict: 'explained' });
    const bad = await runCli(['flowlogs', 'read', '/nonexistent.log']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\/nonexistent\.log: cannot read/);
  });
});

describe('query (DuckDB)', () => {
  it('counts, groups and filters with engine-neutral SQL over flow_logs', async () => {
    const { queryFlowLogRecords, buildQuery } = await import('../../../src/analyses/flow-logs/query.js');
    const text = [
      '2 111122223333 eni-a 10.0.0.1 10.0.0.9 40000 22 6 10 1000 100 160 ACCEPT OK',
      '2 111122223333 eni-a 10.0.0.1 10.0.0.9 40001 22 6 5 500 160 220 ACCEPT OK',
      '2 111122223333 eni-a 10.0.0.2 10.0.0.9 40002 3389 6 1 60 100 160 REJECT OK',
      '2 111122223333 eni-b 10.0.0.3 10.0.0.8 0 0 1 4 336 100 160 REJECT OK',
      '2 111122223333 eni-b - - - - - - - 100 160 - NODATA',
    ];
    const read = parseFlowLogLines(text, 'q.log');
    const byAction = await queryFlowLogRecords(read.fields, read.records, { groupBy: ['action'] });
    // By hand: ACCEPT 2 records (15 packets, 1500 bytes), REJECT 2 (5, 396); the NODATA record has no action.
    expect(byAction).toEqual([
      { action: 'ACCEPT', records: 2, packets: 15, bytes: 1500 },
      { action: 'REJECT', records: 2, packets: 5, bytes: 396 },
      { action: null, records: 1, packets: null, bytes: null },
    ]);
    const top = await queryFlowLogRecords(read.fields, read.records, { where: "action = 'REJECT'", groupBy: ['interface-id'], top: 1 });
    expect(top).toEqual([{ interface_id: 'eni-a', records: 1, packets: 1, bytes: 60 }]);
    const sql = await queryFlowLogRecords(read.fields, read.records, { sql: 'SELECT count(DISTINCT srcaddr) AS sources FROM flow_logs WHERE log_status = \'OK\'' });
    expect(sql).toEqual([{ sources: 3 }]);
    expect(buildQuery({ groupBy: ['interface-id'], where: "action = 'REJECT'", top: 5 })).toBe(
      'SELECT "interface_id", count(*) AS records, sum(packets) AS packets, sum(bytes) AS bytes FROM flow_logs WHERE action = \'REJECT\' GROUP BY "interface_id" ORDER BY records DESC, "interface_id" LIMIT 5',
    );
  });
});

describe('scanAndExplain (DuckDB scan, one explanation per distinct flow)', () => {
  it('gives the same verdicts and counts as reading every record, and reports rejected lines by number', async () => {
    const { scanAndExplain } = await import('../../../src/analyses/flow-logs/scan.js');
    const model = loadSnapshot(LAB);
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const body = [
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 REJECT OK`,
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40001 22 6 5 300 1 2 REJECT OK`,
      `2 123456789012 ${A_ENI} 172.31.40.10 8.8.8.8 0 0 1 1 84 1 2 ACCEPT OK`,
      `2 123456789012 ${A_ENI} 8.8.8.8 172.31.40.10 0 0 1 1 84 1 2 ACCEPT OK`,
      'this line is broken',
      `2 123456789012 ${A_ENI} - - - - - - - 1 2 - NODATA`,
    ];
    const dir = tempDir('flowlogs');
    for (const [name, text] of [
      ['with-header.log', [header, ...body].join('\n')],
      ['no-header.log', body.join('\n')],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, `${text}\n`);
      const scanned = await scanAndExplain(model, file);
      const direct = explainFlowLogRecords(model, (await readFlowLogFile(file)).records);
      const summary = (flows: typeof direct) => flows.map((f) => [f.interfaceId, f.direction, f.action, f.count, f.verdict]).sort();
      expect(summary(scanned.flows), name).toEqual(summary(direct));
      expect(scanned.records).toBe(5);
      expect(scanned.problems.map((p) => p.line)).toEqual([name === 'with-header.log' ? 6 : 5]);
    }
    const gz = join(dir, 'g.log.gz');
    writeFileSync(gz, gzipSync(Buffer.from(`${header}\n${body[0]}\n`)));
    expect((await scanAndExplain(model, gz)).flows[0]).toMatchObject({ interfaceId: B_ENI, verdict: 'explained' });
  });
});

describe('inputs: S3 layout, Hive partitions, Parquet', () => {
  it('expands S3 and Hive-partitioned folders and reads Parquet (columns with _) through DuckDB', async () => {
    const { mkdirSync } = await import('node:fs');
    const { expandFlowLogInputs } = await import('../../../src/analyses/flow-logs/files.js');
    const { scanAndExplain } = await import('../../../src/analyses/flow-logs/scan.js');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const model = loadSnapshot(LAB);
    const root = tempDir('flowlogs');
    const s3 = join(root, 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/22');
    const hive = join(root, 'hive/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=22');
    mkdirSync(s3, { recursive: true });
    mkdirSync(hive, { recursive: true });
    const line = `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 REJECT OK\n`;
    writeFileSync(join(s3, '123456789012_vpcflowlogs_us-east-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_abc.log.gz'), gzipSync(Buffer.from(line)));
    writeFileSync(join(s3, 'README.md'), 'not a log');
    const parquet = join(hive, 'part-0.parquet');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(
      `COPY (SELECT 2 AS version, '123456789012' AS account_id, '${B_ENI}' AS interface_id, '172.31.40.10' AS srcaddr, '172.31.40.20' AS dstaddr, 40000 AS srcport, 22 AS dstport, 6 AS protocol, 5 AS packets, 300 AS bytes, 1 AS start, 2 AS "end", 'REJECT' AS action, 'OK' AS log_status) TO '${parquet}' (FORMAT parquet)`,
    );
    db.closeSync();
    const files = expandFlowLogInputs([root]);
    expect(files.map((f) => f.slice(root.length))).toEqual([
      '/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/22/123456789012_vpcflowlogs_us-east-1_fl-0c3b2a1d0e9f8a7b6_20261122T1000Z_abc.log.gz',
      '/hive/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=22/part-0.parquet',
    ]);
    for (const f of files) {
      const r = await scanAndExplain(model, f);
      expect(r.records, f).toBe(1);
      expect(r.flows[0]).toMatchObject({ interfaceId: B_ENI, direction: 'ingress', action: 'REJECT', verdict: 'explained' });
    }
  });
});

describe('generate through load balancers', () => {
  it('an ALB node logs the client connection in and the new connection out; the target logs the node as source', () => {
    const m = loadSnapshot('test/fixtures/alb-public');
    const out = flowLogRecordsForTrace(m, trace(m, { from: 'internet', to: 'web-alb', port: 443 }), {
      format: '${interface-id} ${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr} ${dstport} ${action}',
    });
    const rows = out.records.map((r) => [r['interface-id'], r['flow-direction'], r['pkt-srcaddr'], r['pkt-dstaddr'], r.dstport, r.action]);
    expect(rows.slice(0, 3)).toEqual([
      ['eni-0a1b00000000alba', 'ingress', '198.51.100.10', '10.50.0.20', '443', 'ACCEPT'],
      ['eni-0a1b00000000alba', 'egress', '10.50.0.20', '10.50.10.30', '8080', 'ACCEPT'],
      ['eni-0a1b000000000app', 'ingress', '10.50.0.20', '10.50.10.30', '8080', 'ACCEPT'],
    ]);
    expect(rows.every((r) => r[5] === 'ACCEPT')).toBe(true);
  });
});

/**
 * `flowlogs query`: records of an S3 folder and a CloudWatch export in one `flow_logs` table, queried with
 * engine-neutral SQL. Every expected number below was computed by hand from the fixture files
 * (test/fixtures/flow-logs/README.md).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildQuery, FlowLogTable, queryFlowLogRecords, queryFlowLogs } from '../../../src/analyses/flow-logs/query.js';
import { parseFlowLogLines, type ReadProblem } from '../../../src/analyses/flow-logs/reader.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'flow-logs');
const S3 = join(FIXTURES, 's3');
const CW = join(FIXTURES, 'cloudwatch');

describe('query over the fixtures', () => {
  it('counts records, packets and bytes by action (12 records: 7 ACCEPT, 4 REJECT, 1 NODATA)', async () => {
    const problems: ReadProblem[] = [];
    const r = await queryFlowLogs([S3, CW], { groupBy: ['action'], onProblem: (p) => problems.push(p) });
    expect(r.records).toBe(12);
    // ACCEPT: 10+8+20 packets / 840+1200+4000 bytes (S3) + 12+6+9+1 / 3000+1500+2250+100 (CloudWatch)
    // REJECT: 3+3+4 / 180+180+336 (S3) + 2 / 120 (CloudWatch)
    expect(r.rows).toEqual([
      { action: 'ACCEPT', records: 7, packets: 66, bytes: 12890 },
      { action: 'REJECT', records: 4, packets: 12, bytes: 816 },
      { action: null, records: 1, packets: null, bytes: null },
    ]);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [7, 'field-count'],
      [9, 'bad-value'],
    ]);
    expect(problems[1]?.message).toBe('packets is "abc": not a whole number');
  });

  it('--where and --group-by with flow-log field names; --top', async () => {
    const r = await queryFlowLogs([S3, CW], { where: "action = 'REJECT'", groupBy: ['interface-id'] });
    expect(r.sql).toBe(`SELECT "interface_id", count(*) AS records, sum(packets) AS packets, sum(bytes) AS bytes FROM flow_logs WHERE action = 'REJECT' GROUP BY "interface_id" ORDER BY records DESC, "interface_id"`);
    expect(r.rows).toEqual([
      { interface_id: 'eni-0a0000000000000a1', records: 2, packets: 6, bytes: 360 },
      { interface_id: 'eni-0a0000000000000a2', records: 1, packets: 4, bytes: 336 },
      { interface_id: 'eni-0a0000000000000a3', records: 1, packets: 2, bytes: 120 },
    ]);
    const top = await queryFlowLogs([S3, CW], { groupBy: ['dstport'], top: 2 });
    // dstport 443: 4 records (CloudWatch); 3389: 2; every other port 1.
    expect(top.rows).toEqual([
      { dstport: 443, records: 4, packets: 28, bytes: 6850 },
      { dstport: 3389, records: 2, packets: 6, bytes: 360 },
    ]);
  });

  it('--sql: the schema is engine-neutral (underscored names, BIGINT start/end in seconds, - as NULL)', async () => {
    const table = await FlowLogTable.load([S3, CW]);
    try {
      expect(table.columns).toEqual(['version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log_status', 'tcp_flags', 'flow_direction']);
      expect(await table.query('SELECT count(DISTINCT interface_id) AS interfaces, min("start") AS first, max("end") AS last, sum(bytes) AS bytes FROM flow_logs')).toEqual([
        { interfaces: 3, first: 1748772000, last: 1748772120, bytes: 13706 },
      ]);
      expect(await table.query('SELECT count(*) AS n FROM flow_logs WHERE dstport = 22 OR srcport = 22')).toEqual([{ n: 2 }]);
      // CloudWatch rows have no flow-direction column in their format; the NODATA row has `-`.
      expect(await table.query('SELECT count(*) AS n FROM flow_logs WHERE flow_direction IS NULL')).toEqual([{ n: 6 }]);
      expect(await table.query("SELECT log_status, count(*) AS n FROM flow_logs GROUP BY log_status ORDER BY log_status")).toEqual([
        { log_status: 'NODATA', n: 1 },
        { log_status: 'OK', n: 11 },
      ]);
      const types = await table.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'flow_logs' AND column_name IN ('srcport', 'bytes', 'start', 'end', 'action') ORDER BY column_name");
      expect(types).toEqual([
        { column_name: 'action', data_type: 'VARCHAR' },
        { column_name: 'bytes', data_type: 'BIGINT' },
        { column_name: 'end', data_type: 'BIGINT' },
        { column_name: 'srcport', data_type: 'INTEGER' },
        { column_name: 'start', data_type: 'BIGINT' },
      ]);
    } finally {
      table.close();
    }
  });

  it('records already in memory', async () => {
    const read = parseFlowLogLines(['2 111122223333 eni-a 10.0.0.1 10.0.0.9 40000 22 6 10 1000 100 160 ACCEPT OK', '2 111122223333 eni-b - - - - - - - 100 160 - NODATA'], 'q.log');
    expect(await queryFlowLogRecords(read.fields, read.records, { sql: 'SELECT interface_id, packets FROM flow_logs ORDER BY interface_id' })).toEqual([
      { interface_id: 'eni-a', packets: 10 },
      { interface_id: 'eni-b', packets: null },
    ]);
    expect(buildQuery({})).toBe('SELECT count(*) AS records, sum(packets) AS packets, sum(bytes) AS bytes FROM flow_logs');
  });
});

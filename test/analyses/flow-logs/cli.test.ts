/**
 * `vpctwin flowlogs read | query | explain | generate` end to end, in-process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { tempDir } from '../../helpers/temp-snapshot.js';

const LAB = 'examples/flowlogs-lab';
const B_ENI = 'eni-0b2c3d4e5f6a70819';
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'flow-logs');

// Progress output depends on whether stderr is a terminal: these tests pin it to "not a terminal".
let tty: PropertyDescriptor | undefined;
beforeEach(() => {
  tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
});
afterEach(() => {
  if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
});

describe('flowlogs CLI', () => {
  it('generate writes S3-style records; explain names the security group; --json gives one object per distinct flow', async () => {
    const gen = await runCli(['flowlogs', 'generate', '--snapshot', LAB, '--from', 'lab-a', '--to', 'lab-b', '--protocol', 'icmp', '--header']);
    expect(gen.code).toBe(0);
    expect(gen.stdout.trim().split('\n')).toEqual([
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      '2 123456789012 eni-0a1b2c3d4e5f60718 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 ACCEPT OK',
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 REJECT OK`,
    ]);
    const file = join(tempDir('flowlogs'), 'lab.log');
    writeFileSync(file, gen.stdout);
    const table = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^INTERFACE\s+DIR\s+SOURCE\s+DESTINATION\s+PROTO\s+ACTION\s+RECORDS\s+VERDICT\s+WHY$/);
    expect(lines[1]).toMatch(new RegExp(`^${B_ENI}\\s+in\\s+172\\.31\\.40\\.10\\s+172\\.31\\.40\\.20\\s+icmp\\s+REJECT\\s+1\\s+explained\\s+REJECT inbound on ${B_ENI}: security group sg-05a4b3c2d1e0f9a8b \\(lab-sg\\) has no inbound rule for ICMP from 172\\.31\\.40\\.10$`));
    expect(lines.at(-1)).toBe('2 records, 2 distinct flows: explained 2 (2 records)');
    const json = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file, '--only-rejects', '--json']);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ records: 2, malformed: 0, summary: { explained: { flows: 1, records: 1 } } });
    expect(out.flows).toHaveLength(1);
    expect(out.flows[0]).toMatchObject({ interfaceId: B_ENI, direction: 'ingress', action: 'REJECT', count: 1, verdict: 'explained', component: { id: 'sg-05a4b3c2d1e0f9a8b', type: 'security-group' } });
  });

  it('explain exits 1 when the configuration cannot explain a record; malformed lines go to stderr with their numbers', async () => {
    const file = join(tempDir('flowlogs'), 'drift.log');
    writeFileSync(file, [`2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 ACCEPT OK`, 'broken line'].join('\n'));
    const r = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/drift/);
    expect(r.stderr).toContain(`vpctwin: ${file} line 2: expected 14 values (the default format), found 2`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 records, 1 distinct flows: drift 1 (1 records); 1 malformed lines skipped');
  });

  it('explain --check-every-value reads past the head with the streaming reader, which reports a number AWS never writes', async () => {
    // 3,000 clean records (past the 256 KB head), then one with packets written as 5.0.
    const clean = Array.from({ length: 3000 }, (_, i) => `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 ${1024 + i} 443 6 1 40 1 2 ACCEPT OK`);
    const file = join(tempDir('flowlogs'), 'float.log');
    writeFileSync(file, [...clean, `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 5000 443 6 5.0 40 1 2 ACCEPT OK`].join('\n'));
    const fast = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file, '--json']);
    expect(JSON.parse(fast.stdout)).toMatchObject({ records: 3001, malformed: 0 });
    const strict = await runCli(['flowlogs', 'explain', '--snapshot', LAB, file, '--json', '--check-every-value']);
    expect(JSON.parse(strict.stdout)).toMatchObject({ records: 3000, malformed: 1 });
    expect(strict.stderr).toContain(`vpctwin: ${file} line 3001: packets is "5.0": not a whole number`);
  });

  it('query: the fixtures grouped by action, JSON', async () => {
    const r = await runCli(['flowlogs', 'query', join(FIXTURES, 's3'), join(FIXTURES, 'cloudwatch'), '--group-by', 'action', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { action: 'ACCEPT', records: 7, packets: 66, bytes: 12890 },
      { action: 'REJECT', records: 4, packets: 12, bytes: 816 },
      { action: null, records: 1, packets: null, bytes: null },
    ]);
    expect(r.stderr).toMatch(/line 7: expected 16 values \(the header\), found 4/);
    const sql = await runCli(['flowlogs', 'query', join(FIXTURES, 's3'), '--sql', 'SELECT count(*) AS n FROM flow_logs WHERE "end" > 1748772060']);
    expect(sql.stdout.trim().split('\n')).toEqual(['N', '1']);
  });

  it('read summarises each input; progress lines every N records when stderr is not a terminal', async () => {
    const file = join(tempDir('flowlogs'), 'many.log');
    writeFileSync(file, Array.from({ length: 2500 }, (_, i) => `2 123456789012 ${B_ENI} 10.0.0.1 10.0.0.2 ${1024 + i} 443 6 1 40 1 2 ACCEPT OK`).join('\n'));
    const r = await runCli(['flowlogs', 'read', file, '--progress', '1000']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`vpctwin: 1000 records read (${file})`, `vpctwin: 2000 records read (${file})`]);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2500 records, 0 malformed lines');
  });

  it('usage errors: one line, exit 2', async () => {
    for (const [args, message] of [
      [['flowlogs', 'read', '/nonexistent.log'], /^vpctwin: \/nonexistent\.log: cannot read \(ENOENT\)$/],
      [['flowlogs', 'read', 'x', '--format', 'not a format'], /^vpctwin: --format: "not a format" is not a list of \$\{field\} names$/],
      [['flowlogs', 'query', join(FIXTURES, 's3'), '--top', 'ten'], /^vpctwin: --top: "ten" is not a whole number$/],
      [['flowlogs', 'query', join(FIXTURES, 's3'), '--sql', 'SELECT nope FROM flow_logs'], /^vpctwin: query failed: .*nope.* \(columns: version, account_id/],
      [['flowlogs', 'generate', '--snapshot', LAB, '--from', 'nowhere', '--to', 'lab-b'], /^vpctwin: UNKNOWN_SOURCE: /],
    ] as const) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').filter((l) => !/records read/.test(l)).at(-1), args.join(' ')).toMatch(message);
    }
  });
});

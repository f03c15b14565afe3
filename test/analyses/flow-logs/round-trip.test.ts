/**
 * Round trip: trace → generate the records AWS would write → write them as S3 text objects (a header per
 * format) → read them back from the folder → explain. Every record is explained by the snapshot, with the
 * action that was generated, and every drop the trace reports is named by the explanation of its REJECT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowLogRecordsForTrace, type GeneratedRecord } from '../../../src/analyses/flow-logs/generate.js';
import { parseFormat } from '../../../src/analyses/flow-logs/fields.js';
import { scanAndExplain } from '../../../src/analyses/flow-logs/scan.js';
import { trace, type TraceRequest } from '../../../src/analyses/trace.js';
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../../src/model/network.js';
import { tempDir } from '../../helpers/temp-snapshot.js';
import { naclVariant } from './lab-variants.js';

const CASES: readonly [string, TraceRequest][] = [
  ['examples/flowlogs-lab', { from: 'lab-a', to: 'lab-b', protocol: 'icmp' }],
  ['examples/flowlogs-lab', { from: 'lab-a', to: '8.8.8.8', protocol: 'icmp' }],
  ['examples/flowlogs-lab', { from: 'internet', to: 'lab-a', port: 22 }],
  ['examples/flowlogs-lab', { from: 'lab-b', to: 'lab-a', port: 443 }],
  ['nacl-variant', { from: 'internet', to: 'lab-a', port: 22 }],
  ['examples/private-subnet-egress', { from: 'private-app', to: '1.1.1.1', port: 443 }],
  ['examples/private-subnet-egress', { from: 'private-app', to: '52.92.128.10', port: 443 }],
  ['examples/private-subnet-egress', { from: 'private-app', to: 'sns.us-west-2.amazonaws.com', port: 443 }],
  ['examples/peering-nontransitive', { from: 'a-app', to: 'b-app', port: 22 }],
  ['examples/peering-nontransitive', { from: 'a-app', to: 'c-app', port: 22 }],
  ['examples/peering-nontransitive', { from: 'b-app', to: 'a-app', protocol: 'udp', port: 5000 }],
  ['examples/hybrid-vpn-tgw-privatelink', { from: '192.168.10.10', to: 'connectivity-app', port: 22 }],
  ['examples/hub-spoke-privatelink', { from: 'spoke-bastion', to: '10.210.250.6', port: 443 }],
  ['test/fixtures/alb-public', { from: 'internet', to: 'web-alb', port: 443 }],
  ['test/fixtures/gwlb-inspection', { from: 'internet', to: '34.250.1.10', port: 443 }],
];

/** Writes the records as S3 objects: one file per flow log and format, each with its header line. */
function writeObjects(dir: string, records: readonly GeneratedRecord[]): void {
  const groups = new Map<string, GeneratedRecord[]>();
  for (const r of records) groups.set(`${r.flowLogId ?? 'none'}\n${r.format}`, [...(groups.get(`${r.flowLogId ?? 'none'}\n${r.format}`) ?? []), r]);
  const prefix = join(dir, 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14');
  mkdirSync(prefix, { recursive: true });
  let i = 0;
  for (const list of groups.values()) {
    const first = list[0] as GeneratedRecord;
    const header = (parseFormat(first.format) ?? []).join(' ');
    writeFileSync(join(prefix, `123456789012_vpcflowlogs_us-east-1_${first.flowLogId ?? 'fl-none'}_20231114T2210Z_${i++}.log`), `${[header, ...list.map((r) => r.line)].join('\n')}\n`);
  }
}

describe('generate → read → explain returns the trace verdicts', () => {
  const models = new Map<string, NetworkModel>();
  const model = (name: string) => {
    let m = models.get(name);
    if (!m) models.set(name, (m = name === 'nacl-variant' ? naclVariant() : loadSnapshot(name)));
    return m;
  };

  it.each(CASES)('%s %j', async (name, req) => {
    const m = model(name);
    const result = trace(m, req);
    const out = flowLogRecordsForTrace(m, result);
    expect(out.records.length, 'records').toBeGreaterThan(0);
    const dir = tempDir('flowlogs');
    writeObjects(dir, out.records);
    const scan = await scanAndExplain(m, dir);
    expect(scan.problems).toEqual([]);
    expect(scan.records).toBe(out.records.length);
    expect(scan.flows.filter((f) => f.verdict !== 'explained').map((f) => `${f.verdict}: ${f.reason}`)).toEqual([]);
    for (const r of out.records) {
      const v = r.record;
      const f = scan.flows.find(
        (x) => x.interfaceId === r.interfaceId && x.direction === r.direction && x.action === r.action && x.srcaddr === v.srcaddr && x.dstaddr === v.dstaddr && (v.srcport === undefined || x.srcport === Number(v.srcport)) && (v.dstport === undefined || x.dstport === Number(v.dstport)),
      );
      expect(f, r.line).toBeDefined();
      expect(f?.expected, r.line).toBe(r.action);
      // Request or reply: certain for TCP (ports on either side of 1024, or flags); GENEVE runs 6081 both ways.
      if (v.protocol === '6') expect(f?.reading, r.line).toBe(r.leg);
    }
    // A trace stopped by a security group or network ACL: the REJECT record names the same component.
    const rejects = scan.flows.filter((f) => f.action === 'REJECT');
    const filters = result.explanations.filter((e) => e.code === 'ENI_SG_RULES_MISMATCH' || e.code === 'SUBNET_ACL_RESTRICTION');
    if (rejects.length) {
      expect(result.reachable).toBe(false);
      expect(rejects.map((f) => f.component?.id)).toEqual([filters[0]?.component.id]);
    } else if (filters.length === 0) expect(out.records.every((r) => r.action === 'ACCEPT')).toBe(true);
  });
});

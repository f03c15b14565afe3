/**
 * Explaining records against a snapshot: verdicts, the flags for what the configuration cannot explain,
 * and the distinct-flow cache (ports folded into classes of the rules' port ranges).
 */
import { describe, expect, it } from 'vitest';
import { explainFlowLogRecords, FlowLogExplainer } from '../../../src/analyses/flow-logs/explain.js';
import { parseFlowLogLines, type FlowLogRecord } from '../../../src/analyses/flow-logs/reader.js';
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import { naclVariant } from './lab-variants.js';
import { ruleBoundaryModel } from './snapshot-spec.js';

const LAB = 'examples/flowlogs-lab';
const A_ENI = 'eni-0a1b2c3d4e5f60718';
const B_ENI = 'eni-0b2c3d4e5f6a70819';
const rec = (line: string) => parseFlowLogLines([line], 'x.log').records;

describe('flags what the configuration cannot explain', () => {
  const model = loadSnapshot(LAB);

  it('drift (both ways), traffic AWS never logs, NODATA, unknown interfaces, records naming no interface', () => {
    const lines = [
      // lab-sg has no inbound rules: a recorded ACCEPT for ssh into lab-b cannot come from this configuration.
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 ACCEPT OK`,
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 40001 22 6 5 300 1 2 ACCEPT OK`,
      // lab-sg allows all outbound: a REJECT of lab-a's own request is drift the other way.
      `2 123456789012 ${A_ENI} 172.31.40.10 93.184.216.34 40002 443 6 5 300 1 2 REJECT OK`,
      `2 123456789012 ${A_ENI} 172.31.40.10 169.254.169.254 40000 80 6 5 300 1 2 ACCEPT OK`,
      `2 123456789012 ${A_ENI} 172.31.40.10 172.31.0.2 40000 53 17 1 70 1 2 ACCEPT OK`,
      `2 123456789012 ${A_ENI} 172.31.40.10 172.31.32.1 68 67 17 1 300 1 2 ACCEPT OK`,
      `2 123456789012 ${A_ENI} - - - - - - - 1 2 - NODATA`,
      '2 123456789012 eni-0dddddddddddddddd 10.9.9.9 10.9.9.8 40000 22 6 5 300 1 2 ACCEPT OK',
      '2 123456789012 - 10.9.9.9 10.9.9.8 40000 22 6 5 300 1 2 ACCEPT OK',
    ];
    const flows = explainFlowLogRecords(model, parseFlowLogLines(lines, 'x.log').records);
    const by = (pred: (f: (typeof flows)[number]) => boolean) => flows.filter(pred);
    expect(by((f) => f.verdict === 'drift').map((f) => [f.interfaceId, f.action, f.expected, f.count])).toEqual([
      [A_ENI, 'REJECT', 'ACCEPT', 1],
      [B_ENI, 'ACCEPT', 'REJECT', 2], // two ephemeral source ports, one flow
    ]);
    expect(by((f) => f.verdict === 'drift')[1]?.reason).toMatch(/^recorded ACCEPT but the snapshot would reject it: REJECT inbound on eni-0b2c3d4e5f6a70819: security group sg-05a4b3c2d1e0f9a8b \(lab-sg\) has no inbound rule for tcp 22 from 172\.31\.40\.10\. The configuration changed/);
    expect(by((f) => f.verdict === 'drift')[0]?.reason).toMatch(/packets that arrived after the connection closed/);
    expect(by((f) => f.verdict === 'not-logged-by-aws').map((f) => f.reason)).toEqual([
      'AWS never logs traffic to and from 169.254.169.254 (instance metadata) (VPC Flow Logs limitations): this record cannot come from VPC Flow Logs as documented',
      "AWS never logs traffic to the Amazon DNS server (172.31.0.2, the VPC's base address plus two) (VPC Flow Logs limitations): this record cannot come from VPC Flow Logs as documented",
      'AWS never logs traffic to the reserved address of the VPC router (172.31.32.1) (VPC Flow Logs limitations): this record cannot come from VPC Flow Logs as documented',
    ]);
    expect(by((f) => f.verdict === 'no-data').map((f) => f.interfaceId)).toEqual([A_ENI]);
    expect(by((f) => f.verdict === 'unknown-interface').map((f) => [f.interfaceId, f.reason])).toEqual([
      ['-', 'the record names no network interface (interface-id is missing or -)'],
      ['eni-0dddddddddddddddd', 'network interface eni-0dddddddddddddddd is not in the snapshot'],
    ]);
  });

  it('DHCP is recognised by its ports; reject-reason BPA is a recorded reason, not an SG or NACL', () => {
    const flows = explainFlowLogRecords(model, [
      ...rec(`2 123456789012 ${A_ENI} 172.31.40.10 255.255.255.255 68 67 17 1 300 1 2 ACCEPT OK`),
      ...parseFlowLogLines(['interface-id srcaddr dstaddr srcport dstport protocol action reject-reason', `${B_ENI} 203.0.113.7 172.31.40.20 40000 443 6 REJECT BPA`], 'b.log').records,
    ]);
    expect(flows.map((f) => f.verdict)).toEqual(['not-logged-by-aws', 'recorded-reason']);
    expect(flows[0]?.reason).toMatch(/^AWS never logs DHCP traffic/);
    expect(flows[1]?.reason).toMatch(/^REJECT inbound on eni-0b2c3d4e5f6a70819: rejected by VPC Block Public Access, a cause outside security groups and network ACLs/);
  });

  it('flow-direction decides the direction when present; otherwise the interface address does', () => {
    const withField = parseFlowLogLines(['interface-id flow-direction srcaddr dstaddr srcport dstport protocol action', `${A_ENI} egress 172.31.40.10 172.31.40.20 40000 22 6 ACCEPT`], 'd.log').records;
    expect(explainFlowLogRecords(model, withField)[0]).toMatchObject({ direction: 'egress', verdict: 'explained' });
    const inferred = rec(`2 123456789012 ${A_ENI} 172.31.40.10 172.31.40.20 40000 22 6 5 300 1 2 ACCEPT OK`);
    expect(explainFlowLogRecords(model, inferred)[0]).toMatchObject({ direction: 'egress' });
    const neither = rec(`2 123456789012 ${A_ENI} 10.1.1.1 10.2.2.2 40000 22 6 5 300 1 2 ACCEPT OK`);
    expect(explainFlowLogRecords(model, neither)[0]).toMatchObject({ direction: 'unknown', verdict: 'drift' });
  });
});

describe('the distinct-flow cache', () => {
  it('folds ephemeral ports of one client/service pair, but keeps apart ports a NACL range tells apart', () => {
    const m = naclVariant(); // NACL: outbound tcp 1024-65535 denied, inbound only tcp 22
    const x = new FlowLogExplainer(m);
    for (let i = 0; i < 5000; i++) x.addRecord({ 'interface-id': A_ENI, srcaddr: '172.31.40.10', dstaddr: '198.51.100.10', srcport: '22', dstport: String(1024 + ((i * 7919) % 64000)), protocol: '6', action: 'REJECT' });
    for (let i = 0; i < 100; i++) x.addRecord({ 'interface-id': A_ENI, srcaddr: '172.31.40.10', dstaddr: '198.51.100.10', srcport: '22', dstport: String(600 + i), protocol: '6', action: 'REJECT' });
    const flows = x.results();
    // Replies to ports from 1024 up meet rule 100; below 1024 they fall through to the * rule.
    expect(flows.map((f) => [f.count, f.dstPorts, f.verdict, f.reading, f.checks.find((c) => !c.allowed)?.ruleNumber])).toEqual([
      [100, { min: 600, max: 699 }, 'explained', 'reply', '*'],
      [5000, { min: 1024, max: Math.max(...Array.from({ length: 5000 }, (_, i) => 1024 + ((i * 7919) % 64000))) }, 'explained', 'reply', 100],
    ]);
  });

  it('results() called again counts the records added since, and pairs a reply that arrived later', () => {
    // ruleBoundaryModel: eni-0aa…01 holds 10.0.1.10 in subnet 10.0.1.0/24; its group admits tcp 22 from 10.0.0.0/8.
    const x = new FlowLogExplainer(ruleBoundaryModel());
    const request = { 'interface-id': 'eni-0aa00000000000001', srcaddr: '10.9.0.5', dstaddr: '10.0.1.10', srcport: '40000', dstport: '22', protocol: '6', packets: '2', bytes: '100', action: 'ACCEPT' };
    x.addRecord(request, 3);
    const first = x.results();
    expect(first.map((f) => [f.count, f.packets, f.bytes, f.pair])).toEqual([[3, 6, 300, undefined]]);
    x.addRecord(request, 2);
    x.addRecord({ ...request, srcaddr: '10.0.1.10', dstaddr: '10.9.0.5', srcport: '22', dstport: '40000' });
    const second = x.results();
    const inbound = second.find((f) => f.direction === 'ingress');
    const outbound = second.find((f) => f.direction === 'egress');
    expect([inbound?.count, inbound?.packets, inbound?.bytes]).toEqual([5, 10, 500]);
    expect(outbound?.count).toBe(1);
    // The request and its reply on the same interface name each other.
    expect([inbound?.pair, outbound?.pair]).toEqual([outbound?.key, inbound?.key]);
  });

  it('gives every record the verdict it gets alone (property over random records and rules)', () => {
    const m = ruleBoundaryModel();
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const peers = ['10.0.1.20', '10.0.2.5', '203.0.113.9', '198.51.100.4'];
    const ports = [22, 53, 443, 600, 1023, 1024, 8000, 8100, 8101, 8999, 9000, 32767, 32768, 40000, 65535];
    const records: FlowLogRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const inbound = rnd(2) === 0;
      const peer = peers[rnd(peers.length)] as string;
      const p1 = rnd(3) === 0 ? (ports[rnd(ports.length)] as number) : 1024 + rnd(64500);
      const p2 = ports[rnd(ports.length)] as number;
      const [sport, dport] = rnd(2) === 0 ? [p1, p2] : [p2, p1];
      records.push({ 'interface-id': 'eni-0aa00000000000001', srcaddr: inbound ? peer : '10.0.1.10', dstaddr: inbound ? '10.0.1.10' : peer, srcport: String(sport), dstport: String(dport), protocol: rnd(4) === 0 ? '17' : '6', action: rnd(2) === 0 ? 'ACCEPT' : 'REJECT' });
    }
    const cached = new FlowLogExplainer(m);
    const together = records.map((r) => cached.explainRecord(r));
    const alone = records.map((r) => new FlowLogExplainer(m).explainRecord(r));
    for (let i = 0; i < records.length; i++) {
      const a = together[i];
      const b = alone[i];
      expect([a?.verdict, a?.expected, a?.reading, a?.component?.id], JSON.stringify(records[i])).toEqual([b?.verdict, b?.expected, b?.reading, b?.component?.id]);
    }
    // The cache holds far fewer flows than records.
    expect(cached.results().length).toBeLessThan(records.length / 2);
  });
});

/**
 * flowLogRecordsForTrace: the records AWS would write for traced traffic, on every interface it crosses,
 * in both directions (shared/docs/vpc-flow-logs.md §2; aws-vpc-semantics §12).
 */
import { describe, expect, it } from 'vitest';
import { explainFlowLogRecords } from '../../../src/analyses/flow-logs/explain.js';
import { DEFAULT_FORMAT } from '../../../src/analyses/flow-logs/fields.js';
import { flowLogRecordsForTrace, type GeneratedRecord } from '../../../src/analyses/flow-logs/generate.js';
import { trace, type TraceRequest } from '../../../src/analyses/trace.js';
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../../src/model/network.js';
import { copyExample, editSnapshot } from '../../helpers/temp-snapshot.js';
import { naclVariant } from './lab-variants.js';

const LAB = 'examples/flowlogs-lab';
const A_ENI = 'eni-0a1b2c3d4e5f60718';
const B_ENI = 'eni-0b2c3d4e5f6a70819';
const LAB_SG = 'sg-05a4b3c2d1e0f9a8b';
const FL = 'fl-0c3b2a1d0e9f8a7b6';

const gen = (m: NetworkModel, req: TraceRequest, format?: string) => flowLogRecordsForTrace(m, trace(m, req), format ? { format } : {});
const rows = (records: readonly GeneratedRecord[], fields: readonly string[]) => records.map((r) => fields.map((f) => r.record[f]));

describe('flowlogs-lab', () => {
  const model = loadSnapshot(LAB);

  it('lab-a -> lab-b ping: ACCEPT outbound on A, REJECT inbound on B, nothing else; in the lab flow log format', () => {
    const out = gen(model, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(out.notes).toEqual([]);
    expect(out.records.map((r) => [r.flowLogId, r.format, r.interfaceId, r.direction, r.action, r.leg])).toEqual([
      [FL, DEFAULT_FORMAT, A_ENI, 'egress', 'ACCEPT', 'request'],
      [FL, DEFAULT_FORMAT, B_ENI, 'ingress', 'REJECT', 'request'],
    ]);
    expect(out.records.map((r) => r.line)).toEqual([
      `2 123456789012 ${A_ENI} 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 ACCEPT OK`,
      `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 REJECT OK`,
    ]);
    const reject = explainFlowLogRecords(model, out.records.map((r) => r.record)).find((f) => f.action === 'REJECT');
    expect(reject).toMatchObject({ interfaceId: B_ENI, direction: 'ingress', verdict: 'explained', component: { id: LAB_SG, type: 'security-group' } });
    expect(reject?.reason).toBe(`REJECT inbound on ${B_ENI}: security group ${LAB_SG} (lab-sg) has no inbound rule for ICMP from 172.31.40.10`);
  });

  it('lab-a -> 8.8.8.8: request and reply on A only; the internet side shows the private address, traffic-path 8', () => {
    const out = gen(model, { from: 'lab-a', to: '8.8.8.8', protocol: 'icmp' }, '${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${traffic-path} ${tcp-flags} ${action}');
    expect(out.records.map((r) => r.line)).toEqual([`${A_ENI} egress 172.31.40.10 8.8.8.8 172.31.40.10 8.8.8.8 8 0 ACCEPT`, `${A_ENI} ingress 8.8.8.8 172.31.40.10 8.8.8.8 172.31.40.10 - 0 ACCEPT`]);
  });

  it('a NACL that drops the reply: ACCEPT in and REJECT out on A; explain names the NACL rule', () => {
    const m = naclVariant();
    const out = gen(m, { from: 'internet', to: 'lab-a', port: 22 });
    expect(rows(out.records, ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'action'])).toEqual([
      [A_ENI, '198.51.100.10', '172.31.40.10', '49152', '22', 'ACCEPT'],
      [A_ENI, '172.31.40.10', '198.51.100.10', '22', '49152', 'REJECT'],
    ]);
    expect(out.records.map((r) => [r.direction, r.leg])).toEqual([
      ['ingress', 'request'],
      ['egress', 'reply'],
    ]);
    const flows = explainFlowLogRecords(m, out.records.map((r) => r.record));
    const reject = flows.find((f) => f.action === 'REJECT');
    expect(reject).toMatchObject({ direction: 'egress', verdict: 'explained', reading: 'reply', component: { id: 'acl-0c9d8e7f6a5b43210', type: 'network-acl' } });
    expect(reject?.reason).toMatch(/^ACCEPT inbound then REJECT outbound on the reply at eni-0a1b2c3d4e5f60718: network ACL acl-0c9d8e7f6a5b43210 rule 100 denies tcp 1024-65535 out \(to 0\.0\.0\.0\/0\); the request was tcp 22 from 198\.51\.100\.10/);
  });

  it('a security-group drop of the request: REJECT on the dropping interface only', () => {
    const out = gen(model, { from: 'internet', to: 'lab-a', port: 22 });
    expect(out.records.map((r) => [r.interfaceId, r.direction, r.action])).toEqual([[A_ENI, 'ingress', 'REJECT']]);
  });

  it('records of traffic AWS never logs: none', () => {
    for (const to of ['169.254.169.254', '169.254.169.123', '172.31.0.2'] as const) {
      const out = gen(model, { from: 'lab-a', to, protocol: 'udp', port: 53 });
      expect(out.records, to).toEqual([]);
      expect(out.notes.join(' '), to).toMatch(/never logged/);
    }
    expect(gen(model, { from: 'lab-a', to: '172.31.32.1', protocol: 'udp', port: 67 }).records).toEqual([]);
  });
});

describe('the flow logs of the snapshot decide formats and traffic types', () => {
  const variant = (flowLogs: object[]) => {
    const dir = copyExample('flowlogs-lab');
    editSnapshot(dir, 'FlowLogs', (doc) => {
      doc.FlowLogs = flowLogs;
    });
    return loadSnapshot(dir);
  };

  it('a subnet flow log with a custom format, a REJECT-only one on lab-b, and an uncovered interface', () => {
    const v5 = '${version} ${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${action} ${traffic-path} ${az-id} ${instance-id}';
    const m = variant([
      { FlowLogId: 'fl-0000000000000sub1', ResourceId: 'subnet-04e5f6a7b8c9d0e1f', TrafficType: 'ALL', FlowLogStatus: 'ACTIVE', LogDestinationType: 's3', LogFormat: v5 },
      { FlowLogId: 'fl-00000000000rejb1', ResourceId: B_ENI, TrafficType: 'REJECT', FlowLogStatus: 'ACTIVE', LogDestinationType: 'cloud-watch-logs' },
    ]);
    const out = gen(m, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(out.records.map((r) => [r.flowLogId, r.line])).toEqual([
      ['fl-0000000000000sub1', `5 ${A_ENI} egress 172.31.40.10 172.31.40.20 ACCEPT 1 use1-az6 i-0aa11bb22cc33dd44`],
      ['fl-0000000000000sub1', `5 ${B_ENI} ingress 172.31.40.10 172.31.40.20 REJECT - use1-az6 i-0bb22cc33dd44ee55`],
      ['fl-00000000000rejb1', `2 123456789012 ${B_ENI} 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 REJECT OK`],
    ]);
    const none = variant([{ FlowLogId: 'fl-00000000000acca1', ResourceId: A_ENI, TrafficType: 'ACCEPT', FlowLogStatus: 'ACTIVE' }]);
    const partly = gen(none, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(partly.records.map((r) => [r.flowLogId, r.interfaceId])).toEqual([
      ['fl-00000000000acca1', A_ENI],
      [undefined, B_ENI],
    ]);
    expect(partly.notes).toEqual([`no flow log in the snapshot covers ${B_ENI}: their records use the default format (AWS would write none)`]);
  });
});

describe('intermediate interfaces', () => {
  it('NAT gateway: the gateway interface logs both sides with its own address, the instance sees the host (EX-10..13)', () => {
    const m = loadSnapshot('examples/private-subnet-egress');
    const out = gen(m, { from: 'private-app', to: '1.1.1.1', port: 443 }, '${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${instance-id} ${traffic-path} ${tcp-flags}');
    expect(out.records.map((r) => r.line)).toEqual([
      'eni-0f1e2d3c4b5a69788 egress 10.20.10.50 1.1.1.1 10.20.10.50 1.1.1.1 i-0d7e9f1a3b5c7d9e1 1 2',
      'eni-0a2c4e6f8b0d2f4a6 ingress 10.20.10.50 10.20.0.120 10.20.10.50 1.1.1.1 - - 2',
      'eni-0a2c4e6f8b0d2f4a6 egress 10.20.0.120 1.1.1.1 10.20.0.120 1.1.1.1 - 8 2',
      'eni-0a2c4e6f8b0d2f4a6 ingress 1.1.1.1 10.20.0.120 1.1.1.1 10.20.0.120 - - 18',
      'eni-0a2c4e6f8b0d2f4a6 egress 10.20.0.120 10.20.10.50 1.1.1.1 10.20.10.50 - 1 18',
      'eni-0f1e2d3c4b5a69788 ingress 1.1.1.1 10.20.10.50 1.1.1.1 10.20.10.50 i-0d7e9f1a3b5c7d9e1 - 18',
    ]);
  });

  it('gateway endpoint to S3: traffic-path 7, pkt-dst-aws-service S3 from the AWS-managed prefix list', () => {
    const m = loadSnapshot('examples/private-subnet-egress');
    const out = gen(m, { from: 'private-app', to: '52.92.128.10', port: 443 }, '${interface-id} ${flow-direction} ${traffic-path} ${pkt-src-aws-service} ${pkt-dst-aws-service}');
    expect(out.records.map((r) => r.line)).toEqual(['eni-0f1e2d3c4b5a69788 egress 7 - S3', 'eni-0f1e2d3c4b5a69788 ingress - S3 -']);
  });

  it('transit gateway: the attachment interface substitutes its own address on the VPC side (EX-15, EX-16)', () => {
    const m = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');
    const out = gen(m, { from: '192.168.10.10', to: 'connectivity-app', port: 22 }, '${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${interface-type}');
    expect(out.records.map((r) => r.line)).toEqual([
      'eni-01e348c4023cb6fcb egress 10.0.0.7 10.0.1.25 192.168.10.10 10.0.1.25 transit_gateway',
      'eni-00496afdc48d664e9 ingress 192.168.10.10 10.0.1.25 192.168.10.10 10.0.1.25 -',
      'eni-00496afdc48d664e9 egress 10.0.1.25 192.168.10.10 10.0.1.25 192.168.10.10 -',
      'eni-01e348c4023cb6fcb ingress 10.0.1.25 10.0.0.7 10.0.1.25 192.168.10.10 transit_gateway',
    ]);
  });

  it('PrivateLink: the endpoint and the NLB log their client and target sides, never the hand-off between them', () => {
    const m = loadSnapshot('examples/hub-spoke-privatelink');
    const out = gen(m, { from: 'spoke-bastion', to: '10.210.250.6', port: 443 }, '${interface-id} ${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr} ${action}');
    expect(out.records.map((r) => r.line)).toEqual([
      'eni-0da003682e5fcca8c egress 10.210.20.37 10.210.250.6 ACCEPT',
      'eni-080cb1fd176ee3ffd ingress 10.210.20.37 10.210.250.6 ACCEPT',
      'eni-0d9b229369a868506 egress 10.209.4.10 10.209.4.87 ACCEPT',
      'eni-0fce47774fbbd5c28 ingress 10.209.4.10 10.209.4.87 ACCEPT',
      'eni-0fce47774fbbd5c28 egress 10.209.4.87 10.209.4.10 ACCEPT',
      'eni-0d9b229369a868506 ingress 10.209.4.87 10.209.4.10 ACCEPT',
      'eni-080cb1fd176ee3ffd egress 10.210.250.6 10.210.20.37 ACCEPT',
      'eni-0da003682e5fcca8c ingress 10.210.250.6 10.210.20.37 ACCEPT',
    ]);
  });

  it('ALB: the node logs the client connection and its own connection to the target', () => {
    const m = loadSnapshot('test/fixtures/alb-public');
    const out = gen(m, { from: 'internet', to: 'web-alb', port: 443 }, '${interface-id} ${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr} ${dstport} ${action}');
    expect(out.records.map((r) => r.line)).toEqual([
      'eni-0a1b00000000alba ingress 198.51.100.10 10.50.0.20 443 ACCEPT',
      'eni-0a1b00000000alba egress 10.50.0.20 10.50.10.30 8080 ACCEPT',
      'eni-0a1b000000000app ingress 10.50.0.20 10.50.10.30 8080 ACCEPT',
      'eni-0a1b000000000app egress 10.50.10.30 10.50.0.20 49152 ACCEPT',
      'eni-0a1b00000000alba ingress 10.50.10.30 10.50.0.20 49152 ACCEPT',
      'eni-0a1b00000000alba egress 10.50.0.20 198.51.100.10 49152 ACCEPT',
    ]);
  });

  it('Gateway Load Balancer: the endpoint both ways, GENEVE (udp 6081) between the GWLB node and the appliance', () => {
    const m = loadSnapshot('test/fixtures/gwlb-inspection');
    const out = gen(m, { from: 'internet', to: '34.250.1.10', port: 443 }, '${interface-id} ${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${dstport}');
    expect(out.records.slice(0, 6).map((r) => r.line)).toEqual([
      'eni-0a0a00000000000e1 ingress 198.51.100.10 10.60.1.10 6 443',
      'eni-0b0b00000000000g1 egress 10.99.1.5 10.99.1.50 17 6081',
      'eni-0b0b00000000000f1 ingress 10.99.1.5 10.99.1.50 17 6081',
      'eni-0b0b00000000000f1 egress 10.99.1.50 10.99.1.5 17 6081',
      'eni-0b0b00000000000g1 ingress 10.99.1.50 10.99.1.5 17 6081',
      'eni-0a0a00000000000e1 egress 198.51.100.10 10.60.1.10 6 443',
    ]);
    expect(out.records[6]?.line).toBe('eni-0a0a00000000000w1 ingress 198.51.100.10 10.60.1.10 6 443');
  });
});

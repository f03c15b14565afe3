/**
 * Network ACL evaluation (aws-vpc-semantics §3; https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html):
 * entries in ascending rule number, the first match decides, nothing matched is the `*` deny; inbound
 * entries match the source, outbound the destination; tcp/udp port ranges are the destination port.
 */
import { describe, expect, it } from 'vitest';
import { evaluateNetworkAcl } from '../../src/engine/network-acl.js';
import type { Packet } from '../../src/engine/packet.js';
import type { NetworkAcl, NetworkAclEntry } from '../../src/model/types.js';

const source = { file: 'NetworkAcls.json', path: '$' };
const entry = (ruleNumber: number, action: 'allow' | 'deny', cidr: string, more: Partial<NetworkAclEntry> = {}): NetworkAclEntry => ({
  ruleNumber,
  egress: false,
  action,
  protocol: -1,
  cidr,
  source,
  ...more,
});

/** Entries deliberately out of rule-number order, as a hand-written snapshot may hold them. */
const acl: NetworkAcl = {
  kind: 'network-acl',
  id: 'acl-1',
  account: '111111111111',
  region: 'us-east-1',
  tags: {},
  source,
  vpcId: 'vpc-1',
  isDefault: false,
  subnetIds: [],
  inbound: [
    entry(200, 'allow', '0.0.0.0/0'),
    entry(100, 'deny', '203.0.113.0/24', { protocol: 6, portRange: { from: 22, to: 22 } }),
    entry(32767, 'deny', '0.0.0.0/0'),
  ],
  outbound: [entry(100, 'deny', '198.51.100.0/24'), entry(110, 'allow', '0.0.0.0/0', { egress: true, protocol: 6, portRange: { from: 1024, to: 65535 } })],
};

const tcp = (srcIp: string, dstIp: string, dstPort: number): Packet => ({ family: 4, srcIp, dstIp, protocol: 6, srcPort: 40000, dstPort });

describe('evaluateNetworkAcl', () => {
  it('takes entries in rule-number order whatever their order in the snapshot: rule 100 denies before rule 200 allows', () => {
    const v = evaluateNetworkAcl(acl, 'inbound', tcp('203.0.113.9', '10.0.0.5', 22));
    expect(v.allowed).toBe(false);
    expect(v.entry?.ruleNumber).toBe(100);
  });

  it('a packet rule 100 does not match (other port, other source) falls to rule 200', () => {
    expect(evaluateNetworkAcl(acl, 'inbound', tcp('203.0.113.9', '10.0.0.5', 443)).entry?.ruleNumber).toBe(200);
    expect(evaluateNetworkAcl(acl, 'inbound', tcp('192.0.2.1', '10.0.0.5', 22)).entry?.ruleNumber).toBe(200);
  });

  it('outbound entries match the destination, and the port range is the destination port', () => {
    expect(evaluateNetworkAcl(acl, 'outbound', tcp('10.0.0.5', '198.51.100.7', 50000))).toMatchObject({ allowed: false, entry: { ruleNumber: 100 } });
    expect(evaluateNetworkAcl(acl, 'outbound', tcp('198.51.100.7', '10.0.0.9', 50000))).toMatchObject({ allowed: true, entry: { ruleNumber: 110 } });
    // A reply to port 443 (below 1024) matches no outbound entry: the implicit `*` rule denies it.
    expect(evaluateNetworkAcl(acl, 'outbound', tcp('10.0.0.5', '192.0.2.1', 443))).toEqual({ allowed: false });
  });

  it('IPv4 entries never match an IPv6 packet, and an address that does not parse matches nothing', () => {
    expect(evaluateNetworkAcl(acl, 'inbound', { family: 6, srcIp: '2001:db8::1', dstIp: '2001:db8::2', protocol: 6, srcPort: 1, dstPort: 22 })).toEqual({ allowed: false });
    expect(evaluateNetworkAcl(acl, 'inbound', tcp('not-an-address', '10.0.0.5', 22))).toEqual({ allowed: false });
  });

  it('one NACL evaluated for many packets answers each by its own fields (nothing of one packet is kept for the next)', () => {
    const answers = ['203.0.113.9', '192.0.2.1', '203.0.113.200'].map((src) => evaluateNetworkAcl(acl, 'inbound', tcp(src, '10.0.0.5', 22)).entry?.ruleNumber);
    expect(answers).toEqual([100, 200, 100]);
  });
});

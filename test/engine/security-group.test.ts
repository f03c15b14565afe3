/**
 * Security-group evaluation (aws-vpc-semantics §2.2–2.4; https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html):
 * allow-only rules, the union of every group on the interface; ingress rules match the source, egress the
 * destination; protocol -1 is every protocol and port; tcp/udp ranges are the destination port; icmp rules
 * give type and code; IPv4 CIDRs never match IPv6; prefix-list and security-group peers.
 */
import { describe, expect, it } from 'vitest';
import { evaluateSecurityGroups, type SecurityGroupContext } from '../../src/engine/security-group.js';
import type { Packet } from '../../src/engine/packet.js';
import type { SecurityGroup, SecurityGroupRule } from '../../src/model/types.js';

const source = { file: 'SecurityGroups.json', path: '$' };
const rule = (direction: 'ingress' | 'egress', protocol: number, peer: SecurityGroupRule['peer'], fromPort?: number, toPort?: number): SecurityGroupRule => ({
  direction,
  protocol,
  peer,
  source,
  ...(fromPort !== undefined ? { fromPort } : {}),
  ...(toPort !== undefined ? { toPort } : {}),
});
const group = (id: string, ingress: SecurityGroupRule[], egress: SecurityGroupRule[] = []): SecurityGroup => ({
  kind: 'security-group',
  id,
  account: '111111111111',
  region: 'us-east-1',
  tags: {},
  source,
  groupName: id,
  ingress,
  egress,
});
const cidr = (c: string) => ({ kind: 'cidr' as const, cidr: c });

/** Prefix list pl-known holds 192.0.2.0/24; group sg-app has members 10.0.5.5 and 2001:db8::5. */
const ctx: SecurityGroupContext = {
  prefixListCidrs: (id) => (id === 'pl-known' ? ['192.0.2.0/24'] : undefined),
  isMemberAddress: (groupId, ip) => groupId === 'sg-app' && (ip === '10.0.5.5' || ip === '2001:db8::5'),
};

const tcp = (srcIp: string, dstIp: string, dstPort: number): Packet => ({ family: srcIp.includes(':') ? 6 : 4, srcIp, dstIp, protocol: 6, srcPort: 40000, dstPort });

describe('evaluateSecurityGroups', () => {
  const web = group('sg-web', [rule('ingress', 6, cidr('10.0.0.0/16'), 443, 443)]);
  const admin = group('sg-admin', [rule('ingress', 6, cidr('10.9.0.0/16'), 22, 22)]);

  it('admits what any group on the interface admits, naming that group and rule', () => {
    const v = evaluateSecurityGroups([web, admin], 'ingress', tcp('10.9.1.1', '10.0.1.10', 22), ctx);
    expect(v.allowed).toBe(true);
    expect(v.match?.groupId).toBe('sg-admin');
    expect(v.match?.rule).toBe(admin.ingress[0]);
  });

  it('drops what no rule admits (rules only allow)', () => {
    const v = evaluateSecurityGroups([web, admin], 'ingress', tcp('10.9.1.1', '10.0.1.10', 443), ctx);
    expect([v.allowed, v.match]).toEqual([false, undefined]);
  });

  it('ingress rules match the source, egress rules the destination', () => {
    const out = group('sg-out', [], [rule('egress', 6, cidr('203.0.113.0/24'), 443, 443)]);
    expect(evaluateSecurityGroups([out], 'egress', tcp('10.0.1.10', '203.0.113.7', 443), ctx).allowed).toBe(true);
    expect(evaluateSecurityGroups([out], 'egress', tcp('203.0.113.7', '10.0.1.10', 443), ctx).allowed).toBe(false);
  });

  it('a tcp range holds both ends; a rule without ports holds every port; protocol -1 holds every protocol', () => {
    const range = group('sg-r', [rule('ingress', 6, cidr('0.0.0.0/0'), 1024, 2048)]);
    expect([1023, 1024, 2048, 2049].map((p) => evaluateSecurityGroups([range], 'ingress', tcp('198.51.100.1', '10.0.1.10', p), ctx).allowed)).toEqual([false, true, true, false]);
    const anyTcp = group('sg-t', [rule('ingress', 6, cidr('0.0.0.0/0'))]);
    expect(evaluateSecurityGroups([anyTcp], 'ingress', tcp('198.51.100.1', '10.0.1.10', 65535), ctx).allowed).toBe(true);
    const all = group('sg-all', [rule('ingress', -1, cidr('0.0.0.0/0'))]);
    const gre: Packet = { family: 4, srcIp: '198.51.100.1', dstIp: '10.0.1.10', protocol: 47 };
    expect(evaluateSecurityGroups([all], 'ingress', gre, ctx).allowed).toBe(true);
    expect(evaluateSecurityGroups([anyTcp], 'ingress', gre, ctx).allowed).toBe(false);
  });

  it('icmp rules give type and code; an icmp rule does not admit icmpv6', () => {
    const echo = group('sg-ping', [rule('ingress', 1, cidr('0.0.0.0/0'), 8)]);
    const ping = (icmpType: number): Packet => ({ family: 4, srcIp: '198.51.100.1', dstIp: '10.0.1.10', protocol: 1, icmpType, icmpCode: 0 });
    expect([8, 0].map((t) => evaluateSecurityGroups([echo], 'ingress', ping(t), ctx).allowed)).toEqual([true, false]);
    const v6ping: Packet = { family: 6, srcIp: '2001:db8::1', dstIp: '2001:db8::2', protocol: 58, icmpType: 128, icmpCode: 0 };
    expect(evaluateSecurityGroups([group('sg-all4', [rule('ingress', 1, cidr('::/0'))])], 'ingress', v6ping, ctx).allowed).toBe(false);
  });

  it('IPv4 CIDRs never match an IPv6 packet; ::/0 does', () => {
    const v4 = group('sg-v4', [rule('ingress', -1, cidr('0.0.0.0/0'))]);
    const v6 = group('sg-v6', [rule('ingress', -1, cidr('::/0'))]);
    const p = tcp('2001:db8::9', '2001:db8::10', 443);
    expect(evaluateSecurityGroups([v4], 'ingress', p, ctx).allowed).toBe(false);
    expect(evaluateSecurityGroups([v6], 'ingress', p, ctx).allowed).toBe(true);
  });

  it('a prefix-list peer matches its CIDRs; an unknown list matches nothing and is named as unresolved, per evaluation', () => {
    const lists = group('sg-pl', [rule('ingress', 6, { kind: 'prefix-list', prefixListId: 'pl-missing' }, 443, 443), rule('ingress', 6, { kind: 'prefix-list', prefixListId: 'pl-known' }, 443, 443)]);
    const inList = evaluateSecurityGroups([lists], 'ingress', tcp('192.0.2.44', '10.0.1.10', 443), ctx);
    expect([inList.allowed, inList.unresolved]).toEqual([true, ['pl-missing']]);
    const outside = evaluateSecurityGroups([lists], 'ingress', tcp('198.51.100.1', '10.0.1.10', 443), ctx);
    expect([outside.allowed, outside.unresolved]).toEqual([false, ['pl-missing']]);
    // The next evaluation starts with no unresolved lists of its own.
    expect(evaluateSecurityGroups([web], 'ingress', tcp('10.0.3.3', '10.0.1.10', 443), ctx).unresolved).toEqual([]);
  });

  it('a security-group peer matches the addresses of that group’s members (source on ingress)', () => {
    const fromApp = group('sg-db', [rule('ingress', 6, { kind: 'security-group', groupId: 'sg-app' }, 5432, 5432)]);
    expect(evaluateSecurityGroups([fromApp], 'ingress', tcp('10.0.5.5', '10.0.1.10', 5432), ctx).allowed).toBe(true);
    expect(evaluateSecurityGroups([fromApp], 'ingress', tcp('2001:db8::5', '2001:db8::10', 5432), ctx).allowed).toBe(true);
    expect(evaluateSecurityGroups([fromApp], 'ingress', tcp('10.0.5.6', '10.0.1.10', 5432), ctx).allowed).toBe(false);
  });
});

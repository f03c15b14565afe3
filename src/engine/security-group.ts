/**
 * Security-group evaluation (aws-vpc-semantics §2.2–2.4).
 *
 * - Allow-only: the rules of all groups on an interface form one union; a packet passes when any rule
 *   admits it, and is dropped otherwise (VPC:security-group-rules).
 * - Ingress rules match the packet's source, egress rules its destination.
 * - Protocol -1 means every protocol and every port. For tcp/udp the range is the destination port; for
 *   icmp/icmpv6 FromPort is the type and ToPort the code (-1 = any). Other protocols ignore ports.
 * - IPv4 CIDRs never match IPv6 packets and an `icmp` rule never matches icmpv6.
 * - A prefix-list peer matches any CIDR of the list; a security-group peer matches the private addresses of
 *   interfaces in that group (never public IPs, §2.4). An unknown list or group matches nothing.
 */
import { cidrContains, parseCidrCached, parseIpCached, type IpAddress } from '../model/addresses.js';
import type { SecurityGroup, SecurityGroupRule } from '../model/types.js';
import { protocolName, type Packet } from './packet.js';

export interface SecurityGroupContext {
  prefixListCidrs(prefixListId: string): readonly string[] | undefined;
  isMemberAddress(groupId: string, ip: string): boolean;
}

export interface SecurityGroupMatch {
  readonly groupId: string;
  readonly rule: SecurityGroupRule;
}

export interface SecurityGroupVerdict {
  readonly allowed: boolean;
  readonly match?: SecurityGroupMatch;
  readonly unresolved: readonly string[];
}

function protocolMatches(rule: SecurityGroupRule, p: Packet): boolean {
  if (rule.protocol === -1) return true;
  if (rule.protocol !== p.protocol) return false;
  if (p.protocol === 6 || p.protocol === 17) {
    if (rule.fromPort === undefined && rule.toPort === undefined) return true;
    const port = p.dstPort ?? -1;
    return port >= (rule.fromPort ?? 0) && port <= (rule.toPort ?? 65535);
  }
  if (p.protocol === 1 || p.protocol === 58) {
    if (rule.fromPort !== undefined && rule.fromPort !== p.icmpType) return false;
    if (rule.fromPort !== undefined && rule.toPort !== undefined && rule.toPort !== p.icmpCode) return false;
    return true;
  }
  return true;
}

function addressInCidr(cidr: string, a: IpAddress | undefined): boolean {
  const c = parseCidrCached(cidr);
  return !!c && !!a && cidrContains(c, a);
}

/**
 * True when `rule` admits `packet` in `direction`; `unresolved` collects unknown prefix lists. `peerAddress`
 * is the packet's peer address parsed (the caller parses it once for all rules).
 */
export function ruleMatches(
  rule: SecurityGroupRule,
  direction: 'ingress' | 'egress',
  packet: Packet,
  ctx: SecurityGroupContext,
  unresolved?: Set<string>,
  peerAddress: IpAddress | undefined = parseIpCached(direction === 'ingress' ? packet.srcIp : packet.dstIp),
): boolean {
  if (!protocolMatches(rule, packet)) return false;
  const ip = direction === 'ingress' ? packet.srcIp : packet.dstIp;
  const peer = rule.peer;
  switch (peer.kind) {
    case 'cidr':
      return addressInCidr(peer.cidr, peerAddress);
    case 'prefix-list': {
      const cidrs = ctx.prefixListCidrs(peer.prefixListId);
      if (!cidrs) {
        unresolved?.add(peer.prefixListId);
        return false;
      }
      return cidrs.some((c) => addressInCidr(c, peerAddress));
    }
    case 'security-group':
      return ctx.isMemberAddress(peer.groupId, ip);
  }
}

/** Scratch set of one evaluation's unknown prefix lists (evaluations do not nest; most find none). */
const scratchUnresolved = new Set<string>();
const NONE: readonly string[] = [];

export function evaluateSecurityGroups(groups: readonly SecurityGroup[], direction: 'ingress' | 'egress', packet: Packet, ctx: SecurityGroupContext): SecurityGroupVerdict {
  const unresolved = scratchUnresolved;
  unresolved.clear();
  const found = (): readonly string[] => (unresolved.size ? [...unresolved] : NONE);
  const peerAddress = parseIpCached(direction === 'ingress' ? packet.srcIp : packet.dstIp);
  for (const g of groups) {
    for (const rule of direction === 'ingress' ? g.ingress : g.egress) {
      if (ruleMatches(rule, direction, packet, ctx, unresolved, peerAddress)) return { allowed: true, match: { groupId: g.id, rule }, unresolved: found() };
    }
  }
  return { allowed: false, unresolved: found() };
}

/** "tcp 443 from 10.0.0.0/8", "all traffic to 0.0.0.0/0", "icmp type 8 from sg-0abc". */
export function describeSecurityGroupRule(rule: SecurityGroupRule): string {
  let what: string;
  if (rule.protocol === -1) what = 'all traffic';
  else if (rule.protocol === 6 || rule.protocol === 17) {
    const name = protocolName(rule.protocol);
    if (rule.fromPort === undefined || (rule.fromPort === 0 && rule.toPort === 65535)) what = `${name} all ports`;
    else what = rule.fromPort === rule.toPort ? `${name} ${rule.fromPort}` : `${name} ${rule.fromPort}-${rule.toPort}`;
  } else if (rule.protocol === 1 || rule.protocol === 58) {
    const name = protocolName(rule.protocol);
    what = rule.fromPort === undefined ? `${name} all` : `${name} type ${rule.fromPort}${rule.toPort !== undefined ? ` code ${rule.toPort}` : ''}`;
  } else what = `protocol ${rule.protocol}`;
  const peer = rule.peer.kind === 'cidr' ? rule.peer.cidr : rule.peer.kind === 'prefix-list' ? rule.peer.prefixListId : rule.peer.groupId;
  return `${what} ${rule.direction === 'ingress' ? 'from' : 'to'} ${peer}${rule.description ? ` (${rule.description})` : ''}`;
}

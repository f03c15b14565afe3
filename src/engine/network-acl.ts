/**
 * Network ACL evaluation (aws-vpc-semantics §3; VPC:vpc-network-acls).
 *
 * - Entries are evaluated in ascending rule number; the first match allows or denies; later entries are
 *   not consulted. Nothing matched: the final `*` rule denies.
 * - Inbound entries match the packet's source, outbound entries its destination (CIDR only).
 * - Protocol -1 means all; for tcp/udp the port range is the packet's destination port (for a reply that
 *   is the client's ephemeral port); for icmp/icmpv6 type and code (-1 = any).
 * - Stateless: a reply is evaluated like any other packet; IPv4 entries never match IPv6 packets.
 * - The API shows the `*` rule as rule number 32767 (IPv6: 32768).
 */
import { cidrContains, parseCidrCached, parseIpCached } from '../model/addresses.js';
import type { NetworkAcl, NetworkAclEntry } from '../model/types.js';
import { protocolName, type Packet } from './packet.js';

export interface NetworkAclVerdict {
  readonly allowed: boolean;
  /** First matching entry; undefined = nothing matched and the implicit `*` rule denied. */
  readonly entry?: NetworkAclEntry;
}

export function entryMatches(e: NetworkAclEntry, direction: 'inbound' | 'outbound', p: Packet): boolean {
  const c = parseCidrCached(e.cidr);
  const a = parseIpCached(direction === 'inbound' ? p.srcIp : p.dstIp);
  if (!c || !a || !cidrContains(c, a)) return false;
  if (e.protocol === -1) return true;
  if (e.protocol !== p.protocol) return false;
  if ((p.protocol === 6 || p.protocol === 17) && e.portRange) {
    const port = p.dstPort ?? -1;
    return port >= e.portRange.from && port <= e.portRange.to;
  }
  if ((p.protocol === 1 || p.protocol === 58) && e.icmp) {
    if (e.icmp.type !== -1 && e.icmp.type !== p.icmpType) return false;
    if (e.icmp.code !== -1 && e.icmp.code !== p.icmpCode) return false;
  }
  return true;
}

export function evaluateNetworkAcl(acl: NetworkAcl, direction: 'inbound' | 'outbound', packet: Packet): NetworkAclVerdict {
  const entries = direction === 'inbound' ? acl.inbound : acl.outbound;
  let sorted = true;
  for (let i = 1; i < entries.length; i++) if ((entries[i - 1] as NetworkAclEntry).ruleNumber > (entries[i] as NetworkAclEntry).ruleNumber) sorted = false;
  const ordered = sorted ? entries : [...entries].sort((x, y) => x.ruleNumber - y.ruleNumber);
  for (const e of ordered) if (entryMatches(e, direction, packet)) return { allowed: e.action === 'allow', entry: e };
  return { allowed: false };
}

/** "rule 100 allow all traffic from 0.0.0.0/0", "rule * deny all traffic". */
export function describeNetworkAclEntry(entry: NetworkAclEntry | undefined): string {
  if (!entry) return 'rule * deny all traffic (no rule matched)';
  const num = entry.ruleNumber >= 32767 ? '*' : String(entry.ruleNumber);
  let what: string;
  if (entry.protocol === -1) what = 'all traffic';
  else if (entry.protocol === 6 || entry.protocol === 17)
    what = `${protocolName(entry.protocol)} ${entry.portRange ? (entry.portRange.from === entry.portRange.to ? entry.portRange.from : `${entry.portRange.from}-${entry.portRange.to}`) : 'all ports'}`;
  else if (entry.protocol === 1 || entry.protocol === 58)
    what = `${protocolName(entry.protocol)}${entry.icmp && entry.icmp.type !== -1 ? ` type ${entry.icmp.type}` : ''}`;
  else what = `protocol ${entry.protocol}`;
  return `rule ${num} ${entry.action} ${what} ${entry.egress ? 'to' : 'from'} ${entry.cidr}`;
}

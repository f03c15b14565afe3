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
import { cidrContains, parseCidrCached, parseIpCached, type Cidr } from '../model/addresses.js';
import type { NetworkAcl, NetworkAclEntry } from '../model/types.js';
import { protocolName, type Packet } from './packet.js';

export interface NetworkAclVerdict {
  readonly allowed: boolean;
  /** First matching entry; undefined = nothing matched and the implicit `*` rule denied. */
  readonly entry?: NetworkAclEntry;
}

/** Protocol, ports, ICMP type and code: everything an entry matches besides its CIDR. */
function matchesBeyondCidr(e: NetworkAclEntry, p: Packet): boolean {
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

interface OrderedEntry {
  readonly entry: NetworkAclEntry;
  readonly cidr: Cidr | undefined;
}

/** Each NACL's entries per direction in rule-number order with their CIDRs parsed, once per NACL (model data is read-only). */
const ordered = new WeakMap<NetworkAcl, { readonly inbound: readonly OrderedEntry[]; readonly outbound: readonly OrderedEntry[] }>();

function orderedEntries(acl: NetworkAcl, direction: 'inbound' | 'outbound'): readonly OrderedEntry[] {
  let o = ordered.get(acl);
  if (!o) {
    const order = (entries: readonly NetworkAclEntry[]): OrderedEntry[] =>
      [...entries].sort((x, y) => x.ruleNumber - y.ruleNumber).map((entry) => ({ entry, cidr: parseCidrCached(entry.cidr) }));
    o = { inbound: order(acl.inbound), outbound: order(acl.outbound) };
    ordered.set(acl, o);
  }
  return direction === 'inbound' ? o.inbound : o.outbound;
}

export function evaluateNetworkAcl(acl: NetworkAcl, direction: 'inbound' | 'outbound', packet: Packet): NetworkAclVerdict {
  // The packet's address is parsed once, not once per entry.
  const a = parseIpCached(direction === 'inbound' ? packet.srcIp : packet.dstIp);
  if (a) for (const { entry, cidr } of orderedEntries(acl, direction)) if (cidr && cidrContains(cidr, a) && matchesBeyondCidr(entry, packet)) return { allowed: entry.action === 'allow', entry };
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

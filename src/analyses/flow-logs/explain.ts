/**
 * Explains flow log records against the snapshot: for each distinct flow (interface, addresses, ports,
 * protocol, direction, action) which component and rule produced the recorded action, using the same rule
 * kernels as the trace:
 *
 * - ingress on interface X: the NACL of X's subnet (inbound, unless the source is in the same subnet), then
 *   X's security groups (inbound); a packet the security groups do not admit as a request is still
 *   admitted when it answers a request X sent (connection tracking);
 * - egress: X's security groups (outbound; replies to admitted requests pass by tracking), then the NACL
 *   (outbound) unless the destination is in the same subnet.
 *
 * A record whose action differs from what the snapshot decides is flagged (configuration drift, or a
 * snapshot from another time); traffic AWS never logs (link-local services) is flagged too. Distinct flows
 * are explained once: client ephemeral ports are folded into one key when no NACL or security-group rule of
 * that interface distinguishes them.
 */
import type { NetworkModel } from '../../model/network.js';
import type { NetworkAclEntry, NetworkInterface, SecurityGroupRule } from '../../model/types.js';
import { anyCidrContains, isLinkLocal, parseIpCached } from '../../model/addresses.js';
import { modelContext } from '../../engine/model-context.js';
import { describeNetworkAclEntry, evaluateNetworkAcl } from '../../engine/network-acl.js';
import { replyTo, type Packet } from '../../engine/packet.js';
import { describeSecurityGroupRule, evaluateSecurityGroups } from '../../engine/security-group.js';
import type { FlowLogRecord } from './reader.js';

export type Verdict = 'explained' | 'drift' | 'not-logged-by-aws' | 'unknown-interface' | 'no-data';

export interface FlowExplanation {
  readonly key: string;
  readonly interfaceId: string;
  readonly direction: 'ingress' | 'egress';
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly srcport?: number;
  readonly dstport?: number;
  readonly protocol: number;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly count: number;
  readonly verdict: Verdict;
  /** What the snapshot decides for this packet. */
  readonly expected?: 'ACCEPT' | 'REJECT';
  /** The deciding component and rule, in words. */
  readonly reason: string;
  readonly component?: { readonly id: string; readonly type: 'security-group' | 'network-acl' | 'network-interface' };
}

interface Decision {
  readonly action: 'ACCEPT' | 'REJECT';
  readonly reason: string;
  readonly component?: FlowExplanation['component'];
}

function sgRule(groupId: string, rule: SecurityGroupRule): string {
  return `security group ${groupId} ${rule.direction} rule ${describeSecurityGroupRule(rule)}`;
}

function aclText(aclId: string, entry: NetworkAclEntry | undefined): string {
  return `network ACL ${aclId} ${describeNetworkAclEntry(entry)}`;
}

/** What the snapshot decides for `packet` crossing interface `eni` in `direction`. */
export function decideAtInterface(model: NetworkModel, eni: NetworkInterface, direction: 'ingress' | 'egress', packet: Packet, mayBeReply?: boolean): Decision {
  const subnet = model.subnets.get(eni.subnetId);
  const acl = subnet?.networkAclId ? model.networkAcls.get(subnet.networkAclId) : undefined;
  const peer = direction === 'ingress' ? packet.srcIp : packet.dstIp;
  const sameSubnet = !!subnet?.cidr && anyCidrContains([subnet.cidr, ...subnet.ipv6Cidrs], peer);
  const groups = eni.securityGroupIds.flatMap((id) => model.securityGroups.get(id) ?? []);
  const ctx = modelContext(model);
  const sgDecision = (): Decision | undefined => {
    if (groups.length === 0 && eni.securityGroupIds.length === 0) return undefined;
    const v = evaluateSecurityGroups(groups, direction, packet, ctx);
    if (v.allowed && v.match) return { action: 'ACCEPT', reason: sgRule(v.match.groupId, v.match.rule), component: { id: v.match.groupId, type: 'security-group' } };
    // Stateful: a reply to a request this interface admitted in the other direction passes. Flow logs do
    // not carry the ICMP type, so only TCP/UDP records from a service port to an ephemeral port are read as
    // replies.
    const looksLikeReply = mayBeReply ?? (packet.srcPort !== undefined && packet.dstPort !== undefined && packet.srcPort < 1024 && packet.dstPort >= 1024);
    const swapped = replyTo(packet);
    const request: Packet = packet.protocol === 1 || packet.protocol === 58 ? { ...swapped, icmpType: packet.protocol === 1 ? 8 : 128 } : swapped;
    const back = looksLikeReply ? evaluateSecurityGroups(groups, direction === 'ingress' ? 'egress' : 'ingress', request, ctx) : { allowed: false, match: undefined };
    if (back.allowed && back.match)
      return { action: 'ACCEPT', reason: `reply admitted by connection tracking (request matched ${sgRule(back.match.groupId, back.match.rule)})`, component: { id: back.match.groupId, type: 'security-group' } };
    const names = groups.map((g) => `${g.id} (${g.groupName})`).join(', ');
    return {
      action: 'REJECT',
      reason: `security group${groups.length > 1 ? 's' : ''} ${names} ha${groups.length > 1 ? 've' : 's'} no ${direction === 'ingress' ? 'inbound' : 'outbound'} rule for ${packet.protocol === 1 ? 'ICMP' : packet.protocol === 6 ? `tcp ${packet.dstPort}` : packet.protocol === 17 ? `udp ${packet.dstPort}` : `protocol ${packet.protocol}`} ${direction === 'ingress' ? 'from' : 'to'} ${peer}`,
      component: groups[0] ? { id: groups[0].id, type: 'security-group' } : { id: eni.id, type: 'network-interface' },
    };
  };
  const aclDecision = (): Decision | undefined => {
    if (!acl || sameSubnet) return undefined;
    const v = evaluateNetworkAcl(acl, direction === 'ingress' ? 'inbound' : 'outbound', packet);
    return { action: v.allowed ? 'ACCEPT' : 'REJECT', reason: aclText(acl.id, v.entry), component: { id: acl.id, type: 'network-acl' } };
  };
  const order = direction === 'ingress' ? [aclDecision, sgDecision] : [sgDecision, aclDecision];
  const decisions = order.map((f) => f()).filter((d): d is Decision => !!d);
  const reject = decisions.find((d) => d.action === 'REJECT');
  if (reject) return reject;
  // Admitted: every check passed; the security group (the narrower, per-interface rule) is named.
  const named = decisions.find((d) => d.component?.type === 'security-group') ?? decisions[0];
  return { action: 'ACCEPT', reason: decisions.map((d) => d.reason).join('; then ') || 'no security group or NACL applies', ...(named?.component ? { component: named.component } : {}) };
}

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

/** Explains records, grouped by distinct flow, with counts. */
export function explainFlowLogRecords(model: NetworkModel, records: Iterable<FlowLogRecord>, counts?: readonly number[]): FlowExplanation[] {
  const cache = new Map<string, FlowExplanation>();
  let index = -1;
  for (const r of records) {
    index++;
    const weight = counts?.[index] ?? 1;
    const interfaceId = r['interface-id'] ?? '-';
    if (r['log-status'] && r['log-status'] !== 'OK') {
      const key = `${interfaceId}|${r['log-status']}`;
      const prev = cache.get(key);
      cache.set(key, prev ? { ...prev, count: prev.count + weight } : { key, interfaceId, direction: 'ingress', srcaddr: '-', dstaddr: '-', protocol: -1, action: 'ACCEPT', count: weight, verdict: 'no-data', reason: `${r['log-status']}: ${r['log-status'] === 'NODATA' ? 'no traffic in the interval' : 'records skipped by AWS (capacity or internal error)'}` });
      continue;
    }
    const eni = model.networkInterfaces.get(interfaceId);
    const srcaddr = r['pkt-srcaddr'] ?? r.srcaddr ?? '';
    const dstaddr = r['pkt-dstaddr'] ?? r.dstaddr ?? '';
    const protocol = num(r.protocol) ?? -1;
    const action = r.action === 'REJECT' ? 'REJECT' : 'ACCEPT';
    const owns = (ip: string) => !!eni && (eni.privateAddresses.some((a) => a.ip === ip) || eni.ipv6Addresses.includes(ip));
    const direction: 'ingress' | 'egress' = r['flow-direction'] === 'egress' || r['flow-direction'] === 'ingress' ? r['flow-direction'] : owns(r.dstaddr ?? '') ? 'ingress' : 'egress';
    const ports = protocol === 6 || protocol === 17;
    const srcport = ports ? num(r.srcport) : undefined;
    const dstport = ports ? num(r.dstport) : undefined;
    // Security-group rules and NACL entries match the destination port only, so the source port never
    // changes a verdict: it folds out of the key (keeping whether it is below the destination port, which
    // decides whether the record may be a reply). Client ephemeral ports no longer multiply distinct flows.
    const srcBelow = srcport !== undefined && dstport !== undefined && srcport < dstport;
    const key = [interfaceId, direction, srcaddr, dstaddr, srcBelow ? 'low' : 'high', dstport, protocol, action].join('|');
    const prev = cache.get(key);
    if (prev) {
      cache.set(key, { ...prev, count: prev.count + weight });
      continue;
    }
    const base = { key, interfaceId, direction, srcaddr, dstaddr, ...(srcport !== undefined ? { srcport } : {}), ...(dstport !== undefined ? { dstport } : {}), protocol, action, count: weight } as const;
    const peer = parseIpCached(direction === 'ingress' ? srcaddr : dstaddr);
    if (peer && isLinkLocal(peer)) {
      cache.set(key, { ...base, verdict: 'not-logged-by-aws', reason: 'traffic to link-local services (Amazon DNS, instance metadata, time sync) is never logged by AWS: this record did not come from VPC Flow Logs as configured' });
      continue;
    }
    if (!eni) {
      cache.set(key, { ...base, verdict: 'unknown-interface', reason: `interface ${interfaceId} is not in the snapshot` });
      continue;
    }
    const family = parseIpCached(srcaddr)?.family ?? 4;
    const packet: Packet = {
      family,
      srcIp: srcaddr,
      dstIp: dstaddr,
      protocol,
      ...(ports ? { srcPort: srcport ?? 0, dstPort: dstport ?? 0 } : {}),
      // Flow logs do not record the ICMP type; an echo request is the common case (ports are 0 0).
      ...(protocol === 1 || protocol === 58 ? { icmpType: protocol === 1 ? 8 : 128, icmpCode: 0 } : {}),
    };
    // Flow logs do not say whether a record is a request or a reply (nor the ICMP type): when the request
    // reading disagrees with the record, the reply reading (admitted by connection tracking) is tried.
    let d = decideAtInterface(model, eni, direction, packet);
    // A TCP/UDP reply goes from the lower (service) port to the higher (ephemeral) one.
    const couldBeReply = !ports || (srcport ?? 0) < (dstport ?? 0);
    if (d.action !== action && couldBeReply) {
      const asReply = decideAtInterface(model, eni, direction, packet, true);
      if (asReply.action === action) d = asReply;
    }
    const verdict: Verdict = d.action === action ? 'explained' : 'drift';
    const reason =
      verdict === 'explained'
        ? `${action} ${direction === 'ingress' ? 'inbound' : 'outbound'} on ${eni.id}: ${d.reason}`
        : `recorded ${action} but the snapshot would ${d.action === 'ACCEPT' ? 'accept' : 'reject'} it (${d.reason}): the configuration changed, or the snapshot is from another time`;
    cache.set(key, { ...base, verdict, expected: d.action, reason, ...(d.component ? { component: d.component } : {}) });
  }
  return [...cache.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Internet exposure: every network interface a packet from the internet can reach, with protocols, port
 * ranges, the source ranges that can reach it, and one witness trace per finding.
 *
 * Method. Candidates are interfaces the internet can address: a public IPv4 / Elastic IP in a VPC with an
 * attached internet gateway, an IPv6 address in such a VPC, and internet-facing load-balancer nodes (their
 * targets are reached through them). For each candidate, the destination-port axis of every protocol its
 * security groups admit from non-private sources is cut at every boundary of its security-group rules and
 * of its subnet's NACL entries; within one piece every rule decides the same way, so one packet per piece
 * (the first port, a public address from the rule's range) is traced through the full engine, forward and
 * return. Pieces whose witness is reachable become findings; adjacent pieces merge. Interfaces with the same
 * subnet, security groups and addressing share the cutting (equivalence classes).
 *
 * Known approximation: a NACL entry that splits a security-group rule's source range is evaluated at the
 * representative source address only.
 */
import { cidrContains, cidrRange, cidrsOverlap, formatIp, isPrivateAddress, parseCidrCached, parseIpCached, type Cidr } from '../model/addresses.js';
import { vpnPrefixes } from '../engine/hops/vpn.js';
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface, SecurityGroupRule } from '../model/types.js';
import type { TraceResult } from '../engine/trace-types.js';
import { describeOwner } from './find.js';
import { trace, TraceRequestError } from './trace.js';

export interface ExposureFinding {
  readonly networkInterfaceId: string;
  readonly owner: string;
  readonly account: string;
  readonly region: string;
  readonly vpcId: string;
  readonly address: string;
  readonly protocol: string;
  /** Inclusive destination port range (ICMP: all types admitted). */
  readonly fromPort: number;
  readonly toPort: number;
  readonly sources: readonly string[];
  readonly witness: TraceResult;
}

export interface AllowEntry {
  readonly resource?: string;
  readonly protocol?: string;
  readonly port?: number;
}

const PROTO: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

/** A public address inside `cidr` to stand for the internet, or undefined when the block is all private. */
function publicRepresentative(c: Cidr): string | undefined {
  if (c.prefixLength === 0) return c.family === 4 ? '198.51.100.10' : '2001:db8:ffff::10';
  const { first, last } = cidrRange(c);
  for (const candidate of [first + 1n, first, last - 1n, (first + last) / 2n]) {
    if (candidate < first || candidate > last) continue;
    const ip = { family: c.family, value: candidate };
    if (!isPrivateAddress(ip)) return formatIp(ip);
  }
  return undefined;
}

/** Who is asking: the internet, the data centre behind VPN/Direct Connect, or the interfaces of one VPC. */
export type ExposureSource = { readonly kind: 'internet' } | { readonly kind: 'on-premises' } | { readonly kind: 'vpc'; readonly vpcId: string };

/** A packet source standing for `kind` inside a rule's block, for tracing. */
interface Representative {
  readonly from: string;
  readonly sourceIp?: string;
}

function onPremisesPrefixes(model: NetworkModel): Cidr[] {
  const texts = new Set<string>();
  for (const vpn of model.vpnConnections.values()) for (const c of vpnPrefixes(vpn)) texts.add(c);
  for (const t of model.transitGatewayRouteTables.values())
    for (const r of t.routes)
      if (r.destination.kind === 'cidr' && r.attachmentIds.some((id) => ['vpn', 'direct-connect-gateway'].includes(model.transitGatewayAttachments.get(id)?.resourceType ?? '')))
        texts.add(r.destination.cidr);
  return [...texts].flatMap((t) => parseCidrCached(t) ?? []);
}

/** Picks, inside rule block `c`, an address or interface that stands for the source; undefined if none. */
function representativeFor(model: NetworkModel, source: ExposureSource, c: Cidr | undefined, groupId: string | undefined, onPrem: readonly Cidr[]): Representative | undefined {
  if (source.kind === 'internet') {
    const ip = c ? publicRepresentative(c) : undefined;
    return ip ? { from: 'internet', sourceIp: ip } : undefined;
  }
  if (source.kind === 'on-premises') {
    if (!c) return undefined;
    for (const p of onPrem) {
      if (p.family !== c.family || !cidrsOverlap(p, c)) continue;
      const inner = p.prefixLength >= c.prefixLength ? p : c;
      const { first, last } = cidrRange(inner);
      const host = formatIp({ family: inner.family, value: last > first ? first + 1n : first });
      return { from: host };
    }
    return undefined;
  }
  const members = groupId ? model.membersOfSecurityGroup(groupId) : model.resourcesInVpc(source.vpcId).filter((r): r is NetworkInterface => r.kind === 'network-interface');
  const eni = members.find(
    (e) => e.vpcId === source.vpcId && e.owner.kind === 'instance' && (!c || e.privateAddresses.some((a) => { const ip = parseIpCached(a.ip); return !!ip && cidrContains(c, ip); })),
  );
  return eni ? { from: eni.id } : undefined;
}

function candidates(model: NetworkModel, source: ExposureSource = { kind: 'internet' }): { eni: NetworkInterface; address: string; family: 4 | 6 }[] {
  if (source.kind !== 'internet') {
    const out: { eni: NetworkInterface; address: string; family: 4 | 6 }[] = [];
    for (const eni of model.networkInterfaces.values()) {
      if (source.kind === 'vpc' && eni.vpcId === source.vpcId) continue;
      const primary = eni.privateAddresses.find((a) => a.primary) ?? eni.privateAddresses[0];
      if (primary) out.push({ eni, address: primary.ip, family: 4 });
    }
    return out;
  }
  const igwVpcs = new Set<string>();
  for (const g of model.internetGateways.values()) for (const a of g.attachments) if (a.state === 'available' || a.state === 'attached') igwVpcs.add(a.vpcId);
  const out: { eni: NetworkInterface; address: string; family: 4 | 6 }[] = [];
  for (const eni of model.networkInterfaces.values()) {
    if (!igwVpcs.has(eni.vpcId)) continue;
    const lb = eni.owner.kind === 'load-balancer' ? model.loadBalancers.get(eni.owner.id) : undefined;
    if (lb && lb.scheme !== 'internet-facing') continue;
    for (const a of eni.privateAddresses) if (a.publicIp) out.push({ eni, address: a.publicIp, family: 4 });
    for (const ip of eni.ipv6Addresses) out.push({ eni, address: ip, family: 6 });
  }
  return out;
}

interface Piece {
  readonly protocol: number;
  readonly from: number;
  readonly to: number;
  readonly rule: SecurityGroupRule;
  readonly source: Representative;
  readonly sourceCidr: string;
}

/** Cuts the port axis of each admitted protocol at every SG and NACL boundary. */
function pieces(model: NetworkModel, eni: NetworkInterface, family: 4 | 6, who: ExposureSource, onPrem: readonly Cidr[]): Piece[] {
  const rules = eni.securityGroupIds.flatMap((id) => model.securityGroups.get(id)?.ingress ?? []);
  const subnet = model.subnets.get(eni.subnetId);
  const acl = subnet?.networkAclId ? model.networkAcls.get(subnet.networkAclId) : undefined;
  const out: Piece[] = [];
  for (const rule of rules) {
    const groupRef = rule.peer.kind === 'security-group' ? rule.peer.groupId : undefined;
    const cidrs = rule.peer.kind === 'cidr' ? [rule.peer.cidr] : rule.peer.kind === 'prefix-list' ? (model.prefixLists.get(rule.peer.prefixListId)?.cidrs ?? []) : groupRef && who.kind === 'vpc' ? [groupRef] : [];
    for (const text of cidrs) {
      const c = groupRef ? undefined : parseCidrCached(text);
      if (!groupRef && (!c || c.family !== family)) continue;
      const source = representativeFor(model, who, c, groupRef, onPrem);
      if (!source) continue;
      const protocols = rule.protocol === -1 ? [6, 17, family === 4 ? 1 : 58] : [rule.protocol];
      for (const p of protocols) {
        if (p !== 6 && p !== 17) {
          out.push({ protocol: p, from: rule.fromPort ?? -1, to: rule.toPort ?? -1, rule, source, sourceCidr: text });
          continue;
        }
        const lo = rule.protocol === -1 || rule.fromPort === undefined ? 0 : rule.fromPort;
        const hi = rule.protocol === -1 || rule.toPort === undefined ? 65535 : rule.toPort;
        const cuts = new Set<number>([lo, hi + 1]);
        for (const e of acl?.inbound ?? [])
          if (e.portRange && (e.protocol === p || e.protocol === -1)) {
            if (e.portRange.from > lo && e.portRange.from <= hi) cuts.add(e.portRange.from);
            if (e.portRange.to + 1 > lo && e.portRange.to + 1 <= hi) cuts.add(e.portRange.to + 1);
          }
        for (const r of rules)
          if ((r.protocol === p || r.protocol === -1) && r.fromPort !== undefined && r.toPort !== undefined) {
            if (r.fromPort > lo && r.fromPort <= hi) cuts.add(r.fromPort);
            if (r.toPort + 1 > lo && r.toPort + 1 <= hi) cuts.add(r.toPort + 1);
          }
        const sorted = [...cuts].sort((a, b) => a - b);
        for (let i = 0; i + 1 < sorted.length; i++) out.push({ protocol: p, from: sorted[i] as number, to: (sorted[i + 1] as number) - 1, rule, source, sourceCidr: text });
      }
    }
  }
  return out;
}

function allowed(f: Omit<ExposureFinding, 'witness'>, allow: readonly AllowEntry[]): boolean {
  return allow.some((a) => (!a.resource || a.resource === f.networkInterfaceId || f.owner.includes(a.resource)) && (!a.protocol || a.protocol === f.protocol) && (a.port === undefined || (a.port >= f.fromPort && a.port <= f.toPort)));
}

/** Every interface reachable from the internet, one witness trace per finding, in a stable order. */
export function exposure(
  model: NetworkModel,
  options: { allow?: readonly AllowEntry[]; from?: ExposureSource; onProgress?: (done: number, total: number) => void } = {},
): ExposureFinding[] {
  const findings: ExposureFinding[] = [];
  const who = options.from ?? { kind: 'internet' };
  const onPrem = who.kind === 'on-premises' ? onPremisesPrefixes(model) : [];
  const list = candidates(model, who);
  const classCache = new Map<string, Piece[]>();
  list.forEach(({ eni, address, family }, index) => {
    options.onProgress?.(index, list.length);
    const cls = `${eni.subnetId}|${[...eni.securityGroupIds].sort().join(',')}|${family}`;
    let ps = classCache.get(cls);
    if (!ps) classCache.set(cls, (ps = pieces(model, eni, family, who, onPrem)));
    const reached: { p: Piece; witness: TraceResult }[] = [];
    for (const p of ps) {
      const port = p.protocol === 6 || p.protocol === 17 ? p.from : undefined;
      const icmpType = p.protocol === 1 || p.protocol === 58 ? (p.from >= 0 ? p.from : undefined) : undefined;
      let r: TraceResult;
      try {
        r = trace(model, {
        from: p.source.from,
        // Private addresses repeat across VPCs: name the interface itself unless the internet addresses it publicly.
        to: who.kind === 'internet' ? address : eni.id,
        protocol: String(p.protocol),
        ...(p.source.sourceIp ? { sourceIp: p.source.sourceIp } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(icmpType !== undefined ? { icmpType } : {}),
        });
      } catch (e) {
        if (e instanceof TraceRequestError) continue;
        throw e;
      }
      if (r.reachable) reached.push({ p, witness: r });
    }
    // Merge adjacent port pieces of the same protocol and source range.
    reached.sort((a, b) => a.p.protocol - b.p.protocol || a.p.sourceCidr.localeCompare(b.p.sourceCidr) || a.p.from - b.p.from);
    const merged: { p: Piece; to: number; witness: TraceResult }[] = [];
    for (const r of reached) {
      const last = merged[merged.length - 1];
      if (last && last.p.protocol === r.p.protocol && last.p.sourceCidr === r.p.sourceCidr && last.to + 1 >= r.p.from && r.p.from >= 0) last.to = Math.max(last.to, r.p.to);
      else merged.push({ p: r.p, to: r.p.to, witness: r.witness });
    }
    for (const m of merged) {
      const f = {
        networkInterfaceId: eni.id,
        owner: describeOwner(model, eni),
        account: eni.account,
        region: eni.region,
        vpcId: eni.vpcId,
        address,
        protocol: PROTO[m.p.protocol] ?? String(m.p.protocol),
        fromPort: m.p.from,
        toPort: m.to,
        sources: [who.kind === 'vpc' && !m.p.sourceCidr.includes('/') ? `members of ${m.p.sourceCidr}` : m.p.sourceCidr],
      };
      if (!allowed(f, options.allow ?? [])) findings.push({ ...f, witness: m.witness });
    }
  });
  return findings.sort((a, b) => a.networkInterfaceId.localeCompare(b.networkInterfaceId) || a.protocol.localeCompare(b.protocol) || a.fromPort - b.fromPort || a.address.localeCompare(b.address));
}

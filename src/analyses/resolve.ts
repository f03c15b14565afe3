/**
 * DNS resolution as a VPC's Amazon-provided resolver does it (aws-vpc-semantics §10):
 *
 * 1. Private hosted zones associated with the source VPC (including interface-endpoint private DNS): the
 *    zone whose name is the longest suffix of the query wins; a name inside it without a record is NXDOMAIN
 *    and is not passed to public DNS (R53:hosted-zone-private-considerations). Needs enableDnsSupport.
 * 2. Names AWS defines: interface endpoint DNS entries (regional → every endpoint interface, zonal → the one
 *    in that AZ, §5.3), load-balancer names (internet-facing → node public IPs, internal → private IPs,
 *    §6), EC2 private hostnames, and public hostnames (private IP inside the VPC, public outside, §10.3).
 * 3. Public hosted zones in the snapshot. Anything else is on the public internet, which vpctwin cannot
 *    resolve offline.
 *
 * Records: A/AAAA values, CNAME chains, alias records to load balancers, endpoints and other records,
 * wildcards (`*` leftmost), weighted/multivalue/failover sets listed as alternatives.
 */
import { parseIp } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { DnsRecord, HostedZone, SourceRef } from '../model/types.js';

export interface DnsStep {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly via: string;
  readonly source?: SourceRef;
}

export interface DnsAnswer {
  readonly name: string;
  readonly addresses: readonly string[];
  readonly chain: readonly DnsStep[];
  readonly alternatives: readonly { readonly setIdentifier: string; readonly weight?: number; readonly addresses: readonly string[] }[];
  readonly target?: { readonly kind: 'vpc-endpoint' | 'load-balancer' | 'network-interface' | 'external'; readonly id: string };
}

export type ResolveResult =
  | { readonly ok: true; readonly answer: DnsAnswer }
  | {
      readonly ok: false;
      readonly code: 'DNS_NAME_NOT_FOUND_IN_PRIVATE_ZONE' | 'DNS_NAME_UNKNOWN' | 'DNS_RESOLUTION_DISABLED' | 'DNS_CNAME_LOOP';
      readonly message: string;
      readonly zoneId?: string;
    };

const MAX_DEPTH = 8;

function norm(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

interface Partial {
  addresses: string[];
  chain: DnsStep[];
  alternatives: { setIdentifier: string; weight?: number; addresses: string[] }[];
  target?: DnsAnswer['target'];
}

type Lookup = { ok: true; value: Partial } | { ok: false; code: Extract<ResolveResult, { ok: false }>['code']; message: string; zoneId?: string };

/** Private zones associated with `vpcId`; the longest zone name that is a suffix of `name` wins. */
function privateZoneFor(model: NetworkModel, name: string, vpcId: string | undefined): HostedZone | undefined {
  // Private zones answer only when the VPC has both DNS attributes on (R53:hosted-zone-private-considerations).
  if (!vpcId || model.vpcs.get(vpcId)?.dnsHostnames === false) return undefined;
  let best: HostedZone | undefined;
  for (const z of model.hostedZones.values()) {
    if (!z.privateZone || !z.vpcs.some((v) => v.vpcId === vpcId)) continue;
    if (name !== z.zoneName && !name.endsWith(`.${z.zoneName}`)) continue;
    if (!best || z.zoneName.length > best.zoneName.length) best = z;
  }
  return best;
}

function publicZoneFor(model: NetworkModel, name: string): HostedZone | undefined {
  let best: HostedZone | undefined;
  for (const z of model.hostedZones.values()) {
    if (z.privateZone) continue;
    if (name !== z.zoneName && !name.endsWith(`.${z.zoneName}`)) continue;
    if (!best || z.zoneName.length > best.zoneName.length) best = z;
  }
  return best;
}

/** Records of `name` in a zone: exact names first, else the closest wildcard (`*` leftmost label). */
function recordsIn(zone: HostedZone, name: string): DnsRecord[] {
  const exact = zone.records.filter((r) => r.name === name && r.type !== 'NS' && r.type !== 'SOA');
  if (exact.length) return exact;
  if (zone.records.some((r) => r.name === name)) return [];
  const labels = name.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wild = `*.${labels.slice(i).join('.')}`;
    const hits = zone.records.filter((r) => r.name === wild);
    if (hits.length) return hits.map((r) => ({ ...r, name }));
  }
  return [];
}

/** Names AWS answers itself: endpoint DNS entries, load balancers, EC2 host names. */
function awsDefinedName(model: NetworkModel, name: string, vpcId: string | undefined): Partial | undefined {
  for (const ep of model.vpcEndpoints.values()) {
    const entry = ep.dnsEntries.find((e) => e.dnsName === name);
    if (!entry) continue;
    // Interface-endpoint private DNS answers only inside the endpoint's VPC (§5.3).
    const isPrivate = ep.privateDnsEnabled && !name.includes('.vpce.amazonaws.com');
    if (isPrivate && ep.vpcId !== vpcId) continue;
    const enis = ep.networkInterfaceIds.flatMap((id) => model.networkInterfaces.get(id) ?? []);
    // A zonal name (…-<az>.<service>…) answers with the interface in that AZ only.
    const zonal = enis.filter((e) => e.availabilityZone && name.split('.')[0]?.endsWith(`-${e.availabilityZone}`));
    const chosen = (zonal.length ? zonal : enis).flatMap((e) => e.privateAddresses.filter((a) => a.primary).map((a) => a.ip)).sort();
    return {
      addresses: chosen,
      chain: chosen.map((ip) => ({ name, type: 'A', value: ip, via: isPrivate ? `interface endpoint ${ep.id} private DNS (${ep.serviceName})` : `interface endpoint ${ep.id} DNS entry`, source: ep.source })),
      alternatives: [],
      target: { kind: 'vpc-endpoint', id: ep.id },
    };
  }
  for (const lb of model.loadBalancers.values()) {
    if (lb.dnsName !== name) continue;
    const enis = lb.networkInterfaceIds.flatMap((id) => model.networkInterfaces.get(id) ?? []);
    const fromZones = lb.zones.flatMap((z) => z.addresses.map((a) => (lb.scheme === 'internet-facing' ? a.publicIp : a.privateIp)).filter((x): x is string => !!x));
    const fromEnis = enis.flatMap((e) => e.privateAddresses.filter((a) => a.primary).map((a) => (lb.scheme === 'internet-facing' ? a.publicIp : a.ip)).filter((x): x is string => !!x));
    const addresses = [...new Set(fromZones.length ? fromZones : fromEnis)].sort();
    return {
      addresses,
      chain: addresses.map((ip) => ({ name, type: 'A', value: ip, via: `${lb.scheme} load balancer ${lb.loadBalancerName}`, source: lb.source })),
      alternatives: [],
      target: { kind: 'load-balancer', id: lb.arn },
    };
  }
  for (const eni of model.networkInterfaces.values())
    for (const a of eni.privateAddresses) {
      if (a.privateDnsName?.toLowerCase() === name)
        return { addresses: [a.ip], chain: [{ name, type: 'A', value: a.ip, via: 'EC2 private DNS name', source: eni.source }], alternatives: [], target: { kind: 'network-interface', id: eni.id } };
      if (a.publicDnsName?.toLowerCase() === name) {
        // Inside the interface's VPC the public hostname resolves to the private address (VPC:vpc-dns).
        const ip = vpcId === eni.vpcId ? a.ip : (a.publicIp ?? a.ip);
        return { addresses: [ip], chain: [{ name, type: 'A', value: ip, via: vpcId === eni.vpcId ? 'EC2 public DNS name, answered with the private address inside the VPC' : 'EC2 public DNS name', source: eni.source }], alternatives: [], target: { kind: 'network-interface', id: eni.id } };
      }
    }
  return undefined;
}

function lookup(model: NetworkModel, name: string, vpcId: string | undefined, depth: number): Lookup {
  if (depth > MAX_DEPTH) return { ok: false, code: 'DNS_CNAME_LOOP', message: `${name}: more than ${MAX_DEPTH} CNAME or alias steps` };
  const zone = privateZoneFor(model, name, vpcId) ?? publicZoneFor(model, name);
  if (zone) {
    const records = recordsIn(zone, name).filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type));
    if (records.length === 0) {
      const aws = zone.privateZone ? undefined : awsDefinedName(model, name, vpcId);
      if (aws) return { ok: true, value: aws };
      if (zone.privateZone)
        return { ok: false, code: 'DNS_NAME_NOT_FOUND_IN_PRIVATE_ZONE', zoneId: zone.id, message: `${name} falls in private hosted zone ${zone.zoneName} (${zone.id}) associated with ${vpcId}, which has no record for it: the resolver answers NXDOMAIN and does not ask public DNS` };
      return { ok: false, code: 'DNS_NAME_UNKNOWN', message: `${name}: public hosted zone ${zone.zoneName} has no record for it` };
    }
    const via = `${zone.privateZone ? 'private' : 'public'} hosted zone ${zone.zoneName} (${zone.id})`;
    const policy = records.filter((r) => r.setIdentifier !== undefined);
    const primary = policy.length ? policy : records;
    const out: Partial = { addresses: [], chain: [], alternatives: [] };
    for (const [i, r] of primary.entries()) {
      const one = followRecord(model, r, via, vpcId, depth);
      if (!one.ok) return one;
      if (policy.length) out.alternatives.push({ setIdentifier: r.setIdentifier as string, ...(r.weight !== undefined ? { weight: r.weight } : {}), addresses: one.value.addresses });
      // Without a routing policy every value is an answer; with one, the first set stands for the answer.
      if (!policy.length || i === 0) {
        out.addresses.push(...one.value.addresses);
        out.chain.push(...one.value.chain);
        out.target ??= one.value.target;
      }
    }
    out.addresses = [...new Set(out.addresses)];
    return { ok: true, value: out };
  }
  const aws = awsDefinedName(model, name, vpcId);
  if (aws) return { ok: true, value: aws };
  return { ok: false, code: 'DNS_NAME_UNKNOWN', message: `${name} is not defined in the snapshot (no private zone of ${vpcId ?? 'the source'}, endpoint, load balancer or EC2 name); public internet names cannot be resolved offline` };
}

function followRecord(model: NetworkModel, r: DnsRecord, via: string, vpcId: string | undefined, depth: number): Lookup {
  if (r.alias) {
    const step: DnsStep = { name: r.name, type: 'ALIAS', value: r.alias.dnsName, via, source: r.source };
    const next = lookup(model, r.alias.dnsName, vpcId, depth + 1);
    return next.ok ? { ok: true, value: { ...next.value, chain: [step, ...next.value.chain] } } : next;
  }
  if (r.type === 'CNAME') {
    const target = norm(r.values[0] ?? '');
    const step: DnsStep = { name: r.name, type: 'CNAME', value: target, via, source: r.source };
    const next = lookup(model, target, vpcId, depth + 1);
    return next.ok ? { ok: true, value: { ...next.value, chain: [step, ...next.value.chain] } } : next;
  }
  const addresses = r.values.filter((v) => parseIp(v));
  return {
    ok: true,
    value: {
      addresses,
      chain: addresses.map((a) => ({ name: r.name, type: r.type, value: a, via, source: r.source })),
      alternatives: [],
      target: addressTarget(model, addresses[0]),
    },
  };
}

function addressTarget(model: NetworkModel, ip: string | undefined): DnsAnswer['target'] {
  if (!ip) return undefined;
  const h = model.addressHolders(ip)[0];
  return h ? { kind: 'network-interface', id: h.networkInterfaceId } : { kind: 'external', id: ip };
}

/** Resolves `name` as a resolver in `fromVpcId` would (or as the public internet would when it is undefined). */
export function resolveName(model: NetworkModel, name: string, fromVpcId?: string): ResolveResult {
  const q = norm(name);
  if (fromVpcId && model.vpcs.get(fromVpcId)?.dnsSupport === false)
    return { ok: false, code: 'DNS_RESOLUTION_DISABLED', message: `${fromVpcId} has enableDnsSupport false: the Amazon-provided resolver does not answer there` };
  const r = lookup(model, q, fromVpcId, 0);
  if (!r.ok) return { ok: false, code: r.code, message: r.message, ...(r.zoneId ? { zoneId: r.zoneId } : {}) };
  return { ok: true, answer: { name: q, addresses: r.value.addresses, chain: r.value.chain, alternatives: r.value.alternatives, ...(r.value.target ? { target: r.value.target } : {}) } };
}

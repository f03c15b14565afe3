/**
 * trace(model, request): resolves the source and destination the user named, walks the packet forward,
 * then walks the reply back from where it arrived (security groups admit it by connection tracking, NACLs
 * and routes are evaluated again, translations are undone), and reports every blocker with a code and the
 * change that would let the packet through.
 */
import { canonicalIp, parseIp } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface } from '../model/types.js';
import { stepLocation } from '../engine/hops/registry.js';
import { vpnConnectionsFor } from '../engine/hops/vpn.js';
import { withDirectConnectDeclarations } from '../engine/hops/direct-connect-gateway.js';
import { onPremisesNetworkFor, type OnPremisesNetwork } from './on-premises.js';
import { resolveName } from './resolve.js';
import { instancesOf, serviceListeningOn, type Overlay } from './overlay.js';
import { replyTo, type Packet } from '../engine/packet.js';
import type { Explanation, Hop, TraceEndpoint, TraceQuery, TraceResult } from '../engine/trace-types.js';
import { walk, type Arrival, type Location, type WalkState } from '../engine/walk.js';

export interface TraceRequest {
  /** Instance id, ENI id, IP address, Name tag, DNS name, `internet` or `igw-…`. */
  readonly from: string;
  readonly to: string;
  /** `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number 0–255. Default tcp. */
  readonly protocol?: string | number;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Source address override (e.g. a secondary IP, or the internet client's address). */
  readonly sourceIp?: string;
  /** Use IPv6 addresses of interfaces named by id or name. */
  readonly ipv6?: boolean;
  /** Application hops (see overlay.ts). */
  readonly overlay?: Overlay;
  /** Declared on-premises networks (see on-premises.ts). */
  readonly onPremises?: readonly OnPremisesNetwork[];
}

export type TraceErrorCode = 'UNKNOWN_SOURCE' | 'UNKNOWN_DESTINATION' | 'AMBIGUOUS_ENDPOINT' | 'BAD_PROTOCOL' | 'BAD_PORT' | 'FAMILY_MISMATCH';

/** A request the trace cannot start: bad argument or an endpoint the snapshot does not know. */
export class TraceRequestError extends Error {
  constructor(
    readonly code: TraceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const INTERNET_CLIENT_V4 = '198.51.100.10';
const INTERNET_CLIENT_V6 = '2001:db8:ffff::10';
const INTERNET_SERVER_V4 = '203.0.113.10';
const INTERNET_SERVER_V6 = '2001:db8:eeee::10';
/** Linux-like default client port (the issue's default); NACL return checks use it. */
export const DEFAULT_SOURCE_PORT = 49152;

function parseProtocol(p: string | number | undefined): number {
  if (p === undefined) return 6;
  const t = String(p).trim().toLowerCase();
  const named: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
  if (t in named) return named[t] as number;
  if (/^\d{1,3}$/.test(t) && Number(t) <= 255) return Number(t);
  throw new TraceRequestError('BAD_PROTOCOL', `--protocol: "${p}" is not tcp, udp, icmp, icmpv6 or a protocol number 0-255`);
}

function checkPort(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 65535)) throw new TraceRequestError('BAD_PORT', `${name}: ${v} is not a port number 0-65535`);
}

interface ResolvedEndpoint {
  readonly endpoint: TraceEndpoint;
  readonly eni?: NetworkInterface;
  /** Addresses the endpoint can use, by family. */
  readonly v4?: string;
  readonly v6?: string;
  readonly publicV4?: string;
  /** On-premises endpoints: the VPN connection that carries their network. */
  readonly vpnConnectionId?: string;
  /** Or the transit gateway attachment (Direct Connect) they enter through. */
  readonly attachmentId?: string;
  /** Or the Direct Connect gateway they are declared behind (its associations decide where they enter). */
  readonly directConnectGatewayId?: string;
}

function primaryInterface(model: NetworkModel, ids: readonly string[]): NetworkInterface | undefined {
  const enis = ids.flatMap((id) => model.networkInterfaces.get(id) ?? []);
  return enis.find((e) => e.attachment?.deviceIndex === 0) ?? enis[0];
}

function fromInterface(input: string, eni: NetworkInterface, resourceId?: string, name?: string): ResolvedEndpoint {
  const primary = eni.privateAddresses.find((a) => a.primary) ?? eni.privateAddresses[0];
  return {
    endpoint: {
      input,
      kind: 'network-interface',
      ip: primary?.ip ?? eni.ipv6Addresses[0] ?? '',
      networkInterfaceId: eni.id,
      ...(resourceId ? { resourceId } : {}),
      ...(name ?? eni.name ? { name: name ?? eni.name } : {}),
      account: eni.account,
      region: eni.region,
    },
    eni,
    v4: primary?.ip,
    v6: eni.ipv6Addresses[0],
    publicV4: primary?.publicIp,
  };
}

function resolveEndpoint(model: NetworkModel, input: string, role: 'source' | 'destination', onPremises: readonly OnPremisesNetwork[] = []): ResolvedEndpoint {
  const code = role === 'source' ? 'UNKNOWN_SOURCE' : 'UNKNOWN_DESTINATION';
  const flag = role === 'source' ? '--from' : '--to';
  const q = input.trim();
  if (q.toLowerCase() === 'internet' || q.startsWith('igw-')) {
    return { endpoint: { input: q, kind: 'internet', ip: '' } };
  }
  const ip = parseIp(q);
  if (ip) {
    const text = canonicalIp(q) as string;
    const holders = model.addressHolders(text);
    const privateHolders = holders.filter((h) => h.scope !== 'public');
    if (privateHolders.length > 1)
      throw new TraceRequestError(
        'AMBIGUOUS_ENDPOINT',
        `${flag} ${q}: several network interfaces hold this address (${privateHolders.map((h) => `${h.networkInterfaceId} in ${h.vpcId} account ${h.account}`).join('; ')}); name the interface or instance instead`,
      );
    const h = privateHolders[0];
    if (h) {
      const eni = model.networkInterfaces.get(h.networkInterfaceId) as NetworkInterface;
      const r = fromInterface(q, eni);
      return { ...r, endpoint: { ...r.endpoint, ip: text }, ...(ip.family === 4 ? { v4: text } : { v6: text }) };
    }
    const pub = holders.find((x) => x.scope === 'public');
    if (pub) {
      const eni = model.networkInterfaces.get(pub.networkInterfaceId) as NetworkInterface;
      const r = fromInterface(q, eni);
      const priv = eni.privateAddresses.find((a) => a.publicIp === text);
      return { ...r, endpoint: { ...r.endpoint, ip: text }, v4: priv?.ip, publicV4: text };
    }
    const declared = onPremisesNetworkFor(onPremises, text);
    if (declared && model.directConnectGateways.has(declared.via))
      return { endpoint: { input: q, kind: 'on-premises', ip: text, name: declared.name, resourceId: declared.via }, directConnectGatewayId: declared.via };
    if (declared) {
      const att = declared.via.startsWith('tgw-attach-')
        ? model.transitGatewayAttachments.get(declared.via)
        : [...model.transitGatewayAttachments.values()].find((a) => a.resourceId === declared.via);
      const vpnId = declared.via.startsWith('vpn-') ? declared.via : undefined;
      if (!vpnId && !att) throw new TraceRequestError(code, `${flag} ${q}: on-premises network ${declared.name} is declared via ${declared.via}, which is not in the snapshot`);
      return {
        endpoint: { input: q, kind: 'on-premises', ip: text, name: declared.name, resourceId: declared.via },
        ...(vpnId ? { vpnConnectionId: vpnId } : {}),
        ...(att && !vpnId ? { attachmentId: att.id } : {}),
      };
    }
    const vpns = vpnConnectionsFor(model, text);
    if (vpns[0])
      return { endpoint: { input: q, kind: 'on-premises', ip: text, resourceId: vpns[0].id, account: vpns[0].account, region: vpns[0].region }, vpnConnectionId: vpns[0].id };
    return { endpoint: { input: q, kind: 'address', ip: text } };
  }
  const byId = model.get(q);
  const candidates = byId ? [byId] : model.byNameTag(q).length ? [...model.byNameTag(q)] : [...model.byDnsName(q)];
  const resolved: ResolvedEndpoint[] = [];
  for (const r of candidates) {
    if (r.kind === 'network-interface') resolved.push(fromInterface(q, r));
    else if (r.kind === 'instance') {
      if (r.state !== 'running' && role === 'source')
        throw new TraceRequestError(code, `${flag} ${q}: instance ${r.id} is ${r.state}, not running`);
      const eni = primaryInterface(model, r.networkInterfaceIds);
      if (eni) resolved.push(fromInterface(q, eni, r.id, r.name));
    } else if (r.kind === 'nat-gateway') {
      const eniId = r.addresses.find((a) => a.primary)?.networkInterfaceId ?? r.addresses[0]?.networkInterfaceId;
      const eni = eniId ? model.networkInterfaces.get(eniId) : undefined;
      if (eni) resolved.push(fromInterface(q, eni, r.id, r.name));
    } else if (r.kind === 'load-balancer' || r.kind === 'vpc-endpoint') {
      // A load balancer or interface endpoint is reached through one of its interfaces; the first one
      // (in AZ order) stands for the service.
      const eni = [...r.networkInterfaceIds].sort().flatMap((id) => model.networkInterfaces.get(id) ?? [])[0];
      if (eni) resolved.push(fromInterface(q, eni, r.id, r.name));
    } else if (r.kind === 'internet-gateway') {
      resolved.push({ endpoint: { input: q, kind: 'internet', ip: '' } });
    }
  }
  const distinct = [...new Map(resolved.map((r) => [r.eni?.id ?? r.endpoint.kind, r])).values()];
  if (distinct.length > 1)
    throw new TraceRequestError(
      'AMBIGUOUS_ENDPOINT',
      `${flag} ${q}: matches ${distinct.map((r) => r.endpoint.resourceId ?? r.eni?.id ?? r.endpoint.kind).join(', ')}; use an id`,
    );
  const only = distinct[0];
  if (only) return only;
  if (candidates.length > 0)
    throw new TraceRequestError(code, `${flag} ${q}: ${candidates[0]?.kind} ${candidates[0]?.id} is not something a packet can start from or go to (use an instance, interface, IP address or internet)`);
  throw new TraceRequestError(code, `${flag} ${q}: no instance, network interface, IP address, Name tag or DNS name in the snapshot matches`);
}

/** Resolves the request into concrete addresses and the first packet. */
export function resolveTraceQuery(model: NetworkModel, req: TraceRequest): { query: TraceQuery; src: ResolvedEndpoint; dst: ResolvedEndpoint } {
  const protocol = parseProtocol(req.protocol);
  checkPort('--port', req.port);
  checkPort('--source-port', req.sourcePort);
  const src = resolveEndpoint(model, req.from, 'source', req.onPremises);
  const dst = resolveEndpoint(model, req.to, 'destination', req.onPremises);
  // Family: an explicit address decides; else IPv6 on request or for icmpv6; else IPv4.
  const explicit = [req.sourceIp, src.endpoint.kind === 'address' || parseIp(req.from) ? req.from : undefined, parseIp(req.to) ? req.to : undefined]
    .flatMap((x) => (x ? [parseIp(x)?.family] : []))
    .filter((f): f is 4 | 6 => f !== undefined);
  const family: 4 | 6 = explicit[0] ?? (req.ipv6 || protocol === 58 ? 6 : 4);
  if (explicit.some((f) => f !== family)) throw new TraceRequestError('FAMILY_MISMATCH', 'source and destination addresses are of different IP families');
  const pick = (r: ResolvedEndpoint, role: 'source' | 'destination', other: ResolvedEndpoint): string => {
    if (r.endpoint.kind === 'internet') {
      if (role === 'source') return req.sourceIp ?? (family === 4 ? INTERNET_CLIENT_V4 : INTERNET_CLIENT_V6);
      return family === 4 ? INTERNET_SERVER_V4 : INTERNET_SERVER_V6;
    }
    if (r.endpoint.kind === 'address' || r.endpoint.kind === 'on-premises') return r.endpoint.ip;
    if (role === 'source' && req.sourceIp) return canonicalIp(req.sourceIp) ?? req.sourceIp;
    if (family === 6) {
      if (!r.v6) throw new TraceRequestError(role === 'source' ? 'UNKNOWN_SOURCE' : 'UNKNOWN_DESTINATION', `${role === 'source' ? '--from' : '--to'} ${r.endpoint.input}: ${r.eni?.id ?? 'it'} has no IPv6 address`);
      return r.v6;
    }
    // Seen from outside its VPC (the internet), an interface is addressed by its public IPv4 (§4.1).
    if (role === 'destination' && other.endpoint.kind === 'internet') return r.publicV4 ?? (r.v4 as string);
    if (role === 'destination' && r.publicV4 && parseIp(req.to) && canonicalIp(req.to) === r.publicV4) return r.publicV4;
    return r.v4 ?? r.endpoint.ip;
  };
  const srcIp = pick(src, 'source', dst);
  const dstIp = pick(dst, 'destination', src);
  const icmp = protocol === 1 || protocol === 58;
  const ports = protocol === 6 || protocol === 17;
  const packet: Packet = {
    family,
    srcIp,
    dstIp,
    protocol,
    ...(ports ? { srcPort: req.sourcePort ?? DEFAULT_SOURCE_PORT, dstPort: req.port ?? (protocol === 6 ? 443 : 53) } : {}),
    ...(icmp ? { icmpType: req.icmpType ?? (protocol === 1 ? 8 : 128), icmpCode: req.icmpCode ?? 0 } : {}),
  };
  return {
    query: { source: { ...src.endpoint, ip: srcIp }, destination: { ...dst.endpoint, ip: dstIp }, packet },
    src,
    dst,
  };
}

function startOf(model: NetworkModel, src: ResolvedEndpoint, packet: Packet): Location {
  if (src.eni) return { at: 'interface-out', eni: src.eni, packet, origin: true };
  if (src.endpoint.kind === 'on-premises')
    return {
      at: 'on-premises',
      packet,
      ...(src.vpnConnectionId ? { vpnConnectionId: src.vpnConnectionId } : {}),
      ...(src.attachmentId ? { attachmentId: src.attachmentId } : {}),
      ...(src.directConnectGatewayId ? { directConnectGatewayId: src.directConnectGatewayId } : {}),
    };
  return { at: 'internet', packet };
}

function newState(model: NetworkModel, direction: 'forward' | 'return', shared?: WalkState): WalkState {
  return {
    model,
    direction,
    hops: [],
    explanations: shared?.explanations ?? [],
    notes: shared?.notes ?? [],
    sgPasses: shared?.sgPasses ?? new Set(),
    tracked: shared?.tracked ?? [],
    blocked: false,
  };
}

/** Interfaces that stand in front of a service: reaching a target behind them reaches the destination. */
function isServiceFront(eni: NetworkInterface): boolean {
  return eni.owner.kind === 'load-balancer' || (eni.owner.kind === 'vpc-endpoint' && eni.interfaceType === 'vpc-endpoint');
}

/** Did the walk end where the query said it should? */
function arrivedAtDestination(arrival: Arrival | undefined, dst: ResolvedEndpoint): boolean {
  if (!arrival) return false;
  if (dst.eni && isServiceFront(dst.eni)) return arrival.kind === 'interface' || arrival.kind === 'aws-service';
  if (dst.eni) return arrival.kind === 'interface' && arrival.eni.id === dst.eni.id;
  if (dst.endpoint.kind === 'internet') return arrival.kind === 'internet';
  if (dst.endpoint.kind === 'on-premises') return arrival.kind === 'on-premises';
  return arrival.kind === 'internet' || arrival.kind === 'aws-service' || arrival.kind === 'link-local' || arrival.kind === 'interface';
}

/** Protocols whose success needs a reply: TCP, UDP (request/response) and ICMP echo. */
function expectsReply(p: Packet): boolean {
  if (p.protocol === 6 || p.protocol === 17) return true;
  if (p.protocol === 1) return p.icmpType === 8;
  if (p.protocol === 58) return p.icmpType === 128;
  return false;
}

/** Traces `req` through `model`: forward and return paths with explanations. */
export function trace(snapshot: NetworkModel, req: TraceRequest): TraceResult {
  // Networks declared behind a Direct Connect gateway are BGP routes the snapshot cannot show: the VPC route
  // tables propagating from an associated virtual private gateway hold them (direct-connect-gateway.ts).
  const model = req.onPremises ? withDirectConnectDeclarations(snapshot, req.onPremises) : snapshot;
  const dns = resolveDestinationName(model, req);
  if (dns && !dns.ok) return dns.result;
  const { query, src, dst } = resolveTraceQuery(model, dns ? { ...req, to: dns.address } : req);
  const named = dns ? { ...query, destination: { ...query.destination, input: req.to } } : query;
  return traceQuery(model, named, src, dst, req.overlay, dns ? [dns.hop] : []);
}

/** Looks like a DNS name, not an id, address or the word internet. */
function isDnsName(s: string): boolean {
  return /^[a-z0-9_*-]+(\.[a-z0-9_-]+)+\.?$/i.test(s.trim()) && !parseIp(s);
}

/**
 * A destination given as a DNS name the model does not index directly is resolved as the source VPC's
 * resolver would (resolve.ts); the resolution is the first hop. Of several addresses, the one in the
 * source's Availability Zone is used (clients of a regional endpoint name usually pick any; the same-AZ
 * one keeps the path short), else the first.
 */
function resolveDestinationName(
  model: NetworkModel,
  req: TraceRequest,
): { ok: true; address: string; hop: Hop } | { ok: false; result: TraceResult } | undefined {
  if (!isDnsName(req.to) || model.get(req.to) || model.byNameTag(req.to).length) return undefined;
  const src = resolveEndpoint(model, req.from, 'source', req.onPremises);
  const vpcId = src.eni?.vpcId;
  const r = resolveName(model, req.to, vpcId);
  const dnsRef = { id: req.to.toLowerCase().replace(/\.$/, ''), type: 'dns' as const, name: vpcId ? `resolver of ${vpcId}` : 'public DNS' };
  /** A trace that stops at the name: nothing to send the packet to. */
  const unresolved = (code: string, rule: string, message: string): { ok: false; result: TraceResult } => {
    const packet: Packet = { family: 4, srcIp: src.endpoint.ip, dstIp: '0.0.0.0', protocol: parseProtocol(req.protocol) };
    return {
      ok: false,
      result: {
        query: { source: src.endpoint, destination: { input: req.to, kind: 'address', ip: '' }, packet },
        reachable: false,
        forwardPath: [{ component: dnsRef, action: 'drop', rule, packet }],
        returnPath: [],
        explanations: [{ code, component: { id: dnsRef.id, type: 'dns' }, direction: 'forward', message }],
        notes: [],
      },
    };
  };
  if (!r.ok) return unresolved(r.code, r.code, r.message);
  const addrs = r.answer.addresses;
  const srcZone = src.eni ? model.subnetZoneId(src.eni.subnetId) : undefined;
  const sameZone = addrs.find((ip) =>
    model.addressHolders(ip).some((h) => {
      const e = model.networkInterfaces.get(h.networkInterfaceId);
      return h.vpcId === vpcId && srcZone !== undefined && e !== undefined && model.subnetZoneId(e.subnetId) === srcZone;
    }),
  );
  const address = sameZone ?? addrs[0];
  if (!address) return unresolved('DNS_NO_ADDRESS', 'no address', `${req.to} resolves to no IPv4 or IPv6 address`);
  const chain = r.answer.chain.map((c) => `${c.name} ${c.type} ${c.value} (${c.via})`).join('; ');
  const alternatives = r.answer.alternatives.length ? `; alternatives: ${r.answer.alternatives.map((a) => `${a.setIdentifier}${a.weight !== undefined ? ` weight ${a.weight}` : ''} -> ${a.addresses.join(',')}`).join('; ')}` : '';
  const hop: Hop = {
    component: dnsRef,
    action: 'resolve',
    rule: `${req.to} -> ${addrs.join(', ')}${addrs.length > 1 ? `; using ${address}${sameZone ? " (in the source's Availability Zone)" : ''}` : ''}`,
    packet: { family: parseIp(address)?.family ?? 4, srcIp: src.endpoint.ip, dstIp: address, protocol: parseProtocol(req.protocol) },
    note: `${chain}${alternatives}`,
    ...(r.answer.chain[0]?.source ? { source: r.answer.chain[0].source } : {}),
  };
  return { ok: true, address, hop };
}

interface SegmentResult {
  readonly forward: WalkState;
  readonly arrival: Arrival | undefined;
  readonly returnHops: TraceResult['returnPath'];
  readonly returnOk: boolean;
}

/**
 * One connection: the forward walk from `start`, then the reply walked back from where it arrived. `isHome`
 * says whether the reply reached the sender; the reply must also come from the address the request went to.
 */
function runConnection(model: NetworkModel, start: Location, packet: Packet, isHome: (a: Arrival) => boolean, explanations: Explanation[], notes: string[]): SegmentResult {
  const fwd: WalkState = { ...newState(model, 'forward'), explanations, notes };
  const arrival = walk(fwd, start, stepLocation);
  if (!arrival || arrival.kind === 'link-local' || !expectsReply(packet)) return { forward: fwd, arrival, returnHops: [], returnOk: !!arrival };
  const back = newState(model, 'return', fwd);
  const reply = replyTo(arrival.packet);
  const from: Location =
    arrival.kind === 'interface'
      ? { at: 'interface-out', eni: arrival.eni, packet: reply, origin: true }
      : arrival.kind === 'internet'
        ? { at: 'internet', packet: reply }
        : arrival.kind === 'on-premises'
          ? {
              at: 'on-premises',
              packet: reply,
              ...(arrival.vpnConnectionId ? { vpnConnectionId: arrival.vpnConnectionId } : {}),
              ...(arrival.directConnectGatewayId ? { directConnectGatewayId: arrival.directConnectGatewayId } : {}),
            }
          : { at: 'vpc-ingress', vpcId: arrival.vpcId, gateway: { id: arrival.endpointId, type: 'vpc-endpoint' }, packet: reply };
  const home = walk(back, from, stepLocation);
  const component = (h: Arrival) =>
    h.kind === 'interface' ? { id: h.eni.id, type: 'network-interface' as const } : { id: h.kind, type: h.kind === 'on-premises' ? ('on-premises' as const) : ('internet' as const) };
  if (home && (!isHome(home) || home.packet.dstIp !== packet.srcIp)) {
    back.explanations.push({
      code: 'ASYMMETRIC_RETURN',
      component: component(home),
      direction: 'return',
      message: `the reply is delivered to ${home.kind === 'interface' ? home.eni.id : home.kind} instead of the sender: the return route differs from the request's`,
    });
    back.blocked = true;
  } else if (home && home.packet.srcIp !== packet.dstIp) {
    back.explanations.push({
      code: 'ASYMMETRIC_RETURN',
      component: component(home),
      direction: 'return',
      message: `the reply arrives from ${home.packet.srcIp}, but the request was sent to ${packet.dstIp}: the return path leaves through a different gateway or translation, so the sender drops it; make both directions use the same path`,
    });
    back.blocked = true;
  }
  return { forward: fwd, arrival, returnHops: back.hops, returnOk: !!home && !back.blocked };
}

/**
 * A provider cannot open connections back to consumers through PrivateLink (aws-vpc-semantics §5.2): when a
 * trace from a provider VPC fails, say so, since the consumer side is often where the user expected to go.
 */
function explainPrivateLinkDirection(model: NetworkModel, eni: NetworkInterface, explanations: Explanation[]): void {
  for (const svc of model.endpointServices.values()) {
    const lbs = svc.networkLoadBalancerArns.flatMap((a) => model.loadBalancers.get(a) ?? []);
    if (!lbs.some((lb) => lb.vpcId === eni.vpcId)) continue;
    const consumers = [...model.vpcEndpoints.values()].filter((e) => e.serviceName === svc.serviceName);
    if (consumers.length === 0) continue;
    explanations.push({
      code: 'PRIVATELINK_ONE_WAY',
      component: { id: svc.id, type: 'endpoint-service' },
      direction: 'forward',
      message: `${eni.vpcId} provides ${svc.serviceName} to ${consumers.map((c) => `${c.id} in ${c.vpcId}`).join(', ')}; PrivateLink carries connections only from the consumer to the provider, so the provider side cannot open connections back through it`,
    });
  }
}

const OVERLAY_SOURCE_PORT = 49152;
const MAX_OVERLAY_HOPS = 8;

function traceQuery(model: NetworkModel, query: TraceQuery, src: ResolvedEndpoint, dst: ResolvedEndpoint, overlay?: Overlay, prefix: readonly Hop[] = []): TraceResult {
  const explanations: Explanation[] = [];
  const notes: string[] = [];
  const isSource = (h: Arrival) =>
    src.eni ? h.kind === 'interface' && h.eni.id === src.eni.id : src.endpoint.kind === 'on-premises' ? h.kind === 'on-premises' : h.kind === 'internet';
  const first = runConnection(model, startOf(model, src, query.packet), query.packet, isSource, explanations, notes);
  const forwardPath: Hop[] = [...prefix, ...first.forward.hops];
  const returnParts: (readonly Hop[])[] = [first.returnHops];
  let ok = !first.forward.blocked && first.returnOk && arrivedAtDestination(first.arrival, dst);
  if (first.arrival && !arrivedAtDestination(first.arrival, dst)) {
    const a = first.arrival;
    explanations.push({
      code: 'DESTINATION_MISMATCH',
      component: { id: a.kind === 'interface' ? a.eni.id : a.kind, type: a.kind === 'interface' ? 'network-interface' : 'internet' },
      direction: 'forward',
      message: `the packet is delivered to ${a.kind === 'interface' ? a.eni.id : a.kind}, not to ${dst.endpoint.input}`,
    });
  }
  // Application hops from the overlay: a forwarding service opens a new connection to the next service.
  let arrival = first.arrival;
  for (let i = 0; overlay && ok && arrival?.kind === 'interface' && i < MAX_OVERLAY_HOPS; i++) {
    const at: Arrival & { kind: 'interface' } = arrival;
    const instanceId = at.eni.owner.kind === 'instance' ? at.eni.owner.id : undefined;
    const svc = instanceId ? serviceListeningOn(model, overlay, instanceId, at.packet.protocol, at.packet.dstPort) : undefined;
    const nextSvc = svc?.forwardTo ? overlay.services.find((s) => s.name === svc.forwardTo) : undefined;
    if (!svc || !nextSvc) break;
    const candidates = instancesOf(model, nextSvc);
    const target = candidates.find((c) => c.vpcId === at.eni.vpcId) ?? candidates[0];
    const targetEni = target?.networkInterfaceIds[0] ? model.networkInterfaces.get(target.networkInterfaceIds[0]) : undefined;
    const listen = nextSvc.listen[0];
    const overlayRef = { id: `${svc.name} -> ${nextSvc.name}`, type: 'overlay' as const, name: overlay.file };
    if (!target || !targetEni || !listen) {
      explanations.push({ code: 'OVERLAY_NO_INSTANCES', component: overlayRef, direction: 'forward', message: `overlay service ${nextSvc.name} matches no running instance in the snapshot` });
      ok = false;
      break;
    }
    const srcIp = at.eni.privateAddresses.find((a) => a.primary)?.ip ?? at.packet.dstIp;
    const dstIp = targetEni.privateAddresses.find((a) => a.primary)?.ip ?? target.privateIp ?? '';
    const packet: Packet = { family: 4, srcIp, dstIp, protocol: listen.protocol === 'udp' ? 17 : 6, srcPort: OVERLAY_SOURCE_PORT, dstPort: listen.port };
    forwardPath.push({
      component: overlayRef,
      action: 'forward',
      rule: `${svc.name} on ${instanceId} forwards to ${nextSvc.name} (${candidates.length} instance${candidates.length === 1 ? '' : 's'}): new connection to ${target.name ?? target.id} on ${listen.protocol}/${listen.port}`,
      packet,
      note: `from the overlay file ${overlay.file}${svc.description ? `: ${svc.description}` : ''}`,
    });
    const seg = runConnection(model, { at: 'interface-out', eni: at.eni, packet, origin: true }, packet, (h) => h.kind === 'interface' && h.eni.id === at.eni.id, explanations, notes);
    forwardPath.push(...seg.forward.hops);
    returnParts.unshift(seg.returnHops);
    ok = !seg.forward.blocked && seg.returnOk && seg.arrival?.kind === 'interface' && seg.arrival.eni.id === targetEni.id;
    arrival = seg.arrival;
  }
  if (!ok && src.eni) explainPrivateLinkDirection(model, src.eni, explanations);
  return {
    query,
    reachable: ok,
    forwardPath,
    returnPath: returnParts.flat(),
    explanations,
    notes,
  };
}

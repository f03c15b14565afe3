/**
 * Direct Connect gateway (aws-vpc-semantics §9.3, §7.3): a global gateway between the data centre's virtual
 * interfaces and the virtual private gateways or transit gateways it is associated with.
 *
 * - Only associations in state `associated` carry traffic ("ready to pass traffic"); `disassociated` means
 *   "traffic flow … is stopped", and `associating`/`disassociating` are transitions. `updating` (allowed
 *   prefixes being changed) still carries traffic that does not use the changed prefixes, so it is treated as
 *   carrying, with a note. (DX API DirectConnectGatewayAssociation.associationState,
 *   https://docs.aws.amazon.com/directconnect/latest/APIReference/API_DirectConnectGatewayAssociation.html;
 *   https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html)
 * - Allowed prefixes decide what the data centre can reach: the DX gateway advertises to on-premises only
 *   what the associations allow, so on-premises traffic to an AWS address outside every advertised prefix
 *   has no route (https://docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html):
 *   - transit gateway association: the allowed prefixes themselves are advertised, as they are;
 *   - virtual private gateway association: the list is a filter; only the attached VPC's CIDRs are
 *     advertised, each one only if an allowed prefix is the same or wider ("10.0.0.0/15 → you receive
 *     10.0.0.0/16"; "10.0.0.0/24 → no route"). An association listing no prefix advertises the VPC CIDRs
 *     [INFERRED: "we provision entire VPC CIDR on the virtual private gateway",
 *     https://docs.aws.amazon.com/directconnect/latest/UserGuide/multi-account-associate-vgw.html].
 *   Allowed prefixes filter only what AWS advertises; prefixes the data centre advertises reach AWS unfiltered.
 * - Towards the data centre: a transit gateway route to the DX gateway attachment, or a VPC route to a
 *   virtual private gateway associated with the DX gateway. The VGW learns the data centre's prefixes by BGP
 *   over the private virtual interface; they are not in describe-* output, so they come from an on-premises
 *   declaration (`--on-prem`, `via: <DX gateway id>`). For the same prefix the VGW prefers Direct Connect BGP
 *   routes over VPN static routes over VPN BGP routes; a longer prefix wins first
 *   (https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html;
 *   https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html "Propagated routes").
 * - VPC route tables with route propagation from the VGW get the declared prefixes as propagated routes to the
 *   VGW, like the BGP routes of a VPN (https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html:
 *   "propagated routes from a Site-to-Site VPN connection or AWS Direct Connect connection"); the route
 *   kernel then applies the usual priority (local wins over propagated, static wins for the same prefix).
 */
import { canonicalCidr, cidrContains, cidrCovers, parseCidrCached, parseIpCached } from '../../model/addresses.js';
import { NetworkModel } from '../../model/network.js';
import type { DirectConnectGateway, DirectConnectGatewayAssociation, Resource, Route, RouteTable } from '../../model/types.js';
import type { Packet } from '../packet.js';
import { addHop, block, next, note, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';

/** An on-premises network declared behind a gateway (the neutral form of an `--on-prem` entry). */
export interface DeclaredOnPremisesNetwork {
  readonly name: string;
  readonly cidrs: readonly string[];
  readonly via: string;
}

/** States in which an association carries traffic. */
export function associationCarriesTraffic(a: DirectConnectGatewayAssociation): boolean {
  return a.state === 'associated' || a.state === 'updating';
}

const TYPE_NAME: Readonly<Record<DirectConnectGatewayAssociation['gatewayType'], string>> = {
  'virtual-private-gateway': 'virtual private gateway',
  'transit-gateway': 'transit gateway',
  other: 'gateway',
};

/** Length of the longest of `cidrs` holding `ip`, or undefined. */
export function longestMatch(cidrs: readonly string[], ip: string): { cidr: string; length: number } | undefined {
  const a = parseIpCached(ip);
  if (!a) return undefined;
  let best: { cidr: string; length: number } | undefined;
  for (const text of cidrs) {
    const c = parseCidrCached(text);
    if (c && cidrContains(c, a) && (!best || c.prefixLength > best.length)) best = { cidr: text, length: c.prefixLength };
  }
  return best;
}

/** The Amazon-side prefixes an association makes the DX gateway advertise to the data centre (module header). */
export function advertisedPrefixes(model: NetworkModel, a: DirectConnectGatewayAssociation): string[] {
  if (a.gatewayType === 'transit-gateway') return [...a.allowedPrefixes];
  if (a.gatewayType !== 'virtual-private-gateway') return [];
  const vpcId = model.vpnGateways.get(a.gatewayId)?.attachments.find((x) => x.state === 'attached')?.vpcId;
  const vpc = vpcId ? model.vpcs.get(vpcId) : undefined;
  if (!vpc) return [];
  const vpcCidrs = [...vpc.cidrs, ...vpc.ipv6Cidrs];
  if (a.allowedPrefixes.length === 0) return vpcCidrs;
  return vpcCidrs.filter((v) => {
    const inner = parseCidrCached(v);
    return inner !== undefined && a.allowedPrefixes.some((p) => {
      const outer = parseCidrCached(p);
      return outer !== undefined && outer.family === inner.family && cidrCovers(outer, inner);
    });
  });
}

function describeAssociation(a: DirectConnectGatewayAssociation): string {
  return `${a.associationId ? `association ${a.associationId} ` : ''}with ${TYPE_NAME[a.gatewayType]} ${a.gatewayId}`;
}

function declaredNetworkFor(dx: DirectConnectGateway | undefined, ip: string): string | undefined {
  let best: { network: string; length: number } | undefined;
  for (const d of dx?.declaredPrefixes ?? []) {
    const m = longestMatch([d.cidr], ip);
    if (m && (!best || m.length > best.length)) best = { network: d.network, length: m.length };
  }
  return best?.network;
}

function onPremisesRef(dx: DirectConnectGateway | undefined, dxId: string, ip: string) {
  return { id: dxId, type: 'on-premises' as const, name: declaredNetworkFor(dx, ip) ?? 'on-premises network' };
}

// ---------- derived routes from on-premises declarations ----------

const augmented = new WeakMap<NetworkModel, WeakMap<object, NetworkModel>>();

/**
 * The model as seen with on-premises networks declared behind Direct Connect gateways: each such gateway
 * carries the declared prefixes (`declaredPrefixes`), and every VPC route table that propagates routes
 * from a virtual private gateway associated (carrying traffic) with that DX gateway holds them as
 * propagated routes to the VGW (`derivedFrom` says so), unless the table already lists the same prefix to
 * that VGW. Returns `model` itself when no declaration names a Direct Connect gateway of the snapshot.
 * Cached per model and declaration list.
 */
export function withDirectConnectDeclarations(model: NetworkModel, networks: readonly DeclaredOnPremisesNetwork[]): NetworkModel {
  let perModel = augmented.get(model);
  const cached = perModel?.get(networks);
  if (cached) return cached;
  const declared = new Map<string, { cidr: string; network: string }[]>();
  for (const n of networks)
    if (model.directConnectGateways.has(n.via)) declared.set(n.via, [...(declared.get(n.via) ?? []), ...n.cidrs.map((cidr) => ({ cidr: canonicalCidr(cidr) ?? cidr, network: n.name }))]);
  if (declared.size === 0) return model;
  const replaced = new Map<string, Resource>();
  const extraRoutes = new Map<string, Route[]>();
  for (const [dxId, prefixes] of declared) {
    const dx = model.directConnectGateways.get(dxId) as DirectConnectGateway;
    replaced.set(`direct-connect-gateway:${dxId}`, { ...dx, declaredPrefixes: prefixes });
    for (const a of dx.associations ?? []) {
      if (a.gatewayType !== 'virtual-private-gateway' || !associationCarriesTraffic(a)) continue;
      const vgw = model.vpnGateways.get(a.gatewayId);
      const attached = new Set(vgw?.attachments.filter((x) => x.state === 'attached').map((x) => x.vpcId) ?? []);
      for (const t of model.routeTables.values()) {
        if (!t.propagatingGatewayIds.includes(a.gatewayId) || !attached.has(t.vpcId)) continue;
        const list = extraRoutes.get(t.id) ?? [];
        for (const p of prefixes) {
          const listed = [...t.routes, ...list].some((r) => r.destination.kind === 'cidr' && r.destination.cidr === p.cidr && r.target.id === a.gatewayId);
          if (listed) continue;
          list.push({
            destination: { kind: 'cidr', cidr: p.cidr },
            target: { kind: 'virtual-private-gateway', id: a.gatewayId },
            state: 'active',
            origin: 'propagated',
            source: a.source,
            derivedFrom: `derived: on-premises network ${p.network} (--on-prem) is behind Direct Connect gateway ${dxId}, associated with ${a.gatewayId}, whose routes this table propagates`,
          });
        }
        extraRoutes.set(t.id, list);
      }
    }
  }
  for (const [tableId, routes] of extraRoutes) {
    const t = model.routeTables.get(tableId) as RouteTable;
    if (routes.length > 0) replaced.set(`route-table:${tableId}`, { ...t, routes: [...t.routes, ...routes] });
  }
  const resources = model.resources.map((r) => replaced.get(`${r.kind}:${r.id}`) ?? r);
  const result = new NetworkModel({ root: model.root, resources, ignored: model.ignored, issues: model.issues, files: model.files, availabilityZones: model.availabilityZones });
  if (!perModel) augmented.set(model, (perModel = new WeakMap()));
  perModel.set(networks, result);
  return result;
}

// ---------- towards the data centre ----------

/**
 * A virtual private gateway's Direct Connect route for `ip`: the longest prefix declared behind a DX gateway
 * associated with the VGW (association carrying traffic). Undefined when none holds `ip`.
 */
export function directConnectRouteFor(model: NetworkModel, vgwId: string, ip: string): { dxId: string; cidr: string; length: number; network: string } | undefined {
  let best: { dxId: string; cidr: string; length: number; network: string } | undefined;
  for (const dx of model.directConnectGateways.values()) {
    if (!(dx.associations ?? []).some((a) => a.gatewayId === vgwId && associationCarriesTraffic(a))) continue;
    for (const d of dx.declaredPrefixes ?? []) {
      const m = longestMatch([d.cidr], ip);
      if (m && (!best || m.length > best.length)) best = { dxId: dx.id, cidr: d.cidr, length: m.length, network: d.network };
    }
  }
  return best;
}

/** Direct Connect gateways with an association to `vgwId` that carries traffic. */
export function directConnectGatewaysOf(model: NetworkModel, vgwId: string): DirectConnectGateway[] {
  return [...model.directConnectGateways.values()].filter((dx) => (dx.associations ?? []).some((a) => a.gatewayId === vgwId && associationCarriesTraffic(a)));
}

/**
 * Leaving AWS through Direct Connect gateway `dxId`, handed over by `fromGatewayId` (the transit gateway or
 * virtual private gateway whose association it is). The association must carry traffic.
 */
export function leaveThroughDirectConnect(state: WalkState, dxId: string, packet: Packet, fromGatewayId: string): Step {
  const model = state.model;
  const dx = model.directConnectGateways.get(dxId);
  const deliver = (): Step => {
    addHop(state, { component: onPremisesRef(dx, dxId, packet.dstIp), action: 'deliver', packet });
    return next({ at: 'arrived', arrival: { kind: 'on-premises', packet, directConnectGatewayId: dxId } });
  };
  if (!dx) {
    note(state, `Direct Connect gateway ${dxId} is not in the snapshot (describe-direct-connect-gateways): its state and associations were not checked`);
    return deliver();
  }
  if (dx.state !== 'available') {
    addHop(state, { component: componentOf(dx), action: 'drop', rule: `state ${dx.state}`, packet, source: dx.source });
    block(state, { code: 'BAD_STATE', component: { id: dx.id, type: 'direct-connect-gateway' }, message: `Direct Connect gateway ${dx.id} is ${dx.state}, not available`, source: dx.source });
    return stop;
  }
  if (!dx.associationsKnown) {
    note(state, `the associations of Direct Connect gateway ${dx.id} are not in the snapshot (describe-direct-connect-gateway-associations): the association with ${fromGatewayId} was not checked`);
    addHop(state, { component: componentOf(dx), action: 'forward', rule: `from ${fromGatewayId} to on-premises`, packet, source: dx.source });
    return deliver();
  }
  const a = (dx.associations ?? []).find((x) => x.gatewayId === fromGatewayId);
  if (!a || !associationCarriesTraffic(a)) {
    addHop(state, { component: componentOf(dx), action: 'drop', rule: a ? `${describeAssociation(a)}: ${a.state}` : `no association with ${fromGatewayId}`, packet, source: a?.source ?? dx.source });
    block(state, {
      code: 'BAD_STATE_ATTACHMENT',
      component: { id: dx.id, type: 'direct-connect-gateway' },
      message: a
        ? `the ${describeAssociation(a)} of Direct Connect gateway ${dx.id} is ${a.state}: only an associated association carries traffic, so nothing reaches the data centre through it; associate the gateway again`
        : `Direct Connect gateway ${dx.id} has no association with ${fromGatewayId}: associate it so that traffic can reach the data centre`,
      source: a?.source ?? dx.source,
    });
    return stop;
  }
  if (a.state === 'updating') note(state, `the ${describeAssociation(a)} of Direct Connect gateway ${dx.id} is updating its allowed prefixes; traffic using a changed prefix may be delayed or dropped`);
  addHop(state, { component: componentOf(dx), action: 'forward', rule: `${describeAssociation(a)} to on-premises`, packet, source: a.source });
  return deliver();
}

// ---------- from the data centre ----------

/**
 * A packet sent from the data centre (or a reply going back into AWS) over Direct Connect gateway
 * `loc.directConnectGatewayId`: the association whose advertised prefixes hold the destination (longest
 * prefix) takes it into its transit gateway or virtual private gateway.
 */
export function fromDirectConnect(state: WalkState, loc: Extract<Location, { at: 'on-premises' }>): Step {
  const model = state.model;
  const { packet } = loc;
  const dxId = loc.directConnectGatewayId as string;
  const dx = model.directConnectGateways.get(dxId);
  addHop(state, { component: { ...onPremisesRef(dx, dxId, packet.srcIp), id: packet.srcIp }, action: 'send', packet });
  const legacyAttachment = [...model.transitGatewayAttachments.values()].find((a) => a.resourceType === 'direct-connect-gateway' && a.resourceId === dxId);
  if (!dx || !dx.associationsKnown) {
    if (legacyAttachment) {
      note(state, `the ${dx ? 'associations' : 'description'} of Direct Connect gateway ${dxId} ${dx ? 'are' : 'is'} not in the snapshot: the allowed prefixes were not checked; the packet enters ${legacyAttachment.transitGatewayId} through ${legacyAttachment.id}`);
      if (dx) addHop(state, { component: componentOf(dx), action: 'forward', rule: `to ${legacyAttachment.transitGatewayId}`, packet, source: dx.source });
      addHop(state, { component: componentOf(legacyAttachment), action: 'forward', rule: `direct-connect-gateway ${dxId} into ${legacyAttachment.transitGatewayId}`, packet, source: legacyAttachment.source });
      return next({ at: 'transit-gateway', transitGatewayId: legacyAttachment.transitGatewayId, attachmentId: legacyAttachment.id, packet });
    }
    block(state, {
      code: 'MISSING_DATA',
      component: { id: dxId, type: 'direct-connect-gateway' },
      message: dx
        ? `the associations of Direct Connect gateway ${dxId} are not in the snapshot: add describe-direct-connect-gateway-associations output`
        : `Direct Connect gateway ${dxId} is not in the snapshot: add describe-direct-connect-gateways and describe-direct-connect-gateway-associations output`,
    });
    return stop;
  }
  if (dx.state !== 'available') {
    addHop(state, { component: componentOf(dx), action: 'drop', rule: `state ${dx.state}`, packet, source: dx.source });
    block(state, { code: 'BAD_STATE', component: { id: dx.id, type: 'direct-connect-gateway' }, message: `Direct Connect gateway ${dx.id} is ${dx.state}, not available`, source: dx.source });
    return stop;
  }
  const associations = dx.associations ?? [];
  let best: { a: DirectConnectGatewayAssociation; cidr: string; length: number } | undefined;
  const idle: DirectConnectGatewayAssociation[] = [];
  for (const a of associations) {
    const m = longestMatch(advertisedPrefixes(model, a), packet.dstIp);
    if (!m) continue;
    if (!associationCarriesTraffic(a)) idle.push(a);
    else if (!best || m.length > best.length) best = { a, ...m };
  }
  if (!best) {
    const first = idle[0];
    if (first) {
      addHop(state, { component: componentOf(dx), action: 'drop', rule: `${describeAssociation(first)}: ${first.state}`, packet, source: first.source });
      block(state, {
        code: 'BAD_STATE_ATTACHMENT',
        component: { id: dx.id, type: 'direct-connect-gateway' },
        message: `the ${describeAssociation(first)} of Direct Connect gateway ${dx.id} is ${first.state}: only an associated association carries traffic, so the data centre has no route to ${packet.dstIp} over it; associate the gateway again`,
        source: first.source,
      });
      return stop;
    }
    const offered = associations.map((a) => `${describeAssociation(a)}: ${advertisedPrefixes(model, a).join(', ') || 'nothing'} (allowed prefixes ${a.allowedPrefixes.join(', ') || 'none listed'})`);
    addHop(state, { component: componentOf(dx), action: 'no-route', rule: `${packet.dstIp} is outside every advertised prefix`, packet, source: associations[0]?.source ?? dx.source });
    block(state, {
      code: 'NO_ROUTE_TO_DESTINATION',
      component: { id: dx.id, type: 'direct-connect-gateway' },
      message: `Direct Connect gateway ${dx.id} advertises to the data centre only what its associations allow${offered.length ? ` — ${offered.join('; ')}` : ' (it has no associations)'}; ${packet.dstIp} is outside all of them, so the data centre has no route to it over Direct Connect: add a prefix covering it to the association's allowed prefixes (for a virtual private gateway, one as wide as the VPC CIDR or wider)`,
      source: associations[0]?.source ?? dx.source,
    });
    return stop;
  }
  const { a } = best;
  if (a.state === 'updating') note(state, `the ${describeAssociation(a)} of Direct Connect gateway ${dx.id} is updating its allowed prefixes; traffic using a changed prefix may be delayed or dropped`);
  addHop(state, { component: componentOf(dx), action: 'forward', rule: `${describeAssociation(a)}: advertised ${best.cidr}`, packet, source: a.source });
  if (a.gatewayType === 'transit-gateway') {
    const att = [...model.transitGatewayAttachments.values()].find((x) => x.resourceType === 'direct-connect-gateway' && x.resourceId === dx.id && x.transitGatewayId === a.gatewayId);
    if (!att) {
      block(state, {
        code: 'MISSING_DATA',
        component: { id: a.gatewayId, type: 'transit-gateway' },
        message: `the transit gateway attachment of Direct Connect gateway ${dx.id} to ${a.gatewayId} (account ${a.gatewayOwner ?? '?'}, region ${a.gatewayRegion ?? '?'}) is not in the snapshot: add describe-transit-gateway-attachments output`,
      });
      return stop;
    }
    if (att.state !== 'available') {
      block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: att.id, type: 'transit-gateway-attachment' }, message: `attachment ${att.id} of Direct Connect gateway ${dx.id} is ${att.state}`, source: att.source });
      return stop;
    }
    addHop(state, { component: componentOf(att), action: 'forward', rule: `direct-connect-gateway ${dx.id} into ${a.gatewayId}`, packet, source: att.source });
    return next({ at: 'transit-gateway', transitGatewayId: a.gatewayId, attachmentId: att.id, packet });
  }
  if (a.gatewayType === 'virtual-private-gateway') {
    const vgw = model.vpnGateways.get(a.gatewayId);
    if (!vgw) {
      block(state, {
        code: 'UNKNOWN_DESTINATION',
        component: { id: a.gatewayId, type: 'vpn-gateway' },
        message: `virtual private gateway ${a.gatewayId} (account ${a.gatewayOwner ?? '?'}, region ${a.gatewayRegion ?? '?'}) is not in the snapshot: add describe-vpn-gateways output for that account and region`,
      });
      return stop;
    }
    const vpcId = vgw.attachments.find((x) => x.state === 'attached')?.vpcId;
    if (!vpcId) {
      block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: vgw.id, type: 'vpn-gateway' }, message: `virtual private gateway ${vgw.id} is not attached to a VPC`, source: vgw.source });
      return stop;
    }
    addHop(state, { component: componentOf(vgw), action: 'forward', rule: `into ${vpcId}`, packet, source: vgw.source });
    return next({ at: 'vpc-ingress', vpcId, gateway: componentOf(vgw), packet });
  }
  block(state, {
    code: 'UNSUPPORTED_COMPONENT',
    component: { id: a.gatewayId, type: 'direct-connect-gateway' },
    message: `tracing through the ${describeAssociation(a)} of Direct Connect gateway ${dx.id} is not supported`,
    source: a.source,
  });
  return stop;
}


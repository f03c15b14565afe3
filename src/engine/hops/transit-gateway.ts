/**
 * Transit gateway: a Regional router between attachments (aws-vpc-semantics §7).
 *
 * - Entry from a VPC needs the subnet's route to `tgw-…` and a VPC attachment with a subnet in the source's
 *   Availability Zone (TGW:tgw-vpc-attachments "Limits"). NACLs: the source subnet's outbound rules and the
 *   attachment subnet's inbound rules; leaving into a VPC, the attachment subnet's outbound rules and the
 *   destination subnet's inbound rules; none between interfaces of one subnet (TGW:tgw-nacls, §3).
 * - The route table associated with the ingress attachment decides (longest prefix, static before
 *   propagated); a blackhole route or no route drops the packet. A propagated route the loader derived
 *   (the snapshot listed static routes only) is named as derived, in the hop and in the trace notes.
 * - Leaving into a VPC, the packet is routed by the route table of the attachment's subnet in the same AZ
 *   (§7.2), normally the local route.
 */
import type { NetworkModel } from '../../model/network.js';
import type { TransitGatewayAttachment } from '../../model/types.js';
import { describePacket } from '../packet.js';
import { describeTransitGatewayRoute, lookupTransitGatewayRoute } from '../transit-gateway-route-table.js';
import { addHop, block, next, note, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { modelContext } from '../model-context.js';
import { crossNetworkAcl } from './subnet-boundary.js';
import { leaveThroughVpn } from './vpn.js';
import { leaveThroughDirectConnect } from './direct-connect-gateway.js';
import type { RouteTargetInput } from './vpc-router.js';

export function vpcAttachment(model: NetworkModel, tgwId: string, vpcId: string): TransitGatewayAttachment | undefined {
  return modelContext(model).vpcAttachment(tgwId, vpcId);
}

/** Route target `tgw-…` from a VPC subnet. */
export function toTransitGateway(state: WalkState, input: RouteTargetInput): Step {
  const model = state.model;
  const tgwId = input.route.target.id;
  const tgw = model.transitGateways.get(tgwId);
  const att = vpcAttachment(model, tgwId, input.vpcId);
  if (!att) {
    block(state, {
      code: tgw ? 'TGW_ATTACHMENT_MISSING' : 'UNKNOWN_DESTINATION',
      component: { id: tgwId, type: 'transit-gateway' },
      message: tgw
        ? `${input.vpcId} has a route to ${tgwId} but no VPC attachment to it: attach the VPC`
        : `transit gateway ${tgwId} is not in the snapshot: add describe-transit-gateways and its attachments for the account that owns it`,
      source: input.route.source,
    });
    return stop;
  }
  if (att.state !== 'available') {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: att.id, type: 'transit-gateway-attachment' }, message: `attachment ${att.id} of ${input.vpcId} to ${tgwId} is ${att.state}`, source: att.source });
    return stop;
  }
  const sourceAz = input.subnet ? model.subnetZoneId(input.subnet.id) : undefined;
  const attachSubnets = att.subnetIds.flatMap((id) => model.subnets.get(id) ?? []);
  const sameAz = attachSubnets.find((s) => model.subnetZoneId(s.id) === sourceAz);
  if (input.subnet && att.subnetIds.length > 0 && !sameAz) {
    addHop(state, { component: componentOf(att), action: 'drop', rule: `no attachment subnet in ${input.subnet.availabilityZone}`, packet: input.packet, source: att.source });
    block(state, {
      code: 'TGW_ROUTE_AZ_RESTRICTION',
      component: { id: att.id, type: 'transit-gateway-attachment' },
      message: `${att.id} has subnets only in ${attachSubnets.map((s) => s.availabilityZone).join(', ') || 'no known AZ'}; a source in ${input.subnet.availabilityZone} (${input.subnet.id}) cannot use the transit gateway: add an attachment subnet in that Availability Zone`,
      source: att.source,
    });
    return stop;
  }
  if (sameAz) crossNetworkAcl(state, sameAz, 'inbound', input.packet);
  if (att.subnetIds.length === 0) note(state, `the subnets of ${att.id} are not in the snapshot (describe-transit-gateway-vpc-attachments): the Availability Zone check was skipped`);
  addHop(state, { component: componentOf(att), action: 'forward', rule: `into ${tgwId} from ${input.vpcId}${sameAz ? ` via ${sameAz.id}` : ''}`, packet: input.packet, source: att.source });
  return next({ at: 'transit-gateway', transitGatewayId: tgwId, attachmentId: att.id, packet: input.packet, ...(sourceAz ? { availabilityZoneId: sourceAz } : {}) });
}

/** Inside the transit gateway: route by the ingress attachment's route table, then leave. */
export function inTransitGateway(state: WalkState, loc: Extract<Location, { at: 'transit-gateway' }>): Step {
  const model = state.model;
  const { packet } = loc;
  const att = model.transitGatewayAttachments.get(loc.attachmentId);
  // The association that counts is the one on this transit gateway (a peering attachment has one per side).
  const tableId =
    [...model.transitGatewayRouteTables.values()].find((t) => t.transitGatewayId === loc.transitGatewayId && t.associatedAttachmentIds.includes(loc.attachmentId))?.id ??
    (att?.transitGatewayId === loc.transitGatewayId ? att.associatedRouteTableId : undefined);
  if (!att || !tableId) {
    block(state, {
      code: 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION',
      component: { id: loc.attachmentId, type: 'transit-gateway-attachment' },
      message: `attachment ${loc.attachmentId} is not associated with any route table of ${loc.transitGatewayId}: associate it so that packets arriving from it can be routed`,
      ...(att ? { source: att.source } : {}),
    });
    return stop;
  }
  const table = model.transitGatewayRouteTables.get(tableId);
  if (!table || !table.routesKnown) {
    block(state, {
      code: 'MISSING_DATA',
      component: { id: tableId, type: 'transit-gateway-route-table' },
      message: `routes of transit gateway route table ${tableId} are not in the snapshot: add search-transit-gateway-routes output for it`,
    });
    return stop;
  }
  const found = lookupTransitGatewayRoute(model, table, packet.dstIp);
  if (found.kind === 'no-route') {
    addHop(state, { component: componentOf(table), action: 'no-route', rule: `no route for ${packet.dstIp}`, packet, source: table.source });
    block(state, {
      code: 'TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT',
      component: { id: table.id, type: 'transit-gateway-route-table' },
      message: `transit gateway route table ${table.id} (associated with ${att.id}) has no route for ${packet.dstIp}: add a static route or propagate the destination's attachment into it`,
      source: table.source,
    });
    return stop;
  }
  const { route } = found;
  if (route.state === 'blackhole' || route.attachmentIds.length === 0) {
    addHop(state, { component: componentOf(table), action: 'blackhole', rule: describeTransitGatewayRoute(model, route), packet, source: route.source });
    block(state, {
      code: 'TGW_RTB_BAD_STATE_ROUTE',
      component: { id: table.id, type: 'transit-gateway-route-table' },
      message: `route ${describeTransitGatewayRoute(model, route)} in ${table.id} is a blackhole: ${describePacket(packet)} is dropped; replace it with a route to an attachment`,
      source: route.source,
    });
    return stop;
  }
  const derived = route.derivedFromPropagation
    ? `derived from the propagation of ${route.attachmentIds.join(', ')}: the snapshot lists this table's static routes only`
    : undefined;
  addHop(state, { component: componentOf(table), action: 'route', rule: describeTransitGatewayRoute(model, route), packet, source: route.source, ...(derived ? { note: derived } : {}) });
  if (derived)
    note(state, `${table.id}: the route ${describeTransitGatewayRoute(model, route)} is not in the snapshot; it was derived from the propagation of ${route.attachmentIds.join(', ')} (the VPC's CIDR), because only static routes were listed`);
  if (route.attachmentIds.length > 1) note(state, `${table.id} spreads ${found.matchedCidr} over ${route.attachmentIds.length} attachments (ECMP); the trace follows the first`);
  const outId = route.attachmentIds[0] as string;
  const out = model.transitGatewayAttachments.get(outId);
  if (!out) {
    block(state, { code: 'MISSING_DATA', component: { id: outId, type: 'transit-gateway-attachment' }, message: `attachment ${outId} is not in the snapshot` });
    return stop;
  }
  if (out.state !== 'available') {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: out.id, type: 'transit-gateway-attachment' }, message: `attachment ${out.id} is ${out.state}`, source: out.source });
    return stop;
  }
  switch (out.resourceType) {
    case 'vpc':
      return leaveIntoVpc(state, out, loc);
    case 'vpn': {
      addHop(state, { component: componentOf(out), action: 'forward', rule: `to VPN connection ${out.resourceId ?? '?'}`, packet, source: out.source });
      return leaveThroughVpn(state, out.resourceId ?? '', packet);
    }
    case 'peering':
    case 'tgw-peering':
      return crossTransitGatewayPeering(state, out, loc);
    case 'direct-connect-gateway':
      addHop(state, { component: componentOf(out), action: 'forward', rule: `to Direct Connect gateway ${out.resourceId ?? '?'}`, packet, source: out.source });
      return leaveThroughDirectConnect(state, out.resourceId ?? 'direct-connect', packet, loc.transitGatewayId);
    default:
      block(state, {
        code: 'UNSUPPORTED_COMPONENT',
        component: { id: out.id, type: 'transit-gateway-attachment' },
        message: `tracing through ${out.resourceType} attachment ${out.id} is not supported yet`,
        source: out.source,
      });
      return stop;
  }
}

/**
 * TGW peering (§7.3): static routes only; on the peer the packet is routed by the peer's route table
 * associated with its side of the same attachment.
 */
function crossTransitGatewayPeering(state: WalkState, out: TransitGatewayAttachment, loc: Extract<Location, { at: 'transit-gateway' }>): Step {
  const p = out.peering;
  const peer = p ? (p.requester.transitGatewayId === loc.transitGatewayId ? p.accepter : p.requester) : undefined;
  addHop(state, { component: componentOf(out), action: 'forward', rule: `TGW peering to ${peer?.transitGatewayId ?? out.resourceId ?? '?'}${peer?.region ? ` (${peer.region})` : ''}`, packet: loc.packet, source: out.source });
  const peerId = peer?.transitGatewayId ?? out.resourceId;
  if (!peerId || !state.model.transitGateways.has(peerId)) {
    block(state, {
      code: 'UNKNOWN_DESTINATION',
      component: { id: peerId ?? out.id, type: 'transit-gateway' },
      message: `the peer transit gateway ${peerId ?? '?'} (account ${peer?.account ?? out.resourceOwner ?? '?'}, region ${peer?.region ?? '?'}) is not in the snapshot: add that account and region to follow the packet`,
    });
    return stop;
  }
  return next({ at: 'transit-gateway', transitGatewayId: peerId, attachmentId: out.id, packet: loc.packet });
}

function leaveIntoVpc(state: WalkState, out: TransitGatewayAttachment, loc: Extract<Location, { at: 'transit-gateway' }>): Step {
  const model = state.model;
  const vpcId = out.resourceId ?? '';
  if (!model.vpcs.has(vpcId)) {
    addHop(state, { component: componentOf(out), action: 'forward', rule: `to ${vpcId}`, packet: loc.packet, source: out.source });
    block(state, {
      code: 'UNKNOWN_DESTINATION',
      component: { id: vpcId, type: 'vpc' },
      message: `${vpcId} (account ${out.resourceOwner ?? '?'}, region ${out.region}) is not in the snapshot: add that account and region to follow the packet further`,
    });
    return stop;
  }
  const subnets = out.subnetIds.flatMap((id) => model.subnets.get(id) ?? []);
  const subnet = subnets.find((s) => model.subnetZoneId(s.id) === loc.availabilityZoneId) ?? subnets[0];
  if (!subnet) {
    block(state, { code: 'MISSING_DATA', component: { id: out.id, type: 'transit-gateway-attachment' }, message: `the subnets of ${out.id} are not in the snapshot: add describe-transit-gateway-vpc-attachments and describe-subnets output` });
    return stop;
  }
  const eni = model.networkInterfacesIn(subnet.id).find((e) => e.owner.kind === 'transit-gateway-attachment' && e.owner.id === out.id);
  addHop(state, {
    component: componentOf(out),
    action: 'forward',
    rule: `into ${vpcId} via ${subnet.id} (${subnet.availabilityZone})`,
    packet: loc.packet,
    source: out.source,
    ...(loc.availabilityZoneId && model.subnetZoneId(subnet.id) !== loc.availabilityZoneId ? { note: 'crosses Availability Zones' } : {}),
  });
  // Traffic the attachment emits is routed by the attachment subnet's route table (§0.3, §7.2).
  return next({ at: 'subnet-out', subnet, packet: loc.packet, ...(eni ? { fromEni: eni } : {}) });
}

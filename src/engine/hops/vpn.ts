/**
 * Site-to-Site VPN and virtual private gateway (aws-vpc-semantics §9): a VPN connection links a customer
 * gateway to a virtual private gateway or a transit gateway; it carries traffic only while `available` and
 * at least one of its two tunnels is UP. A virtual private gateway forwards only to prefixes it knows (VPN
 * static routes, BGP, the attached VPC); traffic entering a VPC from it is routed by its edge route table or
 * the local route, and cannot transit to the VPC's internet gateway, NAT gateway, peering or gateway
 * endpoint (edge-to-edge). A VGW associated with a Direct Connect gateway may send the packet there instead
 * (direct-connect-gateway.ts).
 */
import { anyCidrContains } from '../../model/addresses.js';
import type { NetworkModel } from '../../model/network.js';
import type { VpnConnection } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import type { RouteTargetInput } from './vpc-router.js';
import { directConnectGatewaysOf, directConnectRouteFor, leaveThroughDirectConnect, longestMatch } from './direct-connect-gateway.js';

/** The on-premises prefixes a VPN connection is known to carry: its static routes and its declared remote network. */
export function vpnPrefixes(vpn: VpnConnection): string[] {
  return [...vpn.routes.filter((r) => r.state !== 'deleted').map((r) => r.cidr), ...(vpn.remoteNetworkCidr && vpn.remoteNetworkCidr !== '0.0.0.0/0' ? [vpn.remoteNetworkCidr] : [])];
}

/** VPN connections whose on-premises side holds `ip`: static routes, TGW routes to VPN attachments, VGW-propagated routes. */
export function vpnConnectionsFor(model: NetworkModel, ip: string): VpnConnection[] {
  const found = new Set<VpnConnection>();
  for (const vpn of model.vpnConnections.values()) if (anyCidrContains(vpnPrefixes(vpn), ip)) found.add(vpn);
  for (const table of model.transitGatewayRouteTables.values())
    for (const r of table.routes) {
      if (r.destination.kind !== 'cidr' || !anyCidrContains([r.destination.cidr], ip)) continue;
      for (const attId of r.attachmentIds) {
        const att = model.transitGatewayAttachments.get(attId);
        const vpn = att?.resourceType === 'vpn' && att.resourceId ? model.vpnConnections.get(att.resourceId) : undefined;
        if (vpn) found.add(vpn);
      }
    }
  for (const t of model.routeTables.values())
    for (const r of t.routes) {
      if (r.origin !== 'propagated' || r.destination.kind !== 'cidr' || !anyCidrContains([r.destination.cidr], ip)) continue;
      for (const vpn of model.vpnConnections.values()) if (vpn.vpnGatewayId === r.target.id) found.add(vpn);
    }
  return [...found].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function checkVpnUp(state: WalkState, vpn: VpnConnection, packet: Packet): boolean {
  const up = vpn.tunnels.length === 0 || vpn.tunnels.some((t) => t.status === 'UP');
  if (vpn.state !== 'available' || !up) {
    addHop(state, { component: componentOf(vpn), action: 'drop', rule: vpn.state !== 'available' ? `state ${vpn.state}` : 'all tunnels DOWN', packet, source: vpn.source });
    block(state, {
      code: 'BAD_STATE_VPN',
      component: { id: vpn.id, type: 'vpn-connection' },
      message: vpn.state !== 'available'
        ? `VPN connection ${vpn.id} is ${vpn.state}`
        : `both tunnels of VPN connection ${vpn.id} are DOWN (${vpn.tunnels.map((t) => `${t.outsideIp ?? '?'} ${t.statusMessage ?? t.status}`).join('; ')}): bring a tunnel up on the customer gateway`,
      source: vpn.source,
    });
    return false;
  }
  return true;
}

/** Leaving AWS over VPN connection `vpnId` towards the data centre. */
export function leaveThroughVpn(state: WalkState, vpnId: string, packet: Packet): Step {
  const vpn = state.model.vpnConnections.get(vpnId);
  if (!vpn) {
    block(state, { code: 'MISSING_DATA', component: { id: vpnId, type: 'vpn-connection' }, message: `VPN connection ${vpnId} is not in the snapshot: add describe-vpn-connections output` });
    return stop;
  }
  if (!checkVpnUp(state, vpn, packet)) return stop;
  const tunnel = vpn.tunnels.find((t) => t.status === 'UP');
  addHop(state, { component: componentOf(vpn), action: 'forward', rule: `IPsec tunnel ${tunnel?.outsideIp ?? ''}`.trim(), packet, source: vpn.source });
  const cgw = vpn.customerGatewayId ? state.model.customerGateways.get(vpn.customerGatewayId) : undefined;
  if (cgw) addHop(state, { component: componentOf(cgw), action: 'forward', rule: `customer gateway ${cgw.ipAddress ?? ''}`.trim(), packet, source: cgw.source });
  addHop(state, { component: { id: vpn.id, type: 'on-premises', name: 'on-premises network' }, action: 'deliver', packet });
  return next({ at: 'arrived', arrival: { kind: 'on-premises', packet, vpnConnectionId: vpn.id } });
}

/** Route target `vgw-…`: the virtual private gateway sends the packet over a VPN connection that knows the prefix. */
export function toVirtualPrivateGateway(state: WalkState, input: RouteTargetInput): Step {
  const vgw = state.model.vpnGateways.get(input.route.target.id);
  const { packet } = input;
  if (!vgw) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'vpn-gateway' }, message: `virtual private gateway ${input.route.target.id} is not in the snapshot` });
    return stop;
  }
  if (!vgw.attachments.some((a) => a.vpcId === input.vpcId && a.state === 'attached')) {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: vgw.id, type: 'vpn-gateway' }, message: `virtual private gateway ${vgw.id} is not attached to ${input.vpcId}`, source: vgw.source });
    return stop;
  }
  const vpns = [...state.model.vpnConnections.values()].filter((v) => v.vpnGatewayId === vgw.id);
  const propagated = input.route.origin === 'propagated';
  // Direct Connect (direct-connect-gateway.ts): a longer prefix wins; for the same prefix Direct Connect BGP
  // routes beat VPN static and BGP routes (VPN:vpn-route-priority).
  const vpnBest = Math.max(-1, ...vpns.map((v) => longestMatch(vpnPrefixes(v), packet.dstIp)?.length ?? -1));
  const dx = directConnectRouteFor(state.model, vgw.id, packet.dstIp);
  const dxFallback = !dx && vpnBest < 0 && propagated ? directConnectGatewaysOf(state.model, vgw.id)[0] : undefined;
  if ((dx && dx.length >= vpnBest) || dxFallback) {
    const dxId = dx?.dxId ?? (dxFallback as { id: string }).id;
    addHop(state, {
      component: componentOf(vgw),
      action: 'forward',
      rule: dx ? `to Direct Connect gateway ${dxId} (${dx.cidr}, on-premises network ${dx.network})` : `to Direct Connect gateway ${dxId}`,
      packet,
      source: vgw.source,
      ...(dx && vpnBest === dx.length ? { note: 'a VPN connection knows the same prefix; Direct Connect BGP routes are preferred' } : {}),
      ...(dxFallback ? { note: `no VPN connection or declared network knows ${packet.dstIp}; the propagated route is taken as learned over Direct Connect` } : {}),
    });
    return leaveThroughDirectConnect(state, dxId, packet, vgw.id);
  }
  const vpn = vpns.find((v) => anyCidrContains(vpnPrefixes(v), packet.dstIp)) ?? (propagated ? vpns[0] : undefined);
  addHop(state, { component: componentOf(vgw), action: vpn ? 'forward' : 'drop', rule: vpn ? `to VPN connection ${vpn.id}` : `no VPN connection knows ${packet.dstIp}`, packet, source: vgw.source });
  if (!vpn) {
    block(state, {
      code: 'NO_ROUTE_TO_DESTINATION',
      component: { id: vgw.id, type: 'vpn-gateway' },
      message: `virtual private gateway ${vgw.id} forwards only to prefixes it knows (VPN static routes or BGP); none covers ${packet.dstIp}: add a static route to the VPN connection or advertise the prefix`,
      source: vgw.source,
    });
    return stop;
  }
  return leaveThroughVpn(state, vpn.id, packet);
}

/** A packet starting in the data centre (or a reply going back into AWS) over VPN connection `loc.vpnConnectionId`. */
export function fromOnPremises(state: WalkState, loc: Extract<Location, { at: 'on-premises' }>): Step {
  const model = state.model;
  const vpn = loc.vpnConnectionId ? model.vpnConnections.get(loc.vpnConnectionId) : undefined;
  const { packet } = loc;
  const viaAttachment = loc.attachmentId ? model.transitGatewayAttachments.get(loc.attachmentId) : undefined;
  if (!vpn && viaAttachment) {
    addHop(state, { component: { id: packet.srcIp, type: 'on-premises', name: 'on-premises network' }, action: 'send', packet });
    addHop(state, { component: componentOf(viaAttachment), action: 'forward', rule: `${viaAttachment.resourceType} ${viaAttachment.resourceId ?? ''} into ${viaAttachment.transitGatewayId}`.trim(), packet, source: viaAttachment.source });
    return next({ at: 'transit-gateway', transitGatewayId: viaAttachment.transitGatewayId, attachmentId: viaAttachment.id, packet });
  }
  if (!vpn) {
    block(state, {
      code: 'NO_ROUTE_TO_DESTINATION',
      component: { id: packet.srcIp, type: 'on-premises' },
      message: `no VPN connection in the snapshot carries ${packet.srcIp}; declare the on-premises networks (--on-prem) or add the VPN connections`,
    });
    return stop;
  }
  addHop(state, { component: { id: packet.srcIp, type: 'on-premises', name: 'on-premises network' }, action: 'send', packet });
  const cgw = vpn.customerGatewayId ? model.customerGateways.get(vpn.customerGatewayId) : undefined;
  if (cgw) addHop(state, { component: componentOf(cgw), action: 'forward', rule: `customer gateway ${cgw.ipAddress ?? ''}`.trim(), packet, source: cgw.source });
  if (!checkVpnUp(state, vpn, packet)) return stop;
  addHop(state, { component: componentOf(vpn), action: 'forward', rule: 'IPsec tunnel to AWS', packet, source: vpn.source });
  if (vpn.transitGatewayId) {
    const att = [...model.transitGatewayAttachments.values()].find((a) => a.resourceType === 'vpn' && a.resourceId === vpn.id);
    if (!att) {
      block(state, { code: 'MISSING_DATA', component: { id: vpn.id, type: 'vpn-connection' }, message: `the transit gateway attachment of ${vpn.id} is not in the snapshot: add describe-transit-gateway-attachments output` });
      return stop;
    }
    addHop(state, { component: componentOf(att), action: 'forward', rule: `into ${vpn.transitGatewayId}`, packet, source: att.source });
    return next({ at: 'transit-gateway', transitGatewayId: vpn.transitGatewayId, attachmentId: att.id, packet });
  }
  const vgw = vpn.vpnGatewayId ? model.vpnGateways.get(vpn.vpnGatewayId) : undefined;
  const vpcId = vgw?.attachments.find((a) => a.state === 'attached')?.vpcId;
  if (!vgw || !vpcId) {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: vpn.vpnGatewayId ?? vpn.id, type: 'vpn-gateway' }, message: `VPN connection ${vpn.id} ends on ${vpn.vpnGatewayId ?? 'no gateway'}, which is not attached to a VPC in the snapshot` });
    return stop;
  }
  addHop(state, { component: componentOf(vgw), action: 'forward', rule: `into ${vpcId}`, packet, source: vgw.source });
  return next({ at: 'vpc-ingress', vpcId, gateway: componentOf(vgw), packet });
}

export { describePacket };

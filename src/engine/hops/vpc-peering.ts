/**
 * VPC peering connection (`pcx-…`): joins exactly two VPCs, carries traffic only while `active`, and is
 * neither transitive nor usable edge to edge: a packet may cross only if its source lies in the sending
 * VPC's CIDRs and its destination in the receiving VPC's CIDRs (aws-vpc-semantics §8, PEER:vpc-peering-basics
 * "Transitive peering", "Edge to edge routing"). Entering the peer there is no edge route table, so the
 * local route delivers it; the destination subnet's NACL and the interface's security groups apply.
 */
import { anyCidrContains } from '../../model/addresses.js';
import type { PeeringSide } from '../../model/types.js';
import { describePacket } from '../packet.js';
import { addHop, block, stop, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { deliverLocally, type RouteTargetInput } from './vpc-router.js';

function sideCidrs(state: WalkState, side: PeeringSide, family: 4 | 6): readonly string[] {
  const fromPeering = family === 4 ? side.cidrs : side.ipv6Cidrs;
  if (fromPeering.length) return fromPeering;
  const vpc = state.model.vpcs.get(side.vpcId);
  return (family === 4 ? vpc?.cidrs : vpc?.ipv6Cidrs) ?? [];
}

export function toPeeringConnection(state: WalkState, input: RouteTargetInput): Step {
  const pcx = state.model.peeringConnections.get(input.route.target.id);
  const { packet } = input;
  if (!pcx) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'vpc-peering-connection' }, message: `peering connection ${input.route.target.id} is not in the snapshot (or not active): add describe-vpc-peering-connections output` });
    return stop;
  }
  if (pcx.status !== 'active') {
    block(state, { code: 'BAD_STATE', component: { id: pcx.id, type: 'vpc-peering-connection' }, message: `peering connection ${pcx.id} is ${pcx.status}; only an active peering carries traffic`, source: pcx.source });
    return stop;
  }
  const local = pcx.requester.vpcId === input.vpcId ? pcx.requester : pcx.accepter;
  const peer = local === pcx.requester ? pcx.accepter : pcx.requester;
  const srcOk = anyCidrContains(sideCidrs(state, local, packet.family), packet.srcIp);
  const dstOk = anyCidrContains(sideCidrs(state, peer, packet.family), packet.dstIp);
  if (!srcOk || !dstOk) {
    addHop(state, { component: componentOf(pcx), action: 'drop', rule: !dstOk ? `destination ${packet.dstIp} is outside ${peer.vpcId}` : `source ${packet.srcIp} is outside ${local.vpcId}`, packet, source: pcx.source });
    block(state, {
      code: 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR',
      component: { id: pcx.id, type: 'vpc-peering-connection' },
      message: !dstOk
        ? `${describePacket(packet)} crosses peering ${pcx.id}, but ${packet.dstIp} is not in ${peer.vpcId} (${sideCidrs(state, peer, packet.family).join(', ')}): peering is not transitive and a peer's gateways, NAT devices and other peerings cannot be used through it; peer the VPCs directly or use a transit gateway`
        : `${describePacket(packet)} crosses peering ${pcx.id}, but its source ${packet.srcIp} is not in ${local.vpcId}: traffic from elsewhere cannot transit a peering`,
      source: pcx.source,
    });
    return stop;
  }
  if (!state.model.vpcs.has(peer.vpcId)) {
    addHop(state, { component: componentOf(pcx), action: 'forward', rule: `to ${peer.vpcId}`, packet, source: pcx.source });
    block(state, {
      code: 'UNKNOWN_DESTINATION',
      component: { id: peer.vpcId, type: 'vpc' },
      message: `the peer VPC ${peer.vpcId} (account ${peer.account ?? '?'}, region ${peer.region ?? '?'}) is not in the snapshot: add that account and region to see the rest of the path`,
    });
    return stop;
  }
  addHop(state, { component: componentOf(pcx), action: 'forward', rule: `${local.vpcId} -> ${peer.vpcId}${local.region && peer.region && local.region !== peer.region ? ' (inter-Region)' : ''}`, packet, source: pcx.source });
  return deliverLocally(state, { ...input, vpcId: peer.vpcId, subnet: undefined });
}

/**
 * NAT gateway: source NAT for outbound-initiated TCP, UDP and ICMP flows. The source address becomes the
 * gateway's private IPv4 (a public gateway's traffic is then mapped to its Elastic IP by the internet
 * gateway); replies are translated back; nothing can initiate a connection through it. It has no security
 * groups; its subnet's NACL applies (aws-vpc-semantics §4.3; VPC:vpc-nat-gateway).
 */
import type { NatGateway } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { crossNetworkAcl } from './subnet-boundary.js';
import type { RouteTargetInput } from './vpc-router.js';

const NAT_PROTOCOLS = new Set([6, 17, 1]);

function primaryAddress(nat: NatGateway) {
  return nat.addresses.find((a) => a.primary) ?? nat.addresses[0];
}

/** Route target `nat-…`: the packet goes to the gateway's interface in its subnet. */
export function toNatGateway(state: WalkState, input: RouteTargetInput): Step {
  const nat = state.model.natGateways.get(input.route.target.id);
  const { packet } = input;
  if (!nat) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'nat-gateway' }, message: `NAT gateway ${input.route.target.id} is not in the snapshot` });
    return stop;
  }
  if (nat.state !== 'available') {
    block(state, { code: 'BAD_STATE', component: { id: nat.id, type: 'nat-gateway' }, message: `NAT gateway ${nat.id} is ${nat.state}; only an available NAT gateway forwards traffic`, source: nat.source });
    return stop;
  }
  const addr = primaryAddress(nat);
  const eni = addr?.networkInterfaceId ? state.model.networkInterfaces.get(addr.networkInterfaceId) : undefined;
  const subnet = state.model.subnets.get(nat.subnetId);
  if (subnet && subnet.id !== input.subnet?.id) crossNetworkAcl(state, subnet, 'inbound', packet);
  return natForward(state, nat, packet, eni?.id);
}

function natForward(state: WalkState, nat: NatGateway, packet: Packet, eniId: string | undefined): Step {
  if (!NAT_PROTOCOLS.has(packet.protocol) || packet.family !== 4) {
    addHop(state, { component: componentOf(nat), action: 'drop', rule: 'only IPv4 TCP, UDP and ICMP are translated', packet, source: nat.source });
    block(state, {
      code: 'NGW_PROTOCOL_RESTRICTION',
      component: { id: nat.id, type: 'nat-gateway' },
      message: `NAT gateway ${nat.id} translates only IPv4 TCP, UDP and ICMP; ${describePacket(packet)} is dropped`,
      source: nat.source,
    });
    return stop;
  }
  const addr = primaryAddress(nat);
  if (!addr?.privateIp) {
    block(state, { code: 'MISSING_DATA', component: { id: nat.id, type: 'nat-gateway' }, message: `NAT gateway ${nat.id} has no private address in the snapshot` });
    return stop;
  }
  const out: Packet = { ...packet, srcIp: addr.privateIp };
  state.tracked.push({ componentId: nat.id, inside: packet, outside: out });
  addHop(state, { component: componentOf(nat), action: 'translate', rule: `source ${packet.srcIp} -> ${addr.privateIp} (${nat.connectivity} NAT gateway)`, packet: out, source: nat.source });
  const eni = eniId ? state.model.networkInterfaces.get(eniId) : undefined;
  const subnet = state.model.subnets.get(nat.subnetId);
  if (!subnet) {
    block(state, { code: 'MISSING_DATA', component: { id: nat.subnetId, type: 'subnet' }, message: `subnet ${nat.subnetId} of NAT gateway ${nat.id} is not in the snapshot` });
    return stop;
  }
  // Traffic a NAT gateway emits is routed by its own subnet's route table (§0.3).
  return next({ at: 'subnet-out', subnet, packet: out, ...(eni ? { fromEni: eni } : {}) });
}

/**
 * A packet arriving at a NAT gateway's interface: a reply to a tracked flow is translated back and routed
 * to the original source; anything else was initiated from outside and is dropped.
 */
export function arriveAtNatGateway(state: WalkState, loc: Extract<Location, { at: 'interface-in' }>): Step {
  const nat = loc.eni.owner.kind === 'nat-gateway' ? state.model.natGateways.get(loc.eni.owner.id) : undefined;
  if (!nat) return stop;
  const p = loc.packet;
  const flow = state.tracked.find(
    (f) => f.componentId === nat.id && f.outside.srcIp === p.dstIp && f.outside.dstIp === p.srcIp && f.outside.protocol === p.protocol && (f.outside.srcPort ?? 0) === (p.dstPort ?? 0),
  );
  if (!flow) {
    addHop(state, { component: componentOf(nat), action: 'drop', rule: 'no connection initiated from inside', packet: p, source: nat.source });
    block(state, {
      code: 'NGW_INBOUND_CONNECTION',
      component: { id: nat.id, type: 'nat-gateway' },
      message: `NAT gateway ${nat.id} only carries connections initiated from inside the VPC; ${describePacket(p)} is unsolicited`,
      source: nat.source,
    });
    return stop;
  }
  const back: Packet = { ...p, dstIp: flow.inside.srcIp };
  addHop(state, { component: componentOf(nat), action: 'translate', rule: `destination ${p.dstIp} -> ${flow.inside.srcIp} (reply to tracked flow)`, packet: back, source: nat.source });
  const subnet = state.model.subnets.get(nat.subnetId);
  if (!subnet) return stop;
  return next({ at: 'subnet-out', subnet, packet: back, fromEni: loc.eni });
}

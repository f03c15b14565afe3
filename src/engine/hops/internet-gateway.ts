/**
 * Internet gateway: 1:1 NAT between a private IPv4 address and the public IPv4 or Elastic IP associated
 * with that private address; IPv6 passes untranslated (aws-vpc-semantics §4.1; VPC:VPC_Internet_Gateway
 * "IP addresses and NAT"). The gateway must be attached to the VPC. A private address without a public
 * association cannot use the gateway; traffic to a public address the gateway cannot map is dropped.
 */
import type { NetworkModel } from '../../model/network.js';
import type { InternetGateway, NetworkInterface } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import type { RouteTargetInput } from './vpc-router.js';

function attachedTo(igw: InternetGateway, vpcId: string): boolean {
  return igw.attachments.some((a) => a.vpcId === vpcId && (a.state === 'available' || a.state === 'attached'));
}

/** The public IPv4 that an internet gateway maps private `ip` in `vpcId` to. */
export function publicAddressFor(model: NetworkModel, vpcId: string, ip: string): string | undefined {
  for (const h of model.addressHolders(ip)) {
    if (h.scope !== 'private' || h.vpcId !== vpcId) continue;
    const eni = model.networkInterfaces.get(h.networkInterfaceId);
    const addr = eni?.privateAddresses.find((a) => a.ip === ip);
    if (addr?.publicIp) return addr.publicIp;
    if (eni?.owner.kind === 'nat-gateway') {
      const nat = model.natGateways.get(eni.owner.id);
      const pub = nat?.addresses.find((a) => a.privateIp === ip)?.publicIp;
      if (pub) return pub;
    }
    if (eni?.owner.kind === 'load-balancer') {
      const lb = model.loadBalancers.get(eni.owner.id);
      const pub = lb?.zones.flatMap((z) => z.addresses).find((a) => a.privateIp === ip)?.publicIp;
      if (pub) return pub;
    }
  }
  return undefined;
}

/** The interface and private address that a public IPv4 maps to, if the snapshot holds it. */
export function privateAddressFor(model: NetworkModel, publicIp: string): { eni: NetworkInterface; privateIp: string } | undefined {
  for (const h of model.addressHolders(publicIp)) {
    if (h.scope !== 'public') continue;
    const eni = model.networkInterfaces.get(h.networkInterfaceId);
    const addr = eni?.privateAddresses.find((a) => a.publicIp === publicIp);
    if (eni && addr) return { eni, privateIp: addr.ip };
  }
  for (const nat of model.natGateways.values())
    for (const a of nat.addresses)
      if (a.publicIp === publicIp && a.privateIp && a.networkInterfaceId) {
        const eni = model.networkInterfaces.get(a.networkInterfaceId);
        if (eni) return { eni, privateIp: a.privateIp };
      }
  for (const lb of model.loadBalancers.values())
    for (const z of lb.zones)
      for (const a of z.addresses)
        if (a.publicIp === publicIp && a.privateIp)
          for (const id of lb.networkInterfaceIds) {
            const eni = model.networkInterfaces.get(id);
            if (eni?.privateAddresses.some((p) => p.ip === a.privateIp)) return { eni, privateIp: a.privateIp };
          }
  return undefined;
}

/** Route target `igw-…`: the packet leaves the VPC for the internet. */
export function toInternetGateway(state: WalkState, input: RouteTargetInput): Step {
  const igw = state.model.internetGateways.get(input.route.target.id);
  const { packet } = input;
  if (!igw) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'internet-gateway' }, message: `internet gateway ${input.route.target.id} is not in the snapshot` });
    return stop;
  }
  if (!attachedTo(igw, input.vpcId)) {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: igw.id, type: 'internet-gateway' }, message: `internet gateway ${igw.id} is not attached to ${input.vpcId}: attach it`, source: igw.source });
    return stop;
  }
  if (packet.family === 6) {
    addHop(state, { component: componentOf(igw), action: 'forward', rule: 'IPv6: no translation', packet, source: igw.source });
    return next({ at: 'internet', packet });
  }
  const pub = publicAddressFor(state.model, input.vpcId, packet.srcIp);
  if (!pub) {
    addHop(state, { component: componentOf(igw), action: 'drop', rule: `no public IPv4 associated with ${packet.srcIp}`, packet, source: igw.source });
    block(state, {
      code: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS',
      component: { id: igw.id, type: 'internet-gateway' },
      message: `${describePacket(packet)} reaches internet gateway ${igw.id}, but source ${packet.srcIp} has no public IPv4 or Elastic IP; associate one, or route through a NAT gateway`,
      source: igw.source,
    });
    return stop;
  }
  const out: Packet = { ...packet, srcIp: pub };
  addHop(state, { component: componentOf(igw), action: 'translate', rule: `source ${packet.srcIp} -> ${pub} (1:1 NAT)`, packet: out, source: igw.source });
  return next({ at: 'internet', packet: out });
}

/**
 * A packet from the internet to `vpcId` through its attached internet gateway: IPv4 destination translated
 * from public to private; IPv6 untranslated.
 */
export function fromInternetGateway(state: WalkState, igw: InternetGateway, vpcId: string, packet: Packet, privateIp?: string): Step {
  if (!attachedTo(igw, vpcId)) {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: igw.id, type: 'internet-gateway' }, message: `internet gateway ${igw.id} is not attached to ${vpcId}`, source: igw.source });
    return stop;
  }
  const inside: Packet = privateIp ? { ...packet, dstIp: privateIp } : packet;
  addHop(state, {
    component: componentOf(igw),
    action: privateIp ? 'translate' : 'forward',
    rule: privateIp ? `destination ${packet.dstIp} -> ${privateIp} (1:1 NAT)` : 'IPv6: no translation',
    packet: inside,
    source: igw.source,
  });
  return next({ at: 'vpc-ingress', vpcId, gateway: componentOf(igw), packet: inside });
}

export function attachedInternetGateway(model: NetworkModel, vpcId: string): InternetGateway | undefined {
  return [...model.internetGateways.values()].find((g) => attachedTo(g, vpcId));
}

/**
 * The internet: where packets go after an internet or egress-only gateway, and where `internet` sources
 * start. A packet addressed to a public IPv4 held in the snapshot enters that VPC through its internet
 * gateway (hairpin traffic between public addresses included, aws-vpc-semantics §4.1); IPv6 addresses of a
 * VPC are reached through its internet gateway, or through the egress-only gateway for replies to flows it
 * tracks (§4.2); any other public address is outside AWS and the packet has arrived.
 */
import { isPrivateAddress, parseIpCached } from '../../model/addresses.js';
import { describePacket } from '../packet.js';
import type { ComponentRef } from '../trace-types.js';
import { addHop, block, next, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { trackedEgressOnlyGateway } from './egress-only-internet-gateway.js';
import { attachedInternetGateway, fromInternetGateway, privateAddressFor } from './internet-gateway.js';

const INTERNET: ComponentRef = { id: 'internet', type: 'internet' };

export function onInternet(state: WalkState, loc: Extract<Location, { at: 'internet' }>): Step {
  const { packet } = loc;
  const model = state.model;
  if (packet.family === 4) {
    const target = privateAddressFor(model, packet.dstIp);
    if (target) {
      const igw = attachedInternetGateway(model, target.eni.vpcId);
      if (!igw) {
        block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: target.eni.vpcId, type: 'vpc' }, message: `${packet.dstIp} belongs to ${target.eni.id} in ${target.eni.vpcId}, which has no attached internet gateway` });
        return stop;
      }
      return fromInternetGateway(state, igw, target.eni.vpcId, packet, target.privateIp);
    }
  } else {
    const holder = model.addressHolders(packet.dstIp).find((h) => h.scope === 'ipv6');
    if (holder) {
      const eigw = trackedEgressOnlyGateway(state, packet);
      if (eigw) {
        addHop(state, { component: componentOf(eigw), action: 'forward', rule: 'reply to a tracked IPv6 flow', packet, source: eigw.source });
        return next({ at: 'vpc-ingress', vpcId: holder.vpcId, gateway: componentOf(eigw), packet });
      }
      const igw = attachedInternetGateway(model, holder.vpcId);
      if (igw) return fromInternetGateway(state, igw, holder.vpcId, packet);
      const only = [...model.egressOnlyInternetGateways.values()].find((g) => g.attachments.some((a) => a.vpcId === holder.vpcId));
      addHop(state, { component: only ? componentOf(only) : INTERNET, action: 'drop', rule: 'connection initiated from the internet', packet });
      block(state, {
        code: 'EIGW_INBOUND_CONNECTION',
        component: only ? { id: only.id, type: 'egress-only-internet-gateway' } : { id: holder.vpcId, type: 'vpc' },
        message: `${holder.vpcId} has no internet gateway${only ? ` and egress-only gateway ${only.id} drops connections initiated from the internet` : ''}; ${describePacket(packet)} cannot enter`,
      });
      return stop;
    }
  }
  const holder = model.addressHolders(packet.dstIp).find((h) => h.scope === 'private');
  if (holder) {
    addHop(state, { component: INTERNET, action: 'drop', rule: `${packet.dstIp} is a private address`, packet });
    block(state, {
      code: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS',
      component: { id: holder.networkInterfaceId, type: 'network-interface' },
      message: `${packet.dstIp} on ${holder.networkInterfaceId} has no public IPv4 or Elastic IP, so nothing on the internet can address it; associate one (and allow it in the security group) or publish it through a load balancer`,
    });
    return stop;
  }
  const addr = parseIpCached(packet.dstIp);
  if (addr && isPrivateAddress(addr)) {
    addHop(state, { component: INTERNET, action: 'drop', rule: `${packet.dstIp} is not routed on the internet`, packet });
    block(state, { code: 'NO_ROUTE_TO_DESTINATION', component: INTERNET, message: `${packet.dstIp} is a private address: the internet does not route it` });
    return stop;
  }
  addHop(state, { component: INTERNET, action: 'deliver', packet, note: 'outside AWS' });
  return next({ at: 'arrived', arrival: { kind: 'internet', packet } });
}

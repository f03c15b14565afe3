/**
 * Network ACL at a subnet boundary: evaluated when a packet leaves a subnet (outbound rules, destination)
 * and when it enters one (inbound rules, source), never for traffic between interfaces of one subnet. NACLs
 * are stateless: a reply is evaluated like any packet, so a return path needs rules for the client's
 * ephemeral ports (aws-vpc-semantics §3; VPC:vpc-network-acls).
 */
import type { Subnet } from '../../model/types.js';
import { describeNetworkAclEntry, evaluateNetworkAcl } from '../network-acl.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, note, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';

export function crossNetworkAcl(state: WalkState, subnet: Subnet, direction: 'inbound' | 'outbound', packet: Packet): void {
  const acl = subnet.networkAclId ? state.model.networkAcls.get(subnet.networkAclId) : undefined;
  if (!acl) {
    note(state, `network ACL of ${subnet.id} is not in the snapshot: not evaluated`);
    return;
  }
  const verdict = evaluateNetworkAcl(acl, direction, packet);
  const rule = `${direction} ${describeNetworkAclEntry(verdict.entry)}`;
  addHop(state, {
    component: componentOf(acl),
    action: verdict.allowed ? 'allow' : 'deny',
    rule,
    packet,
    source: verdict.entry?.source ?? acl.source,
    note: `subnet ${subnet.id}${subnet.name ? ` (${subnet.name})` : ''}`,
    subnetId: subnet.id,
  });
  if (!verdict.allowed) {
    const ports = packet.protocol === 6 || packet.protocol === 17 ? ` port ${packet.dstPort ?? '?'}` : '';
    block(state, {
      code: 'SUBNET_ACL_RESTRICTION',
      component: { id: acl.id, type: 'network-acl' },
      message: `network ACL ${acl.id} of subnet ${subnet.id} denies ${direction} ${describePacket(packet)} (${describeNetworkAclEntry(verdict.entry)}); add an ${direction} allow rule numbered below it for this traffic${ports}${state.direction === 'return' ? ' (NACLs are stateless: replies need their own rule for the ephemeral ports)' : ''}`,
      source: verdict.entry?.source ?? acl.source,
    });
  }
}

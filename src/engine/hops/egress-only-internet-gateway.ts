/**
 * Egress-only internet gateway: IPv6 only, stateful; forwards IPv6 from the VPC to the internet and lets
 * replies back, never a connection initiated from the internet (aws-vpc-semantics §4.2;
 * VPC:egress-only-internet-gateway).
 */
import type { EgressOnlyInternetGateway } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import type { RouteTargetInput } from './vpc-router.js';

export function toEgressOnlyInternetGateway(state: WalkState, input: RouteTargetInput): Step {
  const g = state.model.egressOnlyInternetGateways.get(input.route.target.id);
  const { packet } = input;
  if (!g) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'egress-only-internet-gateway' }, message: `egress-only internet gateway ${input.route.target.id} is not in the snapshot` });
    return stop;
  }
  if (packet.family !== 6) {
    block(state, { code: 'CANNOT_ROUTE', component: { id: g.id, type: 'egress-only-internet-gateway' }, message: `egress-only internet gateway ${g.id} carries IPv6 only; ${describePacket(packet)} is IPv4`, source: g.source });
    return stop;
  }
  if (!g.attachments.some((a) => a.vpcId === input.vpcId)) {
    block(state, { code: 'BAD_STATE_ATTACHMENT', component: { id: g.id, type: 'egress-only-internet-gateway' }, message: `egress-only internet gateway ${g.id} is not attached to ${input.vpcId}`, source: g.source });
    return stop;
  }
  state.tracked.push({ componentId: g.id, inside: packet, outside: packet });
  addHop(state, { component: componentOf(g), action: 'forward', rule: 'IPv6 egress (connection tracked)', packet, source: g.source });
  return next({ at: 'internet', packet });
}

/** The egress-only gateway whose tracked flow `reply` answers, if any. */
export function trackedEgressOnlyGateway(state: WalkState, reply: Packet): EgressOnlyInternetGateway | undefined {
  const flow = state.tracked.find((f) => f.outside.srcIp === reply.dstIp && f.outside.dstIp === reply.srcIp && state.model.egressOnlyInternetGateways.has(f.componentId));
  return flow ? state.model.egressOnlyInternetGateways.get(flow.componentId) : undefined;
}

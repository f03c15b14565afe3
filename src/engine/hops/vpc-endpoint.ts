/**
 * Gateway VPC endpoints (S3, DynamoDB): a route whose destination is the service's AWS-managed prefix list
 * and whose target is `vpce-…` delivers the packet to the service in the Region; no interface, no security
 * group, IPv4 (aws-vpc-semantics §5.1; PL21:vpce-gateway). Gateway Load Balancer endpoints used as route
 * targets are not traced yet.
 */
import { describePacket } from '../packet.js';
import { addHop, block, next, stop, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import type { RouteTargetInput } from './vpc-router.js';

export function toVpcEndpoint(state: WalkState, input: RouteTargetInput): Step {
  const ep = state.model.vpcEndpoints.get(input.route.target.id);
  const { packet } = input;
  if (!ep) {
    block(state, { code: 'MISSING_DATA', component: { id: input.route.target.id, type: 'vpc-endpoint' }, message: `VPC endpoint ${input.route.target.id} is not in the snapshot` });
    return stop;
  }
  if (ep.state !== 'available') {
    block(state, { code: 'BAD_STATE', component: { id: ep.id, type: 'vpc-endpoint' }, message: `VPC endpoint ${ep.id} is ${ep.state}; only an available endpoint carries traffic`, source: ep.source });
    return stop;
  }
  if (ep.endpointType !== 'gateway') {
    block(state, {
      code: 'UNSUPPORTED_COMPONENT',
      component: { id: ep.id, type: 'vpc-endpoint' },
      message: `routing through ${ep.endpointType} endpoint ${ep.id} is not traced yet`,
      source: ep.source,
    });
    return stop;
  }
  if (packet.family !== 4) {
    block(state, { code: 'VPCE_GATEWAY_PROTOCOL_RESTRICTION', component: { id: ep.id, type: 'vpc-endpoint' }, message: `gateway endpoint ${ep.id} carries IPv4 only; ${describePacket(packet)} is dropped`, source: ep.source });
    return stop;
  }
  addHop(state, { component: componentOf(ep), action: 'forward', rule: `gateway endpoint to ${ep.serviceName}`, packet, source: ep.source, note: 'authorisation then depends on the endpoint policy and the service' });
  addHop(state, { component: { id: ep.serviceName, type: 'aws-service', region: ep.region }, action: 'deliver', packet });
  return next({ at: 'arrived', arrival: { kind: 'aws-service', packet, endpointId: ep.id, vpcId: input.vpcId } });
}

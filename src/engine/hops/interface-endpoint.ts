/**
 * Interface VPC endpoints and PrivateLink (aws-vpc-semantics §5.2, §5.4).
 *
 * - The consumer's packet to an endpoint interface is filtered by the endpoint's security groups
 *   (inbound) and the subnet NACL, like any interface.
 * - The endpoint carries traffic only when `available` (pendingAcceptance, rejected, … do not), only TCP,
 *   and only connections initiated by the consumer.
 * - The service must be offered in the endpoint's Availability Zone, compared by AZ id (names differ across
 *   accounts). The endpoint hands the connection to the service's Network Load Balancer node in the same
 *   zone; the provider's targets see the NLB's private IP as the source (client IP preservation has no
 *   effect on PrivateLink traffic).
 * - Endpoints to AWS services (com.amazonaws.<region>.<service>) end at the service.
 */
import type { NetworkInterface, VpcEndpoint } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { forwardThroughLoadBalancer } from './load-balancer.js';
import { arriveAtInterface, checkSecurityGroups } from './network-interface.js';
import { ownsAddress } from '../model-context.js';

function zoneIdOfInterface(state: WalkState, eni: NetworkInterface): string | undefined {
  return eni.availabilityZoneId ?? state.model.subnetZoneId(eni.subnetId);
}

export function arriveAtInterfaceEndpoint(state: WalkState, loc: Extract<Location, { at: 'interface-in' }>): Step {
  const model = state.model;
  const { eni, packet } = loc;
  const ep = eni.owner.kind === 'vpc-endpoint' ? model.vpcEndpoints.get(eni.owner.id) : undefined;
  if (!ep || ep.endpointType !== 'interface' || !ownsAddress(eni, packet.dstIp)) return arriveAtInterface(state, loc);
  checkSecurityGroups(state, eni, 'ingress', loc);
  addHop(state, { component: componentOf(eni), action: 'forward', rule: `endpoint interface in ${eni.availabilityZone ?? '?'}`, packet, source: eni.source });
  const epRef = componentOf(ep, 'vpc-endpoint');
  if (ep.state !== 'available') {
    addHop(state, { component: epRef, action: 'drop', rule: `state ${ep.state}`, packet, source: ep.source });
    block(state, {
      code: 'BAD_STATE',
      component: { id: ep.id, type: 'vpc-endpoint' },
      message:
        ep.state === 'pendingacceptance'
          ? `endpoint ${ep.id} is pendingAcceptance: the provider of ${ep.serviceName} has not accepted the connection yet; ask them to accept it`
          : `endpoint ${ep.id} is ${ep.state}; only an available endpoint carries traffic`,
      source: ep.source,
    });
    return stop;
  }
  if (packet.protocol !== 6) {
    addHop(state, { component: epRef, action: 'drop', rule: 'PrivateLink carries TCP only', packet, source: ep.source });
    block(state, { code: 'PROTOCOL_RESTRICTION', component: { id: ep.id, type: 'vpc-endpoint' }, message: `interface endpoint ${ep.id} carries TCP only; ${describePacket(packet)} is dropped`, source: ep.source });
    return stop;
  }
  addHop(state, { component: epRef, action: 'forward', rule: `to ${ep.serviceName}`, packet, source: ep.source });
  return toService(state, ep, eni, packet);
}

function toService(state: WalkState, ep: VpcEndpoint, eni: NetworkInterface, packet: Packet): Step {
  const model = state.model;
  const svc = model.endpointServiceByServiceName(ep.serviceName);
  const awsService = ep.serviceName.startsWith('com.amazonaws.') && !ep.serviceName.startsWith('com.amazonaws.vpce.');
  if (awsService && (!svc || svc.consumerViewOnly)) {
    addHop(state, { component: { id: ep.serviceName, type: 'aws-service', region: ep.region }, action: 'deliver', packet });
    return next({ at: 'arrived', arrival: { kind: 'aws-service', packet, endpointId: ep.id, vpcId: ep.vpcId } });
  }
  if (!svc || svc.consumerViewOnly) {
    block(state, {
      code: 'UNKNOWN_DESTINATION',
      component: { id: ep.serviceName, type: 'endpoint-service' },
      message: `the provider of ${ep.serviceName}${svc?.account && svc.account !== 'unknown' ? ` (account ${svc.account})` : ''} is not in the snapshot: add its describe-vpc-endpoint-service-configurations, describe-load-balancers and target groups to follow the path`,
    });
    return stop;
  }
  const svcRef = componentOf(svc, 'endpoint-service');
  const conn = svc.connections.find((c) => c.endpointId === ep.id);
  if (conn && conn.state !== 'available') {
    addHop(state, { component: svcRef, action: 'drop', rule: `connection ${conn.state}`, packet, source: svc.source });
    block(state, { code: 'BAD_STATE', component: { id: svc.id, type: 'endpoint-service' }, message: `the provider lists the connection from ${ep.id} as ${conn.state}; it must be accepted`, source: svc.source });
    return stop;
  }
  const zoneId = zoneIdOfInterface(state, eni);
  const serviceZones = svc.availabilityZoneIds.length
    ? svc.availabilityZoneIds
    : svc.availabilityZones.map((z) => model.availabilityZoneId(svc.account, svc.region, z) ?? z);
  if (zoneId && serviceZones.length && !serviceZones.includes(zoneId)) {
    addHop(state, { component: svcRef, action: 'drop', rule: `not offered in ${zoneId}`, packet, source: svc.source });
    block(state, {
      code: 'VPCE_SERVICE_NOT_INSTALLED_IN_AZ',
      component: { id: svc.id, type: 'endpoint-service' },
      message: `endpoint service ${svc.serviceName} is offered in ${serviceZones.join(', ')}, not in ${zoneId} where endpoint interface ${eni.id} is`,
      source: svc.source,
    });
    return stop;
  }
  addHop(state, { component: svcRef, action: 'forward', rule: `service ${svc.serviceName} (provider account ${svc.account})`, packet, source: svc.source });
  const lbArn = svc.networkLoadBalancerArns[0] ?? svc.gatewayLoadBalancerArns[0];
  const lb = lbArn ? model.loadBalancers.get(lbArn) : undefined;
  if (!lb) {
    block(state, { code: 'UNKNOWN_DESTINATION', component: { id: lbArn ?? svc.id, type: 'load-balancer' }, message: `load balancer ${lbArn ?? '?'} of ${svc.serviceName} is not in the snapshot: add describe-load-balancers for account ${svc.account} ${svc.region}` });
    return stop;
  }
  const nodes = lb.networkInterfaceIds.flatMap((id) => model.networkInterfaces.get(id) ?? []);
  const node = nodes.find((n) => zoneIdOfInterface(state, n) === zoneId) ?? nodes[0];
  if (!node) {
    block(state, { code: 'MISSING_DATA', component: { id: lb.arn, type: 'load-balancer' }, message: `the node interfaces of ${lb.loadBalancerName} are not in the snapshot (describe-network-interfaces of account ${lb.account})` });
    return stop;
  }
  const nodeIp = node.privateAddresses[0]?.ip ?? packet.dstIp;
  const atNode: Packet = { ...packet, srcIp: nodeIp, dstIp: nodeIp };
  return forwardThroughLoadBalancer(state, lb, node, atNode, { endpointId: ep.id, endpointEni: eni, consumerPacket: packet });
}

/**
 * Gateway VPC endpoints (S3, DynamoDB): a route whose destination is the service's AWS-managed prefix list
 * and whose target is `vpce-…` delivers the packet to the service in the Region; no interface, no security
 * group, IPv4 (aws-vpc-semantics §5.1; PL21:vpce-gateway). Gateway Load Balancer endpoints used as route
 * targets are not traced yet.
 */
import type { VpcEndpoint } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, stop, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { checkSecurityGroups } from './network-interface.js';
import { crossNetworkAcl } from './subnet-boundary.js';
import type { RouteTargetInput } from './vpc-router.js';

const GENEVE_PORT = 6081;

/**
 * Gateway Load Balancer endpoint used as a route target (aws-vpc-semantics §5.5): the packet is carried
 * unchanged to the provider's Gateway Load Balancer, which sends it in GENEVE (UDP 6081) to one healthy
 * appliance of its target group and gets it back; the endpoint then forwards it with its own subnet's route
 * table. No security group on the endpoint or the GWLB; the appliance's security groups and NACL must admit
 * GENEVE from the GWLB. With every appliance unhealthy the GWLB does not fail open usefully: traffic drops.
 */
function throughGatewayLoadBalancer(state: WalkState, ep: VpcEndpoint, input: RouteTargetInput): Step {
  const model = state.model;
  const { packet } = input;
  const eni = ep.networkInterfaceIds[0] ? model.networkInterfaces.get(ep.networkInterfaceIds[0]) : undefined;
  const subnet = eni ? model.subnets.get(eni.subnetId) : undefined;
  if (!eni || !subnet) {
    block(state, { code: 'MISSING_DATA', component: { id: ep.id, type: 'vpc-endpoint' }, message: `the interface or subnet of Gateway Load Balancer endpoint ${ep.id} is not in the snapshot` });
    return stop;
  }
  if (subnet.id !== input.subnet?.id) crossNetworkAcl(state, subnet, 'inbound', packet);
  addHop(state, { component: componentOf(ep, 'vpc-endpoint'), action: 'forward', rule: `Gateway Load Balancer endpoint to ${ep.serviceName}`, packet, source: ep.source });
  const svc = model.endpointServiceByServiceName(ep.serviceName);
  const lb = svc?.gatewayLoadBalancerArns[0] ? model.loadBalancers.get(svc.gatewayLoadBalancerArns[0]) : undefined;
  if (!svc || !lb) {
    block(state, { code: 'UNKNOWN_DESTINATION', component: { id: ep.serviceName, type: 'endpoint-service' }, message: `the provider of ${ep.serviceName} (its Gateway Load Balancer) is not in the snapshot: add that account's endpoint-service configurations and load balancers` });
    return stop;
  }
  const tgArn = model.listenersOf(lb.arn)[0]?.defaultActions.find((a) => a.type === 'forward')?.targetGroups[0]?.arn;
  const tg = tgArn ? model.targetGroups.get(tgArn) : undefined;
  const healthy = (tg?.targets ?? []).filter((t) => t.healthState === undefined || t.healthState === 'healthy');
  const appliance = healthy.map((t) => model.instances.get(t.id)).find((i) => i?.state === 'running');
  const applianceEni = appliance?.networkInterfaceIds[0] ? model.networkInterfaces.get(appliance.networkInterfaceIds[0]) : undefined;
  addHop(state, { component: { ...componentOf(lb, 'load-balancer'), name: lb.loadBalancerName }, action: applianceEni ? 'forward' : 'drop', rule: applianceEni ? `GENEVE to appliance ${appliance?.name ?? appliance?.id}` : 'no healthy appliance', packet, source: lb.source });
  if (!tg || !appliance || !applianceEni) {
    block(state, {
      code: 'ELBV2_LISTENER_HAS_NO_TG',
      component: { id: tg?.arn ?? lb.arn, type: tg ? 'target-group' : 'load-balancer' },
      message: `Gateway Load Balancer ${lb.loadBalancerName} has no healthy appliance; with all targets unhealthy it drops the traffic (GWLB health checks)`,
      source: lb.source,
    });
    return stop;
  }
  const node = lb.networkInterfaceIds.flatMap((id) => model.networkInterfaces.get(id) ?? [])[0];
  const nodeIp = node?.privateAddresses[0]?.ip ?? lb.zones[0]?.addresses[0]?.privateIp ?? applianceEni.privateAddresses[0]?.ip ?? '';
  const applianceIp = applianceEni.privateAddresses[0]?.ip ?? '';
  const geneve: Packet = { family: 4, srcIp: nodeIp, dstIp: applianceIp, protocol: 17, srcPort: GENEVE_PORT, dstPort: GENEVE_PORT };
  const applianceSubnet = model.subnets.get(applianceEni.subnetId);
  if (applianceSubnet && node && node.subnetId !== applianceSubnet.id) crossNetworkAcl(state, applianceSubnet, 'inbound', geneve);
  checkSecurityGroups(state, applianceEni, 'ingress', { packet: geneve });
  addHop(state, { component: componentOf(applianceEni), action: 'forward', rule: 'appliance inspects the encapsulated packet and returns it to the Gateway Load Balancer', packet, source: applianceEni.source, note: `GENEVE ${nodeIp} -> ${applianceIp}:${GENEVE_PORT}` });
  addHop(state, { component: componentOf(ep, 'vpc-endpoint'), action: 'forward', rule: `back from the Gateway Load Balancer; routed by ${subnet.id}'s route table`, packet, source: ep.source });
  // The endpoint forwards what comes back with its own subnet's route table (§0.3, §5.5).
  return next({ at: 'subnet-out', subnet, packet, fromEni: eni });
}

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
  if (ep.endpointType === 'gateway-load-balancer') return throughGatewayLoadBalancer(state, ep, input);
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

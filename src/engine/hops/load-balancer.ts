/**
 * Elastic Load Balancing nodes (aws-vpc-semantics §6).
 *
 * - A packet arriving at a node interface is matched to a listener by protocol and port (no listener:
 *   ELBV2_LISTENERS_MISMATCH); the listener's default forward action picks a target group; the node picks a
 *   target: healthy targets, in its own Availability Zone unless cross-zone load balancing is on (NLB and
 *   GWLB default off, ALB on; target-group attribute overrides the load balancer's). When every target is
 *   unhealthy the load balancer fails open and routes to all of them (ALB/NLB target-group-health-checks).
 * - Classic Load Balancer: InService instances only, no fail-open; cross-zone from its attribute (see
 *   forwardThroughClassic).
 * - Network Load Balancer: connection pass-through; the destination becomes the target. The source stays the
 *   client when client IP preservation applies (instance targets by default; ip targets only for UDP or when
 *   the attribute says so), otherwise it becomes the node's private IP; through PrivateLink it is always the
 *   node's private IP (§5.4). Security groups apply only if the NLB has them: an NLB without security groups
 *   filters nothing at its nodes, forward or reply.
 * - Application Load Balancer: terminates the client connection and opens a new one from the node's private
 *   IP to the target; its security groups must allow the client inbound and the target outbound (§6.2).
 * - Flows are connection-tracked: replies from targets return through the node whatever the target's
 *   route table says [UNCERTAIN in §6.1, widely relied upon].
 */
import type { LoadBalancer, Listener, NetworkInterface, Target, TargetGroup } from '../../model/types.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, note, stop, trackedFlowFor, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { checkSecurityGroups } from './network-interface.js';
import { crossNetworkAcl } from './subnet-boundary.js';
import { interfaceWithAddress } from '../model-context.js';

const EPHEMERAL_PORT = 49152;

function listenerMatches(lb: LoadBalancer, l: Listener, p: Packet): boolean {
  if (l.port !== p.dstPort) return false;
  const proto = (l.protocol ?? '').toUpperCase();
  if (lb.lbType === 'application') return p.protocol === 6 && (proto === 'HTTP' || proto === 'HTTPS');
  if (lb.lbType === 'classic') return p.protocol === 6;
  if (p.protocol === 6) return ['TCP', 'TLS', 'TCP_UDP', 'TCP_QUIC'].includes(proto);
  if (p.protocol === 17) return ['UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC'].includes(proto);
  return false;
}

function crossZone(lb: LoadBalancer, tg: TargetGroup): boolean {
  const t = tg.attributes['load_balancing.cross_zone.enabled'];
  if (t === 'true') return true;
  if (t === 'false') return false;
  const l = lb.attributes['load_balancing.cross_zone.enabled'];
  if (l !== undefined) return l === 'true';
  return lb.lbType === 'application';
}

/** Client IP preservation for NLB target groups (NLB:load-balancer-target-groups "Client IP preservation"). */
function preservesClientIp(tg: TargetGroup, p: Packet): boolean {
  const attr = tg.attributes['preserve_client_ip.enabled'];
  if (tg.targetType === 'ip' && (tg.protocol === 'UDP' || tg.protocol === 'TCP_UDP')) return true;
  if (attr !== undefined) return attr === 'true';
  return tg.targetType === 'instance' || p.protocol === 17;
}

function zoneIdOf(state: WalkState, account: string, region: string, zoneName: string | undefined, subnetId?: string): string | undefined {
  const fromSubnet = subnetId ? state.model.subnetZoneId(subnetId) : undefined;
  return fromSubnet ?? (zoneName ? (state.model.availabilityZoneId(account, region, zoneName) ?? zoneName) : undefined);
}

interface ResolvedTarget {
  readonly target: Target;
  readonly ip: string;
  readonly eni?: NetworkInterface;
  readonly zoneId?: string;
}

function resolveTarget(state: WalkState, tg: TargetGroup, t: Target): ResolvedTarget | undefined {
  if (tg.targetType === 'instance') {
    const inst = state.model.instances.get(t.id);
    const eniId = inst?.networkInterfaceIds[0];
    const eni = eniId ? state.model.networkInterfaces.get(eniId) : undefined;
    const ip = eni?.privateAddresses.find((a) => a.primary)?.ip ?? inst?.privateIp;
    if (!inst || !ip) return undefined;
    return { target: t, ip, ...(eni ? { eni } : {}), zoneId: zoneIdOf(state, inst.account, inst.region, inst.availabilityZone, inst.subnetId) };
  }
  if (tg.targetType === 'ip') {
    const eni = tg.vpcId ? interfaceWithAddress(state.model, tg.vpcId, t.id) : undefined;
    return { target: t, ip: t.id, ...(eni ? { eni } : {}), zoneId: eni ? zoneIdOf(state, eni.account, eni.region, eni.availabilityZone, eni.subnetId) : t.availabilityZone };
  }
  return undefined;
}

/**
 * Whether security groups filter at the load balancer's nodes. A Network Load Balancer created without
 * security groups has none (they can be associated only at creation) and does not filter traffic, in either
 * direction (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html;
 * aws-vpc-semantics §6.1). Application and Classic Load Balancers always have security groups (§6.2, §6.3).
 */
function filtersAtNode(lb: LoadBalancer): boolean {
  return lb.lbType !== 'network' || lb.securityGroupIds.length > 0;
}

const HEALTHY = new Set(['healthy']);
const RECEIVES_WHEN_FAILING_OPEN = new Set(['unhealthy', 'initial', 'unhealthy.draining']);

/**
 * A new flow arriving at a load-balancer node: listener, target group, target, translation. `viaPrivateLink`
 * marks flows from a consumer's interface endpoint (§5.4).
 */
export function forwardThroughLoadBalancer(
  state: WalkState,
  lb: LoadBalancer,
  node: NetworkInterface,
  packet: Packet,
  privateLink?: { readonly endpointId: string; readonly endpointEni: NetworkInterface; readonly consumerPacket: Packet },
): Step {
  const model = state.model;
  const lbRef = { ...componentOf(lb, 'load-balancer'), name: lb.loadBalancerName };
  if (lb.state !== 'active' && lb.state !== 'active_impaired') {
    block(state, { code: 'BAD_STATE', component: { id: lb.arn, type: 'load-balancer' }, message: `load balancer ${lb.loadBalancerName} is ${lb.state}`, source: lb.source });
    return stop;
  }
  if (lb.securityGroupIds.length > 0 && !privateLink) checkSecurityGroups(state, node, 'ingress', { packet });
  if (lb.securityGroupIds.length > 0 && privateLink)
    note(state, `${lb.loadBalancerName} has security groups; whether their inbound rules filter PrivateLink traffic depends on EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic and is not evaluated (aws-vpc-semantics §5.4 [UNCERTAIN])`);
  addHop(state, { component: lbRef, action: 'forward', rule: `${lb.lbType} load balancer, ${lb.scheme}, node ${node.privateAddresses[0]?.ip ?? node.id} in ${node.availabilityZone ?? '?'}`, packet, source: lb.source });
  const listeners = model.listenersOf(lb.arn);
  const listener = listeners.find((l) => listenerMatches(lb, l, packet));
  if (!listener) {
    addHop(state, { component: { id: lb.arn, type: 'listener', name: `${lb.loadBalancerName} listeners` }, action: 'drop', rule: `no listener for ${describePacket(packet)}`, packet });
    block(state, {
      code: lb.lbType === 'classic' ? 'ELB_LISTENERS_MISMATCH' : 'ELBV2_LISTENERS_MISMATCH',
      component: { id: lb.arn, type: 'load-balancer' },
      message: `load balancer ${lb.loadBalancerName} has no listener for ${describePacket(packet)} (listeners: ${listeners.map((l) => `${l.protocol}:${l.port}`).join(', ') || 'none'}); add one or use a listener port`,
      source: lb.source,
    });
    return stop;
  }
  addHop(state, { component: { id: listener.arn, type: 'listener', name: `${listener.protocol}:${listener.port}`, account: listener.account, region: listener.region }, action: 'allow', rule: `listener ${listener.protocol}:${listener.port}`, packet, source: listener.source });
  if (lb.lbType === 'classic') return forwardThroughClassic(state, lb, node, packet, listener);
  const forward = listener.defaultActions.find((a) => a.type === 'forward' && a.targetGroups.length > 0);
  if (!forward) {
    block(state, {
      code: 'ELBV2_LISTENER_HAS_NO_TG',
      component: { id: listener.arn, type: 'listener' },
      message: `listener ${listener.protocol}:${listener.port} of ${lb.loadBalancerName} does not forward to a target group (default action ${listener.defaultActions.map((a) => a.type).join(', ') || 'none'})`,
      source: listener.source,
    });
    return stop;
  }
  if (forward.targetGroups.length > 1) note(state, `listener ${listener.protocol}:${listener.port} spreads traffic over ${forward.targetGroups.length} target groups by weight; the trace follows the first`);
  const tgArn = forward.targetGroups[0]?.arn as string;
  const tg = model.targetGroups.get(tgArn);
  if (!tg) {
    block(state, { code: 'MISSING_DATA', component: { id: tgArn, type: 'target-group' }, message: `target group ${tgArn} is not in the snapshot: add describe-target-groups output` });
    return stop;
  }
  const tgRef = { ...componentOf(tg, 'target-group'), name: tg.targetGroupName };
  if (!tg.targetsKnown) {
    block(state, { code: 'MISSING_DATA', component: { id: tg.arn, type: 'target-group' }, message: `target health of ${tg.targetGroupName} is not in the snapshot: add describe-target-health output for it` });
    return stop;
  }
  const nodeZone = zoneIdOf(state, node.account, node.region, node.availabilityZone, node.subnetId);
  const resolved = tg.targets.flatMap((t) => resolveTarget(state, tg, t) ?? []);
  const usable = resolved.filter((r) => r.target.healthState === undefined || HEALTHY.has(r.target.healthState));
  let pool = usable;
  let failOpen = false;
  if (pool.length === 0) {
    pool = resolved.filter((r) => r.target.healthState !== undefined && RECEIVES_WHEN_FAILING_OPEN.has(r.target.healthState));
    failOpen = pool.length > 0;
  }
  if (pool.length === 0) {
    addHop(state, { component: tgRef, action: 'drop', rule: 'no target can receive traffic', packet, source: tg.source });
    block(state, {
      code: 'ELBV2_LISTENER_HAS_NO_TG',
      component: { id: tg.arn, type: 'target-group' },
      message: `target group ${tg.targetGroupName} has no target that can receive traffic (${tg.targets.map((t) => `${t.id} ${t.healthState ?? '?'}${t.healthReason ? ` ${t.healthReason}` : ''}`).join(', ') || 'no registered targets'}); register running targets`,
      source: tg.source,
    });
    return stop;
  }
  const cz = crossZone(lb, tg);
  const inZone = pool.filter((r) => r.zoneId === nodeZone);
  const candidates = cz ? [...inZone, ...pool.filter((r) => r.zoneId !== nodeZone)] : inZone;
  const chosen = candidates[0];
  if (!chosen) {
    addHop(state, { component: tgRef, action: 'drop', rule: `no target in the node's Availability Zone and cross-zone load balancing off`, packet, source: tg.source });
    block(state, {
      code: 'ELBV2_NO_TARGETS_IN_AZ',
      component: { id: tg.arn, type: 'target-group' },
      message: `the ${lb.loadBalancerName} node in ${node.availabilityZone ?? '?'} has no healthy target of ${tg.targetGroupName} in its Availability Zone and cross-zone load balancing is off; register a target there or enable cross-zone load balancing`,
      source: tg.source,
    });
    return stop;
  }
  const port = chosen.target.port ?? tg.port ?? packet.dstPort;
  addHop(state, {
    component: tgRef,
    action: 'forward',
    rule: `target ${chosen.target.id}${chosen.target.id !== chosen.ip ? ` (${chosen.ip})` : ''}:${port} ${chosen.target.healthState ?? 'health unknown'}${failOpen ? '; every target is unhealthy, so the load balancer fails open' : ''}${cz ? '' : ', same AZ (cross-zone off)'}`,
    packet,
    source: chosen.target.source,
    note: `${candidates.length} of ${tg.targets.length} targets eligible`,
  });
  if (failOpen)
    note(state, `every target of ${tg.targetGroupName} is unhealthy; AWS then routes to all targets (fail open, ALB/NLB target-group health checks), so the path is reported reachable`);
  const nodeIp = node.privateAddresses[0]?.ip ?? packet.dstIp;
  const proxy = lb.lbType === 'application';
  const keepClient = !proxy && !privateLink && preservesClientIp(tg, packet);
  const out: Packet = {
    ...packet,
    srcIp: keepClient ? packet.srcIp : nodeIp,
    ...(proxy ? { srcPort: EPHEMERAL_PORT } : {}),
    dstIp: chosen.ip,
    ...(packet.dstPort !== undefined ? { dstPort: port } : {}),
  };
  const why = proxy
    ? 'new connection from the node to the target'
    : privateLink
      ? 'source becomes the NLB private IP (PrivateLink)'
      : keepClient
        ? 'client IP preserved'
        : 'source becomes the NLB private IP (client IP preservation off)';
  addHop(state, { component: lbRef, action: 'translate', rule: `${describePacket(packet)} => ${describePacket(out)}: ${why}`, packet: out, source: lb.source, networkInterfaceId: node.id, ...(privateLink ? { note: 'PrivateLink hand-off from the endpoint' } : {}) });
  state.tracked.push({ componentId: lb.arn, inside: packet, outside: out, ...(keepClient ? { returnVia: node } : {}), ...(privateLink ? { privateLink } : {}) });
  if (proxy) checkSecurityGroups(state, node, 'egress', { packet: out });
  const subnet = model.subnets.get(node.subnetId);
  if (!subnet) {
    block(state, { code: 'MISSING_DATA', component: { id: node.subnetId, type: 'subnet' }, message: `subnet ${node.subnetId} of ${lb.loadBalancerName} is not in the snapshot` });
    return stop;
  }
  // Load-balancer nodes send through their own subnet's route table (§0.3).
  return next({ at: 'subnet-out', subnet, packet: out, fromEni: node });
}

/**
 * Classic Load Balancer (§6.3): instance targets registered on the load balancer itself; it proxies the
 * connection from a node to the listener's instance port.
 *
 * - Health (`elb describe-instance-health`, `LoadBalancer.classicTargets`): the load balancer routes requests
 *   only to InService instances (CLB:elb-healthchecks, "The load balancer routes requests only to the healthy
 *   instances", https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html).
 *   OutOfService and Unknown instances, and registered instances the health output does not list, receive
 *   nothing. Classic Load Balancers do not fail open: the fail-open rule of §6 is documented for ALB and NLB
 *   target groups only, and the Classic guides name "no healthy instances" as a cause of HTTP 503
 *   (https://repost.aws/knowledge-center/503-error-classic). Without health in the snapshot, registered
 *   running instances are assumed InService, and the trace says so.
 * - Cross-zone (`elb describe-load-balancer-attributes` CrossZoneLoadBalancing.Enabled, read as
 *   `load_balancing.cross_zone.enabled`): on, a node uses instances in every enabled zone; off, only its own
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html). The
 *   default depends on how the load balancer was created (API/CLI off, console on), so only the attribute can
 *   say; without it the trace takes it as off and says so.
 */
function forwardThroughClassic(state: WalkState, lb: LoadBalancer, node: NetworkInterface, packet: Packet, listener: Listener): Step {
  const model = state.model;
  const nodeZone = zoneIdOf(state, node.account, node.region, node.availabilityZone, node.subnetId);
  const health = lb.classicTargets;
  const healthOf = (id: string): Target | undefined => health?.find((t) => t.id === id);
  // describe-instance-health lists every registered instance; the description may be older or newer.
  const registered = [...new Set([...(lb.classicInstanceIds ?? []), ...(health ?? []).map((t) => t.id)])];
  const running = registered.flatMap((id) => {
    const inst = model.instances.get(id);
    return inst && inst.state === 'running' ? [inst] : [];
  });
  const inService = health ? running.filter((i) => healthOf(i.id)?.healthState === 'InService') : running;
  const attr = lb.attributes['load_balancing.cross_zone.enabled'];
  const crossZoneOn = attr === 'true';
  if (attr === undefined)
    note(state, `cross-zone load balancing of Classic Load Balancer ${lb.loadBalancerName} is not in the snapshot (add elb describe-load-balancer-attributes): taken as off, the API and CLI default (the console turns it on)`);
  const inZone = inService.filter((i) => zoneIdOf(state, i.account, i.region, i.availabilityZone, i.subnetId) === nodeZone);
  const pick = inZone[0] ?? (crossZoneOn ? inService[0] : undefined);
  const eni = pick?.networkInterfaceIds[0] ? model.networkInterfaces.get(pick.networkInterfaceIds[0]) : undefined;
  const ip = eni?.privateAddresses.find((a) => a.primary)?.ip ?? pick?.privateIp;
  if (!pick || !ip) {
    const states = registered.map((id) => {
      const inst = model.instances.get(id);
      const h = healthOf(id);
      const what = health ? (h ? `${h.healthState ?? 'no state'}${h.healthReason ? ` (${h.healthReason})` : ''}` : 'not in the instance health') : (inst?.state ?? 'not in the snapshot');
      return `${id} ${what}`;
    });
    block(state, {
      code: inService.length ? 'ELB_NOT_CROSSZONE' : 'ELB_LISTENERS_MISMATCH',
      component: { id: lb.arn, type: 'load-balancer' },
      message: inService.length
        ? `Classic Load Balancer ${lb.loadBalancerName} has no ${health ? 'InService' : 'running'} instance in the node's Availability Zone (${node.availabilityZone ?? '?'}) and cross-zone load balancing is ${attr === undefined ? 'taken as off (not in the snapshot)' : 'off'}; register an instance there or enable cross-zone load balancing`
        : health
          ? `Classic Load Balancer ${lb.loadBalancerName} has no InService instance (${states.join(', ') || 'no registered instances'}); it routes only to InService instances and does not fail open: make an instance pass the load balancer's health check`
          : `Classic Load Balancer ${lb.loadBalancerName} has no running registered instance`,
      source: health && !inService.length ? (health[0]?.source ?? lb.source) : lb.source,
    });
    return stop;
  }
  if (!health) note(state, `Classic Load Balancer instance health is not in the snapshot: ${pick.id} is assumed InService`);
  const nodeIp = node.privateAddresses[0]?.ip ?? packet.dstIp;
  const out: Packet = { ...packet, srcIp: nodeIp, srcPort: EPHEMERAL_PORT, dstIp: ip, ...(listener.instancePort !== undefined ? { dstPort: listener.instancePort } : {}) };
  const why = `${health ? 'InService' : 'health unknown'}${inZone[0] ? '' : ', in another Availability Zone (cross-zone load balancing on)'}`;
  addHop(state, {
    component: { ...componentOf(lb, 'load-balancer'), name: lb.loadBalancerName },
    action: 'translate',
    rule: `${describePacket(packet)} => ${describePacket(out)}: new connection from the node to instance ${pick.id} (${why})`,
    packet: out,
    source: healthOf(pick.id)?.source ?? lb.source,
    networkInterfaceId: node.id,
    note: `${inService.length} of ${registered.length} registered instances can receive traffic`,
  });
  state.tracked.push({ componentId: lb.arn, inside: packet, outside: out });
  checkSecurityGroups(state, node, 'egress', { packet: out });
  const subnet = model.subnets.get(node.subnetId);
  if (!subnet) return stop;
  return next({ at: 'subnet-out', subnet, packet: out, fromEni: node });
}

/** A packet arriving at a load-balancer node interface: a reply to a tracked flow, or a new flow. */
export function arriveAtLoadBalancer(state: WalkState, loc: Extract<Location, { at: 'interface-in' }>): Step {
  const owner = loc.eni.owner;
  const lb = owner.kind === 'load-balancer' ? state.model.loadBalancers.get(owner.id) : undefined;
  if (!lb) {
    block(state, { code: 'MISSING_DATA', component: { id: owner.id, type: 'load-balancer' }, message: `load balancer ${owner.id} (owner of ${loc.eni.id}) is not in the snapshot: add describe-load-balancers output` });
    return stop;
  }
  const flow = trackedFlowFor(state, loc.packet, lb.arn);
  if (flow) return replyThroughLoadBalancer(state, lb, loc.eni, loc.packet, flow);
  return forwardThroughLoadBalancer(state, lb, loc.eni, loc.packet);
}

function replyThroughLoadBalancer(state: WalkState, lb: LoadBalancer, node: NetworkInterface, reply: Packet, flow: NonNullable<ReturnType<typeof trackedFlowFor>>): Step {
  const back: Packet = { ...reply, srcIp: flow.inside.dstIp, dstIp: flow.inside.srcIp, ...(flow.inside.dstPort !== undefined ? { srcPort: flow.inside.dstPort, dstPort: flow.inside.srcPort } : {}) };
  addHop(state, { component: { ...componentOf(lb, 'load-balancer'), name: lb.loadBalancerName }, action: 'translate', rule: `reply ${describePacket(reply)} => ${describePacket(back)} (tracked connection)`, packet: back, source: lb.source, networkInterfaceId: node.id, ...(flow.privateLink ? { note: 'PrivateLink hand-off to the endpoint' } : {}) });
  if (flow.privateLink) {
    const pl = flow.privateLink;
    const toClient: Packet = { ...back, srcIp: pl.consumerPacket.dstIp, dstIp: pl.consumerPacket.srcIp };
    addHop(state, { component: { id: pl.endpointId, type: 'vpc-endpoint' }, action: 'forward', rule: 'PrivateLink carries the reply back to the endpoint', packet: toClient });
    return next({ at: 'interface-out', eni: pl.endpointEni, packet: toClient, origin: false });
  }
  if (!filtersAtNode(lb)) {
    // No security group to consult: the reply goes from the node straight to its subnet's router.
    const subnet = state.model.subnets.get(node.subnetId);
    if (!subnet) {
      block(state, { code: 'MISSING_DATA', component: { id: node.subnetId, type: 'subnet' }, message: `subnet ${node.subnetId} of ${lb.loadBalancerName} is not in the snapshot` });
      return stop;
    }
    return next({ at: 'subnet-out', subnet, packet: back, fromEni: node });
  }
  return next({ at: 'interface-out', eni: node, packet: back, origin: false });
}

/** Replies from a target that saw the client's own address go back through the node that tracked the flow. */
export function trackedReturnInterface(state: WalkState, packet: Packet): NetworkInterface | undefined {
  if (state.direction !== 'return') return undefined;
  return trackedFlowFor(state, packet)?.returnVia;
}

export { crossNetworkAcl };

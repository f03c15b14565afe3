/**
 * Network interface component: a packet leaving or arriving at an ENI.
 *
 * - An interface sends and receives only for its own addresses unless source/destination checking is off
 *   (EC2:using-eni "Source/destination checking"; aws-vpc-semantics §11).
 * - Security groups are evaluated at the interface: egress rules against the destination when sending,
 *   ingress rules against the source when receiving; they are stateful, so a reply is admitted by the
 *   tracked request whatever the rules say (§2.2, EC2:security-group-connection-tracking).
 * - Interfaces of NAT gateways, transit gateway attachments and Gateway Load Balancer endpoints have no
 *   security groups (§2.1).
 * - Link-local services (Amazon DNS 169.254.169.253 / VPC+2, instance metadata 169.254.169.254, time sync
 *   169.254.169.123) are answered on the host: no security group, NACL or route applies (§11).
 */
import { cidrContains, parseCidrCached, parseIpCached } from '../../model/addresses.js';
import type { NetworkInterface } from '../../model/types.js';
import { describeSecurityGroupRule, evaluateSecurityGroups, type SecurityGroupContext } from '../security-group.js';
import { modelContext, ownsAddress } from '../model-context.js';
import { describePacket, type Packet } from '../packet.js';
import { addHop, block, next, note, stop, trackedFlowFor, type Location, type Step, type WalkState } from '../walk.js';
import { longestPrefixMatch } from '../route-table.js';
import { componentOf } from './component-ref.js';

const NO_SECURITY_GROUPS = new Set(['nat-gateway', 'transit-gateway', 'gateway-load-balancer-endpoint', 'gateway-load-balancer']);

export function interfaceHasSecurityGroups(eni: NetworkInterface): boolean {
  return !NO_SECURITY_GROUPS.has(eni.interfaceType);
}

const LINK_LOCAL_SERVICES: Readonly<Record<string, string>> = {
  '169.254.169.254': 'instance metadata service',
  'fd00:ec2::254': 'instance metadata service',
  '169.254.169.253': 'Amazon DNS server',
  'fd00:ec2::253': 'Amazon DNS server',
  '169.254.169.123': 'Amazon Time Sync service',
  'fd00:ec2::123': 'Amazon Time Sync service',
};

/** The service a link-local or VPC+2 address names, if any. */
export function linkLocalService(state: WalkState, eni: NetworkInterface, ip: string): string | undefined {
  const known = LINK_LOCAL_SERVICES[ip];
  if (known) return known;
  // The Amazon DNS server also answers at the VPC's primary CIDR base + 2 (VPC:vpc-dns).
  const vpc = state.model.vpcs.get(eni.vpcId);
  const base = vpc?.cidrs[0] ? parseCidrCached(vpc.cidrs[0]) : undefined;
  const addr = parseIpCached(ip);
  if (base && addr && addr.family === 4 && addr.value === base.base + 2n) return 'Amazon DNS server (VPC+2)';
  return undefined;
}

function securityGroupsOf(state: WalkState, eni: NetworkInterface) {
  return eni.securityGroupIds.flatMap((id) => state.model.securityGroups.get(id) ?? []);
}

/**
 * Security-group references work within a Region only (same VPC, a same-Region peer, a shared VPC); across
 * an inter-Region peering a rule must use CIDRs (aws-vpc-semantics §2.4, PEER:vpc-peering-security-groups).
 */
function sameRegionReferences(state: WalkState, eni: NetworkInterface): SecurityGroupContext {
  const base = modelContext(state.model);
  return {
    prefixListCidrs: base.prefixListCidrs,
    isMemberAddress: (groupId, ip) => {
      const g = state.model.securityGroups.get(groupId);
      return (!g || g.region === eni.region) && base.isMemberAddress(groupId, ip);
    },
  };
}

/** Security-group check at an interface; records the hop and, on a drop, the explanation. */
export function checkSecurityGroups(state: WalkState, eni: NetworkInterface, direction: 'ingress' | 'egress', loc: { packet: import('../packet.js').Packet }): void {
  if (!interfaceHasSecurityGroups(eni)) return;
  const key = `${eni.id}:${direction}`;
  const opposite = `${eni.id}:${direction === 'ingress' ? 'egress' : 'ingress'}`;
  const groupRef = { id: eni.securityGroupIds.join(',') || 'none', type: 'security-group' as const, account: eni.account, region: eni.region };
  if (state.direction === 'return' && state.sgPasses.has(opposite)) {
    addHop(state, {
      component: groupRef,
      action: 'allow',
      rule: 'connection tracking: reply to the tracked request',
      packet: loc.packet,
      note: `security groups are stateful: the reply is admitted without an ${direction} rule`,
      networkInterfaceId: eni.id,
    });
    return;
  }
  const groups = securityGroupsOf(state, eni);
  const missing = eni.securityGroupIds.filter((id) => !state.model.securityGroups.has(id));
  const verdict = evaluateSecurityGroups(groups, direction, loc.packet, sameRegionReferences(state, eni));
  if (state.direction === 'forward') state.sgPasses.add(key);
  if (missing.length) note(state, `security group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${eni.id} not in the snapshot: treated as allowing nothing`);
  if (verdict.allowed && verdict.match) {
    const sg = state.model.securityGroups.get(verdict.match.groupId);
    addHop(state, {
      component: sg ? { ...componentOf(sg), name: sg.groupName } : groupRef,
      action: 'allow',
      rule: `${direction} rule: ${describeSecurityGroupRule(verdict.match.rule)}`,
      packet: loc.packet,
      source: verdict.match.rule.source,
      networkInterfaceId: eni.id,
    });
    return;
  }
  const first = groups[0];
  const names = groups.map((g) => `${g.id} (${g.groupName})`).join(', ') || 'no security groups';
  addHop(state, {
    component: first && groups.length === 1 ? { ...componentOf(first), name: first.groupName } : groupRef,
    action: 'deny',
    rule: `no ${direction} rule matches`,
    packet: loc.packet,
    networkInterfaceId: eni.id,
    ...(first ? { source: first.source } : {}),
  });
  const peer = direction === 'ingress' ? `from ${loc.packet.srcIp}` : `to ${loc.packet.dstIp}`;
  block(state, {
    code: 'ENI_SG_RULES_MISMATCH',
    component: first && groups.length === 1 ? { id: first.id, type: 'security-group' } : { id: eni.id, type: 'network-interface' },
    message: `${direction === 'ingress' ? 'inbound' : 'outbound'} ${describePacket(loc.packet)} is dropped at ${eni.id}: its security groups (${names}) have no ${direction === 'ingress' ? 'inbound' : 'outbound'} rule for ${protocolPhrase(loc.packet)} ${peer}; add one to let it through`,
    ...(first ? { source: first.source } : {}),
  });
}

function protocolPhrase(p: import('../packet.js').Packet): string {
  if (p.protocol === 6 || p.protocol === 17) return `${p.protocol === 6 ? 'tcp' : 'udp'} port ${p.dstPort ?? '?'}`;
  if (p.protocol === 1 || p.protocol === 58) return `${p.protocol === 1 ? 'icmp' : 'icmpv6'} type ${p.icmpType ?? '?'}`;
  return `protocol ${p.protocol}`;
}

/** A packet leaving an interface: own-address check, link-local short cut, security-group egress. */
export function leaveInterface(state: WalkState, loc: Extract<Location, { at: 'interface-out' }>): Step {
  const { eni, packet } = loc;
  if (loc.origin) addHop(state, { component: componentOf(eni), action: 'send', packet, source: eni.source, note: ownerNote(state, eni) });
  if (!ownsAddress(eni, packet.srcIp) && eni.sourceDestCheck && loc.origin) {
    addHop(state, { component: componentOf(eni), action: 'drop', rule: 'source/destination check', packet, source: eni.source });
    block(state, {
      code: 'ENI_SOURCE_DEST_CHECK',
      component: { id: eni.id, type: 'network-interface' },
      message: `${eni.id} does not own source address ${packet.srcIp} and has source/destination checking on: disable the check (appliance) or send from one of its addresses`,
      source: eni.source,
    });
  }
  const service = linkLocalService(state, eni, packet.dstIp);
  if (service) {
    addHop(state, {
      component: { id: packet.dstIp, type: 'link-local-service', name: service },
      action: 'deliver',
      rule: 'link-local service answered on the host',
      packet,
      note: 'security groups, network ACLs and route tables do not apply (aws-vpc-semantics §11)',
    });
    return next({ at: 'arrived', arrival: { kind: 'link-local', packet, service } });
  }
  checkSecurityGroups(state, eni, 'egress', loc);
  const subnet = state.model.subnets.get(eni.subnetId);
  if (!subnet) {
    block(state, {
      code: 'MISSING_DATA',
      component: { id: eni.subnetId, type: 'subnet' },
      message: `subnet ${eni.subnetId} of ${eni.id} is not in the snapshot: add describe-subnets output for account ${eni.account} ${eni.region}`,
    });
    return stop;
  }
  return next({ at: 'subnet-out', subnet, packet, fromEni: eni });
}

/**
 * NAT instances (VPC:VPC_NAT_Instance): an instance with source/destination checking off, a public IP, in a
 * subnet that routes the destination to an internet gateway, forwarding a packet from an address without a
 * public IP, masquerades it to its own private address (which the gateway then maps to its public IP).
 */
function natInstanceTranslation(state: WalkState, eni: NetworkInterface, packet: Packet): Packet | undefined {
  if (packet.family !== 4) return undefined;
  const primary = eni.privateAddresses.find((a) => a.primary);
  if (!primary?.publicIp) return undefined;
  const subnet = state.model.subnets.get(eni.subnetId);
  const table = subnet?.routeTableId ? state.model.routeTables.get(subnet.routeTableId) : undefined;
  if (!table) return undefined;
  const found = longestPrefixMatch(table, packet.dstIp, modelContext(state.model));
  if (found.kind !== 'match' || found.route.target.kind !== 'internet-gateway') return undefined;
  const srcHasPublic = state.model.addressHolders(packet.srcIp).some((h) => {
    const e = state.model.networkInterfaces.get(h.networkInterfaceId);
    return e?.privateAddresses.some((a) => a.ip === packet.srcIp && a.publicIp);
  });
  return srcHasPublic ? undefined : { ...packet, srcIp: primary.ip };
}

function ownerNote(state: WalkState, eni: NetworkInterface): string | undefined {
  if (eni.owner.kind === 'instance') {
    const i = state.model.instances.get(eni.owner.id);
    return `instance ${eni.owner.id}${i?.name ? ` (${i.name})` : ''}`;
  }
  return eni.owner.kind === 'unattached' ? undefined : `${eni.owner.kind} ${eni.owner.id}`;
}

/**
 * A packet arriving at an interface from a router: security-group ingress, then either delivery (the
 * interface owns the destination) or forwarding (source/destination check off: an appliance).
 * NACLs were evaluated by the router step that brought it here.
 */
export function arriveAtInterface(state: WalkState, loc: Extract<Location, { at: 'interface-in' }>): Step {
  const { eni, packet } = loc;
  checkSecurityGroups(state, eni, 'ingress', loc);
  const natFlow = state.direction === 'return' ? trackedFlowFor(state, packet, eni.id) : undefined;
  if (natFlow) {
    const back: Packet = { ...packet, dstIp: natFlow.inside.srcIp };
    addHop(state, { component: componentOf(eni), action: 'translate', rule: `destination ${packet.dstIp} -> ${back.dstIp} (NAT instance, tracked flow)`, packet: back, source: eni.source });
    return next({ at: 'interface-out', eni, packet: back, origin: false });
  }
  if (ownsAddress(eni, packet.dstIp)) {
    addHop(state, { component: componentOf(eni), action: 'deliver', packet, source: eni.source, note: ownerNote(state, eni) });
    return next({ at: 'arrived', arrival: { kind: 'interface', eni, packet } });
  }
  const inPrefix = eni.ipv4Prefixes.concat(eni.ipv6Prefixes).some((p) => {
    const c = parseCidrCached(p);
    const a = parseIpCached(packet.dstIp);
    return !!c && !!a && cidrContains(c, a);
  });
  if (inPrefix) {
    addHop(state, { component: componentOf(eni), action: 'deliver', rule: 'delegated prefix', packet, source: eni.source });
    return next({ at: 'arrived', arrival: { kind: 'interface', eni, packet } });
  }
  if (eni.sourceDestCheck) {
    addHop(state, { component: componentOf(eni), action: 'drop', rule: 'source/destination check', packet, source: eni.source });
    block(state, {
      code: 'ENI_SOURCE_DEST_CHECK',
      component: { id: eni.id, type: 'network-interface' },
      message: `${eni.id} receives a packet for ${packet.dstIp}, which it does not own, and has source/destination checking on: disable the check on this appliance interface`,
      source: eni.source,
    });
    return stop;
  }
  if (eni.owner.kind === 'instance') {
    const inst = state.model.instances.get(eni.owner.id);
    if (inst && inst.state !== 'running') {
      block(state, {
        code: 'BAD_STATE',
        component: { id: inst.id, type: 'instance' },
        message: `appliance instance ${inst.id} is ${inst.state}: start it or route elsewhere`,
        source: inst.source,
      });
      return stop;
    }
  }
  const natted = natInstanceTranslation(state, eni, packet);
  if (natted) {
    state.tracked.push({ componentId: eni.id, inside: packet, outside: natted });
    addHop(state, {
      component: componentOf(eni),
      action: 'translate',
      rule: `source ${packet.srcIp} -> ${natted.srcIp} (NAT instance)`,
      packet: natted,
      source: eni.source,
      note: 'assumed NAT instance: source/destination check off, a public IP, and its subnet routes the destination to an internet gateway',
    });
    note(state, `${eni.id} is treated as a NAT instance (source NAT to its own address); vpctwin cannot read its iptables rules`);
    return next({ at: 'interface-out', eni, packet: natted, origin: false });
  }
  addHop(state, {
    component: componentOf(eni),
    action: 'forward',
    rule: 'source/destination check disabled: the appliance forwards the packet',
    packet,
    source: eni.source,
    note: 'the appliance is assumed to forward without changing addresses',
  });
  return next({ at: 'interface-out', eni, packet, origin: false });
}

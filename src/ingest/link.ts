/**
 * The linker joins what separate calls returned (subnet → route table and NACL, target group → targets,
 * hosted zone → VPCs and records, TGW route table → routes, …), reports dangling references as warnings,
 * and lists what a partial snapshot lacks. Joins follow aws-vpc-semantics §12 "Joins the model needs".
 */
import { canonicalCidr, cidrsOverlap, parseCidr } from '../model/addresses.js';
import type { LoadIssue } from '../model/issues.js';
import type {
  DirectConnectGateway,
  DirectConnectGatewayAssociation,
  EndpointService,
  HostedZone,
  LoadBalancer,
  NetworkInterface,
  PrefixList,
  Resource,
  SecurityGroup,
  SourceRef,
  Subnet,
  Target,
  TargetGroup,
  TransitGatewayAttachment,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  Vpc,
} from '../model/types.js';
import type { SnapshotBuilder } from './builder.js';

function byKind<K extends Resource['kind']>(all: readonly Resource[], kind: K): Map<string, Extract<Resource, { kind: K }>> {
  const m = new Map<string, Extract<Resource, { kind: K }>>();
  for (const r of all) if (r.kind === kind) m.set(r.id, r as Extract<Resource, { kind: K }>);
  return m;
}

function group<T>(items: readonly { parent: string; items: readonly T[] }[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const p of items) {
    const list = m.get(p.parent) ?? [];
    list.push(...p.items);
    m.set(p.parent, list);
  }
  return m;
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** Essential describe-* keys per account and region; their absence makes answers unknown. */
const ESSENTIAL_KEYS: readonly [string, string][] = [
  ['Subnets', 'describe-subnets'],
  ['RouteTables', 'describe-route-tables'],
  ['SecurityGroups', 'describe-security-groups'],
  ['NetworkAcls', 'describe-network-acls'],
  ['NetworkInterfaces', 'describe-network-interfaces'],
];

export function linkSnapshot(b: SnapshotBuilder): Resource[] {
  const warn = (issue: Omit<LoadIssue, 'severity'>) => b.issue({ ...issue, severity: 'warning' });

  // Interfaces: describe-network-interfaces wins; interfaces known only from describe-instances are added.
  for (const eni of b.instanceInterfaces) if (!b.has('network-interface', eni.id)) b.add(eni, { fromInstance: eni.id });

  // Prefix lists: heads from either call merge by id; entries from get-managed-prefix-list-entries add CIDRs.
  const entries = group(b.prefixListEntries);
  const heads = new Map<string, PrefixList>();
  for (const { resource } of b.prefixListHeads) {
    const prev = heads.get(resource.id);
    heads.set(resource.id, prev ? { ...prev, cidrs: uniq([...prev.cidrs, ...resource.cidrs]), addressFamily: prev.addressFamily ?? resource.addressFamily } : resource);
  }
  for (const [id, cidrs] of entries) {
    const head = heads.get(id);
    if (head) heads.set(id, { ...head, cidrs: uniq([...head.cidrs, ...cidrs]) });
    else warn({ code: 'DANGLING_REFERENCE', resourceId: id, message: `prefix-list entries for ${id}, which no PrefixLists file describes` });
  }
  for (const pl of heads.values()) b.add({ ...pl, cidrs: [...pl.cidrs].sort() }, { prefixList: pl.id });

  // Endpoint services: consumer-side details only where the provider's configuration is absent.
  const all0 = b.resources();
  const providerNames = new Set(all0.filter((r): r is EndpointService => r.kind === 'endpoint-service').map((s) => s.serviceName));
  for (const { detail } of b.serviceDetails) {
    if (providerNames.has(detail.serviceName)) continue;
    providerNames.add(detail.serviceName);
    b.add(detail, { serviceDetail: detail.serviceName });
  }

  const resources = b.resources();
  const vpcs = byKind(resources, 'vpc');
  const subnets = byKind(resources, 'subnet');
  const routeTables = byKind(resources, 'route-table');
  const acls = byKind(resources, 'network-acl');
  const enis = byKind(resources, 'network-interface');
  const sgs = byKind(resources, 'security-group');
  const tgs = byKind(resources, 'target-group');
  const lbs = byKind(resources, 'load-balancer');

  // Security-group rules from describe-security-group-rules replace the packed form for their group.
  const rulesByGroup = new Map<string, SecurityGroup['ingress'][number][]>();
  for (const row of b.securityGroupRules) {
    const list = rulesByGroup.get(row.groupId) ?? [];
    list.push(row.rule);
    rulesByGroup.set(row.groupId, list);
  }
  for (const [groupId, rules] of rulesByGroup) {
    const g = sgs.get(groupId);
    if (!g) {
      warn({ code: 'DANGLING_REFERENCE', resourceId: groupId, source: rules[0]?.source, message: `security group rules for ${groupId}, which no SecurityGroups file describes` });
      continue;
    }
    b.replace({ ...g, ingress: rules.filter((r) => r.direction === 'ingress'), egress: rules.filter((r) => r.direction === 'egress') });
  }

  // VPC DNS attributes.
  for (const [vpcId, attrs] of b.dnsAttributes) {
    const v = vpcs.get(vpcId);
    if (v) b.replace({ ...v, dnsSupport: attrs.support ?? v.dnsSupport, dnsHostnames: attrs.hostnames ?? v.dnsHostnames } satisfies Vpc);
  }

  // Subnet → route table (explicit association, else the VPC's main table; §1.1) and → network ACL (§3).
  const mainTable = new Map<string, string>();
  const explicitTable = new Map<string, string>();
  for (const t of [...routeTables.values()].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    for (const a of t.associations) {
      if (a.state !== 'associated') continue;
      if (a.main) mainTable.set(t.vpcId, t.id);
      if (a.subnetId) explicitTable.set(a.subnetId, t.id);
    }
  }
  const aclOf = new Map<string, string>();
  const defaultAcl = new Map<string, string>();
  for (const a of acls.values()) {
    for (const s of a.subnetIds) aclOf.set(s, a.id);
    if (a.isDefault) defaultAcl.set(a.vpcId, a.id);
  }
  for (const s of subnets.values()) {
    const explicit = explicitTable.get(s.id);
    const rt = explicit ?? mainTable.get(s.vpcId);
    const acl = aclOf.get(s.id) ?? defaultAcl.get(s.vpcId);
    b.replace({ ...s, routeTableId: rt, routeTableImplicit: explicit === undefined && rt !== undefined, networkAclId: acl } satisfies Subnet);
    if (!vpcs.has(s.vpcId)) warn({ code: 'DANGLING_REFERENCE', resourceId: s.id, source: s.source, message: `subnet ${s.id} is in VPC ${s.vpcId}, which the snapshot does not describe` });
  }

  // Target groups: targets and attributes; a file may name its target group by ARN, name or id suffix.
  const tgByRef = (ref: string, account?: string, region?: string): TargetGroup | undefined =>
    tgs.get(ref) ??
    [...tgs.values()].find(
      (t) => (t.targetGroupName === ref || t.arn.endsWith(`/${ref}`)) && (!account || t.account === account) && (!region || t.region === region),
    );
  const lbByRef = (ref: string, account?: string, region?: string): LoadBalancer | undefined =>
    lbs.get(ref) ??
    [...lbs.values()].find((l) => (l.loadBalancerName === ref || l.arn.endsWith(`/${ref}`)) && (!account || l.account === account) && (!region || l.region === region));
  const tgUpdates = new Map<string, TargetGroup>();
  const tgCurrent = (t: TargetGroup) => tgUpdates.get(t.id) ?? t;
  for (const p of b.targetHealth) {
    const t = tgByRef(p.parent, p.account, p.region);
    if (!t) {
      warn({ code: 'DANGLING_REFERENCE', source: p.source, message: `target health for target group ${p.parent}, which the snapshot does not describe` });
      continue;
    }
    const cur = tgCurrent(t);
    tgUpdates.set(t.id, { ...cur, targets: [...cur.targets, ...p.items], targetsKnown: true });
  }
  // Classic names live apart from ELBv2 names (another API), so a Classic file joins only a Classic load balancer.
  const classicByRef = (ref: string, account?: string, region?: string): LoadBalancer | undefined =>
    [...lbs.values()].find((l) => l.lbType === 'classic' && (l.loadBalancerName === ref || l.arn === ref) && (!account || l.account === account) && (!region || l.region === region));
  const lbAttrs = new Map<string, Record<string, string>>();
  for (const a of b.attributes) {
    if (a.parentKind === 'classic-load-balancer') {
      const c = classicByRef(a.parent, a.account, a.region);
      if (c) lbAttrs.set(c.id, { ...(lbAttrs.get(c.id) ?? {}), ...a.values });
      else warn({ code: 'DANGLING_REFERENCE', resourceId: a.parent, source: a.source, message: `load balancer attributes for Classic load balancer ${a.parent}, which no LoadBalancerDescriptions file describes` });
      continue;
    }
    const t = a.parentKind !== 'load-balancer' ? tgByRef(a.parent, a.account, a.region) : undefined;
    const l = !t && a.parentKind !== 'target-group' ? lbByRef(a.parent, a.account, a.region) : undefined;
    if (t) {
      const cur = tgCurrent(t);
      tgUpdates.set(t.id, { ...cur, attributes: { ...cur.attributes, ...a.values } });
    } else if (l) {
      lbAttrs.set(l.id, { ...(lbAttrs.get(l.id) ?? {}), ...a.values });
    } else {
      warn({ code: 'DANGLING_REFERENCE', source: a.source, message: `attributes for ${a.parent}, which is neither a target group nor a load balancer in the snapshot` });
    }
  }
  // Classic instance health (describe-instance-health): the load balancer's targets, one per instance.
  const classicHealth = new Map<string, Target[]>();
  const danglingHealth = new Set<string>();
  for (const p of b.classicInstanceHealth) {
    const c = classicByRef(p.parent, p.account, p.region);
    if (!c) {
      // One warning per file and parent, not one per instance.
      const key = `${p.source.file}\u0000${p.parent}`;
      if (!danglingHealth.has(key))
        warn({ code: 'DANGLING_REFERENCE', resourceId: p.parent, source: p.source, message: `instance health for Classic load balancer ${p.parent}, which no LoadBalancerDescriptions file describes` });
      danglingHealth.add(key);
      continue;
    }
    const list = classicHealth.get(c.id) ?? [];
    for (const t of p.items) if (!list.some((x) => x.id === t.id)) list.push(t);
    classicHealth.set(c.id, list);
  }
  for (const t of tgUpdates.values()) b.replace({ ...t, targets: [...t.targets].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : (x.port ?? 0) - (y.port ?? 0))) });

  // Load balancers: node interfaces by description (§6), attributes.
  const lbEnis = new Map<string, string[]>();
  for (const e of enis.values()) if (e.owner.kind === 'load-balancer') lbEnis.set(e.owner.id, [...(lbEnis.get(e.owner.id) ?? []), e.id]);
  for (const l of lbs.values()) {
    const health = classicHealth.get(l.id);
    b.replace({
      ...l,
      attributes: { ...l.attributes, ...(lbAttrs.get(l.id) ?? {}) },
      networkInterfaceIds: (lbEnis.get(l.arn) ?? []).sort(),
      ...(health ? { classicTargets: [...health].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)) } : {}),
    } satisfies LoadBalancer);
  }
  const listeners = byKind(resources, 'listener');
  for (const l of listeners.values()) {
    if (!lbs.has(l.loadBalancerArn)) warn({ code: 'DANGLING_REFERENCE', resourceId: l.id, source: l.source, message: `listener belongs to load balancer ${l.loadBalancerArn}, which the snapshot does not describe` });
    for (const a of l.defaultActions)
      for (const t of a.targetGroups)
        if (!tgs.has(t.arn)) warn({ code: 'DANGLING_REFERENCE', resourceId: l.id, source: l.source, message: `listener forwards to target group ${t.arn}, which the snapshot does not describe` });
  }

  // Endpoint services: allowed principals and connections.
  const perms = group(b.servicePermissions);
  const conns = group(b.serviceConnections);
  for (const s of byKind(resources, 'endpoint-service').values()) {
    const p = perms.get(s.id);
    const c = conns.get(s.id);
    if (p || c) b.replace({ ...s, allowedPrincipals: uniq([...s.allowedPrincipals, ...(p ?? [])]).sort(), connections: [...s.connections, ...(c ?? [])] } satisfies EndpointService);
  }

  // Transit gateway attachments: VPC and peering details from their own calls.
  const attachments = byKind(resources, 'transit-gateway-attachment');
  for (const [id, d] of b.vpcAttachmentDetails) {
    const a = attachments.get(id);
    const merged: TransitGatewayAttachment = a
      ? { ...a, resourceId: a.resourceId ?? d.vpcId, subnetIds: d.subnetIds, applianceMode: d.applianceMode, ipv6Support: d.ipv6Support }
      : {
          kind: 'transit-gateway-attachment',
          id,
          account: d.account,
          region: d.region,
          tags: {},
          source: d.source,
          transitGatewayId: d.tgwId,
          resourceType: 'vpc',
          resourceId: d.vpcId,
          resourceOwner: d.vpcOwner,
          state: d.state ?? 'available',
          subnetIds: d.subnetIds,
          applianceMode: d.applianceMode,
          ipv6Support: d.ipv6Support,
        };
    if (a) b.replace(merged);
    else b.add(merged, { vpcAttachment: id });
    attachments.set(id, merged);
  }
  for (const [id, d] of b.peeringAttachmentDetails) {
    const a = attachments.get(id);
    if (a) {
      const merged = { ...a, peering: { requester: d.requester, accepter: d.accepter } };
      b.replace(merged);
      attachments.set(id, merged);
    }
  }

  // TGW route tables: routes, associations (from the table's call or the attachment's Association), propagations.
  const tgwRoutes = group(b.tgwRoutes);
  const tgwAssoc = group(b.tgwAssociations);
  const tgwProp = group(b.tgwPropagations);
  for (const a of attachments.values()) if (a.associatedRouteTableId) tgwAssoc.set(a.associatedRouteTableId, [...(tgwAssoc.get(a.associatedRouteTableId) ?? []), a.id]);
  const propagationSource = new Map<string, SourceRef>();
  for (const p of b.tgwPropagations) for (const attId of p.items) if (!propagationSource.has(`${p.parent}/${attId}`)) propagationSource.set(`${p.parent}/${attId}`, p.source);
  const tgwTables = byKind(resources, 'transit-gateway-route-table');
  for (const [rtb] of [...tgwRoutes, ...tgwAssoc, ...tgwProp])
    if (!tgwTables.has(rtb)) warn({ code: 'DANGLING_REFERENCE', resourceId: rtb, message: `routes or associations for transit gateway route table ${rtb}, which no TransitGatewayRouteTables file describes` });
  for (const t of tgwTables.values()) {
    const listed = tgwRoutes.get(t.id);
    const assoc = uniq(tgwAssoc.get(t.id) ?? []).sort();
    const propagating = uniq(tgwProp.get(t.id) ?? []).sort();
    const derived = listed ? derivePropagatedRoutes(t, listed, propagating, attachments, vpcs, (attId) => propagationSource.get(`${t.id}/${attId}`)) : [];
    b.replace({
      ...t,
      // Unlisted routes stay unknown: nothing is derived for a table whose routes are not in the snapshot.
      routes: listed ? [...listed, ...derived] : [],
      routesKnown: listed !== undefined,
      associatedAttachmentIds: assoc,
      propagatingAttachmentIds: propagating,
    } satisfies TransitGatewayRouteTable);
    for (const attId of assoc) {
      const att = attachments.get(attId);
      if (att && !att.associatedRouteTableId) b.replace({ ...att, associatedRouteTableId: t.id });
    }
  }

  // Hosted zones: VPC associations and records.
  const records = group(b.zoneRecords);
  for (const z of byKind(resources, 'hosted-zone').values()) {
    const r = records.get(z.id);
    b.replace({ ...z, vpcs: b.zoneVpcs.get(z.id) ?? z.vpcs, records: r ?? [], recordsKnown: r !== undefined } satisfies HostedZone);
  }
  for (const zid of records.keys())
    if (!byKind(resources, 'hosted-zone').has(zid)) warn({ code: 'DANGLING_REFERENCE', resourceId: zid, message: `record sets for hosted zone ${zid}, which no HostedZones file describes` });

  linkDirectConnectAssociations(b, resources);

  checkReferences(b, resources);
  checkPartial(b);
  checkOverlaps(b);

  return b.resources().sort((x, y) => (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * The routes a TGW route table's VPC propagations put in it, for a snapshot that lists static routes only:
 * Batfish stores `search-transit-gateway-routes` filtered to `type=static`, and so does anyone running
 * `aws ec2 search-transit-gateway-routes --filters Name=type,Values=static`. Used only when the listed routes
 * hold no propagated route (a listing with one is taken as complete).
 *
 * - A VPC attachment propagates its VPC's CIDR blocks (TGW:how-transit-gateways-work "Route propagation";
 *   aws-vpc-semantics §7.1); its IPv6 blocks only when the attachment has IPv6 support ("When disabled …
 *   IPv6 routes do not propagate", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTransitGatewayVpcAttachmentRequestOptions.html).
 * - Only attachments in state `available` forward (§7.1); VPN, Direct Connect and Connect attachments
 *   propagate BGP-learned prefixes the snapshot does not hold, so nothing is derived for them.
 * - A listed route to the same destination wins: a static route hides a propagated one with the same
 *   prefix (TGW:how-transit-gateways-work "Route evaluation order"). Two VPCs with the same CIDR give one
 *   route (AWS does not propagate the second; which one came first is not in the snapshot, §7.2).
 *
 * Each derived route is marked `derivedFromPropagation` and points at the propagation it comes from (else at
 * the table), so that a trace can say it was derived rather than read.
 */
function derivePropagatedRoutes(
  table: TransitGatewayRouteTable,
  listed: readonly TransitGatewayRoute[],
  propagating: readonly string[],
  attachments: ReadonlyMap<string, TransitGatewayAttachment>,
  vpcs: ReadonlyMap<string, Vpc>,
  propagationSource: (attachmentId: string) => SourceRef | undefined,
): TransitGatewayRoute[] {
  if (listed.some((r) => r.type === 'propagated')) return [];
  const taken = new Set(listed.flatMap((r) => (r.destination.kind === 'cidr' ? [r.destination.cidr] : [])));
  const out: TransitGatewayRoute[] = [];
  for (const attId of propagating) {
    const att = attachments.get(attId);
    if (!att || att.resourceType !== 'vpc' || att.state !== 'available' || !att.resourceId || att.transitGatewayId !== table.transitGatewayId) continue;
    const vpc = vpcs.get(att.resourceId);
    if (!vpc) continue;
    for (const cidr of [...vpc.cidrs, ...(att.ipv6Support ? vpc.ipv6Cidrs : [])]) {
      const canonical = canonicalCidr(cidr) ?? cidr;
      if (taken.has(canonical)) continue;
      taken.add(canonical);
      out.push({
        destination: { kind: 'cidr', cidr: canonical },
        type: 'propagated',
        state: 'active',
        attachmentIds: [att.id],
        source: propagationSource(att.id) ?? table.source,
        derivedFromPropagation: true,
      });
    }
  }
  return out;
}

/**
 * Direct Connect gateway associations (describe-direct-connect-gateway-associations) join their gateway by
 * `directConnectGatewayId`. An association whose DX gateway is not in the snapshot is reported and dropped
 * (nothing could carry it); one whose virtual private or transit gateway is missing is kept (that gateway
 * may live in an account or Region not collected) and reported. A gateway is `associationsKnown` when an
 * association names it or an empty associations list names it as its parent; otherwise its associations
 * are unknown, not absent.
 */
function linkDirectConnectAssociations(b: SnapshotBuilder, resources: readonly Resource[]): void {
  const gateways = byKind(resources, 'direct-connect-gateway');
  const ids = new Set(resources.map((r) => r.id));
  const byGateway = new Map<string, DirectConnectGatewayAssociation[]>();
  // The same association listed twice (from the DX gateway's and the associated gateway's account) is kept once.
  const seen = new Set<string>();
  for (const a of b.dxAssociations) {
    const key = `${a.directConnectGatewayId}/${a.gatewayId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!gateways.has(a.directConnectGatewayId)) {
      b.issue({
        code: 'DANGLING_REFERENCE',
        severity: 'warning',
        resourceId: a.directConnectGatewayId,
        source: a.source,
        message: `Direct Connect gateway association ${a.associationId ?? ''} names Direct Connect gateway ${a.directConnectGatewayId}, which no directConnectGateways file describes; the association is ignored`.replace('  ', ' '),
      });
      continue;
    }
    if (a.gatewayType !== 'other' && !ids.has(a.gatewayId))
      b.issue({
        code: 'DANGLING_REFERENCE',
        severity: 'warning',
        resourceId: a.directConnectGatewayId,
        source: a.source,
        message: `Direct Connect gateway ${a.directConnectGatewayId} is associated with ${a.gatewayType} ${a.gatewayId} (account ${a.gatewayOwner ?? '?'}, region ${a.gatewayRegion ?? '?'}), which the snapshot does not describe`,
      });
    byGateway.set(a.directConnectGatewayId, [...(byGateway.get(a.directConnectGatewayId) ?? []), a]);
  }
  const none = new Set(b.dxGatewaysWithoutAssociations.map((e) => e.id));
  for (const e of b.dxGatewaysWithoutAssociations)
    if (!gateways.has(e.id)) b.issue({ code: 'DANGLING_REFERENCE', severity: 'warning', resourceId: e.id, source: e.source, message: `associations for Direct Connect gateway ${e.id}, which no directConnectGateways file describes` });
  for (const g of gateways.values()) {
    const list = (byGateway.get(g.id) ?? []).sort((x, y) => (x.gatewayId < y.gatewayId ? -1 : x.gatewayId > y.gatewayId ? 1 : 0));
    b.replace({ ...g, associations: list, associationsKnown: list.length > 0 || none.has(g.id) } satisfies DirectConnectGateway);
  }
}

/** Dangling references: a route to a missing gateway, an ENI in a missing subnet, a missing security group. */
function checkReferences(b: SnapshotBuilder, resources: readonly Resource[]): void {
  const ids = new Set(resources.map((r) => r.id));
  for (const r of b.resources()) ids.add(r.id);
  const known = (id: string) => ids.has(id);
  const warn = (resourceId: string, source: Resource['source'], message: string) =>
    b.issue({ code: 'DANGLING_REFERENCE', severity: 'warning', resourceId, source, message });
  for (const r of b.resources()) {
    switch (r.kind) {
      case 'route-table':
        if (!known(r.vpcId)) warn(r.id, r.source, `route table ${r.id} is in VPC ${r.vpcId}, which the snapshot does not describe`);
        for (const route of r.routes) {
          const t = route.target;
          if (t.kind === 'local' || t.kind === 'unsupported' || t.kind === 'core-network') continue;
          if (!known(t.id) && route.state !== 'blackhole')
            warn(r.id, route.source, `route to ${t.kind} ${t.id}, which the snapshot does not describe`);
          if (route.destination.kind === 'prefix-list' && !known(route.destination.prefixListId))
            warn(r.id, route.source, `route to prefix list ${route.destination.prefixListId}, which the snapshot does not describe`);
        }
        break;
      case 'network-interface':
        if (!known(r.subnetId)) warn(r.id, r.source, `network interface ${r.id} is in subnet ${r.subnetId}, which the snapshot does not describe`);
        for (const g of r.securityGroupIds) if (!known(g)) warn(r.id, r.source, `network interface ${r.id} uses security group ${g}, which the snapshot does not describe`);
        break;
      case 'instance':
        if (r.subnetId && !known(r.subnetId)) warn(r.id, r.source, `instance ${r.id} is in subnet ${r.subnetId}, which the snapshot does not describe`);
        break;
      case 'nat-gateway':
        if (!known(r.subnetId)) warn(r.id, r.source, `NAT gateway ${r.id} is in subnet ${r.subnetId}, which the snapshot does not describe`);
        break;
      case 'vpc-endpoint':
        for (const s of r.subnetIds) if (!known(s)) warn(r.id, r.source, `endpoint ${r.id} is in subnet ${s}, which the snapshot does not describe`);
        for (const e of r.networkInterfaceIds) if (!known(e)) warn(r.id, r.source, `endpoint ${r.id} has network interface ${e}, which the snapshot does not describe`);
        break;
      case 'security-group':
        for (const rule of [...r.ingress, ...r.egress])
          if (rule.peer.kind === 'security-group' && !known(rule.peer.groupId) && (!rule.peer.account || rule.peer.account === r.account))
            warn(r.id, rule.source, `rule references security group ${rule.peer.groupId}, which the snapshot does not describe (a stale reference matches nothing)`);
        break;
      default:
        break;
    }
  }
}

/** A partial snapshot loads; each account and region that lacks an essential call is listed. */
function checkPartial(b: SnapshotBuilder): void {
  for (const [scope, keys] of [...b.keysSeen].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (!keys.has('Vpcs')) continue;
    const missing = ESSENTIAL_KEYS.filter(([k]) => !keys.has(k) && !(k === 'NetworkInterfaces' && keys.has('Reservations'))).map(([, call]) => call);
    if (missing.length > 0)
      b.issue({
        code: 'MISSING_DATA',
        severity: 'warning',
        message: `account/region ${scope} has VPCs but no ${missing.join(', ')} output: answers that need them will say "unknown"`,
      });
  }
}

/** Overlapping CIDRs between VPCs joined by a peering connection or the same transit gateway (§7.2, §8). */
function checkOverlaps(b: SnapshotBuilder): void {
  const res = b.resources();
  const vpcs = byKind(res, 'vpc');
  const pairs: [string, string, string][] = [];
  for (const p of byKind(res, 'vpc-peering-connection').values())
    if (p.status === 'active') pairs.push([p.requester.vpcId, p.accepter.vpcId, `peering ${p.id}`]);
  const byTgw = new Map<string, string[]>();
  for (const a of byKind(res, 'transit-gateway-attachment').values())
    if (a.resourceType === 'vpc' && a.resourceId) byTgw.set(a.transitGatewayId, [...(byTgw.get(a.transitGatewayId) ?? []), a.resourceId]);
  for (const [tgw, list] of byTgw) for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) pairs.push([list[i] as string, list[j] as string, `transit gateway ${tgw}`]);
  for (const [x, y, via] of pairs) {
    const a = vpcs.get(x);
    const c = vpcs.get(y);
    const aCidrs = a?.cidrs ?? [];
    const cCidrs = c?.cidrs ?? [];
    for (const ca of aCidrs)
      for (const cc of cCidrs) {
        const p = parseCidr(ca);
        const q = parseCidr(cc);
        if (p && q && cidrsOverlap(p, q))
          b.issue({
            code: 'OVERLAPPING_CIDRS',
            severity: 'warning',
            resourceId: x,
            message: `VPC ${x} (${ca}) and VPC ${y} (${cc}) overlap and are joined by ${via}: traffic between the overlapping ranges stays in each VPC (the local route wins)`,
          });
      }
  }
}

export type { NetworkInterface };

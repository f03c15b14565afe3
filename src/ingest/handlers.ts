/**
 * One handler per top-level key of describe-* output. A handler validates each element with its Zod shape,
 * converts it to the neutral model, and hands it to the builder. AWS field names stop here.
 */
import { z } from 'zod';
import { canonicalCidr, canonicalIp } from '../model/addresses.js';
import type {
  DirectConnectGatewayAssociation,
  DnsRecord,
  LoadBalancerType,
  NetworkInterface,
  NetworkInterfaceOwner,
  NetworkInterfaceType,
  PrivateAddress,
  Route,
  RouteTarget,
  SecurityGroupRule,
  SourceRef,
  Tags,
  TransitGatewayAttachmentType,
  VpcEndpointType,
} from '../model/types.js';
import type { SnapshotBuilder } from './builder.js';
import type { SnapshotFile } from './discover.js';
import * as S from './shapes.js';

export interface FileContext {
  readonly file: SnapshotFile;
  readonly builder: SnapshotBuilder;
  /** The whole parsed file, for parent keys that sit beside the list. */
  readonly document: Record<string, unknown>;
}

interface ElementContext extends FileContext {
  readonly key: string;
  readonly path: string;
}

type Handler = (ctx: ElementContext, element: unknown) => void;

/**
 * Called instead of the element handler when a key's list is empty (`ctx.path` is the list's path): for a
 * per-parent call an empty list is data — the parent has no children — not the absence of the call.
 */
type EmptyListHandler = (ctx: ElementContext) => void;

// ---------- shared helpers ----------

function src(ctx: ElementContext, suffix = ''): SourceRef {
  return { file: ctx.file.displayPath, path: `${ctx.path}${suffix}` };
}

/** Validates an element; on failure records one INVALID_FIELD issue per problem and returns undefined. */
function parse<T extends z.ZodType>(ctx: ElementContext, shape: T, element: unknown): z.infer<T> | undefined {
  const r = shape.safeParse(element, { reportInput: true });
  if (r.success) return r.data;
  for (const iss of r.error.issues.slice(0, 5)) {
    const p = iss.path.map((seg) => (typeof seg === 'number' ? `[${seg}]` : `.${String(seg)}`)).join('');
    ctx.builder.issue({
      code: 'INVALID_FIELD',
      severity: 'error',
      source: { file: ctx.file.displayPath, path: `${ctx.path}${p}` },
      message: `${describeIssue(iss)}; element skipped`,
    });
  }
  return undefined;
}

function describeIssue(iss: z.core.$ZodIssue): string {
  if (iss.code === 'invalid_type') {
    const received = (iss as { input?: unknown }).input;
    const got = received === undefined ? 'nothing' : Array.isArray(received) ? 'array' : received === null ? 'null' : typeof received;
    return `expected ${iss.expected}, got ${got}`;
  }
  return iss.message;
}

/** The fields every resource carries: id, account, region, Name tag, tags, and where it was read. */
function identity(ctx: ElementContext, id: string, tagList: Parameters<typeof tagsOf>[0], account: string, region: string) {
  const tags = tagsOf(tagList);
  return { id, account, region, ...(tags.Name !== undefined ? { name: tags.Name } : {}), tags, source: src(ctx) };
}

function tagsOf(list: readonly { Key: string; Value?: string | undefined }[] | undefined): Tags {
  const t: Record<string, string> = {};
  for (const { Key, Value } of list ?? []) t[Key] = Value ?? '';
  return t;
}

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12})?:/;

function accountOf(ctx: ElementContext, owner?: string, arn?: string): string {
  if (ctx.file.account) return ctx.file.account;
  if (owner && /^\d{12}$/.test(owner)) return owner;
  const m = arn ? ARN.exec(arn) : null;
  if (m?.[2]) return m[2];
  return 'unknown';
}

function regionOf(ctx: ElementContext, arn?: string, az?: string): string {
  if (ctx.file.region) return ctx.file.region;
  const m = arn ? ARN.exec(arn) : null;
  if (m?.[1]) return m[1];
  if (az && /^[a-z]{2}(-gov)?-[a-z]+-\d+[a-z]$/.test(az)) return az.slice(0, -1);
  return 'unknown';
}

function cidrOrRaw(text: string): string {
  return canonicalCidr(text) ?? text;
}

function protocolNumber(p: string | number): number {
  const t = String(p).toLowerCase();
  switch (t) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return 1;
    case 'icmpv6':
      return 58;
    case 'all':
      return -1;
    default: {
      const n = Number(t);
      return Number.isInteger(n) ? n : -1;
    }
  }
}

/** AWS returns -1/-1 ports for "all"; the model uses undefined for "all ports". */
function portOrUndefined(n: number | undefined): number | undefined {
  return n === undefined || n === -1 ? undefined : n;
}

function lower(s: string | undefined): string {
  return (s ?? '').toLowerCase();
}

function ignoreIf(ctx: ElementContext, kind: Parameters<SnapshotBuilder['ignore']>[0]['kind'], id: string, account: string, region: string, state: string, ignored: readonly string[]): boolean {
  if (!ignored.includes(state)) return false;
  ctx.builder.ignore({ kind, id, account, region, reason: `state ${state}`, source: src(ctx) });
  return true;
}

// ---------- EC2 / VPC ----------

const vpcs: Handler = (ctx, el) => {
  const v = parse(ctx, S.VpcShape, el);
  if (!v) return;
  const cidrs = (v.CidrBlockAssociationSet ?? [])
    .filter((a) => !a.CidrBlockState?.State || a.CidrBlockState.State === 'associated')
    .map((a) => cidrOrRaw(a.CidrBlock));
  if (v.CidrBlock && !cidrs.includes(cidrOrRaw(v.CidrBlock))) cidrs.unshift(cidrOrRaw(v.CidrBlock));
  const ipv6Cidrs = (v.Ipv6CidrBlockAssociationSet ?? [])
    .filter((a) => a.Ipv6CidrBlock && (!a.Ipv6CidrBlockState?.State || a.Ipv6CidrBlockState.State === 'associated'))
    .map((a) => cidrOrRaw(a.Ipv6CidrBlock as string));
  ctx.builder.add(
    {
      kind: 'vpc',
      ...identity(ctx, v.VpcId, v.Tags, accountOf(ctx, v.OwnerId), regionOf(ctx)),
      state: v.State ?? 'available',
      isDefault: v.IsDefault ?? false,
      cidrs,
      ipv6Cidrs,
    },
    el,
  );
};

const subnets: Handler = (ctx, el) => {
  const s = parse(ctx, S.SubnetShape, el);
  if (!s) return;
  ctx.builder.add(
    {
      kind: 'subnet',
      ...identity(ctx, s.SubnetId, s.Tags, accountOf(ctx, s.OwnerId, s.SubnetArn), regionOf(ctx, s.SubnetArn, s.AvailabilityZone)),
      vpcId: s.VpcId,
      state: s.State ?? 'available',
      availabilityZone: s.AvailabilityZone ?? 'unknown',
      availabilityZoneId: s.AvailabilityZoneId,
      cidr: s.CidrBlock ? cidrOrRaw(s.CidrBlock) : undefined,
      ipv6Cidrs: (s.Ipv6CidrBlockAssociationSet ?? [])
        .filter((a) => a.Ipv6CidrBlock && (!a.Ipv6CidrBlockState?.State || a.Ipv6CidrBlockState.State === 'associated'))
        .map((a) => cidrOrRaw(a.Ipv6CidrBlock as string)),
      mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    },
    el,
  );
};

/** Maps a route's target member to the model's target (aws-vpc-semantics §1.5). */
function routeTarget(r: z.infer<typeof S.RouteShape>): RouteTarget | undefined {
  if (r.NatGatewayId) return { kind: 'nat-gateway', id: r.NatGatewayId };
  if (r.EgressOnlyInternetGatewayId) return { kind: 'egress-only-internet-gateway', id: r.EgressOnlyInternetGatewayId };
  if (r.TransitGatewayId) return { kind: 'transit-gateway', id: r.TransitGatewayId };
  if (r.VpcPeeringConnectionId) return { kind: 'vpc-peering-connection', id: r.VpcPeeringConnectionId };
  if (r.NetworkInterfaceId)
    return { kind: 'network-interface', id: r.NetworkInterfaceId, ...(r.InstanceId ? { instanceId: r.InstanceId } : {}) };
  if (r.InstanceId) return { kind: 'instance', id: r.InstanceId };
  if (r.VpcEndpointId) return { kind: 'vpc-endpoint', id: r.VpcEndpointId };
  if (r.CarrierGatewayId) return { kind: 'carrier-gateway', id: r.CarrierGatewayId };
  if (r.LocalGatewayId) return { kind: 'local-gateway', id: r.LocalGatewayId };
  if (r.CoreNetworkArn) return { kind: 'core-network', id: r.CoreNetworkArn };
  const g = r.GatewayId;
  if (g === 'local') return { kind: 'local', id: 'local' };
  if (g?.startsWith('igw-')) return { kind: 'internet-gateway', id: g };
  if (g?.startsWith('vgw-')) return { kind: 'virtual-private-gateway', id: g };
  // Gateway-endpoint routes appear as GatewayId vpce-… (aws-vpc-semantics §1.5).
  if (g?.startsWith('vpce-')) return { kind: 'vpc-endpoint', id: g };
  if (g?.startsWith('eigw-')) return { kind: 'egress-only-internet-gateway', id: g };
  if (g) return { kind: 'unsupported', id: g };
  return undefined;
}

function routeOrigin(origin: string | undefined, target: RouteTarget): Route['origin'] {
  switch (origin) {
    case 'CreateRouteTable':
      return 'local';
    case 'EnableVgwRoutePropagation':
      return 'propagated';
    case 'Advertisement':
      return 'advertisement';
    case 'CreateRoute':
      return 'static';
    default:
      return target.kind === 'local' ? 'local' : 'static';
  }
}

const routeTables: Handler = (ctx, el) => {
  const t = parse(ctx, S.RouteTableShape, el);
  if (!t) return;
  const routes: Route[] = [];
  (t.Routes ?? []).forEach((r, i) => {
    const source = src(ctx, `.Routes[${i}]`);
    const target = routeTarget(r);
    const destination = r.DestinationPrefixListId
      ? ({ kind: 'prefix-list', prefixListId: r.DestinationPrefixListId } as const)
      : r.DestinationCidrBlock || r.DestinationIpv6CidrBlock
        ? ({ kind: 'cidr', cidr: cidrOrRaw((r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock) as string) } as const)
        : undefined;
    if (!target || !destination) {
      ctx.builder.issue({
        code: 'INVALID_FIELD',
        severity: 'warning',
        source,
        resourceId: t.RouteTableId,
        message: `route has no ${!destination ? 'destination' : 'target'}; route skipped`,
      });
      return;
    }
    const state = r.State === 'blackhole' ? 'blackhole' : r.State === 'filtered' ? 'filtered' : 'active';
    routes.push({ destination, target, state, origin: routeOrigin(r.Origin, target), source });
  });
  ctx.builder.add(
    {
      kind: 'route-table',
      ...identity(ctx, t.RouteTableId, t.Tags, accountOf(ctx, t.OwnerId), regionOf(ctx)),
      vpcId: t.VpcId,
      routes,
      associations: (t.Associations ?? []).map((a) => ({
        id: a.RouteTableAssociationId,
        main: a.Main ?? false,
        subnetId: a.SubnetId,
        gatewayId: a.GatewayId,
        state: a.AssociationState?.State ?? 'associated',
      })),
      propagatingGatewayIds: (t.PropagatingVgws ?? []).map((g) => g.GatewayId),
    },
    el,
  );
};

function permissionRules(
  perms: readonly z.infer<typeof S.IpPermissionShape>[],
  direction: 'ingress' | 'egress',
  ctx: ElementContext,
  field: string,
): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  perms.forEach((p, i) => {
    const protocol = protocolNumber(p.IpProtocol);
    const base = {
      direction,
      protocol,
      fromPort: portOrUndefined(p.FromPort),
      toPort: portOrUndefined(p.ToPort),
    };
    const at = (list: string, j: number) => src(ctx, `.${field}[${i}].${list}[${j}]`);
    (p.IpRanges ?? []).forEach((r, j) =>
      out.push({ ...base, peer: { kind: 'cidr', cidr: cidrOrRaw(r.CidrIp) }, description: r.Description, source: at('IpRanges', j) }),
    );
    (p.Ipv6Ranges ?? []).forEach((r, j) =>
      out.push({ ...base, peer: { kind: 'cidr', cidr: cidrOrRaw(r.CidrIpv6) }, description: r.Description, source: at('Ipv6Ranges', j) }),
    );
    (p.PrefixListIds ?? []).forEach((r, j) =>
      out.push({ ...base, peer: { kind: 'prefix-list', prefixListId: r.PrefixListId }, description: r.Description, source: at('PrefixListIds', j) }),
    );
    (p.UserIdGroupPairs ?? []).forEach((r, j) => {
      if (!r.GroupId) return;
      out.push({
        ...base,
        peer: {
          kind: 'security-group',
          groupId: r.GroupId,
          account: r.UserId,
          vpcId: r.VpcId,
          peeringConnectionId: r.VpcPeeringConnectionId,
        },
        description: r.Description,
        source: at('UserIdGroupPairs', j),
      });
    });
  });
  return out;
}

const securityGroups: Handler = (ctx, el) => {
  const g = parse(ctx, S.SecurityGroupShape, el);
  if (!g) return;
  const tags = tagsOf(g.Tags);
  ctx.builder.add(
    {
      kind: 'security-group',
      id: g.GroupId,
      account: accountOf(ctx, g.OwnerId, g.SecurityGroupArn),
      region: regionOf(ctx, g.SecurityGroupArn),
      name: tags.Name ?? g.GroupName,
      tags,
      source: src(ctx),
      groupName: g.GroupName ?? g.GroupId,
      vpcId: g.VpcId,
      description: g.Description,
      ingress: permissionRules(g.IpPermissions ?? [], 'ingress', ctx, 'IpPermissions'),
      egress: permissionRules(g.IpPermissionsEgress ?? [], 'egress', ctx, 'IpPermissionsEgress'),
    },
    el,
  );
};

/**
 * describe-security-group-rules gives one rule per element. It is merged into the group's rules by the
 * linker: when present it replaces the packed IpPermissions of that group (aws-vpc-semantics §2.3).
 */
const securityGroupRules: Handler = (ctx, el) => {
  const r = parse(ctx, S.SecurityGroupRuleShape, el);
  if (!r) return;
  const peer = r.CidrIpv4
    ? ({ kind: 'cidr', cidr: cidrOrRaw(r.CidrIpv4) } as const)
    : r.CidrIpv6
      ? ({ kind: 'cidr', cidr: cidrOrRaw(r.CidrIpv6) } as const)
      : r.PrefixListId
        ? ({ kind: 'prefix-list', prefixListId: r.PrefixListId } as const)
        : r.ReferencedGroupInfo?.GroupId
          ? ({
              kind: 'security-group',
              groupId: r.ReferencedGroupInfo.GroupId,
              account: r.ReferencedGroupInfo.UserId,
              vpcId: r.ReferencedGroupInfo.VpcId,
              peeringConnectionId: r.ReferencedGroupInfo.VpcPeeringConnectionId,
            } as const)
          : undefined;
  if (!peer) {
    ctx.builder.issue({ code: 'INVALID_FIELD', severity: 'warning', source: src(ctx), message: 'security group rule names no peer; rule skipped' });
    return;
  }
  ctx.builder.securityGroupRules.push({
    groupId: r.GroupId,
    account: accountOf(ctx, r.GroupOwnerId),
    rule: {
      ruleId: r.SecurityGroupRuleId,
      direction: r.IsEgress ? 'egress' : 'ingress',
      protocol: protocolNumber(r.IpProtocol),
      fromPort: portOrUndefined(r.FromPort),
      toPort: portOrUndefined(r.ToPort),
      peer,
      description: r.Description,
      source: src(ctx),
    },
  });
};

const networkAcls: Handler = (ctx, el) => {
  const a = parse(ctx, S.NetworkAclShape, el);
  if (!a) return;
  const entries = (a.Entries ?? []).map((e, i) => ({
    ruleNumber: e.RuleNumber,
    egress: e.Egress,
    action: e.RuleAction.toLowerCase() === 'allow' ? ('allow' as const) : ('deny' as const),
    protocol: protocolNumber(e.Protocol),
    cidr: cidrOrRaw(e.CidrBlock ?? e.Ipv6CidrBlock ?? '0.0.0.0/0'),
    portRange: e.PortRange && e.PortRange.From !== undefined && e.PortRange.To !== undefined ? { from: e.PortRange.From, to: e.PortRange.To } : undefined,
    icmp: e.IcmpTypeCode ? { type: e.IcmpTypeCode.Type ?? -1, code: e.IcmpTypeCode.Code ?? -1 } : undefined,
    source: src(ctx, `.Entries[${i}]`),
  }));
  const byNumber = (x: { ruleNumber: number }, y: { ruleNumber: number }) => x.ruleNumber - y.ruleNumber;
  ctx.builder.add(
    {
      kind: 'network-acl',
      ...identity(ctx, a.NetworkAclId, a.Tags, accountOf(ctx, a.OwnerId), regionOf(ctx)),
      vpcId: a.VpcId,
      isDefault: a.IsDefault ?? false,
      subnetIds: (a.Associations ?? []).map((x) => x.SubnetId),
      inbound: entries.filter((e) => !e.egress).sort(byNumber),
      outbound: entries.filter((e) => e.egress).sort(byNumber),
    },
    el,
  );
};

function interfaceType(raw: string | undefined, description: string): NetworkInterfaceType {
  switch (lower(raw)) {
    case 'natgateway':
    case 'nat_gateway':
      return 'nat-gateway';
    case 'vpc_endpoint':
      return 'vpc-endpoint';
    case 'gateway_load_balancer_endpoint':
      return 'gateway-load-balancer-endpoint';
    case 'network_load_balancer':
      return 'network-load-balancer';
    case 'gateway_load_balancer':
      return 'gateway-load-balancer';
    case 'load_balancer':
      return 'application-load-balancer';
    case 'transit_gateway':
      return 'transit-gateway';
    case 'lambda':
      return 'lambda';
    case 'efa':
    case 'efa-only':
      return 'efa';
    case 'trunk':
      return 'trunk';
    case 'branch':
      return 'branch';
    case '':
    case 'interface':
      // ALB nodes have been seen with InterfaceType `interface` (aws-vpc-semantics §6, [UNCERTAIN]).
      return description.startsWith('ELB app/') ? 'application-load-balancer' : 'interface';
    default:
      return 'other';
  }
}

/**
 * Who owns an interface: the attachment's instance, else what the requester-managed description says
 * (`ELB net/<name>/<id>`, `VPC Endpoint Interface vpce-…`, `Interface for NAT Gateway nat-…`, …).
 */
function interfaceOwner(type: NetworkInterfaceType, description: string, instanceId: string | undefined, id: string, account: string, region: string, requesterId?: string): NetworkInterfaceOwner {
  if (instanceId) return { kind: 'instance', id: instanceId };
  const nat = /nat-[0-9a-f]+/.exec(description);
  if (type === 'nat-gateway' || (nat && description.startsWith('Interface for NAT Gateway'))) return { kind: 'nat-gateway', id: nat?.[0] ?? 'unknown' };
  const vpce = /vpce-[0-9a-f]+/.exec(description);
  if ((type === 'vpc-endpoint' || type === 'gateway-load-balancer-endpoint') && vpce) return { kind: 'vpc-endpoint', id: vpce[0] };
  const elb = /^ELB (app|net|gwy)\/([^/]+)\/([0-9a-f]+)/.exec(description);
  if (elb) {
    const lbType: LoadBalancerType = elb[1] === 'app' ? 'application' : elb[1] === 'net' ? 'network' : 'gateway';
    return { kind: 'load-balancer', lbType, id: `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${elb[1]}/${elb[2]}/${elb[3]}` };
  }
  const clb = /^ELB ([^ /]+)$/.exec(description);
  if (clb) return { kind: 'load-balancer', lbType: 'classic', id: `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${clb[1]}` };
  const tgw = /tgw-attach-[0-9a-f]+/.exec(description);
  if (type === 'transit-gateway' || tgw) return { kind: 'transit-gateway-attachment', id: tgw?.[0] ?? 'unknown' };
  const lambda = /^AWS Lambda VPC ENI-(.+)$/.exec(description);
  if (type === 'lambda' || lambda) return { kind: 'lambda', id: lambda?.[1] ?? description };
  if (/^RDSNetworkInterface/.test(description)) return { kind: 'rds', id: description };
  if (requesterId && !/^\d{12}$/.test(requesterId)) return { kind: 'aws-service', id: description || requesterId };
  if (description && requesterId) return { kind: 'aws-service', id: description };
  return { kind: 'unattached', id };
}

type EniInput = z.infer<typeof S.InstanceNetworkInterfaceShape>;

export function buildNetworkInterface(
  ctx: ElementContext,
  n: EniInput,
  fallback: { vpcId?: string; subnetId?: string; az?: string; instanceId?: string },
  suffix = '',
): NetworkInterface | undefined {
  const vpcId = n.VpcId ?? fallback.vpcId;
  const subnetId = n.SubnetId ?? fallback.subnetId;
  if (!vpcId || !subnetId) return undefined;
  const tags = tagsOf(n.TagSet ?? n.Tags);
  const description = n.Description ?? '';
  const type = interfaceType(n.InterfaceType, description);
  const account = accountOf(ctx, n.OwnerId);
  const region = regionOf(ctx, undefined, n.AvailabilityZone ?? fallback.az);
  const addresses: PrivateAddress[] = [];
  const list = n.PrivateIpAddresses && n.PrivateIpAddresses.length > 0
    ? n.PrivateIpAddresses
    : n.PrivateIpAddress
      ? [{ PrivateIpAddress: n.PrivateIpAddress, Primary: true, PrivateDnsName: n.PrivateDnsName, Association: n.Association }]
      : [];
  for (const p of list) {
    const assoc = p.Association ?? (p.Primary ? n.Association : undefined);
    addresses.push({
      ip: canonicalIp(p.PrivateIpAddress) ?? p.PrivateIpAddress,
      primary: p.Primary ?? false,
      privateDnsName: p.PrivateDnsName || undefined,
      publicIp: assoc?.PublicIp,
      publicDnsName: assoc?.PublicDnsName || undefined,
      publicIpOwner: assoc?.IpOwnerId,
      allocationId: assoc?.AllocationId,
    });
  }
  const instanceId = n.Attachment?.InstanceId ?? fallback.instanceId;
  return {
    kind: 'network-interface',
    id: n.NetworkInterfaceId,
    account,
    region,
    name: tags.Name,
    tags,
    source: src(ctx, suffix),
    vpcId,
    subnetId,
    availabilityZone: n.AvailabilityZone ?? fallback.az,
    availabilityZoneId: n.AvailabilityZoneId,
    interfaceType: type,
    interfaceTypeRaw: n.InterfaceType ?? 'interface',
    status: n.Status ?? (instanceId ? 'in-use' : 'available'),
    description,
    requesterId: n.RequesterId,
    requesterManaged: n.RequesterManaged ?? false,
    securityGroupIds: (n.Groups ?? []).map((g) => g.GroupId),
    sourceDestCheck: n.SourceDestCheck ?? true,
    privateAddresses: addresses,
    ipv6Addresses: (n.Ipv6Addresses ?? []).map((a) => canonicalIp(a.Ipv6Address) ?? a.Ipv6Address),
    ipv4Prefixes: (n.Ipv4Prefixes ?? []).map((p) => cidrOrRaw(p.Ipv4Prefix)),
    ipv6Prefixes: (n.Ipv6Prefixes ?? []).map((p) => cidrOrRaw(p.Ipv6Prefix)),
    attachment: n.Attachment || instanceId
      ? { instanceId, deviceIndex: n.Attachment?.DeviceIndex, status: n.Attachment?.Status }
      : undefined,
    owner: interfaceOwner(type, description, instanceId, n.NetworkInterfaceId, account, region, n.RequesterId),
  };
}

const networkInterfaces: Handler = (ctx, el) => {
  const n = parse(ctx, S.NetworkInterfaceShape, el);
  if (!n) return;
  const eni = buildNetworkInterface(ctx, n, {});
  if (eni) ctx.builder.add(eni, el);
};

const reservations: Handler = (ctx, el) => {
  const r = parse(ctx, S.ReservationShape, el);
  if (!r) return;
  (r.Instances ?? []).forEach((raw, i) => {
    const ictx: ElementContext = { ...ctx, path: `${ctx.path}.Instances[${i}]` };
    const inst = parse(ictx, S.InstanceShape, raw);
    if (!inst) return;
    const tags = tagsOf(inst.Tags);
    const account = accountOf(ictx, r.OwnerId);
    const region = regionOf(ictx, undefined, inst.Placement?.AvailabilityZone);
    const state = inst.State?.Name ?? 'running';
    if (ignoreIf(ictx, 'instance', inst.InstanceId, account, region, state, ['terminated', 'shutting-down'])) return;
    const eniIds: string[] = [];
    (inst.NetworkInterfaces ?? []).forEach((n, j) => {
      eniIds.push(n.NetworkInterfaceId);
      const eni = buildNetworkInterface(
        { ...ictx, file: { ...ictx.file, account } },
        n,
        { vpcId: inst.VpcId, subnetId: inst.SubnetId, az: inst.Placement?.AvailabilityZone, instanceId: inst.InstanceId },
        `.NetworkInterfaces[${j}]`,
      );
      if (eni) ctx.builder.instanceInterfaces.push(eni);
    });
    ctx.builder.add(
      {
        kind: 'instance',
        id: inst.InstanceId,
        account,
        region,
        name: tags.Name,
        tags,
        source: src(ictx),
        state,
        vpcId: inst.VpcId,
        subnetId: inst.SubnetId,
        availabilityZone: inst.Placement?.AvailabilityZone,
        privateIp: inst.PrivateIpAddress,
        publicIp: inst.PublicIpAddress,
        privateDnsName: inst.PrivateDnsName || undefined,
        publicDnsName: inst.PublicDnsName || undefined,
        networkInterfaceIds: eniIds,
        sourceDestCheck: inst.SourceDestCheck ?? true,
        metadataEndpointEnabled: lower(inst.MetadataOptions?.HttpEndpoint) !== 'disabled',
        instanceType: inst.InstanceType,
      },
      raw,
    );
  });
};

const internetGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.InternetGatewayShape, el);
  if (!g) return;
  ctx.builder.add(
    {
      kind: 'internet-gateway',
      ...identity(ctx, g.InternetGatewayId, g.Tags, accountOf(ctx, g.OwnerId), regionOf(ctx)),
      attachments: (g.Attachments ?? []).map((a) => ({ vpcId: a.VpcId, state: a.State ?? 'available' })),
    },
    el,
  );
};

const egressOnlyInternetGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.EgressOnlyInternetGatewayShape, el);
  if (!g) return;
  ctx.builder.add(
    {
      kind: 'egress-only-internet-gateway',
      ...identity(ctx, g.EgressOnlyInternetGatewayId, g.Tags, accountOf(ctx, g.OwnerId), regionOf(ctx)),
      attachments: (g.Attachments ?? []).map((a) => ({ vpcId: a.VpcId, state: a.State ?? 'attached' })),
    },
    el,
  );
};

const natGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.NatGatewayShape, el);
  if (!g) return;
  const account = accountOf(ctx);
  const region = regionOf(ctx);
  const state = g.State ?? 'available';
  if (ignoreIf(ctx, 'nat-gateway', g.NatGatewayId, account, region, state, ['deleted', 'deleting', 'failed'])) return;
  ctx.builder.add(
    {
      kind: 'nat-gateway',
      ...identity(ctx, g.NatGatewayId, g.Tags, account, region),
      vpcId: g.VpcId,
      subnetId: g.SubnetId,
      state,
      connectivity: g.ConnectivityType === 'private' ? 'private' : 'public',
      addresses: (g.NatGatewayAddresses ?? []).map((a, i, all) => ({
        networkInterfaceId: a.NetworkInterfaceId,
        privateIp: a.PrivateIp,
        publicIp: a.PublicIp,
        allocationId: a.AllocationId,
        primary: a.IsPrimary ?? (i === 0 && all.length >= 1),
      })),
    },
    el,
  );
};

const addresses: Handler = (ctx, el) => {
  const a = parse(ctx, S.AddressShape, el);
  if (!a) return;
  ctx.builder.add(
    {
      kind: 'elastic-ip',
      ...identity(ctx, a.AllocationId ?? a.PublicIp, a.Tags, accountOf(ctx, a.NetworkInterfaceOwnerId), regionOf(ctx)),
      publicIp: a.PublicIp,
      allocationId: a.AllocationId,
      associationId: a.AssociationId,
      networkInterfaceId: a.NetworkInterfaceId,
      privateIp: a.PrivateIpAddress,
      instanceId: a.InstanceId,
      serviceManaged: a.ServiceManaged,
    },
    el,
  );
};

function endpointType(t: string | undefined): VpcEndpointType {
  switch (lower(t)) {
    case 'gateway':
      return 'gateway';
    case 'gatewayloadbalancer':
      return 'gateway-load-balancer';
    case 'resource':
      return 'resource';
    case 'servicenetwork':
      return 'service-network';
    default:
      return 'interface';
  }
}

const vpcEndpoints: Handler = (ctx, el) => {
  const e = parse(ctx, S.VpcEndpointShape, el);
  if (!e) return;
  const account = accountOf(ctx, e.OwnerId);
  const region = regionOf(ctx);
  // Real output uses lower camel case (`available`, `pendingAcceptance`); compare case-insensitively (§12).
  const state = lower(e.State ?? 'available');
  if (ignoreIf(ctx, 'vpc-endpoint', e.VpcEndpointId, account, region, state, ['deleted', 'deleting', 'failed', 'expired'])) return;
  ctx.builder.add(
    {
      kind: 'vpc-endpoint',
      ...identity(ctx, e.VpcEndpointId, e.Tags, account, region),
      endpointType: endpointType(e.VpcEndpointType),
      vpcId: e.VpcId,
      serviceName: e.ServiceName,
      state,
      routeTableIds: e.RouteTableIds ?? [],
      subnetIds: e.SubnetIds ?? [],
      networkInterfaceIds: e.NetworkInterfaceIds ?? [],
      securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId),
      privateDnsEnabled: e.PrivateDnsEnabled ?? false,
      dnsEntries: (e.DnsEntries ?? []).map((d) => ({ dnsName: d.DnsName.toLowerCase().replace(/\.$/, ''), hostedZoneId: d.HostedZoneId })),
      ipAddressType: e.IpAddressType,
      policyDocument: e.PolicyDocument,
    },
    el,
  );
};

const serviceConfigurations: Handler = (ctx, el) => {
  const c = parse(ctx, S.ServiceConfigurationShape, el);
  if (!c) return;
  ctx.builder.add(
    {
      kind: 'endpoint-service',
      ...identity(ctx, c.ServiceId, c.Tags, accountOf(ctx, undefined, c.NetworkLoadBalancerArns?.[0] ?? c.GatewayLoadBalancerArns?.[0]), regionOf(ctx, c.NetworkLoadBalancerArns?.[0] ?? c.GatewayLoadBalancerArns?.[0])),
      serviceName: c.ServiceName,
      serviceType: c.ServiceType?.[0]?.ServiceType ?? 'Interface',
      state: lower(c.ServiceState ?? 'available'),
      availabilityZones: c.AvailabilityZones ?? [],
      availabilityZoneIds: c.AvailabilityZoneIds ?? [],
      acceptanceRequired: c.AcceptanceRequired ?? false,
      networkLoadBalancerArns: c.NetworkLoadBalancerArns ?? [],
      gatewayLoadBalancerArns: c.GatewayLoadBalancerArns ?? [],
      privateDnsName: c.PrivateDnsName ?? c.PrivateDnsNameConfiguration?.Name,
      privateDnsVerified: c.PrivateDnsNameConfiguration?.State ? lower(c.PrivateDnsNameConfiguration.State) === 'verified' : undefined,
      allowedPrincipals: [],
      connections: [],
      consumerViewOnly: false,
    },
    el,
  );
};

/** Consumer-side view of services (describe-vpc-endpoint-services); kept when the provider is not in the snapshot. */
const serviceDetails: Handler = (ctx, el) => {
  const d = parse(ctx, S.ServiceDetailShape, el);
  if (!d) return;
  // AWS's own services have no ServiceId worth keeping apart; key them by name.
  ctx.builder.serviceDetails.push({
    detail: {
      kind: 'endpoint-service',
      id: d.ServiceId ?? d.ServiceName,
      account: d.Owner && /^\d{12}$/.test(d.Owner) ? d.Owner : d.Owner === 'amazon' ? 'amazon' : accountOf(ctx),
      region: regionOf(ctx),
      tags: {},
      source: src(ctx),
      serviceName: d.ServiceName,
      serviceType: d.ServiceType?.[0]?.ServiceType ?? 'Interface',
      state: 'available',
      availabilityZones: d.AvailabilityZones ?? [],
      availabilityZoneIds: d.AvailabilityZoneIds ?? [],
      acceptanceRequired: d.AcceptanceRequired ?? false,
      networkLoadBalancerArns: [],
      gatewayLoadBalancerArns: [],
      privateDnsName: d.PrivateDnsName,
      privateDnsVerified: d.PrivateDnsNameVerificationState ? lower(d.PrivateDnsNameVerificationState) === 'verified' : undefined,
      allowedPrincipals: [],
      connections: [],
      consumerViewOnly: true,
    },
  });
};

const endpointConnections: Handler = (ctx, el) => {
  const c = parse(ctx, S.EndpointConnectionShape, el);
  if (!c) return;
  ctx.builder.serviceConnections.push({
    parent: c.ServiceId,
    items: [{ endpointId: c.VpcEndpointId, endpointOwner: c.VpcEndpointOwner, state: lower(c.VpcEndpointState ?? 'available') }],
    source: src(ctx),
  });
};

// ---------- parent-less child lists ----------

/** Finds the parent of a child list: a key beside the list, else a token of the file name or folder. */
function parentOf(ctx: FileContext, key: string, pattern: RegExp): string | undefined {
  const v = ctx.document[key];
  if (typeof v === 'string' && v) return v;
  return ctx.file.hintTokens.find((t) => pattern.test(t));
}

function requireParent(ctx: ElementContext, what: string, key: string, pattern: RegExp): string | undefined {
  const p = parentOf(ctx, key, pattern);
  if (!p && ctx.path.endsWith('[0]')) {
    ctx.builder.issue({
      code: 'MISSING_PARENT',
      severity: 'error',
      source: { file: ctx.file.displayPath, path: '$' },
      message: `${ctx.key} does not say which ${what} it belongs to: add "${key}" beside the list or put the id in the file name (docs/snapshot-format.md); file skipped`,
    });
  }
  return p;
}

/** The parent of an empty child list; without one the list says nothing, which is worth a warning, not an error. */
function emptyListParent(ctx: ElementContext, what: string, key: string, pattern: RegExp): string | undefined {
  const p = parentOf(ctx, key, pattern);
  if (!p)
    ctx.builder.issue({
      code: 'MISSING_PARENT',
      severity: 'warning',
      source: { file: ctx.file.displayPath, path: ctx.path },
      message: `${ctx.key} is empty and does not say which ${what} it belongs to: add "${key}" beside the list or put the id in the file name (docs/snapshot-format.md); ignored`,
    });
  return p;
}

const ZONE = /^(\/hostedzone\/)?Z[A-Z0-9]+$/;
const TGW_RTB = /^tgw-rtb-[0-9a-f]+$/;
const PREFIX_LIST = /^pl-[0-9a-f]+$/;
const SERVICE_ID = /^vpce-svc-[0-9a-f]+$/;
const ANY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function zoneId(id: string): string {
  return id.replace(/^\/hostedzone\//, '');
}

/** Route 53 escapes `*` and other characters as `\ooo` octal (aws-vpc-semantics §10.4). */
export function normaliseDnsName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

const resourceRecordSets: Handler = (ctx, el) => {
  const parent = requireParent(ctx, 'hosted zone', 'HostedZoneId', ZONE);
  if (!parent) return;
  const r = parse(ctx, S.ResourceRecordSetShape, el);
  if (!r) return;
  const rec: DnsRecord = {
    name: normaliseDnsName(r.Name),
    type: r.Type.toUpperCase(),
    ttl: r.TTL,
    values: (r.ResourceRecords ?? []).map((v) => v.Value),
    alias: r.AliasTarget
      ? { dnsName: normaliseDnsName(r.AliasTarget.DNSName), hostedZoneId: r.AliasTarget.HostedZoneId, evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false }
      : undefined,
    setIdentifier: r.SetIdentifier,
    weight: r.Weight,
    multiValueAnswer: r.MultiValueAnswer,
    failover: r.Failover,
    region: r.Region,
    source: src(ctx),
  };
  ctx.builder.zoneRecords.push({ parent: zoneId(parent), items: [rec], source: src(ctx) });
};

function tgwRouteTableChild(ctx: ElementContext): string | undefined {
  return requireParent(ctx, 'transit gateway route table', 'TransitGatewayRouteTableId', TGW_RTB);
}

const tgwRoutes: Handler = (ctx, el) => {
  const parent = tgwRouteTableChild(ctx);
  if (!parent) return;
  const r = parse(ctx, S.TransitGatewayRouteShape, el);
  if (!r) return;
  const destination = r.PrefixListId
    ? ({ kind: 'prefix-list', prefixListId: r.PrefixListId } as const)
    : ({ kind: 'cidr', cidr: cidrOrRaw(r.DestinationCidrBlock ?? '') } as const);
  ctx.builder.tgwRoutes.push({
    parent,
    source: src(ctx),
    items: [
      {
        destination,
        type: lower(r.Type) === 'propagated' ? 'propagated' : 'static',
        state: lower(r.State ?? 'active'),
        attachmentIds: (r.TransitGatewayAttachments ?? []).flatMap((a) => (a.TransitGatewayAttachmentId ? [a.TransitGatewayAttachmentId] : [])),
        source: src(ctx),
      },
    ],
  });
};

/**
 * `Routes: []` for a named table: its routes are known and there are none. Batfish writes this for every
 * TGW route table without static routes; the linker may still add the routes its propagations imply.
 */
const tgwRoutesEmpty: EmptyListHandler = (ctx) => {
  const parent = emptyListParent(ctx, 'transit gateway route table', 'TransitGatewayRouteTableId', TGW_RTB);
  if (parent) ctx.builder.tgwRoutes.push({ parent, items: [], source: src(ctx) });
};

const tgwAssociations: Handler = (ctx, el) => {
  const parent = tgwRouteTableChild(ctx);
  if (!parent) return;
  const a = parse(ctx, S.TransitGatewayRouteTableLinkShape, el);
  if (!a) return;
  if (a.State && !['associated', 'associating'].includes(lower(a.State))) return;
  ctx.builder.tgwAssociations.push({ parent, items: [a.TransitGatewayAttachmentId], source: src(ctx) });
};

const tgwPropagations: Handler = (ctx, el) => {
  const parent = tgwRouteTableChild(ctx);
  if (!parent) return;
  const a = parse(ctx, S.TransitGatewayRouteTableLinkShape, el);
  if (!a) return;
  if (a.State && !['enabled', 'enabling'].includes(lower(a.State))) return;
  ctx.builder.tgwPropagations.push({ parent, items: [a.TransitGatewayAttachmentId], source: src(ctx) });
};

const prefixListEntries: Handler = (ctx, el) => {
  const parent = requireParent(ctx, 'prefix list', 'PrefixListId', PREFIX_LIST);
  if (!parent) return;
  const e = parse(ctx, S.PrefixListEntryShape, el);
  if (!e) return;
  ctx.builder.prefixListEntries.push({ parent, items: [cidrOrRaw(e.Cidr)], source: src(ctx) });
};

/** `TargetHealthDescriptions: []` for a named target group: its targets are known and there are none. */
const targetHealthEmpty: EmptyListHandler = (ctx) => {
  const parent = emptyListParent(ctx, 'target group', 'TargetGroupArn', ANY);
  if (parent) ctx.builder.targetHealth.push({ parent, account: ctx.file.account, region: ctx.file.region, source: src(ctx), items: [] });
};

const targetHealth: Handler = (ctx, el) => {
  const parent = requireParent(ctx, 'target group', 'TargetGroupArn', ANY);
  if (!parent) return;
  const t = parse(ctx, S.TargetHealthDescriptionShape, el);
  if (!t) return;
  ctx.builder.targetHealth.push({
    parent,
    account: ctx.file.account,
    region: ctx.file.region,
    source: src(ctx),
    items: [
      {
        id: t.Target.Id,
        port: t.Target.Port,
        availabilityZone: t.Target.AvailabilityZone,
        healthState: t.TargetHealth?.State ? lower(t.TargetHealth.State) : undefined,
        healthReason: t.TargetHealth?.Reason,
        source: src(ctx),
      },
    ],
  });
};

const attributes: Handler = (ctx, el) => {
  const a = parse(ctx, S.AttributeShape, el);
  if (!a) return;
  const tg = ctx.document.TargetGroupArn;
  const lb = ctx.document.LoadBalancerArn;
  const parent = typeof tg === 'string' ? tg : typeof lb === 'string' ? lb : ctx.file.hintTokens.find((t) => ANY.test(t));
  if (!parent) {
    requireParent(ctx, 'target group or load balancer', 'TargetGroupArn', /^$/);
    return;
  }
  const parentKind = typeof tg === 'string' ? 'target-group' : typeof lb === 'string' ? 'load-balancer' : 'unknown';
  ctx.builder.attributes.push({
    parent,
    parentKind,
    account: ctx.file.account,
    region: ctx.file.region,
    values: { [a.Key]: a.Value === undefined ? '' : String(a.Value) },
    source: src(ctx),
  });
};

// ---------- Classic Load Balancing: calls made per load balancer ----------

/** The states `elb describe-instance-health` reports (API 2012-06-01 InstanceState.State), in AWS spelling. */
const CLASSIC_STATES = ['InService', 'OutOfService', 'Unknown'] as const;

function classicState(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  return CLASSIC_STATES.find((s) => s.toLowerCase() === state.toLowerCase()) ?? state;
}

/** `InstanceStates: []` beside a named Classic load balancer: its health is known and no instance is registered. */
const instanceHealthEmpty: EmptyListHandler = (ctx) => {
  const parent = emptyListParent(ctx, 'Classic load balancer', 'LoadBalancerName', ANY);
  if (parent) ctx.builder.classicInstanceHealth.push({ parent, account: ctx.file.account, region: ctx.file.region, source: src(ctx), items: [] });
};

/** `elb describe-instance-health` → one instance's health on the Classic load balancer named beside the list or in the file name. */
const instanceHealth: Handler = (ctx, el) => {
  const parent = requireParent(ctx, 'Classic load balancer', 'LoadBalancerName', ANY);
  if (!parent) return;
  const h = parse(ctx, S.InstanceStateShape, el);
  if (!h) return;
  // `N/A` is what AWS reports when there is nothing to say (InService instances).
  const reason = [h.ReasonCode, h.Description].filter((x) => x && x !== 'N/A').join(': ');
  ctx.builder.classicInstanceHealth.push({
    parent,
    account: ctx.file.account,
    region: ctx.file.region,
    source: src(ctx),
    items: [{ id: h.InstanceId, healthState: classicState(h.State), ...(reason ? { healthReason: reason } : {}), source: src(ctx) }],
  });
};

/**
 * `elb describe-load-balancer-attributes` → `LoadBalancerAttributes`, one object. Read into the load balancer's
 * attributes under ELBv2-style keys (docs/snapshot-format.md); `load_balancing.cross_zone.enabled` is the one
 * the trace reads.
 */
const classicAttributes: Handler = (ctx, el) => {
  const parent = parentOf(ctx, 'LoadBalancerName', ANY);
  if (!parent) {
    ctx.builder.issue({
      code: 'MISSING_PARENT',
      severity: 'error',
      source: { file: ctx.file.displayPath, path: '$' },
      message: `${ctx.key} does not say which Classic load balancer it belongs to: add "LoadBalancerName" beside it or put the name in the file name (docs/snapshot-format.md); file skipped`,
    });
    return;
  }
  const a = parse(ctx, S.ClassicLoadBalancerAttributesShape, el);
  if (!a) return;
  const values: Record<string, string> = {};
  if (a.CrossZoneLoadBalancing) values['load_balancing.cross_zone.enabled'] = String(a.CrossZoneLoadBalancing.Enabled);
  if (a.ConnectionDraining) {
    values['connection_draining.enabled'] = String(a.ConnectionDraining.Enabled);
    if (a.ConnectionDraining.Timeout !== undefined) values['connection_draining.timeout_seconds'] = String(a.ConnectionDraining.Timeout);
  }
  if (a.ConnectionSettings) values['idle_timeout.timeout_seconds'] = String(a.ConnectionSettings.IdleTimeout);
  if (a.AccessLog) {
    values['access_logs.s3.enabled'] = String(a.AccessLog.Enabled);
    if (a.AccessLog.S3BucketName !== undefined) values['access_logs.s3.bucket'] = a.AccessLog.S3BucketName;
    if (a.AccessLog.S3BucketPrefix !== undefined) values['access_logs.s3.prefix'] = a.AccessLog.S3BucketPrefix;
  }
  for (const x of a.AdditionalAttributes ?? []) if (x.Key) values[x.Key] = x.Value ?? '';
  ctx.builder.attributes.push({ parent, parentKind: 'classic-load-balancer', account: ctx.file.account, region: ctx.file.region, values, source: src(ctx) });
};

const allowedPrincipals: Handler = (ctx, el) => {
  const p = parse(ctx, S.AllowedPrincipalShape, el);
  if (!p) return;
  const parent = p.ServiceId ?? requireParent(ctx, 'endpoint service', 'ServiceId', SERVICE_ID);
  if (!parent) return;
  ctx.builder.servicePermissions.push({ parent, items: [p.Principal], source: src(ctx) });
};

// ---------- prefix lists, peering ----------

const prefixLists: Handler = (ctx, el) => {
  const p = parse(ctx, S.PrefixListShape, el);
  if (!p) return;
  const tags = tagsOf(p.Tags);
  const name = p.PrefixListName ?? p.PrefixListId;
  const cidrs = (p.Cidrs ?? []).map(cidrOrRaw);
  const fam = p.AddressFamily === 'IPv6' ? 'IPv6' : p.AddressFamily === 'IPv4' ? 'IPv4' : undefined;
  ctx.builder.prefixListHeads.push({
    resource: {
      kind: 'prefix-list',
      id: p.PrefixListId,
      account: accountOf(ctx, /^\d{12}$/.test(p.OwnerId ?? '') ? p.OwnerId : undefined, p.PrefixListArn),
      region: regionOf(ctx, p.PrefixListArn),
      name: tags.Name ?? name,
      tags,
      source: src(ctx),
      prefixListName: name,
      addressFamily: fam,
      cidrs,
      ownerId: p.OwnerId,
      awsManaged: p.OwnerId === 'AWS' || name.startsWith('com.amazonaws.'),
    },
  });
};

function peeringSide(s: z.infer<typeof S.VpcPeeringConnectionShape>['RequesterVpcInfo']) {
  const cidrs = (s?.CidrBlockSet ?? []).map((c) => cidrOrRaw(c.CidrBlock));
  if (s?.CidrBlock && !cidrs.includes(cidrOrRaw(s.CidrBlock))) cidrs.unshift(cidrOrRaw(s.CidrBlock));
  return {
    vpcId: s?.VpcId ?? 'unknown',
    account: s?.OwnerId,
    region: s?.Region,
    cidrs,
    ipv6Cidrs: (s?.Ipv6CidrBlockSet ?? []).map((c) => cidrOrRaw(c.Ipv6CidrBlock)),
    allowDnsResolutionFromRemoteVpc: s?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc,
  };
}

const peeringConnections: Handler = (ctx, el) => {
  const p = parse(ctx, S.VpcPeeringConnectionShape, el);
  if (!p) return;
  const status = lower(p.Status?.Code ?? 'active');
  const account = accountOf(ctx, p.RequesterVpcInfo?.OwnerId);
  const region = ctx.file.region ?? p.RequesterVpcInfo?.Region ?? 'unknown';
  if (ignoreIf(ctx, 'vpc-peering-connection', p.VpcPeeringConnectionId, account, region, status, ['deleted', 'rejected', 'failed', 'expired'])) return;
  ctx.builder.add(
    {
      kind: 'vpc-peering-connection',
      ...identity(ctx, p.VpcPeeringConnectionId, p.Tags, account, region),
      status,
      requester: peeringSide(p.RequesterVpcInfo),
      accepter: peeringSide(p.AccepterVpcInfo),
    },
    { ...(el as object), Tags: undefined },
  );
};

// ---------- transit gateway ----------

const enabled = (s: string | undefined) => lower(s) === 'enable';

const transitGateways: Handler = (ctx, el) => {
  const t = parse(ctx, S.TransitGatewayShape, el);
  if (!t) return;
  const account = accountOf(ctx, t.OwnerId, t.TransitGatewayArn);
  const region = regionOf(ctx, t.TransitGatewayArn);
  const state = lower(t.State ?? 'available');
  if (ignoreIf(ctx, 'transit-gateway', t.TransitGatewayId, account, region, state, ['deleted', 'deleting'])) return;
  const o = t.Options;
  ctx.builder.add(
    {
      kind: 'transit-gateway',
      ...identity(ctx, t.TransitGatewayId, t.Tags, account, region),
      state,
      amazonSideAsn: o?.AmazonSideAsn,
      defaultAssociationRouteTableId: enabled(o?.DefaultRouteTableAssociation ?? 'enable') ? o?.AssociationDefaultRouteTableId : undefined,
      defaultPropagationRouteTableId: enabled(o?.DefaultRouteTablePropagation ?? 'enable') ? o?.PropagationDefaultRouteTableId : undefined,
      dnsSupport: enabled(o?.DnsSupport ?? 'enable'),
      securityGroupReferencingSupport: enabled(o?.SecurityGroupReferencingSupport ?? 'disable'),
      vpnEcmpSupport: enabled(o?.VpnEcmpSupport ?? 'enable'),
    },
    el,
  );
};

function attachmentType(t: string | undefined): TransitGatewayAttachmentType {
  const v = lower(t);
  return (['vpc', 'vpn', 'direct-connect-gateway', 'connect', 'peering', 'tgw-peering', 'network-function'] as const).find((x) => x === v) ?? 'other';
}

const transitGatewayAttachments: Handler = (ctx, el) => {
  const a = parse(ctx, S.TransitGatewayAttachmentShape, el);
  if (!a) return;
  const account = accountOf(ctx, a.TransitGatewayOwnerId);
  const region = regionOf(ctx);
  const state = lower(a.State ?? 'available');
  if (ignoreIf(ctx, 'transit-gateway-attachment', a.TransitGatewayAttachmentId, account, region, state, ['deleted', 'deleting', 'failed', 'rejected'])) return;
  // A peering attachment is listed by both transit gateways' accounts/regions, each naming its own side;
  // one record is kept and each side's route-table association comes from that side's tables.
  if (attachmentType(a.ResourceType) === 'peering' && ctx.builder.has('transit-gateway-attachment', a.TransitGatewayAttachmentId)) return;
  ctx.builder.add(
    {
      kind: 'transit-gateway-attachment',
      ...identity(ctx, a.TransitGatewayAttachmentId, a.Tags, account, region),
      transitGatewayId: a.TransitGatewayId,
      transitGatewayOwner: a.TransitGatewayOwnerId,
      resourceType: attachmentType(a.ResourceType),
      resourceId: a.ResourceId,
      resourceOwner: a.ResourceOwnerId,
      state,
      associatedRouteTableId:
        a.Association?.TransitGatewayRouteTableId && lower(a.Association.State ?? 'associated') === 'associated'
          ? a.Association.TransitGatewayRouteTableId
          : undefined,
      subnetIds: [],
      applianceMode: false,
      ipv6Support: false,
    },
    el,
  );
};

const transitGatewayVpcAttachments: Handler = (ctx, el) => {
  const a = parse(ctx, S.TransitGatewayVpcAttachmentShape, el);
  if (!a) return;
  ctx.builder.vpcAttachmentDetails.set(a.TransitGatewayAttachmentId, {
    vpcId: a.VpcId,
    vpcOwner: a.VpcOwnerId,
    subnetIds: a.SubnetIds ?? [],
    applianceMode: enabled(a.Options?.ApplianceModeSupport),
    ipv6Support: enabled(a.Options?.Ipv6Support),
    state: a.State ? lower(a.State) : undefined,
    tgwId: a.TransitGatewayId,
    source: src(ctx),
    account: accountOf(ctx, a.VpcOwnerId),
    region: regionOf(ctx),
  });
};

const transitGatewayPeeringAttachments: Handler = (ctx, el) => {
  const a = parse(ctx, S.TransitGatewayPeeringAttachmentShape, el);
  if (!a) return;
  const side = (i: z.infer<typeof S.TransitGatewayPeeringAttachmentShape>['RequesterTgwInfo']) => ({
    transitGatewayId: i.TransitGatewayId,
    account: i.OwnerId,
    region: i.Region,
  });
  ctx.builder.peeringAttachmentDetails.set(a.TransitGatewayAttachmentId, {
    requester: side(a.RequesterTgwInfo),
    accepter: side(a.AccepterTgwInfo),
    state: lower(a.State ?? a.Status?.Code ?? 'available'),
    source: src(ctx),
    account: accountOf(ctx, a.RequesterTgwInfo.OwnerId),
    region: regionOf(ctx),
  });
};

const transitGatewayRouteTables: Handler = (ctx, el) => {
  const t = parse(ctx, S.TransitGatewayRouteTableShape, el);
  if (!t) return;
  ctx.builder.add(
    {
      kind: 'transit-gateway-route-table',
      ...identity(ctx, t.TransitGatewayRouteTableId, t.Tags, accountOf(ctx), regionOf(ctx)),
      transitGatewayId: t.TransitGatewayId,
      state: lower(t.State ?? 'available'),
      defaultAssociation: t.DefaultAssociationRouteTable ?? false,
      defaultPropagation: t.DefaultPropagationRouteTable ?? false,
      routes: [],
      associatedAttachmentIds: [],
      propagatingAttachmentIds: [],
      routesKnown: false,
    },
    el,
  );
};

// ---------- VPN, Direct Connect ----------

const vpnConnections: Handler = (ctx, el) => {
  const v = parse(ctx, S.VpnConnectionShape, el);
  if (!v) return;
  const account = accountOf(ctx);
  const region = regionOf(ctx);
  const state = lower(v.State ?? 'available');
  if (ignoreIf(ctx, 'vpn-connection', v.VpnConnectionId, account, region, state, ['deleted', 'deleting'])) return;
  ctx.builder.add(
    {
      kind: 'vpn-connection',
      ...identity(ctx, v.VpnConnectionId, v.Tags, account, region),
      state,
      customerGatewayId: v.CustomerGatewayId,
      vpnGatewayId: v.VpnGatewayId,
      transitGatewayId: v.TransitGatewayId,
      staticRoutesOnly: v.Options?.StaticRoutesOnly ?? false,
      routes: (v.Routes ?? []).map((r) => ({ cidr: cidrOrRaw(r.DestinationCidrBlock), state: lower(r.State ?? 'available') })),
      tunnels: (v.VgwTelemetry ?? []).map((t) => ({ outsideIp: t.OutsideIpAddress, status: (t.Status ?? 'UP').toUpperCase(), statusMessage: t.StatusMessage })),
      localNetworkCidr: v.Options?.LocalIpv4NetworkCidr,
      remoteNetworkCidr: v.Options?.RemoteIpv4NetworkCidr,
    },
    // The customer gateway configuration holds pre-shared keys: never fingerprinted, stored or printed.
    { ...(el as Record<string, unknown>), CustomerGatewayConfiguration: undefined },
  );
};

const vpnGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.VpnGatewayShape, el);
  if (!g) return;
  const account = accountOf(ctx);
  const region = regionOf(ctx);
  const state = lower(g.State ?? 'available');
  if (ignoreIf(ctx, 'vpn-gateway', g.VpnGatewayId, account, region, state, ['deleted', 'deleting'])) return;
  ctx.builder.add(
    {
      kind: 'vpn-gateway',
      ...identity(ctx, g.VpnGatewayId, g.Tags, account, region),
      state,
      amazonSideAsn: g.AmazonSideAsn,
      attachments: (g.VpcAttachments ?? []).map((a) => ({ vpcId: a.VpcId, state: lower(a.State ?? 'attached') })),
    },
    el,
  );
};

const customerGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.CustomerGatewayShape, el);
  if (!g) return;
  const account = accountOf(ctx);
  const region = regionOf(ctx);
  const state = lower(g.State ?? 'available');
  if (ignoreIf(ctx, 'customer-gateway', g.CustomerGatewayId, account, region, state, ['deleted', 'deleting'])) return;
  ctx.builder.add(
    {
      kind: 'customer-gateway',
      ...identity(ctx, g.CustomerGatewayId, g.Tags, account, region),
      state,
      ipAddress: g.IpAddress,
      bgpAsn: g.BgpAsn === undefined ? undefined : String(g.BgpAsn),
      deviceName: g.DeviceName,
    },
    el,
  );
};

const directConnectGateways: Handler = (ctx, el) => {
  const g = parse(ctx, S.DirectConnectGatewayShape, el);
  if (!g) return;
  ctx.builder.add(
    {
      kind: 'direct-connect-gateway',
      id: g.directConnectGatewayId,
      account: accountOf(ctx, g.ownerAccount),
      region: regionOf(ctx),
      name: g.directConnectGatewayName,
      tags: {},
      source: src(ctx),
      state: lower(g.directConnectGatewayState ?? 'available'),
      amazonSideAsn: g.amazonSideAsn,
    },
    el,
  );
};

function associatedGatewayType(type: string | undefined, id: string): DirectConnectGatewayAssociation['gatewayType'] {
  const t = lower(type);
  if (t === 'virtualprivategateway' || (!t && id.startsWith('vgw-'))) return 'virtual-private-gateway';
  if (t === 'transitgateway' || (!t && id.startsWith('tgw-'))) return 'transit-gateway';
  return 'other';
}

/**
 * One Direct Connect gateway association. The associated gateway comes from `associatedGateway`, else from
 * the older `virtualGatewayId` members; an element naming neither is reported and skipped.
 */
const directConnectGatewayAssociations: Handler = (ctx, el) => {
  const a = parse(ctx, S.DirectConnectGatewayAssociationShape, el);
  if (!a) return;
  const gatewayId = a.associatedGateway?.id ?? a.virtualGatewayId;
  if (!gatewayId) {
    ctx.builder.issue({
      code: 'INVALID_FIELD',
      severity: 'error',
      source: src(ctx, '.associatedGateway'),
      message: 'expected associatedGateway (or virtualGatewayId), got nothing; element skipped',
    });
    return;
  }
  const prefixes = a.allowedPrefixesToDirectConnectGateway ?? [];
  const bad = prefixes.findIndex((p) => canonicalCidr(p.cidr) === undefined);
  if (bad >= 0) {
    ctx.builder.issue({
      code: 'INVALID_FIELD',
      severity: 'error',
      source: src(ctx, `.allowedPrefixesToDirectConnectGateway[${bad}].cidr`),
      message: `expected a CIDR block, got "${prefixes[bad]?.cidr}"; element skipped`,
    });
    return;
  }
  ctx.builder.dxAssociations.push({
    ...(a.associationId ? { associationId: a.associationId } : {}),
    directConnectGatewayId: a.directConnectGatewayId,
    state: lower(a.associationState ?? 'associated'),
    gatewayId,
    gatewayType: associatedGatewayType(a.associatedGateway?.type, gatewayId),
    gatewayOwner: a.associatedGateway?.ownerAccount ?? a.virtualGatewayOwnerAccount,
    gatewayRegion: a.associatedGateway?.region ?? a.virtualGatewayRegion,
    allowedPrefixes: prefixes.map((p) => cidrOrRaw(p.cidr)),
    source: src(ctx),
  });
};

/** `directConnectGatewayAssociations: []` beside `directConnectGatewayId`: that gateway has no associations. */
const directConnectGatewayAssociationsEmpty: EmptyListHandler = (ctx) => {
  const id = ctx.document.directConnectGatewayId;
  if (typeof id === 'string' && id) ctx.builder.dxGatewaysWithoutAssociations.push({ id, source: src(ctx) });
};

// ---------- Elastic Load Balancing ----------

const loadBalancers: Handler = (ctx, el) => {
  const lb = parse(ctx, S.LoadBalancerShape, el);
  if (!lb) return;
  const account = accountOf(ctx, undefined, lb.LoadBalancerArn);
  const region = regionOf(ctx, lb.LoadBalancerArn);
  const type: LoadBalancerType = lb.Type === 'network' ? 'network' : lb.Type === 'gateway' ? 'gateway' : 'application';
  const name = lb.LoadBalancerName ?? lb.LoadBalancerArn.split('/')[2] ?? lb.LoadBalancerArn;
  ctx.builder.add(
    {
      kind: 'load-balancer',
      id: lb.LoadBalancerArn,
      arn: lb.LoadBalancerArn,
      account,
      region,
      name,
      tags: {},
      source: src(ctx),
      loadBalancerName: name,
      lbType: type,
      scheme: lb.Scheme === 'internet-facing' ? 'internet-facing' : 'internal',
      vpcId: lb.VpcId,
      state: lower(lb.State?.Code ?? 'active'),
      dnsName: lb.DNSName?.toLowerCase(),
      canonicalHostedZoneId: lb.CanonicalHostedZoneId,
      zones: (lb.AvailabilityZones ?? []).map((z) => ({
        zoneName: z.ZoneName,
        subnetId: z.SubnetId,
        addresses: (z.LoadBalancerAddresses ?? []).map((a) => ({
          publicIp: a.IpAddress,
          allocationId: a.AllocationId,
          privateIp: a.PrivateIPv4Address,
          ipv6: a.IPv6Address,
        })),
      })),
      securityGroupIds: lb.SecurityGroups ?? [],
      ipAddressType: lb.IpAddressType,
      attributes: {},
      networkInterfaceIds: [],
    },
    el,
  );
};

const classicLoadBalancers: Handler = (ctx, el) => {
  const lb = parse(ctx, S.ClassicLoadBalancerShape, el);
  if (!lb) return;
  const account = accountOf(ctx);
  const region = regionOf(ctx, undefined, lb.AvailabilityZones?.[0]);
  const arn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${lb.LoadBalancerName}`;
  ctx.builder.add(
    {
      kind: 'load-balancer',
      id: arn,
      arn,
      account,
      region,
      name: lb.LoadBalancerName,
      tags: {},
      source: src(ctx),
      loadBalancerName: lb.LoadBalancerName,
      lbType: 'classic',
      scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
      vpcId: lb.VPCId,
      state: 'active',
      dnsName: lb.DNSName?.toLowerCase(),
      canonicalHostedZoneId: lb.CanonicalHostedZoneNameID,
      zones: (lb.AvailabilityZones ?? []).map((z, i) => ({ zoneName: z, subnetId: lb.Subnets?.[i], addresses: [] })),
      securityGroupIds: lb.SecurityGroups ?? [],
      attributes: {},
      networkInterfaceIds: [],
      classicInstanceIds: (lb.Instances ?? []).map((i) => i.InstanceId),
    },
    el,
  );
  (lb.ListenerDescriptions ?? []).forEach((d, i) => {
    const l = d.Listener;
    ctx.builder.add(
      {
        kind: 'listener',
        id: `${arn}/listener/${l.Protocol ?? 'TCP'}/${l.LoadBalancerPort ?? i}`,
        arn: `${arn}/listener/${l.Protocol ?? 'TCP'}/${l.LoadBalancerPort ?? i}`,
        account,
        region,
        tags: {},
        source: src(ctx, `.ListenerDescriptions[${i}]`),
        loadBalancerArn: arn,
        port: l.LoadBalancerPort,
        protocol: l.Protocol?.toUpperCase(),
        defaultActions: [],
        instancePort: l.InstancePort,
        instanceProtocol: l.InstanceProtocol?.toUpperCase(),
      },
      d,
    );
  });
};

const listeners: Handler = (ctx, el) => {
  const l = parse(ctx, S.ListenerShape, el);
  if (!l) return;
  ctx.builder.add(
    {
      kind: 'listener',
      id: l.ListenerArn,
      arn: l.ListenerArn,
      account: accountOf(ctx, undefined, l.ListenerArn),
      region: regionOf(ctx, l.ListenerArn),
      tags: {},
      source: src(ctx),
      loadBalancerArn: l.LoadBalancerArn,
      port: l.Port,
      protocol: l.Protocol?.toUpperCase(),
      defaultActions: (l.DefaultActions ?? []).map((a) => ({
        type: a.Type,
        order: a.Order,
        targetGroups: a.ForwardConfig?.TargetGroups?.length
          ? a.ForwardConfig.TargetGroups.map((t) => ({ arn: t.TargetGroupArn, weight: t.Weight }))
          : a.TargetGroupArn
            ? [{ arn: a.TargetGroupArn }]
            : [],
      })),
    },
    el,
  );
};

const targetGroups: Handler = (ctx, el) => {
  const t = parse(ctx, S.TargetGroupShape, el);
  if (!t) return;
  const tt = lower(t.TargetType);
  ctx.builder.add(
    {
      kind: 'target-group',
      id: t.TargetGroupArn,
      arn: t.TargetGroupArn,
      account: accountOf(ctx, undefined, t.TargetGroupArn),
      region: regionOf(ctx, t.TargetGroupArn),
      name: t.TargetGroupName,
      tags: {},
      source: src(ctx),
      targetGroupName: t.TargetGroupName ?? t.TargetGroupArn,
      protocol: t.Protocol?.toUpperCase(),
      port: t.Port,
      vpcId: t.VpcId,
      targetType: tt === 'ip' ? 'ip' : tt === 'lambda' ? 'lambda' : tt === 'alb' ? 'alb' : 'instance',
      loadBalancerArns: t.LoadBalancerArns ?? [],
      healthCheckPort: t.HealthCheckPort,
      attributes: {},
      targets: [],
      targetsKnown: false,
    },
    el,
  );
};

// ---------- Route 53 ----------

const hostedZones: Handler = (ctx, el) => {
  const z = parse(ctx, S.HostedZoneShape, el);
  if (!z) return;
  ctx.builder.add(
    {
      kind: 'hosted-zone',
      id: zoneId(z.Id),
      account: accountOf(ctx),
      region: ctx.file.region ?? 'global',
      name: normaliseDnsName(z.Name),
      tags: {},
      source: src(ctx),
      zoneName: normaliseDnsName(z.Name),
      privateZone: z.Config?.PrivateZone ?? false,
      vpcs: [],
      records: [],
      recordsKnown: false,
    },
    el,
  );
};

/** `get-hosted-zone` output: `{HostedZone: {...}, VPCs: [...]}` (an object, not a list). */
const hostedZoneSingle: Handler = (ctx, el) => {
  hostedZones(ctx, el);
  const z = S.HostedZoneShape.safeParse(el);
  const vpcsValue = ctx.document.VPCs;
  if (!z.success || !Array.isArray(vpcsValue)) return;
  vpcsValue.forEach((v, i) => {
    const vctx: ElementContext = { ...ctx, key: 'VPCs', path: `$.VPCs[${i}]` };
    const p = parse(vctx, S.HostedZoneVpcShape, v);
    if (!p) return;
    const list = ctx.builder.zoneVpcs.get(zoneId(z.data.Id)) ?? [];
    list.push({ vpcId: p.VPCId, region: p.VPCRegion });
    ctx.builder.zoneVpcs.set(zoneId(z.data.Id), list);
  });
};

/** `list-hosted-zones-by-vpc` → zones associated with the VPC given as `VPCId` beside the list. */
const hostedZoneSummaries: Handler = (ctx, el) => {
  const s = parse(ctx, S.HostedZoneSummaryShape, el);
  if (!s) return;
  const vpcId = parentOf(ctx, 'VPCId', /^vpc-[0-9a-f]+$/);
  if (!vpcId) {
    requireParent(ctx, 'VPC', 'VPCId', /^vpc-[0-9a-f]+$/);
    return;
  }
  const list = ctx.builder.zoneVpcs.get(zoneId(s.HostedZoneId)) ?? [];
  list.push({ vpcId, region: typeof ctx.document.VPCRegion === 'string' ? ctx.document.VPCRegion : ctx.file.region });
  ctx.builder.zoneVpcs.set(zoneId(s.HostedZoneId), list);
};

// ---------- flow logs, zones, regions ----------

const flowLogs: Handler = (ctx, el) => {
  const f = parse(ctx, S.FlowLogShape, el);
  if (!f) return;
  ctx.builder.add(
    {
      kind: 'flow-log',
      ...identity(ctx, f.FlowLogId, f.Tags, accountOf(ctx), regionOf(ctx)),
      resourceId: f.ResourceId,
      trafficType: f.TrafficType ?? 'ALL',
      logFormat: f.LogFormat,
      destinationType: f.LogDestinationType,
      destination: f.LogDestination,
      logGroupName: f.LogGroupName,
      maxAggregationInterval: f.MaxAggregationInterval,
      status: f.FlowLogStatus,
    },
    el,
  );
};

const availabilityZones: Handler = (ctx, el) => {
  const z = parse(ctx, S.AvailabilityZoneShape, el);
  if (!z || !z.ZoneId) return;
  const account = accountOf(ctx);
  const region = ctx.file.region ?? z.RegionName ?? regionOf(ctx, undefined, z.ZoneName);
  ctx.builder.availabilityZones.set(`${account}/${region}/${z.ZoneName}`, { account, region, zoneName: z.ZoneName, zoneId: z.ZoneId });
};

const regions: Handler = (ctx, el) => {
  const r = parse(ctx, S.RegionShape, el);
  if (r) ctx.builder.regionsListed.add(r.RegionName);
};

// ---------- collection errors ----------

/** One entry of `CollectErrors.json`, written by `vpctwin collect` for a call that failed (docs/snapshot-format.md). */
const CollectErrorShape = z.looseObject({
  Call: z.string(),
  Action: z.string().optional(),
  Code: z.string(),
  Message: z.string().optional(),
  Parent: z.string().optional(),
});

/**
 * A call the collector could not make (AccessDenied, an opted-out region, a role it could not assume): what
 * that call returns is unknown, so answers that need it must not read its absence as "nothing there".
 */
const collectErrors: Handler = (ctx, el) => {
  const e = parse(ctx, CollectErrorShape, el);
  if (!e) return;
  const account = ctx.file.account ?? 'unknown account';
  const region = ctx.file.region ?? 'unknown region';
  const why = `${e.Code}${e.Message ? `: ${e.Message}` : ''}`;
  const message =
    e.Action === 'sts:AssumeRole'
      ? `account ${account}: the role could not be assumed (${why}); every resource of this account is unknown`
      : `account ${account}, region ${region}: ${e.Call}${e.Parent ? ` for ${e.Parent}` : ''} failed during collection (${why}); the resources it returns are unknown`;
  ctx.builder.issue({ code: 'COLLECTION_ERROR', severity: 'warning', source: src(ctx), ...(e.Parent ? { resourceId: e.Parent } : {}), message });
};

/**
 * Top-level key → handler. Keys marked `single` hold one object instead of a list; `empty`, where given, is
 * called when the list is empty (an empty per-parent list means "none", not "unknown"). Keys in
 * `ignoredKeys` are pagination or metadata and never warned about.
 */
export const KEY_HANDLERS: Readonly<Record<string, { handler: Handler; single?: boolean; empty?: EmptyListHandler }>> = {
  Vpcs: { handler: vpcs },
  Subnets: { handler: subnets },
  RouteTables: { handler: routeTables },
  SecurityGroups: { handler: securityGroups },
  SecurityGroupRules: { handler: securityGroupRules },
  NetworkAcls: { handler: networkAcls },
  NetworkInterfaces: { handler: networkInterfaces },
  Reservations: { handler: reservations },
  InternetGateways: { handler: internetGateways },
  EgressOnlyInternetGateways: { handler: egressOnlyInternetGateways },
  NatGateways: { handler: natGateways },
  Addresses: { handler: addresses },
  VpcEndpoints: { handler: vpcEndpoints },
  ServiceDetails: { handler: serviceDetails },
  ServiceConfigurations: { handler: serviceConfigurations },
  VpcEndpointConnections: { handler: endpointConnections },
  AllowedPrincipals: { handler: allowedPrincipals },
  PrefixLists: { handler: prefixLists },
  Entries: { handler: prefixListEntries },
  VpcPeeringConnections: { handler: peeringConnections },
  TransitGateways: { handler: transitGateways },
  TransitGatewayAttachments: { handler: transitGatewayAttachments },
  TransitGatewayVpcAttachments: { handler: transitGatewayVpcAttachments },
  TransitGatewayPeeringAttachments: { handler: transitGatewayPeeringAttachments },
  TransitGatewayRouteTables: { handler: transitGatewayRouteTables },
  Routes: { handler: tgwRoutes, empty: tgwRoutesEmpty },
  Associations: { handler: tgwAssociations },
  TransitGatewayRouteTablePropagations: { handler: tgwPropagations },
  VpnConnections: { handler: vpnConnections },
  VpnGateways: { handler: vpnGateways },
  CustomerGateways: { handler: customerGateways },
  directConnectGateways: { handler: directConnectGateways },
  DirectConnectGateways: { handler: directConnectGateways },
  directConnectGatewayAssociations: { handler: directConnectGatewayAssociations, empty: directConnectGatewayAssociationsEmpty },
  DirectConnectGatewayAssociations: { handler: directConnectGatewayAssociations, empty: directConnectGatewayAssociationsEmpty },
  LoadBalancers: { handler: loadBalancers },
  LoadBalancerDescriptions: { handler: classicLoadBalancers },
  Listeners: { handler: listeners },
  TargetGroups: { handler: targetGroups },
  TargetHealthDescriptions: { handler: targetHealth, empty: targetHealthEmpty },
  Attributes: { handler: attributes },
  InstanceStates: { handler: instanceHealth, empty: instanceHealthEmpty },
  LoadBalancerAttributes: { handler: classicAttributes, single: true },
  HostedZones: { handler: hostedZones },
  HostedZone: { handler: hostedZoneSingle, single: true },
  HostedZoneSummaries: { handler: hostedZoneSummaries },
  ResourceRecordSets: { handler: resourceRecordSets },
  FlowLogs: { handler: flowLogs },
  AvailabilityZones: { handler: availabilityZones },
  Regions: { handler: regions },
  CollectErrors: { handler: collectErrors },
};

/** Keys that carry pagination, parents or metadata: never an "unknown key". */
export const NON_RESOURCE_KEYS = new Set([
  'NextToken',
  'NextMarker',
  'Marker',
  'IsTruncated',
  'MaxItems',
  'MaxResults',
  'NextRecordName',
  'NextRecordType',
  'NextRecordIdentifier',
  'AdditionalRoutesAvailable',
  'ResponseMetadata',
  'HostedZoneId',
  'TransitGatewayRouteTableId',
  'PrefixListId',
  'TargetGroupArn',
  'LoadBalancerArn',
  'LoadBalancerName',
  'ServiceId',
  'VPCs',
  'VPCId',
  'VPCRegion',
  'DelegationSet',
  'ServiceNames',
  'VpcId',
  'EnableDnsSupport',
  'EnableDnsHostnames',
  'nextToken',
  'directConnectGatewayId',
  'CollectedAt',
  'vpctwin',
]);

export type { ElementContext };

/** `describe-vpc-attribute` output: `{VpcId, EnableDnsSupport: {Value}}` or `{VpcId, EnableDnsHostnames: {Value}}`. */
export function readVpcAttribute(ctx: FileContext): boolean {
  const vpcId = ctx.document.VpcId;
  if (typeof vpcId !== 'string') return false;
  const support = ctx.document.EnableDnsSupport as { Value?: unknown } | undefined;
  const hostnames = ctx.document.EnableDnsHostnames as { Value?: unknown } | undefined;
  if (!support && !hostnames) return false;
  const cur = ctx.builder.dnsAttributes.get(vpcId) ?? {};
  if (support && typeof support.Value === 'boolean') cur.support = support.Value;
  if (hostnames && typeof hostnames.Value === 'boolean') cur.hostnames = hostnames.Value;
  ctx.builder.dnsAttributes.set(vpcId, cur);
  return true;
}

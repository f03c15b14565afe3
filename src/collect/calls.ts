/**
 * The declarative list of AWS calls `vpctwin collect` makes: which SDK command, which IAM action, which
 * top-level keys it returns, how it pages, and — for calls asked about one parent (listeners of a load
 * balancer, routes of a transit-gateway route table, …) — how the parents are read from the parent call's
 * output and how the written file names its parent so the loader links it (docs/snapshot-format.md).
 *
 * This list is the single source for the IAM policy (policy/vpctwin-collect-policy.json is checked
 * against COLLECT_ACTIONS by a test), for the collector, and for the documentation.
 */
import * as DX from '@aws-sdk/client-direct-connect';
import * as EC2 from '@aws-sdk/client-ec2';
import * as CLB from '@aws-sdk/client-elastic-load-balancing';
import * as ELB from '@aws-sdk/client-elastic-load-balancing-v2';
import * as R53 from '@aws-sdk/client-route-53';

/** SDK clients: `elb` is Classic Load Balancing (API 2012-06-01), `elbv2` Application/Network/Gateway. */
export type Service = 'ec2' | 'elbv2' | 'elb' | 'directconnect' | 'route53';

/** A plain JSON object as the SDK returns it (after `$metadata` is dropped). */
export type Doc = Record<string, unknown>;

/** An SDK command class; inputs are built from the declarative fields below. */
export type CommandClass = new (input: never) => object;

/** One call made for one parent: what goes into the request, the file name token, the key written beside the list. */
export interface ChildRef {
  /** Part of the file name after the call name: `<Call>.<token>.json`. No dots, so the loader sees one hint token per part. */
  readonly token: string;
  /** The parent's id or ARN, recorded in error summaries. */
  readonly parentId: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** Keys written beside the list so the loader knows the parent (handlers.ts parentOf). */
  readonly beside?: Readonly<Record<string, string>>;
}

/** How a call pages: the request members for the next page, read from a response; undefined on the last page. */
export interface Paging {
  readonly next: (output: Doc) => Readonly<Record<string, unknown>> | undefined;
}

export interface CallSpec {
  /** The API operation name; also the file name stem unless `file` is given. */
  readonly name: string;
  /**
   * The file name stem, when the operation name is already another call's (Classic `elb`
   * DescribeLoadBalancers beside `elbv2` DescribeLoadBalancers). Also how per-parent calls and
   * CollectErrors.json name this call.
   */
  readonly file?: string;
  readonly service: Service;
  /** The IAM action the call needs. */
  readonly action: string;
  readonly command: CommandClass;
  /** Top-level list keys, merged over pages; empty for calls that return one object. */
  readonly listKeys: readonly string[];
  readonly input?: Readonly<Record<string, unknown>>;
  readonly paging?: Paging;
  /** For per-parent calls: the call whose output lists the parents, and how to read them. */
  readonly parent?: { readonly call: string; readonly children: (parentDoc: Doc) => readonly ChildRef[] };
  /** Removes fields that must never be written (secrets). */
  readonly sanitize?: (doc: Doc) => Doc;
}

/** The call's file name stem, unique within one account and region: how parents, files and errors name it. */
export function callId(spec: CallSpec): string {
  return spec.file ?? spec.name;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (doc: Doc, key: string): Record<string, unknown>[] =>
  Array.isArray(doc[key]) ? (doc[key] as unknown[]).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : [];

/** File-name token from an id: the loader splits file names on dots, so dots and slashes never appear. */
export function fileToken(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-');
}

const token = (field: string): Paging => ({
  next: (o) => (str(o[field]) ? { [field === 'NextMarker' ? 'Marker' : 'NextToken']: o[field] } : undefined),
});
const EC2_PAGES = token('NextToken');
const ELB_PAGES = token('NextMarker');
/** The file of Classic Load Balancers: `DescribeLoadBalancers.json` is ELBv2's. */
export const CLASSIC_LOAD_BALANCERS = 'DescribeLoadBalancers-classic';
/** The file of a Classic Load Balancer's attributes: `DescribeLoadBalancerAttributes.<name>.json` is ELBv2's. */
export const CLASSIC_LOAD_BALANCER_ATTRIBUTES = 'DescribeLoadBalancerAttributes-classic';

/** ELBv2 names are unique per account and region; the ARN is `…:loadbalancer/app/<name>/<id>`. */
function elbName(arn: string, fallback: unknown): string {
  return fileToken(str(fallback) ?? arn.split('/').slice(-2, -1)[0] ?? arn);
}

function ec2(name: string, listKeys: readonly string[], extra: Partial<CallSpec> = {}): CallSpec {
  const command = (EC2 as unknown as Record<string, CommandClass>)[`${name}Command`];
  if (!command) throw new Error(`@aws-sdk/client-ec2 has no ${name}Command`);
  return { name, service: 'ec2', action: `ec2:${name}`, command, listKeys, paging: EC2_PAGES, ...extra };
}

function elb(name: string, listKeys: readonly string[], extra: Partial<CallSpec> = {}): CallSpec {
  const command = (ELB as unknown as Record<string, CommandClass>)[`${name}Command`];
  if (!command) throw new Error(`@aws-sdk/client-elastic-load-balancing-v2 has no ${name}Command`);
  return { name, service: 'elbv2', action: `elasticloadbalancing:${name}`, command, listKeys, ...extra };
}

/** Route 53 ids come as `/hostedzone/Z…`; files and the loader use the bare id. */
const zoneId = (id: string) => id.replace(/^\/hostedzone\//, '');

/** DescribeVpnConnections carries the tunnels' pre-shared keys; they are never written. */
function withoutVpnSecrets(doc: Doc): Doc {
  const conns = list(doc, 'VpnConnections').map((c) => {
    const { CustomerGatewayConfiguration: _cfg, ...rest } = c;
    const options = rest.Options as Record<string, unknown> | undefined;
    if (options && Array.isArray(options.TunnelOptions))
      rest.Options = {
        ...options,
        TunnelOptions: (options.TunnelOptions as Record<string, unknown>[]).map(({ PreSharedKey: _psk, ...t }) => t),
      };
    return rest;
  });
  return { ...doc, VpnConnections: conns };
}

/** Calls made once per account and region. */
export const REGIONAL_CALLS: readonly CallSpec[] = [
  ec2('DescribeAvailabilityZones', ['AvailabilityZones'], { paging: undefined }),
  ec2('DescribeVpcs', ['Vpcs']),
  ec2('DescribeVpcAttribute', [], {
    paging: undefined,
    // One call per VPC and attribute: DescribeVpcAttribute takes one attribute at a time.
    parent: {
      call: 'DescribeVpcs',
      children: (d) =>
        list(d, 'Vpcs').flatMap((v) => {
          const id = str(v.VpcId);
          return id
            ? (['enableDnsSupport', 'enableDnsHostnames'] as const).map((attr) => ({ token: `${attr}.${fileToken(id)}`, parentId: id, input: { VpcId: id, Attribute: attr } }))
            : [];
        }),
    },
  }),
  ec2('DescribeSubnets', ['Subnets']),
  ec2('DescribeRouteTables', ['RouteTables']),
  ec2('DescribeSecurityGroups', ['SecurityGroups']),
  ec2('DescribeNetworkAcls', ['NetworkAcls']),
  ec2('DescribeNetworkInterfaces', ['NetworkInterfaces']),
  ec2('DescribeInstances', ['Reservations']),
  ec2('DescribeInternetGateways', ['InternetGateways']),
  ec2('DescribeEgressOnlyInternetGateways', ['EgressOnlyInternetGateways']),
  ec2('DescribeNatGateways', ['NatGateways']),
  ec2('DescribeAddresses', ['Addresses'], { paging: undefined }),
  ec2('DescribeVpcEndpoints', ['VpcEndpoints']),
  ec2('DescribeVpcEndpointServices', ['ServiceNames', 'ServiceDetails']),
  ec2('DescribeVpcEndpointServiceConfigurations', ['ServiceConfigurations']),
  ec2('DescribeVpcEndpointServicePermissions', ['AllowedPrincipals'], {
    parent: {
      call: 'DescribeVpcEndpointServiceConfigurations',
      children: (d) =>
        list(d, 'ServiceConfigurations').flatMap((s) => {
          const id = str(s.ServiceId);
          return id ? [{ token: fileToken(id), parentId: id, input: { ServiceId: id }, beside: { ServiceId: id } }] : [];
        }),
    },
  }),
  ec2('DescribeVpcEndpointConnections', ['VpcEndpointConnections']),
  ec2('DescribeManagedPrefixLists', ['PrefixLists']),
  ec2('GetManagedPrefixListEntries', ['Entries'], {
    parent: {
      call: 'DescribeManagedPrefixLists',
      children: (d) =>
        list(d, 'PrefixLists').flatMap((p) => {
          const id = str(p.PrefixListId);
          return id ? [{ token: fileToken(id), parentId: id, input: { PrefixListId: id }, beside: { PrefixListId: id } }] : [];
        }),
    },
  }),
  ec2('DescribeVpcPeeringConnections', ['VpcPeeringConnections']),
  ec2('DescribeTransitGateways', ['TransitGateways']),
  ec2('DescribeTransitGatewayAttachments', ['TransitGatewayAttachments']),
  ec2('DescribeTransitGatewayVpcAttachments', ['TransitGatewayVpcAttachments']),
  ec2('DescribeTransitGatewayPeeringAttachments', ['TransitGatewayPeeringAttachments']),
  ec2('DescribeTransitGatewayRouteTables', ['TransitGatewayRouteTables']),
  ec2('SearchTransitGatewayRoutes', ['Routes'], {
    // Not paged: at most MaxResults routes, AdditionalRoutesAvailable says when there were more (recorded as an error).
    paging: undefined,
    parent: { call: 'DescribeTransitGatewayRouteTables', children: (d) => tgwTables(d, { MaxResults: 1000, Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }] }) },
  }),
  ec2('GetTransitGatewayRouteTableAssociations', ['Associations'], {
    parent: { call: 'DescribeTransitGatewayRouteTables', children: (d) => tgwTables(d, {}) },
  }),
  ec2('GetTransitGatewayRouteTablePropagations', ['TransitGatewayRouteTablePropagations'], {
    parent: { call: 'DescribeTransitGatewayRouteTables', children: (d) => tgwTables(d, {}) },
  }),
  ec2('DescribeVpnConnections', ['VpnConnections'], { paging: undefined, sanitize: withoutVpnSecrets }),
  ec2('DescribeVpnGateways', ['VpnGateways'], { paging: undefined }),
  ec2('DescribeCustomerGateways', ['CustomerGateways'], { paging: undefined }),
  ec2('DescribeFlowLogs', ['FlowLogs']),
  elb('DescribeLoadBalancers', ['LoadBalancers'], { paging: ELB_PAGES }),
  elb('DescribeLoadBalancerAttributes', ['Attributes'], {
    parent: {
      call: 'DescribeLoadBalancers',
      children: (d) =>
        list(d, 'LoadBalancers').flatMap((l) => {
          const arn = str(l.LoadBalancerArn);
          return arn ? [{ token: elbName(arn, l.LoadBalancerName), parentId: arn, input: { LoadBalancerArn: arn }, beside: { LoadBalancerArn: arn } }] : [];
        }),
    },
  }),
  elb('DescribeListeners', ['Listeners'], {
    paging: ELB_PAGES,
    // Each listener names its load balancer; the file name token only keeps files apart.
    parent: {
      call: 'DescribeLoadBalancers',
      children: (d) =>
        list(d, 'LoadBalancers').flatMap((l) => {
          const arn = str(l.LoadBalancerArn);
          return arn ? [{ token: elbName(arn, l.LoadBalancerName), parentId: arn, input: { LoadBalancerArn: arn } }] : [];
        }),
    },
  }),
  elb('DescribeTargetGroups', ['TargetGroups'], { paging: ELB_PAGES }),
  elb('DescribeTargetHealth', ['TargetHealthDescriptions'], { parent: { call: 'DescribeTargetGroups', children: (d) => targetGroups(d) } }),
  elb('DescribeTargetGroupAttributes', ['Attributes'], { parent: { call: 'DescribeTargetGroups', children: (d) => targetGroups(d) } }),
  // Classic Load Balancers (`aws elb describe-load-balancers`): same IAM action as ELBv2's, its own file.
  // Listeners and registered instances are inside each description; instance health and attributes (cross-zone)
  // are asked per load balancer, by name.
  {
    name: 'DescribeLoadBalancers',
    file: CLASSIC_LOAD_BALANCERS,
    service: 'elb',
    action: 'elasticloadbalancing:DescribeLoadBalancers',
    command: CLB.DescribeLoadBalancersCommand,
    listKeys: ['LoadBalancerDescriptions'],
    paging: ELB_PAGES,
  },
  {
    // Not paged. `LoadBalancerName` beside the list tells the loader that an empty list means "no instances".
    name: 'DescribeInstanceHealth',
    service: 'elb',
    action: 'elasticloadbalancing:DescribeInstanceHealth',
    command: CLB.DescribeInstanceHealthCommand,
    listKeys: ['InstanceStates'],
    parent: { call: CLASSIC_LOAD_BALANCERS, children: (d) => classicLoadBalancers(d) },
  },
  {
    // One object (`LoadBalancerAttributes`); the operation name is also ELBv2's, so the file has its own stem.
    name: 'DescribeLoadBalancerAttributes',
    file: CLASSIC_LOAD_BALANCER_ATTRIBUTES,
    service: 'elb',
    action: 'elasticloadbalancing:DescribeLoadBalancerAttributes',
    command: CLB.DescribeLoadBalancerAttributesCommand,
    listKeys: [],
    parent: { call: CLASSIC_LOAD_BALANCERS, children: (d) => classicLoadBalancers(d) },
  },
];

/** Classic load balancers are named (unique per account and region, letters, digits and hyphens); no ARN in the API. */
function classicLoadBalancers(d: Doc): ChildRef[] {
  return list(d, 'LoadBalancerDescriptions').flatMap((l) => {
    const name = str(l.LoadBalancerName);
    return name ? [{ token: fileToken(name), parentId: name, input: { LoadBalancerName: name }, beside: { LoadBalancerName: name } }] : [];
  });
}

function tgwTables(d: Doc, input: Record<string, unknown>): ChildRef[] {
  return list(d, 'TransitGatewayRouteTables').flatMap((t) => {
    const id = str(t.TransitGatewayRouteTableId);
    return id ? [{ token: fileToken(id), parentId: id, input: { ...input, TransitGatewayRouteTableId: id }, beside: { TransitGatewayRouteTableId: id } }] : [];
  });
}

function targetGroups(d: Doc): ChildRef[] {
  return list(d, 'TargetGroups').flatMap((t) => {
    const arn = str(t.TargetGroupArn);
    return arn ? [{ token: elbName(arn, t.TargetGroupName), parentId: arn, input: { TargetGroupArn: arn }, beside: { TargetGroupArn: arn } }] : [];
  });
}

/**
 * Calls made once per account, in the home region; files go to the `global` folder. Route 53 is global;
 * Direct Connect gateways are global resources that every region's API lists alike.
 */
export const GLOBAL_CALLS: readonly CallSpec[] = [
  {
    name: 'ListHostedZones',
    service: 'route53',
    action: 'route53:ListHostedZones',
    command: R53.ListHostedZonesCommand,
    listKeys: ['HostedZones'],
    paging: { next: (o) => (o.IsTruncated === true && str(o.NextMarker) ? { Marker: o.NextMarker } : undefined) },
  },
  {
    name: 'GetHostedZone',
    service: 'route53',
    action: 'route53:GetHostedZone',
    command: R53.GetHostedZoneCommand,
    listKeys: [],
    // Only private zones have VPC associations.
    parent: {
      call: 'ListHostedZones',
      children: (d) =>
        list(d, 'HostedZones').flatMap((z) => {
          const id = str(z.Id);
          const priv = (z.Config as { PrivateZone?: unknown } | undefined)?.PrivateZone === true;
          return id && priv ? [{ token: fileToken(zoneId(id)), parentId: zoneId(id), input: { Id: zoneId(id) } }] : [];
        }),
    },
  },
  {
    name: 'ListResourceRecordSets',
    service: 'route53',
    action: 'route53:ListResourceRecordSets',
    command: R53.ListResourceRecordSetsCommand,
    listKeys: ['ResourceRecordSets'],
    paging: {
      next: (o) =>
        o.IsTruncated === true && str(o.NextRecordName)
          ? { StartRecordName: o.NextRecordName, StartRecordType: o.NextRecordType, ...(str(o.NextRecordIdentifier) ? { StartRecordIdentifier: o.NextRecordIdentifier } : {}) }
          : undefined,
    },
    parent: {
      call: 'ListHostedZones',
      children: (d) =>
        list(d, 'HostedZones').flatMap((z) => {
          const id = str(z.Id);
          return id ? [{ token: fileToken(zoneId(id)), parentId: zoneId(id), input: { HostedZoneId: zoneId(id) }, beside: { HostedZoneId: zoneId(id) } }] : [];
        }),
    },
  },
  {
    // JSON 1.1: camelCase members (`directConnectGateways`, paged by `nextToken`), written as the CLI prints them.
    name: 'DescribeDirectConnectGateways',
    service: 'directconnect',
    action: 'directconnect:DescribeDirectConnectGateways',
    command: DX.DescribeDirectConnectGatewaysCommand,
    listKeys: ['directConnectGateways'],
    paging: { next: (o) => (str(o.nextToken) ? { nextToken: o.nextToken } : undefined) },
  },
  {
    // Per gateway: its associations with virtual private gateways and transit gateways and their allowed
    // prefixes. `directConnectGatewayId` beside the list tells the loader that an empty list means "none".
    name: 'DescribeDirectConnectGatewayAssociations',
    service: 'directconnect',
    action: 'directconnect:DescribeDirectConnectGatewayAssociations',
    command: DX.DescribeDirectConnectGatewayAssociationsCommand,
    listKeys: ['directConnectGatewayAssociations'],
    paging: { next: (o) => (str(o.nextToken) ? { nextToken: o.nextToken } : undefined) },
    parent: {
      call: 'DescribeDirectConnectGateways',
      children: (d) =>
        list(d, 'directConnectGateways').flatMap((g) => {
          const id = str(g.directConnectGatewayId);
          return id ? [{ token: fileToken(id), parentId: id, input: { directConnectGatewayId: id }, beside: { directConnectGatewayId: id } }] : [];
        }),
    },
  },
];

/** Enabled regions of an account (AllRegions false: opted-out regions are left out by AWS). */
export const DESCRIBE_REGIONS: CallSpec = ec2('DescribeRegions', ['Regions'], { paging: undefined, input: { AllRegions: false } });

/** Calls outside the snapshot files: who the caller is, the organization's accounts, the role in each account. */
export const ACCOUNT_ACTIONS = ['sts:GetCallerIdentity', 'sts:AssumeRole', 'organizations:ListAccounts'] as const;

/** Every IAM action the collector can call, sorted: exactly what policy/vpctwin-collect-policy.json grants. */
export const COLLECT_ACTIONS: readonly string[] = [
  ...new Set([...REGIONAL_CALLS, ...GLOBAL_CALLS, DESCRIBE_REGIONS].map((c) => c.action).concat(ACCOUNT_ACTIONS)),
].sort();

/** Pagination members dropped from written files: the CLI prints merged pages without them. */
export const PAGINATION_KEYS = new Set(['NextToken', 'nextToken', 'NextMarker', 'Marker', 'IsTruncated', 'MaxItems', 'NextRecordName', 'NextRecordType', 'NextRecordIdentifier']);

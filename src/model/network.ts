/**
 * The indexed network: every resource by kind and id, plus the lookups later layers need (by ARN, by IP,
 * by Name tag, by DNS name, children by parent). Built once after loading; read-only afterwards.
 */
import { canonicalIp } from './addresses.js';
import type { LoadIssue } from './issues.js';
import type {
  AvailabilityZone,
  CustomerGateway,
  DirectConnectGateway,
  EgressOnlyInternetGateway,
  ElasticIp,
  EndpointService,
  FlowLogConfig,
  HostedZone,
  IgnoredResource,
  Instance,
  InternetGateway,
  Listener,
  LoadBalancer,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  Resource,
  ResourceKind,
  RouteTable,
  SecurityGroup,
  Subnet,
  TargetGroup,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayRouteTable,
  Vpc,
  VpcEndpoint,
  VpcPeeringConnection,
  VpnConnection,
  VpnGateway,
} from './types.js';

/** One address held by a network interface. */
export interface AddressHolder {
  readonly ip: string;
  readonly networkInterfaceId: string;
  /** `private` (IPv4 in the VPC), `public` (public IPv4 / Elastic IP), `ipv6`. */
  readonly scope: 'private' | 'public' | 'ipv6';
  readonly vpcId: string;
  readonly account: string;
  readonly region: string;
}

type ByKind = { [K in ResourceKind]: Extract<Resource, { kind: K }> };

export interface ModelContents {
  readonly resources: readonly Resource[];
  readonly ignored: readonly IgnoredResource[];
  readonly issues: readonly LoadIssue[];
  readonly availabilityZones: readonly AvailabilityZone[];
  /** Per-file summary: which top-level keys, how many elements. */
  readonly files: readonly SnapshotFileSummary[];
  readonly root: string;
}

export interface SnapshotFileSummary {
  readonly file: string;
  readonly account?: string;
  readonly region?: string;
  readonly keys: readonly { readonly key: string; readonly count: number }[];
  readonly errors: number;
  readonly warnings: number;
}

function indexBy<T extends Resource>(items: readonly Resource[], kind: T['kind']): ReadonlyMap<string, T> {
  const m = new Map<string, T>();
  for (const r of items) if (r.kind === kind) m.set(r.id, r as T);
  return m;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export class NetworkModel {
  readonly root: string;
  readonly resources: readonly Resource[];
  readonly ignored: readonly IgnoredResource[];
  readonly issues: readonly LoadIssue[];
  readonly files: readonly SnapshotFileSummary[];
  readonly availabilityZones: readonly AvailabilityZone[];

  readonly vpcs: ReadonlyMap<string, Vpc>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  readonly securityGroups: ReadonlyMap<string, SecurityGroup>;
  readonly networkAcls: ReadonlyMap<string, NetworkAcl>;
  readonly networkInterfaces: ReadonlyMap<string, NetworkInterface>;
  readonly instances: ReadonlyMap<string, Instance>;
  readonly internetGateways: ReadonlyMap<string, InternetGateway>;
  readonly egressOnlyInternetGateways: ReadonlyMap<string, EgressOnlyInternetGateway>;
  readonly natGateways: ReadonlyMap<string, NatGateway>;
  readonly elasticIps: ReadonlyMap<string, ElasticIp>;
  readonly vpcEndpoints: ReadonlyMap<string, VpcEndpoint>;
  readonly endpointServices: ReadonlyMap<string, EndpointService>;
  readonly prefixLists: ReadonlyMap<string, PrefixList>;
  readonly peeringConnections: ReadonlyMap<string, VpcPeeringConnection>;
  readonly transitGateways: ReadonlyMap<string, TransitGateway>;
  readonly transitGatewayAttachments: ReadonlyMap<string, TransitGatewayAttachment>;
  readonly transitGatewayRouteTables: ReadonlyMap<string, TransitGatewayRouteTable>;
  readonly vpnConnections: ReadonlyMap<string, VpnConnection>;
  readonly vpnGateways: ReadonlyMap<string, VpnGateway>;
  readonly customerGateways: ReadonlyMap<string, CustomerGateway>;
  readonly directConnectGateways: ReadonlyMap<string, DirectConnectGateway>;
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  readonly listeners: ReadonlyMap<string, Listener>;
  readonly targetGroups: ReadonlyMap<string, TargetGroup>;
  readonly hostedZones: ReadonlyMap<string, HostedZone>;
  readonly flowLogs: ReadonlyMap<string, FlowLogConfig>;

  private readonly byIdIndex = new Map<string, Resource>();
  private readonly byIp = new Map<string, AddressHolder[]>();
  private readonly byName = new Map<string, Resource[]>();
  private readonly byDns = new Map<string, Resource[]>();
  private readonly childrenOfVpc = new Map<string, Resource[]>();
  private readonly subnetsOfVpc = new Map<string, Subnet[]>();
  private readonly enisOfSubnet = new Map<string, NetworkInterface[]>();
  private readonly enisOfGroup = new Map<string, NetworkInterface[]>();
  private readonly endpointServiceByName = new Map<string, EndpointService>();
  private readonly listenersOfLb = new Map<string, Listener[]>();
  private readonly zoneIdByName = new Map<string, string>();
  private readonly zoneNameById = new Map<string, string>();

  constructor(contents: ModelContents) {
    this.root = contents.root;
    this.resources = contents.resources;
    this.ignored = contents.ignored;
    this.issues = contents.issues;
    this.files = contents.files;
    this.availabilityZones = contents.availabilityZones;
    const r = contents.resources;
    this.vpcs = indexBy(r, 'vpc');
    this.subnets = indexBy(r, 'subnet');
    this.routeTables = indexBy(r, 'route-table');
    this.securityGroups = indexBy(r, 'security-group');
    this.networkAcls = indexBy(r, 'network-acl');
    this.networkInterfaces = indexBy(r, 'network-interface');
    this.instances = indexBy(r, 'instance');
    this.internetGateways = indexBy(r, 'internet-gateway');
    this.egressOnlyInternetGateways = indexBy(r, 'egress-only-internet-gateway');
    this.natGateways = indexBy(r, 'nat-gateway');
    this.elasticIps = indexBy(r, 'elastic-ip');
    this.vpcEndpoints = indexBy(r, 'vpc-endpoint');
    this.endpointServices = indexBy(r, 'endpoint-service');
    this.prefixLists = indexBy(r, 'prefix-list');
    this.peeringConnections = indexBy(r, 'vpc-peering-connection');
    this.transitGateways = indexBy(r, 'transit-gateway');
    this.transitGatewayAttachments = indexBy(r, 'transit-gateway-attachment');
    this.transitGatewayRouteTables = indexBy(r, 'transit-gateway-route-table');
    this.vpnConnections = indexBy(r, 'vpn-connection');
    this.vpnGateways = indexBy(r, 'vpn-gateway');
    this.customerGateways = indexBy(r, 'customer-gateway');
    this.directConnectGateways = indexBy(r, 'direct-connect-gateway');
    this.loadBalancers = indexBy(r, 'load-balancer');
    this.listeners = indexBy(r, 'listener');
    this.targetGroups = indexBy(r, 'target-group');
    this.hostedZones = indexBy(r, 'hosted-zone');
    this.flowLogs = indexBy(r, 'flow-log');

    for (const res of r) {
      this.byIdIndex.set(res.id, res);
      if (res.name) push(this.byName, res.name.toLowerCase(), res);
      const vpcId = 'vpcId' in res ? res.vpcId : undefined;
      if (typeof vpcId === 'string') push(this.childrenOfVpc, vpcId, res);
    }
    for (const s of this.subnets.values()) push(this.subnetsOfVpc, s.vpcId, s);
    for (const eni of this.networkInterfaces.values()) {
      push(this.enisOfSubnet, eni.subnetId, eni);
      for (const g of eni.securityGroupIds) push(this.enisOfGroup, g, eni);
      const holder = (ip: string, scope: AddressHolder['scope']) =>
        push(this.byIp, canonicalIp(ip) ?? ip, {
          ip,
          networkInterfaceId: eni.id,
          scope,
          vpcId: eni.vpcId,
          account: eni.account,
          region: eni.region,
        });
      for (const a of eni.privateAddresses) {
        holder(a.ip, 'private');
        if (a.publicIp) holder(a.publicIp, 'public');
        if (a.privateDnsName) push(this.byDns, a.privateDnsName.toLowerCase(), eni);
        if (a.publicDnsName) push(this.byDns, a.publicDnsName.toLowerCase(), eni);
      }
      for (const ip of eni.ipv6Addresses) holder(ip, 'ipv6');
    }
    for (const i of this.instances.values()) {
      if (i.privateDnsName) push(this.byDns, i.privateDnsName.toLowerCase(), i);
      if (i.publicDnsName) push(this.byDns, i.publicDnsName.toLowerCase(), i);
    }
    for (const lb of this.loadBalancers.values()) {
      this.byIdIndex.set(lb.arn, lb);
      if (lb.dnsName) push(this.byDns, lb.dnsName.toLowerCase().replace(/\.$/, ''), lb);
    }
    for (const tg of this.targetGroups.values()) this.byIdIndex.set(tg.arn, tg);
    for (const l of this.listeners.values()) push(this.listenersOfLb, l.loadBalancerArn, l);
    for (const ep of this.vpcEndpoints.values())
      for (const e of ep.dnsEntries) push(this.byDns, e.dnsName.toLowerCase().replace(/\.$/, ''), ep);
    for (const svc of this.endpointServices.values()) this.endpointServiceByName.set(svc.serviceName, svc);
    for (const az of contents.availabilityZones) {
      this.zoneIdByName.set(`${az.account}/${az.region}/${az.zoneName}`, az.zoneId);
      this.zoneNameById.set(`${az.account}/${az.region}/${az.zoneId}`, az.zoneName);
    }
  }

  /** Any resource by id or ARN. */
  get(id: string): Resource | undefined {
    return this.byIdIndex.get(id);
  }

  /** A resource of a given kind by id (or ARN for load balancers and target groups). */
  getOf<K extends ResourceKind>(kind: K, id: string): ByKind[K] | undefined {
    const r = this.byIdIndex.get(id);
    return r && r.kind === kind ? (r as ByKind[K]) : undefined;
  }

  /** Every interface address equal to `ip` (private IPs repeat across VPCs). */
  addressHolders(ip: string): readonly AddressHolder[] {
    return this.byIp.get(canonicalIp(ip) ?? ip) ?? [];
  }

  /** Resources whose Name tag equals `name` (case-insensitive). */
  byNameTag(name: string): readonly Resource[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  /** Resources that own a DNS name (instance, interface, load balancer, endpoint). */
  byDnsName(name: string): readonly Resource[] {
    return this.byDns.get(name.toLowerCase().replace(/\.$/, '')) ?? [];
  }

  subnetsOf(vpcId: string): readonly Subnet[] {
    return this.subnetsOfVpc.get(vpcId) ?? [];
  }

  resourcesInVpc(vpcId: string): readonly Resource[] {
    return this.childrenOfVpc.get(vpcId) ?? [];
  }

  networkInterfacesIn(subnetId: string): readonly NetworkInterface[] {
    return this.enisOfSubnet.get(subnetId) ?? [];
  }

  /** Network interfaces that have security group `groupId` attached. */
  membersOfSecurityGroup(groupId: string): readonly NetworkInterface[] {
    return this.enisOfGroup.get(groupId) ?? [];
  }

  endpointServiceByServiceName(serviceName: string): EndpointService | undefined {
    return this.endpointServiceByName.get(serviceName);
  }

  listenersOf(loadBalancerArn: string): readonly Listener[] {
    return this.listenersOfLb.get(loadBalancerArn) ?? [];
  }

  /** AZ id (e.g. `euc1-az2`) for an AZ name in an account and region; AZ names differ across accounts. */
  availabilityZoneId(account: string, region: string, zoneName: string): string | undefined {
    const known = this.zoneIdByName.get(`${account}/${region}/${zoneName}`);
    if (known) return known;
    for (const s of this.subnets.values())
      if (s.account === account && s.region === region && s.availabilityZone === zoneName && s.availabilityZoneId)
        return s.availabilityZoneId;
    return undefined;
  }

  /**
   * AZ id of a subnet (AZ names map to different zones in different accounts, so cross-account comparisons
   * use ids): the subnet's own id, else the account's describe-availability-zones mapping, else the name.
   */
  subnetZoneId(subnetId: string): string | undefined {
    const s = this.subnets.get(subnetId);
    if (!s) return undefined;
    return s.availabilityZoneId ?? this.availabilityZoneId(s.account, s.region, s.availabilityZone) ?? s.availabilityZone;
  }

  availabilityZoneName(account: string, region: string, zoneId: string): string | undefined {
    return this.zoneNameById.get(`${account}/${region}/${zoneId}`);
  }

  /** Distinct accounts and regions present, sorted. */
  accounts(): readonly string[] {
    return [...new Set(this.resources.map((r) => r.account))].sort();
  }

  regions(): readonly string[] {
    return [...new Set(this.resources.map((r) => r.region))].sort();
  }
}

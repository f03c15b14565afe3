/**
 * The neutral network model: plain readonly data in AWS vocabulary, with references already resolved
 * to ids. Nothing here knows AWS JSON field names; `src/ingest/` translates describe-* output into these
 * shapes, and every later layer reads only these shapes.
 *
 * Every resource records where it came from (`source`: file and JSON path) so that explanations can point
 * at the exact line the user wrote or collected.
 */

export interface SourceRef {
  /** Path of the snapshot file, relative to the snapshot root. */
  readonly file: string;
  /** JSON path of the element inside the file, e.g. `$.RouteTables[2].Routes[0]`. */
  readonly path: string;
}

export type Tags = Readonly<Record<string, string>>;

/** Fields every top-level resource carries. */
export interface ResourceBase {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly name?: string;
  readonly tags: Tags;
  readonly source: SourceRef;
}

export interface Vpc extends ResourceBase {
  readonly kind: 'vpc';
  readonly state: string;
  readonly isDefault: boolean;
  /** Associated IPv4 CIDR blocks (primary first). */
  readonly cidrs: readonly string[];
  readonly ipv6Cidrs: readonly string[];
  /** `enableDnsSupport`; undefined when the snapshot does not say (AWS default: true). */
  readonly dnsSupport?: boolean;
  /** `enableDnsHostnames`; undefined when the snapshot does not say. */
  readonly dnsHostnames?: boolean;
}

export interface Subnet extends ResourceBase {
  readonly kind: 'subnet';
  readonly vpcId: string;
  readonly state: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId?: string;
  readonly cidr?: string;
  readonly ipv6Cidrs: readonly string[];
  readonly mapPublicIpOnLaunch: boolean;
  /** Route table in force: the explicit association, else the VPC's main table. Set by the linker. */
  readonly routeTableId?: string;
  /** Whether `routeTableId` is the main table by implicit association. */
  readonly routeTableImplicit?: boolean;
  /** Network ACL in force. */
  readonly networkAclId?: string;
}

export type RouteDestination =
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'prefix-list'; readonly prefixListId: string };

export type RouteTargetKind =
  | 'local'
  | 'internet-gateway'
  | 'virtual-private-gateway'
  | 'nat-gateway'
  | 'egress-only-internet-gateway'
  | 'transit-gateway'
  | 'vpc-peering-connection'
  | 'network-interface'
  | 'instance'
  | 'vpc-endpoint'
  | 'carrier-gateway'
  | 'local-gateway'
  | 'core-network'
  | 'unsupported';

export interface RouteTarget {
  readonly kind: RouteTargetKind;
  /** Target id (`igw-…`, `nat-…`, `eni-…`, …); `local` for the local route. */
  readonly id: string;
  /** For instance routes AWS also reports the instance's ENI, and vice versa. */
  readonly instanceId?: string;
}

export type RouteState = 'active' | 'blackhole' | 'filtered';
/** `local` (created with the table), `static` (CreateRoute), `propagated` (VGW), `advertisement` (Route Server). */
export type RouteOrigin = 'local' | 'static' | 'propagated' | 'advertisement';

export interface Route {
  readonly destination: RouteDestination;
  readonly target: RouteTarget;
  readonly state: RouteState;
  readonly origin: RouteOrigin;
  readonly source: SourceRef;
  /**
   * Set on a route that is not in the snapshot but implied by other data (a prefix declared behind a Direct
   * Connect gateway, propagated by the gateway's virtual private gateway): says where it comes from.
   */
  readonly derivedFrom?: string;
}

export interface RouteTableAssociation {
  readonly id?: string;
  readonly main: boolean;
  readonly subnetId?: string;
  /** Edge association: an internet gateway or virtual private gateway (gateway route table). */
  readonly gatewayId?: string;
  readonly state: string;
}

export interface RouteTable extends ResourceBase {
  readonly kind: 'route-table';
  readonly vpcId: string;
  readonly routes: readonly Route[];
  readonly associations: readonly RouteTableAssociation[];
  readonly propagatingGatewayIds: readonly string[];
}

/** A security-group peer: who the rule admits (inbound source / outbound destination). */
export type SecurityGroupPeer =
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'prefix-list'; readonly prefixListId: string }
  | {
      readonly kind: 'security-group';
      readonly groupId: string;
      readonly account?: string;
      readonly vpcId?: string;
      readonly peeringConnectionId?: string;
    };

export interface SecurityGroupRule {
  readonly ruleId?: string;
  readonly direction: 'ingress' | 'egress';
  /** IP protocol number; -1 means all protocols. */
  readonly protocol: number;
  /** TCP/UDP: port range; ICMP: fromPort = type, toPort = code (-1 = any). Undefined = all. */
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly peer: SecurityGroupPeer;
  readonly description?: string;
  readonly source: SourceRef;
}

export interface SecurityGroup extends ResourceBase {
  readonly kind: 'security-group';
  readonly groupName: string;
  readonly vpcId?: string;
  readonly description?: string;
  readonly ingress: readonly SecurityGroupRule[];
  readonly egress: readonly SecurityGroupRule[];
}

export interface NetworkAclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly action: 'allow' | 'deny';
  /** IP protocol number; -1 means all. */
  readonly protocol: number;
  readonly cidr: string;
  readonly portRange?: { readonly from: number; readonly to: number };
  readonly icmp?: { readonly type: number; readonly code: number };
  readonly source: SourceRef;
}

export interface NetworkAcl extends ResourceBase {
  readonly kind: 'network-acl';
  readonly vpcId: string;
  readonly isDefault: boolean;
  readonly subnetIds: readonly string[];
  /** Inbound entries in ascending rule-number order. */
  readonly inbound: readonly NetworkAclEntry[];
  /** Outbound entries in ascending rule-number order. */
  readonly outbound: readonly NetworkAclEntry[];
}

export type NetworkInterfaceType =
  | 'interface'
  | 'nat-gateway'
  | 'vpc-endpoint'
  | 'gateway-load-balancer-endpoint'
  | 'network-load-balancer'
  | 'application-load-balancer'
  | 'gateway-load-balancer'
  | 'transit-gateway'
  | 'lambda'
  | 'efa'
  | 'trunk'
  | 'branch'
  | 'other';

/** What owns a network interface, derived from its type, description, requester and attachment. */
export type NetworkInterfaceOwner =
  | { readonly kind: 'instance'; readonly id: string }
  | { readonly kind: 'nat-gateway'; readonly id: string }
  | { readonly kind: 'vpc-endpoint'; readonly id: string }
  | { readonly kind: 'load-balancer'; readonly id: string; readonly lbType: LoadBalancerType }
  | { readonly kind: 'transit-gateway-attachment'; readonly id: string }
  | { readonly kind: 'lambda'; readonly id: string }
  | { readonly kind: 'rds'; readonly id: string }
  | { readonly kind: 'aws-service'; readonly id: string }
  | { readonly kind: 'unattached'; readonly id: string };

export interface PrivateAddress {
  readonly ip: string;
  readonly primary: boolean;
  readonly privateDnsName?: string;
  /** Public IPv4 or Elastic IP associated with this private address. */
  readonly publicIp?: string;
  readonly publicDnsName?: string;
  /** `amazon` for an auto-assigned public IP, an account id for an Elastic IP. */
  readonly publicIpOwner?: string;
  readonly allocationId?: string;
}

export interface NetworkInterface extends ResourceBase {
  readonly kind: 'network-interface';
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone?: string;
  readonly availabilityZoneId?: string;
  readonly interfaceType: NetworkInterfaceType;
  /** The `InterfaceType` text as AWS gave it, for display. */
  readonly interfaceTypeRaw: string;
  readonly status: string;
  readonly description: string;
  readonly requesterId?: string;
  readonly requesterManaged: boolean;
  readonly securityGroupIds: readonly string[];
  readonly sourceDestCheck: boolean;
  readonly privateAddresses: readonly PrivateAddress[];
  readonly ipv6Addresses: readonly string[];
  readonly ipv4Prefixes: readonly string[];
  readonly ipv6Prefixes: readonly string[];
  readonly attachment?: { readonly instanceId?: string; readonly deviceIndex?: number; readonly status?: string };
  readonly owner: NetworkInterfaceOwner;
}

export interface Instance extends ResourceBase {
  readonly kind: 'instance';
  readonly state: string;
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly availabilityZone?: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly privateDnsName?: string;
  readonly publicDnsName?: string;
  readonly networkInterfaceIds: readonly string[];
  readonly sourceDestCheck: boolean;
  readonly metadataEndpointEnabled: boolean;
  readonly instanceType?: string;
}

export interface GatewayAttachment {
  readonly vpcId: string;
  readonly state: string;
}

export interface InternetGateway extends ResourceBase {
  readonly kind: 'internet-gateway';
  readonly attachments: readonly GatewayAttachment[];
}

export interface EgressOnlyInternetGateway extends ResourceBase {
  readonly kind: 'egress-only-internet-gateway';
  readonly attachments: readonly GatewayAttachment[];
}

export interface NatGatewayAddress {
  readonly networkInterfaceId?: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly allocationId?: string;
  readonly primary: boolean;
}

export interface NatGateway extends ResourceBase {
  readonly kind: 'nat-gateway';
  readonly vpcId: string;
  readonly subnetId: string;
  readonly state: string;
  readonly connectivity: 'public' | 'private';
  readonly addresses: readonly NatGatewayAddress[];
}

/** An Elastic IP (describe-addresses). The id is the allocation id, else the public IP. */
export interface ElasticIp extends ResourceBase {
  readonly kind: 'elastic-ip';
  readonly publicIp: string;
  readonly allocationId?: string;
  readonly associationId?: string;
  readonly networkInterfaceId?: string;
  readonly privateIp?: string;
  readonly instanceId?: string;
  readonly serviceManaged?: string;
}

export type VpcEndpointType = 'interface' | 'gateway' | 'gateway-load-balancer' | 'resource' | 'service-network';

export interface VpcEndpoint extends ResourceBase {
  readonly kind: 'vpc-endpoint';
  readonly endpointType: VpcEndpointType;
  readonly vpcId: string;
  readonly serviceName: string;
  /** Lower-case state (`available`, `pendingacceptance`, `rejected`, …). */
  readonly state: string;
  readonly routeTableIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly networkInterfaceIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly dnsEntries: readonly { readonly dnsName: string; readonly hostedZoneId?: string }[];
  readonly ipAddressType?: string;
  readonly policyDocument?: string;
}

export interface EndpointServiceConnection {
  readonly endpointId: string;
  readonly endpointOwner?: string;
  readonly state: string;
}

export interface EndpointService extends ResourceBase {
  readonly kind: 'endpoint-service';
  readonly serviceName: string;
  readonly serviceType: string;
  readonly state: string;
  readonly availabilityZones: readonly string[];
  readonly availabilityZoneIds: readonly string[];
  readonly acceptanceRequired: boolean;
  readonly networkLoadBalancerArns: readonly string[];
  readonly gatewayLoadBalancerArns: readonly string[];
  readonly privateDnsName?: string;
  readonly privateDnsVerified?: boolean;
  readonly allowedPrincipals: readonly string[];
  readonly connections: readonly EndpointServiceConnection[];
  /** True when only the consumer-side ServiceDetails were seen (the provider account is not in the snapshot). */
  readonly consumerViewOnly: boolean;
}

export interface PrefixList extends ResourceBase {
  readonly kind: 'prefix-list';
  readonly prefixListName: string;
  readonly addressFamily?: 'IPv4' | 'IPv6';
  readonly cidrs: readonly string[];
  readonly ownerId?: string;
  readonly awsManaged: boolean;
}

export interface PeeringSide {
  readonly vpcId: string;
  readonly account?: string;
  readonly region?: string;
  readonly cidrs: readonly string[];
  readonly ipv6Cidrs: readonly string[];
  readonly allowDnsResolutionFromRemoteVpc?: boolean;
}

export interface VpcPeeringConnection extends ResourceBase {
  readonly kind: 'vpc-peering-connection';
  readonly status: string;
  readonly requester: PeeringSide;
  readonly accepter: PeeringSide;
}

export interface TransitGateway extends ResourceBase {
  readonly kind: 'transit-gateway';
  readonly state: string;
  readonly amazonSideAsn?: number;
  readonly defaultAssociationRouteTableId?: string;
  readonly defaultPropagationRouteTableId?: string;
  readonly dnsSupport: boolean;
  readonly securityGroupReferencingSupport: boolean;
  readonly vpnEcmpSupport: boolean;
}

export type TransitGatewayAttachmentType =
  | 'vpc'
  | 'vpn'
  | 'direct-connect-gateway'
  | 'connect'
  | 'peering'
  | 'tgw-peering'
  | 'network-function'
  | 'other';

export interface TransitGatewayAttachment extends ResourceBase {
  readonly kind: 'transit-gateway-attachment';
  readonly transitGatewayId: string;
  readonly transitGatewayOwner?: string;
  readonly resourceType: TransitGatewayAttachmentType;
  readonly resourceId?: string;
  readonly resourceOwner?: string;
  readonly state: string;
  readonly associatedRouteTableId?: string;
  /** VPC attachments: one subnet per AZ. */
  readonly subnetIds: readonly string[];
  readonly applianceMode: boolean;
  readonly ipv6Support: boolean;
  /** Peering attachments: the two transit gateways. */
  readonly peering?: {
    readonly requester: { readonly transitGatewayId: string; readonly account?: string; readonly region?: string };
    readonly accepter: { readonly transitGatewayId: string; readonly account?: string; readonly region?: string };
  };
}

export interface TransitGatewayRoute {
  readonly destination: RouteDestination;
  readonly type: 'static' | 'propagated';
  readonly state: string;
  readonly attachmentIds: readonly string[];
  readonly source: SourceRef;
  /**
   * True for a propagated route the loader derived from a VPC attachment's propagation because the snapshot
   * listed static routes only (Batfish, `search-transit-gateway-routes --filters type=static`); `source` then
   * points at the propagation, not at a listed route.
   */
  readonly derivedFromPropagation?: boolean;
}

export interface TransitGatewayRouteTable extends ResourceBase {
  readonly kind: 'transit-gateway-route-table';
  readonly transitGatewayId: string;
  readonly state: string;
  readonly defaultAssociation: boolean;
  readonly defaultPropagation: boolean;
  readonly routes: readonly TransitGatewayRoute[];
  readonly associatedAttachmentIds: readonly string[];
  readonly propagatingAttachmentIds: readonly string[];
  /** True when routes for this table were present in the snapshot (absent routes ≠ no routes). */
  readonly routesKnown: boolean;
}

export interface VpnTunnel {
  readonly outsideIp?: string;
  readonly status: string;
  readonly statusMessage?: string;
}

export interface VpnConnection extends ResourceBase {
  readonly kind: 'vpn-connection';
  readonly state: string;
  readonly customerGatewayId?: string;
  readonly vpnGatewayId?: string;
  readonly transitGatewayId?: string;
  readonly staticRoutesOnly: boolean;
  readonly routes: readonly { readonly cidr: string; readonly state: string }[];
  readonly tunnels: readonly VpnTunnel[];
  readonly localNetworkCidr?: string;
  readonly remoteNetworkCidr?: string;
}

export interface VpnGateway extends ResourceBase {
  readonly kind: 'vpn-gateway';
  readonly state: string;
  readonly amazonSideAsn?: number;
  readonly attachments: readonly GatewayAttachment[];
}

export interface CustomerGateway extends ResourceBase {
  readonly kind: 'customer-gateway';
  readonly state: string;
  readonly ipAddress?: string;
  readonly bgpAsn?: string;
  readonly deviceName?: string;
}

/** What a Direct Connect gateway association links the DX gateway to (`associatedGateway.type`). */
export type DirectConnectAssociatedGatewayType = 'virtual-private-gateway' | 'transit-gateway' | 'other';

/**
 * One association of a Direct Connect gateway with a virtual private gateway or a transit gateway
 * (`describe-direct-connect-gateway-associations`). `allowedPrefixes` are the Amazon-side prefixes the
 * association lets the DX gateway advertise to on-premises (`allowedPrefixesToDirectConnectGateway`).
 */
export interface DirectConnectGatewayAssociation {
  readonly associationId?: string;
  readonly directConnectGatewayId: string;
  /** `associating`, `associated`, `disassociating`, `disassociated`, `updating` (lower case). */
  readonly state: string;
  readonly gatewayId: string;
  readonly gatewayType: DirectConnectAssociatedGatewayType;
  readonly gatewayOwner?: string;
  readonly gatewayRegion?: string;
  /** Canonical CIDRs; empty when the output lists none. */
  readonly allowedPrefixes: readonly string[];
  readonly source: SourceRef;
}

/** An on-premises network declared (`--on-prem`) behind a Direct Connect gateway: what it advertises over BGP. */
export interface DirectConnectDeclaredPrefix {
  readonly cidr: string;
  /** The declared network's name. */
  readonly network: string;
}

export interface DirectConnectGateway extends ResourceBase {
  readonly kind: 'direct-connect-gateway';
  readonly state: string;
  readonly amazonSideAsn?: number;
  /** Associations read from the snapshot (set by the linker). */
  readonly associations?: readonly DirectConnectGatewayAssociation[];
  /**
   * True when the snapshot says what this gateway is associated with: an association names it, or an empty
   * associations list names it as its parent. False: unknown, not "none".
   */
  readonly associationsKnown?: boolean;
  /** Prefixes the data centre advertises over this gateway, from an on-premises declaration (not from AWS). */
  readonly declaredPrefixes?: readonly DirectConnectDeclaredPrefix[];
}

export type LoadBalancerType = 'application' | 'network' | 'gateway' | 'classic';

export interface LoadBalancerZone {
  readonly zoneName: string;
  readonly subnetId?: string;
  readonly addresses: readonly {
    readonly publicIp?: string;
    readonly allocationId?: string;
    readonly privateIp?: string;
    readonly ipv6?: string;
  }[];
}

export interface LoadBalancer extends ResourceBase {
  readonly kind: 'load-balancer';
  /** The id is the ARN (Classic: a synthesised ARN). */
  readonly arn: string;
  readonly loadBalancerName: string;
  readonly lbType: LoadBalancerType;
  readonly scheme: 'internet-facing' | 'internal';
  readonly vpcId?: string;
  readonly state: string;
  readonly dnsName?: string;
  readonly canonicalHostedZoneId?: string;
  readonly zones: readonly LoadBalancerZone[];
  readonly securityGroupIds: readonly string[];
  readonly ipAddressType?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Node network interfaces, joined by description (`ELB net/<name>/<id>`). Set by the linker. */
  readonly networkInterfaceIds: readonly string[];
  /** Classic load balancers: listeners and instances are carried inline. */
  readonly classicInstanceIds?: readonly string[];
  /**
   * Classic load balancers: each instance's health from `elb describe-instance-health`, one target per
   * instance (`id` the instance id, `healthState` `InService` | `OutOfService` | `Unknown`, `healthReason`
   * the ReasonCode and Description). Set by the linker; absent when the snapshot has no
   * describe-instance-health output for the load balancer (health unknown), empty when it lists none.
   */
  readonly classicTargets?: readonly Target[];
}

export interface ListenerAction {
  readonly type: string;
  readonly targetGroups: readonly { readonly arn: string; readonly weight?: number }[];
  readonly order?: number;
}

export interface Listener extends ResourceBase {
  readonly kind: 'listener';
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly defaultActions: readonly ListenerAction[];
  /** Classic load balancers: the instance port and protocol. */
  readonly instancePort?: number;
  readonly instanceProtocol?: string;
}

export interface Target {
  readonly id: string;
  readonly port?: number;
  readonly availabilityZone?: string;
  readonly healthState?: string;
  readonly healthReason?: string;
  readonly source: SourceRef;
}

export interface TargetGroup extends ResourceBase {
  readonly kind: 'target-group';
  readonly arn: string;
  readonly targetGroupName: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly vpcId?: string;
  readonly targetType: 'instance' | 'ip' | 'lambda' | 'alb';
  readonly loadBalancerArns: readonly string[];
  readonly healthCheckPort?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly targets: readonly Target[];
  /** True when target health was present in the snapshot. */
  readonly targetsKnown: boolean;
}

export interface DnsRecord {
  /** Lower-case FQDN without the trailing dot; `\052` unescaped to `*`. */
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly values: readonly string[];
  readonly alias?: { readonly dnsName: string; readonly hostedZoneId?: string; readonly evaluateTargetHealth: boolean };
  readonly setIdentifier?: string;
  readonly weight?: number;
  readonly multiValueAnswer?: boolean;
  readonly failover?: string;
  readonly region?: string;
  readonly source: SourceRef;
}

export interface HostedZone extends ResourceBase {
  readonly kind: 'hosted-zone';
  /** Zone name, lower-case, without the trailing dot. */
  readonly zoneName: string;
  readonly privateZone: boolean;
  readonly vpcs: readonly { readonly vpcId: string; readonly region?: string }[];
  readonly records: readonly DnsRecord[];
  readonly recordsKnown: boolean;
}

export interface FlowLogConfig extends ResourceBase {
  readonly kind: 'flow-log';
  readonly resourceId: string;
  readonly trafficType: string;
  readonly logFormat?: string;
  readonly destinationType?: string;
  readonly destination?: string;
  readonly logGroupName?: string;
  readonly maxAggregationInterval?: number;
  readonly status?: string;
}

export interface AvailabilityZone {
  readonly account: string;
  readonly region: string;
  readonly zoneName: string;
  readonly zoneId: string;
}

export type Resource =
  | Vpc
  | Subnet
  | RouteTable
  | SecurityGroup
  | NetworkAcl
  | NetworkInterface
  | Instance
  | InternetGateway
  | EgressOnlyInternetGateway
  | NatGateway
  | ElasticIp
  | VpcEndpoint
  | EndpointService
  | PrefixList
  | VpcPeeringConnection
  | TransitGateway
  | TransitGatewayAttachment
  | TransitGatewayRouteTable
  | VpnConnection
  | VpnGateway
  | CustomerGateway
  | DirectConnectGateway
  | LoadBalancer
  | Listener
  | TargetGroup
  | HostedZone
  | FlowLogConfig;

export type ResourceKind = Resource['kind'];

/** A resource the loader saw but keeps out of forwarding (terminated, deleted, rejected, failed). */
export interface IgnoredResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly reason: string;
  readonly source: SourceRef;
}

/**
 * The small estate the local AWS server serves: an organization whose ACTIVE accounts are A and B (C is
 * suspended; D is active but its role cannot be assumed), two regions. Every response document is written
 * here the way the AWS CLI prints it, so the same objects are what the server serves and what the tests
 * expect in the collected files.
 *
 * Served on purpose: DescribeVpcs (A, eu-west-1), DescribeLoadBalancers of ELBv2 and of Classic ELB (A,
 * eu-west-1; Classic instance health and attributes per load balancer), DescribeDirectConnectGateways (A) and ListResourceRecordSets (A) over two pages;
 * DescribeSecurityGroups (RequestLimitExceeded) and DescribeTargetGroups (Throttling) throttled once; every
 * EC2 call of B in us-west-2 refused with UnauthorizedOperation and every ELBv2 and Classic ELB call there
 * with AccessDenied; DescribeSubnets of A in us-west-2 slow.
 */
import { ec2Error, ec2Response, queryError, queryResponse, route53Error, route53Response } from './wire.js';
import type { AwsRequest, Reply } from './aws-server.js';

type Doc = Record<string, unknown>;

export const A = '111111111111';
export const B = '222222222222';
export const C = '333333333333';
export const D = '444444444444';
export const CALLER = '999999999999';
export const EU = 'eu-west-1';
export const US = 'us-west-2';
export const ROLE = 'VpctwinCollect';

export const CALLER_KEY = 'AKIATESTCALLER000001';
export const CALLER_SECRET = 'CALLER-SECRET-do-not-leak-0001';
export const assumedKey = (account: string) => `ASIATEST${account}`;
export const assumedSecret = (account: string) => `ASSUMED-SECRET-${account}-do-not-leak`;
export const assumedToken = (account: string) => `ASSUMED-SESSION-TOKEN-${account}-do-not-leak`;
/** Every secret the server hands out or accepts: none may appear in the snapshot or the output. */
export const ALL_SECRETS = [CALLER_SECRET, ...[A, B, C, D].flatMap((a) => [assumedSecret(a), assumedToken(a), assumedKey(a)])];

const EC2_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const CLB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/';
/** The API version Classic Load Balancing requests carry (ELBv2's is 2015-12-01; both sign as `elasticloadbalancing`). */
const CLB_VERSION = '2012-06-01';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const tag = (name: string) => [{ Key: 'Name', Value: name }];

// ---------- account A, eu-west-1 ----------

const vpc = (id: string, cidr: string, owner: string, name: string): Doc => ({
  CidrBlock: cidr,
  DhcpOptionsId: 'dopt-0d000001',
  State: 'available',
  VpcId: id,
  OwnerId: owner,
  InstanceTenancy: 'default',
  CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${id.slice(4)}`, CidrBlock: cidr, CidrBlockState: { State: 'associated' } }],
  IsDefault: false,
  Tags: tag(name),
});

const subnet = (id: string, vpcId: string, cidr: string, az: string, azId: string, owner: string, region: string, name: string): Doc => ({
  AvailabilityZone: az,
  AvailabilityZoneId: azId,
  AvailableIpAddressCount: 250,
  CidrBlock: cidr,
  DefaultForAz: false,
  MapPublicIpOnLaunch: false,
  State: 'available',
  SubnetId: id,
  VpcId: vpcId,
  OwnerId: owner,
  SubnetArn: `arn:aws:ec2:${region}:${owner}:subnet/${id}`,
  Tags: tag(name),
});

const localRoute = (cidr: string): Doc => ({ DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' });

const mainTable = (id: string, vpcId: string, owner: string, routes: Doc[]): Doc => ({
  Associations: [{ Main: true, RouteTableAssociationId: `rtbassoc-${id.slice(4)}`, RouteTableId: id, AssociationState: { State: 'associated' } }],
  RouteTableId: id,
  Routes: routes,
  VpcId: vpcId,
  OwnerId: owner,
});

const allEgress: Doc = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

const defaultAcl = (id: string, vpcId: string, subnetId: string, owner: string): Doc => ({
  Associations: [{ NetworkAclAssociationId: `aclassoc-${id.slice(4)}`, NetworkAclId: id, SubnetId: subnetId }],
  Entries: [
    { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
    { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
    { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
    { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
  ],
  IsDefault: true,
  NetworkAclId: id,
  VpcId: vpcId,
  OwnerId: owner,
});

const azs = (region: string, zones: [string, string][]): Doc[] =>
  zones.map(([zone, id]) => ({ State: 'available', OptInStatus: 'opt-in-not-required', RegionName: region, ZoneName: zone, ZoneId: id, GroupName: region, NetworkBorderGroup: region, ZoneType: 'availability-zone' }));

export const NLB_ARN = `arn:aws:elasticloadbalancing:${EU}:${A}:loadbalancer/net/a-nlb/0a1b2c3d4e5f6a7b`;
export const ALB_ARN = `arn:aws:elasticloadbalancing:${EU}:${A}:loadbalancer/app/a-alb/1a2b3c4d5e6f7a8b`;
export const TG_TLS = `arn:aws:elasticloadbalancing:${EU}:${A}:targetgroup/a-tls/0a0a0a0a0a0a0a0a`;
export const TG_WEB = `arn:aws:elasticloadbalancing:${EU}:${A}:targetgroup/a-web/1b1b1b1b1b1b1b1b`;
export const CLB_NAME = 'a-classic';
export const CLB_OLD_NAME = 'a-classic-old';
/** The ARN the loader gives a Classic Load Balancer (describe-load-balancers of `elb` has none). */
export const classicArn = (account: string, region: string, name: string) => `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${name}`;
export const DX_GATEWAYS = ['4f1c7d2a-0a00-4a00-8a00-0a0000000001', '4f1c7d2a-0a00-4a00-8a00-0a0000000002'] as const;
export const SERVICE_NAME = `com.amazonaws.vpce.${EU}.vpce-svc-0a000001`;
export const ZONE = 'Z0A00000000001';

const peering: Doc = {
  AccepterVpcInfo: { CidrBlock: '10.20.0.0/16', CidrBlockSet: [{ CidrBlock: '10.20.0.0/16' }], OwnerId: B, PeeringOptions: { AllowDnsResolutionFromRemoteVpc: false }, VpcId: 'vpc-0b000001', Region: EU },
  RequesterVpcInfo: { CidrBlock: '10.1.0.0/16', CidrBlockSet: [{ CidrBlock: '10.1.0.0/16' }], OwnerId: A, PeeringOptions: { AllowDnsResolutionFromRemoteVpc: false }, VpcId: 'vpc-0a000001', Region: EU },
  Status: { Code: 'active', Message: 'Active' },
  VpcPeeringConnectionId: 'pcx-0a000001',
};

const tgwRoute = (cidr: string, attachment: string, vpcId: string): Doc => ({
  DestinationCidrBlock: cidr,
  TransitGatewayAttachments: [{ ResourceId: vpcId, TransitGatewayAttachmentId: attachment, ResourceType: 'vpc' }],
  Type: 'propagated',
  State: 'active',
});

const tgwLink = (attachment: string, vpcId: string, state: string): Doc => ({ TransitGatewayAttachmentId: attachment, ResourceId: vpcId, ResourceType: 'vpc', State: state });

/** EC2 responses by `account/region/Action`; list calls may have several pages. */
export const EC2_PAGES: Readonly<Record<string, readonly Doc[]>> = {
  [`${A}/${EU}/DescribeVpcs`]: [{ Vpcs: [vpc('vpc-0a000001', '10.1.0.0/16', A, 'a-web')] }, { Vpcs: [vpc('vpc-0a000002', '10.2.0.0/16', A, 'a-data')] }],
  [`${A}/${EU}/DescribeSubnets`]: [
    {
      Subnets: [
        subnet('subnet-0a000001', 'vpc-0a000001', '10.1.1.0/24', 'eu-west-1a', 'euw1-az1', A, EU, 'a-web-a'),
        subnet('subnet-0a000002', 'vpc-0a000002', '10.2.1.0/24', 'eu-west-1b', 'euw1-az2', A, EU, 'a-data-b'),
      ],
    },
  ],
  [`${A}/${EU}/DescribeRouteTables`]: [
    {
      RouteTables: [
        mainTable('rtb-0a000001', 'vpc-0a000001', A, [
          localRoute('10.1.0.0/16'),
          { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a000001', Origin: 'CreateRoute', State: 'active' },
          { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-0a000001', Origin: 'CreateRoute', State: 'active' },
          { DestinationCidrBlock: '10.20.0.0/16', VpcPeeringConnectionId: 'pcx-0a000001', Origin: 'CreateRoute', State: 'active' },
        ]),
        mainTable('rtb-0a000002', 'vpc-0a000002', A, [localRoute('10.2.0.0/16'), { DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-0a000001', Origin: 'CreateRoute', State: 'active' }]),
      ],
    },
  ],
  [`${A}/${EU}/DescribeSecurityGroups`]: [
    {
      SecurityGroups: [
        {
          Description: 'web tier',
          GroupName: 'a-web-sg',
          IpPermissions: [{ FromPort: 443, IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }], ToPort: 443 }],
          OwnerId: A,
          GroupId: 'sg-0a000001',
          IpPermissionsEgress: [allEgress],
          VpcId: 'vpc-0a000001',
          SecurityGroupArn: `arn:aws:ec2:${EU}:${A}:security-group/sg-0a000001`,
        },
        {
          Description: 'data tier',
          GroupName: 'a-data-sg',
          IpPermissions: [{ FromPort: 5432, IpProtocol: 'tcp', ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-0a000001', UserId: A }] }],
          OwnerId: A,
          GroupId: 'sg-0a000002',
          IpPermissionsEgress: [allEgress],
          VpcId: 'vpc-0a000002',
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeNetworkAcls`]: [
    { NetworkAcls: [defaultAcl('acl-0a000001', 'vpc-0a000001', 'subnet-0a000001', A), defaultAcl('acl-0a000002', 'vpc-0a000002', 'subnet-0a000002', A)] },
  ],
  [`${A}/${EU}/DescribeNetworkInterfaces`]: [
    {
      NetworkInterfaces: [
        {
          Association: { IpOwnerId: 'amazon', PublicDnsName: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com', PublicIp: '203.0.113.10' },
          Attachment: { AttachmentId: 'eni-attach-0a000001', DeleteOnTermination: true, DeviceIndex: 0, InstanceId: 'i-0a000001', InstanceOwnerId: A, Status: 'attached' },
          AvailabilityZone: 'eu-west-1a',
          Description: '',
          Groups: [{ GroupId: 'sg-0a000001', GroupName: 'a-web-sg' }],
          InterfaceType: 'interface',
          MacAddress: '06:00:00:00:00:01',
          NetworkInterfaceId: 'eni-0a000001',
          OwnerId: A,
          PrivateIpAddress: '10.1.1.10',
          PrivateIpAddresses: [
            {
              Association: { IpOwnerId: 'amazon', PublicDnsName: 'ec2-203-0-113-10.eu-west-1.compute.amazonaws.com', PublicIp: '203.0.113.10' },
              Primary: true,
              PrivateIpAddress: '10.1.1.10',
            },
          ],
          RequesterManaged: false,
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: 'subnet-0a000001',
          VpcId: 'vpc-0a000001',
        },
        {
          AvailabilityZone: 'eu-west-1a',
          Description: 'ELB net/a-nlb/0a1b2c3d4e5f6a7b',
          InterfaceType: 'network_load_balancer',
          NetworkInterfaceId: 'eni-0a000002',
          OwnerId: A,
          PrivateIpAddress: '10.1.1.20',
          PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.1.1.20' }],
          RequesterId: 'amazon-elb',
          RequesterManaged: true,
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: 'subnet-0a000001',
          VpcId: 'vpc-0a000001',
        },
        {
          Association: { AllocationId: 'eipalloc-0a000001', IpOwnerId: A, PublicIp: '203.0.113.30' },
          AvailabilityZone: 'eu-west-1a',
          Description: 'Interface for NAT Gateway nat-0a000001',
          InterfaceType: 'nat_gateway',
          NetworkInterfaceId: 'eni-0a000003',
          OwnerId: A,
          PrivateIpAddress: '10.1.1.30',
          PrivateIpAddresses: [{ Association: { AllocationId: 'eipalloc-0a000001', IpOwnerId: A, PublicIp: '203.0.113.30' }, Primary: true, PrivateIpAddress: '10.1.1.30' }],
          RequesterId: 'amazon-nat',
          RequesterManaged: true,
          SourceDestCheck: false,
          Status: 'in-use',
          SubnetId: 'subnet-0a000001',
          VpcId: 'vpc-0a000001',
        },
        {
          AvailabilityZone: 'eu-west-1a',
          Description: `ELB ${CLB_NAME}`,
          Groups: [{ GroupId: 'sg-0a000001', GroupName: 'a-web-sg' }],
          InterfaceType: 'interface',
          MacAddress: '06:00:00:00:00:04',
          NetworkInterfaceId: 'eni-0a000004',
          OwnerId: A,
          PrivateDnsName: 'ip-10-1-1-40.eu-west-1.compute.internal',
          PrivateIpAddress: '10.1.1.40',
          PrivateIpAddresses: [{ Primary: true, PrivateDnsName: 'ip-10-1-1-40.eu-west-1.compute.internal', PrivateIpAddress: '10.1.1.40' }],
          RequesterId: 'amazon-elb',
          RequesterManaged: true,
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: 'subnet-0a000001',
          VpcId: 'vpc-0a000001',
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeInstances`]: [
    {
      Reservations: [
        {
          ReservationId: 'r-0a000001',
          OwnerId: A,
          Instances: [
            {
              ImageId: 'ami-0a000001',
              InstanceId: 'i-0a000001',
              InstanceType: 't3.micro',
              LaunchTime: '2024-03-14T10:04:11+00:00',
              Placement: { AvailabilityZone: 'eu-west-1a', Tenancy: 'default' },
              PrivateDnsName: 'ip-10-1-1-10.eu-west-1.compute.internal',
              PrivateIpAddress: '10.1.1.10',
              PublicIpAddress: '203.0.113.10',
              State: { Code: 16, Name: 'running' },
              SubnetId: 'subnet-0a000001',
              VpcId: 'vpc-0a000001',
              NetworkInterfaces: [
                {
                  Attachment: { AttachmentId: 'eni-attach-0a000001', DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached' },
                  Groups: [{ GroupId: 'sg-0a000001', GroupName: 'a-web-sg' }],
                  NetworkInterfaceId: 'eni-0a000001',
                  OwnerId: A,
                  PrivateIpAddress: '10.1.1.10',
                  SourceDestCheck: true,
                  Status: 'in-use',
                  SubnetId: 'subnet-0a000001',
                  VpcId: 'vpc-0a000001',
                },
              ],
              SecurityGroups: [{ GroupId: 'sg-0a000001', GroupName: 'a-web-sg' }],
              SourceDestCheck: true,
              Tags: tag('a-web-1'),
            },
          ],
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeInternetGateways`]: [{ InternetGateways: [{ Attachments: [{ State: 'available', VpcId: 'vpc-0a000001' }], InternetGatewayId: 'igw-0a000001', OwnerId: A, Tags: tag('a-igw') }] }],
  [`${A}/${EU}/DescribeNatGateways`]: [
    {
      NatGateways: [
        {
          CreateTime: '2024-03-14T10:00:00+00:00',
          NatGatewayAddresses: [{ AllocationId: 'eipalloc-0a000001', NetworkInterfaceId: 'eni-0a000003', PrivateIp: '10.1.1.30', PublicIp: '203.0.113.30', IsPrimary: true, Status: 'succeeded' }],
          NatGatewayId: 'nat-0a000001',
          State: 'available',
          SubnetId: 'subnet-0a000001',
          VpcId: 'vpc-0a000001',
          ConnectivityType: 'public',
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeAddresses`]: [
    {
      Addresses: [
        {
          AllocationId: 'eipalloc-0a000001',
          AssociationId: 'eipassoc-0a000001',
          Domain: 'vpc',
          NetworkInterfaceId: 'eni-0a000003',
          NetworkInterfaceOwnerId: A,
          PrivateIpAddress: '10.1.1.30',
          PublicIp: '203.0.113.30',
          PublicIpv4Pool: 'amazon',
          NetworkBorderGroup: EU,
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeVpcEndpointServiceConfigurations`]: [
    {
      ServiceConfigurations: [
        {
          ServiceType: [{ ServiceType: 'Interface' }],
          ServiceId: 'vpce-svc-0a000001',
          ServiceName: SERVICE_NAME,
          ServiceState: 'Available',
          AvailabilityZones: ['eu-west-1a'],
          AcceptanceRequired: false,
          ManagesVpcEndpoints: false,
          NetworkLoadBalancerArns: [NLB_ARN],
          BaseEndpointDnsNames: [`vpce-svc-0a000001.${EU}.vpce.amazonaws.com`],
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeVpcEndpointConnections`]: [
    { VpcEndpointConnections: [{ ServiceId: 'vpce-svc-0a000001', VpcEndpointId: 'vpce-0b000001', VpcEndpointOwner: B, VpcEndpointState: 'available' }] },
  ],
  [`${A}/${EU}/DescribeManagedPrefixLists`]: [
    {
      PrefixLists: [
        { PrefixListId: 'pl-0a000001', AddressFamily: 'IPv4', State: 'create-complete', PrefixListArn: `arn:aws:ec2:${EU}:${A}:prefix-list/pl-0a000001`, PrefixListName: 'a-office', MaxEntries: 10, Version: 1, OwnerId: A },
      ],
    },
  ],
  [`${A}/${EU}/DescribeVpcPeeringConnections`]: [{ VpcPeeringConnections: [peering] }],
  [`${A}/${EU}/DescribeTransitGateways`]: [
    {
      TransitGateways: [
        {
          TransitGatewayId: 'tgw-0a000001',
          TransitGatewayArn: `arn:aws:ec2:${EU}:${A}:transit-gateway/tgw-0a000001`,
          State: 'available',
          OwnerId: A,
          Description: 'a-hub',
          Options: {
            AmazonSideAsn: 64512,
            AutoAcceptSharedAttachments: 'disable',
            DefaultRouteTableAssociation: 'enable',
            AssociationDefaultRouteTableId: 'tgw-rtb-0a000001',
            DefaultRouteTablePropagation: 'enable',
            PropagationDefaultRouteTableId: 'tgw-rtb-0a000001',
            VpnEcmpSupport: 'enable',
            DnsSupport: 'enable',
          },
          Tags: tag('a-hub'),
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeTransitGatewayAttachments`]: [
    {
      TransitGatewayAttachments: ['1', '2'].map((n) => ({
        TransitGatewayAttachmentId: `tgw-attach-0a00000${n}`,
        TransitGatewayId: 'tgw-0a000001',
        TransitGatewayOwnerId: A,
        ResourceOwnerId: A,
        ResourceType: 'vpc',
        ResourceId: `vpc-0a00000${n}`,
        State: 'available',
        Association: { TransitGatewayRouteTableId: 'tgw-rtb-0a000001', State: 'associated' },
      })),
    },
  ],
  [`${A}/${EU}/DescribeTransitGatewayVpcAttachments`]: [
    {
      TransitGatewayVpcAttachments: ['1', '2'].map((n) => ({
        TransitGatewayAttachmentId: `tgw-attach-0a00000${n}`,
        TransitGatewayId: 'tgw-0a000001',
        VpcId: `vpc-0a00000${n}`,
        VpcOwnerId: A,
        State: 'available',
        SubnetIds: [`subnet-0a00000${n}`],
        Options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
      })),
    },
  ],
  [`${A}/${EU}/DescribeTransitGatewayRouteTables`]: [
    { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-0a000001', TransitGatewayId: 'tgw-0a000001', State: 'available', DefaultAssociationRouteTable: true, DefaultPropagationRouteTable: true }] },
  ],
  [`${A}/${EU}/DescribeFlowLogs`]: [
    {
      FlowLogs: [
        {
          CreationTime: '2024-03-14T10:05:00+00:00',
          DeliverLogsStatus: 'SUCCESS',
          FlowLogId: 'fl-0a000001',
          FlowLogStatus: 'ACTIVE',
          LogGroupName: 'a-web-flows',
          ResourceId: 'vpc-0a000001',
          TrafficType: 'ALL',
          LogDestinationType: 'cloud-watch-logs',
          LogDestination: `arn:aws:logs:${EU}:${A}:log-group:a-web-flows`,
          LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
          MaxAggregationInterval: 600,
        },
      ],
    },
  ],
  [`${A}/${EU}/DescribeAvailabilityZones`]: [{ AvailabilityZones: azs(EU, [['eu-west-1a', 'euw1-az1'], ['eu-west-1b', 'euw1-az2']]) }],
  // ---------- account A, us-west-2 ----------
  [`${A}/${US}/DescribeVpcs`]: [{ Vpcs: [vpc('vpc-0a000003', '10.30.0.0/16', A, 'a-west')] }],
  [`${A}/${US}/DescribeSubnets`]: [{ Subnets: [subnet('subnet-0a000003', 'vpc-0a000003', '10.30.1.0/24', 'us-west-2a', 'usw2-az1', A, US, 'a-west-a')] }],
  [`${A}/${US}/DescribeRouteTables`]: [{ RouteTables: [mainTable('rtb-0a000003', 'vpc-0a000003', A, [localRoute('10.30.0.0/16')])] }],
  [`${A}/${US}/DescribeSecurityGroups`]: [
    { SecurityGroups: [{ Description: 'default VPC security group', GroupName: 'default', OwnerId: A, GroupId: 'sg-0a000003', IpPermissionsEgress: [allEgress], VpcId: 'vpc-0a000003' }] },
  ],
  [`${A}/${US}/DescribeNetworkAcls`]: [{ NetworkAcls: [defaultAcl('acl-0a000003', 'vpc-0a000003', 'subnet-0a000003', A)] }],
  [`${A}/${US}/DescribeAvailabilityZones`]: [{ AvailabilityZones: azs(US, [['us-west-2a', 'usw2-az1']]) }],
  // ---------- account B, eu-west-1 ----------
  [`${B}/${EU}/DescribeVpcs`]: [{ Vpcs: [vpc('vpc-0b000001', '10.20.0.0/16', B, 'b-app')] }],
  [`${B}/${EU}/DescribeSubnets`]: [{ Subnets: [subnet('subnet-0b000001', 'vpc-0b000001', '10.20.1.0/24', 'eu-west-1a', 'euw1-az3', B, EU, 'b-app-a')] }],
  [`${B}/${EU}/DescribeRouteTables`]: [
    {
      RouteTables: [
        mainTable('rtb-0b000001', 'vpc-0b000001', B, [
          localRoute('10.20.0.0/16'),
          { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-0a000001', Origin: 'CreateRoute', State: 'active' },
        ]),
      ],
    },
  ],
  [`${B}/${EU}/DescribeSecurityGroups`]: [
    {
      SecurityGroups: [
        {
          Description: 'endpoint',
          GroupName: 'b-endpoint-sg',
          IpPermissions: [{ FromPort: 443, IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.20.0.0/16' }], ToPort: 443 }],
          OwnerId: B,
          GroupId: 'sg-0b000001',
          IpPermissionsEgress: [allEgress],
          VpcId: 'vpc-0b000001',
        },
      ],
    },
  ],
  [`${B}/${EU}/DescribeNetworkAcls`]: [{ NetworkAcls: [defaultAcl('acl-0b000001', 'vpc-0b000001', 'subnet-0b000001', B)] }],
  [`${B}/${EU}/DescribeNetworkInterfaces`]: [
    {
      NetworkInterfaces: [
        {
          AvailabilityZone: 'eu-west-1a',
          Description: 'VPC Endpoint Interface vpce-0b000001',
          Groups: [{ GroupId: 'sg-0b000001', GroupName: 'b-endpoint-sg' }],
          InterfaceType: 'vpc_endpoint',
          NetworkInterfaceId: 'eni-0b000001',
          OwnerId: B,
          PrivateIpAddress: '10.20.1.50',
          PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.20.1.50' }],
          RequesterId: '727180483921',
          RequesterManaged: true,
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: 'subnet-0b000001',
          VpcId: 'vpc-0b000001',
        },
      ],
    },
  ],
  [`${B}/${EU}/DescribeVpcEndpoints`]: [
    {
      VpcEndpoints: [
        {
          VpcEndpointId: 'vpce-0b000001',
          VpcEndpointType: 'Interface',
          VpcId: 'vpc-0b000001',
          ServiceName: SERVICE_NAME,
          State: 'available',
          SubnetIds: ['subnet-0b000001'],
          Groups: [{ GroupId: 'sg-0b000001', GroupName: 'b-endpoint-sg' }],
          IpAddressType: 'ipv4',
          PrivateDnsEnabled: false,
          RequesterManaged: false,
          NetworkInterfaceIds: ['eni-0b000001'],
          DnsEntries: [{ DnsName: `vpce-0b000001-abcd.vpce-svc-0a000001.${EU}.vpce.amazonaws.com`, HostedZoneId: 'Z38GZ743OKFT7T' }],
          CreationTimestamp: '2024-03-15T08:30:00.250000+00:00',
          OwnerId: B,
        },
      ],
    },
  ],
  [`${B}/${EU}/DescribeVpcPeeringConnections`]: [{ VpcPeeringConnections: [peering] }],
  [`${B}/${EU}/DescribeAvailabilityZones`]: [{ AvailabilityZones: azs(EU, [['eu-west-1a', 'euw1-az3']]) }],
};

/** Per-parent EC2 responses by `account/region/Action/parent`. */
export const EC2_CHILDREN: Readonly<Record<string, Doc>> = {
  [`${A}/${EU}/DescribeVpcEndpointServicePermissions/vpce-svc-0a000001`]: {
    AllowedPrincipals: [{ PrincipalType: 'Account', Principal: `arn:aws:iam::${B}:root`, ServicePermissionId: 'vpce-svc-perm-0a000001', ServiceId: 'vpce-svc-0a000001' }],
  },
  [`${A}/${EU}/GetManagedPrefixListEntries/pl-0a000001`]: { Entries: [{ Cidr: '192.0.2.0/24', Description: 'office' }, { Cidr: '198.51.100.0/24' }] },
  [`${A}/${EU}/SearchTransitGatewayRoutes/tgw-rtb-0a000001`]: {
    Routes: [tgwRoute('10.1.0.0/16', 'tgw-attach-0a000001', 'vpc-0a000001'), tgwRoute('10.2.0.0/16', 'tgw-attach-0a000002', 'vpc-0a000002')],
    AdditionalRoutesAvailable: false,
  },
  [`${A}/${EU}/GetTransitGatewayRouteTableAssociations/tgw-rtb-0a000001`]: {
    Associations: [tgwLink('tgw-attach-0a000001', 'vpc-0a000001', 'associated'), tgwLink('tgw-attach-0a000002', 'vpc-0a000002', 'associated')],
  },
  [`${A}/${EU}/GetTransitGatewayRouteTablePropagations/tgw-rtb-0a000001`]: {
    TransitGatewayRouteTablePropagations: [tgwLink('tgw-attach-0a000001', 'vpc-0a000001', 'enabled'), tgwLink('tgw-attach-0a000002', 'vpc-0a000002', 'enabled')],
  },
};

/** DNS attributes per VPC: [enableDnsSupport, enableDnsHostnames]. */
export const VPC_DNS: Readonly<Record<string, readonly [boolean, boolean]>> = {
  'vpc-0a000001': [true, true],
  'vpc-0a000002': [true, false],
  'vpc-0a000003': [true, true],
  'vpc-0b000001': [true, true],
};

// ---------- Elastic Load Balancing (account A, eu-west-1) ----------

const nlb: Doc = {
  LoadBalancerArn: NLB_ARN,
  DNSName: 'a-nlb-0a1b2c3d4e5f6a7b.elb.eu-west-1.amazonaws.com',
  CanonicalHostedZoneId: 'Z2IFOLAFXWLO4F',
  CreatedTime: '2024-03-14T10:10:00.500000+00:00',
  LoadBalancerName: 'a-nlb',
  Scheme: 'internal',
  VpcId: 'vpc-0a000001',
  State: { Code: 'active' },
  Type: 'network',
  AvailabilityZones: [{ ZoneName: 'eu-west-1a', SubnetId: 'subnet-0a000001', LoadBalancerAddresses: [{ PrivateIPv4Address: '10.1.1.20' }] }],
  IpAddressType: 'ipv4',
};
const alb: Doc = {
  LoadBalancerArn: ALB_ARN,
  DNSName: 'a-alb-1234567890.eu-west-1.elb.amazonaws.com',
  CanonicalHostedZoneId: 'Z32O12XQLNTSW2',
  CreatedTime: '2024-03-14T10:11:00+00:00',
  LoadBalancerName: 'a-alb',
  Scheme: 'internet-facing',
  VpcId: 'vpc-0a000001',
  State: { Code: 'active' },
  Type: 'application',
  AvailabilityZones: [{ ZoneName: 'eu-west-1a', SubnetId: 'subnet-0a000001' }],
  SecurityGroups: ['sg-0a000001'],
  IpAddressType: 'ipv4',
};
const targetGroup = (arn: string, name: string, protocol: string, port: number, lb: string): Doc => ({
  TargetGroupArn: arn,
  TargetGroupName: name,
  Protocol: protocol,
  Port: port,
  VpcId: 'vpc-0a000001',
  HealthCheckProtocol: protocol,
  HealthCheckPort: 'traffic-port',
  HealthCheckEnabled: true,
  TargetType: 'instance',
  LoadBalancerArns: [lb],
  IpAddressType: 'ipv4',
});
const forward = (tg: string): Doc[] => [{ Type: 'forward', TargetGroupArn: tg, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }];

export const ELB_PAGES: Readonly<Record<string, readonly Doc[]>> = {
  [`${A}/${EU}/DescribeLoadBalancers`]: [{ LoadBalancers: [nlb] }, { LoadBalancers: [alb] }],
  [`${A}/${EU}/DescribeTargetGroups`]: [{ TargetGroups: [targetGroup(TG_TLS, 'a-tls', 'TCP', 443, NLB_ARN), targetGroup(TG_WEB, 'a-web', 'HTTP', 80, ALB_ARN)] }],
};

export const ELB_CHILDREN: Readonly<Record<string, Doc>> = {
  [`DescribeListeners/${NLB_ARN}`]: {
    Listeners: [{ ListenerArn: `${NLB_ARN.replace(':loadbalancer/', ':listener/')}/aa11bb22cc33dd44`, LoadBalancerArn: NLB_ARN, Port: 443, Protocol: 'TCP', DefaultActions: forward(TG_TLS) }],
  },
  [`DescribeListeners/${ALB_ARN}`]: {
    Listeners: [{ ListenerArn: `${ALB_ARN.replace(':loadbalancer/', ':listener/')}/bb22cc33dd44ee55`, LoadBalancerArn: ALB_ARN, Port: 80, Protocol: 'HTTP', DefaultActions: forward(TG_WEB) }],
  },
  [`DescribeLoadBalancerAttributes/${NLB_ARN}`]: { Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }] },
  [`DescribeLoadBalancerAttributes/${ALB_ARN}`]: { Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '60' }] },
  [`DescribeTargetHealth/${TG_TLS}`]: { TargetHealthDescriptions: [{ Target: { Id: 'i-0a000001', Port: 443 }, HealthCheckPort: '443', TargetHealth: { State: 'healthy' } }] },
  [`DescribeTargetHealth/${TG_WEB}`]: { TargetHealthDescriptions: [{ Target: { Id: 'i-0a000001', Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' } }] },
  [`DescribeTargetGroupAttributes/${TG_TLS}`]: { Attributes: [{ Key: 'preserve_client_ip.enabled', Value: 'true' }, { Key: 'proxy_protocol_v2.enabled', Value: 'false' }] },
  [`DescribeTargetGroupAttributes/${TG_WEB}`]: { Attributes: [{ Key: 'stickiness.enabled', Value: 'false' }] },
};

// ---------- Classic Load Balancers (account A, eu-west-1; `elb describe-load-balancers`, two pages) ----------

const classic = (name: string, o: { dns: string; zone: string; subnet: string; vpc: string; sg: string; instances: string[]; listener: Doc; created: string }): Doc => ({
  LoadBalancerName: name,
  DNSName: o.dns,
  CanonicalHostedZoneName: o.dns,
  CanonicalHostedZoneNameID: 'Z32O12XQLNTSW2',
  ListenerDescriptions: [{ Listener: o.listener, PolicyNames: [] }],
  Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
  BackendServerDescriptions: [],
  AvailabilityZones: [o.zone],
  Subnets: [o.subnet],
  VPCId: o.vpc,
  Instances: o.instances.map((InstanceId) => ({ InstanceId })),
  HealthCheck: { Target: `TCP:${String(o.listener.InstancePort)}`, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
  SourceSecurityGroup: { OwnerAlias: A, GroupName: o.sg === 'sg-0a000001' ? 'a-web-sg' : 'a-data-sg' },
  SecurityGroups: [o.sg],
  CreatedTime: o.created,
  Scheme: 'internal',
});

export const CLB_PAGES: Readonly<Record<string, readonly Doc[]>> = {
  [`${A}/${EU}/DescribeLoadBalancers`]: [
    {
      LoadBalancerDescriptions: [
        classic(CLB_NAME, {
          dns: 'internal-a-classic-1234567890.eu-west-1.elb.amazonaws.com',
          zone: 'eu-west-1a',
          subnet: 'subnet-0a000001',
          vpc: 'vpc-0a000001',
          sg: 'sg-0a000001',
          instances: ['i-0a000001'],
          listener: { Protocol: 'TCP', LoadBalancerPort: 443, InstanceProtocol: 'TCP', InstancePort: 443 },
          created: '2024-03-14T10:12:00.250000+00:00',
        }),
      ],
    },
    {
      LoadBalancerDescriptions: [
        classic(CLB_OLD_NAME, {
          dns: 'internal-a-classic-old-987654321.eu-west-1.elb.amazonaws.com',
          zone: 'eu-west-1b',
          subnet: 'subnet-0a000002',
          vpc: 'vpc-0a000002',
          sg: 'sg-0a000002',
          instances: [],
          listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 },
          created: '2019-06-01T08:00:00+00:00',
        }),
      ],
    },
  ],
};

/**
 * Per Classic Load Balancer (`elb describe-instance-health`, `elb describe-load-balancer-attributes`), by
 * `Action/LoadBalancerName`: a-classic's one instance InService and cross-zone on; a-classic-old has no
 * instances (an empty list) and cross-zone off. Shapes from the Classic Load Balancing API (2012-06-01):
 * InstanceStates of InstanceState {InstanceId, State, ReasonCode, Description}; LoadBalancerAttributes
 * {CrossZoneLoadBalancing, AccessLog, ConnectionDraining, ConnectionSettings, AdditionalAttributes}.
 */
export const CLB_CHILDREN: Readonly<Record<string, Doc>> = {
  [`DescribeInstanceHealth/${CLB_NAME}`]: { InstanceStates: [{ InstanceId: 'i-0a000001', State: 'InService', ReasonCode: 'N/A', Description: 'N/A' }] },
  [`DescribeInstanceHealth/${CLB_OLD_NAME}`]: { InstanceStates: [] },
  [`DescribeLoadBalancerAttributes/${CLB_NAME}`]: {
    LoadBalancerAttributes: {
      CrossZoneLoadBalancing: { Enabled: true },
      AccessLog: { Enabled: false },
      ConnectionDraining: { Enabled: true, Timeout: 300 },
      ConnectionSettings: { IdleTimeout: 60 },
      AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
    },
  },
  [`DescribeLoadBalancerAttributes/${CLB_OLD_NAME}`]: {
    LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: false }, AccessLog: { Enabled: false }, ConnectionDraining: { Enabled: false, Timeout: 300 }, ConnectionSettings: { IdleTimeout: 60 } },
  },
};

// ---------- Direct Connect gateways (account A, global; listed in the home region, two pages) ----------

const dxGateway = (id: string, name: string, asn: number): Doc => ({
  directConnectGatewayId: id,
  directConnectGatewayName: name,
  amazonSideAsn: asn,
  ownerAccount: A,
  directConnectGatewayState: 'available',
});

/** By account; every account has the call made once, in the home region. */
export const DX_PAGES: Readonly<Record<string, readonly Doc[]>> = {
  [A]: [{ directConnectGateways: [dxGateway(DX_GATEWAYS[0], 'a-dx-primary', 64512)] }, { directConnectGateways: [dxGateway(DX_GATEWAYS[1], 'a-dx-secondary', 64513)] }],
};

/** Associations by gateway: the primary to account A's transit gateway with two allowed prefixes; the secondary none. */
export const DX_ASSOCIATIONS: Readonly<Record<string, Doc>> = {
  [DX_GATEWAYS[0]]: {
    directConnectGatewayAssociations: [
      {
        directConnectGatewayId: DX_GATEWAYS[0],
        directConnectGatewayOwnerAccount: A,
        associationState: 'associated',
        associationId: 'c1a2b3c4-0a00-4a00-8a00-0a0000000001',
        associatedGateway: { id: 'tgw-0a000001', type: 'transitGateway', ownerAccount: A, region: EU },
        allowedPrefixesToDirectConnectGateway: [{ cidr: '10.1.0.0/16' }, { cidr: '10.2.0.0/16' }],
      },
    ],
  },
  [DX_GATEWAYS[1]]: { directConnectGatewayAssociations: [] },
};

// ---------- Route 53 (account A) ----------

export const HOSTED_ZONE: Doc = { Id: `/hostedzone/${ZONE}`, Name: 'internal.example.', CallerReference: 'a-internal-1', Config: { Comment: 'a private zone', PrivateZone: true }, ResourceRecordSetCount: 4 };
export const ZONE_VPCS: Doc[] = [{ VPCRegion: EU, VPCId: 'vpc-0a000001' }];
export const RECORD_PAGES: readonly Doc[][] = [
  [
    { Name: 'internal.example.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1536.awsdns-00.co.uk.' }, { Value: 'ns-0.awsdns-00.com.' }] },
    { Name: 'internal.example.', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }] },
  ],
  [
    { Name: 'api.internal.example.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.1.1.10' }] },
    { Name: 'tls.internal.example.', Type: 'A', AliasTarget: { HostedZoneId: 'Z2IFOLAFXWLO4F', DNSName: 'a-nlb-0a1b2c3d4e5f6a7b.elb.eu-west-1.amazonaws.com.', EvaluateTargetHealth: false } },
  ],
];

// ---------- responder ----------

/** What the server has to know about a request to answer it: the account behind its access key. */
function accountOf(req: AwsRequest): string | undefined {
  if (req.accessKeyId === CALLER_KEY) return CALLER;
  const m = /^ASIATEST(\d{12})$/.exec(req.accessKeyId);
  // Assumed credentials are only good with their session token.
  return m && req.sessionToken === assumedToken(m[1]!) ? m[1] : undefined;
}

/** Whether a request is a Classic Load Balancing one (same signing name as ELBv2, other API version). */
export const isClassic = (req: AwsRequest): boolean => req.service === 'elasticloadbalancing' && req.params.Version === CLB_VERSION;

/** The collector's name for the call a request makes (its file name stem): Classic DescribeLoadBalancers has its own. */
export const callOf = (req: AwsRequest): string =>
  isClassic(req) && (req.action === 'DescribeLoadBalancers' || req.action === 'DescribeLoadBalancerAttributes') ? `${req.action}-classic` : req.action;

/** The file a request's output belongs in (the layout of docs/collect.md), for checking what a resumed run calls. */
export function fileOfRequest(req: AwsRequest): string | undefined {
  const account = accountOf(req);
  if (!account || req.service === 'sts' || req.service === 'organizations') return undefined;
  const p = req.params;
  const elbName = (arn: string | undefined) => (arn ?? '').split('/').slice(-2, -1)[0];
  const parent: Record<string, string | undefined> = {
    DescribeVpcAttribute: p.Attribute && p.VpcId ? `${p.Attribute}.${p.VpcId}` : undefined,
    DescribeVpcEndpointServicePermissions: p.ServiceId,
    GetManagedPrefixListEntries: p.PrefixListId,
    SearchTransitGatewayRoutes: p.TransitGatewayRouteTableId,
    GetTransitGatewayRouteTableAssociations: p.TransitGatewayRouteTableId,
    GetTransitGatewayRouteTablePropagations: p.TransitGatewayRouteTableId,
    DescribeListeners: elbName(p.LoadBalancerArn),
    DescribeLoadBalancerAttributes: elbName(p.LoadBalancerArn),
    DescribeTargetHealth: elbName(p.TargetGroupArn),
    DescribeTargetGroupAttributes: elbName(p.TargetGroupArn),
    GetHostedZone: p.Id,
    ListResourceRecordSets: p.Id,
  };
  const region = req.service === 'route53' || req.service === 'directconnect' || req.action === 'DescribeRegions' ? 'global' : req.region;
  const token = isClassic(req) ? p.LoadBalancerName : parent[req.action];
  return `${account}/${region}/${callOf(req)}${token ? `.${token}` : ''}.json`;
}

export interface EstateOptions {
  /** Delay of the slow call (A, us-west-2, DescribeSubnets). */
  readonly slowMs?: number;
}

/** A responder with its own state (which throttles were already served). */
export function createEstate(o: EstateOptions = {}): (req: AwsRequest) => Reply {
  const throttled = new Set<string>();
  const throttleOnce = (key: string) => (throttled.has(key) ? false : (throttled.add(key), true));
  return (req) => {
    const account = accountOf(req);
    const p = req.params;
    if (req.service === 'sts') {
      if (req.action === 'GetCallerIdentity') {
        if (!account) return { status: 403, body: queryError(STS_NS, 'InvalidClientTokenId', 'The security token included in the request is invalid.') };
        return { body: queryResponse(STS_NS, 'GetCallerIdentity', { UserId: 'AIDATESTCALLER', Account: account, Arn: `arn:aws:iam::${account}:user/collector` }) };
      }
      if (req.action === 'AssumeRole') {
        const target = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(p.RoleArn ?? '');
        if (account !== CALLER || !target || target[2] !== ROLE || target[1] === D || target[1] === C)
          return { status: 403, body: queryError(STS_NS, 'AccessDenied', `User: arn:aws:iam::${CALLER}:user/collector is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`) };
        const t = target[1]!;
        return {
          body: queryResponse(STS_NS, 'AssumeRole', {
            Credentials: { AccessKeyId: assumedKey(t), SecretAccessKey: assumedSecret(t), SessionToken: assumedToken(t), Expiration: '2099-01-01T00:00:00+00:00' },
            AssumedRoleUser: { AssumedRoleId: `AROATEST:${p.RoleSessionName}`, Arn: `arn:aws:sts::${t}:assumed-role/${ROLE}/${p.RoleSessionName}` },
          }),
        };
      }
    }
    if (req.service === 'organizations' && req.action === 'ListAccounts') {
      const acct = (id: string, status: string) => ({ Id: id, Arn: `arn:aws:organizations::${CALLER}:account/o-test/${id}`, Email: `${id}@example.com`, Name: `acct-${id}`, Status: status, JoinedMethod: 'CREATED', JoinedTimestamp: 1.7e9 });
      const page = p.NextToken === 'page-2' ? { Accounts: [acct(B, 'ACTIVE'), acct(D, 'ACTIVE')] } : { Accounts: [acct(A, 'ACTIVE'), acct(C, 'SUSPENDED')], NextToken: 'page-2' };
      return { body: JSON.stringify(page), contentType: 'application/x-amz-json-1.1' };
    }
    if (!account || account === CALLER) {
      if (req.service === 'directconnect') return { status: 403, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'wrong credentials' }), contentType: 'application/x-amz-json-1.1' };
      const body = req.service === 'ec2' ? ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials') : req.service === 'route53' ? route53Error('AccessDenied', 'wrong credentials') : queryError(EC2_NS, 'AccessDenied', 'wrong credentials');
      return { status: 403, body };
    }
    const scope = `${account}/${req.region}`;
    if (req.service === 'ec2') {
      if (account === B && req.region === US)
        return { status: 403, body: ec2Error('UnauthorizedOperation', `You are not authorized to perform this operation. User: arn:aws:sts::${B}:assumed-role/${ROLE}/vpctwin-collect (key ${req.accessKeyId}) is not authorized to perform: ec2:${req.action}`) };
      if (req.action === 'DescribeRegions')
        return { body: ec2Response('DescribeRegions', { Regions: [EU, US].map((r) => ({ Endpoint: `ec2.${r}.amazonaws.com`, RegionName: r, OptInStatus: 'opt-in-not-required' })) }) };
      if (req.action === 'DescribeSecurityGroups' && scope === `${A}/${EU}` && throttleOnce('ec2'))
        return { status: 400, body: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') };
      if (req.action === 'DescribeVpcAttribute') {
        const dns = VPC_DNS[p.VpcId ?? ''];
        if (!dns) return { status: 400, body: ec2Error('InvalidVpcID.NotFound', `The vpc ID '${p.VpcId}' does not exist`) };
        const member = p.Attribute === 'enableDnsSupport' ? 'EnableDnsSupport' : 'EnableDnsHostnames';
        return { body: ec2Response('DescribeVpcAttribute', { VpcId: p.VpcId, [member]: { Value: p.Attribute === 'enableDnsSupport' ? dns[0] : dns[1] } }) };
      }
      const parentId = p.ServiceId ?? p.PrefixListId ?? p.TransitGatewayRouteTableId;
      if (parentId) return { body: ec2Response(req.action, EC2_CHILDREN[`${scope}/${req.action}/${parentId}`] ?? {}) };
      const pages = EC2_PAGES[`${scope}/${req.action}`] ?? [{}];
      const index = p.NextToken ? Number(p.NextToken.replace('page-', '')) - 1 : 0;
      const page = { ...pages[index], ...(index + 1 < pages.length ? { NextToken: `page-${index + 2}` } : {}) };
      const slow = req.action === 'DescribeSubnets' && scope === `${A}/${US}` ? o.slowMs ?? 300 : 0;
      return { body: ec2Response(req.action, page), delayMs: slow };
    }
    if (isClassic(req)) {
      if (account === B && req.region === US) return { status: 403, body: queryError(CLB_NS, 'AccessDenied', `User is not authorized to perform: elasticloadbalancing:${req.action}`) };
      if (req.action === 'DescribeInstanceHealth' || req.action === 'DescribeLoadBalancerAttributes') {
        const doc = CLB_CHILDREN[`${req.action}/${p.LoadBalancerName ?? ''}`];
        return doc ? { body: queryResponse(CLB_NS, req.action, doc) } : { status: 400, body: queryError(CLB_NS, 'LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${p.LoadBalancerName}'`) };
      }
      if (req.action !== 'DescribeLoadBalancers') return { status: 400, body: queryError(CLB_NS, 'InvalidAction', `not served: ${req.action}`) };
      const pages = CLB_PAGES[`${scope}/${req.action}`] ?? [{}];
      const index = p.Marker ? Number(p.Marker.replace('clb-marker-', '')) - 1 : 0;
      const page = { ...pages[index], ...(index + 1 < pages.length ? { NextMarker: `clb-marker-${index + 2}` } : {}) };
      return { body: queryResponse(CLB_NS, req.action, page) };
    }
    if (req.service === 'directconnect') {
      if (req.action === 'DescribeDirectConnectGatewayAssociations') {
        const doc = DX_ASSOCIATIONS[p.directConnectGatewayId ?? ''];
        return doc
          ? { body: JSON.stringify(doc), contentType: 'application/x-amz-json-1.1' }
          : { status: 400, body: JSON.stringify({ __type: 'DirectConnectClientException', message: `no gateway ${p.directConnectGatewayId}` }), contentType: 'application/x-amz-json-1.1' };
      }
      if (req.action !== 'DescribeDirectConnectGateways') return { status: 400, body: JSON.stringify({ __type: 'DirectConnectClientException', message: `not served: ${req.action}` }), contentType: 'application/x-amz-json-1.1' };
      const pages = DX_PAGES[account] ?? [{ directConnectGateways: [] }];
      const index = p.nextToken ? Number(p.nextToken.replace('dx-page-', '')) - 1 : 0;
      const page = { ...pages[index], ...(index + 1 < pages.length ? { nextToken: `dx-page-${index + 2}` } : {}) };
      return { body: JSON.stringify(page), contentType: 'application/x-amz-json-1.1' };
    }
    if (req.service === 'elasticloadbalancing') {
      if (account === B && req.region === US) return { status: 403, body: queryError(EC2_NS, 'AccessDenied', `User is not authorized to perform: elasticloadbalancing:${req.action}`) };
      if (req.action === 'DescribeTargetGroups' && scope === `${A}/${EU}` && throttleOnce('elb')) return { status: 400, body: queryError(EC2_NS, 'Throttling', 'Rate exceeded') };
      const parentArn = p.LoadBalancerArn ?? p.TargetGroupArn;
      if (parentArn) {
        const doc = ELB_CHILDREN[`${req.action}/${parentArn}`];
        return doc ? { body: queryResponse(EC2_NS, req.action, doc) } : { status: 400, body: queryError(EC2_NS, 'LoadBalancerNotFound', `not found: ${parentArn}`) };
      }
      const pages = ELB_PAGES[`${scope}/${req.action}`] ?? [{}];
      const index = p.Marker ? Number(p.Marker.replace('marker-', '')) - 1 : 0;
      const page = { ...pages[index], ...(index + 1 < pages.length ? { NextMarker: `marker-${index + 2}` } : {}) };
      return { body: queryResponse(EC2_NS, req.action, page) };
    }
    if (req.service === 'route53') {
      const mine = account === A;
      if (req.action === 'ListHostedZones') return { body: route53Response('ListHostedZones', { HostedZones: mine ? [HOSTED_ZONE] : [], IsTruncated: false, MaxItems: '100' }) };
      if (req.action === 'GetHostedZone' && mine && p.Id === ZONE) return { body: route53Response('GetHostedZone', { HostedZone: HOSTED_ZONE, VPCs: ZONE_VPCS }) };
      if (req.action === 'ListResourceRecordSets' && mine && p.Id === ZONE) {
        const second = p.name === 'api.internal.example.' && p.type === 'A';
        return {
          body: route53Response('ListResourceRecordSets', {
            ResourceRecordSets: RECORD_PAGES[second ? 1 : 0],
            IsTruncated: !second,
            ...(second ? {} : { NextRecordName: 'api.internal.example.', NextRecordType: 'A' }),
            MaxItems: '2',
          }),
        };
      }
      return { status: 404, body: route53Error('NoSuchHostedZone', `No hosted zone found with ID: ${p.Id}`) };
    }
    return { status: 400, body: ec2Error('InvalidAction', `unknown ${req.service} ${req.action}`) };
  };
}

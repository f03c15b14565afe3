/**
 * Small snapshots for flow-log tests, written as describe-* JSON from a compact description: one VPC, its
 * subnets, security groups, one network ACL for every subnet, interfaces, and optionally NAT gateways,
 * route tables and an internet gateway.
 */
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../../src/model/network.js';
import { tempSnapshot } from '../../helpers/temp-snapshot.js';

export interface Permission {
  readonly IpProtocol: string;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly IpRanges?: readonly { CidrIp: string }[];
  readonly Ipv6Ranges?: readonly { CidrIpv6: string }[];
}

export interface AclEntry {
  readonly RuleNumber: number;
  readonly Egress: boolean;
  readonly RuleAction: 'allow' | 'deny';
  readonly Protocol: string;
  readonly CidrBlock?: string;
  readonly Ipv6CidrBlock?: string;
  readonly PortRange?: { From: number; To: number };
  readonly IcmpTypeCode?: { Type: number; Code: number };
}

export interface SnapshotSpec {
  readonly account?: string;
  readonly region?: string;
  readonly vpcId?: string;
  readonly vpcCidr: string;
  readonly vpcIpv6?: string;
  readonly subnets: readonly { id: string; cidr: string; ipv6?: string; az?: string; azId?: string; routeTable?: string }[];
  readonly securityGroups?: readonly { id: string; name?: string; ingress?: readonly Permission[]; egress?: readonly Permission[] }[];
  /** Entries of the one network ACL (default: allow everything both ways, IPv4 and IPv6). */
  readonly acl?: readonly AclEntry[];
  readonly enis: readonly {
    id: string;
    subnet: string;
    ip: string;
    ipv6?: string;
    groups?: readonly string[];
    instance?: string;
    type?: string;
    description?: string;
  }[];
  readonly natGateways?: readonly { id: string; subnet: string; eni: string; ip: string; publicIp: string }[];
  readonly routeTables?: readonly { id: string; routes: readonly { cidr: string; gateway?: string; nat?: string }[]; main?: boolean }[];
  readonly internetGateway?: string;
  readonly flowLogs?: readonly { id: string; resource: string; format?: string; traffic?: 'ALL' | 'ACCEPT' | 'REJECT' }[];
}

export const ALLOW_ALL: readonly AclEntry[] = [
  { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 101, Egress: false, RuleAction: 'allow', Protocol: '-1', Ipv6CidrBlock: '::/0' },
  { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 101, Egress: true, RuleAction: 'allow', Protocol: '-1', Ipv6CidrBlock: '::/0' },
];

/** Writes the snapshot and returns its folder. */
export function writeSpec(s: SnapshotSpec): string {
  const account = s.account ?? '123456789010';
  const region = s.region ?? 'us-east-1';
  const vpc = s.vpcId ?? 'vpc-abcdefab012345678';
  const at = (f: string) => `${account}/${region}/${f}`;
  const ipv6Set = (c?: string) => (c ? [{ Ipv6CidrBlock: c, Ipv6CidrBlockState: { State: 'associated' } }] : []);
  const files: Record<string, unknown> = {
    [at('vpcs.json')]: { Vpcs: [{ VpcId: vpc, CidrBlock: s.vpcCidr, Ipv6CidrBlockAssociationSet: ipv6Set(s.vpcIpv6), State: 'available', OwnerId: account }] },
    [at('subnets.json')]: {
      Subnets: s.subnets.map((x) => ({
        SubnetId: x.id,
        VpcId: vpc,
        CidrBlock: x.cidr,
        Ipv6CidrBlockAssociationSet: ipv6Set(x.ipv6),
        AvailabilityZone: x.az ?? `${region}a`,
        ...(x.azId ? { AvailabilityZoneId: x.azId } : {}),
        State: 'available',
      })),
    },
    [at('security-groups.json')]: {
      SecurityGroups: (s.securityGroups ?? []).map((g) => ({
        GroupId: g.id,
        GroupName: g.name ?? g.id,
        VpcId: vpc,
        IpPermissions: g.ingress ?? [],
        IpPermissionsEgress: g.egress ?? [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      })),
    },
    [at('network-acls.json')]: {
      NetworkAcls: [
        {
          NetworkAclId: 'acl-0123456789abcdef0',
          VpcId: vpc,
          IsDefault: true,
          Associations: s.subnets.map((x) => ({ SubnetId: x.id })),
          Entries: [
            ...(s.acl ?? ALLOW_ALL),
            { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
            { RuleNumber: 32767, Egress: true, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
          ],
        },
      ],
    },
    [at('network-interfaces.json')]: {
      NetworkInterfaces: s.enis.map((e) => ({
        NetworkInterfaceId: e.id,
        VpcId: vpc,
        SubnetId: e.subnet,
        PrivateIpAddress: e.ip,
        PrivateIpAddresses: [{ PrivateIpAddress: e.ip, Primary: true }],
        Ipv6Addresses: e.ipv6 ? [{ Ipv6Address: e.ipv6 }] : [],
        Groups: (e.groups ?? []).map((g) => ({ GroupId: g })),
        InterfaceType: e.type ?? 'interface',
        Description: e.description ?? '',
        RequesterManaged: e.type !== undefined && e.type !== 'interface',
        ...(e.type !== undefined && e.type !== 'interface' ? { RequesterId: 'AWS' } : {}),
        SourceDestCheck: e.type === undefined || e.type === 'interface',
        Status: 'in-use',
        OwnerId: account,
        ...(e.instance ? { Attachment: { InstanceId: e.instance, DeviceIndex: 0, Status: 'attached' } } : {}),
      })),
    },
  };
  if (s.natGateways)
    files[at('nat-gateways.json')] = {
      NatGateways: s.natGateways.map((n) => ({
        NatGatewayId: n.id,
        VpcId: vpc,
        SubnetId: n.subnet,
        State: 'available',
        ConnectivityType: 'public',
        NatGatewayAddresses: [{ NetworkInterfaceId: n.eni, PrivateIp: n.ip, PublicIp: n.publicIp, AllocationId: `eipalloc-${n.id.slice(4)}`, IsPrimary: true }],
      })),
    };
  if (s.routeTables)
    files[at('route-tables.json')] = {
      RouteTables: s.routeTables.map((t) => ({
        RouteTableId: t.id,
        VpcId: vpc,
        Routes: [
          { DestinationCidrBlock: s.vpcCidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
          ...t.routes.map((r) => ({ DestinationCidrBlock: r.cidr, ...(r.gateway ? { GatewayId: r.gateway } : {}), ...(r.nat ? { NatGatewayId: r.nat } : {}), State: 'active', Origin: 'CreateRoute' })),
        ],
        Associations: [
          ...(t.main ? [{ Main: true, AssociationState: { State: 'associated' } }] : []),
          ...s.subnets.filter((x) => x.routeTable === t.id).map((x) => ({ Main: false, SubnetId: x.id, AssociationState: { State: 'associated' } })),
        ],
      })),
    };
  if (s.internetGateway) files[at('internet-gateways.json')] = { InternetGateways: [{ InternetGatewayId: s.internetGateway, Attachments: [{ VpcId: vpc, State: 'available' }] }] };
  if (s.flowLogs)
    files[at('flow-logs.json')] = {
      FlowLogs: s.flowLogs.map((f) => ({
        FlowLogId: f.id,
        ResourceId: f.resource,
        TrafficType: f.traffic ?? 'ALL',
        FlowLogStatus: 'ACTIVE',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::flow-log-bucket',
        ...(f.format ? { LogFormat: f.format } : {}),
      })),
    };
  return tempSnapshot(files);
}

export function specModel(s: SnapshotSpec): NetworkModel {
  return loadSnapshot(writeSpec(s));
}

/**
 * One interface whose security-group rules and NACL entries have port ranges on both sides of 1024 and of
 * each other (22, 53, 443, 1024-32767, 8000-8100 denied from 203.0.113.0/24, 8000-8999): the rule
 * boundaries that the distinct-flow cache and the DuckDB port classes must respect.
 */
export function ruleBoundaryModel(): NetworkModel {
  return specModel({
    vpcCidr: '10.0.0.0/16',
    subnets: [{ id: 'subnet-0aa00000000000001', cidr: '10.0.1.0/24' }],
    securityGroups: [
      {
        id: 'sg-0aa00000000000001',
        ingress: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8999, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
        egress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ],
    acl: [
      { RuleNumber: 90, Egress: false, RuleAction: 'deny', Protocol: '6', CidrBlock: '203.0.113.0/24', PortRange: { From: 8000, To: 8100 } },
      { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 32767 } },
      { RuleNumber: 110, Egress: true, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } },
      { RuleNumber: 120, Egress: true, RuleAction: 'allow', Protocol: '17', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
    ],
    enis: [{ id: 'eni-0aa00000000000001', subnet: 'subnet-0aa00000000000001', ip: '10.0.1.10', groups: ['sg-0aa00000000000001'] }],
  });
}

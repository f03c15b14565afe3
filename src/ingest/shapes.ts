/**
 * Zod shapes of the describe-* elements vpctwin reads (AWS CLI/SDK member names, aws-vpc-semantics §12).
 * Only fields the model uses are declared; everything else passes through untouched. A wrong type at a
 * declared field becomes an `INVALID_FIELD` issue naming the JSON path, and that element is skipped.
 */
import { z } from 'zod';

const str = z.string();
const optStr = z.string().optional();
const optBool = z.boolean().optional();
const optNum = z.number().optional();
const strList = z.array(z.string()).optional();
const tagList = z.array(z.looseObject({ Key: z.string(), Value: z.string().optional() })).optional();
const groupList = z.array(z.looseObject({ GroupId: z.string(), GroupName: optStr })).optional();

export const VpcShape = z.looseObject({
  VpcId: str,
  OwnerId: optStr,
  State: optStr,
  CidrBlock: optStr,
  IsDefault: optBool,
  CidrBlockAssociationSet: z
    .array(z.looseObject({ CidrBlock: str, CidrBlockState: z.looseObject({ State: optStr }).optional() }))
    .optional(),
  Ipv6CidrBlockAssociationSet: z
    .array(z.looseObject({ Ipv6CidrBlock: optStr, Ipv6CidrBlockState: z.looseObject({ State: optStr }).optional() }))
    .optional(),
  Tags: tagList,
});

export const SubnetShape = z.looseObject({
  SubnetId: str,
  VpcId: str,
  OwnerId: optStr,
  SubnetArn: optStr,
  State: optStr,
  AvailabilityZone: optStr,
  AvailabilityZoneId: optStr,
  CidrBlock: optStr,
  MapPublicIpOnLaunch: optBool,
  Ipv6CidrBlockAssociationSet: z
    .array(z.looseObject({ Ipv6CidrBlock: optStr, Ipv6CidrBlockState: z.looseObject({ State: optStr }).optional() }))
    .optional(),
  Tags: tagList,
});

export const RouteShape = z.looseObject({
  DestinationCidrBlock: optStr,
  DestinationIpv6CidrBlock: optStr,
  DestinationPrefixListId: optStr,
  GatewayId: optStr,
  NatGatewayId: optStr,
  EgressOnlyInternetGatewayId: optStr,
  TransitGatewayId: optStr,
  VpcPeeringConnectionId: optStr,
  NetworkInterfaceId: optStr,
  InstanceId: optStr,
  CarrierGatewayId: optStr,
  LocalGatewayId: optStr,
  CoreNetworkArn: optStr,
  VpcEndpointId: optStr,
  State: optStr,
  Origin: optStr,
});

export const RouteTableShape = z.looseObject({
  RouteTableId: str,
  VpcId: str,
  OwnerId: optStr,
  Routes: z.array(RouteShape).optional(),
  Associations: z
    .array(
      z.looseObject({
        RouteTableAssociationId: optStr,
        Main: optBool,
        SubnetId: optStr,
        GatewayId: optStr,
        AssociationState: z.looseObject({ State: optStr }).optional(),
      }),
    )
    .optional(),
  PropagatingVgws: z.array(z.looseObject({ GatewayId: str })).optional(),
  Tags: tagList,
});

const portNum = z.number().int().optional();

export const IpPermissionShape = z.looseObject({
  IpProtocol: z.union([z.string(), z.number()]),
  FromPort: portNum,
  ToPort: portNum,
  IpRanges: z.array(z.looseObject({ CidrIp: str, Description: optStr })).optional(),
  Ipv6Ranges: z.array(z.looseObject({ CidrIpv6: str, Description: optStr })).optional(),
  PrefixListIds: z.array(z.looseObject({ PrefixListId: str, Description: optStr })).optional(),
  UserIdGroupPairs: z
    .array(
      z.looseObject({
        GroupId: optStr,
        GroupName: optStr,
        UserId: optStr,
        VpcId: optStr,
        VpcPeeringConnectionId: optStr,
        PeeringStatus: optStr,
        Description: optStr,
      }),
    )
    .optional(),
});

export const SecurityGroupShape = z.looseObject({
  GroupId: str,
  GroupName: optStr,
  Description: optStr,
  VpcId: optStr,
  OwnerId: optStr,
  SecurityGroupArn: optStr,
  IpPermissions: z.array(IpPermissionShape).optional(),
  IpPermissionsEgress: z.array(IpPermissionShape).optional(),
  Tags: tagList,
});

export const SecurityGroupRuleShape = z.looseObject({
  SecurityGroupRuleId: optStr,
  GroupId: str,
  GroupOwnerId: optStr,
  IsEgress: z.boolean(),
  IpProtocol: z.union([z.string(), z.number()]),
  FromPort: portNum,
  ToPort: portNum,
  CidrIpv4: optStr,
  CidrIpv6: optStr,
  PrefixListId: optStr,
  ReferencedGroupInfo: z
    .looseObject({ GroupId: optStr, UserId: optStr, VpcId: optStr, VpcPeeringConnectionId: optStr, PeeringStatus: optStr })
    .optional(),
  Description: optStr,
});

export const NetworkAclShape = z.looseObject({
  NetworkAclId: str,
  VpcId: str,
  OwnerId: optStr,
  IsDefault: optBool,
  Associations: z.array(z.looseObject({ SubnetId: str, NetworkAclAssociationId: optStr })).optional(),
  Entries: z
    .array(
      z.looseObject({
        RuleNumber: z.number().int(),
        Egress: z.boolean(),
        RuleAction: z.string(),
        Protocol: z.union([z.string(), z.number()]),
        CidrBlock: optStr,
        Ipv6CidrBlock: optStr,
        PortRange: z.looseObject({ From: portNum, To: portNum }).optional(),
        IcmpTypeCode: z.looseObject({ Type: portNum, Code: portNum }).optional(),
      }),
    )
    .optional(),
  Tags: tagList,
});

const IpAssociationShape = z
  .looseObject({
    PublicIp: optStr,
    PublicDnsName: optStr,
    IpOwnerId: optStr,
    AllocationId: optStr,
    AssociationId: optStr,
  })
  .optional();

export const NetworkInterfaceShape = z.looseObject({
  NetworkInterfaceId: str,
  InterfaceType: optStr,
  Status: optStr,
  VpcId: str,
  SubnetId: str,
  AvailabilityZone: optStr,
  AvailabilityZoneId: optStr,
  OwnerId: optStr,
  RequesterId: optStr,
  RequesterManaged: optBool,
  Description: optStr,
  Groups: groupList,
  SourceDestCheck: optBool,
  PrivateIpAddress: optStr,
  PrivateDnsName: optStr,
  PrivateIpAddresses: z
    .array(
      z.looseObject({
        PrivateIpAddress: str,
        Primary: optBool,
        PrivateDnsName: optStr,
        Association: IpAssociationShape,
      }),
    )
    .optional(),
  Association: IpAssociationShape,
  Ipv6Addresses: z.array(z.looseObject({ Ipv6Address: str })).optional(),
  Ipv4Prefixes: z.array(z.looseObject({ Ipv4Prefix: str })).optional(),
  Ipv6Prefixes: z.array(z.looseObject({ Ipv6Prefix: str })).optional(),
  Attachment: z
    .looseObject({ InstanceId: optStr, InstanceOwnerId: optStr, DeviceIndex: optNum, Status: optStr })
    .optional(),
  TagSet: tagList,
  Tags: tagList,
});

/** Interfaces as embedded in describe-instances (fewer fields, no AZ). */
export const InstanceNetworkInterfaceShape = NetworkInterfaceShape.extend({ VpcId: optStr, SubnetId: optStr });

export const InstanceShape = z.looseObject({
  InstanceId: str,
  State: z.looseObject({ Name: optStr }).optional(),
  VpcId: optStr,
  SubnetId: optStr,
  Placement: z.looseObject({ AvailabilityZone: optStr }).optional(),
  PrivateIpAddress: optStr,
  PublicIpAddress: optStr,
  PrivateDnsName: optStr,
  PublicDnsName: optStr,
  InstanceType: optStr,
  SourceDestCheck: optBool,
  SecurityGroups: groupList,
  NetworkInterfaces: z.array(InstanceNetworkInterfaceShape).optional(),
  MetadataOptions: z.looseObject({ HttpEndpoint: optStr }).optional(),
  Tags: tagList,
});

export const ReservationShape = z.looseObject({
  OwnerId: optStr,
  Instances: z.array(z.unknown()).optional(),
});

const attachments = z.array(z.looseObject({ VpcId: str, State: optStr })).optional();

export const InternetGatewayShape = z.looseObject({
  InternetGatewayId: str,
  OwnerId: optStr,
  Attachments: attachments,
  Tags: tagList,
});

export const EgressOnlyInternetGatewayShape = z.looseObject({
  EgressOnlyInternetGatewayId: str,
  OwnerId: optStr,
  Attachments: attachments,
  Tags: tagList,
});

export const NatGatewayShape = z.looseObject({
  NatGatewayId: str,
  State: optStr,
  ConnectivityType: optStr,
  VpcId: str,
  SubnetId: str,
  NatGatewayAddresses: z
    .array(
      z.looseObject({
        NetworkInterfaceId: optStr,
        PrivateIp: optStr,
        PublicIp: optStr,
        AllocationId: optStr,
        IsPrimary: optBool,
      }),
    )
    .optional(),
  Tags: tagList,
});

export const AddressShape = z.looseObject({
  PublicIp: str,
  AllocationId: optStr,
  AssociationId: optStr,
  Domain: optStr,
  NetworkInterfaceId: optStr,
  NetworkInterfaceOwnerId: optStr,
  PrivateIpAddress: optStr,
  InstanceId: optStr,
  ServiceManaged: optStr,
  Tags: tagList,
});

export const VpcEndpointShape = z.looseObject({
  VpcEndpointId: str,
  VpcEndpointType: optStr,
  VpcId: str,
  ServiceName: str,
  State: optStr,
  PolicyDocument: optStr,
  RouteTableIds: strList,
  SubnetIds: strList,
  NetworkInterfaceIds: strList,
  Groups: groupList,
  PrivateDnsEnabled: optBool,
  DnsEntries: z.array(z.looseObject({ DnsName: str, HostedZoneId: optStr })).optional(),
  IpAddressType: optStr,
  OwnerId: optStr,
  Tags: tagList,
});

const serviceTypeList = z.array(z.looseObject({ ServiceType: optStr })).optional();

export const ServiceDetailShape = z.looseObject({
  ServiceName: str,
  ServiceId: optStr,
  ServiceType: serviceTypeList,
  AvailabilityZones: strList,
  AvailabilityZoneIds: strList,
  Owner: optStr,
  AcceptanceRequired: optBool,
  PrivateDnsName: optStr,
  PrivateDnsNameVerificationState: optStr,
  BaseEndpointDnsNames: strList,
});

export const ServiceConfigurationShape = z.looseObject({
  ServiceId: str,
  ServiceName: str,
  ServiceType: serviceTypeList,
  ServiceState: optStr,
  AvailabilityZones: strList,
  AvailabilityZoneIds: strList,
  AcceptanceRequired: optBool,
  NetworkLoadBalancerArns: strList,
  GatewayLoadBalancerArns: strList,
  PrivateDnsName: optStr,
  PrivateDnsNameConfiguration: z.looseObject({ State: optStr, Name: optStr }).optional(),
  Tags: tagList,
});

export const EndpointConnectionShape = z.looseObject({
  ServiceId: str,
  VpcEndpointId: str,
  VpcEndpointOwner: optStr,
  VpcEndpointState: optStr,
});

export const AllowedPrincipalShape = z.looseObject({ Principal: str, PrincipalType: optStr, ServiceId: optStr });

/** describe-prefix-lists (legacy, `Cidrs` inline) and describe-managed-prefix-lists share the key. */
export const PrefixListShape = z.looseObject({
  PrefixListId: str,
  PrefixListName: optStr,
  Cidrs: strList,
  AddressFamily: optStr,
  State: optStr,
  OwnerId: optStr,
  PrefixListArn: optStr,
  Tags: tagList,
});

export const PrefixListEntryShape = z.looseObject({ Cidr: str, Description: optStr });

const peeringSide = z
  .looseObject({
    VpcId: optStr,
    OwnerId: optStr,
    Region: optStr,
    CidrBlock: optStr,
    CidrBlockSet: z.array(z.looseObject({ CidrBlock: str })).optional(),
    Ipv6CidrBlockSet: z.array(z.looseObject({ Ipv6CidrBlock: str })).optional(),
    PeeringOptions: z.looseObject({ AllowDnsResolutionFromRemoteVpc: optBool }).optional(),
  })
  .optional();

export const VpcPeeringConnectionShape = z.looseObject({
  VpcPeeringConnectionId: str,
  Status: z.looseObject({ Code: optStr, Message: optStr }).optional(),
  RequesterVpcInfo: peeringSide,
  AccepterVpcInfo: peeringSide,
  Tags: tagList,
});

export const TransitGatewayShape = z.looseObject({
  TransitGatewayId: str,
  TransitGatewayArn: optStr,
  State: optStr,
  OwnerId: optStr,
  Options: z
    .looseObject({
      AmazonSideAsn: optNum,
      AssociationDefaultRouteTableId: optStr,
      PropagationDefaultRouteTableId: optStr,
      DefaultRouteTableAssociation: optStr,
      DefaultRouteTablePropagation: optStr,
      DnsSupport: optStr,
      VpnEcmpSupport: optStr,
      SecurityGroupReferencingSupport: optStr,
    })
    .optional(),
  Tags: tagList,
});

export const TransitGatewayAttachmentShape = z.looseObject({
  TransitGatewayAttachmentId: str,
  TransitGatewayId: str,
  TransitGatewayOwnerId: optStr,
  ResourceOwnerId: optStr,
  ResourceType: optStr,
  ResourceId: optStr,
  State: optStr,
  Association: z.looseObject({ TransitGatewayRouteTableId: optStr, State: optStr }).optional(),
  Tags: tagList,
});

export const TransitGatewayVpcAttachmentShape = z.looseObject({
  TransitGatewayAttachmentId: str,
  TransitGatewayId: str,
  VpcId: str,
  VpcOwnerId: optStr,
  State: optStr,
  SubnetIds: strList,
  Options: z
    .looseObject({ ApplianceModeSupport: optStr, Ipv6Support: optStr, DnsSupport: optStr, SecurityGroupReferencingSupport: optStr })
    .optional(),
  Tags: tagList,
});

const tgwInfo = z.looseObject({ TransitGatewayId: str, OwnerId: optStr, Region: optStr });

export const TransitGatewayPeeringAttachmentShape = z.looseObject({
  TransitGatewayAttachmentId: str,
  RequesterTgwInfo: tgwInfo,
  AccepterTgwInfo: tgwInfo,
  State: optStr,
  Status: z.looseObject({ Code: optStr }).optional(),
  Tags: tagList,
});

export const TransitGatewayRouteTableShape = z.looseObject({
  TransitGatewayRouteTableId: str,
  TransitGatewayId: str,
  State: optStr,
  DefaultAssociationRouteTable: optBool,
  DefaultPropagationRouteTable: optBool,
  Tags: tagList,
});

export const TransitGatewayRouteShape = z.looseObject({
  DestinationCidrBlock: optStr,
  PrefixListId: optStr,
  Type: optStr,
  State: optStr,
  TransitGatewayAttachments: z
    .array(z.looseObject({ TransitGatewayAttachmentId: optStr, ResourceId: optStr, ResourceType: optStr }))
    .optional(),
});

export const TransitGatewayRouteTableLinkShape = z.looseObject({
  TransitGatewayAttachmentId: str,
  ResourceId: optStr,
  ResourceType: optStr,
  State: optStr,
});

export const VpnConnectionShape = z.looseObject({
  VpnConnectionId: str,
  State: optStr,
  CustomerGatewayId: optStr,
  VpnGatewayId: optStr,
  TransitGatewayId: optStr,
  Options: z
    .looseObject({ StaticRoutesOnly: optBool, LocalIpv4NetworkCidr: optStr, RemoteIpv4NetworkCidr: optStr })
    .optional(),
  Routes: z.array(z.looseObject({ DestinationCidrBlock: str, State: optStr, Source: optStr })).optional(),
  VgwTelemetry: z.array(z.looseObject({ OutsideIpAddress: optStr, Status: optStr, StatusMessage: optStr })).optional(),
  Tags: tagList,
});

export const VpnGatewayShape = z.looseObject({
  VpnGatewayId: str,
  State: optStr,
  AmazonSideAsn: optNum,
  VpcAttachments: attachments,
  Tags: tagList,
});

export const CustomerGatewayShape = z.looseObject({
  CustomerGatewayId: str,
  State: optStr,
  IpAddress: optStr,
  BgpAsn: z.union([z.string(), z.number()]).optional(),
  DeviceName: optStr,
  Tags: tagList,
});

export const DirectConnectGatewayShape = z.looseObject({
  directConnectGatewayId: str,
  directConnectGatewayName: optStr,
  amazonSideAsn: optNum,
  ownerAccount: optStr,
  directConnectGatewayState: optStr,
});

/**
 * `aws directconnect describe-direct-connect-gateway-associations` (camelCase, like every Direct Connect
 * API member). `associatedGateway` is the current form; `virtualGatewayId`/`virtualGatewayRegion`/
 * `virtualGatewayOwnerAccount` the older one, for virtual private gateways only.
 */
export const DirectConnectGatewayAssociationShape = z.looseObject({
  directConnectGatewayId: str,
  directConnectGatewayOwnerAccount: optStr,
  associationState: optStr,
  associationId: optStr,
  associatedGateway: z.looseObject({ id: str, type: optStr, ownerAccount: optStr, region: optStr }).optional(),
  allowedPrefixesToDirectConnectGateway: z.array(z.looseObject({ cidr: str })).optional(),
  virtualGatewayId: optStr,
  virtualGatewayRegion: optStr,
  virtualGatewayOwnerAccount: optStr,
});

export const LoadBalancerShape = z.looseObject({
  LoadBalancerArn: str,
  LoadBalancerName: optStr,
  DNSName: optStr,
  CanonicalHostedZoneId: optStr,
  Scheme: optStr,
  VpcId: optStr,
  State: z.looseObject({ Code: optStr }).optional(),
  Type: optStr,
  AvailabilityZones: z
    .array(
      z.looseObject({
        ZoneName: str,
        SubnetId: optStr,
        LoadBalancerAddresses: z
          .array(z.looseObject({ IpAddress: optStr, AllocationId: optStr, PrivateIPv4Address: optStr, IPv6Address: optStr }))
          .optional(),
      }),
    )
    .optional(),
  SecurityGroups: strList,
  IpAddressType: optStr,
});

export const ClassicLoadBalancerShape = z.looseObject({
  LoadBalancerName: str,
  DNSName: optStr,
  CanonicalHostedZoneNameID: optStr,
  Scheme: optStr,
  VPCId: optStr,
  Subnets: strList,
  AvailabilityZones: strList,
  SecurityGroups: strList,
  Instances: z.array(z.looseObject({ InstanceId: str })).optional(),
  ListenerDescriptions: z
    .array(
      z.looseObject({
        Listener: z.looseObject({
          Protocol: optStr,
          LoadBalancerPort: optNum,
          InstanceProtocol: optStr,
          InstancePort: optNum,
        }),
      }),
    )
    .optional(),
});

export const ListenerShape = z.looseObject({
  ListenerArn: str,
  LoadBalancerArn: str,
  Port: optNum,
  Protocol: optStr,
  DefaultActions: z
    .array(
      z.looseObject({
        Type: str,
        TargetGroupArn: optStr,
        Order: optNum,
        ForwardConfig: z
          .looseObject({ TargetGroups: z.array(z.looseObject({ TargetGroupArn: str, Weight: optNum })).optional() })
          .optional(),
      }),
    )
    .optional(),
});

export const TargetGroupShape = z.looseObject({
  TargetGroupArn: str,
  TargetGroupName: optStr,
  Protocol: optStr,
  Port: optNum,
  VpcId: optStr,
  TargetType: optStr,
  LoadBalancerArns: strList,
  HealthCheckPort: optStr,
});

export const TargetHealthDescriptionShape = z.looseObject({
  Target: z.looseObject({ Id: str, Port: optNum, AvailabilityZone: optStr }),
  TargetHealth: z.looseObject({ State: optStr, Reason: optStr, Description: optStr }).optional(),
});

/** `elb describe-instance-health` → `InstanceStates[]` (API 2012-06-01 InstanceState; every member optional there). */
export const InstanceStateShape = z.looseObject({ InstanceId: str, State: optStr, ReasonCode: optStr, Description: optStr });

/** `elb describe-load-balancer-attributes` → `LoadBalancerAttributes`: one object (API 2012-06-01 LoadBalancerAttributes). */
export const ClassicLoadBalancerAttributesShape = z.looseObject({
  CrossZoneLoadBalancing: z.looseObject({ Enabled: z.boolean() }).optional(),
  ConnectionDraining: z.looseObject({ Enabled: z.boolean(), Timeout: optNum }).optional(),
  ConnectionSettings: z.looseObject({ IdleTimeout: z.number() }).optional(),
  AccessLog: z.looseObject({ Enabled: z.boolean(), S3BucketName: optStr, EmitInterval: optNum, S3BucketPrefix: optStr }).optional(),
  AdditionalAttributes: z.array(z.looseObject({ Key: optStr, Value: optStr })).optional(),
});

export const AttributeShape = z.looseObject({ Key: str, Value: z.union([z.string(), z.number(), z.boolean()]).optional() });

export const HostedZoneShape = z.looseObject({
  Id: str,
  Name: str,
  Config: z.looseObject({ PrivateZone: optBool, Comment: optStr }).optional(),
});

export const HostedZoneVpcShape = z.looseObject({ VPCId: str, VPCRegion: optStr });

export const HostedZoneSummaryShape = z.looseObject({ HostedZoneId: str, Name: str });

export const ResourceRecordSetShape = z.looseObject({
  Name: str,
  Type: str,
  TTL: optNum,
  ResourceRecords: z.array(z.looseObject({ Value: str })).optional(),
  AliasTarget: z.looseObject({ HostedZoneId: optStr, DNSName: str, EvaluateTargetHealth: optBool }).optional(),
  SetIdentifier: optStr,
  Weight: optNum,
  Region: optStr,
  Failover: optStr,
  MultiValueAnswer: optBool,
});

export const FlowLogShape = z.looseObject({
  FlowLogId: str,
  ResourceId: str,
  TrafficType: optStr,
  LogFormat: optStr,
  LogDestinationType: optStr,
  LogDestination: optStr,
  LogGroupName: optStr,
  MaxAggregationInterval: optNum,
  FlowLogStatus: optStr,
  Tags: tagList,
});

export const AvailabilityZoneShape = z.looseObject({
  ZoneName: str,
  ZoneId: optStr,
  RegionName: optStr,
  State: optStr,
});

export const RegionShape = z.looseObject({ RegionName: str, OptInStatus: optStr });

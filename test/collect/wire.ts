/**
 * Renders handwritten response documents (written the way the AWS CLI prints them: PascalCase members,
 * `+00:00` timestamps) in the wire formats the SDK parses: EC2 query XML (lower-camel names, `xxxSet`
 * lists of `<item>`), AWS query XML (ELBv2, STS: PascalCase, lists of `<member>`) and Route 53 REST-XML
 * (lists named by their member, e.g. `<HostedZones><HostedZone>`). The irregular EC2 wire names are listed
 * per call from the EC2 API model (e.g. DescribeSecurityGroups → `securityGroupInfo`).
 */

export interface WireStyle {
  /** Element name of one list entry, by the list's member name. */
  readonly item: (listKey: string) => string;
  /** Wire names that are not the member name (or its lower-camel form for EC2). */
  readonly rename?: Readonly<Record<string, string>>;
  readonly lowerFirst: boolean;
}

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CLI_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;

function scalar(v: unknown): string {
  const s = String(v);
  // The wire sends UTC timestamps with Z; the CLI prints them with +00:00.
  return CLI_TIME.test(s) ? s.replace('+00:00', 'Z') : s;
}

export function toXml(doc: Readonly<Record<string, unknown>>, style: WireStyle): string {
  let out = '';
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    const name = style.rename?.[key] ?? (style.lowerFirst ? key[0]!.toLowerCase() + key.slice(1) : key);
    if (Array.isArray(value)) {
      const item = style.item(key);
      out += `<${name}>${value.map((v) => `<${item}>${v && typeof v === 'object' ? toXml(v as Record<string, unknown>, style) : esc(scalar(v))}</${item}>`).join('')}</${name}>`;
    } else if (value && typeof value === 'object') out += `<${name}>${toXml(value as Record<string, unknown>, style)}</${name}>`;
    else out += `<${name}>${esc(scalar(value))}</${name}>`;
  }
  return out;
}

/** EC2 wire names that differ from the lower-camel member name, per call (from the EC2 API model). */
const EC2_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  DescribeVpcs: { Vpcs: 'vpcSet' },
  DescribeSubnets: { Subnets: 'subnetSet' },
  DescribeRouteTables: { RouteTables: 'routeTableSet', Associations: 'associationSet', Routes: 'routeSet', PropagatingVgws: 'propagatingVgwSet' },
  DescribeSecurityGroups: { SecurityGroups: 'securityGroupInfo', Description: 'groupDescription', UserIdGroupPairs: 'groups' },
  DescribeNetworkAcls: { NetworkAcls: 'networkAclSet', Associations: 'associationSet', Entries: 'entrySet', IsDefault: 'default' },
  DescribeNetworkInterfaces: { NetworkInterfaces: 'networkInterfaceSet', Groups: 'groupSet', PrivateIpAddresses: 'privateIpAddressesSet' },
  DescribeInstances: {
    Reservations: 'reservationSet',
    Instances: 'instancesSet',
    SecurityGroups: 'groupSet',
    Groups: 'groupSet',
    NetworkInterfaces: 'networkInterfaceSet',
    PrivateIpAddresses: 'privateIpAddressesSet',
    State: 'instanceState',
    PublicIpAddress: 'ipAddress',
  },
  DescribeInternetGateways: { InternetGateways: 'internetGatewaySet', Attachments: 'attachmentSet' },
  DescribeNatGateways: { NatGateways: 'natGatewaySet', NatGatewayAddresses: 'natGatewayAddressSet' },
  DescribeAddresses: { Addresses: 'addressesSet' },
  DescribeVpcEndpoints: {
    VpcEndpoints: 'vpcEndpointSet',
    SubnetIds: 'subnetIdSet',
    Groups: 'groupSet',
    NetworkInterfaceIds: 'networkInterfaceIdSet',
    DnsEntries: 'dnsEntrySet',
    RouteTableIds: 'routeTableIdSet',
  },
  DescribeVpcEndpointServiceConfigurations: {
    ServiceConfigurations: 'serviceConfigurationSet',
    AvailabilityZones: 'availabilityZoneSet',
    NetworkLoadBalancerArns: 'networkLoadBalancerArnSet',
    BaseEndpointDnsNames: 'baseEndpointDnsNameSet',
  },
  DescribeVpcEndpointConnections: { VpcEndpointConnections: 'vpcEndpointConnectionSet' },
  DescribeManagedPrefixLists: { PrefixLists: 'prefixListSet' },
  GetManagedPrefixListEntries: { Entries: 'entrySet' },
  DescribeVpcPeeringConnections: { VpcPeeringConnections: 'vpcPeeringConnectionSet' },
  DescribeTransitGateways: { TransitGateways: 'transitGatewaySet' },
  SearchTransitGatewayRoutes: { Routes: 'routeSet' },
  DescribeFlowLogs: { FlowLogs: 'flowLogSet' },
  DescribeAvailabilityZones: { AvailabilityZones: 'availabilityZoneInfo', State: 'zoneState' },
  DescribeRegions: { Regions: 'regionInfo', Endpoint: 'regionEndpoint' },
};

export function ec2Response(action: string, doc: Readonly<Record<string, unknown>>): string {
  const body = toXml(doc, { item: () => 'item', lowerFirst: true, rename: { Tags: 'tagSet', TagSet: 'tagSet', ...EC2_RENAMES[action] } });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-${action}</requestId>${body}</${action}Response>`;
}

export function ec2Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>req-error</RequestID></Response>`;
}

export function queryResponse(namespace: string, action: string, doc: Readonly<Record<string, unknown>>): string {
  const body = toXml(doc, { item: () => 'member', lowerFirst: false });
  return `<${action}Response xmlns="${namespace}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>req-${action}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(namespace: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>req-error</RequestId></ErrorResponse>`;
}

const R53_ITEMS: Readonly<Record<string, string>> = { HostedZones: 'HostedZone', ResourceRecordSets: 'ResourceRecordSet', ResourceRecords: 'ResourceRecord', VPCs: 'VPC' };

export function route53Response(action: string, doc: Readonly<Record<string, unknown>>): string {
  const body = toXml(doc, { item: (k) => R53_ITEMS[k] ?? 'member', lowerFirst: false });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="https://route53.amazonaws.com/doc/2013-04-01/">${body}</${action}Response>`;
}

export function route53Error(code: string, message: string): string {
  return `<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>req-error</RequestId></ErrorResponse>`;
}

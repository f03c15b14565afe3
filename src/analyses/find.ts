/**
 * `find`: what is this IP, id, Name tag or DNS name? For an address, the network interface that holds it and
 * what owns that interface (instance, NAT gateway, load-balancer node, interface endpoint, …); for an
 * interface endpoint, the endpoint service it connects to and, when the provider is in the snapshot, that
 * service's load balancers — the console walk ENI → endpoint → service → NLB in one answer.
 */
import { canonicalIp, parseIp } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface, Resource, VpcEndpoint } from '../model/types.js';

export interface ResourceSummary {
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
  readonly account: string;
  readonly region: string;
}

export interface EndpointServiceLink {
  readonly serviceName: string;
  readonly service?: ResourceSummary & { readonly consumerViewOnly: boolean };
  readonly loadBalancers: readonly (ResourceSummary & { readonly lbType: string; readonly scheme: string; readonly dnsName?: string })[];
  /** When the provider account is absent, what to add to the snapshot to see further. */
  readonly missing?: string;
}

export interface InterfaceFinding {
  readonly match: 'address' | 'public-address' | 'id' | 'name' | 'dns-name';
  readonly address?: string;
  readonly networkInterface: ResourceSummary & {
    readonly interfaceType: string;
    readonly description: string;
    readonly privateAddresses: readonly string[];
    readonly publicAddresses: readonly string[];
    readonly ipv6Addresses: readonly string[];
    readonly source: Resource['source'];
  };
  readonly owner: ResourceSummary & { readonly description: string; readonly state?: string };
  readonly subnet?: ResourceSummary & { readonly cidr?: string; readonly availabilityZone?: string; readonly availabilityZoneId?: string };
  readonly vpc?: ResourceSummary & { readonly cidrs: readonly string[] };
  readonly securityGroups: readonly ResourceSummary[];
  readonly endpoint?: ResourceSummary & { readonly endpointType: string; readonly state: string } & EndpointServiceLink;
}

export interface ResourceFinding {
  readonly match: 'id' | 'name' | 'dns-name' | 'address';
  readonly resource: ResourceSummary & { readonly source: Resource['source'] };
  readonly detail: string;
  readonly networkInterfaces: readonly InterfaceFinding[];
}

export interface FindResult {
  readonly query: string;
  readonly interfaces: readonly InterfaceFinding[];
  readonly resources: readonly ResourceFinding[];
}

function summary(r: Resource): ResourceSummary {
  return { kind: r.kind, id: r.id, ...(r.name ? { name: r.name } : {}), account: r.account, region: r.region };
}

/** One line saying what owns an interface, for tables. */
export function describeOwner(model: NetworkModel, eni: NetworkInterface): string {
  const o = eni.owner;
  switch (o.kind) {
    case 'instance': {
      const i = model.instances.get(o.id);
      return `instance ${o.id}${i?.name ? ` (${i.name})` : ''}`;
    }
    case 'nat-gateway':
      return `NAT gateway ${o.id}`;
    case 'vpc-endpoint': {
      const ep = model.vpcEndpoints.get(o.id);
      return `VPC endpoint ${o.id}${ep ? ` (${ep.serviceName})` : ''}`;
    }
    case 'load-balancer': {
      const lb = model.loadBalancers.get(o.id);
      return `${o.lbType} load balancer ${lb?.loadBalancerName ?? o.id.split('/').slice(-2, -1)[0] ?? o.id} node`;
    }
    case 'transit-gateway-attachment':
      return `transit gateway attachment ${o.id}`;
    case 'lambda':
      return `Lambda function ${o.id}`;
    case 'rds':
      return `RDS ${o.id}`;
    case 'aws-service':
      return `AWS-managed: ${o.id}`;
    case 'unattached':
      return 'not attached';
  }
}

function ownerSummary(model: NetworkModel, eni: NetworkInterface): InterfaceFinding['owner'] {
  const o = eni.owner;
  const r = o.kind === 'unattached' ? undefined : model.get(o.id);
  const state =
    r && 'state' in r && typeof r.state === 'string' ? r.state : r && r.kind === 'vpc-peering-connection' ? r.status : undefined;
  return {
    kind: o.kind,
    id: o.id,
    ...(r?.name ? { name: r.name } : {}),
    account: r?.account ?? eni.account,
    region: r?.region ?? eni.region,
    description: describeOwner(model, eni),
    ...(state ? { state } : {}),
  };
}

/** Follows consumer endpoint → endpoint service (matched by service name) → its load balancers. */
export function endpointServiceLink(model: NetworkModel, ep: VpcEndpoint): EndpointServiceLink {
  const svc = model.endpointServiceByServiceName(ep.serviceName);
  const lbs = svc
    ? [...svc.networkLoadBalancerArns, ...svc.gatewayLoadBalancerArns].flatMap((arn) => {
        const lb = model.loadBalancers.get(arn);
        return lb
          ? [{ ...summary(lb), lbType: lb.lbType, scheme: lb.scheme, ...(lb.dnsName ? { dnsName: lb.dnsName } : {}) }]
          : [{ kind: 'load-balancer', id: arn, account: arn.split(':')[4] ?? 'unknown', region: arn.split(':')[3] ?? 'unknown', lbType: 'unknown', scheme: 'unknown' }];
      })
    : [];
  const awsService = ep.serviceName.startsWith('com.amazonaws.') && !ep.serviceName.startsWith('com.amazonaws.vpce.');
  const missing =
    !svc || svc.consumerViewOnly
      ? awsService
        ? undefined
        : `the provider of ${ep.serviceName} is not in the snapshot: add its account's describe-vpc-endpoint-service-configurations and describe-load-balancers output`
      : undefined;
  return {
    serviceName: ep.serviceName,
    ...(svc ? { service: { ...summary(svc), consumerViewOnly: svc.consumerViewOnly } } : {}),
    loadBalancers: lbs,
    ...(missing ? { missing } : {}),
  };
}

function interfaceFinding(model: NetworkModel, eni: NetworkInterface, match: InterfaceFinding['match'], address?: string): InterfaceFinding {
  const subnet = model.subnets.get(eni.subnetId);
  const vpc = model.vpcs.get(eni.vpcId);
  const ep = eni.owner.kind === 'vpc-endpoint' ? model.vpcEndpoints.get(eni.owner.id) : undefined;
  return {
    match,
    ...(address ? { address } : {}),
    networkInterface: {
      ...summary(eni),
      interfaceType: eni.interfaceTypeRaw,
      description: eni.description,
      privateAddresses: eni.privateAddresses.map((a) => a.ip),
      publicAddresses: eni.privateAddresses.flatMap((a) => (a.publicIp ? [a.publicIp] : [])),
      ipv6Addresses: eni.ipv6Addresses,
      source: eni.source,
    },
    owner: ownerSummary(model, eni),
    ...(subnet
      ? {
          subnet: {
            ...summary(subnet),
            ...(subnet.cidr ? { cidr: subnet.cidr } : {}),
            availabilityZone: subnet.availabilityZone,
            ...(subnet.availabilityZoneId ? { availabilityZoneId: subnet.availabilityZoneId } : {}),
          },
        }
      : {}),
    ...(vpc ? { vpc: { ...summary(vpc), cidrs: vpc.cidrs } } : {}),
    securityGroups: eni.securityGroupIds.map((g) => {
      const sg = model.securityGroups.get(g);
      return sg ? { ...summary(sg), name: sg.groupName } : { kind: 'security-group', id: g, account: eni.account, region: eni.region };
    }),
    ...(ep ? { endpoint: { ...summary(ep), endpointType: ep.endpointType, state: ep.state, ...endpointServiceLink(model, ep) } } : {}),
  };
}

function resourceDetail(model: NetworkModel, r: Resource): string {
  switch (r.kind) {
    case 'vpc':
      return `VPC ${[...r.cidrs, ...r.ipv6Cidrs].join(', ')}`;
    case 'subnet':
      return `subnet ${r.cidr ?? ''} in ${r.vpcId}, ${r.availabilityZone}`;
    case 'instance':
      return `instance ${r.state} ${r.privateIp ?? ''}${r.publicIp ? ` public ${r.publicIp}` : ''} in ${r.subnetId ?? '?'}`;
    case 'load-balancer':
      return `${r.lbType} load balancer ${r.scheme} ${r.dnsName ?? ''}`;
    case 'vpc-endpoint':
      return `${r.endpointType} endpoint to ${r.serviceName} (${r.state})`;
    case 'endpoint-service':
      return `endpoint service ${r.serviceName} backed by ${[...r.networkLoadBalancerArns, ...r.gatewayLoadBalancerArns].map((a) => model.loadBalancers.get(a)?.loadBalancerName ?? a).join(', ') || 'unknown load balancers'}`;
    case 'security-group':
      return `security group ${r.groupName} in ${r.vpcId ?? '?'}: ${r.ingress.length} inbound, ${r.egress.length} outbound rules`;
    default:
      return r.kind;
  }
}

function interfacesOf(model: NetworkModel, r: Resource): NetworkInterface[] {
  const byIds = (ids: readonly string[]) => ids.flatMap((id) => model.networkInterfaces.get(id) ?? []);
  switch (r.kind) {
    case 'instance':
      return byIds(r.networkInterfaceIds);
    case 'vpc-endpoint':
      return byIds(r.networkInterfaceIds);
    case 'load-balancer':
      return byIds(r.networkInterfaceIds);
    case 'nat-gateway':
      return byIds(r.addresses.flatMap((a) => (a.networkInterfaceId ? [a.networkInterfaceId] : [])));
    default:
      return [];
  }
}

/** Looks up `query` as an address, an id or ARN, a Name tag, then a DNS name. */
export function find(model: NetworkModel, query: string): FindResult {
  const q = query.trim();
  const interfaces: InterfaceFinding[] = [];
  const resources: ResourceFinding[] = [];
  const ip = parseIp(q);
  if (ip) {
    const text = canonicalIp(q) ?? q;
    for (const h of model.addressHolders(text)) {
      const eni = model.networkInterfaces.get(h.networkInterfaceId);
      if (eni) interfaces.push(interfaceFinding(model, eni, h.scope === 'public' ? 'public-address' : 'address', text));
    }
    for (const eip of model.elasticIps.values())
      if (eip.publicIp === text && !interfaces.some((f) => f.networkInterface.id === eip.networkInterfaceId))
        resources.push({ match: 'address', resource: { ...summary(eip), source: eip.source }, detail: `Elastic IP ${eip.allocationId ?? ''}${eip.networkInterfaceId ? ` on ${eip.networkInterfaceId}` : ' (not associated)'}`, networkInterfaces: [] });
    return { query: q, interfaces, resources };
  }
  const direct = model.get(q);
  const named = direct ? [direct] : model.byNameTag(q).length > 0 ? [...model.byNameTag(q)] : [];
  const dns = named.length === 0 ? [...model.byDnsName(q)] : [];
  const match: ResourceFinding['match'] = direct ? 'id' : named.length > 0 ? 'name' : 'dns-name';
  for (const r of [...named, ...dns]) {
    if (r.kind === 'network-interface') {
      interfaces.push(interfaceFinding(model, r, match === 'dns-name' ? 'dns-name' : match));
      continue;
    }
    resources.push({
      match,
      resource: { ...summary(r), source: r.source },
      detail: resourceDetail(model, r),
      networkInterfaces: interfacesOf(model, r).map((e) => interfaceFinding(model, e, 'id')),
    });
  }
  return { query: q, interfaces, resources };
}

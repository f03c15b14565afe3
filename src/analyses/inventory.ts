/**
 * Inventory: what the snapshot holds, across every account and region, as flat rows for a table, JSON or
 * CSV. Rows are sorted so that the same snapshot always gives the same output.
 */
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface } from '../model/types.js';
import { describeOwner } from './find.js';

export const INVENTORY_TYPES = [
  'vpcs',
  'subnets',
  'instances',
  'network-interfaces',
  'public-ips',
  'load-balancers',
  'endpoints',
  'endpoint-services',
  'transit-gateways',
  'peering',
  'nat-gateways',
  'internet-gateways',
  'vpn-connections',
  'hosted-zones',
] as const;

export type InventoryType = (typeof INVENTORY_TYPES)[number];

export interface InventoryRow {
  readonly type: InventoryType;
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly vpc: string;
  /** Addresses, CIDRs or DNS names, joined with spaces. */
  readonly address: string;
  readonly state: string;
  readonly detail: string;
}

export interface InventoryFilter {
  readonly types?: readonly InventoryType[];
  readonly account?: string;
  readonly region?: string;
  readonly vpc?: string;
}

function eniAddresses(e: NetworkInterface): string {
  return [...e.privateAddresses.map((a) => a.ip), ...e.ipv6Addresses].join(' ');
}

export function inventory(model: NetworkModel, filter: InventoryFilter = {}): InventoryRow[] {
  const rows: InventoryRow[] = [];
  const want = (t: InventoryType) => !filter.types || filter.types.length === 0 || filter.types.includes(t);
  const row = (r: Omit<InventoryRow, 'name' | 'vpc' | 'address' | 'state' | 'detail'> & Partial<InventoryRow>) =>
    rows.push({ name: '', vpc: '', address: '', state: '', detail: '', ...r });

  if (want('vpcs'))
    for (const v of model.vpcs.values())
      row({ type: 'vpcs', id: v.id, name: v.name ?? '', account: v.account, region: v.region, vpc: v.id, address: [...v.cidrs, ...v.ipv6Cidrs].join(' '), state: v.state, detail: v.isDefault ? 'default VPC' : '' });
  if (want('subnets'))
    for (const s of model.subnets.values())
      row({
        type: 'subnets',
        id: s.id,
        name: s.name ?? '',
        account: s.account,
        region: s.region,
        vpc: s.vpcId,
        address: [s.cidr ?? '', ...s.ipv6Cidrs].filter(Boolean).join(' '),
        state: s.state,
        detail: `${s.availabilityZone}${s.availabilityZoneId ? ` (${s.availabilityZoneId})` : ''} route table ${s.routeTableId ?? 'none'}${s.routeTableImplicit ? ' (main)' : ''}, network ACL ${s.networkAclId ?? 'none'}`,
      });
  if (want('instances'))
    for (const i of model.instances.values())
      row({
        type: 'instances',
        id: i.id,
        name: i.name ?? '',
        account: i.account,
        region: i.region,
        vpc: i.vpcId ?? '',
        address: [i.privateIp, i.publicIp].filter(Boolean).join(' '),
        state: i.state,
        detail: [i.instanceType, i.subnetId, i.availabilityZone].filter(Boolean).join(' '),
      });
  if (want('network-interfaces'))
    for (const e of model.networkInterfaces.values())
      row({
        type: 'network-interfaces',
        id: e.id,
        name: e.name ?? '',
        account: e.account,
        region: e.region,
        vpc: e.vpcId,
        address: eniAddresses(e),
        state: e.status,
        detail: `${e.interfaceTypeRaw}: ${describeOwner(model, e)}`,
      });
  if (want('public-ips')) rows.push(...publicIpRows(model));
  if (want('load-balancers'))
    for (const lb of model.loadBalancers.values())
      row({
        type: 'load-balancers',
        id: lb.arn,
        name: lb.loadBalancerName,
        account: lb.account,
        region: lb.region,
        vpc: lb.vpcId ?? '',
        address: lb.dnsName ?? '',
        state: lb.state,
        detail: `${lb.lbType} ${lb.scheme}, ${lb.zones.length} AZ, listeners ${model
          .listenersOf(lb.arn)
          .map((l) => `${l.protocol ?? '?'}:${l.port ?? '?'}`)
          .sort()
          .join(',') || 'none'}`,
      });
  if (want('endpoints'))
    for (const ep of model.vpcEndpoints.values())
      row({
        type: 'endpoints',
        id: ep.id,
        name: ep.name ?? '',
        account: ep.account,
        region: ep.region,
        vpc: ep.vpcId,
        address: ep.dnsEntries[0]?.dnsName ?? '',
        state: ep.state,
        detail: `${ep.endpointType} ${ep.serviceName}`,
      });
  if (want('endpoint-services'))
    for (const s of model.endpointServices.values())
      row({
        type: 'endpoint-services',
        id: s.id,
        name: s.name ?? '',
        account: s.account,
        region: s.region,
        address: s.serviceName,
        state: s.state,
        detail: s.consumerViewOnly
          ? 'consumer view only (provider account not in the snapshot)'
          : `load balancers ${[...s.networkLoadBalancerArns, ...s.gatewayLoadBalancerArns].map((a) => model.loadBalancers.get(a)?.loadBalancerName ?? a).join(',') || 'none'}; acceptance ${s.acceptanceRequired ? 'required' : 'automatic'}`,
      });
  if (want('transit-gateways'))
    for (const t of model.transitGateways.values()) {
      const atts = [...model.transitGatewayAttachments.values()].filter((a) => a.transitGatewayId === t.id);
      row({
        type: 'transit-gateways',
        id: t.id,
        name: t.name ?? '',
        account: t.account,
        region: t.region,
        state: t.state,
        detail: `${atts.length} attachments (${atts.map((a) => `${a.resourceType}:${a.resourceId ?? a.id}`).sort().join(', ')})`,
      });
    }
  if (want('peering'))
    for (const p of model.peeringConnections.values())
      row({
        type: 'peering',
        id: p.id,
        name: p.name ?? '',
        account: p.account,
        region: p.region,
        address: [...p.requester.cidrs, '<->', ...p.accepter.cidrs].join(' '),
        state: p.status,
        detail: `${p.requester.vpcId} (${p.requester.account ?? '?'} ${p.requester.region ?? '?'}) <-> ${p.accepter.vpcId} (${p.accepter.account ?? '?'} ${p.accepter.region ?? '?'})`,
      });
  if (want('nat-gateways'))
    for (const n of model.natGateways.values())
      row({
        type: 'nat-gateways',
        id: n.id,
        name: n.name ?? '',
        account: n.account,
        region: n.region,
        vpc: n.vpcId,
        address: n.addresses.flatMap((a) => [a.privateIp, a.publicIp]).filter(Boolean).join(' '),
        state: n.state,
        detail: `${n.connectivity} in ${n.subnetId}`,
      });
  if (want('internet-gateways'))
    for (const g of model.internetGateways.values())
      row({
        type: 'internet-gateways',
        id: g.id,
        name: g.name ?? '',
        account: g.account,
        region: g.region,
        vpc: g.attachments.map((a) => a.vpcId).join(' '),
        state: g.attachments.map((a) => a.state).join(' ') || 'detached',
      });
  if (want('vpn-connections'))
    for (const v of model.vpnConnections.values())
      row({
        type: 'vpn-connections',
        id: v.id,
        name: v.name ?? '',
        account: v.account,
        region: v.region,
        address: v.routes.map((r) => r.cidr).join(' '),
        state: v.state,
        detail: `${v.transitGatewayId ?? v.vpnGatewayId ?? '?'} tunnels ${v.tunnels.map((t) => t.status).join('/')}`,
      });
  if (want('hosted-zones'))
    for (const z of model.hostedZones.values())
      row({
        type: 'hosted-zones',
        id: z.id,
        name: z.zoneName,
        account: z.account,
        region: z.region,
        vpc: z.vpcs.map((v) => v.vpcId).join(' '),
        state: z.privateZone ? 'private' : 'public',
        detail: `${z.records.length} records`,
      });

  return rows
    .filter((r) => (!filter.account || r.account === filter.account) && (!filter.region || r.region === filter.region) && (!filter.vpc || r.vpc.split(' ').includes(filter.vpc)))
    .sort((a, b) => cmp(a.type, b.type) || cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.vpc, b.vpc) || cmp(a.id, b.id) || cmp(a.address, b.address));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every public IPv4 address: Elastic IPs (associated or not), auto-assigned public IPs on interfaces, and
 * load-balancer node addresses, each with what holds it.
 */
function publicIpRows(model: NetworkModel): InventoryRow[] {
  const byIp = new Map<string, InventoryRow>();
  for (const eni of model.networkInterfaces.values())
    for (const a of eni.privateAddresses) {
      if (!a.publicIp) continue;
      const elastic = a.publicIpOwner !== undefined && a.publicIpOwner !== 'amazon';
      byIp.set(a.publicIp, {
        type: 'public-ips',
        id: a.publicIp,
        name: eni.name ?? '',
        account: eni.account,
        region: eni.region,
        vpc: eni.vpcId,
        address: a.ip,
        state: 'associated',
        detail: `${elastic ? `Elastic IP${a.allocationId ? ` ${a.allocationId}` : ''}` : 'auto-assigned public IP'} on ${eni.id}: ${describeOwner(model, eni)}`,
      });
    }
  for (const eip of model.elasticIps.values()) {
    const eni = eip.networkInterfaceId ? model.networkInterfaces.get(eip.networkInterfaceId) : undefined;
    byIp.set(eip.publicIp, {
      type: 'public-ips',
      id: eip.publicIp,
      name: eip.name ?? eni?.name ?? '',
      account: eip.account,
      region: eip.region,
      vpc: eni?.vpcId ?? '',
      address: eip.privateIp ?? '',
      state: eip.associationId || eip.networkInterfaceId ? 'associated' : 'unassociated',
      detail: `Elastic IP ${eip.allocationId ?? ''} ${eni ? `on ${eni.id}: ${describeOwner(model, eni)}` : eip.instanceId ? `on instance ${eip.instanceId}` : 'not associated'}`.replace(/\s+/g, ' ').trim(),
    });
  }
  for (const lb of model.loadBalancers.values())
    for (const z of lb.zones)
      for (const a of z.addresses)
        if (a.publicIp && !byIp.has(a.publicIp))
          byIp.set(a.publicIp, {
            type: 'public-ips',
            id: a.publicIp,
            name: lb.loadBalancerName,
            account: lb.account,
            region: lb.region,
            vpc: lb.vpcId ?? '',
            address: a.privateIp ?? '',
            state: 'associated',
            detail: `load balancer ${lb.loadBalancerName} node in ${z.zoneName}`,
          });
  return [...byIp.values()];
}

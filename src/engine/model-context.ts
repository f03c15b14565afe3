/**
 * Lookups the rule kernels need from the model (prefix-list CIDRs, security-group membership), built once
 * per model and cached, so that each evaluation is a map lookup.
 */
import { canonicalIp, canonicalIpCached } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface, PrivateAddress, RouteTable, TransitGatewayAttachment } from '../model/types.js';

export interface ModelContext {
  prefixListCidrs(prefixListId: string): readonly string[] | undefined;
  /** The route table associated with gateway `gatewayId` (ingress routing), if any. */
  edgeRouteTable(gatewayId: string): RouteTable | undefined;
  /** The VPC attachment of `vpcId` to transit gateway `tgwId`. */
  vpcAttachment(tgwId: string, vpcId: string): TransitGatewayAttachment | undefined;
  /** True when `ip` is a private IPv4 or an IPv6 address of an interface in security group `groupId` (§2.4: never a public IP). */
  isMemberAddress(groupId: string, ip: string): boolean;
}

const cache = new WeakMap<NetworkModel, ModelContext>();

export function modelContext(model: NetworkModel): ModelContext {
  let ctx = cache.get(model);
  if (ctx) return ctx;
  const members = new Map<string, Set<string>>();
  const edges = new Map<string, RouteTable>();
  for (const t of model.routeTables.values())
    for (const a of t.associations) if (a.gatewayId && a.state === 'associated') edges.set(a.gatewayId, t);
  const attachments = new Map<string, TransitGatewayAttachment>();
  for (const a of model.transitGatewayAttachments.values())
    if (a.resourceType === 'vpc' && a.resourceId) attachments.set(`${a.transitGatewayId}/${a.resourceId}`, a);
  ctx = {
    prefixListCidrs: (id) => model.prefixLists.get(id)?.cidrs,
    edgeRouteTable: (id) => edges.get(id),
    vpcAttachment: (tgwId, vpcId) => attachments.get(`${tgwId}/${vpcId}`),
    isMemberAddress(groupId, ip) {
      let set = members.get(groupId);
      if (!set) {
        set = new Set();
        for (const eni of model.membersOfSecurityGroup(groupId)) for (const a of interfaceAddresses(eni)) set.add(a);
        members.set(groupId, set);
      }
      return set.has(canonicalIpCached(ip));
    },
  };
  cache.set(model, ctx);
  return ctx;
}

/** Private IPv4 and IPv6 addresses an interface owns (primary, secondary, IPv6). */
export function interfaceAddresses(eni: NetworkInterface): string[] {
  return [...eni.privateAddresses.map((a: PrivateAddress) => a.ip), ...eni.ipv6Addresses];
}

export function ownsAddress(eni: NetworkInterface, ip: string): boolean {
  const c = canonicalIp(ip) ?? ip;
  return eni.privateAddresses.some((a) => a.ip === c) || eni.ipv6Addresses.includes(c);
}

/** The interface in `vpcId` that owns private/IPv6 address `ip`, if any. */
export function interfaceWithAddress(model: NetworkModel, vpcId: string, ip: string): NetworkInterface | undefined {
  for (const h of model.addressHolders(ip)) {
    if (h.scope === 'public' || h.vpcId !== vpcId) continue;
    const eni = model.networkInterfaces.get(h.networkInterfaceId);
    if (eni) return eni;
  }
  return undefined;
}

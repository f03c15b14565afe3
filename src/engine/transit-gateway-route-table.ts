/**
 * Transit gateway route lookup (aws-vpc-semantics §7.2; TGW:how-transit-gateways-work "Route evaluation
 * order"): longest prefix match in the route table associated with the ingress attachment; for identical
 * prefixes static routes win, then prefix-list references, then routes propagated from VPC, Direct Connect
 * gateway, Connect and VPN attachments, in that order. A matching blackhole route drops the packet.
 */
import { cidrContains, parseCidrCached, parseIpCached } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { TransitGatewayRoute, TransitGatewayRouteTable } from '../model/types.js';

export type TransitGatewayLookup =
  | { readonly kind: 'match'; readonly route: TransitGatewayRoute; readonly matchedCidr: string }
  | { readonly kind: 'no-route' };

const PROPAGATION_RANK: Readonly<Record<string, number>> = { vpc: 2, 'direct-connect-gateway': 3, connect: 4, vpn: 5 };

function rank(model: NetworkModel, r: TransitGatewayRoute): number {
  if (r.type === 'static') return r.destination.kind === 'prefix-list' ? 1 : 0;
  const att = r.attachmentIds[0] ? model.transitGatewayAttachments.get(r.attachmentIds[0]) : undefined;
  return PROPAGATION_RANK[att?.resourceType ?? 'vpn'] ?? 6;
}

export function lookupTransitGatewayRoute(model: NetworkModel, table: TransitGatewayRouteTable, dstIp: string): TransitGatewayLookup {
  const addr = parseIpCached(dstIp);
  if (!addr) return { kind: 'no-route' };
  let best: { route: TransitGatewayRoute; cidr: string; len: number; rank: number } | undefined;
  for (const route of table.routes) {
    if (route.state === 'deleted' || route.state === 'deleting') continue;
    const cidrs = route.destination.kind === 'cidr' ? [route.destination.cidr] : (model.prefixLists.get(route.destination.prefixListId)?.cidrs ?? []);
    for (const text of cidrs) {
      const c = parseCidrCached(text);
      if (!c || !cidrContains(c, addr)) continue;
      const r = rank(model, route);
      if (!best || c.prefixLength > best.len || (c.prefixLength === best.len && (r < best.rank || (r === best.rank && route.attachmentIds.join() < best.route.attachmentIds.join()))))
        best = { route, cidr: text, len: c.prefixLength, rank: r };
    }
  }
  return best ? { kind: 'match', route: best.route, matchedCidr: best.cidr } : { kind: 'no-route' };
}

export function describeTransitGatewayRoute(model: NetworkModel, r: TransitGatewayRoute): string {
  const dest = r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId;
  const targets = r.attachmentIds
    .map((id) => {
      const a = model.transitGatewayAttachments.get(id);
      return a ? `${id} (${a.resourceType} ${a.resourceId ?? ''})`.replace(' )', ')') : id;
    })
    .join(', ');
  return `${dest} -> ${r.state === 'blackhole' ? 'blackhole' : targets || 'no attachment'} [${r.type}]`;
}

/**
 * Effective routes: every route of a VPC's route tables or of a transit gateway route table, with whether it
 * is in force. For identical prefixes only one route wins (VPC: local > static > prefix list > propagated,
 * aws-vpc-semantics §1.3; TGW: static > prefix list > propagated VPC > DX > Connect > VPN, §7.2); a
 * propagated VPC route covered by the local route never wins (§1.2); blackhole routes win their prefix and
 * drop.
 */
import { cidrCovers, parseCidrCached } from '../model/addresses.js';
import type { NetworkModel } from '../model/network.js';
import type { Route, RouteTable, TransitGatewayRouteTable } from '../model/types.js';
import { describeTransitGatewayRoute } from '../engine/transit-gateway-route-table.js';

export type RouteStatus = 'active' | 'blackhole' | 'shadowed' | 'not installed';

export interface EffectiveRoute {
  readonly routeTableId: string;
  readonly destination: string;
  readonly target: string;
  readonly origin: string;
  readonly status: RouteStatus;
  /** Why a route is not in force, or which route beats it. */
  readonly reason?: string;
  readonly subnets?: readonly string[];
  readonly source: Route['source'];
  /** Set when the route is not listed in the snapshot but derived from other data: what it comes from. */
  readonly derived?: string;
}

function vpcRank(r: Route): number {
  if (r.target.kind === 'local' || r.origin === 'local') return 0;
  if (r.origin === 'propagated') return 3;
  return r.destination.kind === 'prefix-list' ? 2 : 1;
}

function vpcDestination(r: Route): string {
  return r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId;
}

export function effectiveVpcRoutes(model: NetworkModel, table: RouteTable): EffectiveRoute[] {
  const subnets = [...model.subnets.values()].filter((s) => s.routeTableId === table.id).map((s) => s.id).sort();
  const locals = table.routes.filter((r) => r.target.kind === 'local').flatMap((r) => (r.destination.kind === 'cidr' ? [parseCidrCached(r.destination.cidr)] : [])).filter((c) => !!c);
  const byPrefix = new Map<string, Route[]>();
  for (const r of table.routes) {
    const k = vpcDestination(r);
    byPrefix.set(k, [...(byPrefix.get(k) ?? []), r]);
  }
  return table.routes
    .map((r): EffectiveRoute => {
      const base = { routeTableId: table.id, destination: vpcDestination(r), target: r.target.id, origin: r.origin, subnets, source: r.source, ...(r.derivedFrom ? { derived: r.derivedFrom } : {}) };
      if (r.state === 'filtered') return { ...base, status: 'not installed', reason: 'filtered (Route Server)' };
      const cidr = r.destination.kind === 'cidr' ? parseCidrCached(r.destination.cidr) : undefined;
      if (r.origin === 'propagated' && cidr && locals.some((l) => l && cidrCovers(l, cidr)))
        return { ...base, status: 'shadowed', reason: 'overlaps the local route, which always wins over propagated routes' };
      const rivals = (byPrefix.get(base.destination) ?? []).filter((x) => x !== r && x.state !== 'filtered');
      const better = rivals.find((x) => vpcRank(x) < vpcRank(r));
      if (better) return { ...base, status: 'shadowed', reason: `${better.origin} route to ${better.target.id} wins for the same prefix` };
      return { ...base, status: r.state === 'blackhole' ? 'blackhole' : 'active' };
    })
    .sort((a, b) => prefixOrder(a.destination, b.destination));
}

function prefixOrder(a: string, b: string): number {
  const ca = parseCidrCached(a);
  const cb = parseCidrCached(b);
  if (ca && cb) {
    if (ca.family !== cb.family) return ca.family - cb.family;
    if (ca.prefixLength !== cb.prefixLength) return cb.prefixLength - ca.prefixLength;
    return ca.base < cb.base ? -1 : ca.base > cb.base ? 1 : 0;
  }
  if (ca) return -1;
  if (cb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function effectiveTransitGatewayRoutes(model: NetworkModel, table: TransitGatewayRouteTable): EffectiveRoute[] {
  const rank = (type: string, dest: string, attachmentId: string | undefined) => {
    if (type === 'static') return dest.startsWith('pl-') ? 1 : 0;
    const att = attachmentId ? model.transitGatewayAttachments.get(attachmentId) : undefined;
    return ({ vpc: 2, 'direct-connect-gateway': 3, connect: 4, vpn: 5 } as Record<string, number>)[att?.resourceType ?? 'vpn'] ?? 6;
  };
  const rows = table.routes.map((r) => {
    const dest = r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId;
    return { r, dest, rank: rank(r.type, dest, r.attachmentIds[0]) };
  });
  return rows
    .map(({ r, dest, rank: k }): EffectiveRoute => {
      const base = {
        routeTableId: table.id,
        destination: dest,
        target: (describeTransitGatewayRoute(model, r).split(' -> ')[1] ?? '').replace(/ \[(static|propagated)\]$/, ''),
        origin: r.type,
        source: r.source,
        // Snapshots that list static routes only (Batfish, `--filters type=static`): the loader derives these.
        ...(r.derivedFromPropagation ? { derived: `derived from the propagation of ${r.attachmentIds.join(', ')}: the snapshot lists this table's static routes only` } : {}),
      };
      const better = rows.find((x) => x.r !== r && x.dest === dest && x.rank < k);
      if (better) return { ...base, status: 'shadowed', reason: `${better.r.type} route wins for the same prefix` };
      return { ...base, status: r.state === 'blackhole' ? 'blackhole' : 'active' };
    })
    .sort((a, b) => prefixOrder(a.destination, b.destination));
}

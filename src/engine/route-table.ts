/**
 * VPC route selection (aws-vpc-semantics §1.2–1.4; VPC:VPC_Route_Tables "Route priority").
 *
 * - Longest prefix match, IPv4 and IPv6 separately; prefix-list destinations expand to their CIDRs (an
 *   unknown list matches nothing).
 * - Identical prefix: local > static > prefix list > propagated. Two prefix-list routes with the same best
 *   CIDR to different targets: AWS picks one at random, reported as `ambiguous`.
 * - A propagated route covered by the local route never wins, even when more specific.
 * - `filtered` routes are not installed; `blackhole` routes are and still win (the caller drops).
 * - Route order in the JSON does not matter. Each table is compiled once (per prefix list contents).
 */
import { cidrContains, cidrCovers, parseCidrCached, parseIpCached, type Cidr } from '../model/addresses.js';
import type { Route, RouteTable } from '../model/types.js';

export interface RouteLookupContext {
  prefixListCidrs(prefixListId: string): readonly string[] | undefined;
}

export type RouteLookup =
  | { readonly kind: 'match'; readonly route: Route; readonly matchedCidr: string }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'ambiguous'; readonly routes: readonly Route[]; readonly matchedCidr: string };

interface CompiledEntry {
  readonly cidr: Cidr;
  readonly text: string;
  readonly route: Route;
  /** 0 local, 1 static CIDR, 2 prefix list, 3 propagated. */
  readonly rank: number;
}

/** Entries sorted by prefix length (longest first), then rank. */
type Compiled = { readonly v4: readonly CompiledEntry[]; readonly v6: readonly CompiledEntry[] };

const compiledTables = new WeakMap<RouteTable, { ctx: RouteLookupContext; compiled: Compiled }>();

function rankOf(r: Route): number {
  if (r.target.kind === 'local' || r.origin === 'local') return 0;
  if (r.origin === 'propagated') return 3;
  return r.destination.kind === 'prefix-list' ? 2 : 1;
}

function compile(table: RouteTable, ctx: RouteLookupContext): Compiled {
  const entries: CompiledEntry[] = [];
  for (const route of table.routes) {
    if (route.state === 'filtered') continue;
    const texts = route.destination.kind === 'cidr' ? [route.destination.cidr] : (ctx.prefixListCidrs(route.destination.prefixListId) ?? []);
    for (const text of texts) {
      const cidr = parseCidrCached(text);
      if (cidr) entries.push({ cidr, text, route, rank: rankOf(route) });
    }
  }
  const locals = entries.filter((e) => e.rank === 0);
  // §1.2: propagated routes overlapping the local route never win.
  const usable = entries.filter((e) => !(e.rank === 3 && locals.some((l) => cidrCovers(l.cidr, e.cidr))));
  const order = (a: CompiledEntry, b: CompiledEntry) =>
    b.cidr.prefixLength - a.cidr.prefixLength || a.rank - b.rank || (a.route.target.id < b.route.target.id ? -1 : a.route.target.id > b.route.target.id ? 1 : 0);
  return { v4: usable.filter((e) => e.cidr.family === 4).sort(order), v6: usable.filter((e) => e.cidr.family === 6).sort(order) };
}

export function longestPrefixMatch(table: RouteTable, dstIp: string, ctx: RouteLookupContext): RouteLookup {
  const addr = parseIpCached(dstIp);
  if (!addr) return { kind: 'no-route' };
  let cached = compiledTables.get(table);
  if (!cached || cached.ctx !== ctx) {
    cached = { ctx, compiled: compile(table, ctx) };
    compiledTables.set(table, cached);
  }
  const list = addr.family === 4 ? cached.compiled.v4 : cached.compiled.v6;
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as CompiledEntry;
    if (!cidrContains(e.cidr, addr)) continue;
    // The first hit has the longest prefix and the best rank; look for an equal rival of the same rank.
    if (e.rank === 2) {
      const rivals = list.filter((x) => x.rank === 2 && x.cidr.prefixLength === e.cidr.prefixLength && cidrContains(x.cidr, addr) && x.route.target.id !== e.route.target.id);
      if (rivals.length > 0) return { kind: 'ambiguous', routes: [e.route, ...rivals.map((r) => r.route)], matchedCidr: e.text };
    }
    return { kind: 'match', route: e.route, matchedCidr: e.text };
  }
  return { kind: 'no-route' };
}

/** "10.0.0.0/16 -> local", "pl-123 -> vpce-…", "0.0.0.0/0 -> nat-… (blackhole)". */
export function describeRoute(route: Route): string {
  const dest = route.destination.kind === 'cidr' ? route.destination.cidr : route.destination.prefixListId;
  const extra = [route.origin === 'propagated' ? 'propagated' : '', route.state !== 'active' ? route.state : ''].filter(Boolean).join(', ');
  return `${dest} -> ${route.target.id}${extra ? ` (${extra})` : ''}`;
}

/**
 * The VPC router: what happens to a packet that leaves an interface's subnet or enters the VPC through a
 * gateway.
 *
 * - Same subnet: delivered directly; no route table and no NACL (aws-vpc-semantics §0.3 step 2).
 * - Otherwise: longest-prefix match in the subnet's route table (explicit association, else the main table;
 *   §1.1–1.3), the subnet's outbound NACL, then the route target's component.
 * - Traffic entering through an internet or virtual private gateway is routed by the gateway's edge route
 *   table when one is associated (ingress routing, §1.1), else delivered by the local route.
 */
import type { Route, Subnet } from '../../model/types.js';
import { describeRoute, longestPrefixMatch } from '../route-table.js';
import { interfaceWithAddress, modelContext } from '../model-context.js';
import { describePacket, type Packet } from '../packet.js';
import type { ComponentRef } from '../trace-types.js';
import { addHop, block, next, stop, trackedFlowFor, type Location, type Step, type WalkState } from '../walk.js';
import { componentOf } from './component-ref.js';
import { crossNetworkAcl } from './subnet-boundary.js';

/** Context a route-target component receives. */
export interface RouteTargetInput {
  readonly route: Route;
  readonly packet: Packet;
  readonly vpcId: string;
  /** The subnet whose route table chose the route; undefined for an edge (gateway) route table. */
  readonly subnet?: Subnet;
  readonly routeTableId: string;
}

export type RouteTargetHandler = (state: WalkState, input: RouteTargetInput) => Step;

/** Looks up and dispatches route-target handlers (filled by registry.ts). */
export interface RouterRegistry {
  routeTarget(kind: Route['target']['kind']): RouteTargetHandler | undefined;
}

/** Outcome of a route lookup, with its hop and explanation already recorded; undefined = walk stops. */
function lookup(state: WalkState, tableId: string, packet: Packet, where: string): Route | undefined {
  const table = state.model.routeTables.get(tableId);
  if (!table) {
    block(state, {
      code: 'MISSING_DATA',
      component: { id: tableId, type: 'route-table' },
      message: `route table ${tableId} is not in the snapshot: add describe-route-tables output`,
    });
    return undefined;
  }
  const result = longestPrefixMatch(table, packet.dstIp, modelContext(state.model));
  if (result.kind === 'no-route') {
    addHop(state, { component: componentOf(table), action: 'no-route', rule: `no route for ${packet.dstIp}`, packet, source: table.source, note: where });
    block(state, {
      code: 'NO_ROUTE_TO_DESTINATION',
      component: { id: table.id, type: 'route-table' },
      message: `route table ${table.id} (${where}) has no route for ${packet.dstIp}; add a route for it (for example ${packet.family === 4 ? '0.0.0.0/0' : '::/0'} to a gateway) or a more specific one`,
      source: table.source,
    });
    return undefined;
  }
  if (result.kind === 'ambiguous') {
    addHop(state, { component: componentOf(table), action: 'no-route', rule: `ambiguous: ${result.routes.map(describeRoute).join(' | ')}`, packet, source: table.source, note: where });
    block(state, {
      code: 'ROUTE_AMBIGUOUS',
      component: { id: table.id, type: 'route-table' },
      message: `route table ${table.id} has overlapping prefix-list routes for ${result.matchedCidr} to different targets; AWS picks one of them at random (VPC route priority); remove the overlap`,
      source: table.source,
    });
    return undefined;
  }
  const { route } = result;
  if (route.state === 'blackhole') {
    addHop(state, { component: componentOf(table), action: 'blackhole', rule: describeRoute(route), packet, source: route.source, note: where });
    block(state, {
      code: 'BAD_STATE_ROUTE',
      component: { id: table.id, type: 'route-table' },
      message: `route ${describeRoute(route)} in ${table.id} is a blackhole (its target ${route.target.id} no longer exists or is not available); point it at a working target`,
      source: route.source,
    });
    return undefined;
  }
  addHop(state, { component: componentOf(table), action: 'route', rule: describeRoute(route), packet, source: route.source, note: route.derivedFrom ? `${where}; ${route.derivedFrom}` : where });
  return route;
}

function dispatch(state: WalkState, registry: RouterRegistry, input: RouteTargetInput): Step {
  const handler = registry.routeTarget(input.route.target.kind);
  if (!handler) {
    block(state, {
      code: 'UNSUPPORTED_COMPONENT',
      component: { id: input.route.target.id, type: 'route-table' },
      message: `the route sends ${describePacket(input.packet)} to ${input.route.target.kind} ${input.route.target.id}; tracing through this kind of target is not supported yet`,
      source: input.route.source,
    });
    return stop;
  }
  return handler(state, input);
}

/** A packet in a subnet's router, sent by `fromEni` (or re-emitted by a forwarding component). */
export function routeFromSubnet(state: WalkState, registry: RouterRegistry, loc: Extract<Location, { at: 'subnet-out' }>): Step {
  const { subnet, packet } = loc;
  // A reply to a connection-tracked flow (a load balancer that preserved the client IP) returns to the
  // component that tracked it, whatever the routes say.
  if (state.direction === 'return') {
    const via = trackedFlowFor(state, packet)?.returnVia;
    if (via && via.id !== loc.fromEni?.id) {
      addHop(state, { component: componentOf(via), action: 'forward', rule: 'reply to a connection tracked by the load balancer', packet });
      return next({ at: 'interface-in', eni: via, packet, fromSubnetId: subnet.id });
    }
  }
  const sameSubnet = interfaceWithAddress(state.model, subnet.vpcId, packet.dstIp);
  if (sameSubnet && sameSubnet.subnetId === subnet.id && sameSubnet.id !== loc.fromEni?.id) {
    addHop(state, {
      component: componentOf(subnet),
      action: 'forward',
      rule: 'destination in the same subnet',
      packet,
      note: 'delivered within the subnet: no route table or network ACL is consulted (aws-vpc-semantics §0.3)',
    });
    return next({ at: 'interface-in', eni: sameSubnet, packet, fromSubnetId: subnet.id });
  }
  if (!subnet.routeTableId) {
    block(state, {
      code: 'MISSING_DATA',
      component: { id: subnet.id, type: 'subnet' },
      message: `no route table applies to ${subnet.id} (no explicit association and no main table for ${subnet.vpcId} in the snapshot)`,
    });
    return stop;
  }
  const route = lookup(state, subnet.routeTableId, packet, `subnet ${subnet.id}${subnet.name ? ` (${subnet.name})` : ''}`);
  if (!route) return stop;
  crossNetworkAcl(state, subnet, 'outbound', packet);
  return dispatch(state, registry, { route, packet, vpcId: subnet.vpcId, subnet, routeTableId: subnet.routeTableId });
}

/** The `local` route: deliver to the interface that owns the destination in this VPC. */
export function deliverLocally(state: WalkState, input: RouteTargetInput): Step {
  const eni = interfaceWithAddress(state.model, input.vpcId, input.packet.dstIp);
  if (!eni) {
    block(state, {
      code: 'DESTINATION_ADDRESS_UNUSED',
      component: { id: input.vpcId, type: 'vpc' },
      message: `no network interface in ${input.vpcId} has address ${input.packet.dstIp} in the snapshot; the packet is dropped by the VPC router`,
    });
    return stop;
  }
  const subnet = state.model.subnets.get(eni.subnetId);
  if (subnet && subnet.id !== input.subnet?.id) crossNetworkAcl(state, subnet, 'inbound', input.packet);
  return next({ at: 'interface-in', eni, packet: input.packet, fromSubnetId: input.subnet?.id });
}

/** A packet entering a VPC through a gateway: edge route table if associated, else the local route. */
export function enterVpc(state: WalkState, registry: RouterRegistry, loc: Extract<Location, { at: 'vpc-ingress' }>): Step {
  const candidate = modelContext(state.model).edgeRouteTable(loc.gateway.id);
  const edge = candidate?.vpcId === loc.vpcId ? candidate : undefined;
  if (!edge) {
    const local: Route = { destination: { kind: 'cidr', cidr: 'local' }, target: { kind: 'local', id: 'local' }, state: 'active', origin: 'local', source: { file: '', path: '' } };
    return deliverLocally(state, { route: local, packet: loc.packet, vpcId: loc.vpcId, routeTableId: 'local' });
  }
  const route = lookup(state, edge.id, loc.packet, `edge route table of ${loc.gateway.id}`);
  if (!route) return stop;
  return dispatch(state, registry, { route, packet: loc.packet, vpcId: loc.vpcId, routeTableId: edge.id });
}

export type { ComponentRef };

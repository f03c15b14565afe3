/**
 * The forwarding walk: a small state machine that moves a packet from location to location (leaving an
 * interface, in a subnet's router, arriving at an interface, on the internet, entering a VPC through a
 * gateway) and asks one component module per step what happens. Components register themselves by route
 * target kind and by interface owner kind (`registry.ts`), so a new hop kind adds a file and a registry
 * line, never a branch here.
 *
 * A filter that drops the packet (security group, network ACL) records an explanation and the walk goes
 * on as if it had passed, so that every blocker on the intended path is reported (Reachability Analyzer
 * reports one; users fix one and meet the next). A routing failure ends the walk: there is no intended path
 * after it.
 */
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface, Subnet } from '../model/types.js';
import type { Packet } from './packet.js';
import type { ComponentRef, Direction, Explanation, Hop } from './trace-types.js';

/** Where the packet is. */
export type Location =
  | { readonly at: 'interface-out'; readonly eni: NetworkInterface; readonly packet: Packet; readonly origin: boolean }
  | { readonly at: 'subnet-out'; readonly subnet: Subnet; readonly packet: Packet; readonly fromEni?: NetworkInterface }
  | {
      readonly at: 'interface-in';
      readonly eni: NetworkInterface;
      readonly packet: Packet;
      /** Subnet the packet was routed from; undefined when it enters from outside the VPC. */
      readonly fromSubnetId?: string;
    }
  | { readonly at: 'vpc-ingress'; readonly vpcId: string; readonly gateway: ComponentRef; readonly packet: Packet }
  | { readonly at: 'internet'; readonly packet: Packet }
  | {
      readonly at: 'transit-gateway';
      readonly transitGatewayId: string;
      /** The attachment the packet entered through; its associated route table routes it. */
      readonly attachmentId: string;
      readonly packet: Packet;
      /** AZ id the packet came from, so that it leaves through the same AZ where possible (§7.2). */
      readonly availabilityZoneId?: string;
    }
  | {
      readonly at: 'on-premises';
      readonly packet: Packet;
      /** The VPN connection the packet travels on (towards AWS when the walk starts on premises). */
      readonly vpnConnectionId?: string;
      /** Or the transit gateway attachment (Direct Connect gateway) it enters through. */
      readonly attachmentId?: string;
      /** Or the Direct Connect gateway it travels on (its associations decide where it enters AWS). */
      readonly directConnectGatewayId?: string;
    }
  | { readonly at: 'arrived'; readonly arrival: Arrival };

/** Where a walk can end successfully. */
export type Arrival =
  | { readonly kind: 'interface'; readonly eni: NetworkInterface; readonly packet: Packet }
  | { readonly kind: 'internet'; readonly packet: Packet }
  | { readonly kind: 'aws-service'; readonly packet: Packet; readonly endpointId: string; readonly vpcId: string }
  | { readonly kind: 'link-local'; readonly packet: Packet; readonly service: string }
  | { readonly kind: 'on-premises'; readonly packet: Packet; readonly vpnConnectionId?: string; readonly directConnectGatewayId?: string };

/** A translation remembered so that the reply can be translated back (NAT gateway, egress-only IGW). */
export interface TrackedFlow {
  readonly componentId: string;
  /** The packet as it left the component (after translation). */
  readonly outside: Packet;
  /** The packet as it arrived at the component (before translation). */
  readonly inside: Packet;
  /**
   * Where the reply must go whatever the routes say: connection-tracked components (a load balancer that
   * preserved the client address) receive replies from their targets directly.
   */
  readonly returnVia?: NetworkInterface;
  /** For a load balancer reached through PrivateLink: the consumer endpoint and its interface. */
  readonly privateLink?: { readonly endpointId: string; readonly endpointEni: NetworkInterface; readonly consumerPacket: Packet };
}

/** The tracked flow that `reply` answers (reply = the outside packet reversed). */
export function trackedFlowFor(state: WalkState, reply: Packet, componentId?: string): TrackedFlow | undefined {
  return state.tracked.find(
    (f) =>
      (componentId === undefined || f.componentId === componentId) &&
      f.outside.srcIp === reply.dstIp &&
      f.outside.dstIp === reply.srcIp &&
      f.outside.protocol === reply.protocol &&
      (f.outside.srcPort ?? -1) === (reply.dstPort ?? -1) &&
      (f.outside.dstPort ?? -1) === (reply.srcPort ?? -1),
  );
}

export interface WalkState {
  readonly model: NetworkModel;
  readonly direction: Direction;
  readonly hops: Hop[];
  readonly explanations: Explanation[];
  readonly notes: string[];
  /** Security-group passes of the forward walk, `eni:ingress|egress`; the return walk is admitted by them. */
  readonly sgPasses: Set<string>;
  readonly tracked: TrackedFlow[];
  blocked: boolean;
}

/** What a step decides. */
export type Step = { readonly kind: 'next'; readonly location: Location } | { readonly kind: 'stop' };

export const stop: Step = { kind: 'stop' };
export const next = (location: Location): Step => ({ kind: 'next', location });

export function addHop(state: WalkState, hop: Hop): void {
  state.hops.push(hop);
}

/** Records a blocker. `fatal` ends the walk; otherwise the walk continues along the intended path. */
export function block(state: WalkState, e: Omit<Explanation, 'direction'>): void {
  state.blocked = true;
  state.explanations.push({ ...e, direction: state.direction });
}

export function note(state: WalkState, text: string): void {
  if (!state.notes.includes(text)) state.notes.push(text);
}

export type StepFunction = (state: WalkState, location: Location) => Step;

const MAX_STEPS = 64;

/**
 * Runs the walk from `start` until it arrives or stops. `stepper` dispatches one location to the
 * component that handles it.
 */
export function walk(state: WalkState, start: Location, stepper: StepFunction): Arrival | undefined {
  let loc = start;
  const seen = new Set<string>();
  for (let i = 0; i < MAX_STEPS; i++) {
    if (loc.at === 'arrived') return loc.arrival;
    const key = locationKey(loc);
    if (seen.has(key)) {
      block(state, {
        code: 'ROUTING_LOOP',
        component: { id: locationComponent(loc), type: 'route-table' },
        message: `the packet returns to ${locationComponent(loc)} with the same addresses: the routes form a loop; change one of the route tables on the path`,
      });
      return undefined;
    }
    seen.add(key);
    const step = stepper(state, loc);
    if (step.kind === 'stop') return undefined;
    loc = step.location;
  }
  block(state, {
    code: 'ROUTING_LOOP',
    component: { id: locationComponent(loc), type: 'route-table' },
    message: `the path is longer than ${MAX_STEPS} steps; the routes probably form a loop`,
  });
  return undefined;
}

function locationComponent(loc: Location): string {
  switch (loc.at) {
    case 'interface-out':
    case 'interface-in':
      return loc.eni.id;
    case 'subnet-out':
      return loc.subnet.id;
    case 'vpc-ingress':
      return loc.vpcId;
    case 'internet':
      return 'internet';
    case 'transit-gateway':
      return `${loc.transitGatewayId}/${loc.attachmentId}`;
    case 'on-premises':
      return `on-premises/${loc.vpnConnectionId ?? loc.directConnectGatewayId ?? ''}`;
    case 'arrived':
      return 'arrived';
  }
}

function locationKey(loc: Location): string {
  const p = 'packet' in loc ? loc.packet : undefined;
  return `${loc.at}|${locationComponent(loc)}|${p ? `${p.srcIp}>${p.dstIp}` : ''}`;
}

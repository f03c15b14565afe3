/**
 * Which component handles which step. Route targets and interface owners map to their component modules;
 * adding a hop kind means adding a module and a line here, never a branch in the walk.
 */
import type { NetworkInterfaceOwner, RouteTargetKind } from '../../model/types.js';
import type { Location, Step, StepFunction, WalkState } from '../walk.js';
import { toAppliance } from './appliance.js';
import { toEgressOnlyInternetGateway } from './egress-only-internet-gateway.js';
import { onInternet } from './internet.js';
import { toInternetGateway } from './internet-gateway.js';
import { arriveAtNatGateway, toNatGateway } from './nat-gateway.js';
import { arriveAtInterface, leaveInterface } from './network-interface.js';
import { deliverLocally, enterVpc, routeFromSubnet, type RouteTargetHandler, type RouterRegistry } from './vpc-router.js';
import { toVpcEndpoint } from './vpc-endpoint.js';
import { toPeeringConnection } from './vpc-peering.js';
import { inTransitGateway, toTransitGateway } from './transit-gateway.js';
import { fromOnPremises, toVirtualPrivateGateway } from './vpn.js';
import { arriveAtLoadBalancer } from './load-balancer.js';
import { arriveAtInterfaceEndpoint } from './interface-endpoint.js';
import { fromDirectConnect } from './direct-connect-gateway.js';

type ArrivalHandler = (state: WalkState, loc: Extract<Location, { at: 'interface-in' }>) => Step;

const routeTargets: Partial<Record<RouteTargetKind, RouteTargetHandler>> = {
  local: deliverLocally,
  'internet-gateway': toInternetGateway,
  'nat-gateway': toNatGateway,
  'egress-only-internet-gateway': toEgressOnlyInternetGateway,
  'vpc-endpoint': toVpcEndpoint,
  'network-interface': toAppliance,
  instance: toAppliance,
  'vpc-peering-connection': toPeeringConnection,
  'transit-gateway': toTransitGateway,
  'virtual-private-gateway': toVirtualPrivateGateway,
};

const interfaceArrivals: Partial<Record<NetworkInterfaceOwner['kind'], ArrivalHandler>> = {
  'nat-gateway': arriveAtNatGateway,
  'load-balancer': arriveAtLoadBalancer,
  'vpc-endpoint': arriveAtInterfaceEndpoint,
};

/** Lets later components (peering, transit gateway, PrivateLink, load balancers) register themselves. */
export function registerRouteTarget(kind: RouteTargetKind, handler: RouteTargetHandler): void {
  routeTargets[kind] = handler;
}

export function registerInterfaceArrival(owner: NetworkInterfaceOwner['kind'], handler: ArrivalHandler): void {
  interfaceArrivals[owner] = handler;
}

const router: RouterRegistry = { routeTarget: (kind) => routeTargets[kind] };

/** Dispatches one location to its component. */
export const stepLocation: StepFunction = (state, loc) => {
  switch (loc.at) {
    case 'interface-out':
      return leaveInterface(state, loc);
    case 'subnet-out':
      return routeFromSubnet(state, router, loc);
    case 'interface-in': {
      const special = interfaceArrivals[loc.eni.owner.kind];
      return special ? special(state, loc) : arriveAtInterface(state, loc);
    }
    case 'vpc-ingress':
      return enterVpc(state, router, loc);
    case 'internet':
      return onInternet(state, loc);
    case 'transit-gateway':
      return inTransitGateway(state, loc);
    case 'on-premises':
      return loc.directConnectGatewayId ? fromDirectConnect(state, loc) : fromOnPremises(state, loc);
    case 'arrived':
      return { kind: 'next', location: loc };
  }
};

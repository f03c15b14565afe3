/**
 * Route target `eni-…` / `i-…`: an appliance (NAT instance, firewall, router). The packet goes to the
 * appliance's interface: its subnet's inbound NACL and its security groups apply, and its source/destination
 * check must be off to forward (aws-vpc-semantics §1.2, §11; VPC:route-table-options "Appliance
 * considerations"). The appliance then sends the packet on through its own subnet's route table (§0.3).
 */
import { block, next, stop, type Step, type WalkState } from '../walk.js';
import { crossNetworkAcl } from './subnet-boundary.js';
import type { RouteTargetInput } from './vpc-router.js';

export function toAppliance(state: WalkState, input: RouteTargetInput): Step {
  const t = input.route.target;
  let eniId = t.kind === 'network-interface' ? t.id : undefined;
  if (!eniId && t.kind === 'instance') {
    const inst = state.model.instances.get(t.id);
    eniId = inst?.networkInterfaceIds[0];
  }
  const eni = eniId ? state.model.networkInterfaces.get(eniId) : undefined;
  if (!eni) {
    block(state, { code: 'MISSING_DATA', component: { id: t.id, type: 'network-interface' }, message: `route target ${t.id} is not in the snapshot`, source: input.route.source });
    return stop;
  }
  const subnet = state.model.subnets.get(eni.subnetId);
  if (subnet && subnet.id !== input.subnet?.id) crossNetworkAcl(state, subnet, 'inbound', input.packet);
  return next({ at: 'interface-in', eni, packet: input.packet, fromSubnetId: input.subnet?.id });
}

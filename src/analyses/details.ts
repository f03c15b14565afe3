/**
 * What one resource is and what decides its traffic, for a details panel: its attributes, the security-group
 * rules that apply to it, the network ACL entries of its subnet in evaluation order, and the effective routes
 * of its subnet's route table (with the routes that are not in force and why).
 */
import { describeNetworkAclEntry } from '../engine/network-acl.js';
import { describeSecurityGroupRule } from '../engine/security-group.js';
import type { NetworkModel } from '../model/network.js';
import type { NetworkAcl, Resource, SecurityGroup, SourceRef } from '../model/types.js';
import { effectiveVpcRoutes, type EffectiveRoute } from './routes.js';

export interface SecurityGroupDetails {
  readonly id: string;
  readonly name: string;
  readonly inbound: readonly { readonly rule: string; readonly description?: string; readonly source: SourceRef }[];
  readonly outbound: readonly { readonly rule: string; readonly description?: string; readonly source: SourceRef }[];
}

export interface NetworkAclDetails {
  readonly id: string;
  readonly inbound: readonly { readonly ruleNumber: number | '*'; readonly rule: string }[];
  readonly outbound: readonly { readonly ruleNumber: number | '*'; readonly rule: string }[];
}

export interface ResourceDetails {
  readonly id: string;
  readonly kind: string;
  readonly name?: string;
  readonly account: string;
  readonly region: string;
  readonly source: SourceRef;
  /** The model's attributes of the resource (plain data). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly securityGroups: readonly SecurityGroupDetails[];
  readonly networkAcl?: NetworkAclDetails;
  readonly routeTableId?: string;
  readonly routes: readonly EffectiveRoute[];
}

function groupDetails(g: SecurityGroup): SecurityGroupDetails {
  const rules = (list: SecurityGroup['ingress']) => list.map((r) => ({ rule: describeSecurityGroupRule(r), ...(r.description ? { description: r.description } : {}), source: r.source }));
  return { id: g.id, name: g.groupName, inbound: rules(g.ingress), outbound: rules(g.egress) };
}

function aclDetails(acl: NetworkAcl): NetworkAclDetails {
  // Evaluation order: lowest rule number first; the final `*` rule denies what nothing matched (AWS NACL rules).
  const side = (entries: NetworkAcl['inbound']) => [
    ...[...entries].sort((a, b) => a.ruleNumber - b.ruleNumber).map((e) => ({ ruleNumber: e.ruleNumber, rule: describeNetworkAclEntry(e) })),
    { ruleNumber: '*' as const, rule: 'deny all traffic (the final rule)' },
  ];
  return { id: acl.id, inbound: side(acl.inbound), outbound: side(acl.outbound) };
}

/** Details of the resource with this id (any kind the model holds), or undefined. */
export function resourceDetails(model: NetworkModel, id: string): ResourceDetails | undefined {
  const r: Resource | undefined = model.get(id);
  if (!r) return undefined;
  let groupIds: readonly string[] = [];
  let subnetId: string | undefined;
  switch (r.kind) {
    case 'network-interface':
      groupIds = r.securityGroupIds;
      subnetId = r.subnetId;
      break;
    case 'instance': {
      const enis = r.networkInterfaceIds.flatMap((e) => model.networkInterfaces.get(e) ?? []);
      groupIds = [...new Set(enis.flatMap((e) => e.securityGroupIds))];
      subnetId = r.subnetId ?? enis[0]?.subnetId;
      break;
    }
    case 'subnet':
      subnetId = r.id;
      break;
    case 'security-group':
      groupIds = [r.id];
      break;
    case 'nat-gateway':
      subnetId = r.subnetId;
      break;
    default:
      break;
  }
  const subnet = subnetId ? model.subnets.get(subnetId) : undefined;
  const acl = r.kind === 'network-acl' ? r : subnet?.networkAclId ? model.networkAcls.get(subnet.networkAclId) : undefined;
  const table = r.kind === 'route-table' ? r : subnet?.routeTableId ? model.routeTables.get(subnet.routeTableId) : undefined;
  const { source, ...attributes } = r as Resource & Record<string, unknown>;
  return {
    id: r.id,
    kind: r.kind,
    ...(r.name ? { name: r.name } : {}),
    account: r.account,
    region: r.region,
    source,
    attributes,
    securityGroups: groupIds.flatMap((g) => {
      const sg = model.securityGroups.get(g);
      return sg ? [groupDetails(sg)] : [];
    }),
    ...(acl ? { networkAcl: aclDetails(acl) } : {}),
    ...(table ? { routeTableId: table.id } : {}),
    routes: table ? effectiveVpcRoutes(model, table) : [],
  };
}

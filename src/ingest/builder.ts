/**
 * Accumulates what the key handlers read from every file: resources (de-duplicated by id), the facts that
 * arrive in separate calls and are joined later (DNS attributes, record sets, TGW routes, target health, …),
 * and issues. The linker turns this into the final model.
 */
import type { LoadIssue } from '../model/issues.js';
import type {
  AvailabilityZone,
  DirectConnectGatewayAssociation,
  DnsRecord,
  EndpointService,
  EndpointServiceConnection,
  NetworkInterface,
  PrefixList,
  SecurityGroupRule,
  IgnoredResource,
  Resource,
  SourceRef,
  Target,
  TransitGatewayRoute,
} from '../model/types.js';

/** A child list whose parent is named by id, ARN or (for target groups and load balancers) by name. */
export interface Pending<T> {
  readonly parent: string;
  readonly account?: string;
  readonly region?: string;
  readonly items: readonly T[];
  readonly source: SourceRef;
}

export interface AttributeSet {
  readonly parent: string;
  /** `classic-load-balancer`: `elb describe-load-balancer-attributes`, whose parent is a Classic load balancer's name. */
  readonly parentKind: 'target-group' | 'load-balancer' | 'classic-load-balancer' | 'unknown';
  readonly account?: string;
  readonly region?: string;
  readonly values: Readonly<Record<string, string>>;
  readonly source: SourceRef;
}

interface Stored {
  readonly resource: Resource;
  /** The element as read; fingerprinted only when the same id turns up again. */
  readonly raw: unknown;
}

/** Stable JSON of a value with sorted keys: the same content gives the same text whatever the key order. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class SnapshotBuilder {
  readonly issues: LoadIssue[] = [];
  readonly ignored: IgnoredResource[] = [];
  readonly availabilityZones = new Map<string, AvailabilityZone>();
  readonly regionsListed = new Set<string>();
  private readonly stored = new Map<string, Stored>();

  readonly dnsAttributes = new Map<string, { support?: boolean; hostnames?: boolean }>();
  readonly zoneVpcs = new Map<string, { vpcId: string; region?: string }[]>();
  readonly zoneRecords: Pending<DnsRecord>[] = [];
  readonly tgwRoutes: Pending<TransitGatewayRoute>[] = [];
  readonly tgwAssociations: Pending<string>[] = [];
  readonly tgwPropagations: Pending<string>[] = [];
  readonly prefixListEntries: Pending<string>[] = [];
  readonly targetHealth: Pending<Target>[] = [];
  /** `elb describe-instance-health` rows, parent a Classic load balancer's name; joined by the linker. */
  readonly classicInstanceHealth: Pending<Target>[] = [];
  readonly attributes: AttributeSet[] = [];
  readonly servicePermissions: Pending<string>[] = [];
  readonly serviceConnections: Pending<EndpointServiceConnection>[] = [];
  readonly vpcAttachmentDetails = new Map<
    string,
    { vpcId: string; vpcOwner?: string; subnetIds: string[]; applianceMode: boolean; ipv6Support: boolean; state?: string; tgwId: string; source: SourceRef; account: string; region: string }
  >();
  readonly peeringAttachmentDetails = new Map<
    string,
    {
      requester: { transitGatewayId: string; account?: string; region?: string };
      accepter: { transitGatewayId: string; account?: string; region?: string };
      state?: string;
      source: SourceRef;
      account: string;
      region: string;
    }
  >();
  /** describe-security-group-rules rows, merged into their groups by the linker. */
  readonly securityGroupRules: { groupId: string; account: string; rule: SecurityGroupRule }[] = [];
  /** Interfaces embedded in describe-instances; used where describe-network-interfaces lacks them. */
  readonly instanceInterfaces: NetworkInterface[] = [];
  /** Consumer-side service descriptions (describe-vpc-endpoint-services). */
  readonly serviceDetails: { detail: EndpointService }[] = [];
  /** Prefix lists from describe-prefix-lists and describe-managed-prefix-lists, merged by id. */
  readonly prefixListHeads: { resource: PrefixList }[] = [];
  /** describe-direct-connect-gateway-associations rows, joined to their Direct Connect gateways by the linker. */
  readonly dxAssociations: DirectConnectGatewayAssociation[] = [];
  /** Direct Connect gateways named as the parent of an empty associations list: known to have none. */
  readonly dxGatewaysWithoutAssociations: { id: string; source: SourceRef }[] = [];
  /** Keys seen per account/region, for the partial-snapshot warnings. */
  readonly keysSeen = new Map<string, Set<string>>();

  issue(issue: LoadIssue): void {
    this.issues.push(issue);
  }

  noteKey(account: string | undefined, region: string | undefined, key: string): void {
    const scope = `${account ?? '?'}/${region ?? '?'}`;
    let set = this.keysSeen.get(scope);
    if (!set) this.keysSeen.set(scope, (set = new Set()));
    set.add(key);
  }

  /**
   * Adds a resource. The same id seen twice with the same content (a shared VPC described from two accounts,
   * or an overlapping page) is kept once; different content under one id is an error naming both files.
   */
  add(resource: Resource, raw: unknown): void {
    const key = `${resource.kind}:${resource.id}`;
    const existing = this.stored.get(key);
    if (!existing) {
      this.stored.set(key, { resource, raw });
      return;
    }
    if (fingerprint(existing.raw) === fingerprint(raw)) return;
    this.issue({
      code: 'DUPLICATE_ID_CONFLICT',
      severity: 'error',
      resourceId: resource.id,
      source: resource.source,
      message: `${resource.kind} ${resource.id} is also defined with different content at ${existing.resource.source.file} ${existing.resource.source.path}; keeping the first`,
    });
  }

  ignore(entry: IgnoredResource): void {
    this.ignored.push(entry);
  }

  resources(): Resource[] {
    return [...this.stored.values()].map((s) => s.resource);
  }

  has(kind: Resource['kind'], id: string): boolean {
    return this.stored.has(`${kind}:${id}`);
  }

  /** Replaces a stored resource with an enriched copy (used by the linker). */
  replace(resource: Resource): void {
    const key = `${resource.kind}:${resource.id}`;
    const existing = this.stored.get(key);
    if (existing) this.stored.set(key, { resource, raw: existing.raw });
  }
}

/**
 * Network Access Analyzer scopes, read as AWS writes them (`MatchPaths`, `ExcludePaths`, each path a
 * `Source` / `Destination` with a `ResourceStatement` — `Resources` ids or `ResourceTypes` — and a
 * `PacketHeaderStatement`, plus `ThroughResources`), evaluated over the whole snapshot:
 *
 * - internet-gateway ingress (Source `AWS::EC2::InternetGateway` or an `igw-…`): the exposure findings whose
 *   interface matches the destination statement;
 * - internet-gateway egress (Destination an internet gateway): every interface matching the source statement
 *   whose packet to the internet leaves through an internet gateway (directly or through a NAT gateway);
 * - packet headers filter protocols and destination ports; `ExcludePaths` remove matching findings.
 *
 * Other path shapes (VPN, transit gateway, peering sources) are reported as not supported rather than
 * answered partially. Findings come in a stable order whatever the order of accounts and regions.
 */
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface } from '../model/types.js';
import type { TraceResult } from '../engine/trace-types.js';
import { exposure } from './exposure.js';
import { describeOwner } from './find.js';
import { trace } from './trace.js';

interface ResourceStatement {
  readonly Resources?: readonly string[];
  readonly ResourceTypes?: readonly string[];
}
interface PacketHeaderStatement {
  readonly Protocols?: readonly string[];
  readonly DestinationPorts?: readonly string[];
  readonly SourceAddresses?: readonly string[];
  readonly DestinationAddresses?: readonly string[];
}
interface PathStatement {
  readonly ResourceStatement?: ResourceStatement;
  readonly PacketHeaderStatement?: PacketHeaderStatement;
}
export interface AccessScopePath {
  readonly Source?: PathStatement;
  readonly Destination?: PathStatement;
  readonly ThroughResources?: readonly { readonly ResourceStatement?: ResourceStatement }[];
}
export interface AccessScope {
  readonly MatchPaths: readonly AccessScopePath[];
  readonly ExcludePaths?: readonly AccessScopePath[];
}

export interface ScopeFinding {
  readonly direction: 'igw-ingress' | 'igw-egress';
  readonly networkInterfaceId: string;
  readonly owner: string;
  readonly account: string;
  readonly region: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly witness: TraceResult;
}

export class ScopeError extends Error {}

const ENI_TYPES = new Set(['AWS::EC2::NetworkInterface', 'AWS::EC2::Instance']);
const IGW = 'AWS::EC2::InternetGateway';

function isIgwStatement(s: PathStatement | undefined): boolean {
  const r = s?.ResourceStatement;
  return !!r && ((r.ResourceTypes ?? []).includes(IGW) || (r.Resources ?? []).some((id) => id.startsWith('igw-')));
}

/** Does interface `eni` match a resource statement (ids of it, its instance, subnet, VPC or groups; or types)? */
function matchesInterface(eni: NetworkInterface, s: PathStatement | undefined): boolean {
  const r = s?.ResourceStatement;
  if (!r) return true;
  if (r.ResourceTypes?.length) return r.ResourceTypes.some((t) => ENI_TYPES.has(t) || (t === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && eni.owner.kind === 'load-balancer'));
  const ids = new Set([eni.id, eni.subnetId, eni.vpcId, ...eni.securityGroupIds, ...(eni.owner.kind === 'unattached' ? [] : [eni.owner.id])]);
  return (r.Resources ?? []).some((id) => ids.has(id) || [...ids].some((x) => id.endsWith(`/${x}`)));
}

function protocolName(p: string): string {
  const t = p.toLowerCase();
  return t === '6' ? 'tcp' : t === '17' ? 'udp' : t === '1' ? 'icmp' : t;
}

/** Does a finding's protocol and port range meet the packet header statement? */
function matchesHeader(f: { protocol: string; fromPort: number; toPort: number }, h: PacketHeaderStatement | undefined): boolean {
  if (!h) return true;
  if (h.Protocols?.length && !h.Protocols.map(protocolName).includes(f.protocol)) return false;
  if (h.DestinationPorts?.length) {
    const ranges = h.DestinationPorts.map((p) => p.split('-').map(Number) as [number, number?]);
    if (!ranges.some(([lo, hi]) => f.fromPort <= (hi ?? lo) && f.toPort >= lo)) return false;
  }
  return true;
}

function pathKind(p: AccessScopePath): 'igw-ingress' | 'igw-egress' | undefined {
  if (isIgwStatement(p.Source)) return 'igw-ingress';
  if (isIgwStatement(p.Destination)) return 'igw-egress';
  return undefined;
}

function matchesPath(f: ScopeFinding, eni: NetworkInterface, p: AccessScopePath): boolean {
  const kind = pathKind(p);
  if (kind !== f.direction) return false;
  const side = kind === 'igw-ingress' ? p.Destination : p.Source;
  const header = p.Destination?.PacketHeaderStatement ?? p.Source?.PacketHeaderStatement;
  return matchesInterface(eni, side) && matchesHeader(f, header);
}

export function parseAccessScope(doc: unknown, file: string): AccessScope {
  const d = doc as Record<string, unknown> | null;
  const content = (d?.NetworkInsightsAccessScopeContent ?? d?.Properties ?? d) as Record<string, unknown> | undefined;
  if (!content || !Array.isArray(content.MatchPaths) || content.MatchPaths.length === 0) throw new ScopeError(`${file}: $.MatchPaths: expected a non-empty list of paths`);
  content.MatchPaths.forEach((p, i) => {
    if (!pathKind(p as AccessScopePath))
      throw new ScopeError(`${file}: $.MatchPaths[${i}]: only internet-gateway ingress (Source ${IGW}) and egress (Destination ${IGW}) paths are evaluated so far`);
  });
  return { MatchPaths: content.MatchPaths as AccessScopePath[], ExcludePaths: (content.ExcludePaths ?? []) as AccessScopePath[] };
}

const EGRESS_PROBE = '198.51.100.77';

export function evaluateAccessScope(model: NetworkModel, scope: AccessScope): ScopeFinding[] {
  const out = new Map<string, ScopeFinding>();
  const add = (f: ScopeFinding, eni: NetworkInterface) => {
    if ((scope.ExcludePaths ?? []).some((p) => matchesPath(f, eni, p))) return;
    out.set(`${f.direction}|${f.networkInterfaceId}|${f.protocol}|${f.fromPort}|${f.toPort}`, f);
  };
  for (const path of scope.MatchPaths) {
    if (pathKind(path) === 'igw-ingress') {
      for (const e of exposure(model)) {
        const eni = model.networkInterfaces.get(e.networkInterfaceId);
        const f: ScopeFinding = { direction: 'igw-ingress', networkInterfaceId: e.networkInterfaceId, owner: e.owner, account: e.account, region: e.region, protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, witness: e.witness };
        if (eni && matchesPath(f, eni, path)) add(f, eni);
      }
    } else {
      const header = path.Destination?.PacketHeaderStatement ?? path.Source?.PacketHeaderStatement;
      const protocol = protocolName(header?.Protocols?.[0] ?? 'tcp');
      const port = Number((header?.DestinationPorts?.[0] ?? '443').split('-')[0]);
      for (const eni of model.networkInterfaces.values()) {
        if (eni.owner.kind !== 'instance' && eni.owner.kind !== 'lambda' && eni.owner.kind !== 'unattached') continue;
        const r = trace(model, { from: eni.id, to: EGRESS_PROBE, protocol, ...(protocol === 'tcp' || protocol === 'udp' ? { port } : {}) });
        if (!r.reachable || !r.forwardPath.some((h) => h.component.type === 'internet-gateway')) continue;
        const f: ScopeFinding = { direction: 'igw-egress', networkInterfaceId: eni.id, owner: describeOwner(model, eni), account: eni.account, region: eni.region, protocol, fromPort: port, toPort: port, witness: r };
        if (matchesPath(f, eni, path)) add(f, eni);
      }
    }
  }
  return [...out.values()].sort((a, b) => a.direction.localeCompare(b.direction) || a.networkInterfaceId.localeCompare(b.networkInterfaceId) || a.protocol.localeCompare(b.protocol) || a.fromPort - b.fromPort);
}

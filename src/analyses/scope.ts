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
import { cidrRange, formatIp, parseCidrCached } from '../model/addresses.js';
import { vpnPrefixes } from '../engine/hops/vpn.js';
import { exposure, type ExposureSource } from './exposure.js';
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
  readonly direction: 'igw-ingress' | 'igw-egress' | 'vpc-ingress' | 'vpc-egress';
  /** The edge the path crosses: internet gateway, VPN/transit gateway (on premises), or a peering. */
  readonly edge: Edge;
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

/** The VPC edges a path may start or end at (AWS-VPC-Ingress/Egress scopes use all four). */
type Edge = 'internet' | 'on-premises' | 'peering';
const EDGE_TYPES: Readonly<Record<string, Edge>> = {
  [IGW]: 'internet',
  'AWS::EC2::VPNGateway': 'on-premises',
  'AWS::EC2::TransitGatewayAttachment': 'on-premises',
  'AWS::EC2::VPCPeeringConnection': 'peering',
};
const EDGE_PREFIXES: readonly [string, Edge][] = [
  ['igw-', 'internet'],
  ['vgw-', 'on-premises'],
  ['tgw-attach-', 'on-premises'],
  ['pcx-', 'peering'],
];

function edgesOf(s: PathStatement | undefined): Edge[] {
  const r = s?.ResourceStatement;
  if (!r) return [];
  const out = new Set<Edge>();
  for (const t of r.ResourceTypes ?? []) if (EDGE_TYPES[t]) out.add(EDGE_TYPES[t] as Edge);
  for (const id of r.Resources ?? []) for (const [p, e] of EDGE_PREFIXES) if (id.startsWith(p)) out.add(e);
  return [...out];
}

function isIgwStatement(s: PathStatement | undefined): boolean {
  return edgesOf(s).includes('internet');
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

function pathKind(p: AccessScopePath): 'ingress' | 'egress' | undefined {
  if (edgesOf(p.Source).length) return 'ingress';
  if (edgesOf(p.Destination).length) return 'egress';
  return undefined;
}

/** Resource types of ThroughResources statements → hop component types of a trace. */
const THROUGH_TYPES: Readonly<Record<string, string>> = {
  'AWS::EC2::NatGateway': 'nat-gateway',
  'AWS::EC2::TransitGatewayAttachment': 'transit-gateway-attachment',
  'AWS::EC2::VPCEndpoint': 'vpc-endpoint',
  'AWS::EC2::VPCEndpointService': 'endpoint-service',
  'AWS::EC2::VPCPeeringConnection': 'vpc-peering-connection',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'load-balancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'load-balancer',
  'AWS::NetworkFirewall::Firewall': 'vpc-endpoint',
};

/** Every ThroughResources statement must be met by some hop of the witness path. */
function passesThrough(f: ScopeFinding, p: AccessScopePath): boolean {
  return (p.ThroughResources ?? []).every((t) => {
    const r = t.ResourceStatement;
    if (!r) return true;
    const hops = f.witness.forwardPath;
    return (
      (r.ResourceTypes ?? []).some((type) => hops.some((h) => h.component.type === THROUGH_TYPES[type])) ||
      (r.Resources ?? []).some((id) => hops.some((h) => h.component.id === id || id.endsWith(h.component.id) || h.component.id.endsWith(id)))
    );
  });
}

function matchesPath(f: ScopeFinding, eni: NetworkInterface, p: AccessScopePath): boolean {
  if (!passesThrough(f, p)) return false;
  const kind = pathKind(p);
  if (!kind || !f.direction.endsWith(kind) || !edgesOf(kind === 'ingress' ? p.Source : p.Destination).includes(f.edge)) return false;
  const side = kind === 'ingress' ? p.Destination : p.Source;
  const header = p.Destination?.PacketHeaderStatement ?? p.Source?.PacketHeaderStatement;
  return matchesInterface(eni, side) && matchesHeader(f, header);
}

export function parseAccessScope(doc: unknown, file: string): AccessScope {
  const d = doc as Record<string, unknown> | null;
  const content = (d?.NetworkInsightsAccessScopeContent ?? d?.Properties ?? d) as Record<string, unknown> | undefined;
  if (!content || !Array.isArray(content.MatchPaths) || content.MatchPaths.length === 0) throw new ScopeError(`${file}: $.MatchPaths: expected a non-empty list of paths`);
  content.MatchPaths.forEach((p, i) => {
    if (!pathKind(p as AccessScopePath))
      throw new ScopeError(`${file}: $.MatchPaths[${i}]: a path must start or end at an internet gateway, VPN gateway, transit gateway attachment or peering connection (Source or Destination ResourceTypes/Resources); other paths are not evaluated yet`);
  });
  return { MatchPaths: content.MatchPaths as AccessScopePath[], ExcludePaths: (content.ExcludePaths ?? []) as AccessScopePath[] };
}

const EGRESS_PROBE = '198.51.100.77';

/** Where an egress path is probed: a public address, a data-centre host, or the interfaces of peered VPCs. */
function egressTargets(model: NetworkModel, edge: Edge): string[] {
  if (edge === 'internet') return [EGRESS_PROBE];
  if (edge === 'on-premises') {
    const out: string[] = [];
    for (const vpn of model.vpnConnections.values())
      for (const c of vpnPrefixes(vpn)) {
        const p = parseCidrCached(c);
        if (p) out.push(formatIp({ family: p.family, value: cidrRange(p).first + 1n }));
      }
    return out;
  }
  const out: string[] = [];
  for (const p of model.peeringConnections.values())
    if (p.status === 'active')
      for (const side of [p.requester, p.accepter])
        for (const r of model.resourcesInVpc(side.vpcId)) if (r.kind === 'network-interface' && r.owner.kind === 'instance') out.push(r.id);
  return out;
}

export function evaluateAccessScope(model: NetworkModel, scope: AccessScope): ScopeFinding[] {
  const out = new Map<string, ScopeFinding>();
  const add = (f: ScopeFinding, eni: NetworkInterface) => {
    if ((scope.ExcludePaths ?? []).some((p) => matchesPath(f, eni, p))) return;
    out.set(`${f.direction}|${f.edge}|${f.networkInterfaceId}|${f.protocol}|${f.fromPort}|${f.toPort}`, f);
  };
  for (const path of scope.MatchPaths) {
    const kind = pathKind(path);
    const edges = edgesOf(kind === 'ingress' ? path.Source : path.Destination);
    const direction = (edge: Edge): ScopeFinding['direction'] => (edge === 'internet' ? `igw-${kind}` : `vpc-${kind}`) as ScopeFinding['direction'];
    for (const edge of edges) {
      if (kind === 'ingress') {
        const sources: ExposureSource[] =
          edge === 'internet'
            ? [{ kind: 'internet' }]
            : edge === 'on-premises'
              ? [{ kind: 'on-premises' }]
              : [...model.peeringConnections.values()].filter((p) => p.status === 'active').flatMap((p) => [{ kind: 'vpc' as const, vpcId: p.requester.vpcId }, { kind: 'vpc' as const, vpcId: p.accepter.vpcId }]);
        for (const from of sources)
          for (const e of exposure(model, { from })) {
            const eni = model.networkInterfaces.get(e.networkInterfaceId);
            // Through a peering only the peer's interfaces count, and the witness must cross a peering.
            if (edge === 'peering' && !e.witness.forwardPath.some((h) => h.component.type === 'vpc-peering-connection')) continue;
            if (edge === 'on-premises' && !e.witness.forwardPath.some((h) => h.component.type === 'vpn-connection' || h.component.type === 'transit-gateway-attachment')) continue;
            const f: ScopeFinding = { direction: direction(edge), edge, networkInterfaceId: e.networkInterfaceId, owner: e.owner, account: e.account, region: e.region, protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, witness: e.witness };
            if (eni && matchesPath(f, eni, path)) add(f, eni);
          }
        continue;
      }
      const header = path.Destination?.PacketHeaderStatement ?? path.Source?.PacketHeaderStatement;
      const protocol = protocolName(header?.Protocols?.[0] ?? 'tcp');
      const port = Number((header?.DestinationPorts?.[0] ?? '443').split('-')[0]);
      const targets = egressTargets(model, edge);
      for (const eni of model.networkInterfaces.values()) {
        if (eni.owner.kind !== 'instance' && eni.owner.kind !== 'lambda' && eni.owner.kind !== 'unattached') continue;
        for (const to of targets) {
          if (to === eni.id) continue;
          let r: TraceResult;
          try {
            r = trace(model, { from: eni.id, to, protocol, ...(protocol === 'tcp' || protocol === 'udp' ? { port } : {}) });
          } catch {
            continue;
          }
          const crossed = edge === 'internet' ? 'internet-gateway' : edge === 'peering' ? 'vpc-peering-connection' : 'vpn-connection';
          if (!r.reachable || !r.forwardPath.some((h) => h.component.type === crossed || (edge === 'on-premises' && h.component.type === 'transit-gateway-attachment'))) continue;
          const f: ScopeFinding = { direction: direction(edge), edge, networkInterfaceId: eni.id, owner: describeOwner(model, eni), account: eni.account, region: eni.region, protocol, fromPort: port, toPort: port, witness: r };
          if (matchesPath(f, eni, path)) add(f, eni);
          break;
        }
      }
    }
  }
  return [...out.values()].sort((a, b) => a.direction.localeCompare(b.direction) || a.networkInterfaceId.localeCompare(b.networkInterfaceId) || a.protocol.localeCompare(b.protocol) || a.fromPort - b.fromPort);
}

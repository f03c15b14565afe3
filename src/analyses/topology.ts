/**
 * The estate as a picture: accounts → regions → VPCs → Availability Zones → subnets as nested containers;
 * network interfaces (named by what owns them: instance, NAT gateway, endpoint, load-balancer node, …),
 * gateways, transit gateways and VPN as nodes; attachments, peering and PrivateLink as edges.
 *
 * Large estates stay usable by showing summaries first: a collapsed VPC is one node that says what it holds,
 * and only the VPCs asked for (`expand`) show their insides. Each node lists the model ids it stands for
 * (`refs`), so a trace, an exposure witness or a search maps onto whatever is drawn.
 *
 * One layout (`layoutTopology`, nested shelf packing: deterministic, linear in the number of nodes) feeds the
 * web page (Cytoscape preset positions) and every export (SVG, draw.io); Mermaid and DOT leave layout to
 * their renderers.
 */
import type { NetworkModel } from '../model/network.js';
import type { NetworkInterface } from '../model/types.js';
import type { Hop, TraceResult } from '../engine/trace-types.js';

export type GraphNodeType =
  | 'internet'
  | 'on-premises'
  | 'account'
  | 'region'
  | 'vpc'
  | 'availability-zone'
  | 'subnet'
  | 'instance'
  | 'nat-gateway'
  | 'vpc-endpoint'
  | 'load-balancer'
  | 'transit-gateway-attachment'
  | 'network-interface'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'vpn-gateway'
  | 'vpn-connection'
  | 'customer-gateway'
  | 'transit-gateway'
  | 'direct-connect-gateway';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly type: GraphNodeType;
  readonly parent?: string;
  /** Model ids this node stands for (its own id first). */
  readonly refs: readonly string[];
  /** A VPC drawn as one node; its insides come with `expand`. */
  readonly collapsed?: boolean;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly type: 'attachment' | 'peering' | 'privatelink' | 'vpn' | 'internet';
  readonly label?: string;
  /** Model ids the edge stands for (a peering connection, a TGW attachment). */
  readonly refs: readonly string[];
}

export interface Topology {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** VPCs drawn collapsed. */
  readonly collapsed: readonly string[];
  /** Accounts drawn as one node. */
  readonly collapsedAccounts: readonly string[];
}

export interface TopologyOptions {
  /**
   * Which VPCs show their subnets and interfaces: `all`, `none`, or a list of VPC ids. Default: all when the
   * estate has at most `autoExpandLimit` VPCs (40), none otherwise.
   */
  readonly expand?: 'all' | 'none' | readonly string[];
  readonly autoExpandLimit?: number;
  /**
   * Accounts drawn as one summary node (nothing inside): a list of account ids. Default: every account when
   * the estate has more than `autoCollapseAccountsAbove` VPCs (2,000), none otherwise.
   */
  readonly collapseAccounts?: readonly string[];
  readonly autoCollapseAccountsAbove?: number;
}

const accountId = (a: string) => `account:${a}`;
const regionId = (a: string, r: string) => `region:${a}/${r}`;
const zoneId = (vpc: string, az: string) => `az:${vpc}/${az}`;

/** What an interface is, in a few words, for a node label. */
function interfaceLabel(model: NetworkModel, e: NetworkInterface): { label: string; type: GraphNodeType; refs: string[] } {
  const ip = e.privateAddresses[0]?.ip ?? e.ipv6Addresses[0] ?? '';
  const o = e.owner;
  switch (o.kind) {
    case 'instance': {
      const i = model.instances.get(o.id);
      return { label: `${i?.name ?? o.id}\n${ip}`, type: 'instance', refs: [e.id, o.id] };
    }
    case 'nat-gateway': {
      const n = model.natGateways.get(o.id);
      return { label: `NAT ${n?.name ?? o.id}\n${ip}`, type: 'nat-gateway', refs: [e.id, o.id] };
    }
    case 'vpc-endpoint': {
      const ep = model.vpcEndpoints.get(o.id);
      return { label: `endpoint ${ep?.name ?? o.id}\n${ip}`, type: 'vpc-endpoint', refs: [e.id, o.id] };
    }
    case 'load-balancer': {
      const lb = model.loadBalancers.get(o.id);
      const refs = [e.id, o.id];
      if (lb) {
        for (const l of model.listenersOf(lb.arn)) refs.push(l.arn);
        for (const tg of model.targetGroups.values()) if (tg.loadBalancerArns.includes(lb.arn)) refs.push(tg.arn);
        for (const s of model.endpointServices.values())
          if (s.networkLoadBalancerArns.includes(lb.arn) || s.gatewayLoadBalancerArns.includes(lb.arn)) refs.push(s.id, s.serviceName);
      }
      return { label: `${lb?.loadBalancerName ?? 'load balancer'} (${o.lbType} node)\n${ip}`, type: 'load-balancer', refs };
    }
    case 'transit-gateway-attachment':
      return { label: `TGW attachment ${o.id}\n${ip}`, type: 'transit-gateway-attachment', refs: [e.id, o.id] };
    default:
      return { label: `${e.description || e.interfaceTypeRaw || e.id}\n${ip}`, type: 'network-interface', refs: [e.id, ...(o.id ? [o.id] : [])] };
  }
}

export function topology(model: NetworkModel, options: TopologyOptions = {}): Topology {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const add = (n: GraphNode): void => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  // What stands for a resource of a collapsed account: the account's node.
  const standIn = new Map<string, string>();
  const edge = (e: GraphEdge): void => {
    const source = nodes.has(e.source) ? e.source : standIn.get(e.source);
    const target = nodes.has(e.target) ? e.target : standIn.get(e.target);
    if (!source || !target || source === target) return;
    const moved = source !== e.source || target !== e.target;
    const id = moved ? `${source}~${target}` : e.id;
    if (!edges.has(id)) edges.set(id, moved ? { ...e, id, source, target } : e);
  };
  const accountsAbove = options.autoCollapseAccountsAbove ?? 2000;
  const foldedAccounts = new Set(options.collapseAccounts ?? (model.vpcs.size > accountsAbove ? model.accounts() : []));
  const eniCount = new Map<string, number>();
  for (const e of model.networkInterfaces.values()) eniCount.set(e.vpcId, (eniCount.get(e.vpcId) ?? 0) + 1);
  // What a collapsed account holds, counted once for all of them.
  const held = new Map<string, { regions: Set<string>; vpcs: number; interfaces: number }>();
  if (foldedAccounts.size)
    for (const v of model.vpcs.values()) {
      if (!foldedAccounts.has(v.account)) continue;
      const h = held.get(v.account) ?? { regions: new Set<string>(), vpcs: 0, interfaces: 0 };
      h.regions.add(v.region);
      h.vpcs++;
      h.interfaces += eniCount.get(v.id) ?? 0;
      held.set(v.account, h);
    }
  const accountSummary = (account: string): string => {
    const h = held.get(account);
    return `account ${account}\n${h?.regions.size ?? 0} regions, ${h?.vpcs ?? 0} VPCs, ${h?.interfaces ?? 0} interfaces (collapsed)`;
  };
  /** The region container of an account, or undefined (and the stand-in recorded) when the account is collapsed. */
  const scopeOf = (account: string, region: string, id: string): string | undefined => {
    if (foldedAccounts.has(account)) {
      if (!nodes.has(accountId(account))) add({ id: accountId(account), label: accountSummary(account), type: 'account', refs: [account], collapsed: true });
      standIn.set(id, accountId(account));
      return undefined;
    }
    add({ id: accountId(account), label: `account ${account}`, type: 'account', refs: [account] });
    add({ id: regionId(account, region), label: region, type: 'region', parent: accountId(account), refs: [] });
    return regionId(account, region);
  };
  const limit = options.autoExpandLimit ?? 40;
  const ex = options.expand ?? (model.vpcs.size <= limit ? 'all' : 'none');
  const expanded = (vpcId: string): boolean => ex === 'all' || (ex !== 'none' && ex.includes(vpcId));
  const collapsed: string[] = [];

  const vpcs = [...model.vpcs.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || (a.name ?? a.id).localeCompare(b.name ?? b.id));
  for (const v of vpcs) {
    const parent = scopeOf(v.account, v.region, v.id);
    if (!parent) continue;
    const cidrs = [...v.cidrs, ...v.ipv6Cidrs].join(' ');
    if (expanded(v.id)) {
      add({ id: v.id, label: `${v.name ? `${v.name} ` : ''}${v.id}\n${cidrs}`, type: 'vpc', parent, refs: [v.id] });
      continue;
    }
    const subnets = model.subnetsOf(v.id).length;
    const enis = eniCount.get(v.id) ?? 0;
    add({ id: v.id, label: `${v.name ? `${v.name} ` : ''}${v.id}\n${cidrs}\n${subnets} subnets, ${enis} interfaces (collapsed)`, type: 'vpc', parent, refs: [v.id], collapsed: true });
    collapsed.push(v.id);
  }
  const subnets = [...model.subnets.values()].sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || (a.name ?? a.id).localeCompare(b.name ?? b.id));
  for (const s of subnets) {
    if (!nodes.has(s.vpcId)) continue;
    if (!expanded(s.vpcId)) continue;
    const z = zoneId(s.vpcId, s.availabilityZone);
    add({ id: z, label: s.availabilityZone, type: 'availability-zone', parent: s.vpcId, refs: [] });
    add({ id: s.id, label: `${s.name ? `${s.name} ` : ''}${s.id}\n${s.cidr ?? ''}${s.ipv6Cidrs.length ? ` ${s.ipv6Cidrs.join(' ')}` : ''}`, type: 'subnet', parent: z, refs: [s.id] });
  }
  const enis = [...model.networkInterfaces.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const e of enis) {
    if (!nodes.has(e.subnetId)) continue;
    const { label, type, refs } = interfaceLabel(model, e);
    add({ id: e.id, label, type, parent: e.subnetId, refs });
  }

  // Gateways at the region level, edges to the VPCs they serve.
  const hasInternet = model.internetGateways.size > 0 || model.egressOnlyInternetGateways.size > 0;
  if (hasInternet) add({ id: 'internet', label: 'internet', type: 'internet', refs: ['internet'] });
  // Beyond a few dozen gateways, lines from one internet node to each of them hide everything else: the
  // gateway nodes say "internet" themselves.
  const internetEdges = model.internetGateways.size + model.egressOnlyInternetGateways.size <= 50;
  for (const g of [...model.internetGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const attached = g.attachments.filter((a) => nodes.has(a.vpcId));
    if (attached.length === 0) continue;
    const parent = scopeOf(g.account, g.region, g.id);
    if (parent) add({ id: g.id, label: `internet gateway\n${g.name ?? g.id}`, type: 'internet-gateway', parent, refs: [g.id] });
    if (internetEdges) edge({ id: `internet~${g.id}`, source: 'internet', target: g.id, type: 'internet', refs: [] });
    for (const a of attached) edge({ id: `${g.id}~${a.vpcId}`, source: g.id, target: a.vpcId, type: 'attachment', refs: [] });
  }
  for (const g of [...model.egressOnlyInternetGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const attached = g.attachments.filter((a) => nodes.has(a.vpcId));
    if (attached.length === 0) continue;
    const parent = scopeOf(g.account, g.region, g.id);
    if (parent) add({ id: g.id, label: `egress-only IGW\n${g.name ?? g.id}`, type: 'egress-only-internet-gateway', parent, refs: [g.id] });
    if (internetEdges) edge({ id: `internet~${g.id}`, source: 'internet', target: g.id, type: 'internet', refs: [] });
    for (const a of attached) edge({ id: `${g.id}~${a.vpcId}`, source: g.id, target: a.vpcId, type: 'attachment', refs: [] });
  }
  for (const t of [...model.transitGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const parent = scopeOf(t.account, t.region, t.id);
    if (parent) add({ id: t.id, label: `transit gateway\n${t.name ?? t.id}`, type: 'transit-gateway', parent, refs: [t.id] });
  }
  for (const g of [...model.vpnGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const parent = scopeOf(g.account, g.region, g.id);
    if (parent) add({ id: g.id, label: `virtual private gateway\n${g.name ?? g.id}`, type: 'vpn-gateway', parent, refs: [g.id] });
    for (const a of g.attachments) if (a.state === 'attached') edge({ id: `${g.id}~${a.vpcId}`, source: g.id, target: a.vpcId, type: 'attachment', refs: [] });
  }
  const onPrem = model.vpnConnections.size > 0 || model.customerGateways.size > 0 || model.directConnectGateways.size > 0;
  if (onPrem) add({ id: 'on-premises', label: 'on-premises networks', type: 'on-premises', refs: ['on-premises'] });
  for (const c of [...model.customerGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    add({ id: c.id, label: `customer gateway\n${c.name ?? c.id}${c.ipAddress ? `\n${c.ipAddress}` : ''}`, type: 'customer-gateway', parent: 'on-premises', refs: [c.id] });
  }
  for (const v of [...model.vpnConnections.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const parent = scopeOf(v.account, v.region, v.id);
    if (parent) add({ id: v.id, label: `VPN ${v.name ?? v.id}\n${v.state}`, type: 'vpn-connection', parent, refs: [v.id] });
    if (v.customerGatewayId) edge({ id: `${v.id}~${v.customerGatewayId}`, source: v.id, target: v.customerGatewayId, type: 'vpn', refs: [v.id] });
    if (v.vpnGatewayId) edge({ id: `${v.vpnGatewayId}~${v.id}`, source: v.vpnGatewayId, target: v.id, type: 'vpn', refs: [v.id] });
    if (v.transitGatewayId) edge({ id: `${v.transitGatewayId}~${v.id}`, source: v.transitGatewayId, target: v.id, type: 'vpn', refs: [v.id] });
  }
  for (const d of [...model.directConnectGateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    add({ id: d.id, label: `Direct Connect gateway\n${d.name ?? d.id}`, type: 'direct-connect-gateway', parent: 'on-premises', refs: [d.id] });
  }
  for (const a of [...model.transitGatewayAttachments.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    if (a.state !== 'available') continue;
    const target = a.resourceType === 'vpc' ? a.resourceId : a.resourceType === 'vpn' ? a.resourceId : a.resourceType === 'direct-connect-gateway' ? a.resourceId : undefined;
    if (target) edge({ id: `${a.transitGatewayId}~${target}`, source: a.transitGatewayId, target, type: 'attachment', label: a.id, refs: [a.id] });
    if (a.peering) edge({ id: `${a.peering.requester.transitGatewayId}~${a.peering.accepter.transitGatewayId}`, source: a.peering.requester.transitGatewayId, target: a.peering.accepter.transitGatewayId, type: 'peering', label: a.id, refs: [a.id] });
  }
  for (const p of [...model.peeringConnections.values()].sort((a, b) => a.id.localeCompare(b.id)))
    if (p.status === 'active') edge({ id: p.id, source: p.requester.vpcId, target: p.accepter.vpcId, type: 'peering', label: `peering ${p.name ?? p.id}`, refs: [p.id] });
  // PrivateLink: each interface endpoint to the nodes of the service's load balancers (or VPC to VPC when collapsed).
  for (const ep of [...model.vpcEndpoints.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const svc = model.endpointServiceByServiceName(ep.serviceName);
    if (!svc) continue;
    for (const arn of [...svc.networkLoadBalancerArns, ...svc.gatewayLoadBalancerArns]) {
      const lb = model.loadBalancers.get(arn);
      if (!lb) continue;
      const from = ep.networkInterfaceIds.filter((id) => nodes.has(id));
      const to = lb.networkInterfaceIds.filter((id) => nodes.has(id));
      if (from.length && to.length) {
        // An endpoint interface hands connections to the load balancer's node in its own zone when there is one.
        const zone = (id: string) => {
          const e = model.networkInterfaces.get(id);
          return e ? (e.availabilityZoneId ?? model.subnetZoneId(e.subnetId) ?? e.availabilityZone) : undefined;
        };
        for (const f of from) {
          const same = to.filter((t) => zone(t) !== undefined && zone(t) === zone(f));
          for (const t of same.length ? same : to) edge({ id: `${f}~${t}`, source: f, target: t, type: 'privatelink', refs: [ep.id, svc.id] });
        }
      } else if (lb.vpcId) {
        // One side is not drawn in detail (a collapsed VPC or account): join what is drawn to what stands for the rest.
        for (const f of from.length ? from : [ep.vpcId])
          for (const t of to.length ? to : [lb.vpcId]) edge({ id: `${f}~${t}`, source: f, target: t, type: 'privatelink', label: `PrivateLink ${svc.name ?? svc.id}`, refs: [ep.id, svc.id] });
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], collapsed, collapsedAccounts: [...foldedAccounts].filter((a) => nodes.has(accountId(a))).sort() };
}

// ---------- layout ----------

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const LEAF_W = 180;
const LEAF_H = 52;
const PAD = 26;
const HEADER = 40;
const GAP = 22;

/**
 * Nested shelf packing: each container places its children in rows (leaves first, then containers, each in
 * model order), wrapping at a width near the square root of their total area, and takes the size of what it
 * holds. Returns the absolute box of every node.
 */
export function layoutTopology(t: Topology): Map<string, Box> {
  const children = new Map<string | undefined, GraphNode[]>();
  for (const n of t.nodes) {
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  const size = new Map<string, { w: number; h: number }>();
  const rel = new Map<string, { x: number; y: number }>();
  const leafSize = (n: GraphNode) => (n.collapsed ? { w: LEAF_W + 40, h: LEAF_H + 18 } : { w: LEAF_W, h: LEAF_H });
  const pack = (list: readonly GraphNode[], top: number): { w: number; h: number } => {
    const sizes = list.map((c) => measure(c));
    const area = sizes.reduce((s, z) => s + (z.w + GAP) * (z.h + GAP), 0);
    const widest = Math.max(0, ...sizes.map((z) => z.w));
    const maxW = Math.max(widest, Math.sqrt(area) * 1.6);
    let x = PAD;
    let y = top;
    let rowH = 0;
    let w = 0;
    list.forEach((c, i) => {
      const z = sizes[i] as { w: number; h: number };
      if (x > PAD && x + z.w > maxW + PAD) {
        x = PAD;
        y += rowH + GAP;
        rowH = 0;
      }
      rel.set(c.id, { x, y });
      x += z.w + GAP;
      rowH = Math.max(rowH, z.h);
      w = Math.max(w, x - GAP + PAD);
    });
    return { w: Math.max(w, PAD * 2), h: y + rowH + PAD };
  };
  const measure = (n: GraphNode): { w: number; h: number } => {
    const kids = children.get(n.id);
    let z: { w: number; h: number };
    if (!kids || kids.length === 0) z = leafSize(n);
    else {
      const ordered = [...kids.filter((k) => !children.has(k.id)), ...kids.filter((k) => children.has(k.id))];
      const inner = pack(ordered, HEADER);
      z = { w: Math.max(inner.w, Math.min(420, n.label.split('\n')[0]?.length ?? 0) * 7 + PAD * 2), h: inner.h };
    }
    size.set(n.id, z);
    return z;
  };
  const roots = children.get(undefined) ?? [];
  const order = (n: GraphNode) => (n.type === 'internet' ? 0 : n.type === 'on-premises' ? 2 : 1);
  pack([...roots].sort((a, b) => order(a) - order(b)), PAD);
  const out = new Map<string, Box>();
  const place = (n: GraphNode, ox: number, oy: number): void => {
    const r = rel.get(n.id) ?? { x: 0, y: 0 };
    const z = size.get(n.id) ?? leafSize(n);
    const box = { x: ox + r.x, y: oy + r.y, w: z.w, h: z.h };
    out.set(n.id, box);
    for (const c of children.get(n.id) ?? []) place(c, box.x, box.y);
  };
  for (const r of roots) place(r, 0, 0);
  return out;
}

// ---------- paths on the picture ----------

export interface PathHighlight {
  /** Node ids (of the fully expanded topology) on the forward path, in order, without repeats. */
  readonly forward: readonly string[];
  readonly return: readonly string[];
  /** Edge ids on the path (peering, TGW attachments, PrivateLink). */
  readonly edges: readonly string[];
  /** Where the packet was stopped, with why. */
  readonly blockers: readonly { readonly nodes: readonly string[]; readonly code: string; readonly message: string }[];
  /** VPCs to expand so that every highlighted node is drawn. */
  readonly vpcs: readonly string[];
  /** Accounts that hold a highlighted node (to expand when collapsed). */
  readonly accounts: readonly string[];
}

/** Index from model id to the nodes and edges that stand for it (in the fully expanded topology). */
export interface RefIndex {
  readonly nodes: ReadonlyMap<string, readonly string[]>;
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Edge id → its two ends. */
  readonly edgeEnds: ReadonlyMap<string, readonly [string, string]>;
  /** Node id → the VPC that contains it. */
  readonly vpcOf: ReadonlyMap<string, string>;
  /** Node id → the account (id, not node id) that contains it. */
  readonly accountOf: ReadonlyMap<string, string>;
}

export function refIndex(full: Topology): RefIndex {
  const nodes = new Map<string, string[]>();
  const edges = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => {
    const l = m.get(k);
    if (!l) m.set(k, [v]);
    else if (!l.includes(v)) l.push(v);
  };
  const byId = new Map(full.nodes.map((n) => [n.id, n]));
  const vpcOf = new Map<string, string>();
  const accountOf = new Map<string, string>();
  for (const n of full.nodes) {
    push(nodes, n.id, n.id);
    for (const r of n.refs) push(nodes, r, n.id);
    for (let p: GraphNode | undefined = n; p; p = p.parent ? byId.get(p.parent) : undefined) {
      if (p.type === 'vpc' && !vpcOf.has(n.id)) vpcOf.set(n.id, p.id);
      if (p.type === 'account') accountOf.set(n.id, p.refs[0] ?? p.id);
    }
  }
  const edgeEnds = new Map<string, readonly [string, string]>();
  for (const e of full.edges) {
    push(edges, e.id, e.id);
    for (const r of e.refs) push(edges, r, e.id);
    edgeEnds.set(e.id, [e.source, e.target]);
  }
  return { nodes, edges, edgeEnds, vpcOf, accountOf };
}

const BLOCKING = new Set(['deny', 'drop', 'no-route', 'blackhole']);

/** The nodes a trace's hops stand for, blockers with their explanations, and the VPCs to expand. */
export function pathHighlight(index: RefIndex, result: TraceResult): PathHighlight {
  // Interfaces and subnets the path names exactly: where a resource has several nodes (an endpoint's or a load
  // balancer's interfaces in each zone), the one on the path is the one the path names.
  const exact = new Set<string>();
  for (const h of [...result.forwardPath, ...result.returnPath]) {
    if (h.networkInterfaceId) exact.add(h.networkInterfaceId);
    if (h.subnetId) exact.add(h.subnetId);
    if (h.component.type === 'network-interface' || h.component.type === 'subnet') exact.add(h.component.id);
  }
  const nodesOf = (h: Pick<Hop, 'component' | 'networkInterfaceId' | 'subnetId'>): string[] => {
    const direct = h.networkInterfaceId ?? h.subnetId;
    if (direct && index.nodes.has(direct)) return [direct];
    const candidates = index.nodes.get(h.component.id) ?? [];
    if (candidates.length <= 1) return [...candidates];
    const onPath = candidates.filter((c) => exact.has(c));
    return onPath.length ? onPath : [...candidates];
  };
  const named = new Set<string>();
  const walk = (hops: readonly Hop[]): string[] => {
    const out: string[] = [];
    for (const h of hops) {
      for (const n of nodesOf(h)) if (!out.includes(n)) out.push(n);
      named.add(h.component.id);
    }
    return out;
  };
  const forward = walk(result.forwardPath);
  const back = walk(result.returnPath);
  // Edges the path names (a peering connection, a TGW attachment, an endpoint's PrivateLink) whose two ends
  // are on the path: a node of it, or the VPC holding one.
  const onPath = new Set([...forward, ...back]);
  for (const n of [...onPath]) {
    const v = index.vpcOf.get(n);
    if (v) onPath.add(v);
  }
  for (const id of named) for (const n of index.nodes.get(id) ?? []) if (n === id) onPath.add(n);
  const edges = new Set<string>();
  for (const id of named)
    for (const e of index.edges.get(id) ?? []) {
      const ends = index.edgeEnds.get(e);
      if (ends && onPath.has(ends[0]) && onPath.has(ends[1])) edges.add(e);
    }
  const blockers: { nodes: string[]; code: string; message: string }[] = [];
  for (const x of result.explanations) {
    const hop = [...result.forwardPath, ...result.returnPath].find((h) => h.component.id === x.component.id && BLOCKING.has(h.action));
    const nodes = nodesOf(hop ?? { component: x.component });
    // A blocker with no node of its own (a route table, a security group of an interface not drawn) marks
    // the last node the packet reached.
    const path = x.direction === 'return' ? back : forward;
    blockers.push({ nodes: nodes.length ? nodes : path.slice(-1), code: x.code, message: x.message });
  }
  const vpcs = new Set<string>();
  const accounts = new Set<string>();
  for (const n of [...forward, ...back, ...blockers.flatMap((b) => b.nodes)]) {
    const v = index.vpcOf.get(n);
    if (v) vpcs.add(v);
    const a = index.accountOf.get(n);
    if (a) accounts.add(a);
  }
  return { forward, return: back, edges: [...edges], blockers, vpcs: [...vpcs].sort(), accounts: [...accounts].sort() };
}

// ---------- exports ----------

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

function childrenOf(t: Topology): Map<string | undefined, GraphNode[]> {
  const children = new Map<string | undefined, GraphNode[]>();
  for (const n of t.nodes) {
    const l = children.get(n.parent);
    if (l) l.push(n);
    else children.set(n.parent, [n]);
  }
  return children;
}

/** Mermaid flowchart: containers as subgraphs. */
export function toMermaid(t: Topology): string {
  const children = childrenOf(t);
  const lines = ['flowchart LR'];
  const emit = (parent: string | undefined, indent: string) => {
    for (const n of children.get(parent) ?? []) {
      const label = n.label.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
      if (children.has(n.id)) {
        lines.push(`${indent}subgraph ${safe(n.id)}["${label}"]`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}end`);
      } else lines.push(`${indent}${safe(n.id)}["${label}"]`);
    }
  };
  emit(undefined, '  ');
  for (const e of t.edges) lines.push(`  ${safe(e.source)} ---${e.label ? `|"${e.label.replace(/"/g, '#quot;')}"|` : ''} ${safe(e.target)}`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT: containers as clusters. */
export function toDot(t: Topology): string {
  const children = childrenOf(t);
  const lines = ['graph vpctwin {', '  rankdir=LR; compound=true; node [shape=box, fontsize=10, fontname="Helvetica"];'];
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const emit = (parent: string | undefined, indent: string) => {
    for (const n of children.get(parent) ?? []) {
      if (children.has(n.id)) {
        lines.push(`${indent}subgraph ${q(`cluster_${n.id}`)} {`, `${indent}  label=${q(n.label)};`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}}`);
      } else lines.push(`${indent}${q(n.id)} [label=${q(n.label)}];`);
    }
  };
  emit(undefined, '  ');
  // DOT edges join nodes; an edge to a container goes to a point inside it, clipped at the cluster.
  const anchor = new Map<string, string>();
  const firstLeaf = (id: string): string | undefined => {
    const kids = children.get(id);
    if (!kids?.length) return id;
    for (const k of kids) {
      const l = firstLeaf(k.id);
      if (l) return l;
    }
    return undefined;
  };
  for (const n of t.nodes) anchor.set(n.id, firstLeaf(n.id) ?? n.id);
  for (const e of t.edges) {
    const s = anchor.get(e.source) ?? e.source;
    const d = anchor.get(e.target) ?? e.target;
    const attrs = [e.label ? `label=${q(e.label)}` : '', children.has(e.source) ? `ltail=${q(`cluster_${e.source}`)}` : '', children.has(e.target) ? `lhead=${q(`cluster_${e.target}`)}` : ''].filter(Boolean);
    lines.push(`  ${q(s)} -- ${q(d)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const COLORS: Record<string, { fill: string; stroke: string }> = {
  account: { fill: '#f7f7f9', stroke: '#8a8f98' },
  region: { fill: '#eef3fb', stroke: '#7d9cc9' },
  vpc: { fill: '#eef8f0', stroke: '#3f9b55' },
  'availability-zone': { fill: '#fbfcfd', stroke: '#b8c2cc' },
  subnet: { fill: '#ffffff', stroke: '#6a9fd8' },
  'on-premises': { fill: '#f6f1fb', stroke: '#8a63b8' },
  internet: { fill: '#fff6e5', stroke: '#d89b2b' },
  instance: { fill: '#fff2e6', stroke: '#e0802e' },
  'nat-gateway': { fill: '#e9f7ef', stroke: '#2e9e5b' },
  'vpc-endpoint': { fill: '#f1e9fb', stroke: '#8c4fd1' },
  'load-balancer': { fill: '#e8f1fc', stroke: '#2f6fcf' },
  'transit-gateway': { fill: '#fde9ef', stroke: '#cf2f64' },
  'internet-gateway': { fill: '#fff6e5', stroke: '#d89b2b' },
};
const color = (type: string) => COLORS[type] ?? { fill: '#f4f4f4', stroke: '#777777' };

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A standalone SVG of the laid-out topology (containers, nodes with labels, edges). */
export function toSvg(t: Topology, boxes: ReadonlyMap<string, Box> = layoutTopology(t)): string {
  const children = childrenOf(t);
  let W = 0;
  let H = 0;
  for (const b of boxes.values()) {
    W = Math.max(W, b.x + b.w);
    H = Math.max(H, b.y + b.h);
  }
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(W + 20)}" height="${Math.ceil(H + 20)}" viewBox="-10 -10 ${Math.ceil(W + 20)} ${Math.ceil(H + 20)}" font-family="Helvetica, Arial, sans-serif">`,
    '<rect x="-10" y="-10" width="100%" height="100%" fill="#ffffff"/>',
  ];
  const text = (x: number, y: number, lines: readonly string[], size: number, weight = 'normal') =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="#1f2933">${lines.map((l, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : size + 2}">${xml(l)}</tspan>`).join('')}</text>`;
  const containers = t.nodes.filter((n) => children.has(n.id));
  for (const n of containers) {
    const b = boxes.get(n.id);
    if (!b) continue;
    const c = color(n.type);
    out.push(`<g data-id="${xml(n.id)}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.2"/>`, `${text(b.x + 8, b.y + 14, n.label.split('\n').slice(0, 2), 11, 'bold')}</g>`);
  }
  const center = (id: string) => {
    const b = boxes.get(id);
    return b ? { x: b.x + b.w / 2, y: b.y + b.h / 2 } : undefined;
  };
  for (const e of t.edges) {
    const s = center(e.source);
    const d = center(e.target);
    if (!s || !d) continue;
    const dash = e.type === 'peering' ? ' stroke-dasharray="6 4"' : e.type === 'privatelink' ? ' stroke-dasharray="2 3"' : '';
    out.push(`<line x1="${s.x}" y1="${s.y}" x2="${d.x}" y2="${d.y}" stroke="#5b6770" stroke-width="1.4"${dash}><title>${xml(e.label ?? e.id)}</title></line>`);
  }
  for (const n of t.nodes.filter((x) => !children.has(x.id))) {
    const b = boxes.get(n.id);
    if (!b) continue;
    const c = color(n.type);
    out.push(`<g data-id="${xml(n.id)}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="4" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.4"/>`, `${text(b.x + 6, b.y + 15, n.label.split('\n').slice(0, 3), 10)}</g>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** draw.io (diagrams.net) file: containers as container cells, children placed relative to them. */
export function toDrawio(t: Topology, boxes: ReadonlyMap<string, Box> = layoutTopology(t)): string {
  const children = childrenOf(t);
  const ids = new Map<string, string>();
  t.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  for (const n of t.nodes) {
    const b = boxes.get(n.id);
    if (!b) continue;
    const p = n.parent ? boxes.get(n.parent) : undefined;
    const c = color(n.type);
    const container = children.has(n.id);
    const style = container
      ? `rounded=1;whiteSpace=wrap;html=1;container=1;collapsible=0;verticalAlign=top;align=left;spacingLeft=6;fontStyle=1;fillColor=${c.fill};strokeColor=${c.stroke};`
      : `rounded=1;whiteSpace=wrap;html=1;fillColor=${c.fill};strokeColor=${c.stroke};fontSize=10;`;
    const parent = n.parent ? (ids.get(n.parent) ?? '1') : '1';
    cells.push(
      `<mxCell id="${ids.get(n.id)}" value="${xml(n.label.replace(/\n/g, '<br>'))}" style="${style}" vertex="1" parent="${parent}"><mxGeometry x="${b.x - (p?.x ?? 0)}" y="${b.y - (p?.y ?? 0)}" width="${b.w}" height="${b.h}" as="geometry"/></mxCell>`,
    );
  }
  t.edges.forEach((e, i) => {
    const s = ids.get(e.source);
    const d = ids.get(e.target);
    if (!s || !d) return;
    const dash = e.type === 'peering' || e.type === 'privatelink' ? 'dashed=1;' : '';
    cells.push(`<mxCell id="e${i}" value="${xml(e.label ?? '')}" style="endArrow=none;html=1;${dash}" edge="1" parent="1" source="${s}" target="${d}"><mxGeometry relative="1" as="geometry"/></mxCell>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<mxfile host="vpctwin"><diagram id="vpctwin" name="vpctwin"><mxGraphModel><root>\n${cells.join('\n')}\n</root></mxGraphModel></diagram></mxfile>\n`;
}

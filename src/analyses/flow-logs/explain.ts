/**
 * Explains flow log records against a snapshot: for each distinct flow (interface, direction, addresses,
 * ports, protocol, action) which component and rule produced the recorded action, with the same rule
 * kernels as `trace` (evaluateSecurityGroups, evaluateNetworkAcl). The AWS semantics
 * (shared/docs/vpc-flow-logs.md §2.4; aws-vpc-semantics §2–§3):
 *
 * - ingress on interface X: the network ACL of X's subnet, inbound (not for a peer in the same subnet:
 *   NACLs apply where traffic enters or leaves a subnet), then X's security groups, inbound;
 * - egress: X's security groups, outbound, then the NACL outbound (again not within the subnet);
 * - security groups are stateful: a packet that answers a request X admitted in the other direction passes
 *   them whatever their rules say; NACLs are stateless and check the reply like any packet, on its own
 *   destination port (the client's ephemeral port).
 *
 * A record does not say whether it is a request or a reply, nor the ICMP type. tcp-flags does when present
 * (SYN 2 opens, SYN-ACK 18 answers); otherwise both readings are tried, the likelier first (the lower port
 * is the service), and the reading that reproduces the recorded action explains it. The reply reading
 * requires the request to be admitted in the other direction (no reply without a request).
 *
 * Verdicts: `explained` (the snapshot decides what was recorded; the deciding rule is named), `drift`
 * (the snapshot decides the other way: the configuration changed, or the record predates it),
 * `not-logged-by-aws` (traffic AWS never logs: this record cannot come from VPC Flow Logs as documented),
 * `recorded-reason` (reject-reason BPA/EC: a cause outside security groups and NACLs), `no-action` (the
 * format has no action field: the snapshot's decision is reported), `no-data` (NODATA/SKIPDATA),
 * `unknown-interface`.
 *
 * Speed: each distinct flow is explained once and cached. The source and destination ports enter the
 * cache key as classes: the intervals between the port-range boundaries of the rules that can apply at
 * that interface (its security groups and its subnet's NACL, both directions). Two ports in one class get
 * the same verdict from every rule, so the ephemeral ports of one client/service pair fold into one flow,
 * while a NACL that denies `1024-65535` out still splits replies to ports below and above 1024.
 */
import type { NetworkModel } from '../../model/network.js';
import type { NetworkAcl, NetworkAclEntry, NetworkInterface, SecurityGroup, SecurityGroupRule, SourceRef, Subnet } from '../../model/types.js';
import { anyCidrContains, canonicalIp, cidrContains, parseCidrCached, parseIpCached } from '../../model/addresses.js';
import { modelContext } from '../../engine/model-context.js';
import { evaluateNetworkAcl } from '../../engine/network-acl.js';
import { protocolName, type Packet } from '../../engine/packet.js';
import { describeSecurityGroupRule, evaluateSecurityGroups } from '../../engine/security-group.js';
import { compileFormat, RecordView, type CompiledFormat, type FlowLogRecord } from './reader.js';

export type Verdict = 'explained' | 'drift' | 'not-logged-by-aws' | 'recorded-reason' | 'no-action' | 'no-data' | 'unknown-interface';

/** One rule evaluation behind a verdict. */
export interface RuleCheck {
  readonly component: { readonly id: string; readonly type: 'security-group' | 'network-acl'; readonly name?: string };
  readonly direction: 'inbound' | 'outbound';
  readonly allowed: boolean;
  /** The matching rule in words, or what is missing. */
  readonly rule: string;
  /** NACL rule number (`*` for the final deny). */
  readonly ruleNumber?: number | '*';
  readonly source?: SourceRef;
  /** True when this check is on the request that the record answers (connection tracking). */
  readonly onRequest?: boolean;
}

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A group of records a scan engine has already folded (`FlowLogExplainer.addGroup`): the same key values,
 * port classes and role hint, so one explanation holds for all of them. Values are the record's text (`-`
 * or undefined when absent).
 */
export interface FlowGroup {
  readonly interfaceId?: string;
  readonly srcaddr?: string;
  readonly dstaddr?: string;
  readonly pktSrcaddr?: string;
  readonly pktDstaddr?: string;
  readonly protocol?: string;
  readonly action?: string;
  readonly rejectReason?: string;
  readonly flowDirection?: string;
  readonly logStatus?: string;
  /** How the records read: 0 request, 1 reply (certain), 2 likely request, 3 likely reply (`hintOf`). */
  readonly hint: number;
  /** A source and destination port of the group (any: every port of a class gets the same verdict). */
  readonly srcport?: number;
  readonly dstport?: number;
  readonly count: number;
  readonly packets: number;
  readonly bytes: number;
  /** Seconds. */
  readonly firstStart?: number;
  readonly lastEnd?: number;
  readonly srcPorts?: PortRange;
  readonly dstPorts?: PortRange;
}

export interface FlowExplanation {
  readonly key: string;
  readonly interfaceId: string;
  /** What the interface belongs to: `instance i-… (name)`, `NAT gateway nat-…`, … */
  readonly interfaceOwner?: string;
  readonly direction: 'ingress' | 'egress' | 'unknown';
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly pktSrcaddr?: string;
  readonly pktDstaddr?: string;
  readonly protocol?: number;
  /** First source/destination port seen; `srcPorts`/`dstPorts` give the range seen in this flow. */
  readonly srcport?: number;
  readonly dstport?: number;
  readonly srcPorts?: PortRange;
  readonly dstPorts?: PortRange;
  readonly action?: 'ACCEPT' | 'REJECT';
  readonly logStatus: 'OK' | 'NODATA' | 'SKIPDATA';
  /** Records folded into this flow, and their packets and bytes. */
  readonly count: number;
  readonly packets: number;
  readonly bytes: number;
  readonly firstStart?: number;
  readonly lastEnd?: number;
  readonly verdict: Verdict;
  /** What the snapshot decides for this flow. */
  readonly expected?: 'ACCEPT' | 'REJECT';
  /** Whether the record was read as a request or as the reply to one. */
  readonly reading?: 'request' | 'reply';
  /** The deciding component and rule, in words. */
  readonly reason: string;
  readonly component?: { readonly id: string; readonly type: 'security-group' | 'network-acl' | 'network-interface' };
  readonly checks: readonly RuleCheck[];
  /** srcaddr/dstaddr differ from pkt-srcaddr/pkt-dstaddr: what that says about the interface's role. */
  readonly addressNote?: string;
  /** Key of the flow in the other direction on the same interface (request ↔ reply), when present. */
  readonly pair?: string;
}

interface EniContext {
  readonly eni: NetworkInterface;
  readonly subnet?: Subnet;
  readonly acl?: NetworkAcl;
  readonly groups: readonly SecurityGroup[];
  /** Interfaces of NAT gateways, transit gateway attachments and some load balancers have no security groups. */
  readonly hasSecurityGroups: boolean;
  /** The interface's own addresses (private IPv4 and IPv6). */
  readonly own: readonly string[];
  /** The subnet's CIDRs (IPv4 and IPv6): a peer inside them is not behind the NACL. */
  readonly subnetCidrs: readonly string[];
  /** The VPC router's reserved address in the interface's subnet (base + 1). */
  readonly router?: string;
  /** The Amazon DNS server of the interface's VPC (the VPC's first CIDR base + 2). */
  readonly dns?: string;
  /** Sorted port-range boundaries of the rules that can apply here. */
  readonly bounds: readonly number[];
  readonly label: string;
}

interface Positions {
  readonly eni: number;
  readonly src: number;
  readonly dst: number;
  readonly psrc: number;
  readonly pdst: number;
  readonly sport: number;
  readonly dport: number;
  readonly proto: number;
  readonly action: number;
  readonly status: number;
  readonly dir: number;
  readonly flags: number;
  readonly reason: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  /** The positions whose values enter the flow key, in a fixed order. */
  readonly keys: readonly number[];
}

const positionCache = new WeakMap<CompiledFormat, Positions>();

function positions(f: CompiledFormat): Positions {
  let p = positionCache.get(f);
  if (!p) {
    const i = (x: string) => f.index.get(x) ?? -1;
    p = {
      eni: i('interface-id'),
      src: i('srcaddr'),
      dst: i('dstaddr'),
      psrc: i('pkt-srcaddr'),
      pdst: i('pkt-dstaddr'),
      sport: i('srcport'),
      dport: i('dstport'),
      proto: i('protocol'),
      action: i('action'),
      status: i('log-status'),
      dir: i('flow-direction'),
      flags: i('tcp-flags'),
      reason: i('reject-reason'),
      packets: i('packets'),
      bytes: i('bytes'),
      start: i('start'),
      end: i('end'),
      keys: ['interface-id', 'srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr', 'protocol', 'action', 'reject-reason'].map(i),
    };
    positionCache.set(f, p);
  }
  return p;
}

/**
 * The role hint of a record: certain from tcp-flags (SYN opens, SYN-ACK answers) or when exactly one port
 * is below 1024 (the service side); otherwise a guess that the lower port serves, and the other reading is
 * tried too.
 */
type Hint = 'request' | 'reply' | 'request?' | 'reply?';

function hintOf(protocol: number | undefined, flags: number | undefined, sport: number | undefined, dport: number | undefined): Hint {
  if (protocol === 6 && flags !== undefined) {
    if ((flags & 18) === 18) return 'reply'; // SYN-ACK
    if (flags & 2) return 'request'; // SYN without ACK
  }
  if (sport === undefined || dport === undefined) return 'request?';
  if (sport < 1024 !== dport < 1024) return sport < 1024 ? 'reply' : 'request';
  return sport < dport ? 'reply?' : 'request?';
}

function classOf(bounds: readonly number[], port: number | undefined): number {
  if (port === undefined) return -1;
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bounds[mid] as number) <= port) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Core = Omit<FlowExplanation, 'count' | 'packets' | 'bytes' | 'firstStart' | 'lastEnd' | 'srcPorts' | 'dstPorts' | 'pair'>;

/** A distinct flow being counted: its explanation (computed once) and running totals. */
interface Accum {
  core: Core;
  /** What the flow was explained from, kept to re-read it as request or reply once its pair is known. */
  readonly input?: FlowInput;
  readonly sc?: number;
  readonly dc?: number;
  count: number;
  packets: number;
  bytes: number;
  firstStart: number;
  lastEnd: number;
  sMin: number;
  sMax: number;
  dMin: number;
  dMax: number;
}

/** The first cache level: one per distinct set of key values (interface, addresses, protocol, action…). */
interface Base {
  readonly tokens: readonly (string | undefined)[];
  readonly dirToken: string | undefined;
  /** The interface a record without interface-id gets from its file (CloudWatch stream name). */
  readonly defaultEni: string | undefined;
  readonly ctx: EniContext | undefined;
  readonly direction: 'ingress' | 'egress' | 'unknown';
  /** Second level: port classes and role hint → flow (the first one inline: most bases have one). */
  sub0: number;
  acc0: Accum | undefined;
  more: Map<number, Accum> | undefined;
  /** The next base with the same hash. */
  next: Base | undefined;
}

interface FlowInput {
  readonly key: string;
  readonly interfaceId: string;
  readonly ctx: EniContext | undefined;
  readonly direction: 'ingress' | 'egress' | 'unknown';
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly pktSrc: string | undefined;
  readonly pktDst: string | undefined;
  readonly protocol: number | undefined;
  readonly sport: number | undefined;
  readonly dport: number | undefined;
  readonly action: 'ACCEPT' | 'REJECT' | undefined;
  readonly hint: Hint;
  readonly rejectReason: string | undefined;
}

interface Reading {
  readonly kind: 'request' | 'reply';
  /** False when the reply reading has no admitted request. */
  readonly possible: boolean;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly checks: RuleCheck[];
  readonly requestChecks: RuleCheck[];
}

const DIRECTION_WORD = { ingress: 'inbound', egress: 'outbound', unknown: '' } as const;

/**
 * Accumulates records (`add` for the streaming reader, `addRecord` for plain objects) and returns one
 * explanation per distinct flow with counts.
 */
export class FlowLogExplainer {
  private readonly flows = new Map<string, Accum>();
  private lastFormat: CompiledFormat | undefined;
  private lastPositions: Positions | undefined;
  private readonly contexts = new Map<string, EniContext | null>();
  private readonly policies: PolicyCache;
  private readonly bases = new Map<number, Base>();
  /** Records seen. */
  records = 0;

  constructor(private readonly model: NetworkModel) {
    this.policies = new PolicyCache(model);
  }

  /** True when `ip` is a private address of an interface of `type` (through the model's address index, not a scan of every interface). */
  private isAddressOf(ip: string, type: NetworkInterface['interfaceType']): boolean {
    for (const h of this.model.addressHolders(ip)) if (h.scope === 'private' && this.model.networkInterfaces.get(h.networkInterfaceId)?.interfaceType === type) return true;
    return false;
  }

  /** Adds one record from the streaming reader (the view is read, not kept). */
  add(view: RecordView): void {
    this.accumulate(view);
  }

  /** Adds one plain record and returns its flow's explanation (counts so far included). */
  explainRecord(r: FlowLogRecord): FlowExplanation {
    const a = this.accumulate(recordToView(r, Object.keys(r)));
    return { ...a.core, count: a.count, packets: a.packets, bytes: a.bytes };
  }

  private accumulate(view: RecordView): Accum {
    this.records++;
    if (view.format !== this.lastFormat) {
      this.lastFormat = view.format;
      this.lastPositions = positions(view.format);
    }
    const p = this.lastPositions as Positions;
    if (p.status >= 0 && !view.isMissing(p.status) && !view.equals(p.status, 'OK')) {
      const interfaceId = view.at(p.eni) ?? view.defaults['interface-id'] ?? '-';
      return this.addNoData(interfaceId, view.equals(p.status, 'SKIPDATA') ? 'SKIPDATA' : 'NODATA', view.int(p.start), view.int(p.end));
    }
    // Level 1, allocation-free: a hash of the key values, confirmed value by value.
    let h = 0x811c9dc5;
    const keys = p.keys;
    for (let k = 0; k < keys.length; k++) h = hashToken(h, view, keys[k] as number);
    h = hashToken(h, view, p.dir);
    const defaultEni = view.isMissing(p.eni) ? view.defaults['interface-id'] : undefined;
    if (defaultEni) for (let q = 0; q < defaultEni.length; q++) h = Math.imul(h ^ defaultEni.charCodeAt(q), 16777619);
    h &= 0x3fffffff;
    const head = this.bases.get(h);
    let base = head;
    while (base && !(base.defaultEni === defaultEni && sameTokens(view, p, base))) base = base.next;
    if (!base) {
      base = this.newBase(view, p, head);
      this.bases.set(h, base);
    }
    // Level 2: port classes (the verdict cannot change within a class) and the request/reply hint.
    const protocol = view.int(p.proto);
    const sport = view.int(p.sport);
    const dport = view.int(p.dport);
    const acc = this.flowOf(base, protocol, sport, dport, hintOf(protocol, view.int(p.flags), sport, dport), view.defaults['interface-id']);
    this.count(acc, 1, view.int(p.packets), view.int(p.bytes), view.int(p.start), view.int(p.end), sport, dport);
    return acc;
  }

  /** The flow of `base` for these ports and role hint (port classes and hint make the second cache level). */
  private flowOf(base: Base, protocol: number | undefined, sport: number | undefined, dport: number | undefined, hint: Hint, defaultEni: string | undefined): Accum {
    const bounds = base.ctx ? base.ctx.bounds : EMPTY_BOUNDS;
    const sc = classOf(bounds, sport);
    const dc = classOf(bounds, dport);
    const sub = ((sc + 1) * 65536 + (dc + 1)) * 4 + HINTS.indexOf(hint);
    let acc = base.sub0 === sub ? base.acc0 : base.more?.get(sub);
    if (!acc) {
      const t = base.tokens;
      const interfaceId = t[0] ?? defaultEni ?? '-';
      const srcaddr = t[1] ?? '-';
      const dstaddr = t[2] ?? '-';
      const actionText = t[6];
      const action = actionText === 'ACCEPT' || actionText === 'REJECT' ? actionText : undefined;
      const key = `${interfaceId}|${base.direction}|${srcaddr}|${dstaddr}|${t[3] ?? ''}|${t[4] ?? ''}|${protocol ?? '-'}|${sc}|${dc}|${hint}|${action ?? '-'}|${t[7] ?? ''}`;
      acc = this.flows.get(key);
      if (!acc) {
        const input: FlowInput = { key, interfaceId, ctx: base.ctx, direction: base.direction, srcaddr, dstaddr, pktSrc: t[3], pktDst: t[4], protocol, sport, dport, action, hint, rejectReason: t[7] };
        acc = this.start(this.explainFlow(input), input, sc, dc);
        this.flows.set(key, acc);
      }
      if (!base.acc0) {
        base.sub0 = sub;
        base.acc0 = acc;
      } else (base.more ??= new Map()).set(sub, acc);
    }
    return acc;
  }

  private newBase(view: RecordView, p: Positions, next: Base | undefined): Base {
    return this.baseOf(
      p.keys.map((i) => detach(view.at(i))),
      view.at(p.dir),
      view.defaults['interface-id'],
      next,
    );
  }

  /** A first-level cache entry: key values as in `Positions.keys`, the flow-direction text, the file's interface. */
  private baseOf(tokens: (string | undefined)[], dirToken: string | undefined, fileEni: string | undefined, next: Base | undefined): Base {
    const interfaceId = tokens[0] ?? fileEni;
    const ctx = interfaceId ? this.context(interfaceId) : undefined;
    const direction = dirToken === 'ingress' || dirToken === 'egress' ? dirToken : this.directionOf(ctx, tokens[1] ?? '-', tokens[2] ?? '-');
    return { tokens, dirToken: dirToken === 'ingress' ? 'ingress' : dirToken === 'egress' ? 'egress' : detach(dirToken), defaultEni: tokens[0] === undefined ? fileEni : undefined, ctx, direction, sub0: -1, acc0: undefined, more: undefined, next };
  }

  /**
   * Adds a group of records that a scan engine has already folded (same key values, same port classes under
   * every rule of the snapshot, same role hint). `fileEni` is the interface a record without interface-id
   * gets from its file.
   */
  addGroup(g: FlowGroup, fileEni?: string): void {
    this.records += g.count;
    const text = (v: string | undefined): string | undefined => (v === undefined || v === '-' ? undefined : v);
    const interfaceId = text(g.interfaceId);
    const status = text(g.logStatus);
    let acc: Accum;
    if (status !== undefined && status !== 'OK') {
      acc = this.addNoData(interfaceId ?? fileEni ?? '-', status === 'SKIPDATA' ? 'SKIPDATA' : 'NODATA', g.firstStart, g.lastEnd);
      this.count(acc, g.count - 1, undefined, undefined, undefined, undefined, undefined, undefined);
      return;
    }
    const tokens = [interfaceId, text(g.srcaddr), text(g.dstaddr), text(g.pktSrcaddr), text(g.pktDstaddr), text(g.protocol), text(g.action), text(g.rejectReason)];
    // A group is one (key values, port classes, hint): its first-level entry is not shared, so not cached
    // (the flow cache below merges groups that land on the same flow).
    const base = this.baseOf(tokens, text(g.flowDirection), fileEni, undefined);
    const protocol = tokens[5] !== undefined && /^\d+$/.test(tokens[5]) ? Number(tokens[5]) : undefined;
    acc = this.flowOf(base, protocol, g.srcport, g.dstport, HINTS[g.hint] ?? 'request?', fileEni);
    this.count(acc, g.count, g.packets, g.bytes, g.firstStart, g.lastEnd, g.srcPorts?.min, g.dstPorts?.min);
    if (g.srcPorts || g.dstPorts) this.count(acc, 0, 0, 0, undefined, undefined, g.srcPorts?.max, g.dstPorts?.max);
  }

  /** Adds a plain record (e.g. from `readFlowLogFile` or the generator), `weight` times. */
  addRecord(r: FlowLogRecord, weight = 1): void {
    const fields = Object.keys(r);
    const view = recordToView(r, fields);
    for (let i = 0; i < weight; i++) this.add(view);
  }

  private addNoData(interfaceId: string, status: 'NODATA' | 'SKIPDATA', start: number | undefined, end: number | undefined): Accum {
    const key = `${interfaceId}|${status}`;
    let acc = this.flows.get(key);
    if (!acc) {
      const ctx = this.context(interfaceId);
      acc = this.start({
        key,
        interfaceId,
        ...(ctx ? { interfaceOwner: ctx.label } : {}),
        direction: 'unknown',
        srcaddr: '-',
        dstaddr: '-',
        logStatus: status,
        verdict: 'no-data',
        reason:
          status === 'NODATA'
            ? `NODATA: no traffic to or from ${interfaceId} in the aggregation interval`
            : `SKIPDATA: AWS skipped records for ${interfaceId} in the interval (internal capacity or error); the flows it stands for are unknown`,
        checks: [],
      });
      this.flows.set(key, acc);
    }
    this.count(acc, 1, undefined, undefined, start, end, undefined, undefined);
    return acc;
  }

  private start(core: Accum['core'], input?: FlowInput, sc?: number, dc?: number): Accum {
    return { core, input, sc, dc, count: 0, packets: 0, bytes: 0, firstStart: Infinity, lastEnd: -Infinity, sMin: Infinity, sMax: -Infinity, dMin: Infinity, dMax: -Infinity };
  }

  private count(a: Accum, n: number, packets: number | undefined, bytes: number | undefined, start: number | undefined, end: number | undefined, sport: number | undefined, dport: number | undefined): void {
    a.count += n;
    if (packets !== undefined) a.packets += packets;
    if (bytes !== undefined) a.bytes += bytes;
    if (start !== undefined) a.firstStart = Math.min(a.firstStart, start > 1e11 ? Math.floor(start / 1000) : start);
    if (end !== undefined) a.lastEnd = Math.max(a.lastEnd, end > 1e11 ? Math.floor(end / 1000) : end);
    if (sport !== undefined) {
      if (sport < a.sMin) a.sMin = sport;
      if (sport > a.sMax) a.sMax = sport;
    }
    if (dport !== undefined) {
      if (dport < a.dMin) a.dMin = dport;
      if (dport > a.dMax) a.dMax = dport;
    }
  }

  /**
   * One explanation per distinct flow, sorted by key (interface first), request/reply pairs linked: the
   * flow on the same interface in the other direction with swapped addresses and ports. A record whose
   * role the flags did not tell is re-read once its pair is known: the pair whose role is certain (or
   * that started first) is the request, the other the reply. The objects are the explainer's own, with
   * the totals as of this call: records added later update them at the next call.
   */
  results(): FlowExplanation[] {
    // The flow the other way with swapped addresses and ports: on the same interface, so only interfaces
    // with two flows or more are searched (keys below leave the interface out).
    const pairKey = (a: Accum, swap: boolean): string => {
      const f = a.input as FlowInput;
      const src = f.pktSrc ?? f.srcaddr;
      const dst = f.pktDst ?? f.dstaddr;
      const dir = swap ? (f.direction === 'ingress' ? 'egress' : 'ingress') : f.direction;
      return swap ? `${dir}|${dst}|${src}|${f.protocol ?? ''}|${a.dc}|${a.sc}` : `${dir}|${src}|${dst}|${f.protocol ?? ''}|${a.sc}|${a.dc}`;
    };
    const byInterface = new Map<string, Accum | Accum[]>();
    for (const a of this.flows.values()) {
      const f = a.input;
      if (!f || f.direction === 'unknown') continue;
      const seen = byInterface.get(f.interfaceId);
      if (seen === undefined) byInterface.set(f.interfaceId, a);
      else if (Array.isArray(seen)) seen.push(a);
      else byInterface.set(f.interfaceId, [seen, a]);
    }
    const pairs = new Map<Accum, Accum>();
    for (const list of byInterface.values()) {
      if (!Array.isArray(list)) continue;
      const byPair = new Map<string, Accum>();
      for (const a of list) {
        const k = pairKey(a, false);
        if (!byPair.has(k)) byPair.set(k, a);
      }
      for (const a of list) {
        const other = byPair.get(pairKey(a, true));
        if (other && other !== a) pairs.set(a, other);
      }
    }
    for (const [a, other] of pairs) {
      const f = a.input as FlowInput;
      if (f.hint === 'request' || f.hint === 'reply' || !f.ctx) continue;
      const certain = (other.input as FlowInput).hint;
      const role: 'request' | 'reply' | undefined =
        certain === 'request' ? 'reply' : certain === 'reply' ? 'request' : a.firstStart < other.firstStart ? 'request' : a.firstStart > other.firstStart ? 'reply' : undefined;
      if (role && a.core.reading !== role) a.core = this.explainFlow(f, role);
    }
    const out: FlowExplanation[] = [];
    for (const a of this.flows.values()) {
      // The flow's own explanation object completed with its totals (not a copy: one object per flow is
      // enough, and a later call sets the totals again).
      const f = a.core as Mutable<FlowExplanation>;
      f.count = a.count;
      f.packets = a.packets;
      f.bytes = a.bytes;
      if (a.firstStart !== Infinity) f.firstStart = a.firstStart;
      if (a.lastEnd !== -Infinity) f.lastEnd = a.lastEnd;
      if (a.sMin !== Infinity) f.srcPorts = { min: a.sMin, max: a.sMax };
      if (a.dMin !== Infinity) f.dstPorts = { min: a.dMin, max: a.dMax };
      const other = pairs.get(a);
      if (other) f.pair = other.core.key;
      out.push(f);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private context(interfaceId: string): EniContext | undefined {
    let c = this.contexts.get(interfaceId);
    if (c === undefined) {
      const eni = this.model.networkInterfaces.get(interfaceId);
      c = eni ? buildContext(this.model, eni, this.policies) : null;
      this.contexts.set(interfaceId, c);
    }
    return c ?? undefined;
  }

  private directionOf(ctx: EniContext | undefined, srcaddr: string, dstaddr: string): 'ingress' | 'egress' | 'unknown' {
    if (!ctx) return 'unknown';
    // dstaddr is the interface's own (primary private) address on ingress records, srcaddr on egress.
    if (ctx.own.includes(dstaddr)) return 'ingress';
    if (ctx.own.includes(srcaddr)) return 'egress';
    // IPv6 text may be written in another (non-canonical) form.
    if (dstaddr.includes(':') && ctx.own.includes(canonicalIp(dstaddr) ?? dstaddr)) return 'ingress';
    if (srcaddr.includes(':') && ctx.own.includes(canonicalIp(srcaddr) ?? srcaddr)) return 'egress';

    return 'unknown';
  }

  private explainFlow(f: FlowInput, forced?: 'request' | 'reply'): Accum['core'] {
    // Built by assignment in a fixed order (the JSON field order), not by spreads: this runs once per flow.
    const out: Mutable<Core> = { key: f.key, interfaceId: f.interfaceId } as Mutable<Core>;
    if (f.ctx) out.interfaceOwner = f.ctx.label;
    out.direction = f.direction;
    out.srcaddr = f.srcaddr;
    out.dstaddr = f.dstaddr;
    if (f.pktSrc !== undefined) out.pktSrcaddr = f.pktSrc;
    if (f.pktDst !== undefined) out.pktDstaddr = f.pktDst;
    if (f.protocol !== undefined) out.protocol = f.protocol;
    if (f.sport !== undefined) out.srcport = f.sport;
    if (f.dport !== undefined) out.dstport = f.dport;
    if (f.action) out.action = f.action;
    out.logStatus = 'OK';
    out.checks = [];
    const done = (verdict: Verdict, reason: string): Core => {
      out.verdict = verdict;
      out.reason = reason;
      return out;
    };
    if (f.interfaceId === '-') return done('unknown-interface', 'the record names no network interface (interface-id is missing or -)');
    const peerSrc = f.pktSrc ?? f.srcaddr;
    const peerDst = f.pktDst ?? f.dstaddr;
    const notLogged = this.notLoggedReason(f, peerSrc, peerDst);
    if (notLogged) return done('not-logged-by-aws', `AWS never logs ${notLogged} (VPC Flow Logs limitations): this record cannot come from VPC Flow Logs as documented`);
    const ctx = f.ctx;
    if (!ctx) return done('unknown-interface', `network interface ${f.interfaceId} is not in the snapshot`);
    const addressNote = this.addressNote(ctx, f);
    if (addressNote) out.addressNote = addressNote;
    if (f.rejectReason && f.action === 'REJECT') {
      const what = f.rejectReason === 'BPA' ? 'VPC Block Public Access' : f.rejectReason === 'EC' ? 'VPC Encryption Controls (enforce mode)' : `reject-reason ${f.rejectReason}`;
      return done('recorded-reason', `REJECT ${DIRECTION_WORD[f.direction]} on ${f.interfaceId}: rejected by ${what}, a cause outside security groups and network ACLs (the snapshot does not hold those settings, so it is not checked)`);
    }
    if (f.direction === 'unknown')
      return done(f.action ? 'drift' : 'no-action', `neither srcaddr ${f.srcaddr} nor dstaddr ${f.dstaddr} is an address of ${f.interfaceId} in the snapshot, and the format has no flow-direction: the direction cannot be told`);
    // The readings are evaluated lazily, likelier first: most flows are decided by the first one.
    const read: Partial<Record<'request' | 'reply', Reading>> = {};
    const reading = (k: 'request' | 'reply'): Reading => (read[k] ??= this.reading(k, ctx, f, peerSrc, peerDst));
    const order: readonly ('request' | 'reply')[] = forced ? [forced] : f.hint === 'request' ? ONLY_REQUEST : f.hint === 'reply' ? ONLY_REPLY : f.hint === 'request?' ? REQUEST_FIRST : REPLY_FIRST;
    const wanted = f.action ?? 'ACCEPT'; // without an action field, the reading that admits the traffic (it was seen)
    let fallback: Reading | undefined;
    let match: Reading | undefined;
    for (const k of order) {
      const r = reading(k);
      if (!r.possible && order.length > 1) continue;
      fallback ??= r;
      if (r.action === wanted) {
        match = r;
        break;
      }
    }
    const chosen = match ?? fallback ?? reading('request');
    const deciding = decidingCheck(chosen);
    out.expected = chosen.action;
    out.reading = chosen.kind;
    out.checks = chosen.requestChecks.length ? [...chosen.requestChecks, ...chosen.checks] : chosen.checks;
    if (deciding) out.component = { id: deciding.component.id, type: deciding.component.type };
    else if (ctx.hasSecurityGroups || ctx.acl) out.component = { id: ctx.eni.id, type: 'network-interface' };
    const story = this.story(ctx, f, chosen, peerSrc, peerDst);
    if (!f.action) return done('no-action', `the format has no action field; the snapshot would ${chosen.action === 'ACCEPT' ? 'accept' : 'reject'} it: ${story}`);
    if (match) return done('explained', story);
    const late = f.action === 'REJECT' && f.protocol === 6 ? '; a REJECT of an allowed TCP flow can also be packets that arrived after the connection closed' : '';
    const noReply = (forced ?? f.hint) === 'reply' && !reading('reply').possible ? ' (as a reply: the snapshot would not admit the request it answers)' : '';
    return done('drift', `recorded ${f.action} but the snapshot would ${chosen.action === 'ACCEPT' ? 'accept' : 'reject'} it${noReply}: ${story}. The configuration changed, or the snapshot is from another time${late}`);
  }

  /** One reading of the record at this interface: as a request, or as the reply to a request admitted the other way. */
  private reading(kind: 'request' | 'reply', ctx: EniContext, f: FlowInput, src: string, dst: string): Reading {
    const family = parseIpCached(src)?.family ?? parseIpCached(dst)?.family ?? 4;
    const protocol = f.protocol ?? -1;
    const dir = f.direction === 'ingress' ? 'ingress' : 'egress';
    if (kind === 'request') {
      const checks = this.checksAt(ctx, dir, flowPacket(family, protocol, src, dst, f.sport, f.dport, 'request'), false);
      return { kind, possible: true, action: allAllowed(checks) ? 'ACCEPT' : 'REJECT', checks, requestChecks: NO_CHECKS };
    }
    // The reply reading: the request crossed this interface the other way and was admitted.
    const requestChecks = this.checksAt(ctx, dir === 'ingress' ? 'egress' : 'ingress', flowPacket(family, protocol, dst, src, f.dport, f.sport, 'request'), true);
    const checks = this.checksAt(ctx, dir, flowPacket(family, protocol, src, dst, f.sport, f.dport, 'reply'), false, true);
    return { kind, possible: allAllowed(requestChecks), action: allAllowed(checks) ? 'ACCEPT' : 'REJECT', checks, requestChecks };
  }

  /** The NACL and security-group checks of `packet` crossing the interface (in AWS's order). */
  private checksAt(ctx: EniContext, dir: 'ingress' | 'egress', packet: Packet, onRequest: boolean, tracked = false): RuleCheck[] {
    const nacl = this.naclCheck(ctx, dir, packet, onRequest);
    const sg = ctx.hasSecurityGroups && !tracked ? this.sgCheck(ctx, dir, packet, onRequest) : undefined;
    const first = dir === 'ingress' ? nacl : sg;
    const second = dir === 'ingress' ? sg : nacl;
    return first ? (second ? [first, second] : [first]) : second ? [second] : [];
  }

  /** The subnet's NACL on `packet`, unless the peer is in the same subnet (NACLs filter at the subnet edge). */
  private naclCheck(ctx: EniContext, dir: 'ingress' | 'egress', packet: Packet, onRequest: boolean): RuleCheck | undefined {
    const acl = ctx.acl;
    if (!acl || inSubnet(ctx, dir === 'ingress' ? packet.srcIp : packet.dstIp)) return undefined;
    const direction = dir === 'ingress' ? 'inbound' : 'outbound';
    const v = evaluateNetworkAcl(acl, direction, packet);
    const c: Mutable<RuleCheck> = { component: aclComponent(acl), direction, allowed: v.allowed, rule: naclEntryText(v.entry, packet, dir), ruleNumber: v.entry && v.entry.ruleNumber < 32767 ? v.entry.ruleNumber : '*' };
    if (v.entry?.source) c.source = v.entry.source;
    if (onRequest) c.onRequest = onRequest;
    return c;
  }

  /** The interface's security groups on `packet`. */
  private sgCheck(ctx: EniContext, dir: 'ingress' | 'egress', packet: Packet, onRequest: boolean): RuleCheck {
    const direction = dir === 'ingress' ? 'inbound' : 'outbound';
    const v = evaluateSecurityGroups(ctx.groups, dir, packet, modelContext(this.model));
    const g = v.match ? ctx.groups.find((x) => x.id === v.match?.groupId) : ctx.groups[0];
    const component: Mutable<RuleCheck['component']> = { id: v.match?.groupId ?? ctx.groups.map((x) => x.id).join(',') ?? ctx.eni.securityGroupIds.join(','), type: 'security-group' };
    if (g?.groupName) component.name = g.groupName;
    const peer = dir === 'ingress' ? packet.srcIp : packet.dstIp;
    const c: Mutable<RuleCheck> = {
      component,
      direction,
      allowed: v.allowed,
      rule: v.match ? sgRuleText(v.match.rule) : `no ${direction} rule for ${packetWhat(packet)} ${dir === 'ingress' ? 'from' : 'to'} ${peer}${v.unresolved.length ? ` (prefix lists ${v.unresolved.join(', ')} are not in the snapshot)` : ''}`,
    };
    if (v.match) c.source = v.match.rule.source;
    else if (g) c.source = g.source;
    if (onRequest) c.onRequest = onRequest;
    return c;
  }

  /** The explanation in words: "REJECT inbound on eni-…: security group sg-… has no inbound rule for …". */
  private story(ctx: EniContext, f: FlowInput, r: Reading, src: string, dst: string): string {
    const dir = DIRECTION_WORD[f.direction];
    const on = `on ${ctx.eni.id}`;
    const crosses = !!ctx.acl && !inSubnet(ctx, f.direction === 'ingress' ? src : dst);
    const noAcl = !ctx.acl ? '' : crosses ? '' : `; no network ACL (the peer is in the same subnet ${ctx.subnet?.id ?? ''})`;
    const deny = r.checks.find((c) => !c.allowed);
    const text = (c: RuleCheck) => checkText(c, ctx);
    if (r.kind === 'request') {
      if (deny) return `REJECT ${dir} ${on}: ${text(deny)}`;
      const parts = r.checks.map(text);
      return `ACCEPT ${dir} ${on}: ${parts.length ? parts.join('; ') : 'no security group or network ACL applies to this interface'}${noAcl}`;
    }
    const reqDir = f.direction === 'ingress' ? 'outbound' : 'inbound';
    const reqWhat = `${packetWhat({ protocol: f.protocol ?? -1, dstPort: f.sport } as Packet, true)} ${f.direction === 'ingress' ? 'to' : 'from'} ${f.direction === 'ingress' ? src : dst}`;
    const reqAdmitted = r.requestChecks.filter((c) => c.allowed).map(text);
    const admittedBy = reqAdmitted.length ? ` (admitted by ${reqAdmitted.join('; ')})` : '';
    if (!r.possible) return `${f.action ?? 'the record'} ${dir} ${on} as a reply: the ${reqDir} request it would answer, ${reqWhat}, is itself rejected: ${r.requestChecks.filter((c) => !c.allowed).map(text).join('; ')}`;
    if (deny) return `ACCEPT ${reqDir} then REJECT ${dir} on the reply at ${ctx.eni.id}: ${text(deny)}; the request was ${reqWhat}${admittedBy}, and security groups pass replies by connection tracking but network ACLs do not`;
    const acl = r.checks.map(text);
    return `ACCEPT ${dir} ${on}: reply to the ${reqDir} request ${reqWhat}${admittedBy}${ctx.hasSecurityGroups ? ', passed by security-group connection tracking' : ''}${acl.length ? `; ${acl.join('; ')}` : noAcl}`;
  }

  private notLoggedReason(f: FlowInput, src: string, dst: string): string | undefined {
    const linkLocal = linkLocalReason(src) ?? linkLocalReason(dst);
    if (linkLocal) return linkLocal;
    const vpcId = f.ctx?.eni.vpcId;
    if (vpcId) {
      const dns = f.ctx?.dns;
      if (dns && (src === dns || dst === dns)) return `traffic to the Amazon DNS server (${dns}, the VPC's base address plus two)`;
      const router = f.ctx?.router;
      if (router && (src === router || dst === router)) return `traffic to the reserved address of the VPC router (${router})`;
    }
    if (f.protocol === 17 && (f.sport === 67 || f.sport === 68) && (f.dport === 67 || f.dport === 68)) return 'DHCP traffic';
    const eniType = f.ctx?.eni.interfaceType;
    if (eniType === 'vpc-endpoint' && (this.isAddressOf(src, 'network-load-balancer') || this.isAddressOf(dst, 'network-load-balancer'))) return 'traffic between an endpoint network interface and a Network Load Balancer network interface';
    if (eniType === 'network-load-balancer' && (this.isAddressOf(src, 'vpc-endpoint') || this.isAddressOf(dst, 'vpc-endpoint'))) return 'traffic between a Network Load Balancer network interface and an endpoint network interface';
    return undefined;
  }

  private addressNote(ctx: EniContext, f: FlowInput): string | undefined {
    const notes: string[] = [];
    if (f.pktDst !== undefined && f.pktDst !== f.dstaddr)
      notes.push(`dstaddr ${f.dstaddr} is ${ctx.own.includes(f.dstaddr) ? `the interface's own address` : 'not the packet destination'}; the packet was addressed to ${f.pktDst} (pkt-dstaddr)`);
    if (f.pktSrc !== undefined && f.pktSrc !== f.srcaddr)
      notes.push(`srcaddr ${f.srcaddr} is ${ctx.own.includes(f.srcaddr) ? `the interface's own address` : 'not the packet source'}; the packet came from ${f.pktSrc} (pkt-srcaddr)`);
    if (!notes.length) return undefined;
    const role =
      ctx.eni.owner.kind === 'nat-gateway'
        ? `NAT gateway ${ctx.eni.owner.id} translating`
        : ctx.eni.owner.kind === 'transit-gateway-attachment'
          ? `transit gateway attachment ${ctx.eni.owner.id} carrying traffic between VPCs`
          : ctx.eni.owner.kind === 'load-balancer'
            ? 'load balancer node'
            : ctx.eni.owner.kind === 'vpc-endpoint'
              ? `endpoint ${ctx.eni.owner.id}`
              : !ctx.eni.sourceDestCheck
                ? 'appliance with source/destination check off'
                : 'secondary address, prefix or pod IP of the interface';
    return `${notes.join('; ')}: the interface is an intermediate hop (${role})`;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const allAllowed = (checks: readonly RuleCheck[]): boolean => {
  for (const c of checks) if (!c.allowed) return false;
  return true;
};

/** The packet a record stands for. Flow logs do not carry the ICMP type: echo request, or echo reply for a reply. */
function flowPacket(family: 4 | 6, protocol: number, srcIp: string, dstIp: string, sport: number | undefined, dport: number | undefined, type: 'request' | 'reply'): Packet {
  const p: Mutable<Packet> = { family, srcIp, dstIp, protocol };
  if (protocol === 6 || protocol === 17) {
    p.srcPort = sport ?? 0;
    p.dstPort = dport ?? 0;
  } else if (protocol === 1 || protocol === 58) {
    p.icmpType = protocol === 1 ? (type === 'request' ? 8 : 0) : type === 'request' ? 128 : 129;
    p.icmpCode = 0;
  }
  return p;
}

const ONLY_REQUEST = ['request'] as const;
const ONLY_REPLY = ['reply'] as const;
const REQUEST_FIRST = ['request', 'reply'] as const;
const REPLY_FIRST = ['reply', 'request'] as const;
const NO_CHECKS: RuleCheck[] = [];

const aclComponents = new WeakMap<NetworkAcl, RuleCheck['component']>();
/** The component of a NACL's checks (one object per NACL: checks are read-only). */
function aclComponent(acl: NetworkAcl): RuleCheck['component'] {
  let c = aclComponents.get(acl);
  if (!c) {
    c = acl.name ? { id: acl.id, type: 'network-acl', name: acl.name } : { id: acl.id, type: 'network-acl' };
    aclComponents.set(acl, c);
  }
  return c;
}

/** Boundaries every interface has: DHCP (67-68) is recognised by exact port; 1024 splits the role hints. */
export const FIXED_PORT_BOUNDARIES: readonly number[] = [67, 69, 1024];

/** The classes of an interface that is not in the snapshot: the fixed boundaries alone. */
const EMPTY_BOUNDS: readonly number[] = FIXED_PORT_BOUNDARIES;
const HINTS: readonly Hint[] = ['request', 'reply', 'request?', 'reply?'];

/**
 * A copy of a string that does not keep the chunk it was sliced from alive (V8 slices share their
 * parent): the flow cache outlives the reader's 1 MB chunks.
 */
function detach(s: string | undefined): string | undefined {
  return s === undefined || s.length < 13 ? s : (' ' + s).slice(1);
}

/** FNV-1a over the characters of value `i` (a separator for absent or `-` values). */
function hashToken(h: number, view: RecordView, i: number): number {
  if (i < 0 || view.isMissing(i)) return Math.imul(h ^ 0x2d, 16777619);
  const t = i + view.offset;
  const text = view.text;
  for (let q = view.starts[t] as number, e = view.ends[t] as number; q < e; q++) h = Math.imul(h ^ text.charCodeAt(q), 16777619);
  return Math.imul(h ^ 0x7c, 16777619);
}

function sameTokens(view: RecordView, p: Positions, b: Base): boolean {
  const idx = p.keys;
  const tokens = b.tokens;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    const want = tokens[k];
    if (want === undefined ? !view.isMissing(i) : !view.equals(i, want)) return false;
  }
  return b.dirToken === undefined ? view.isMissing(p.dir) : view.equals(p.dir, b.dirToken);
}

/** Why traffic to or from `ip` is never logged when `ip` is link-local (metadata, time sync, …), else undefined. */
function linkLocalReason(ip: string): string | undefined {
  // Only 169.254/16 and IPv6 text can be link-local; skip the parse for everything else.
  if (!ip.startsWith('169.254.') && !ip.includes(':')) return undefined;
  const canonical = ip.includes(':') ? (canonicalIp(ip) ?? ip) : ip;
  const known = LINK_LOCAL_SERVICES[canonical];
  if (known) return known;
  const a = parseIpCached(canonical);
  return a && LINK_LOCAL.some((c) => cidrContains(c, a)) ? `link-local traffic (${ip}), which never leaves the host` : undefined;
}

/** Link-local services AWS names in its list of traffic that is not logged. */
const LINK_LOCAL_SERVICES: Readonly<Record<string, string>> = {
  '169.254.169.254': 'traffic to and from 169.254.169.254 (instance metadata)',
  'fd00:ec2::254': 'traffic to and from fd00:ec2::254 (instance metadata)',
  '169.254.169.123': 'traffic to and from 169.254.169.123 (Amazon Time Sync Service)',
  'fd00:ec2::123': 'traffic to and from fd00:ec2::123 (Amazon Time Sync Service)',
  '169.254.169.253': 'traffic to the Amazon DNS server (169.254.169.253)',
  'fd00:ec2::253': 'traffic to the Amazon DNS server (fd00:ec2::253)',
  '169.254.169.250': 'Amazon Windows license activation traffic (169.254.169.250)',
  '169.254.169.251': 'Amazon Windows license activation traffic (169.254.169.251)',
};

const LINK_LOCAL = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::/32'].map((c) => parseCidrCached(c) as NonNullable<ReturnType<typeof parseCidrCached>>);

function offsetAddress(cidr: string, k: number): string | undefined {
  const c = parseCidrCached(cidr);
  if (!c || c.family !== 4) return undefined;
  const v = Number(c.base) + k;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function inSubnet(ctx: EniContext, ip: string): boolean {
  return ctx.subnetCidrs.length > 0 && anyCidrContains(ctx.subnetCidrs, ip);
}

/** What interfaces of one subnet with the same security groups share: the rules and their port boundaries. */
type Policy = Pick<EniContext, 'subnet' | 'acl' | 'groups' | 'hasSecurityGroups' | 'router' | 'dns' | 'bounds' | 'subnetCidrs'>;

/** What every interface of a subnet shares: its NACL (and the NACL's port boundaries), CIDRs, reserved addresses. */
type SubnetSide = Pick<Policy, 'subnet' | 'acl' | 'router' | 'dns' | 'subnetCidrs'> & { readonly ports: readonly number[] };

/** `a` sorted ascending without repeats (in place). */
export function sortedUnique(a: number[]): number[] {
  a.sort((x, y) => x - y);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[n - 1]) a[n++] = a[i] as number;
  a.length = n;
  return a;
}

function addBoundaries(out: number[], from: number | undefined, to: number | undefined): void {
  if (from === undefined || to === undefined || from < 0) return;
  out.push(from, to + 1);
}

/**
 * The port-range boundaries (from, to + 1) of a NACL's entries: where its verdict can change. The DuckDB
 * engine's classes are built from the same function, so they refine every interface's classes.
 */
export function naclPortBoundaries(acl: NetworkAcl, out: number[] = []): number[] {
  for (const list of [acl.inbound, acl.outbound]) for (const e of list) if (e.portRange) addBoundaries(out, e.portRange.from, e.portRange.to);
  return out;
}

/** The port-range boundaries of a security group's tcp and udp rules (see `naclPortBoundaries`). */
export function groupPortBoundaries(group: SecurityGroup, out: number[] = []): number[] {
  for (const list of [group.ingress, group.egress]) for (const r of list) if (r.protocol === 6 || r.protocol === 17) addBoundaries(out, r.fromPort, r.toPort);
  return out;
}

/**
 * Per-interface contexts, built from two caches: the subnet side (NACL, CIDRs, router, DNS) and the
 * security-group side, combined once per (subnet, groups). Model objects are read once per subnet and per
 * group set: at 100,000 interfaces they are far apart in memory and each first read is a cache miss.
 */
class PolicyCache {
  private readonly subnets = new Map<string, SubnetSide>();
  private readonly groupSets = new Map<string, { readonly groups: readonly SecurityGroup[]; readonly ports: readonly number[] }>();
  private readonly policies = new Map<string, Policy>();

  constructor(private readonly model: NetworkModel) {}

  policy(eni: NetworkInterface): Policy {
    const groupKey = eni.securityGroupIds.join(' ');
    const key = `${eni.subnetId} ${groupKey}`;
    let p = this.policies.get(key);
    if (!p) {
      const side = this.subnetSide(eni.subnetId, eni.vpcId);
      const groups = this.groupSet(groupKey, eni.securityGroupIds);
      const bounds = sortedUnique([...FIXED_PORT_BOUNDARIES, ...side.ports, ...groups.ports]);
      p = {
        subnet: side.subnet,
        acl: side.acl,
        groups: groups.groups,
        hasSecurityGroups: eni.securityGroupIds.length > 0,
        router: side.router,
        dns: side.dns,
        bounds,
        subnetCidrs: side.subnetCidrs,
      };
      this.policies.set(key, p);
    }
    return p;
  }

  private subnetSide(subnetId: string, vpcId: string): SubnetSide {
    let s = this.subnets.get(subnetId);
    if (!s) {
      const subnet = this.model.subnets.get(subnetId);
      const acl = subnet?.networkAclId ? this.model.networkAcls.get(subnet.networkAclId) : undefined;
      const ports = acl ? naclPortBoundaries(acl) : [];
      const vpcCidr = this.model.vpcs.get(vpcId)?.cidrs[0];
      s = {
        subnet,
        acl,
        router: subnet?.cidr ? offsetAddress(subnet.cidr, 1) : undefined,
        dns: vpcCidr ? offsetAddress(vpcCidr, 2) : undefined,
        subnetCidrs: subnet ? (subnet.cidr ? [subnet.cidr, ...subnet.ipv6Cidrs] : subnet.ipv6Cidrs) : [],
        ports,
      };
      this.subnets.set(subnetId, s);
    }
    return s;
  }

  private groupSet(key: string, ids: readonly string[]): { readonly groups: readonly SecurityGroup[]; readonly ports: readonly number[] } {
    let g = this.groupSets.get(key);
    if (!g) {
      const groups = ids.flatMap((id) => this.model.securityGroups.get(id) ?? []);
      const ports: number[] = [];
      for (const group of groups) groupPortBoundaries(group, ports);
      g = { groups, ports };
      this.groupSets.set(key, g);
    }
    return g;
  }
}

function buildContext(model: NetworkModel, eni: NetworkInterface, policies: PolicyCache): EniContext {
  const policy = policies.policy(eni);
  const own = eni.privateAddresses.map((a) => a.ip);
  if (eni.ipv6Addresses.length) own.push(...eni.ipv6Addresses);
  // One literal (a single object shape) rather than a spread of the policy: built once per interface.
  return {
    eni,
    subnet: policy.subnet,
    acl: policy.acl,
    groups: policy.groups,
    hasSecurityGroups: policy.hasSecurityGroups,
    own,
    subnetCidrs: policy.subnetCidrs,
    router: policy.router,
    dns: policy.dns,
    bounds: policy.bounds,
    label: ownerLabel(model, eni),
  };
}

/** What an interface belongs to, in words. */
export function ownerLabel(model: NetworkModel, eni: NetworkInterface): string {
  const o = eni.owner;
  switch (o.kind) {
    case 'instance': {
      const name = model.instances.get(o.id)?.name;
      return `instance ${o.id}${name ? ` (${name})` : ''}`;
    }
    case 'nat-gateway':
      return `NAT gateway ${o.id}`;
    case 'vpc-endpoint':
      return `VPC endpoint ${o.id}`;
    case 'load-balancer':
      return `${o.lbType} load balancer ${model.loadBalancers.get(o.id)?.loadBalancerName ?? o.id}`;
    case 'transit-gateway-attachment':
      return `transit gateway attachment ${o.id}`;
    case 'lambda':
      return `Lambda ${o.id}`;
    case 'rds':
      return `RDS ${o.id}`;
    case 'aws-service':
      return `AWS service (${o.id})`;
    case 'unattached':
      return 'unattached';
  }
}

function decidingCheck(r: Reading): RuleCheck | undefined {
  const deny = r.checks.find((c) => !c.allowed) ?? (!r.possible ? r.requestChecks.find((c) => !c.allowed) : undefined);
  if (deny) return deny;
  return r.checks.find((c) => c.component.type === 'security-group') ?? r.requestChecks.find((c) => c.component.type === 'security-group') ?? r.checks[0];
}

/** "ICMP", "tcp 3389", "udp 53", "protocol 47", "any protocol". */
function packetWhat(p: Packet, requestSide = false): string {
  if (p.protocol === 1) return 'ICMP';
  if (p.protocol === 58) return 'ICMPv6';
  if (p.protocol === -1) return 'traffic of any protocol';
  if (p.protocol === 6 || p.protocol === 17) return `${protocolName(p.protocol)}${p.dstPort !== undefined ? ` ${p.dstPort}` : requestSide ? '' : ''}`;
  return `protocol ${p.protocol}`;
}

const ruleTexts = new WeakMap<SecurityGroupRule, string>();
function sgRuleText(rule: SecurityGroupRule): string {
  let t = ruleTexts.get(rule);
  if (t === undefined) {
    t = describeSecurityGroupRule(rule);
    ruleTexts.set(rule, t);
  }
  return t;
}

const naclTexts = new WeakMap<NetworkAclEntry, string>();
function naclEntryText(e: NetworkAclEntry | undefined, p: Packet, dir: 'ingress' | 'egress'): string {
  if (!e) return naclEntryWords(e, p, dir);
  // An entry's text depends only on the entry (its direction is the entry's own).
  let t = naclTexts.get(e);
  if (t === undefined) {
    t = naclEntryWords(e, p, dir);
    naclTexts.set(e, t);
  }
  return t;
}

function naclEntryWords(e: NetworkAclEntry | undefined, p: Packet, dir: 'ingress' | 'egress'): string {
  const way = dir === 'ingress' ? 'in' : 'out';
  if (!e) return `rule * denies it (no rule matches ${packetWhat(p)} ${dir === 'ingress' ? `from ${p.srcIp}` : `to ${p.dstIp}`})`;
  const num = e.ruleNumber >= 32767 ? '*' : String(e.ruleNumber);
  let what: string;
  if (e.protocol === -1) what = 'all traffic';
  else if (e.protocol === 6 || e.protocol === 17)
    what = `${protocolName(e.protocol)} ${e.portRange ? (e.portRange.from === e.portRange.to ? e.portRange.from : `${e.portRange.from}-${e.portRange.to}`) : 'all ports'}`;
  else if (e.protocol === 1 || e.protocol === 58) what = `${protocolName(e.protocol)}${e.icmp && e.icmp.type !== -1 ? ` type ${e.icmp.type}` : ''}`;
  else what = `protocol ${e.protocol}`;
  return `rule ${num} ${e.action === 'allow' ? 'allows' : 'denies'} ${what} ${way} (${dir === 'ingress' ? 'from' : 'to'} ${e.cidr})`;
}

function checkText(c: RuleCheck, ctx: EniContext): string {
  if (c.component.type === 'network-acl') return `network ACL ${c.component.id} ${c.rule}`;
  if (c.allowed) return `security group ${c.component.id}${c.component.name ? ` (${c.component.name})` : ''} rule ${c.rule}`;
  const names = ctx.groups.length ? ctx.groups.map((g) => `${g.id} (${g.groupName})`).join(', ') : ctx.eni.securityGroupIds.join(', ');
  return `security group${ctx.groups.length > 1 ? 's' : ''} ${names} ha${ctx.groups.length > 1 ? 've' : 's'} ${c.rule}`;
}

/** A RecordView over a plain record (used by `addRecord`); values hold no spaces. */
function recordToView(r: FlowLogRecord, fields: readonly string[]): RecordView {
  const v = new RecordView();
  v.format = compileFormat(fields);
  v.text = fields.map((k) => r[k] ?? '-').join(' ');
  let p = 0;
  for (let i = 0; i < fields.length; i++) {
    const q = v.text.indexOf(' ', p);
    const e = q === -1 ? v.text.length : q;
    v.starts[i] = p;
    v.ends[i] = e;
    p = e + 1;
  }
  return v;
}

/** Explains records, grouped by distinct flow, with counts (`counts[i]` = weight of `records[i]`). */
export function explainFlowLogRecords(model: NetworkModel, records: Iterable<FlowLogRecord>, counts?: readonly number[]): FlowExplanation[] {
  const x = new FlowLogExplainer(model);
  let i = 0;
  for (const r of records) x.addRecord(r, counts?.[i++] ?? 1);
  return x.results();
}

/** Distinct flows by verdict and action, for summaries. */
export function summarizeExplanations(flows: readonly FlowExplanation[]): Record<string, { flows: number; records: number }> {
  const out: Record<string, { flows: number; records: number }> = {};
  for (const f of flows) {
    const k = f.verdict;
    const s = (out[k] ??= { flows: 0, records: 0 });
    s.flows++;
    s.records += f.count;
  }
  return out;
}

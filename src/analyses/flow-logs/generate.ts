/**
 * The flow log records AWS would write for traced traffic (shared/docs/vpc-flow-logs.md §2; aws-vpc-semantics
 * §12), read off a `trace` result:
 *
 * - one record per network interface and direction the traffic crosses: the sender's egress, the
 *   receiver's ingress, and both sides of interfaces that forward it (NAT gateways, load-balancer nodes,
 *   appliances, Gateway Load Balancer endpoints); transit gateway attachment interfaces log only their
 *   VPC side (egress into the VPC on the way in, ingress on the way out: AWS EX-15/EX-16);
 * - a drop is logged as REJECT on the interface where it happens and nothing is logged beyond it: a
 *   security-group drop of the request shows ACCEPT on the sender's egress and REJECT on the receiver's
 *   ingress (or REJECT on the sender's egress for its own outbound rules); an inbound NACL drop is a REJECT
 *   on the interface the packet was entering; a NACL drop of the reply gives ACCEPT for the request and
 *   REJECT for the reply (AWS EX-05). Routing failures drop after the interface: its egress is ACCEPT;
 * - addresses: on its own side an interface shows its primary private IPv4 (srcaddr on egress, dstaddr on
 *   ingress); pkt-srcaddr/pkt-dstaddr carry the packet's addresses (NAT gateway EX-10..13, transit
 *   gateway EX-14..16);
 * - no records for traffic AWS does not log: instance metadata, Amazon DNS (the VPC's +2 address and
 *   169.254.169.253), time sync, license activation, DHCP, the VPC router's reserved address, and the
 *   hand-off between an interface endpoint and a Network Load Balancer inside PrivateLink.
 *
 * Each interface's records use the format of every flow log covering it (its own, its subnet's, its
 * VPC's; filtered by the flow log's traffic type); an interface no flow log covers gets the default
 * version-2 format. `options.format` replaces all of that with one record per crossing in that format.
 */
import type { NetworkModel } from '../../model/network.js';
import type { FlowLogConfig, NetworkInterface } from '../../model/types.js';
import { anyCidrContains, isPrivateAddress, parseIpCached } from '../../model/addresses.js';
import { interfaceWithAddress } from '../../engine/model-context.js';
import type { Packet } from '../../engine/packet.js';
import type { Hop, TraceResult } from '../../engine/trace-types.js';
import { DEFAULT_FORMAT, formatVersion, parseFormat } from './fields.js';
import type { FlowLogRecord } from './reader.js';

export interface GenerateOptions {
  /** `${field} …`: one record per crossing in this format, for every interface, whatever the snapshot's flow logs. */
  readonly format?: string;
  /** Unix seconds of the records' `start` (default 1700000000). */
  readonly start?: number;
  /** Packets and bytes per record (default: a small plausible exchange per protocol). */
  readonly packets?: number;
  readonly bytes?: number;
}

export interface GeneratedRecord {
  /** The flow log that writes it; undefined when no flow log covers the interface (or `options.format`). */
  readonly flowLogId?: string;
  readonly format: string;
  readonly record: FlowLogRecord;
  /** The record as AWS writes it: values in format order, `-` for missing. */
  readonly line: string;
  readonly interfaceId: string;
  readonly direction: 'ingress' | 'egress';
  readonly action: 'ACCEPT' | 'REJECT';
  /** The request (the traced packet) or its reply. */
  readonly leg: 'request' | 'reply';
}

export interface GeneratedRecords {
  readonly records: readonly GeneratedRecord[];
  /** Traffic that leaves no record and why; interfaces no flow log covers. */
  readonly notes: readonly string[];
}

interface Observation {
  readonly eni: NetworkInterface;
  readonly direction: 'ingress' | 'egress';
  /** The packet as it crosses the interface (real addresses). */
  readonly packet: Packet;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly leg: 'request' | 'reply';
  readonly trafficPath?: string;
  nextHop?: NetworkInterface;
}

interface Walked {
  readonly observations: Observation[];
  /** True when the packet was dropped (no reply exists). */
  readonly dropped: boolean;
  readonly notLogged?: string;
}

const DROPS = new Set(['deny', 'drop', 'no-route', 'blackhole']);

/** Instance families on the Xen hypervisor: their traffic-path codes are 2 (not 7/8). Every other type is Nitro. */
const XEN_FAMILIES = /^(t1|t2|m1|m2|m3|m4|c1|c3|c4|r3|r4|i2|i3|d2|x1|x1e|g2|g3|g3s|p2|p3|f1|h1|cc2|cr1|hs1)\./;

function sgDirection(h: Hop, pendingEniId: string | undefined): 'ingress' | 'egress' {
  const t = `${h.rule ?? ''} ${h.note ?? ''}`;
  const m = /\b(ingress|egress) rule/.exec(t);
  if (m) return m[1] as 'ingress' | 'egress';
  return h.networkInterfaceId === pendingEniId ? 'egress' : 'ingress';
}

function aclDirection(h: Hop): 'inbound' | 'outbound' | undefined {
  return /^(inbound|outbound)\b/.exec(h.rule ?? '')?.[1] as 'inbound' | 'outbound' | undefined;
}

class Walker {
  private readonly tgwEnis = new Map<string, NetworkInterface>();

  constructor(private readonly model: NetworkModel) {
    for (const e of model.networkInterfaces.values()) if (e.owner.kind === 'transit-gateway-attachment') this.tgwEnis.set(`${e.owner.id}/${e.subnetId}`, e);
  }

  private eni(id: string | undefined): NetworkInterface | undefined {
    return id ? this.model.networkInterfaces.get(id) : undefined;
  }

  private nitro(eni: NetworkInterface): boolean {
    if (eni.owner.kind !== 'instance') return true;
    const type = this.model.instances.get(eni.owner.id)?.instanceType;
    return !type || !XEN_FAMILIES.test(type);
  }

  /** traffic-path of an accepted egress: what the packet meets after leaving the interface (vpc-flow-logs.md §1.3). */
  private trafficPath(eni: NetworkInterface, hops: readonly Hop[], from: number): string | undefined {
    for (let j = from + 1; j < hops.length; j++) {
      const h = hops[j] as Hop;
      const t = h.component.type;
      if (t === 'internet-gateway') return this.nitro(eni) ? '8' : '2';
      if (t === 'vpc-endpoint' && /^gateway endpoint/.test(h.rule ?? '')) return this.nitro(eni) ? '7' : '2';
      if (t === 'vpn-gateway' || t === 'vpn-connection') return '3';
      if (t === 'vpc-peering-connection') {
        const pcx = this.model.peeringConnections.get(h.component.id);
        const r1 = pcx?.requester.region ?? pcx?.region;
        const r2 = pcx?.accepter.region ?? pcx?.region;
        return r1 && r2 && r1 !== r2 ? '5' : '4';
      }
      if (t === 'route-table' && /-> lgw-/.test(h.rule ?? '')) return '6';
      if (t === 'network-interface' || t === 'nat-gateway' || t === 'load-balancer' || t === 'transit-gateway-attachment' || t === 'vpc-endpoint' || t === 'subnet') return '1';
      if (t === 'security-group' && h.networkInterfaceId && h.networkInterfaceId !== eni.id) return '1';
      if (t === 'egress-only-internet-gateway' || t === 'link-local-service') return undefined;
    }
    return undefined;
  }

  /** The interface a packet dropped at an inbound NACL was entering. */
  private receiverAfter(hops: readonly Hop[], from: number, subnetId: string | undefined): NetworkInterface | undefined {
    for (let j = from + 1; j < hops.length; j++) {
      const h = hops[j] as Hop;
      const c = h.component;
      if (c.type === 'security-group' && h.networkInterfaceId) return this.eni(h.networkInterfaceId);
      if (c.type === 'network-interface') return this.eni(c.id);
      if (c.type === 'nat-gateway') return this.natEni(c.id);
      if (c.type === 'load-balancer' && h.networkInterfaceId) return this.eni(h.networkInterfaceId);
      if (c.type === 'vpc-endpoint') return this.endpointEni(c.id, subnetId);
      if (c.type === 'transit-gateway-attachment' && subnetId) return this.tgwEnis.get(`${c.id}/${subnetId}`);
    }
    const last = hops[from];
    const vpc = subnetId ? this.model.subnets.get(subnetId)?.vpcId : undefined;
    return last && vpc ? interfaceWithAddress(this.model, vpc, last.packet.dstIp) : undefined;
  }

  private natEni(natId: string): NetworkInterface | undefined {
    const nat = this.model.natGateways.get(natId);
    const a = nat?.addresses.find((x) => x.primary) ?? nat?.addresses[0];
    return this.eni(a?.networkInterfaceId);
  }

  private endpointEni(endpointId: string, subnetId?: string): NetworkInterface | undefined {
    const ep = this.model.vpcEndpoints.get(endpointId);
    const enis = (ep?.networkInterfaceIds ?? []).flatMap((id) => this.eni(id) ?? []);
    return enis.find((e) => e.subnetId === subnetId) ?? enis[0];
  }

  /** Interfaces one direction of the trace crosses, with the action AWS would log on each. */
  walk(hops: readonly Hop[], leg: 'request' | 'reply'): Walked {
    const out: Observation[] = [];
    let pending: { eni: NetworkInterface; packet: Packet; at: number } | undefined;
    const seen = new Set<string>();
    const flush = (action: 'ACCEPT' | 'REJECT' = 'ACCEPT'): void => {
      if (!pending) return;
      const path = action === 'ACCEPT' ? this.trafficPath(pending.eni, hops, pending.at) : undefined;
      out.push({ eni: pending.eni, direction: 'egress', packet: pending.packet, action, leg, ...(path ? { trafficPath: path } : {}) });
      pending = undefined;
    };
    const ingress = (eni: NetworkInterface | undefined, packet: Packet, action: 'ACCEPT' | 'REJECT' = 'ACCEPT'): void => {
      if (!eni) return;
      const k = `${eni.id}|${packet.srcIp}|${packet.dstIp}|${packet.protocol}`;
      if (seen.has(k)) return;
      seen.add(k);
      out.push({ eni, direction: 'ingress', packet, action, leg });
    };
    const before = (i: number): Packet => ((hops[i - 1] as Hop | undefined) ?? (hops[i] as Hop)).packet;
    let lastIngress: NetworkInterface | undefined;
    const done = (dropped: boolean): Walked => ({ observations: out, dropped });
    for (let i = 0; i < hops.length; i++) {
      const h = hops[i] as Hop;
      const c = h.component;
      const dropped = DROPS.has(h.action);
      switch (c.type) {
        case 'link-local-service':
          return { observations: [], dropped: false, notLogged: `traffic to ${c.id} (a link-local service or the Amazon DNS server) is never logged` };
        case 'network-interface': {
          const eni = this.eni(c.id);
          if (!eni) break;
          if (h.action === 'send') {
            flush();
            pending = { eni, packet: h.packet, at: i };
          } else if (h.action === 'deliver') {
            flush();
            ingress(eni, h.packet);
          } else if (h.action === 'forward' && /^GENEVE /.test(h.note ?? '')) {
            // An appliance behind a Gateway Load Balancer returns the GENEVE packet to the load-balancer node.
            const m = /^GENEVE (\S+) -> (\S+):(\d+)/.exec(h.note ?? '');
            const node = m ? this.addressEni(m[1] as string, eni.vpcId) : undefined;
            if (m) {
              const back: Packet = { family: 4, srcIp: m[2] as string, dstIp: m[1] as string, protocol: 17, srcPort: Number(m[3]), dstPort: Number(m[3]) };
              out.push({ eni, direction: 'egress', packet: back, action: 'ACCEPT', leg, trafficPath: '1' });
              if (node) out.push({ eni: node, direction: 'ingress', packet: back, action: 'ACCEPT', leg });
            }
          } else if (h.action === 'forward' || h.action === 'translate') {
            flush();
            ingress(eni, h.action === 'translate' ? before(i) : h.packet);
            lastIngress = eni;
            // An interface endpoint hands the packet to PrivateLink or the AWS service: that is not logged.
            pending = eni.interfaceType === 'vpc-endpoint' ? undefined : { eni, packet: h.packet, at: i };
          } else if (dropped) {
            flush();
            return done(true);
          }
          break;
        }
        case 'security-group': {
          const eni = this.eni(h.networkInterfaceId);
          if (!eni) break;
          const dir = sgDirection(h, pending?.eni.id);
          if (dir === 'egress') {
            if (pending?.eni.id !== eni.id) {
              flush();
              pending = { eni, packet: h.packet, at: i };
            }
            if (dropped) {
              flush('REJECT');
              return done(true);
            }
          } else {
            flush();
            ingress(eni, h.packet, dropped ? 'REJECT' : 'ACCEPT');
            lastIngress = eni;
            if (dropped) return done(true);
          }
          break;
        }
        case 'network-acl': {
          if (!dropped) break;
          const dir = aclDirection(h) ?? (pending && pending.eni.subnetId === h.subnetId ? 'outbound' : 'inbound');
          if (dir === 'outbound') {
            if (!pending && lastIngress && lastIngress.subnetId === h.subnetId) pending = { eni: lastIngress, packet: h.packet, at: i };
            flush('REJECT');
          } else {
            flush();
            ingress(this.receiverAfter(hops, i, h.subnetId), h.packet, 'REJECT');
          }
          return done(true);
        }
        case 'nat-gateway': {
          const natEni = this.natEni(c.id);
          flush();
          if (h.action === 'translate' && natEni) {
            ingress(natEni, before(i));
            pending = { eni: natEni, packet: h.packet, at: i };
          } else if (dropped) {
            ingress(natEni, h.packet);
            return done(true);
          }
          break;
        }
        case 'load-balancer': {
          if (h.action === 'translate' && h.networkInterfaceId) {
            const node = this.eni(h.networkInterfaceId);
            const note = h.note ?? '';
            if (/PrivateLink hand-off from the endpoint/.test(note)) {
              // The endpoint → NLB hand-off is not logged; the NLB's connection to the target is.
              pending = node ? { eni: node, packet: h.packet, at: i } : undefined;
            } else if (/PrivateLink hand-off to the endpoint/.test(note)) {
              flush();
              ingress(node, before(i));
              pending = undefined;
            } else {
              flush();
              ingress(node, before(i));
              if (node) pending = { eni: node, packet: h.packet, at: i };
            }
          } else if (h.action === 'forward' && /^GENEVE to appliance/.test(h.rule ?? '')) {
            // GWLB node → appliance: GENEVE (udp 6081) between the node and the appliance; the next
            // security-group hop carries that packet.
            const sg = hops.slice(i + 1).find((x) => x.component.type === 'security-group' && x.networkInterfaceId);
            const node = sg ? this.addressEni(sg.packet.srcIp) : undefined;
            flush();
            if (node && sg) pending = { eni: node, packet: sg.packet, at: i };
          } else if (dropped) {
            flush();
            return done(true);
          }
          break;
        }
        case 'vpc-endpoint': {
          const rule = h.rule ?? '';
          if (/^Gateway Load Balancer endpoint/.test(rule)) {
            flush();
            const eni = this.endpointEni(c.id);
            ingress(eni, h.packet);
            lastIngress = eni;
          } else if (/^back from the Gateway Load Balancer/.test(rule)) {
            const eni = this.endpointEni(c.id);
            if (eni) pending = { eni, packet: h.packet, at: i };
          } else if (/PrivateLink carries the reply back/.test(rule)) {
            // The endpoint interface sends the reply to the client: its egress is logged.
            const sg = hops.slice(i + 1).find((x) => x.component.type === 'security-group' && x.networkInterfaceId);
            const eni = this.eni(sg?.networkInterfaceId) ?? this.endpointEni(c.id);
            if (eni) pending = { eni, packet: h.packet, at: i };
          } else if (dropped) {
            flush();
            return done(true);
          }
          break;
        }
        case 'transit-gateway-attachment': {
          const into = /^into (vpc-\S+) via (subnet-\S+)/.exec(h.rule ?? '');
          const from = /^into tgw-\S+ from vpc-\S+ via (subnet-\S+)/.exec(h.rule ?? '');
          if (into) {
            flush();
            const eni = this.tgwEnis.get(`${c.id}/${into[2]}`);
            if (eni) pending = { eni, packet: h.packet, at: i };
          } else if (from) {
            flush();
            ingress(this.tgwEnis.get(`${c.id}/${from[1]}`), h.packet);
          } else if (dropped) {
            flush();
            return done(true);
          }
          break;
        }
        default:
          if (dropped) {
            flush();
            return done(true);
          }
      }
    }
    flush();
    return done(false);
  }

  private addressEni(ip: string, vpcId?: string): NetworkInterface | undefined {
    for (const h of this.model.addressHolders(ip)) if (h.scope !== 'public' && (!vpcId || h.vpcId === vpcId)) return this.eni(h.networkInterfaceId);
    return undefined;
  }
}

/** Flow logs that cover an interface (its own, its subnet's, its VPC's), active ones only. */
export function flowLogsCovering(model: NetworkModel, eni: NetworkInterface): FlowLogConfig[] {
  const ids = new Set([eni.id, eni.subnetId, eni.vpcId]);
  return [...model.flowLogs.values()].filter((f) => ids.has(f.resourceId) && (f.status === undefined || f.status.toUpperCase() === 'ACTIVE'));
}

/** The format of the first flow log covering an interface, else the default format. */
export function formatFor(model: NetworkModel, eni: NetworkInterface): string {
  return flowLogsCovering(model, eni)[0]?.logFormat ?? DEFAULT_FORMAT;
}

function primaryIp(eni: NetworkInterface): string | undefined {
  return eni.privateAddresses.find((a) => a.primary)?.ip ?? eni.privateAddresses[0]?.ip;
}

const INTERFACE_TYPES = new Set(['nat_gateway', 'network_load_balancer', 'transit_gateway', 'vpc_endpoint', 'gateway_load_balancer', 'gateway_load_balancer_endpoint']);

/** Sublocation of a zone name: Local Zones (`us-west-2-lax-1a`), Wavelength (`us-east-1-wl1-bos-wlz-1`). */
function sublocation(zone: string | undefined): 'localzone' | 'wavelength' | undefined {
  if (!zone) return undefined;
  if (/-wl\d+-/.test(zone)) return 'wavelength';
  if (/^[a-z]{2}-[a-z]+-\d-[a-z]{3}-\d[a-z]$/.test(zone)) return 'localzone';
  return undefined;
}

class RecordWriter {
  private readonly services: { readonly cidrs: readonly string[]; readonly name: string }[] = [];

  constructor(private readonly model: NetworkModel) {
    // AWS-managed prefix lists name the public ranges of S3 and DynamoDB (pkt-*-aws-service).
    for (const pl of model.prefixLists.values()) {
      const m = /^com\.amazonaws\.[a-z0-9-]+\.(s3|dynamodb)$/.exec(pl.prefixListName);
      if (m) this.services.push({ cidrs: pl.cidrs, name: (m[1] as string).toUpperCase() });
    }
  }

  private awsService(ip: string): string | undefined {
    const a = parseIpCached(ip);
    if (!a || isPrivateAddress(a)) return undefined;
    return this.services.find((s) => anyCidrContains(s.cidrs, ip))?.name;
  }

  values(o: Observation, version: number, timing: { start: number; end: number }, volume: { packets: number; bytes: number }): Record<string, string | undefined> {
    const p = o.packet;
    const eni = o.eni;
    const own = primaryIp(eni);
    const ports = p.protocol === 6 || p.protocol === 17;
    const subnet = this.model.subnets.get(eni.subnetId);
    const sub = sublocation(subnet?.availabilityZone ?? eni.availabilityZone);
    const zoneId = eni.availabilityZoneId ?? this.model.subnetZoneId(eni.subnetId);
    const next = o.nextHop;
    const typeOf = (e: NetworkInterface) => (INTERFACE_TYPES.has(e.interfaceTypeRaw) ? e.interfaceTypeRaw : undefined);
    return {
      version: String(version),
      'account-id': eni.account,
      'interface-id': eni.id,
      // The interface's own side is its primary private IPv4 (fields srcaddr/dstaddr; §2.2).
      srcaddr: o.direction === 'egress' && p.family === 4 && own ? own : p.srcIp,
      dstaddr: o.direction === 'ingress' && p.family === 4 && own ? own : p.dstIp,
      srcport: ports ? String(p.srcPort ?? 0) : '0',
      dstport: ports ? String(p.dstPort ?? 0) : '0',
      protocol: String(p.protocol),
      packets: String(volume.packets),
      bytes: String(volume.bytes),
      start: String(timing.start),
      end: String(timing.end),
      action: o.action,
      'log-status': 'OK',
      'vpc-id': eni.vpcId,
      'subnet-id': eni.subnetId,
      'instance-id': eni.owner.kind === 'instance' ? eni.owner.id : undefined,
      // SYN opens (2), SYN-ACK answers (18); ACK alone is 0. Non-TCP: 0 (unverified against AWS, §1.3).
      'tcp-flags': p.protocol === 6 ? (o.leg === 'request' ? '2' : '18') : '0',
      type: eni.interfaceType === 'efa' ? 'EFA' : p.family === 4 ? 'IPv4' : 'IPv6',
      'pkt-srcaddr': p.srcIp,
      'pkt-dstaddr': p.dstIp,
      region: eni.region,
      'az-id': sub ? undefined : zoneId,
      'sublocation-type': sub,
      'sublocation-id': sub ? zoneId : undefined,
      'pkt-src-aws-service': this.awsService(p.srcIp),
      'pkt-dst-aws-service': this.awsService(p.dstIp),
      'flow-direction': o.direction,
      'traffic-path': o.direction === 'egress' ? o.trafficPath : undefined,
      'interface-type': typeOf(eni),
      'next-hop-interface-id': next?.id,
      'next-hop-subnet-id': next?.subnetId,
      'next-hop-az-id': next ? (next.availabilityZoneId ?? this.model.subnetZoneId(next.subnetId)) : undefined,
      'next-hop-vpc-id': next?.vpcId,
      'next-hop-interface-type': next ? typeOf(next) : undefined,
    };
  }
}

function volumeOf(o: Observation, answered: boolean, options: GenerateOptions): { packets: number; bytes: number } {
  const p = o.packet;
  let packets: number;
  let size: number;
  if (p.protocol === 6) {
    // A refused SYN is retried; an answered connection exchanges a few segments each way.
    packets = !answered && o.leg === 'request' ? 3 : o.leg === 'request' ? 5 : 4;
    size = o.leg === 'request' ? 76 : 130;
  } else if (p.protocol === 1 || p.protocol === 58) {
    packets = 1;
    size = p.family === 4 ? 84 : 104;
  } else {
    packets = 1;
    size = 76;
  }
  const n = options.packets ?? packets;
  return { packets: n, bytes: options.bytes ?? n * size };
}

/** Records AWS would write for a traced flow, in the order the traffic crosses the interfaces. */
export function flowLogRecordsForTrace(model: NetworkModel, result: TraceResult, options: GenerateOptions = {}): GeneratedRecords {
  const walker = new Walker(model);
  const notes: string[] = [];
  const forward = walker.walk(result.forwardPath, 'request');
  if (forward.notLogged) return { records: [], notes: [forward.notLogged] };
  const q = result.query.packet;
  if (q.protocol === 17 && (q.dstPort === 67 || q.dstPort === 68)) return { records: [], notes: ['DHCP traffic is never logged'] };
  const router = routerAddress(model, q.dstIp);
  if (router) return { records: [], notes: [`traffic to the reserved address of the VPC router (${router}) is never logged`] };
  const reply = forward.dropped || result.returnPath.length === 0 ? undefined : walker.walk(result.returnPath, 'reply');
  if (reply?.notLogged) notes.push(reply.notLogged);
  const observations = mergeSameFlow([...forward.observations, ...(reply?.observations ?? [])]);
  // next-hop: for egress the interface that receives the packet next, for ingress the one that sent it.
  for (const list of [forward.observations, reply?.observations ?? []])
    list.forEach((o, i) => {
      const other = o.direction === 'egress' ? list.slice(i + 1).find((x) => x.direction === 'ingress') : [...list.slice(0, i)].reverse().find((x) => x.direction === 'egress');
      if (other && other.eni.vpcId === o.eni.vpcId && other.eni.id !== o.eni.id) o.nextHop = other.eni;
    });
  const answered = !!reply && reply.observations.length > 0;
  const writer = new RecordWriter(model);
  const t0 = options.start ?? 1_700_000_000;
  const records: GeneratedRecord[] = [];
  const uncovered = new Set<string>();
  for (const o of observations) {
    const targets: { id?: string; format: string }[] = [];
    if (options.format !== undefined) targets.push({ format: options.format });
    else {
      const logs = flowLogsCovering(model, o.eni);
      if (logs.length === 0) {
        uncovered.add(o.eni.id);
        targets.push({ format: DEFAULT_FORMAT });
      }
      for (const fl of logs) {
        const t = fl.trafficType.toUpperCase();
        if (t === 'ALL' || t === o.action) targets.push({ id: fl.id, format: fl.logFormat ?? DEFAULT_FORMAT });
      }
    }
    const timing = { start: t0 + (o.leg === 'reply' ? 1 : 0), end: t0 + 4 };
    const volume = volumeOf(o, answered, options);
    for (const t of targets) {
      const fields = parseFormat(t.format) ?? [];
      const values = writer.values(o, formatVersion(fields), timing, volume);
      const record = Object.fromEntries(fields.map((f) => [f, values[f]])) as FlowLogRecord;
      records.push({
        ...(t.id ? { flowLogId: t.id } : {}),
        format: t.format,
        record,
        line: formatFlowLogRecord(t.format, record),
        interfaceId: o.eni.id,
        direction: o.direction,
        action: o.action,
        leg: o.leg,
      });
    }
  }
  if (uncovered.size) notes.push(`no flow log in the snapshot covers ${[...uncovered].join(', ')}: their records use the default format (AWS would write none)`);
  return { records, notes };
}

/**
 * One record per interface, direction, 5-tuple and action in an aggregation interval: crossings that
 * repeat a flow (GENEVE between a Gateway Load Balancer and its appliance carries both directions of the
 * inspected traffic on udp 6081↔6081) fold into the first one.
 */
function mergeSameFlow(list: readonly Observation[]): Observation[] {
  const seen = new Set<string>();
  return list.filter((o) => {
    const p = o.packet;
    const k = `${o.eni.id}|${o.direction}|${p.srcIp}|${p.dstIp}|${p.protocol}|${p.srcPort ?? ''}|${p.dstPort ?? ''}|${o.action}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function routerAddress(model: NetworkModel, ip: string): string | undefined {
  const a = parseIpCached(ip);
  if (!a || a.family !== 4) return undefined;
  for (const s of model.subnets.values()) {
    if (!s.cidr) continue;
    const base = s.cidr.split('/')[0] as string;
    const parts = base.split('.').map(Number);
    const v = (((parts[0] ?? 0) << 24) >>> 0) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0) + 1;
    const router = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
    if (router === ip) return ip;
  }
  return undefined;
}

/** A record as AWS writes it: the values of `format`'s fields in order, `-` for missing. */
export function formatFlowLogRecord(format: string, record: FlowLogRecord): string {
  return (parseFormat(format) ?? []).map((f) => record[f] ?? '-').join(' ');
}

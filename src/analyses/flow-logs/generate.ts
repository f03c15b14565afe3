/**
 * The flow log records AWS would write for a traced flow (shared/docs/vpc-flow-logs.md; aws-vpc-semantics
 * §12 "Record semantics needed to write records"):
 *
 * - one record per network interface and direction the traffic crosses: the sender's egress, the
 *   receiver's ingress, and both sides of forwarding interfaces (NAT gateways, appliances);
 * - a drop is logged as REJECT on the interface where it happens (security group or the subnet's network
 *   ACL), and nothing is logged beyond it: a security-group drop of a request shows only on the dropping
 *   interface; a NACL drop of the reply shows ACCEPT for the request and REJECT for the reply;
 * - `srcaddr`/`dstaddr` carry the interface's primary private IPv4 on its own side, `pkt-srcaddr` /
 *   `pkt-dstaddr` the packet's real addresses;
 * - traffic AWS does not log produces no record: link-local services (Amazon DNS, instance metadata, time
 *   sync), and interface-endpoint ↔ load-balancer hand-offs inside PrivateLink.
 */
import type { NetworkModel } from '../../model/network.js';
import type { NetworkInterface } from '../../model/types.js';
import type { Packet } from '../../engine/packet.js';
import type { Hop, TraceResult } from '../../engine/trace-types.js';
import { DEFAULT_FORMAT, formatVersion, parseFormat } from './fields.js';
import type { FlowLogRecord } from './reader.js';

export interface GenerateOptions {
  /** `${field} …` format; default: the interface's configured flow log format, else the default v2 format. */
  readonly format?: string;
  /** Unix seconds of the first record's `start`. */
  readonly start?: number;
}

interface Observation {
  readonly eni: NetworkInterface;
  readonly direction: 'ingress' | 'egress';
  readonly packet: Packet;
  readonly action: 'ACCEPT' | 'REJECT';
}

/** The flow log format covering an interface: its own, its subnet's, its VPC's, else the default. */
export function formatFor(model: NetworkModel, eni: NetworkInterface): string {
  for (const id of [eni.id, eni.subnetId, eni.vpcId])
    for (const fl of model.flowLogs.values()) if (fl.resourceId === id) return fl.logFormat ?? DEFAULT_FORMAT;
  return DEFAULT_FORMAT;
}

const DROPS = new Set(['deny', 'drop', 'no-route', 'blackhole']);

/** Interfaces a direction of the trace crosses, with the action AWS would log on each. */
function observe(model: NetworkModel, hops: readonly Hop[]): Observation[] {
  const out: Observation[] = [];
  let sender: NetworkInterface | undefined;
  let senderPacket: Packet | undefined;
  let senderLogged = false;
  const eniOf = (id: string) => model.networkInterfaces.get(id);
  const logSender = (action: 'ACCEPT' | 'REJECT') => {
    if (sender && senderPacket && !senderLogged) out.push({ eni: sender, direction: 'egress', packet: senderPacket, action });
    senderLogged = true;
  };
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i] as Hop;
    const c = h.component;
    if (c.type === 'link-local-service') return []; // never logged (vpc-flow-logs.md; aws-vpc-semantics §11)
    if (c.type === 'network-interface' && h.action === 'send') {
      sender = eniOf(c.id);
      senderPacket = h.packet;
      senderLogged = false;
      continue;
    }
    if (DROPS.has(h.action)) {
      // Who dropped it: a security group names its interface; a NACL its subnet (logged on the interface on that side).
      if (c.type === 'security-group' && h.networkInterfaceId) {
        const eni = eniOf(h.networkInterfaceId);
        if (eni && eni.id === sender?.id && !senderLogged) logSender('REJECT');
        else if (eni) {
          logSender('ACCEPT');
          out.push({ eni, direction: 'ingress', packet: h.packet, action: 'REJECT' });
        }
      } else if (c.type === 'network-acl' && h.subnetId) {
        if (sender && sender.subnetId === h.subnetId && !senderLogged) logSender('REJECT');
        else {
          logSender('ACCEPT');
          const receiver = nextReceiver(model, hops, i);
          if (receiver) out.push({ eni: receiver, direction: 'ingress', packet: h.packet, action: 'REJECT' });
        }
      } else if (!senderLogged) logSender('ACCEPT');
      return out;
    }
    if (c.type === 'network-interface' && (h.action === 'deliver' || h.action === 'forward' || h.action === 'translate')) {
      const eni = eniOf(c.id);
      if (!eni) continue;
      logSender('ACCEPT');
      // Interface endpoints hand traffic to the provider's NLB: that hand-off is not logged; the endpoint's own ingress is.
      out.push({ eni, direction: 'ingress', packet: h.packet, action: 'ACCEPT' });
      if (h.action !== 'deliver') {
        sender = eni;
        senderPacket = h.packet;
        senderLogged = false;
      }
      continue;
    }
    if (c.type === 'load-balancer' && h.action === 'translate' && h.networkInterfaceId) {
      // A load-balancer node logs what reaches it and what it sends; the hand-off between an interface
      // endpoint and the NLB is not logged (vpc-flow-logs.md; aws-vpc-semantics §5.4).
      const node = eniOf(h.networkInterfaceId);
      if (node) {
        const privateLink = h.note?.startsWith('PrivateLink') ?? false;
        const before = (hops[i - 1] as Hop | undefined)?.packet ?? h.packet;
        if (!privateLink) {
          logSender('ACCEPT');
          out.push({ eni: node, direction: 'ingress', packet: before, action: 'ACCEPT' });
        } else senderLogged = true;
        sender = privateLink && h.note?.endsWith('to the endpoint') ? undefined : node;
        senderPacket = h.packet;
        senderLogged = sender === undefined;
      }
      continue;
    }
    if (c.type === 'nat-gateway' && h.action === 'translate') {
      const nat = model.natGateways.get(c.id);
      const natEni = nat?.addresses[0]?.networkInterfaceId ? eniOf(nat.addresses[0].networkInterfaceId) : undefined;
      if (natEni) {
        logSender('ACCEPT');
        const before = (hops[i - 1] as Hop | undefined)?.packet ?? h.packet;
        out.push({ eni: natEni, direction: 'ingress', packet: before, action: 'ACCEPT' });
        sender = natEni;
        senderPacket = h.packet;
        senderLogged = false;
      }
      continue;
    }
    if ((c.type === 'internet-gateway' || c.type === 'vpc-peering-connection' || c.type === 'transit-gateway-attachment' || c.type === 'vpc-endpoint' || c.type === 'egress-only-internet-gateway') && !senderLogged) logSender('ACCEPT');
  }
  if (!senderLogged) logSender('ACCEPT');
  return out;
}

function nextReceiver(model: NetworkModel, hops: readonly Hop[], from: number): NetworkInterface | undefined {
  for (let j = from + 1; j < hops.length; j++) {
    const h = hops[j] as Hop;
    if (h.component.type === 'network-interface') return model.networkInterfaces.get(h.component.id);
    if (h.component.type === 'security-group' && h.networkInterfaceId) return model.networkInterfaces.get(h.networkInterfaceId);
  }
  const last = hops[from];
  return last ? [...model.networkInterfaces.values()].find((e) => e.privateAddresses.some((a) => a.ip === last.packet.dstIp)) : undefined;
}

function primaryIp(eni: NetworkInterface): string | undefined {
  return eni.privateAddresses.find((a) => a.primary)?.ip ?? eni.privateAddresses[0]?.ip;
}

/** traffic-path for egress records (vpc-flow-logs.md; codes [UNCERTAIN] there): 1 same VPC, 2 IGW, 4 peering. */
function trafficPath(model: NetworkModel, o: Observation): string | undefined {
  if (o.direction !== 'egress') return undefined;
  const holders = model.addressHolders(o.packet.dstIp);
  if (holders.some((h) => h.vpcId === o.eni.vpcId && h.scope !== 'public')) return '1';
  return '2';
}

function fieldValue(model: NetworkModel, field: string, o: Observation, version: number, start: number): string {
  const p = o.packet;
  const own = primaryIp(o.eni);
  const icmp = p.protocol === 1 || p.protocol === 58;
  const values: Record<string, string | undefined> = {
    version: String(version),
    'account-id': o.eni.account,
    'interface-id': o.eni.id,
    // The interface's side shows its primary private IPv4 (vpc-flow-logs.md field 4/5; aws-vpc-semantics §11).
    srcaddr: o.direction === 'egress' && p.family === 4 && own ? own : p.srcIp,
    dstaddr: o.direction === 'ingress' && p.family === 4 && own ? own : p.dstIp,
    srcport: icmp ? '0' : p.srcPort !== undefined ? String(p.srcPort) : '0',
    dstport: icmp ? '0' : p.dstPort !== undefined ? String(p.dstPort) : '0',
    protocol: String(p.protocol),
    packets: '1',
    bytes: String(p.protocol === 6 ? 60 : 84),
    start: String(start),
    end: String(start + 1),
    action: o.action,
    'log-status': 'OK',
    'vpc-id': o.eni.vpcId,
    'subnet-id': o.eni.subnetId,
    'instance-id': o.eni.owner.kind === 'instance' ? o.eni.owner.id : undefined,
    'tcp-flags': p.protocol === 6 ? '2' : '0',
    type: p.family === 4 ? 'IPv4' : 'IPv6',
    'pkt-srcaddr': p.srcIp,
    'pkt-dstaddr': p.dstIp,
    region: o.eni.region,
    'az-id': o.eni.availabilityZoneId ?? model.subnetZoneId(o.eni.subnetId),
    'flow-direction': o.direction,
    'traffic-path': trafficPath(model, o),
    'interface-type': o.eni.interfaceTypeRaw,
  };
  return values[field] ?? '-';
}

/** Records AWS would write for the trace, as field maps in `format` order (see formatFlowLogRecord). */
export function flowLogRecordsForTrace(model: NetworkModel, result: TraceResult, options: GenerateOptions = {}): { format: string; records: FlowLogRecord[] } {
  const observations = [...observe(model, result.forwardPath), ...(result.forwardPath.some((h) => DROPS.has(h.action)) ? [] : observe(model, result.returnPath))];
  const first = observations[0];
  const format = options.format ?? (first ? formatFor(model, first.eni) : DEFAULT_FORMAT);
  const fields = parseFormat(format) ?? [];
  const version = formatVersion(fields);
  const start = options.start ?? 1_700_000_000;
  const records = observations.map((o, i) => Object.fromEntries(fields.map((f) => [f, fieldValue(model, f, o, version, start + i)])) as FlowLogRecord);
  return { format, records };
}

export function formatFlowLogRecord(format: string, record: FlowLogRecord): string {
  return (parseFormat(format) ?? []).map((f) => record[f] ?? '-').join(' ');
}

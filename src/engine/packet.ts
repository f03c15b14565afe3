/**
 * The packet every engine component reads and rewrites. Addresses are canonical text (see
 * `canonicalIp`); protocol is the IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, …).
 */
import { parseIp, type IpFamily } from '../model/addresses.js';

export interface Packet {
  readonly family: IpFamily;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly protocol: number;
  /** TCP/UDP only. */
  readonly srcPort?: number;
  readonly dstPort?: number;
  /** ICMP/ICMPv6 only. */
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

export function protocolName(n: number): string {
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : n === 58 ? 'icmpv6' : n === -1 ? 'all' : String(n);
}

export function hasPorts(p: Packet): boolean {
  return p.protocol === 6 || p.protocol === 17;
}

export function isIcmp(p: Packet): boolean {
  return p.protocol === 1 || p.protocol === 58;
}

/**
 * The reply to a packet: addresses and ports swapped; ICMP echo request (8 / IPv6 128) answered by echo
 * reply (0 / 129). Other ICMP types have no reply and keep their type.
 */
export function replyTo(p: Packet): Packet {
  const icmpType =
    p.icmpType === undefined ? undefined : p.protocol === 1 && p.icmpType === 8 ? 0 : p.protocol === 58 && p.icmpType === 128 ? 129 : p.icmpType;
  return {
    family: p.family,
    srcIp: p.dstIp,
    dstIp: p.srcIp,
    protocol: p.protocol,
    ...(p.dstPort !== undefined ? { srcPort: p.dstPort } : {}),
    ...(p.srcPort !== undefined ? { dstPort: p.srcPort } : {}),
    ...(icmpType !== undefined ? { icmpType } : {}),
    ...(p.icmpCode !== undefined ? { icmpCode: p.icmpCode } : {}),
  };
}

export function describePacket(p: Packet): string {
  const proto = protocolName(p.protocol);
  if (hasPorts(p)) return `${proto} ${p.srcIp}:${p.srcPort ?? '?'} -> ${p.dstIp}:${p.dstPort ?? '?'}`;
  if (isIcmp(p)) return `${proto} ${p.srcIp} -> ${p.dstIp} type ${p.icmpType ?? '?'} code ${p.icmpCode ?? '?'}`;
  return `${proto} ${p.srcIp} -> ${p.dstIp}`;
}

export function familyOf(ip: string): IpFamily | undefined {
  return parseIp(ip)?.family;
}

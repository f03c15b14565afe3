/**
 * IP address and CIDR kernels shared by every layer.
 *
 * Addresses are kept as `bigint` with their family so that IPv4 and IPv6 never mix: AWS evaluates the two
 * families separately everywhere (routes, security-group rules, NACL entries, prefix lists;
 * aws-vpc-semantics §0.3). A CIDR is canonicalised on parse (host bits zeroed), as AWS stores it.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
  /** IPv4 only, set by `parseIp`: the address as an unsigned 32-bit number, so containment needs no BigInt. */
  readonly v4?: number;
}

export interface Cidr {
  readonly family: IpFamily;
  /** Network address with host bits zeroed. */
  readonly base: bigint;
  readonly prefixLength: number;
  /** IPv4 only, set by `parseCidr`: base and mask as unsigned 32-bit numbers (see `IpAddress.v4`). */
  readonly v4Base?: number;
  readonly v4Mask?: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 text address; returns undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v = parseIpv6(t);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseIpv4(t);
  return v === undefined ? undefined : { family: 4, value: v, v4: Number(v) };
}

function parseIpv4(t: string): bigint | undefined {
  const parts = t.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(t: string): bigint | undefined {
  let text = t;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && missing < 1) return undefined;
  const groups = halves.length === 2 ? [...head, ...Array<string>(missing).fill('0'), ...rest] : head;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** Parses `a.b.c.d/n` or `x::/n`; a bare address is a host route (/32 or /128). Host bits are zeroed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = BITS[ip.family];
  let prefixLength = max;
  if (len !== undefined) {
    if (!/^\d{1,3}$/.test(len)) return undefined;
    prefixLength = Number(len);
    if (prefixLength > max) return undefined;
  }
  const mask = networkMask(ip.family, prefixLength);
  const base = ip.value & mask;
  return ip.family === 4 ? { family: 4, base, prefixLength, v4Base: Number(base), v4Mask: Number(mask) } : { family: ip.family, base, prefixLength };
}

function computeMask(bits: number, prefixLength: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefixLength === 0 ? 0n : (all >> BigInt(bits - prefixLength)) << BigInt(bits - prefixLength);
}

/** Every network mask, computed once: `cidrContains` runs per rule per packet and BigInt shifts allocate. */
const MASKS: Readonly<Record<IpFamily, readonly bigint[]>> = {
  4: Array.from({ length: 33 }, (_, n) => computeMask(32, n)),
  6: Array.from({ length: 129 }, (_, n) => computeMask(128, n)),
};

function networkMask(family: IpFamily, prefixLength: number): bigint {
  return MASKS[family][prefixLength] ?? computeMask(BITS[family], prefixLength);
}

/** True when `ip` lies in `cidr` (same family only). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  // IPv4 in 32-bit integers: a BigInt `&` allocates, and this runs per rule per packet.
  if (ip.v4 !== undefined && cidr.v4Base !== undefined) return ((ip.v4 & (cidr.v4Mask as number)) >>> 0) === cidr.v4Base;
  return cidr.family === ip.family && (ip.value & networkMask(cidr.family, cidr.prefixLength)) === cidr.base;
}

/** True when every address of `inner` lies in `outer`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefixLength <= inner.prefixLength &&
    (inner.base & networkMask(outer.family, outer.prefixLength)) === outer.base
  );
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrCovers(a, b) || cidrCovers(b, a);
}

/** First and last address of a block. */
export function cidrRange(c: Cidr): { readonly first: bigint; readonly last: bigint } {
  const size = 1n << BigInt(BITS[c.family] - c.prefixLength);
  return { first: c.base, last: c.base + size - 1n };
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const v = ip.value;
    return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((ip.value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp({ family: c.family, value: c.base })}/${c.prefixLength}`;
}

/** Canonical text of an address (lower-case, compressed IPv6), or undefined if not an address. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

/** Canonical text of a CIDR (host bits zeroed), or undefined if not a CIDR. */
export function canonicalCidr(text: string): string | undefined {
  const c = parseCidr(text);
  return c ? formatCidr(c) : undefined;
}

/** RFC 1918, RFC 6598 (100.64/10) and IPv6 ULA ranges: addresses that are private wherever they appear. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map(
  (t) => parseCidr(t) as Cidr,
);

export function isPrivateAddress(ip: IpAddress): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(r, ip));
}

/** Link-local ranges (169.254.0.0/16, fe80::/10) and AWS's reserved fd00:ec2::/32 (aws-vpc-semantics §11). */
const LINK_LOCAL_RANGES = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::/32'].map((t) => parseCidr(t) as Cidr);

export function isLinkLocal(ip: IpAddress): boolean {
  return LINK_LOCAL_RANGES.some((r) => cidrContains(r, ip));
}

const cidrCache = new Map<string, Cidr | null>();
const ipCache = new Map<string, IpAddress | null>();

/** `parseCidr` with a process-wide cache: rule and route CIDRs repeat across millions of evaluations. */
export function parseCidrCached(text: string): Cidr | undefined {
  let c = cidrCache.get(text);
  if (c === undefined) {
    c = parseCidr(text) ?? null;
    if (cidrCache.size > 1_000_000) cidrCache.clear();
    cidrCache.set(text, c);
  }
  return c ?? undefined;
}

const canonicalCache = new Map<string, string>();

/** `canonicalIp` with a process-wide cache; text that is not an address is returned as it is. */
export function canonicalIpCached(text: string): string {
  let c = canonicalCache.get(text);
  if (c === undefined) {
    c = canonicalIp(text) ?? text;
    if (canonicalCache.size > 1_000_000) canonicalCache.clear();
    canonicalCache.set(text, c);
  }
  return c;
}

/** `parseIp` with a process-wide cache. */
export function parseIpCached(text: string): IpAddress | undefined {
  let c = ipCache.get(text);
  if (c === undefined) {
    c = parseIp(text) ?? null;
    if (ipCache.size > 1_000_000) ipCache.clear();
    ipCache.set(text, c);
  }
  return c ?? undefined;
}

/** True when any CIDR of `cidrs` (text) contains address `ip` (text); unparsable entries match nothing. */
export function anyCidrContains(cidrs: readonly string[], ip: string): boolean {
  const a = parseIpCached(ip);
  if (!a) return false;
  for (const c of cidrs) {
    const p = parseCidrCached(c);
    if (p && cidrContains(p, a)) return true;
  }
  return false;
}

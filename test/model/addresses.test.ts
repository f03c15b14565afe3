/**
 * CIDR containment. IPv4 addresses and CIDRs parsed by `parseIp`/`parseCidr` carry 32-bit numbers and are
 * compared without BigInt; every answer must equal the BigInt arithmetic (aws-vpc-semantics §0.3: the two
 * families never mix).
 */
import { describe, expect, it } from 'vitest';
import { anyCidrContains, cidrContains, parseCidr, parseIp, type IpAddress } from '../../src/model/addresses.js';

/** The reference: the top `len` bits of the address equal those of the network, in BigInt. */
function containsByShift(base: bigint, len: number, ip: bigint): boolean {
  const drop = BigInt(32 - len);
  return ip >> drop === base >> drop;
}

const dotted = (v: number): string => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');

describe('cidrContains (IPv4)', () => {
  it('agrees with BigInt arithmetic for addresses on both sides of 2^31 and every prefix length', () => {
    let seed = 11;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const addresses = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xc0a80001, 0x0a000001, ...Array.from({ length: 60 }, rnd)];
    let checked = 0;
    for (const net of addresses) {
      for (let len = 0; len <= 32; len++) {
        const cidr = parseCidr(`${dotted(net)}/${len}`);
        expect(cidr?.v4Base).toBeDefined();
        for (const a of addresses) {
          const ip = parseIp(dotted(a)) as IpAddress;
          expect(cidrContains(cidr as NonNullable<typeof cidr>, ip)).toBe(containsByShift(BigInt(net), len, BigInt(a)));
          checked++;
        }
      }
    }
    expect(checked).toBe(67 * 33 * 67);
  });

  it('edges: /0 holds every address, /32 only itself, 255.255.255.255 is inside 255.255.255.0/24', () => {
    const all = parseCidr('0.0.0.0/0');
    const host = parseCidr('200.1.2.3/32');
    const top = parseCidr('255.255.255.0/24');
    if (!all || !host || !top) throw new Error('CIDRs did not parse');
    expect(cidrContains(all, parseIp('255.255.255.255') as IpAddress)).toBe(true);
    expect(cidrContains(host, parseIp('200.1.2.3') as IpAddress)).toBe(true);
    expect(cidrContains(host, parseIp('200.1.2.4') as IpAddress)).toBe(false);
    expect(cidrContains(top, parseIp('255.255.255.255') as IpAddress)).toBe(true);
    expect(cidrContains(top, parseIp('255.255.254.255') as IpAddress)).toBe(false);
  });

  it('an address built without its 32-bit form (a literal) is compared in BigInt, with the same answer', () => {
    const cidr = parseCidr('10.1.0.0/16');
    if (!cidr) throw new Error('CIDR did not parse');
    expect(cidrContains(cidr, { family: 4, value: 0x0a01ff01n })).toBe(true);
    expect(cidrContains(cidr, { family: 4, value: 0x0a02ff01n })).toBe(false);
  });

  it('IPv4 and IPv6 never match each other', () => {
    const v4all = parseCidr('0.0.0.0/0');
    const v6all = parseCidr('::/0');
    if (!v4all || !v6all) throw new Error('CIDRs did not parse');
    expect(cidrContains(v4all, parseIp('::ffff:10.0.0.1') as IpAddress)).toBe(false);
    expect(cidrContains(v6all, parseIp('10.0.0.1') as IpAddress)).toBe(false);
    expect(cidrContains(v6all, parseIp('2001:db8::1') as IpAddress)).toBe(true);
    expect(anyCidrContains(['2001:db8::/32', '10.0.0.0/8'], '10.200.0.1')).toBe(true);
    expect(anyCidrContains(['2001:db8::/32', '10.0.0.0/8'], '11.0.0.1')).toBe(false);
  });
});

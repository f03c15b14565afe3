/**
 * On-premises networks declared by the user (`--on-prem FILE`): the CIDRs behind a VPN connection, a Direct
 * Connect gateway or a transit gateway attachment, for data centres whose prefixes the snapshot cannot show
 * (BGP-learned routes are not in describe-* output, aws-vpc-semantics §9.2).
 *
 * ```yaml
 * networks:
 *   - name: dc1
 *     cidrs: [192.168.0.0/16]
 *     via: vpn-027569e94e81380a4      # or dxgw id, or tgw-attach-…
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { canonicalCidr, cidrContains, parseCidrCached, parseIpCached } from '../model/addresses.js';

const NetworkShape = z.strictObject({
  name: z.string().min(1),
  cidrs: z.array(z.string().refine((c) => canonicalCidr(c) !== undefined, { message: 'not a CIDR block' })).min(1),
  via: z.string().regex(/^(vpn-|tgw-attach-|[0-9a-f]{8}-)[0-9a-z-]+$/, 'expected a VPN connection id (vpn-…), a transit gateway attachment id (tgw-attach-…) or a Direct Connect gateway id'),
});

const FileShape = z.strictObject({ networks: z.array(NetworkShape).min(1) });

export type OnPremisesNetwork = z.infer<typeof NetworkShape>;

export class OnPremisesError extends Error {}

export function loadOnPremises(file: string): readonly OnPremisesNetwork[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OnPremisesError(`--on-prem ${file}: ${(e as NodeJS.ErrnoException).code ? `cannot read the file (${(e as NodeJS.ErrnoException).code})` : `not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`}`);
  }
  const r = FileShape.safeParse(doc);
  if (!r.success) {
    const first = r.error.issues[0];
    const path = first ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '';
    throw new OnPremisesError(`--on-prem ${file}: $${path}: ${first?.message ?? 'invalid'}`);
  }
  return r.data.networks;
}

/** The declared network holding `ip`, most specific first. */
export function onPremisesNetworkFor(networks: readonly OnPremisesNetwork[], ip: string): OnPremisesNetwork | undefined {
  const a = parseIpCached(ip);
  if (!a) return undefined;
  let best: { n: OnPremisesNetwork; len: number } | undefined;
  for (const n of networks)
    for (const c of n.cidrs) {
      const p = parseCidrCached(c);
      if (p && cidrContains(p, a) && (!best || p.prefixLength > best.len)) best = { n, len: p.prefixLength };
    }
  return best?.n;
}

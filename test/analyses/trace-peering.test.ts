/**
 * Trace II over `peering-nontransitive` (its README states the expected answers): VPC peering is neither
 * transitive nor usable edge to edge (aws-vpc-semantics §8).
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { copyExample, editSnapshot } from '../helpers/temp-snapshot.js';

const EXAMPLE = 'examples/peering-nontransitive';

describe('peering-nontransitive', () => {
  const model = loadSnapshot(EXAMPLE);

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a-app and b-app reach each other over the A-B peering, both directions', () => {
    for (const [from, to] of [
      ['a-app', 'b-app'],
      ['b-app', 'a-app'],
    ] as const) {
      const r = trace(model, { from, to, protocol: 'tcp', port: 22 });
      expect(r.explanations, `${from} -> ${to}`).toEqual([]);
      expect(r.reachable).toBe(true);
      expect(r.forwardPath.some((h) => h.component.type === 'vpc-peering-connection')).toBe(true);
      expect(r.returnPath.some((h) => h.component.type === 'vpc-peering-connection')).toBe(true);
    }
  });

  it('a-app cannot reach c-app: peering is not transitive', () => {
    const r = trace(model, { from: 'a-app', to: 'c-app', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    expect(r.explanations[0]?.message).toMatch(/not transitive/);
  });

  it("a-app cannot use B's NAT gateway or internet gateway through the peering, even with 0.0.0.0/0 -> pcx", () => {
    const r = trace(model, { from: 'a-app', to: '8.8.8.8', protocol: 'tcp', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    expect(r.forwardPath.some((h) => h.component.type === 'nat-gateway' || h.component.type === 'internet-gateway')).toBe(false);
  });

  it('when the peer VPC is missing from the snapshot, the trace names the account and region to add', () => {
    const dir = copyExample('peering-nontransitive');
    const c = [...model.vpcs.values()].find((v) => v.name === 'vpc-c');
    expect(c).toBeDefined();
    editSnapshot(dir, 'Vpcs', (doc) => {
      doc.Vpcs = doc.Vpcs.filter((v: { VpcId: string }) => v.VpcId !== c?.id);
    });
    const cApp = [...model.instances.values()].find((i) => i.name === 'c-app');
    const r = trace(loadSnapshot(dir), { from: 'b-app', to: cApp?.privateIp as string, protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'UNKNOWN_DESTINATION', component: { id: c?.id, type: 'vpc' } });
    expect(r.explanations[0]?.message).toMatch(new RegExp(`account ${c?.account}, region ${c?.region}`));
  });
});

/**
 * Gateway Load Balancer inspection (test/fixtures/gwlb-inspection): the internet gateway's edge route table
 * sends the web subnet's traffic to a GWLB endpoint; the GWLB hands it in GENEVE to a firewall appliance and
 * back; the endpoint forwards it with its own subnet's route table (aws-vpc-semantics §5.5, §1.1).
 */
import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { editSnapshot, tempDir } from '../helpers/temp-snapshot.js';

const FIXTURE = 'test/fixtures/gwlb-inspection';
const copy = () => {
  const dir = tempDir('gwlb');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
};

describe('GWLB inspection through an ingress route', () => {
  it('internet -> web-1:443 passes the appliance both ways', () => {
    const m = loadSnapshot(FIXTURE);
    expect(m.issues).toEqual([]);
    const r = trace(m, { from: 'internet', to: 'web-1', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const types = r.forwardPath.map((h) => h.component.type);
    expect(types.slice(0, 2)).toEqual(['internet-gateway', 'route-table']);
    expect(r.forwardPath[1]?.rule).toBe('10.60.1.0/24 -> vpce-0a0a0a0a0a0a0a0e1');
    expect(r.forwardPath.find((h) => h.component.type === 'load-balancer')?.rule).toBe('GENEVE to appliance firewall-1');
    // The reply is steered through the same endpoint by the web subnet's 0.0.0.0/0 route (symmetry).
    expect(r.returnPath.filter((h) => h.component.id === 'vpce-0a0a0a0a0a0a0a0e1').length).toBe(2);
  });

  it('an appliance security group without GENEVE (udp 6081) from the GWLB blocks the path', () => {
    const dir = copy();
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'appliance-sg') g.IpPermissions = [];
    });
    const r = trace(loadSnapshot(dir), { from: 'internet', to: 'web-1', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', component: { id: 'sg-0b0b0b0b0b0b0b0a1' } });
    expect(r.explanations[0]?.message).toMatch(/udp port 6081/);
  });

  it('with every appliance unhealthy the GWLB drops the traffic (no useful fail-open)', () => {
    const dir = copy();
    editSnapshot(dir, 'TargetHealthDescriptions', (doc) => {
      for (const t of doc.TargetHealthDescriptions) t.TargetHealth = { State: 'unhealthy' };
    });
    const r = trace(loadSnapshot(dir), { from: 'internet', to: 'web-1', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('ELBV2_LISTENER_HAS_NO_TG');
  });
});

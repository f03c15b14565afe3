/**
 * Classic Load Balancer instance health and cross-zone load balancing (test/fixtures/classic-lb): an internal
 * CLB `web-clb` with nodes in eu-west-1a (10.60.0.40) and eu-west-1b (10.60.1.40), HTTP:80 → HTTP:8080, one
 * registered instance `web-a` in eu-west-1a, `client` in eu-west-1a. The fixture's describe-instance-health
 * says web-a is InService and describe-load-balancer-attributes says cross-zone is off; both name the load
 * balancer only in the file name, as hand-saved CLI output does.
 *
 * AWS semantics asserted (aws-vpc-semantics §6, §6.3):
 * - a Classic Load Balancer routes only to InService instances (CLB user guide, elb-healthchecks) and does
 *   not fail open (fail-open is documented for ALB/NLB target groups only);
 * - with cross-zone load balancing off a node uses only instances in its own zone; on, any enabled zone
 *   (CLB user guide, enable-disable-crosszone-lb).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { tempDir } from '../helpers/temp-snapshot.js';

const FIXTURE = 'test/fixtures/classic-lb';
const BASE = '555566667777/eu-west-1';
const LB = 'arn:aws:elasticloadbalancing:eu-west-1:555566667777:loadbalancer/web-clb';
const WEB_A = 'i-0c1b0000000000e0a';
const NODE_A = '10.60.0.40';
const NODE_B = '10.60.1.40';
const HEALTH = 'describe-instance-health.web-clb.json';
const ATTRIBUTES = 'describe-load-balancer-attributes.web-clb.json';

/** A copy of the fixture with `files` (name → document, or null to remove) replaced in its region folder. */
function variant(files: Record<string, unknown>): string {
  const dir = tempDir('classic-lb');
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [name, doc] of Object.entries(files)) {
    const p = join(dir, BASE, name);
    if (doc === null) rmSync(p);
    else writeFileSync(p, JSON.stringify(doc, null, 4));
  }
  return dir;
}

const health = (state: string, reason = 'N/A', description = 'N/A') => ({ InstanceStates: [{ InstanceId: WEB_A, State: state, ReasonCode: reason, Description: description }] });

function attributes(crossZone: boolean) {
  const doc = JSON.parse(readFileSync(join(FIXTURE, BASE, ATTRIBUTES), 'utf8')) as { LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: boolean } } };
  doc.LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled = crossZone;
  return doc;
}

describe('Classic Load Balancer: instance health and cross-zone load balancing', () => {
  const model = loadSnapshot(FIXTURE);

  it('loads cleanly, with health per instance and the cross-zone attribute on the load balancer', () => {
    expect(model.issues).toEqual([]);
    const lb = model.loadBalancers.get(LB)!;
    expect(lb.classicTargets?.map((t) => [t.id, t.healthState, t.healthReason])).toEqual([[WEB_A, 'InService', undefined]]);
    expect(lb.classicTargets?.[0]?.source).toEqual({ file: `${BASE}/${HEALTH}`, path: '$.InstanceStates[0]' });
    expect(lb.attributes['load_balancing.cross_zone.enabled']).toBe('false');
  });

  it('an InService instance in the node\'s zone is reached on the instance port, from the node', () => {
    const r = trace(model, { from: 'client', to: NODE_A, port: 80 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const hop = r.forwardPath.find((h) => h.component.id === LB && h.action === 'translate');
    expect(hop?.rule).toContain(`instance ${WEB_A} (InService)`);
    expect(hop?.packet).toMatchObject({ srcIp: NODE_A, dstIp: '10.60.10.30', dstPort: 8080 });
    // Health and cross-zone are known: nothing is assumed.
    expect(r.notes.join('\n')).not.toMatch(/assumed InService|not in the snapshot/);
  });

  it('cross-zone off: the node in the other zone has no instance and blocks', () => {
    const r = trace(model, { from: 'client', to: NODE_B, port: 80 });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toEqual([expect.objectContaining({ code: 'ELB_NOT_CROSSZONE', component: { id: LB, type: 'load-balancer' } })]);
    expect(r.explanations[0]?.message).toMatch(/eu-west-1b.*cross-zone load balancing is off/);
  });

  it('cross-zone on: the node in the other zone reaches the instance in eu-west-1a', () => {
    const r = trace(loadSnapshot(variant({ [ATTRIBUTES]: attributes(true) })), { from: 'client', to: NODE_B, port: 80 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const hop = r.forwardPath.find((h) => h.component.id === LB && h.action === 'translate');
    expect(hop?.rule).toContain(`instance ${WEB_A} (InService, in another Availability Zone`);
    expect(hop?.packet).toMatchObject({ srcIp: NODE_B, dstIp: '10.60.10.30', dstPort: 8080 });
  });

  it.each([
    ['OutOfService', 'Instance', 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'],
    ['Unknown', 'ELB', 'A transient error occurred. Please try again later.'],
  ])('its only instance %s: no healthy instance, and no fail-open', (state, reason, description) => {
    const m = loadSnapshot(variant({ [HEALTH]: health(state, reason, description), [ATTRIBUTES]: attributes(true) }));
    expect(m.issues).toEqual([]);
    const r = trace(m, { from: 'client', to: NODE_A, port: 80 });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toEqual([expect.objectContaining({ code: 'ELB_LISTENERS_MISMATCH', component: { id: LB, type: 'load-balancer' } })]);
    const e = r.explanations[0]!;
    expect(e.message).toContain(`${WEB_A} ${state} (${reason}: ${description})`);
    expect(e.message).toMatch(/does not fail open/);
    expect(r.forwardPath.some((h) => h.component.id === LB && h.action === 'translate')).toBe(false);
  });

  it('a registered instance the health output does not list receives nothing', () => {
    const r = trace(loadSnapshot(variant({ [HEALTH]: { InstanceStates: [] } })), { from: 'client', to: NODE_A, port: 80 });
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toEqual(['ELB_LISTENERS_MISMATCH']);
    expect(r.explanations[0]?.message).toContain(`${WEB_A} not in the instance health`);
  });

  it('without health or attributes in the snapshot: running instances assumed InService, cross-zone taken as off, both noted', () => {
    const m = loadSnapshot(variant({ [HEALTH]: null, [ATTRIBUTES]: null }));
    expect(m.loadBalancers.get(LB)?.classicTargets).toBeUndefined();
    const same = trace(m, { from: 'client', to: NODE_A, port: 80 });
    expect(same.reachable).toBe(true);
    expect(same.notes.join('\n')).toMatch(/assumed InService/);
    expect(same.notes.join('\n')).toMatch(/cross-zone load balancing of Classic Load Balancer web-clb is not in the snapshot.*taken as off/);
    const other = trace(m, { from: 'client', to: NODE_B, port: 80 });
    expect(other.reachable).toBe(false);
    expect(other.explanations.map((e) => e.code)).toEqual(['ELB_NOT_CROSSZONE']);
  });
});

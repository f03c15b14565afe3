/**
 * Trace III over `hub-spoke-privatelink` and `hybrid-vpn-tgw-privatelink`: interface endpoints, endpoint
 * services, Network Load Balancers, overlays (each example's README states the expected answers).
 */
import { describe, expect, it } from 'vitest';
import { loadOverlay } from '../../src/analyses/overlay.js';
import { trace, type TraceRequest } from '../../src/analyses/trace.js';
import type { Hop } from '../../src/engine/trace-types.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../src/model/network.js';
import { copyExample, editSnapshot } from '../helpers/temp-snapshot.js';
import { runCli } from '../cli/run-cli.js';

const HUB = 'examples/hub-spoke-privatelink';
const SPOKE = '210987654321';
const HUB_ACCOUNT = '209876543210';
const ENDPOINT_IPS = ['10.210.240.144', '10.210.245.151', '10.210.250.6'];
const overlay = loadOverlay(`${HUB}/overlay.yaml`);

/** Index of the first hop after `from` matching `pred`, or -1. */
function indexAfter(hops: readonly Hop[], from: number, pred: (h: Hop) => boolean): number {
  for (let i = from + 1; i < hops.length; i++) if (pred(hops[i] as Hop)) return i;
  return -1;
}

function ownerName(model: NetworkModel, h: Hop): string | undefined {
  const eni = model.networkInterfaces.get(h.component.id);
  if (eni?.owner.kind !== 'instance') return undefined;
  return model.instances.get(eni.owner.id)?.name;
}

describe('hub-spoke-privatelink', () => {
  const model = loadSnapshot(HUB);
  const toVault = (extra: Partial<TraceRequest> = {}): TraceRequest => ({ from: 'spoke-bastion', to: '10.210.250.6', protocol: 'tcp', port: 443, ...extra });

  it('vault.services.wd with the overlay: DNS, endpoint ENI, endpoint, service, NLB, listener, target group, HAProxy, overlay, Vault on 8200', () => {
    const r = trace(model, toVault({ to: 'vault.services.wd', overlay }));
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const hops = r.forwardPath;
    let at = -1;
    const step = (pred: (h: Hop) => boolean, what: string) => {
      const i = indexAfter(hops, at, pred);
      expect(i, `${what} after hop ${at}`).toBeGreaterThan(at);
      at = i;
      return hops[i] as Hop;
    };
    expect(step((h) => h.component.type === 'dns', 'name resolution').action).toBe('resolve');
    const eniHop = step((h) => h.component.type === 'network-interface' && ENDPOINT_IPS.includes(h.packet.dstIp) && h.action === 'forward', 'endpoint interface');
    expect(eniHop.component.account).toBe(SPOKE);
    step((h) => h.component.type === 'vpc-endpoint', 'VPC endpoint');
    const svc = step((h) => h.component.type === 'endpoint-service', 'endpoint service');
    expect(svc.component.account).toBe(HUB_ACCOUNT);
    expect(step((h) => h.component.type === 'load-balancer', 'NLB').component.name).toBe('vault-nlb');
    expect(step((h) => h.component.type === 'listener', 'listener').component.name).toBe('TCP:443');
    expect(step((h) => h.component.type === 'target-group', 'target group').component.name).toBe('haproxy-ingress-443');
    const haproxy = step((h) => h.action === 'deliver' && /^haproxy-ingress-[123]$/.test(ownerName(model, h) ?? ''), 'haproxy instance');
    // PrivateLink: the target sees the NLB's private address, never the spoke client (§5.4).
    expect(haproxy.packet.srcIp).toMatch(/^10\.209\.[456]\.10$/);
    expect(haproxy.component.account).toBe(HUB_ACCOUNT);
    step((h) => h.component.type === 'overlay', 'overlay hop');
    const vault = step((h) => h.action === 'deliver' && /^vault-[12]$/.test(ownerName(model, h) ?? ''), 'vault instance');
    expect(vault.packet.dstPort).toBe(8200);
    // Both connections come back: the Vault reply to HAProxy, then HAProxy's reply through PrivateLink.
    expect(r.returnPath.at(-1)?.component.id).toBe(hops[1]?.component.id); // hops[0] is the DNS resolution
  });

  it('without the overlay the trace ends, reachable, at an HAProxy instance', () => {
    const r = trace(model, toVault());
    expect(r.reachable).toBe(true);
    const last = r.forwardPath.at(-1) as Hop;
    expect(last.action).toBe('deliver');
    expect(ownerName(model, last)).toMatch(/^haproxy-ingress-[123]$/);
    expect(r.forwardPath.some((h) => h.component.type === 'overlay')).toBe(false);
  });

  it('uses the NLB node in the endpoint interface\'s AZ, matched by AZ id across accounts', () => {
    // spoke eu-central-1c = euc1-az1 = hub eu-central-1a, whose NLB node is 10.209.4.10 (README).
    const r = trace(model, toVault());
    const lb = r.forwardPath.find((h) => h.component.type === 'load-balancer');
    expect(lb?.rule).toContain('node 10.209.4.10 in eu-central-1a');
  });

  it('an endpoint in pendingAcceptance is not reachable', () => {
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'VpcEndpoints', (doc) => {
      for (const e of doc.VpcEndpoints) e.State = 'pendingAcceptance';
    });
    const r = trace(loadSnapshot(dir), toVault());
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'BAD_STATE', component: { type: 'vpc-endpoint' } });
    expect(r.explanations[0]?.message).toMatch(/pendingAcceptance/);
  });

  it("the endpoint's security group not admitting 443 gives ENI_SG_RULES_MISMATCH on the endpoint", () => {
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'vault-endpoint-sg') g.IpPermissions = [];
    });
    const m = loadSnapshot(dir);
    const r = trace(m, toVault());
    expect(r.reachable).toBe(false);
    const sgId = [...m.securityGroups.values()].find((g) => g.groupName === 'vault-endpoint-sg')?.id;
    expect(r.explanations).toEqual([expect.objectContaining({ code: 'ENI_SG_RULES_MISMATCH', direction: 'forward', component: { id: sgId, type: 'security-group' } })]);
  });

  it('all targets unhealthy: the NLB fails open (AWS documentation), reported with a note', () => {
    // NLB:target-group-health-checks — if every target is unhealthy, the load balancer routes to all of them.
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'TargetHealthDescriptions', (doc) => {
      for (const t of doc.TargetHealthDescriptions) t.TargetHealth = { State: 'unhealthy', Reason: 'Target.FailedHealthChecks' };
    });
    const r = trace(loadSnapshot(dir), toVault());
    expect(r.reachable).toBe(true);
    expect(r.notes.join('\n')).toMatch(/fail open/);
    expect(r.forwardPath.find((h) => h.component.type === 'target-group')?.rule).toMatch(/unhealthy.*fails open/);
  });

  it('no target able to receive traffic (all deregistering or stopped) is not reachable', () => {
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'TargetHealthDescriptions', (doc) => {
      for (const t of doc.TargetHealthDescriptions) t.TargetHealth = { State: 'unused', Reason: 'Target.InvalidState' };
    });
    const r = trace(loadSnapshot(dir), toVault());
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('ELBV2_LISTENER_HAS_NO_TG');
  });

  it('a port without a listener gives ELBV2_LISTENERS_MISMATCH', () => {
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups)
        if (g.GroupName === 'vault-endpoint-sg') g.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.210.0.0/16' }] }];
    });
    const r = trace(loadSnapshot(dir), toVault({ port: 8443 }));
    expect(r.explanations.map((e) => e.code)).toEqual(['ELBV2_LISTENERS_MISMATCH']);
  });

  it('UDP through an interface endpoint gives PROTOCOL_RESTRICTION', () => {
    const r = trace(model, toVault({ protocol: 'udp', port: 443 }));
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toContain('PROTOCOL_RESTRICTION');
  });

  it('the CLI accepts --overlay and rejects a bad overlay file with one line naming the path', async () => {
    const ok = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', ENDPOINT_IPS[0] as string, '--port', '443', '--overlay', `${HUB}/overlay.yaml`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/overlay haproxy-ingress -> vault/);
    const dir = copyExample('hub-spoke-privatelink');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/bad-overlay.yaml`, 'services:\n  - name: x\n    instances: { tags: { role: x } }\n    listen: [{ protocol: tcp, port: 99999 }]\n');
    const bad = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', '10.210.250.6', '--overlay', `${dir}/bad-overlay.yaml`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/\$\.services\[0\]\.listen\[0\]\.port/);
  });
});

describe('hybrid-vpn-tgw-privatelink: PrivateLink across overlapping CIDRs', () => {
  const model = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');

  it('192.168.10.10 reaches a workload database through the endpoint although both VPCs are 10.0.0.0/16', () => {
    const r = trace(model, { from: '192.168.10.10', to: '10.0.2.40', protocol: 'tcp', port: 5432 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const last = r.forwardPath.at(-1) as Hop;
    expect(last.action).toBe('deliver');
    expect(last.component.account).toBe('574019283746');
    expect(last.packet.dstIp).toMatch(/^10\.0\.1[02]\.5[12]$/);
  });

  it("192.168.10.10 → the endpoint's DNS name on tcp/5432 is resolved and reachable", () => {
    const ep = [...model.vpcEndpoints.values()][0];
    const regional = ep?.dnsEntries[0]?.dnsName as string;
    const r = trace(model, { from: '192.168.10.10', to: regional, protocol: 'tcp', port: 5432 });
    expect(r.forwardPath[0]).toMatchObject({ component: { type: 'dns' }, action: 'resolve' });
    expect(['10.0.2.40', '10.0.3.40']).toContain(r.query.packet.dstIp);
    expect(r.reachable).toBe(true);
    expect(r.forwardPath.at(-1)?.component.account).toBe('574019283746');
  });

  it('the reverse direction (workload → 192.168.10.10) is not reachable: PrivateLink carries connections one way', () => {
    const r = trace(model, { from: 'workload-db-1', to: '192.168.10.10', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    const codes = r.explanations.map((e) => e.code);
    expect(codes).toContain('NO_ROUTE_TO_DESTINATION');
    expect(codes).toContain('PRIVATELINK_ONE_WAY');
  });
});

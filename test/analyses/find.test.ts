import { describe, expect, it } from 'vitest';
import { find } from '../../src/analyses/find.js';
import { inventory } from '../../src/analyses/inventory.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { runCli } from '../cli/run-cli.js';

const HUB = 'examples/hub-spoke-privatelink';

describe('find', () => {
  const model = loadSnapshot(HUB);

  it('follows 10.210.250.6 from the interface to the endpoint, its service, the hub NLB and its account', () => {
    const r = find(model, '10.210.250.6');
    expect(r.interfaces).toHaveLength(1);
    const f = r.interfaces[0]!;
    expect(f.owner.kind).toBe('vpc-endpoint');
    expect(f.endpoint?.id).toMatch(/^vpce-[0-9a-f]{17}$/);
    expect(f.endpoint?.serviceName).toMatch(/^com\.amazonaws\.vpce\.eu-central-1\.vpce-svc-[0-9a-f]{17}$/);
    // The provider account is in the snapshot, so the endpoint service and its NLB are resolved across accounts.
    expect(f.endpoint?.service?.account).not.toBe(f.networkInterface.account);
    expect(f.endpoint?.loadBalancers).toHaveLength(1);
    expect(f.endpoint?.loadBalancers[0]).toMatchObject({ lbType: 'network', scheme: 'internal', account: f.endpoint?.service?.account });
    expect(f.subnet?.cidr).toBe('10.210.248.0/22');
    expect(f.securityGroups.map((g) => g.name)).toEqual(['vault-endpoint-sg']);
  });

  it('finds instances by Name tag with their interfaces', () => {
    const r = find(model, 'haproxy-ingress-2');
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0]?.resource.kind).toBe('instance');
    expect(r.resources[0]?.networkInterfaces[0]?.networkInterface.privateAddresses).toContain('10.209.5.123');
  });

  it('prints the same answer as text and JSON from the CLI', async () => {
    const text = await runCli(['find', '10.210.250.6', '--snapshot', HUB]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/vpce-[0-9a-f]{17}/);
    expect(text.stdout).toMatch(/com\.amazonaws\.vpce\.eu-central-1\.vpce-svc-/);
    expect(text.stdout).toMatch(/vault-nlb \(network, internal\) account 209876543210/);
    const json = await runCli(['find', '10.210.250.6', '--snapshot', HUB, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(find(model, '10.210.250.6'))));
  });

  it('says so, with exit code 1, when nothing matches', async () => {
    const r = await runCli(['find', '192.0.2.99', '--snapshot', HUB]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nothing in the snapshot matches');
  });
});

describe('inventory --type public-ips', () => {
  it('lists every public and Elastic IP with what holds it, across examples', () => {
    const lab = inventory(loadSnapshot('examples/flowlogs-lab'), { types: ['public-ips'] });
    expect(lab.length).toBe(2);
    expect(lab.map((r) => r.detail).join('\n')).toMatch(/Elastic IP/);
    expect(lab.map((r) => r.detail).join('\n')).toMatch(/auto-assigned public IP/);
    for (const r of lab) expect(r.detail).toMatch(/instance i-[0-9a-f]+ \(lab-[ab]\)/);
    const egress = inventory(loadSnapshot('examples/private-subnet-egress'), { types: ['public-ips'] });
    expect(egress.some((r) => /NAT gateway nat-/.test(r.detail))).toBe(true);
  });
});

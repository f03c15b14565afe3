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

describe('inventory filters and formats', () => {
  it('filters by type, account, region and VPC, and prints CSV', async () => {
    const model = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');
    const all = inventory(model);
    const vpcs = inventory(model, { types: ['vpcs'] });
    expect(vpcs.map((r) => r.name).sort()).toEqual(['connectivity-vpc', 'workloads-vpc']);
    const workloads = inventory(model, { account: '574019283746' });
    expect(workloads.length).toBeGreaterThan(0);
    expect(workloads.every((r) => r.account === '574019283746')).toBe(true);
    expect(inventory(model, { region: 'us-east-1' })).toEqual([]);
    const oneVpc = inventory(model, { vpc: 'vpc-0d2f7c7a84966a16b', types: ['subnets'] });
    expect(oneVpc).toHaveLength(5);
    expect(all.length).toBeGreaterThan(oneVpc.length);
    const csv = await runCli(['inventory', '--snapshot', 'examples/hybrid-vpn-tgw-privatelink', '--type', 'transit-gateways', '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('type,id,name,account,region,vpc,address,state,detail');
    expect(csv.stdout).toMatch(/^transit-gateways,tgw-0b4480951946c391b,core-tgw,318204957126,eu-west-1,/m);
  });
});

describe('routes', () => {
  it('prints the effective routes of a transit gateway route table and of a VPC', async () => {
    const t = await runCli(['routes', '--snapshot', 'examples/hybrid-vpn-tgw-privatelink', '--tgw-route-table', 'tgw-rtb-0b294969771f4a7cb', '--json']);
    expect(t.code).toBe(0);
    const rows = JSON.parse(t.stdout);
    expect(rows.map((r: { destination: string; origin: string; status: string }) => [r.destination, r.origin, r.status])).toEqual([
      ['10.0.0.0/16', 'propagated', 'active'],
      ['192.168.0.0/16', 'static', 'active'],
    ]);
    const v = await runCli(['routes', '--snapshot', 'examples/peering-nontransitive', '--vpc', 'vpc-0a11a22a33a44a55a']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/0\.0\.0\.0\/0\s+pcx-0ab1ab2ab3ab4ab5a\s+static\s+active/);
    const bad = await runCli(['routes', '--snapshot', 'examples/peering-nontransitive']);
    expect(bad.code).toBe(2);
  });
});

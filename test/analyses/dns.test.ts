/**
 * DNS as the VPC resolves it (aws-vpc-semantics §10, §5.3, §6): private hosted zones, alias records to
 * interface endpoints, zonal endpoint names, NXDOMAIN inside a private zone, split view, weighted records,
 * CNAME chains, wildcards, and the resolution as the first hop of a trace.
 */
import { describe, expect, it } from 'vitest';
import { resolveName } from '../../src/analyses/resolve.js';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { ACCOUNT, at, copyExample, editSnapshot, REGION, tempSnapshot } from '../helpers/temp-snapshot.js';
import { runCli } from '../cli/run-cli.js';

const HUB = 'examples/hub-spoke-privatelink';
const SPOKE_VPC = 'vpc-02a0659dcaf6d5db1';
const HUB_VPC = 'vpc-076a8773670043f09';
const ENDPOINT_IPS = ['10.210.240.144', '10.210.245.151', '10.210.250.6'];

describe('resolveName over hub-spoke-privatelink', () => {
  const model = loadSnapshot(HUB);

  it('vault.services.wd: private zone alias -> endpoint regional name -> the three endpoint interfaces', () => {
    const r = resolveName(model, 'vault.services.wd', SPOKE_VPC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.answer.addresses].sort()).toEqual(ENDPOINT_IPS);
    expect(r.answer.target).toEqual({ kind: 'vpc-endpoint', id: 'vpce-05f369e1810ebea62' });
    expect(r.answer.chain[0]).toMatchObject({ name: 'vault.services.wd', type: 'ALIAS', via: 'private hosted zone services.wd (Z06LPRDZNXJIL8WFC2CND)' });
    expect(r.answer.chain[0]?.value).toMatch(/^vpce-05f369e1810ebea62-[a-z0-9]+\.vpce-svc-0154334b401d1c4fa\.eu-central-1\.vpce\.amazonaws\.com$/);
  });

  it('a zonal endpoint name resolves to the interface of that AZ only', () => {
    const ep = model.vpcEndpoints.get('vpce-05f369e1810ebea62');
    const zonal = ep?.dnsEntries.find((e) => /-eu-central-1c\./.test(e.dnsName))?.dnsName as string;
    const r = resolveName(model, zonal, SPOKE_VPC);
    expect(r.ok && r.answer.addresses).toEqual(['10.210.250.6']);
  });

  it('a missing name inside an associated private zone is NXDOMAIN; where the zone is not associated it is unknown', () => {
    const spoke = resolveName(model, 'nothere.services.wd', SPOKE_VPC);
    expect(spoke).toMatchObject({ ok: false, code: 'DNS_NAME_NOT_FOUND_IN_PRIVATE_ZONE', zoneId: 'Z06LPRDZNXJIL8WFC2CND' });
    const hub = resolveName(model, 'vault.services.wd', HUB_VPC);
    expect(hub).toMatchObject({ ok: false, code: 'DNS_NAME_UNKNOWN' });
  });

  it("the internal NLB's name resolves to its private node addresses", () => {
    const lb = [...model.loadBalancers.values()][0];
    const r = resolveName(model, lb?.dnsName as string);
    expect(r.ok && [...r.answer.addresses].sort()).toEqual(['10.209.4.10', '10.209.5.10', '10.209.6.10']);
  });

  it('a VPC with enableDnsSupport false gets no answer', () => {
    const dir = copyExample('hub-spoke-privatelink');
    editSnapshot(dir, 'EnableDnsSupport', (doc) => {
      if (doc.VpcId === SPOKE_VPC) doc.EnableDnsSupport.Value = false;
    });
    expect(resolveName(loadSnapshot(dir), 'vault.services.wd', SPOKE_VPC)).toMatchObject({ ok: false, code: 'DNS_RESOLUTION_DISABLED' });
  });
});

describe('resolveName: endpoint private DNS, record policies', () => {
  it('sns.us-west-2.amazonaws.com resolves to the endpoint inside the VPC and is unknown outside', () => {
    const model = loadSnapshot('examples/private-subnet-egress');
    const vpc = [...model.vpcs.keys()][0];
    const inside = resolveName(model, 'sns.us-west-2.amazonaws.com', vpc);
    expect(inside.ok && inside.answer.addresses).toEqual(['10.20.10.80']);
    expect(resolveName(model, 'sns.us-west-2.amazonaws.com')).toMatchObject({ ok: false, code: 'DNS_NAME_UNKNOWN' });
  });

  const zoneFiles = (records: unknown[]) =>
    tempSnapshot({
      [at('vpcs.json')]: { Vpcs: [{ VpcId: 'vpc-0aaa0000000000001', CidrBlock: '10.0.0.0/16' }] },
      [at('zone.json', ACCOUNT, 'global')]: { HostedZone: { Id: '/hostedzone/Z0000000000000000001', Name: 'corp.internal.', Config: { PrivateZone: true } }, VPCs: [{ VPCId: 'vpc-0aaa0000000000001', VPCRegion: REGION }] },
      [at('records.json', ACCOUNT, 'global')]: { HostedZoneId: 'Z0000000000000000001', ResourceRecordSets: records },
    });

  it('lists weighted record sets as alternatives', () => {
    const m = loadSnapshot(
      zoneFiles([
        { Name: 'api.corp.internal.', Type: 'A', SetIdentifier: 'blue', Weight: 90, TTL: 60, ResourceRecords: [{ Value: '10.0.1.10' }] },
        { Name: 'api.corp.internal.', Type: 'A', SetIdentifier: 'green', Weight: 10, TTL: 60, ResourceRecords: [{ Value: '10.0.2.10' }] },
      ]),
    );
    const r = resolveName(m, 'api.corp.internal', 'vpc-0aaa0000000000001');
    expect(r.ok && r.answer.alternatives).toEqual([
      { setIdentifier: 'blue', weight: 90, addresses: ['10.0.1.10'] },
      { setIdentifier: 'green', weight: 10, addresses: ['10.0.2.10'] },
    ]);
  });

  it('follows CNAME chains and wildcards, and reports loops', () => {
    const m = loadSnapshot(
      zoneFiles([
        { Name: 'www.corp.internal.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'web.corp.internal' }] },
        { Name: '\\052.corp.internal.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.3.3' }] },
        { Name: 'a.corp.internal.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'b.corp.internal' }] },
        { Name: 'b.corp.internal.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'a.corp.internal' }] },
      ]),
    );
    const www = resolveName(m, 'www.corp.internal', 'vpc-0aaa0000000000001');
    expect(www.ok && www.answer.chain.map((c) => c.type)).toEqual(['CNAME', 'A']);
    expect(www.ok && www.answer.addresses).toEqual(['10.0.3.3']);
    expect(resolveName(m, 'a.corp.internal', 'vpc-0aaa0000000000001')).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
  });
});

describe('DNS in trace and the resolve command', () => {
  it('vault.services.wd is resolved as the first hop, using the endpoint interface in the source AZ', () => {
    const r = trace(loadSnapshot(HUB), { from: 'spoke-bastion', to: 'vault.services.wd', port: 443 });
    expect(r.reachable).toBe(true);
    expect(r.forwardPath[0]).toMatchObject({ component: { id: 'vault.services.wd', type: 'dns' }, action: 'resolve' });
    // spoke-bastion is in eu-central-1a, where the endpoint interface is 10.210.240.144 (README).
    expect(r.query.packet.dstIp).toBe('10.210.240.144');
    expect(r.query.destination.input).toBe('vault.services.wd');
  });

  it('an unknown name in the private zone is reported as the blocker, not as bad input', () => {
    const r = trace(loadSnapshot(HUB), { from: 'spoke-bastion', to: 'nothere.services.wd', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toEqual(['DNS_NAME_NOT_FOUND_IN_PRIVATE_ZONE']);
  });

  it('resolve prints the chain and exits 0, or the code and exits 1', async () => {
    const ok = await runCli(['resolve', 'vault.services.wd', '--snapshot', HUB, '--from', 'spoke-bastion']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/vault\.services\.wd -> 10\.210\.240\.144, 10\.210\.245\.151, 10\.210\.250\.6/);
    const no = await runCli(['resolve', 'nothere.services.wd', '--snapshot', HUB, '--from', 'spoke-bastion']);
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/^DNS_NAME_NOT_FOUND_IN_PRIVATE_ZONE/);
    const bad = await runCli(['resolve', 'x.y', '--snapshot', HUB, '--from', 'nobody']);
    expect(bad.code).toBe(2);
  });
});

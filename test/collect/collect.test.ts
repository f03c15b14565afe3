/**
 * `collect` end to end with the real SDK v3 clients over HTTP against the local AWS server (aws-server.ts)
 * serving the estate of estate.ts: files written, the snapshot loaded, inventory, pagination, retries,
 * concurrency, AccessDenied recorded as load warnings, assume-role per account, no secret written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventory, type InventoryType } from '../../src/analyses/inventory.js';
import { trace } from '../../src/analyses/trace.js';
import { COLLECT_ACTIONS } from '../../src/collect/calls.js';
import type { CollectSummary } from '../../src/collect/collector.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../src/model/network.js';
import { tempDir } from '../helpers/temp-snapshot.js';
import { startAwsServer, type AwsRequest, type AwsServer } from './aws-server.js';
import {
  A,
  ALB_ARN,
  ALL_SECRETS,
  assumedKey,
  B,
  C,
  CALLER_KEY,
  callOf,
  classicArn,
  CLB_NAME,
  CLB_OLD_NAME,
  CLB_CHILDREN,
  CLB_PAGES,
  createEstate,
  D,
  DX_ASSOCIATIONS,
  DX_GATEWAYS,
  DX_PAGES,
  EC2_CHILDREN,
  EC2_PAGES,
  ELB_CHILDREN,
  ELB_PAGES,
  EU,
  HOSTED_ZONE,
  NLB_ARN,
  RECORD_PAGES,
  TG_TLS,
  TG_WEB,
  US,
  VPC_DNS,
  ZONE,
  ZONE_VPCS,
} from './estate.js';
import { allText, collectFrom, listFiles, readJson } from './helpers.js';

type Doc = Record<string, unknown>;

const SLOW_MS = 300;
const CONCURRENCY = 2;

let server: AwsServer;
let out: string;
let summary: CollectSummary;
let progress: string;
let model: NetworkModel;

beforeAll(async () => {
  server = await startAwsServer(createEstate({ slowMs: SLOW_MS }));
  out = tempDir('collect');
  const r = await collectFrom(server, out, { concurrency: CONCURRENCY });
  if (!r.result.ok) throw new Error(r.result.message);
  summary = r.result.summary;
  progress = r.progress;
  model = loadSnapshot(out);
});

afterAll(async () => {
  await server.close();
});

/** Merges served pages the way the CLI prints them: list members concatenated. */
function merged(pages: readonly Doc[]): Doc {
  const doc: Doc = {};
  for (const p of pages)
    for (const [k, v] of Object.entries(p)) doc[k] = Array.isArray(v) ? [...((doc[k] as unknown[] | undefined) ?? []), ...v] : v;
  return doc;
}

/** Values of `field` in the served list `listKey` of `action`, over every account and region. */
function served(action: string, listKey: string, field: string): string[] {
  return Object.entries(EC2_PAGES)
    .filter(([k]) => k.endsWith(`/${action}`))
    .flatMap(([, pages]) => pages.flatMap((p) => ((p[listKey] as Doc[] | undefined) ?? []).map((x) => String(x[field]))))
    .sort();
}

const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();
const requestsOf = (account: string, region: string, action: string) =>
  server.requests.filter((r) => r.accessKeyId === assumedKey(account) && r.region === region && callOf(r) === action);
const refusedInBUs = () => uniq(server.requests.filter((r) => r.accessKeyId === assumedKey(B) && r.region === US && r.status === 403).map(callOf));

describe('collect against a local AWS endpoint', () => {
  it('gives a per-account result: ok, failed calls, role not assumed; suspended accounts are left out', () => {
    const by = new Map(summary.accounts.map((a) => [a.account, a]));
    expect([...by.keys()].sort()).toEqual([A, B, D]);
    expect(by.has(C)).toBe(false);
    const a = by.get(A)!;
    expect(a.status).toBe('ok');
    expect(a.status !== 'role-not-assumed' && a.regions).toEqual([EU, US]);
    const b = by.get(B)!;
    expect(b.status).toBe('partial');
    if (b.status === 'role-not-assumed') throw new Error('unreachable');
    expect(b.failedCalls).toBe(refusedInBUs().length);
    expect(uniq(b.failures.map((f) => f.call))).toEqual(refusedInBUs());
    expect(b.failures.every((f) => f.region === US)).toBe(true);
    expect(b.failures.find((f) => f.call === 'DescribeVpcs')?.code).toBe('UnauthorizedOperation');
    expect(b.failures.find((f) => f.call === 'DescribeLoadBalancers')?.code).toBe('AccessDenied');
    const d = by.get(D)!;
    expect(d.status).toBe('role-not-assumed');
    expect(d.status === 'role-not-assumed' && d.code).toBe('AccessDenied');
    expect(summary.interrupted).toBe(false);
    expect(readJson(out, 'collect-summary.json')).toEqual({ vpctwin: { collectSummary: JSON.parse(JSON.stringify(summary)) } });
  });

  it('writes every served list call as the CLI prints it, pages merged', () => {
    for (const [key, pages] of Object.entries(EC2_PAGES)) {
      const [account, region, action] = key.split('/');
      expect(readJson(out, `${account}/${region}/${action}.json`), key).toEqual(merged(pages));
    }
    for (const [key, pages] of Object.entries(ELB_PAGES)) {
      const [account, region, action] = key.split('/');
      expect(readJson(out, `${account}/${region}/${action}.json`), key).toEqual(merged(pages));
    }
    // Classic Load Balancers: the same operation name as ELBv2's, in a file of its own.
    for (const [key, pages] of Object.entries(CLB_PAGES)) {
      const [account, region] = key.split('/');
      expect(readJson(out, `${account}/${region}/DescribeLoadBalancers-classic.json`), key).toEqual(merged(pages));
    }
    expect(readJson(out, `${A}/${US}/DescribeLoadBalancers-classic.json`)).toEqual({ LoadBalancerDescriptions: [] });
    // Direct Connect gateways are global: listed once per account (in the home region), under global/.
    for (const [account, pages] of Object.entries(DX_PAGES)) expect(readJson(out, `${account}/global/DescribeDirectConnectGateways.json`), account).toEqual(merged(pages));
    expect(readJson(out, `${B}/global/DescribeDirectConnectGateways.json`)).toEqual({ directConnectGateways: [] });
    // Associations: one file per gateway, the gateway id beside the list (so an empty list means "none").
    const assocFile = (id: string) => `${A}/global/DescribeDirectConnectGatewayAssociations.${id}.json`;
    for (const id of DX_GATEWAYS) expect(readJson(out, assocFile(id)), id).toEqual({ ...DX_ASSOCIATIONS[id], directConnectGatewayId: id });
    expect(listFiles(out).filter((f) => f.includes('DirectConnect'))).toEqual([...DX_GATEWAYS.map(assocFile), `${A}/global/DescribeDirectConnectGateways.json`, `${B}/global/DescribeDirectConnectGateways.json`].sort());
    // Calls that returned nothing still say so: an empty list, not a missing file.
    expect(readJson(out, `${A}/${US}/DescribeNatGateways.json`)).toEqual({ NatGateways: [] });
    expect(readJson(out, `${B}/global/ListHostedZones.json`)).toEqual({ HostedZones: [] });
  });

  it('writes per-parent calls with the parent beside the list or in the file name', () => {
    const beside: Record<string, string> = {
      DescribeVpcEndpointServicePermissions: 'ServiceId',
      GetManagedPrefixListEntries: 'PrefixListId',
      SearchTransitGatewayRoutes: 'TransitGatewayRouteTableId',
      GetTransitGatewayRouteTableAssociations: 'TransitGatewayRouteTableId',
      GetTransitGatewayRouteTablePropagations: 'TransitGatewayRouteTableId',
    };
    for (const [key, doc] of Object.entries(EC2_CHILDREN)) {
      const [account, region, action, parent] = key.split('/');
      expect(readJson(out, `${account}/${region}/${action}.${parent}.json`), key).toEqual({ [beside[action!]!]: parent, ...doc });
    }
    const name = (arn: string) => arn.split('/').slice(-2, -1)[0];
    for (const [key, doc] of Object.entries(ELB_CHILDREN)) {
      const [action, arn] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const parentKey = action === 'DescribeListeners' ? undefined : action === 'DescribeLoadBalancerAttributes' ? 'LoadBalancerArn' : 'TargetGroupArn';
      expect(readJson(out, `${A}/${EU}/${action}.${name(arn)}.json`), key).toEqual(parentKey ? { [parentKey]: arn, ...doc } : doc);
    }
    // Classic Load Balancers: per name, the name beside the list (or object); the attributes file has its own
    // stem, since ELBv2's DescribeLoadBalancerAttributes.<name>.json is another call.
    const classicFiles: string[] = [];
    for (const [key, doc] of Object.entries(CLB_CHILDREN)) {
      const [action, lbName] = key.split('/');
      const file = `${A}/${EU}/${action === 'DescribeLoadBalancerAttributes' ? 'DescribeLoadBalancerAttributes-classic' : action}.${lbName}.json`;
      classicFiles.push(file);
      expect(readJson(out, file), key).toEqual({ LoadBalancerName: lbName, ...doc });
    }
    expect(listFiles(out).filter((f) => /DescribeInstanceHealth\.|DescribeLoadBalancerAttributes-classic\./.test(f))).toEqual(classicFiles.sort());
    // One call each per Classic Load Balancer, by name; none where the Classic listing was refused.
    for (const action of ['DescribeInstanceHealth', 'DescribeLoadBalancerAttributes-classic'])
      expect(requestsOf(A, EU, action).map((r) => r.params.LoadBalancerName).sort(), action).toEqual([CLB_NAME, CLB_OLD_NAME]);
    expect(server.requests.filter((r) => r.accessKeyId === assumedKey(B) && ['DescribeInstanceHealth', 'DescribeLoadBalancerAttributes-classic'].includes(callOf(r)))).toEqual([]);
    expect(readJson(out, `${A}/global/GetHostedZone.${ZONE}.json`)).toEqual({ HostedZone: HOSTED_ZONE, VPCs: ZONE_VPCS });
    expect(readJson(out, `${A}/global/ListResourceRecordSets.${ZONE}.json`)).toEqual({ HostedZoneId: ZONE, ResourceRecordSets: RECORD_PAGES.flat() });
    expect(readJson(out, `${A}/${EU}/DescribeVpcAttribute.enableDnsHostnames.vpc-0a000002.json`)).toEqual({ VpcId: 'vpc-0a000002', EnableDnsHostnames: { Value: false } });
  });

  it('loads with no problem other than one warning per failed call', () => {
    expect(model.issues.filter((i) => i.code !== 'COLLECTION_ERROR')).toEqual([]);
    const warnings = model.issues.filter((i) => i.code === 'COLLECTION_ERROR');
    expect(warnings.every((w) => w.severity === 'warning')).toBe(true);
    expect(warnings).toHaveLength(refusedInBUs().length + 1);
    for (const action of refusedInBUs()) {
      const w = warnings.filter((x) => x.message.includes(`${action} failed`));
      expect(w, action).toHaveLength(1);
      expect(w[0]!.message).toContain(`account ${B}, region ${US}`);
      expect(w[0]!.message).toContain('unknown');
      expect(w[0]!.source?.file).toBe(`${B}/${US}/CollectErrors.json`);
    }
    const role = warnings.find((w) => w.message.includes(D));
    expect(role?.message).toMatch(/role could not be assumed \(AccessDenied/);
  });

  it('inventory lists everything served', () => {
    const ids = (type: InventoryType, account?: string) => inventory(model, { types: [type], account }).map((r) => r.id).sort();
    expect(ids('vpcs')).toEqual(served('DescribeVpcs', 'Vpcs', 'VpcId'));
    expect(ids('vpcs', A)).toEqual(['vpc-0a000001', 'vpc-0a000002', 'vpc-0a000003']);
    expect(ids('subnets')).toEqual(served('DescribeSubnets', 'Subnets', 'SubnetId'));
    expect(ids('network-interfaces')).toEqual(served('DescribeNetworkInterfaces', 'NetworkInterfaces', 'NetworkInterfaceId'));
    expect(ids('instances')).toEqual(['i-0a000001']);
    expect(ids('internet-gateways')).toEqual(served('DescribeInternetGateways', 'InternetGateways', 'InternetGatewayId'));
    expect(ids('nat-gateways')).toEqual(served('DescribeNatGateways', 'NatGateways', 'NatGatewayId'));
    expect(ids('endpoints')).toEqual(served('DescribeVpcEndpoints', 'VpcEndpoints', 'VpcEndpointId'));
    expect(ids('endpoint-services')).toEqual(served('DescribeVpcEndpointServiceConfigurations', 'ServiceConfigurations', 'ServiceId'));
    expect(ids('transit-gateways').filter((id) => id.startsWith('tgw-0'))).toEqual(served('DescribeTransitGateways', 'TransitGateways', 'TransitGatewayId'));
    expect(ids('peering')).toEqual(uniq(served('DescribeVpcPeeringConnections', 'VpcPeeringConnections', 'VpcPeeringConnectionId')));
    expect(ids('load-balancers')).toEqual([ALB_ARN, NLB_ARN, classicArn(A, EU, CLB_NAME), classicArn(A, EU, CLB_OLD_NAME)].sort());
    expect(ids('hosted-zones')).toEqual([ZONE]);
    expect(ids('public-ips')).toEqual(['203.0.113.10', '203.0.113.30']);
    const regions = new Set(inventory(model, { types: ['vpcs'] }).map((r) => `${r.account}/${r.region}`));
    expect([...regions].sort()).toEqual([`${A}/${EU}`, `${A}/${US}`, `${B}/${EU}`]);
  });

  it('links per-parent calls into the model', () => {
    const tls = model.targetGroups.get(TG_TLS)!;
    expect(tls.targetsKnown).toBe(true);
    expect(tls.targets.map((t) => [t.id, t.port, t.healthState])).toEqual([['i-0a000001', 443, 'healthy']]);
    expect(tls.attributes).toEqual({ 'preserve_client_ip.enabled': 'true', 'proxy_protocol_v2.enabled': 'false' });
    expect(model.targetGroups.get(TG_WEB)!.targets.map((t) => t.healthState)).toEqual(['unhealthy']);
    expect(model.loadBalancers.get(NLB_ARN)!.attributes).toEqual({ 'load_balancing.cross_zone.enabled': 'false' });
    expect(model.loadBalancers.get(NLB_ARN)!.networkInterfaceIds).toEqual(['eni-0a000002']);
    expect([...model.listeners.values()].filter((l) => !l.loadBalancerArn.includes(':loadbalancer/a-classic')).map((l) => `${l.protocol}:${l.port}`).sort()).toEqual(['HTTP:80', 'TCP:443']);
    const rtb = model.transitGatewayRouteTables.get('tgw-rtb-0a000001')!;
    expect(rtb.routesKnown).toBe(true);
    expect(rtb.routes.map((r) => (r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId))).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(rtb.associatedAttachmentIds).toEqual(['tgw-attach-0a000001', 'tgw-attach-0a000002']);
    expect(rtb.propagatingAttachmentIds).toEqual(['tgw-attach-0a000001', 'tgw-attach-0a000002']);
    expect(model.prefixLists.get('pl-0a000001')!.cidrs).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
    const zone = model.hostedZones.get(ZONE)!;
    expect(zone.vpcs).toEqual([{ vpcId: 'vpc-0a000001', region: EU }]);
    expect(zone.records).toHaveLength(RECORD_PAGES.flat().length);
    for (const [vpcId, [support, hostnames]] of Object.entries(VPC_DNS)) {
      expect(model.vpcs.get(vpcId)?.dnsSupport, vpcId).toBe(support);
      expect(model.vpcs.get(vpcId)?.dnsHostnames, vpcId).toBe(hostnames);
    }
    const svc = model.endpointServices.get('vpce-svc-0a000001')!;
    expect(svc.allowedPrincipals).toEqual([`arn:aws:iam::${B}:root`]);
    expect(svc.connections.map((c) => c.endpointId)).toEqual(['vpce-0b000001']);
  });

  it('loads Classic Load Balancers with their listeners, registered instances and node interfaces, and traces through them', () => {
    const clb = model.loadBalancers.get(classicArn(A, EU, CLB_NAME))!;
    expect(clb).toBeDefined();
    expect([clb.lbType, clb.scheme, clb.account, clb.region, clb.vpcId]).toEqual(['classic', 'internal', A, EU, 'vpc-0a000001']);
    expect(clb.dnsName).toBe('internal-a-classic-1234567890.eu-west-1.elb.amazonaws.com');
    expect(clb.classicInstanceIds).toEqual(['i-0a000001']);
    expect(model.instances.get('i-0a000001')?.state).toBe('running');
    expect(clb.zones).toEqual([{ zoneName: 'eu-west-1a', subnetId: 'subnet-0a000001', addresses: [] }]);
    expect(clb.securityGroupIds).toEqual(['sg-0a000001']);
    expect(clb.networkInterfaceIds).toEqual(['eni-0a000004']);
    expect(model.listenersOf(clb.arn).map((l) => [l.protocol, l.port, l.instanceProtocol, l.instancePort])).toEqual([['TCP', 443, 'TCP', 443]]);
    // A trace by its DNS name goes through a node interface to the registered instance.
    const t = trace(model, { from: 'a-web-1', to: clb.dnsName!, port: 443 });
    expect(t.reachable).toBe(true);
    const hop = t.forwardPath.find((h) => h.component.type === 'load-balancer' && h.action === 'translate');
    expect(hop?.component.id).toBe(clb.arn);
    expect(hop?.rule).toContain('instance i-0a000001');
    expect(hop?.packet).toMatchObject({ srcIp: '10.1.1.40', dstIp: '10.1.1.10', dstPort: 443 });
    // Instance health per instance, and the attributes (CrossZoneLoadBalancing.Enabled → the cross-zone key).
    expect(clb.classicTargets?.map((h) => [h.id, h.healthState, h.healthReason])).toEqual([['i-0a000001', 'InService', undefined]]);
    expect(clb.attributes).toEqual({
      'load_balancing.cross_zone.enabled': 'true',
      'access_logs.s3.enabled': 'false',
      'connection_draining.enabled': 'true',
      'connection_draining.timeout_seconds': '300',
      'idle_timeout.timeout_seconds': '60',
      'elb.http.desyncmitigationmode': 'defensive',
    });
    expect(hop?.rule).toContain('InService');
    expect(t.notes.join('\n')).not.toMatch(/assumed InService|cross-zone load balancing of Classic/);
    const old = model.loadBalancers.get(classicArn(A, EU, CLB_OLD_NAME))!;
    expect([old.lbType, old.vpcId, old.classicInstanceIds]).toEqual(['classic', 'vpc-0a000002', []]);
    // An empty InstanceStates list: health known, no instance.
    expect(old.classicTargets).toEqual([]);
    expect(old.attributes['load_balancing.cross_zone.enabled']).toBe('false');
    expect(model.listenersOf(old.arn).map((l) => [l.protocol, l.port, l.instanceProtocol, l.instancePort])).toEqual([['HTTP', 80, 'HTTP', 8080]]);
  });

  it('loads the Direct Connect gateways once, in their account', () => {
    const served = Object.values(DX_PAGES).flatMap((pages) => pages.flatMap((p) => p.directConnectGateways as Doc[]));
    expect([...model.directConnectGateways.keys()].sort()).toEqual([...DX_GATEWAYS]);
    for (const g of served) {
      const d = model.directConnectGateways.get(String(g.directConnectGatewayId))!;
      expect([d.account, d.region, d.name, d.amazonSideAsn, d.state]).toEqual([A, 'global', g.directConnectGatewayName, g.amazonSideAsn, 'available']);
    }
    // Their associations: the primary's to the transit gateway with its allowed prefixes; the secondary has none.
    const primary = model.directConnectGateways.get(DX_GATEWAYS[0])!;
    expect(primary.associationsKnown).toBe(true);
    expect(primary.associations?.map((a) => [a.state, a.gatewayType, a.gatewayId, a.allowedPrefixes])).toEqual([['associated', 'transit-gateway', 'tgw-0a000001', ['10.1.0.0/16', '10.2.0.0/16']]]);
    const secondary = model.directConnectGateways.get(DX_GATEWAYS[1])!;
    expect([secondary.associationsKnown, secondary.associations ?? []]).toEqual([true, []]);
    // One listing per account, in the home region, whatever regions are collected; one association call per gateway.
    const dx = server.requests.filter((r) => r.service === 'directconnect' && r.action === 'DescribeDirectConnectGateways');
    expect(server.requests.filter((r) => r.action === 'DescribeDirectConnectGatewayAssociations').length).toBe(DX_GATEWAYS.length);
    expect(uniq(dx.map((r) => r.region))).toEqual([EU]);
    expect(dx.filter((r) => r.accessKeyId === assumedKey(B))).toHaveLength(1);
  });

  it('follows every page', () => {
    const tokens = (reqs: AwsRequest[], key: string) => reqs.map((r) => r.params[key]);
    expect(tokens(requestsOf(A, EU, 'DescribeVpcs'), 'NextToken')).toEqual([undefined, 'page-2']);
    expect(tokens(requestsOf(A, EU, 'DescribeLoadBalancers'), 'Marker')).toEqual([undefined, 'marker-2']);
    expect(tokens(requestsOf(A, EU, 'DescribeLoadBalancers-classic'), 'Marker')).toEqual([undefined, 'clb-marker-2']);
    expect(tokens(requestsOf(A, EU, 'DescribeDirectConnectGateways'), 'nextToken')).toEqual([undefined, 'dx-page-2']);
    expect(server.requests.filter((r) => r.action === 'ListResourceRecordSets' && r.accessKeyId === assumedKey(A)).map((r) => r.params.name)).toEqual([undefined, 'api.internal.example.']);
    expect(tokens(server.requests.filter((r) => r.action === 'ListAccounts'), 'NextToken')).toEqual([undefined, 'page-2']);
  });

  it('retries throttled calls and then succeeds', () => {
    expect(requestsOf(A, EU, 'DescribeSecurityGroups').map((r) => r.status)).toEqual([400, 200]);
    expect(requestsOf(A, EU, 'DescribeTargetGroups').map((r) => r.status)).toEqual([400, 200]);
    expect(summary.calls.retries).toBe(2);
    expect(summary.accounts.find((a) => a.account === A)?.status).toBe('ok');
  });

  it('keeps concurrency bounded per account, region and service while a slow call is pending', () => {
    const peaks = [...server.maxInFlight.values()];
    expect(Math.max(...peaks)).toBe(CONCURRENCY);
    const slow = requestsOf(A, US, 'DescribeSubnets')[0]!;
    expect(slow.end! - slow.start).toBeGreaterThanOrEqual(SLOW_MS - 20);
    // Other calls of the same account and region started and finished while the slow one was pending.
    const during = server.requests.filter((r) => r !== slow && r.accessKeyId === slow.accessKeyId && r.region === US && r.start > slow.start && r.end! < slow.end!);
    expect(during.length).toBeGreaterThan(0);
  });

  it('reads each account with that account\'s assumed role, and calls only the actions the policy grants', () => {
    const data = server.requests.filter((r) => r.service !== 'sts' && r.service !== 'organizations');
    expect(uniq(data.map((r) => r.accessKeyId))).toEqual([assumedKey(A), assumedKey(B)]);
    const assumed = server.requests.filter((r) => r.action === 'AssumeRole').map((r) => String(r.params.RoleArn));
    expect(uniq(assumed)).toEqual([A, B, D].map((a) => `arn:aws:iam::${a}:role/VpctwinCollect`));
    expect(server.requests.filter((r) => r.service === 'sts' || r.service === 'organizations').every((r) => r.accessKeyId === CALLER_KEY)).toBe(true);
    const prefix: Record<string, string> = { ec2: 'ec2', elasticloadbalancing: 'elasticloadbalancing', directconnect: 'directconnect', route53: 'route53', sts: 'sts', organizations: 'organizations' };
    for (const r of server.requests) expect(COLLECT_ACTIONS, r.action).toContain(`${prefix[r.service]}:${r.action}`);
  });

  it('never writes or prints credentials', () => {
    const text = allText(out) + progress + JSON.stringify(summary);
    for (const s of ALL_SECRETS) expect(text.includes(s), s).toBe(false);
    // The refusal messages named the access key; the stored message has it redacted.
    const errors = readJson(out, `${B}/${US}/CollectErrors.json`) as { CollectErrors: { Message: string }[] };
    expect(errors.CollectErrors[0]!.Message).toContain('[redacted');
  });

  it('prints plain progress lines when not on a terminal', () => {
    expect(progress).toContain(`collect: ${A} ${EU}:`);
    expect(progress).toContain(`collect: account ${B}: ${refusedInBUs().length} failed calls`);
    expect(progress).toContain(`collect: account ${D}: role could not be assumed (AccessDenied)`);
    expect(progress).not.toContain('\r');
  });

  it('leaves no temporary file and nothing but JSON', () => {
    const files = listFiles(out);
    expect(files.filter((f) => !f.endsWith('.json'))).toEqual([]);
    expect(files.filter((f) => f.startsWith(`${C}/`))).toEqual([]);
  });
});

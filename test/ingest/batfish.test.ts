/**
 * Batfish AWS snapshots load as they are. The fixtures under test/fixtures/batfish/ are written for vpctwin in the
 * shapes Batfish stores (one file per top-level key; `aws_configs/<region>/`, `aws_configs/accounts/<account>/
 * <region>/` and files directly in `aws_configs/`; Batfish's wrapper lists for TGW static routes and propagations
 * and for load-balancer listeners, attributes and target health), with their own ids — not copied from Batfish.
 * The last block rewrites the example estates into the same shapes and checks that they load as the originals.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventory } from '../../src/analyses/inventory.js';
import { effectiveTransitGatewayRoutes } from '../../src/analyses/routes.js';
import { trace } from '../../src/analyses/trace.js';
import { expandBatfishWrappers } from '../../src/ingest/batfish.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { LoadIssue } from '../../src/model/issues.js';
import type { NetworkModel } from '../../src/model/network.js';
import type { TransitGatewayRoute } from '../../src/model/types.js';
import { tempDir, tempSnapshot } from '../helpers/temp-snapshot.js';

type Doc = Record<string, unknown>;

const FIXTURES = 'test/fixtures/batfish';
const ROOT = `${FIXTURES}/root-with-aws-configs`;
const ACCOUNTS = `${FIXTURES}/accounts-layout/aws_configs`;
const FLAT = `${FIXTURES}/flat`;

const show = (issues: readonly LoadIssue[]) => issues.map((i) => `${i.severity} ${i.code} ${i.source?.file ?? ''} ${i.source?.path ?? ''}: ${i.message}`).join('\n');

/** Loads a snapshot and fails, listing them, on any issue of severity error. */
function loadClean(dir: string): NetworkModel {
  const m = loadSnapshot(dir);
  const errors = m.issues.filter((i) => i.severity === 'error');
  expect(errors, `errors loading ${dir}:\n${show(errors)}`).toEqual([]);
  return m;
}

function codes(m: NetworkModel, code: string): LoadIssue[] {
  return m.issues.filter((i) => i.code === code);
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') ? [p] : [];
    });
}

const cidrs = (routes: readonly TransitGatewayRoute[]) => routes.map((r) => (r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId));

describe('expandBatfishWrappers', () => {
  it('keeps plain keys at $ and hands out each wrapper element as its own document at $.<Key>[i]', () => {
    const docs = expandBatfishWrappers({
      Vpcs: [{ VpcId: 'vpc-1' }],
      TransitGatewayStaticRoutes: [
        { AdditionalRoutesAvailable: false, Routes: [{ DestinationCidrBlock: '10.0.0.0/8' }], TransitGatewayRouteTableId: 'tgw-rtb-1' },
        { AdditionalRoutesAvailable: false, Routes: [], TransitGatewayRouteTableId: 'tgw-rtb-2' },
      ],
      TransitGatewayPropagations: [{ TransitGatewayRouteTableId: 'tgw-rtb-1', TransitGatewayRouteTablePropagations: [{ TransitGatewayAttachmentId: 'tgw-attach-1' }] }],
      LoadBalancerAttributes: [{ Attributes: [{ Key: 'k', Value: 'v' }], LoadBalancerArn: 'arn:lb' }],
      LoadBalancerTargetHealth: [{ TargetGroupArn: 'arn:tg', TargetHealthDescriptions: [] }],
    });
    expect(docs.map((d) => [d.pathPrefix, Object.keys(d.document).sort()])).toEqual([
      ['$', ['Vpcs']],
      ['$.TransitGatewayStaticRoutes[0]', ['AdditionalRoutesAvailable', 'Routes', 'TransitGatewayRouteTableId']],
      ['$.TransitGatewayStaticRoutes[1]', ['AdditionalRoutesAvailable', 'Routes', 'TransitGatewayRouteTableId']],
      ['$.TransitGatewayPropagations[0]', ['TransitGatewayRouteTableId', 'TransitGatewayRouteTablePropagations']],
      ['$.LoadBalancerAttributes[0]', ['Attributes', 'LoadBalancerArn']],
      ['$.LoadBalancerTargetHealth[0]', ['TargetGroupArn', 'TargetHealthDescriptions']],
    ]);
    expect(docs[1]?.document.TransitGatewayRouteTableId).toBe('tgw-rtb-1');
  });

  it('reads LoadBalancerListeners groups, giving listeners without LoadBalancerArn the group’s, and the early bare-listener form', () => {
    const listener = { ListenerArn: 'arn:l1', Port: 80, Protocol: 'TCP', DefaultActions: [] };
    const [, group] = expandBatfishWrappers({ LoadBalancerListeners: [{ LoadBalancerArn: 'arn:lb', Listeners: [listener] }] });
    expect(group).toEqual({ pathPrefix: '$.LoadBalancerListeners[0]', document: { LoadBalancerArn: 'arn:lb', Listeners: [{ ...listener, LoadBalancerArn: 'arn:lb' }] } });
    const bare = { ...listener, LoadBalancerArn: 'arn:lb' };
    expect(expandBatfishWrappers({ LoadBalancerListeners: [bare] })[1]).toEqual({ pathPrefix: '$.LoadBalancerListeners[0]', document: { Listeners: [bare] } });
  });

  it('gives Batfish’s PascalCase Direct Connect gateways the API’s camelCase member names, in place', () => {
    const [plain] = expandBatfishWrappers({
      DirectConnectGateways: [
        { DirectConnectGatewayId: 'dx-1', DirectConnectGatewayName: 'one', AmazonSideAsn: 64512, DirectConnectGatewayState: 'available' },
        { directConnectGatewayId: 'dx-2', amazonSideAsn: 64513 },
      ],
    });
    expect(plain).toEqual({
      pathPrefix: '$',
      document: {
        DirectConnectGateways: [
          { directConnectGatewayId: 'dx-1', directConnectGatewayName: 'one', amazonSideAsn: 64512, directConnectGatewayState: 'available' },
          { directConnectGatewayId: 'dx-2', amazonSideAsn: 64513 },
        ],
      },
    });
  });

  it('lets the loader report broken wrappers inside the wrapper instead of dropping them', () => {
    const dir = tempSnapshot({
      'aws_configs/us-east-1/TransitGatewayStaticRoutes.json': { TransitGatewayStaticRoutes: [{ TransitGatewayRouteTableId: 'tgw-rtb-0abc' }] },
      'aws_configs/us-east-1/LoadBalancerTargetHealth.json': { LoadBalancerTargetHealth: [{ TargetHealthDescriptions: [{ Target: { Id: '10.0.0.1' } }] }] },
      'aws_configs/us-east-1/LoadBalancerAttributes.json': { LoadBalancerAttributes: { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0abc', Attributes: 'oops' } },
    });
    const m = loadSnapshot(dir);
    const errors = m.issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.source?.file} ${i.source?.path}`);
    expect(errors).toEqual([
      'INVALID_FIELD aws_configs/us-east-1/LoadBalancerAttributes.json $.LoadBalancerAttributes.Attributes',
      'MISSING_PARENT aws_configs/us-east-1/LoadBalancerTargetHealth.json $',
      'INVALID_FIELD aws_configs/us-east-1/TransitGatewayStaticRoutes.json $.TransitGatewayStaticRoutes[0].Routes',
    ]);
  });
});

describe('fixtures', () => {
  it('together use every key Batfish stores that vpctwin reads, wrappers included', () => {
    const keys = new Set(jsonFiles(FIXTURES).flatMap((f) => Object.keys(JSON.parse(readFileSync(f, 'utf8')) as Doc)));
    for (const k of [
      'Vpcs',
      'Subnets',
      'RouteTables',
      'SecurityGroups',
      'NetworkAcls',
      'NetworkInterfaces',
      'Reservations',
      'InternetGateways',
      'NatGateways',
      'VpcEndpoints',
      'VpcPeeringConnections',
      'TransitGateways',
      'TransitGatewayAttachments',
      'TransitGatewayVpcAttachments',
      'TransitGatewayRouteTables',
      'TransitGatewayStaticRoutes',
      'TransitGatewayPropagations',
      'VpnConnections',
      'VpnGateways',
      'CustomerGateways',
      'LoadBalancers',
      'LoadBalancerListeners',
      'LoadBalancerAttributes',
      'LoadBalancerTargetHealth',
      'TargetGroups',
      'PrefixLists',
      'Addresses',
      'DirectConnectGateways',
    ])
      expect(keys, k).toContain(k);
  });
});

describe('a snapshot root holding aws_configs/<region>/', () => {
  const LB = 'arn:aws:elasticloadbalancing:us-east-1:303030303030:loadbalancer/app/web-alb/0c0ffee0a1b2c3d4';
  const TG = 'arn:aws:elasticloadbalancing:us-east-1:303030303030:targetgroup/web-8080/0c0ffee0e5f6a7b8';

  it('loads with zero errors, every reference resolved, the region from the folder', () => {
    const m = loadClean(ROOT);
    expect(show(codes(m, 'DANGLING_REFERENCE'))).toBe('');
    expect(show(codes(m, 'UNKNOWN_TOP_LEVEL_KEY'))).toBe('');
    expect(m.files.every((f) => f.file.startsWith('aws_configs/'))).toBe(true);
    expect(m.vpcs.get('vpc-0c0ffee000000a001')).toMatchObject({ account: '303030303030', region: 'us-east-1' });
    expect(m.vpcs.get('vpc-0c0ffee000000b001')).toMatchObject({ account: '303030303030', region: 'us-west-2' });
    expect(m.instances.get('i-0c0ffee000000b0c1')?.region).toBe('us-west-2');
    for (const r of [...m.subnets.values(), ...m.routeTables.values(), ...m.securityGroups.values(), ...m.networkInterfaces.values()])
      expect(r.region, r.id).toBe(r.vpcId === 'vpc-0c0ffee000000b001' ? 'us-west-2' : 'us-east-1');
    expect(m.natGateways.get('nat-0c0ffee000000a001')?.region).toBe('us-east-1');
    expect(m.elasticIps.get('eipalloc-0c0ffee000000a001')).toMatchObject({ publicIp: '198.51.100.50', networkInterfaceId: 'eni-0c0ffee000000a0f1', region: 'us-east-1' });
    expect(m.prefixLists.get('pl-0c0ffee0a5e3')?.cidrs).toEqual(['16.182.0.0/16', '52.216.0.0/15']);
    expect(m.vpcEndpoints.get('vpce-0c0ffee000000a5e3')).toMatchObject({ endpointType: 'gateway', routeTableIds: ['rtb-0c0ffee000000a0b2'] });
  });

  it('attaches the listeners, attributes and target health wrappers to their load balancer and target group', () => {
    const m = loadClean(ROOT);
    const listeners = m.listenersOf(LB);
    expect(listeners.map((l) => `${l.protocol}:${l.port}`).sort()).toEqual(['HTTP:80', 'HTTPS:443']);
    expect(listeners.map((l) => l.source)).toEqual(
      expect.arrayContaining([
        { file: 'aws_configs/us-east-1/LoadBalancerListeners.json', path: '$.LoadBalancerListeners[0].Listeners[0]' },
        { file: 'aws_configs/us-east-1/LoadBalancerListeners.json', path: '$.LoadBalancerListeners[0].Listeners[1]' },
      ]),
    );
    expect(listeners.every((l) => l.defaultActions[0]?.targetGroups[0]?.arn === TG)).toBe(true);
    expect(m.loadBalancers.get(LB)?.attributes).toEqual({ 'deletion_protection.enabled': 'false', 'idle_timeout.timeout_seconds': '60', 'routing.http2.enabled': 'true' });
    const tg = m.targetGroups.get(TG);
    expect(tg?.targetsKnown).toBe(true);
    expect(tg?.targets.map((t) => [t.id, t.port, t.healthState])).toEqual([
      ['i-0c0ffee000000a0c1', 8080, 'healthy'],
      ['i-0c0ffee000000a0c2', 8080, 'unhealthy'],
    ]);
    expect(tg?.targets[1]?.source).toEqual({ file: 'aws_configs/us-east-1/LoadBalancerTargetHealth.json', path: '$.LoadBalancerTargetHealth[0].TargetHealthDescriptions[1]' });
  });

  it('traces through the ALB to its targets and out through the NAT gateway', () => {
    const m = loadClean(ROOT);
    const inbound = trace(m, { from: 'internet', to: 'web-alb', port: 443 });
    expect(inbound.reachable, JSON.stringify(inbound.explanations)).toBe(true);
    expect(inbound.forwardPath.some((h) => h.component.id === 'i-0c0ffee000000a0c1' || h.component.id === 'eni-0c0ffee000000a0e1')).toBe(true);
    const outbound = trace(m, { from: 'web-1', to: '8.8.8.8', port: 443 });
    expect(outbound.reachable, JSON.stringify(outbound.explanations)).toBe(true);
    expect(outbound.forwardPath.map((h) => h.component.id)).toContain('nat-0c0ffee000000a001');
  });
});

describe('aws_configs/accounts/<account>/<region>/, given as the aws_configs folder', () => {
  const TGW = 'tgw-0a1a1a1a1a1a1a1a1';
  const SPOKES = 'tgw-rtb-0a1a1a1a1a1a1a5b1';
  const EDGE = 'tgw-rtb-0a1a1a1a1a1a1a5b2';
  const ATT = { hub: 'tgw-attach-0a1a1a1a1a1a1a0a1', app: 'tgw-attach-0a1a1a1a1a1a1a0a2', vpn: 'tgw-attach-0a1a1a1a1a1a1a0a3' };
  const NLB = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/db-nlb/0b2b2b2b2b2b2b2b';
  const TG = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/db-5432/0b2b2b2b2b2b2b5f';
  const HUB_FILE = (name: string) => `accounts/111111111111/us-east-1/${name}.json`;

  it('loads with zero errors; only Batfish’s virtual interfaces are an unknown key', () => {
    const m = loadClean(ACCOUNTS);
    expect(show(codes(m, 'DANGLING_REFERENCE'))).toBe('');
    expect(show(codes(m, 'UNKNOWN_ACCOUNT_OR_REGION'))).toBe('');
    expect(show(codes(m, 'MISSING_DATA'))).toBe('');
    expect(codes(m, 'UNKNOWN_TOP_LEVEL_KEY').map((i) => i.source?.path)).toEqual(['$.VirtualInterfaces']);
  });

  it('reads Batfish’s PascalCase Direct Connect gateway associations onto their gateway', () => {
    const m = loadClean(ACCOUNTS);
    const dx = m.directConnectGateways.get('5f1c9a2e-7d3b-4c60-8e21-0a1a1a1a1a1a');
    expect(dx?.associationsKnown).toBe(true);
    expect(dx?.associations).toEqual([
      {
        associationId: 'a1b2c3d4-0000-4000-8000-0a1a1a1a1a1a',
        directConnectGatewayId: '5f1c9a2e-7d3b-4c60-8e21-0a1a1a1a1a1a',
        state: 'associated',
        gatewayId: TGW,
        gatewayType: 'transit-gateway',
        gatewayOwner: '111111111111',
        gatewayRegion: 'us-east-1',
        allowedPrefixes: ['10.0.0.0/8'],
        source: { file: HUB_FILE('DirectConnectGatewayAssociations'), path: '$.DirectConnectGatewayAssociations[0]' },
      },
    ]);
  });

  it('puts every resource in the account and region of its folder', () => {
    const m = loadClean(ACCOUNTS);
    const where = (id: string) => {
      const r = m.get(id);
      return r ? `${r.account}/${r.region}` : `missing ${id}`;
    };
    expect(where('vpc-0a1a1a1a1a1a1a001')).toBe('111111111111/us-east-1');
    expect(where('vpc-0a1a1a1a1a1a1a101')).toBe('111111111111/eu-west-1');
    expect(where('vpc-0b2b2b2b2b2b2b001')).toBe('222222222222/us-east-1');
    expect(where('vpc-0b2b2b2b2b2b2b101')).toBe('222222222222/eu-west-1');
    expect(where(TGW)).toBe('111111111111/us-east-1');
    expect(where(SPOKES)).toBe('111111111111/us-east-1');
    expect(where('vgw-0a1a1a1a1a1a1a101')).toBe('111111111111/eu-west-1');
    expect(where('cgw-0a1a1a1a1a1a1a1c1')).toBe('111111111111/eu-west-1');
    expect(where('vpn-0a1a1a1a1a1a1a0e1')).toBe('111111111111/us-east-1');
    expect(where(NLB)).toBe('222222222222/us-east-1');
    expect(where(TG)).toBe('222222222222/us-east-1');
    expect(where('vpce-0b2b2b2b2b2b2b5e1')).toBe('222222222222/us-east-1');
    expect(where('i-0b2b2b2b2b2b2b1c1')).toBe('222222222222/eu-west-1');
    for (const r of m.resources)
      if (r.source.file.startsWith('accounts/')) expect(`${r.account}/${r.region}`, `${r.kind} ${r.id}`).toBe(r.source.file.split('/').slice(1, 3).join('/'));
    // The peering is listed by both accounts with the same content: one connection.
    expect([...m.peeringConnections.keys()]).toEqual(['pcx-0a1a1a1a1a1a1a0d1']);
    // Batfish's PascalCase Direct Connect gateway.
    expect(m.directConnectGateways.get('5f1c9a2e-7d3b-4c60-8e21-0a1a1a1a1a1a')).toMatchObject({ name: 'dc-dxgw', amazonSideAsn: 64600, account: '111111111111', region: 'us-east-1' });
  });

  it('attaches TransitGatewayStaticRoutes and TransitGatewayPropagations to their route tables, with paths inside the wrapper', () => {
    const m = loadClean(ACCOUNTS);
    const spokes = m.transitGatewayRouteTables.get(SPOKES);
    const edge = m.transitGatewayRouteTables.get(EDGE);
    // Batfish stores the static routes only (what propagation adds is not in the file).
    const staticOf = (routes: readonly TransitGatewayRoute[] = []) => routes.filter((r) => r.type === 'static');
    expect(spokes?.routesKnown).toBe(true);
    expect(cidrs(staticOf(spokes?.routes))).toEqual(['192.168.0.0/16', '10.99.0.0/16']);
    expect(staticOf(spokes?.routes).map((r) => [r.state, r.attachmentIds.join()])).toEqual([
      ['active', ATT.vpn],
      ['blackhole', ''],
    ]);
    expect(staticOf(spokes?.routes)[1]?.source).toEqual({ file: HUB_FILE('TransitGatewayStaticRoutes'), path: '$.TransitGatewayStaticRoutes[0].Routes[1]' });
    expect(cidrs(staticOf(edge?.routes))).toEqual(['10.0.0.0/16', '10.20.0.0/16']);
    expect(staticOf(edge?.routes)[1]?.source.path).toBe('$.TransitGatewayStaticRoutes[1].Routes[1]');
    expect(spokes?.propagatingAttachmentIds).toEqual([ATT.hub, ATT.app]);
    // A propagation in state "disabled" does not propagate.
    expect(edge?.propagatingAttachmentIds).toEqual([ATT.hub, ATT.app]);
    expect(spokes?.associatedAttachmentIds).toEqual([ATT.hub, ATT.app]);
    expect(edge?.associatedAttachmentIds).toEqual([ATT.vpn]);
    expect(m.transitGatewayAttachments.get(ATT.app)).toMatchObject({ resourceType: 'vpc', resourceId: 'vpc-0b2b2b2b2b2b2b001', subnetIds: ['subnet-0b2b2b2b2b2b2b0f1'] });
    // The static route to the data centre is used: hub → TGW (spokes table) → VPN.
    const toDc = trace(m, { from: 'hub-dns-1', to: '192.168.1.5', port: 443 });
    expect(toDc.forwardPath.map((h) => h.component.id)).toEqual(expect.arrayContaining([ATT.hub, SPOKES, ATT.vpn]));
  });

  it('adds the routes the VPC propagations imply, which Batfish does not store, unless a static route has the destination', () => {
    const m = loadClean(ACCOUNTS);
    const spokes = m.transitGatewayRouteTables.get(SPOKES);
    const edge = m.transitGatewayRouteTables.get(EDGE);
    const propagatedOf = (routes: readonly TransitGatewayRoute[] = []) => routes.filter((r) => r.type === 'propagated');
    // spokes: hub (10.0.0.0/16) and app (10.20.0.0/16) propagate; no static route for either.
    expect(propagatedOf(spokes?.routes).map((r) => [cidrs([r])[0], r.attachmentIds.join(), r.state, r.derivedFromPropagation])).toEqual([
      ['10.0.0.0/16', ATT.hub, 'active', true],
      ['10.20.0.0/16', ATT.app, 'active', true],
    ]);
    expect(propagatedOf(spokes?.routes)[1]?.source).toEqual({
      file: HUB_FILE('TransitGatewayPropagations'),
      path: '$.TransitGatewayPropagations[0].TransitGatewayRouteTablePropagations[1]',
    });
    // edge: static routes to both VPC CIDRs hide the propagated ones (TGW route evaluation order: static
    // first); the VPN propagation is disabled.
    expect(propagatedOf(edge?.routes)).toEqual([]);
    expect(cidrs(edge?.routes ?? [])).toEqual(['10.0.0.0/16', '10.20.0.0/16']);
    // `routes` says which of the table's routes were derived rather than read.
    const shown = effectiveTransitGatewayRoutes(m, spokes as NonNullable<typeof spokes>);
    expect(shown.filter((r) => r.derived).map((r) => [r.destination, r.origin, r.derived])).toEqual([
      ['10.0.0.0/16', 'propagated', `derived from the propagation of ${ATT.hub}: the snapshot lists this table's static routes only`],
      ['10.20.0.0/16', 'propagated', `derived from the propagation of ${ATT.app}: the snapshot lists this table's static routes only`],
    ]);
    expect(effectiveTransitGatewayRoutes(m, edge as NonNullable<typeof edge>).filter((r) => r.derived)).toEqual([]);
  });

  it('attaches the NLB listener (given no LoadBalancerArn of its own), attributes and target health', () => {
    const m = loadClean(ACCOUNTS);
    const [listener, ...more] = m.listenersOf(NLB);
    expect(more).toEqual([]);
    expect(listener).toMatchObject({ loadBalancerArn: NLB, protocol: 'TCP', port: 5432, account: '222222222222', region: 'us-east-1' });
    expect(listener?.source).toEqual({ file: 'accounts/222222222222/us-east-1/LoadBalancerListeners.json', path: '$.LoadBalancerListeners[0].Listeners[0]' });
    expect(m.loadBalancers.get(NLB)?.attributes).toEqual({ 'load_balancing.cross_zone.enabled': 'false', 'deletion_protection.enabled': 'true', 'access_logs.s3.prefix': '' });
    const tg = m.targetGroups.get(TG);
    expect(tg?.targets.map((t) => `${t.id}:${t.port} ${t.healthState}`)).toEqual(['10.20.1.10:5432 healthy', '10.20.2.10:5432 healthy']);
    expect(tg?.targets[0]?.source.path).toBe('$.LoadBalancerTargetHealth[0].TargetHealthDescriptions[0]');
  });

  it('reads VPN connections, virtual private and customer gateways, and the peering across accounts', () => {
    const m = loadClean(ACCOUNTS);
    expect(m.vpnConnections.get('vpn-0a1a1a1a1a1a1a0e1')).toMatchObject({ transitGatewayId: TGW, customerGatewayId: 'cgw-0a1a1a1a1a1a1a0c1', staticRoutesOnly: true });
    expect(m.vpnConnections.get('vpn-0a1a1a1a1a1a1a1e1')).toMatchObject({ vpnGatewayId: 'vgw-0a1a1a1a1a1a1a101', routes: [{ cidr: '192.168.50.0/24', state: 'available' }] });
    expect(m.vpnGateways.get('vgw-0a1a1a1a1a1a1a101')?.attachments).toEqual([{ vpcId: 'vpc-0a1a1a1a1a1a1a101', state: 'attached' }]);
    expect(m.customerGateways.get('cgw-0a1a1a1a1a1a1a0c1')).toMatchObject({ ipAddress: '203.0.113.10', bgpAsn: '65010' });
    const r = trace(m, { from: 'edge-1', to: 'eu-api-1', port: 443 });
    expect(r.reachable, JSON.stringify(r.explanations)).toBe(true);
    expect(r.forwardPath.map((h) => h.component.id)).toContain('pcx-0a1a1a1a1a1a1a0d1');
  });
});

describe('files directly in aws_configs/', () => {
  it('load with zero errors, as the snapshot root or as aws_configs; the region comes from ARNs and zones', () => {
    const m = loadClean(FLAT);
    const again = loadClean(`${FLAT}/aws_configs`);
    expect(JSON.stringify(inventory(again))).toBe(JSON.stringify(inventory(m)));
    expect(show(codes(m, 'DANGLING_REFERENCE'))).toBe('');
    expect(m.vpcs.size).toBe(2);
    expect([...m.vpcs.values()].every((v) => v.account === '404040404040')).toBe(true);
    expect([...m.subnets.values()].every((s) => s.region === 'ap-southeast-2')).toBe(true);
    expect([...m.networkInterfaces.values()].every((e) => e.region === 'ap-southeast-2')).toBe(true);
    // No folder names the region: what neither an ARN nor a zone names is a warning, never an error.
    expect(codes(m, 'UNKNOWN_ACCOUNT_OR_REGION').length).toBeGreaterThan(0);
    expect(m.elasticIps.get('eipalloc-0d4d4d4d4d4d4d001')?.networkInterfaceId).toBe('eni-0d4d4d4d4d4d4d0f1');
    expect(m.peeringConnections.get('pcx-0d4d4d4d4d4d4d0d1')?.status).toBe('active');
    const r = trace(m, { from: 'a-app', to: 'b-app', port: 22 });
    expect(r.reachable, JSON.stringify(r.explanations)).toBe(true);
    expect(trace(m, { from: 'a-app', to: '8.8.8.8', port: 443 }).forwardPath.map((h) => h.component.id)).toContain('nat-0d4d4d4d4d4d4d001');
  });
});

// ---------------------------------------------------------------- the example estates in Batfish's shapes

/** Groups an example's files by account/region and rewrites them the way Batfish stores them. */
function toBatfish(example: string): Map<string, Record<string, unknown[]>> {
  const out = new Map<string, Record<string, unknown[]>>();
  const files = jsonFiles(example);
  for (const file of files) {
    const [account, region] = relative(example, file).split('/');
    const scope = `${account}/${region}`;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
    const bucket = out.get(scope) ?? {};
    out.set(scope, bucket);
    const push = (key: string, items: unknown[]) => (bucket[key] = [...(bucket[key] ?? []), ...items]);
    if (doc.TransitGatewayRouteTableId && doc.Routes) push('TransitGatewayStaticRoutes', [{ AdditionalRoutesAvailable: false, Routes: doc.Routes, TransitGatewayRouteTableId: doc.TransitGatewayRouteTableId }]);
    else if (doc.TransitGatewayRouteTableId && doc.TransitGatewayRouteTablePropagations)
      push('TransitGatewayPropagations', [{ TransitGatewayRouteTableId: doc.TransitGatewayRouteTableId, TransitGatewayRouteTablePropagations: doc.TransitGatewayRouteTablePropagations }]);
    else if (doc.TargetGroupArn && doc.TargetHealthDescriptions) push('LoadBalancerTargetHealth', [{ TargetGroupArn: doc.TargetGroupArn, TargetHealthDescriptions: doc.TargetHealthDescriptions }]);
    else if (doc.LoadBalancerArn && doc.Attributes) push('LoadBalancerAttributes', [{ Attributes: doc.Attributes, LoadBalancerArn: doc.LoadBalancerArn }]);
    else if (doc.Listeners) {
      // One {LoadBalancerArn, Listeners} group per load balancer.
      const byLb = new Map<string, Doc[]>();
      for (const l of doc.Listeners as Doc[]) byLb.set(l.LoadBalancerArn as string, [...(byLb.get(l.LoadBalancerArn as string) ?? []), l]);
      push('LoadBalancerListeners', [...byLb].map(([LoadBalancerArn, Listeners]) => ({ LoadBalancerArn, Listeners })));
    } else if (doc.TransitGatewayRouteTableId || doc.TargetGroupArn || doc.HostedZoneId || doc.ServiceId || doc.VpcId) {
      // Calls Batfish has no wrapper for keep vpctwin's own form (parent key beside the list).
      bucket[`__file__${Object.keys(doc).sort().join('-')}-${files.indexOf(file)}`] = [doc];
    } else for (const [k, v] of Object.entries(doc)) if (Array.isArray(v)) push(k, v);
  }
  return out;
}

function writeBatfish(example: string, layout: 'accounts' | 'regions' | 'flat'): string {
  const root = tempDir('batfish');
  for (const [scope, keys] of toBatfish(example)) {
    const [account, region] = scope.split('/') as [string, string];
    const dir = layout === 'accounts' ? join(root, 'aws_configs', 'accounts', account, region) : layout === 'regions' ? join(root, 'aws_configs', region) : join(root, 'aws_configs');
    mkdirSync(dir, { recursive: true });
    for (const [key, items] of Object.entries(keys)) {
      if (key.startsWith('__file__')) writeFileSync(join(dir, `${key.slice(8)}.json`), JSON.stringify(items[0]));
      else writeFileSync(join(dir, `${key}.json`), JSON.stringify({ [key]: items }));
    }
  }
  // `accounts` and `flat` are given as the aws_configs folder itself; `regions` as the snapshot root.
  return layout === 'regions' ? root : join(root, 'aws_configs');
}

describe('the examples rewritten in Batfish’s shapes', () => {
  it('hybrid-vpn-tgw-privatelink under accounts/<account>/<region>/ loads like the original', () => {
    const m = loadClean(writeBatfish('examples/hybrid-vpn-tgw-privatelink', 'accounts'));
    const original = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');
    expect(JSON.stringify(inventory(m))).toBe(JSON.stringify(inventory(original)));
    const rtb = m.transitGatewayRouteTables.get('tgw-rtb-0b294969771f4a7cb');
    expect(cidrs(rtb?.routes ?? []).sort()).toEqual(['10.0.0.0/16', '192.168.0.0/16']);
    expect(rtb?.routes[0]?.source.path).toMatch(/^\$\.TransitGatewayStaticRoutes\[0\]\.Routes\[\d\]$/);
    expect(rtb?.propagatingAttachmentIds.length).toBeGreaterThan(0);
    const lb = [...m.loadBalancers.values()][0];
    expect(m.listenersOf(lb?.arn as string).map((l) => `${l.protocol}:${l.port}`)).toEqual(['TCP:5432']);
    expect(Object.keys(lb?.attributes ?? {})).toContain('load_balancing.cross_zone.enabled');
    const tg = [...m.targetGroups.values()][0];
    expect(tg?.targets.map((t) => t.healthState)).toEqual(['healthy', 'healthy']);
    expect(tg?.targets[0]?.source.path).toMatch(/^\$\.LoadBalancerTargetHealth\[0\]\.TargetHealthDescriptions\[\d\]$/);
    expect(trace(m, { from: '192.168.10.10', to: 'connectivity-app', port: 22 }).reachable).toBe(true);
  });

  it('flowlogs-lab under a snapshot root holding aws_configs/<region>/ loads with zero errors', () => {
    const m = loadClean(writeBatfish('examples/flowlogs-lab', 'regions'));
    expect(m.instances.size).toBe(2);
    expect([...m.vpcs.values()][0]?.region).toBe('us-east-1');
  });

  it('peering-nontransitive with its files directly in aws_configs/ loads with zero errors', () => {
    const m = loadClean(writeBatfish('examples/peering-nontransitive', 'flat'));
    expect(m.vpcs.size).toBe(3);
    expect([...m.subnets.values()].every((s) => s.region === 'eu-west-1')).toBe(true);
    expect(trace(m, { from: 'a-app', to: 'b-app', port: 22 }).reachable).toBe(true);
  });
});

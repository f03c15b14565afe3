/**
 * Two loader rules that decide whether a trace says "no route" / "no targets" or "unknown":
 *
 * - An empty per-parent list is data: `Routes: []` (Batfish writes it for every TGW route table without
 *   static routes) means the table's routes are known and there are none; `TargetHealthDescriptions: []`
 *   means the target group has no registered targets.
 * - A TGW route table whose listed routes hold no propagated route (Batfish, or
 *   `search-transit-gateway-routes --filters Name=type,Values=static`) gets the routes its VPC propagations
 *   imply: one per CIDR of each propagating VPC attachment's VPC (TGW:how-transit-gateways-work "Route
 *   propagation"), hidden by a listed route to the same destination ("Route evaluation order": static before
 *   propagated).
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { TransitGatewayRoute } from '../../src/model/types.js';
import { ACCOUNT, at, REGION, tempSnapshot } from '../helpers/temp-snapshot.js';

const TGW = 'tgw-0ccc0000000000001';
const RTB = 'tgw-rtb-0ccc000000000001';
const ATT = { a: 'tgw-attach-0ccc00000000000a', b: 'tgw-attach-0ccc00000000000b', c: 'tgw-attach-0ccc00000000000c', vpn: 'tgw-attach-0ccc0000000000e1' };
const VPC = { a: 'vpc-0ccc00000000000a', b: 'vpc-0ccc00000000000b', c: 'vpc-0ccc00000000000c' };

const vpcs = {
  Vpcs: [
    // Two IPv4 blocks and an IPv6 block on an attachment with IPv6 support.
    {
      VpcId: VPC.a,
      OwnerId: ACCOUNT,
      State: 'available',
      CidrBlock: '10.1.0.0/16',
      CidrBlockAssociationSet: [
        { CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'associated' } },
        { CidrBlock: '100.64.0.0/20', CidrBlockState: { State: 'associated' } },
      ],
      Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18:1:100::/56', Ipv6CidrBlockState: { State: 'associated' } }],
    },
    // An IPv6 block on an attachment without IPv6 support: not propagated.
    {
      VpcId: VPC.b,
      OwnerId: ACCOUNT,
      State: 'available',
      CidrBlock: '10.2.0.0/16',
      Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18:1:200::/56', Ipv6CidrBlockState: { State: 'associated' } }],
    },
    { VpcId: VPC.c, OwnerId: ACCOUNT, State: 'available', CidrBlock: '10.3.0.0/16' },
  ],
};

const vpcAttachment = (id: string, vpcId: string, ipv6: boolean, state = 'available') => ({
  TransitGatewayAttachmentId: id,
  TransitGatewayId: TGW,
  VpcId: vpcId,
  VpcOwnerId: ACCOUNT,
  State: state,
  SubnetIds: [],
  Options: { Ipv6Support: ipv6 ? 'enable' : 'disable', ApplianceModeSupport: 'disable', DnsSupport: 'enable' },
});

const base = (routes: Record<string, unknown> | undefined, opts: { stateOfC?: string } = {}) => ({
  [at('vpcs.json')]: vpcs,
  [at('tgw.json')]: { TransitGateways: [{ TransitGatewayId: TGW, OwnerId: ACCOUNT, State: 'available' }] },
  [at('tgw-rtb.json')]: { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: RTB, TransitGatewayId: TGW, State: 'available' }] },
  [at('attachments.json')]: {
    TransitGatewayAttachments: [
      { TransitGatewayAttachmentId: ATT.vpn, TransitGatewayId: TGW, TransitGatewayOwnerId: ACCOUNT, ResourceType: 'vpn', ResourceId: 'vpn-0ccc0000000000001', State: 'available' },
    ],
  },
  [at('vpc-attachments.json')]: {
    TransitGatewayVpcAttachments: [vpcAttachment(ATT.a, VPC.a, true), vpcAttachment(ATT.b, VPC.b, false), vpcAttachment(ATT.c, VPC.c, false, opts.stateOfC ?? 'available')],
  },
  [at(`get-transit-gateway-route-table-propagations.${RTB}.json`)]: {
    TransitGatewayRouteTablePropagations: [ATT.a, ATT.b, ATT.c, ATT.vpn].map((id) => ({ TransitGatewayAttachmentId: id, State: 'enabled' })),
  },
  ...(routes ? { [at(`search-transit-gateway-routes.${RTB}.json`)]: routes } : {}),
});

const show = (routes: readonly TransitGatewayRoute[] = []) =>
  routes.map((r) => `${r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId} ${r.type}${r.derivedFromPropagation ? ' derived' : ''} ${r.state} ${r.attachmentIds.join()}`);

const staticRoute = (cidr: string, attachmentId?: string, state = 'active') => ({
  DestinationCidrBlock: cidr,
  Type: 'static',
  State: state,
  ...(attachmentId ? { TransitGatewayAttachments: [{ TransitGatewayAttachmentId: attachmentId }] } : {}),
});

describe('empty per-parent lists are known data', () => {
  it('Routes: [] makes the TGW route table’s routes known (none), not unknown', () => {
    const dir = tempSnapshot({
      [at('tgw-rtb.json')]: { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: RTB, TransitGatewayId: TGW, State: 'available' }] },
      [at('routes.json')]: { TransitGatewayRouteTableId: RTB, Routes: [] },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(m.transitGatewayRouteTables.get(RTB)).toMatchObject({ routesKnown: true, routes: [] });
  });

  it('a table with no Routes output at all stays unknown', () => {
    const dir = tempSnapshot({ [at('tgw-rtb.json')]: { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: RTB, TransitGatewayId: TGW, State: 'available' }] } });
    expect(loadSnapshot(dir).transitGatewayRouteTables.get(RTB)).toMatchObject({ routesKnown: false, routes: [] });
  });

  it('TargetHealthDescriptions: [] makes the target group’s targets known (none)', () => {
    const tgArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/empty/0ccc000000000001`;
    const dir = tempSnapshot({
      [at('tgs.json')]: { TargetGroups: [{ TargetGroupArn: tgArn, TargetGroupName: 'empty', Protocol: 'TCP', Port: 80, TargetType: 'ip', VpcId: VPC.a }] },
      [at('health.json')]: { TargetGroupArn: tgArn, TargetHealthDescriptions: [] },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(m.targetGroups.get(tgArn)).toMatchObject({ targetsKnown: true, targets: [] });
  });

  it('an empty list that names no parent is a warning, never an error, and changes nothing', () => {
    const dir = tempSnapshot({
      [at('tgw-rtb.json')]: { TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: RTB, TransitGatewayId: TGW, State: 'available' }] },
      [at('routes.json')]: { Routes: [] },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.code === 'MISSING_PARENT').map((i) => [i.severity, i.source?.path])).toEqual([['warning', '$.Routes']]);
    expect(m.transitGatewayRouteTables.get(RTB)?.routesKnown).toBe(false);
  });
});

describe('TGW routes derived from VPC propagations when only static routes are listed', () => {
  it('adds one propagated route per CIDR of each propagating, available VPC attachment; IPv6 only with IPv6 support', () => {
    const m = loadSnapshot(tempSnapshot(base({ TransitGatewayRouteTableId: RTB, Routes: [staticRoute('192.168.0.0/16', ATT.vpn)] }, { stateOfC: 'pending' })));
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const rtb = m.transitGatewayRouteTables.get(RTB);
    expect(rtb?.routesKnown).toBe(true);
    expect(show(rtb?.routes)).toEqual([
      `192.168.0.0/16 static active ${ATT.vpn}`,
      `10.1.0.0/16 propagated derived active ${ATT.a}`,
      `100.64.0.0/20 propagated derived active ${ATT.a}`,
      `2600:1f18:1:100::/56 propagated derived active ${ATT.a}`,
      // vpc b: its IPv6 block is not propagated (attachment without IPv6 support); vpc c: attachment pending;
      // the VPN attachment: BGP-learned prefixes are not in the snapshot.
      `10.2.0.0/16 propagated derived active ${ATT.b}`,
    ]);
    // A derived route points at the propagation it comes from.
    expect(rtb?.routes[1]?.source).toEqual({ file: `${ACCOUNT}/${REGION}/get-transit-gateway-route-table-propagations.${RTB}.json`, path: '$.TransitGatewayRouteTablePropagations[0]' });
    expect(rtb?.routes[0]?.derivedFromPropagation).toBeUndefined();
  });

  it('a listed route to the same destination wins (a static route hides the propagated one), even a blackhole', () => {
    const m = loadSnapshot(tempSnapshot(base({ TransitGatewayRouteTableId: RTB, Routes: [staticRoute('10.1.0.0/16', ATT.c), staticRoute('10.2.0.0/16', undefined, 'blackhole')] })));
    expect(show(m.transitGatewayRouteTables.get(RTB)?.routes)).toEqual([
      `10.1.0.0/16 static active ${ATT.c}`,
      '10.2.0.0/16 static blackhole ',
      `100.64.0.0/20 propagated derived active ${ATT.a}`,
      `2600:1f18:1:100::/56 propagated derived active ${ATT.a}`,
      `10.3.0.0/16 propagated derived active ${ATT.c}`,
    ]);
  });

  it('Routes: [] (no static routes) still gets the propagated routes', () => {
    const m = loadSnapshot(tempSnapshot(base({ TransitGatewayRouteTableId: RTB, Routes: [] })));
    expect(show(m.transitGatewayRouteTables.get(RTB)?.routes)).toEqual([
      `10.1.0.0/16 propagated derived active ${ATT.a}`,
      `100.64.0.0/20 propagated derived active ${ATT.a}`,
      `2600:1f18:1:100::/56 propagated derived active ${ATT.a}`,
      `10.2.0.0/16 propagated derived active ${ATT.b}`,
      `10.3.0.0/16 propagated derived active ${ATT.c}`,
    ]);
  });

  it('derives nothing when the listing already holds propagated routes (it is complete)', () => {
    const m = loadSnapshot(tempSnapshot(base({ TransitGatewayRouteTableId: RTB, Routes: [{ DestinationCidrBlock: '10.1.0.0/16', Type: 'propagated', State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: ATT.a }] }] })));
    expect(show(m.transitGatewayRouteTables.get(RTB)?.routes)).toEqual([`10.1.0.0/16 propagated active ${ATT.a}`]);
  });

  it('derives nothing when the table’s routes are not in the snapshot: they stay unknown', () => {
    const rtb = loadSnapshot(tempSnapshot(base(undefined))).transitGatewayRouteTables.get(RTB);
    expect(rtb).toMatchObject({ routesKnown: false, routes: [] });
    expect(rtb?.propagatingAttachmentIds).toEqual([ATT.a, ATT.b, ATT.c, ATT.vpn].sort());
  });
});

/**
 * A Direct Connect variant of examples/hybrid-vpn-tgw-privatelink, built in a temp folder:
 *
 * - `dc2` 172.16.0.0/16 behind Direct Connect gateway DX_TGW, associated with core-tgw
 *   (`tgw-0b4480951946c391b`), allowed prefixes 10.0.1.0/24 (connectivity-app-a only). core-tgw has its
 *   attachment DX_TGW_ATTACHMENT (type direct-connect-gateway), associated with and propagating into
 *   `tgw-rtb-0b294969771f4a7cb`, which lists 172.16.0.0/16 propagated → that attachment (BGP over the transit
 *   VIF). Route table connectivity-private: 172.16.0.0/16 → core-tgw.
 * - `dc3` 172.20.0.0/16 behind Direct Connect gateway DX_VGW, associated with virtual private gateway VGW,
 *   attached to connectivity-vpc (10.0.0.0/16), allowed prefixes 10.0.0.0/15 (wider than the VPC CIDR).
 *   connectivity-private propagates from VGW and lists no 172.20.0.0/16 route (the trace derives it from
 *   the declaration).
 * - connectivity-app-sg admits tcp/22 and db-endpoint-sg tcp/5432 from 172.16.0.0/12.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample, editSnapshot } from './temp-snapshot.js';

export const CONNECTIVITY = '318204957126';
export const DX_TGW = 'a3f1c2d4-5b6e-4f70-8a91-0b1c2d3e4f50';
export const DX_VGW = 'b7e2d3c4-6a5f-4e81-9b02-1c2d3e4f5a61';
export const DX_TGW_ATTACHMENT = 'tgw-attach-0a7d1c3e5f7091b2d';
export const DX_TGW_ASSOCIATION = 'c1d2e3f4-0a1b-4c2d-8e3f-405162738495';
export const DX_VGW_ASSOCIATION = 'd2e3f4a5-1b2c-4d3e-9f40-516273849506';
export const VGW = 'vgw-0c3d5e7f9a1b2c4d6';
export const TGW = 'tgw-0b4480951946c391b';
export const TGW_RTB = 'tgw-rtb-0b294969771f4a7cb';
export const VPC = 'vpc-0d2f7c7a84966a16b';
export const PRIVATE_RTB = 'rtb-0c6c27044ab7c43e9';
export const APP_SG = 'sg-08956e1da36dd0b5d';
export const ENDPOINT_SG = 'sg-0595c2a4688add276';

export interface DirectConnectVariantOptions {
  /** describe-direct-connect-gateway-associations elements, changed before writing. */
  readonly editAssociations?: (associations: Record<string, any>[]) => void;
}

/** The association elements as `aws directconnect describe-direct-connect-gateway-associations` prints them. */
export function dxAssociations(): Record<string, any>[] {
  return [
    {
      directConnectGatewayId: DX_TGW,
      directConnectGatewayOwnerAccount: CONNECTIVITY,
      associationState: 'associated',
      associatedGateway: { id: TGW, type: 'transitGateway', ownerAccount: CONNECTIVITY, region: 'eu-west-1' },
      associationId: DX_TGW_ASSOCIATION,
      allowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.1.0/24' }],
    },
    {
      directConnectGatewayId: DX_VGW,
      directConnectGatewayOwnerAccount: CONNECTIVITY,
      associationState: 'associated',
      associatedGateway: { id: VGW, type: 'virtualPrivateGateway', ownerAccount: CONNECTIVITY, region: 'eu-west-1' },
      associationId: DX_VGW_ASSOCIATION,
      allowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/15' }],
      virtualGatewayId: VGW,
      virtualGatewayRegion: 'eu-west-1',
      virtualGatewayOwnerAccount: CONNECTIVITY,
    },
  ];
}

/** The on-premises declaration (`--on-prem`) of dc2 and dc3. */
export const DX_ON_PREM = [
  { name: 'dc2', cidrs: ['172.16.0.0/16'], via: DX_TGW },
  { name: 'dc3', cidrs: ['172.20.0.0/16'], via: DX_VGW },
] as const;

function write(root: string, rel: string, doc: unknown): void {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, JSON.stringify(doc, null, 4));
}

/** Builds the variant; returns its root folder. */
export function directConnectSnapshot(options: DirectConnectVariantOptions = {}): string {
  const root = copyExample('hybrid-vpn-tgw-privatelink');
  const regional = `${CONNECTIVITY}/eu-west-1`;
  write(root, `${CONNECTIVITY}/global/describe-direct-connect-gateways.json`, {
    directConnectGateways: [
      { directConnectGatewayId: DX_TGW, directConnectGatewayName: 'dc2-dxgw', amazonSideAsn: 64601, ownerAccount: CONNECTIVITY, directConnectGatewayState: 'available' },
      { directConnectGatewayId: DX_VGW, directConnectGatewayName: 'dc3-dxgw', amazonSideAsn: 64602, ownerAccount: CONNECTIVITY, directConnectGatewayState: 'available' },
    ],
  });
  const associations = dxAssociations();
  options.editAssociations?.(associations);
  write(root, `${CONNECTIVITY}/global/describe-direct-connect-gateway-associations.json`, { directConnectGatewayAssociations: associations });
  write(root, `${regional}/describe-vpn-gateways.json`, {
    VpnGateways: [{ State: 'available', Type: 'ipsec.1', VpcAttachments: [{ State: 'attached', VpcId: VPC }], VpnGatewayId: VGW, AmazonSideAsn: 64512, Tags: [{ Key: 'Name', Value: 'connectivity-vgw' }] }],
  });
  const dxRef = { ResourceId: DX_TGW, TransitGatewayAttachmentId: DX_TGW_ATTACHMENT, ResourceType: 'direct-connect-gateway' };
  editSnapshot(root, 'TransitGatewayAttachments', (doc) => {
    if (!doc.TransitGatewayAttachments.some((a: any) => a.TransitGatewayId === TGW)) return;
    doc.TransitGatewayAttachments.push({
      TransitGatewayAttachmentId: DX_TGW_ATTACHMENT,
      TransitGatewayId: TGW,
      TransitGatewayOwnerId: CONNECTIVITY,
      ResourceOwnerId: CONNECTIVITY,
      ResourceType: 'direct-connect-gateway',
      ResourceId: DX_TGW,
      State: 'available',
      Association: { TransitGatewayRouteTableId: TGW_RTB, State: 'associated' },
      Tags: [],
    });
  });
  editSnapshot(root, 'Routes', (doc) => {
    doc.Routes.push({ DestinationCidrBlock: '172.16.0.0/16', TransitGatewayAttachments: [dxRef], Type: 'propagated', State: 'active' });
  });
  editSnapshot(root, 'Associations', (doc) => doc.Associations.push({ ...dxRef, State: 'associated' }));
  editSnapshot(root, 'TransitGatewayRouteTablePropagations', (doc) => doc.TransitGatewayRouteTablePropagations.push({ ...dxRef, State: 'enabled' }));
  editSnapshot(root, 'RouteTables', (doc) => {
    for (const t of doc.RouteTables) {
      if (t.RouteTableId !== PRIVATE_RTB) continue;
      t.Routes.push({ DestinationCidrBlock: '172.16.0.0/16', Origin: 'CreateRoute', State: 'active', TransitGatewayId: TGW });
      t.PropagatingVgws = [{ GatewayId: VGW }];
    }
  });
  editSnapshot(root, 'SecurityGroups', (doc) => {
    for (const g of doc.SecurityGroups) {
      if (g.GroupId === APP_SG) g.IpPermissions.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '172.16.0.0/12' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
      if (g.GroupId === ENDPOINT_SG) g.IpPermissions.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.16.0.0/12' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
    }
  });
  return root;
}

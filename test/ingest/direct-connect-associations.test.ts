/**
 * `directConnectGatewayAssociations` (aws directconnect describe-direct-connect-gateway-associations, camelCase
 * members): validated element by element, joined to the Direct Connect gateways, dangling references reported.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { LoadIssue } from '../../src/model/issues.js';
import { CONNECTIVITY, DX_TGW, DX_TGW_ASSOCIATION, DX_VGW, DX_VGW_ASSOCIATION, TGW, VGW, directConnectSnapshot, dxAssociations } from '../helpers/direct-connect.js';
import { tempSnapshot } from '../helpers/temp-snapshot.js';

const ACCOUNT = '123456789012';
const DX = 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f';
const gateways = { directConnectGateways: [{ directConnectGatewayId: DX, directConnectGatewayName: 'dc', amazonSideAsn: 64512, ownerAccount: ACCOUNT, directConnectGatewayState: 'available' }] };
const FILE = `${ACCOUNT}/global/describe-direct-connect-gateway-associations.json`;
const of = (issues: readonly LoadIssue[], code: string) => issues.filter((i) => i.code === code);

describe('directConnectGatewayAssociations', () => {
  it('puts each association on its Direct Connect gateway: gateway, type, state, allowed prefixes, source', () => {
    const m = loadSnapshot(directConnectSnapshot());
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(of(m.issues, 'UNKNOWN_TOP_LEVEL_KEY')).toEqual([]);
    expect(m.directConnectGateways.get(DX_TGW)).toMatchObject({
      state: 'available',
      associationsKnown: true,
      associations: [
        {
          associationId: DX_TGW_ASSOCIATION,
          directConnectGatewayId: DX_TGW,
          state: 'associated',
          gatewayId: TGW,
          gatewayType: 'transit-gateway',
          gatewayOwner: CONNECTIVITY,
          gatewayRegion: 'eu-west-1',
          allowedPrefixes: ['10.0.1.0/24'],
          source: { file: `${CONNECTIVITY}/global/describe-direct-connect-gateway-associations.json`, path: '$.directConnectGatewayAssociations[0]' },
        },
      ],
    });
    expect(m.directConnectGateways.get(DX_VGW)?.associations).toMatchObject([{ associationId: DX_VGW_ASSOCIATION, gatewayId: VGW, gatewayType: 'virtual-private-gateway', allowedPrefixes: ['10.0.0.0/15'] }]);
  });

  it('reads the older shape (virtualGatewayId, no associatedGateway) as a virtual private gateway association', () => {
    const m = loadSnapshot(
      tempSnapshot({
        [`${ACCOUNT}/global/dx.json`]: gateways,
        [FILE]: { directConnectGatewayAssociations: [{ directConnectGatewayId: DX, associationState: 'associated', virtualGatewayId: 'vgw-0123456789abcdef0', virtualGatewayRegion: 'eu-west-1', virtualGatewayOwnerAccount: ACCOUNT }] },
      }),
    );
    expect(m.directConnectGateways.get(DX)?.associations).toMatchObject([
      { gatewayId: 'vgw-0123456789abcdef0', gatewayType: 'virtual-private-gateway', gatewayRegion: 'eu-west-1', gatewayOwner: ACCOUNT, allowedPrefixes: [] },
    ]);
    // The VGW is not in the snapshot: reported, association kept.
    expect(of(m.issues, 'DANGLING_REFERENCE').map((i) => i.message)).toEqual([expect.stringContaining('vgw-0123456789abcdef0')]);
  });

  it('reports a malformed element with its JSON path and still loads the others', () => {
    const [good, second] = dxAssociations();
    const m = loadSnapshot(
      tempSnapshot({
        [`${ACCOUNT}/global/dx.json`]: gateways,
        [FILE]: {
          directConnectGatewayAssociations: [
            { ...good, directConnectGatewayId: DX },
            { ...second, directConnectGatewayId: DX, allowedPrefixesToDirectConnectGateway: [{ cidr: 10 }] },
            { ...second, directConnectGatewayId: DX, associatedGateway: { id: 'vgw-0aaaaaaaaaaaaaaa1' }, allowedPrefixesToDirectConnectGateway: [{ cidr: '10.0.0.0/8' }, { cidr: 'ten-slash-eight' }] },
            { directConnectGatewayId: DX, associationState: 'associated' },
          ],
        },
      }),
    );
    const invalid = of(m.issues, 'INVALID_FIELD');
    expect(invalid.map((i) => [i.severity, i.source?.file, i.source?.path])).toEqual([
      ['error', FILE, '$.directConnectGatewayAssociations[1].allowedPrefixesToDirectConnectGateway[0].cidr'],
      ['error', FILE, '$.directConnectGatewayAssociations[2].allowedPrefixesToDirectConnectGateway[1].cidr'],
      ['error', FILE, '$.directConnectGatewayAssociations[3].associatedGateway'],
    ]);
    expect(invalid[0]?.message).toMatch(/expected string, got number/);
    expect(invalid[1]?.message).toContain('ten-slash-eight');
    expect(m.directConnectGateways.get(DX)?.associations?.map((a) => a.gatewayId)).toEqual([TGW]);
  });

  it('warns about an association whose Direct Connect gateway is not in the snapshot, and drops it', () => {
    const m = loadSnapshot(tempSnapshot({ [`${ACCOUNT}/global/dx.json`]: gateways, [FILE]: { directConnectGatewayAssociations: dxAssociations() } }));
    const dangling = of(m.issues, 'DANGLING_REFERENCE');
    expect(dangling.map((i) => [i.severity, i.resourceId, i.source?.path])).toEqual([
      ['warning', DX_TGW, '$.directConnectGatewayAssociations[0]'],
      ['warning', DX_VGW, '$.directConnectGatewayAssociations[1]'],
    ]);
    expect(dangling[0]?.message).toContain('no directConnectGateways file describes');
    expect(m.directConnectGateways.get(DX)).toMatchObject({ associations: [], associationsKnown: false });
  });

  it('an empty list naming its gateway means "no associations"; no output at all means "unknown"', () => {
    const known = loadSnapshot(tempSnapshot({ [`${ACCOUNT}/global/dx.json`]: gateways, [FILE]: { directConnectGatewayId: DX, directConnectGatewayAssociations: [] } }));
    expect(known.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(known.directConnectGateways.get(DX)).toMatchObject({ associations: [], associationsKnown: true });
    const unknown = loadSnapshot(tempSnapshot({ [`${ACCOUNT}/global/dx.json`]: gateways }));
    expect(unknown.directConnectGateways.get(DX)).toMatchObject({ associations: [], associationsKnown: false });
  });

  it('keeps the state as AWS reports it, lower-cased', () => {
    const m = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void (a[0]!.associationState = 'Disassociated') }));
    expect(m.directConnectGateways.get(DX_TGW)?.associations?.[0]?.state).toBe('disassociated');
  });
});

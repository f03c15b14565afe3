/**
 * Direct Connect gateways and their associations (test/helpers/direct-connect.ts builds the estate from
 * examples/hybrid-vpn-tgw-privatelink). Expected paths follow AWS's rules, not program output:
 * - only an `associated` association carries traffic (DX API DirectConnectGatewayAssociation.associationState);
 * - a transit gateway association advertises its allowed prefixes to on-premises as they are; a virtual
 *   private gateway association advertises the VPC CIDR when an allowed prefix is the same or wider
 *   (Direct Connect User Guide, "Allowed prefixes interactions");
 * - prefixes learned over Direct Connect propagate into VPC route tables that propagate from the VGW
 *   (Site-to-Site VPN User Guide, "Route tables and VPN route priority").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnPremises } from '../../src/analyses/on-premises.js';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { CONNECTIVITY, DX_ON_PREM, DX_TGW, DX_TGW_ATTACHMENT, DX_VGW, PRIVATE_RTB, TGW, TGW_RTB, VGW, directConnectSnapshot } from '../helpers/direct-connect.js';
import { tempDir } from '../helpers/temp-snapshot.js';

const APP = 'connectivity-app'; // 10.0.1.25, in connectivity-app-a 10.0.1.0/24
const APP_ENI = 'eni-00496afdc48d664e9';
const ENDPOINT_IP = '10.0.2.40'; // interface endpoint ENI in connectivity-endpoints-a 10.0.2.0/24
const DC2_HOST = '172.16.5.10';
const DC3_HOST = '172.20.7.7';

const onPrem = DX_ON_PREM.map((n) => ({ ...n, cidrs: [...n.cidrs] }));
const types = (hops: ReturnType<typeof trace>['forwardPath']) => hops.map((h) => h.component.type);

/** `want` appear in `got` in this order (other hops may sit between them). */
function inOrder(got: readonly string[], want: readonly string[]): void {
  let at = -1;
  for (const w of want) {
    const i = got.indexOf(w, at + 1);
    expect(i, `${w} after position ${at} in ${got.join(' > ')}`).toBeGreaterThan(at);
    at = i;
  }
}

describe('Direct Connect gateway associated with a transit gateway (dc2 behind DX_TGW, allowed 10.0.1.0/24)', () => {
  const model = loadSnapshot(directConnectSnapshot());

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('an --on-prem file declares dc2 behind the DX gateway', () => {
    const file = join(tempDir('dx-onprem'), 'on-prem.yaml');
    writeFileSync(file, `networks:\n  - name: dc2\n    cidrs: [172.16.0.0/16]\n    via: ${DX_TGW}\n`);
    const r = trace(model, { from: DC2_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: loadOnPremises(file) });
    expect(r.reachable).toBe(true);
    expect(r.query.source).toMatchObject({ kind: 'on-premises', name: 'dc2', resourceId: DX_TGW });
  });

  it('a dc2 host reaches connectivity-app over the DX gateway and the transit gateway, and the reply goes back the same way', () => {
    const r = trace(model, { from: DC2_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const fwd = r.forwardPath;
    inOrder(types(fwd), ['on-premises', 'direct-connect-gateway', 'transit-gateway-attachment', 'transit-gateway-route-table', 'transit-gateway-attachment', 'route-table', 'network-interface']);
    expect(fwd[0]).toMatchObject({ action: 'send', component: { type: 'on-premises', id: DC2_HOST, name: 'dc2' } });
    const dx = fwd.find((h) => h.component.type === 'direct-connect-gateway');
    expect(dx).toMatchObject({ action: 'forward', component: { id: DX_TGW, name: 'dc2-dxgw' } });
    // The data centre's route to 10.0.1.25 is the advertised allowed prefix 10.0.1.0/24.
    expect(dx?.rule).toContain(TGW);
    expect(dx?.rule).toContain('10.0.1.0/24');
    expect(fwd.find((h) => h.component.type === 'transit-gateway-attachment')?.component.id).toBe(DX_TGW_ATTACHMENT);
    expect(fwd.find((h) => h.component.type === 'transit-gateway-route-table')?.rule).toMatch(/^10\.0\.0\.0\/16 -> tgw-attach-0dfb08f373242ed46/);
    expect(fwd.at(-1)?.component.id).toBe(APP_ENI);

    // Reply: connectivity-private 172.16.0.0/16 -> core-tgw; the TGW route propagated from the DX attachment;
    // the DX gateway; the data centre.
    const back = r.returnPath;
    inOrder(types(back), ['route-table', 'transit-gateway-attachment', 'transit-gateway-route-table', 'transit-gateway-attachment', 'direct-connect-gateway', 'on-premises']);
    expect(back.find((h) => h.component.type === 'route-table')).toMatchObject({ component: { id: PRIVATE_RTB }, rule: `172.16.0.0/16 -> ${TGW}` });
    expect(back.find((h) => h.component.type === 'transit-gateway-route-table')).toMatchObject({ component: { id: TGW_RTB } });
    expect(back.find((h) => h.component.type === 'transit-gateway-route-table')?.rule).toMatch(new RegExp(`^172\\.16\\.0\\.0/16 -> ${DX_TGW_ATTACHMENT}`));
    expect(back.find((h) => h.component.type === 'direct-connect-gateway')).toMatchObject({ action: 'forward', component: { id: DX_TGW } });
    expect(back.at(-1)).toMatchObject({ action: 'deliver', component: { type: 'on-premises', name: 'dc2' } });
  });

  it('connectivity-app opens a connection to the dc2 host: out over the DX gateway, reply back in through it', () => {
    const r = trace(model, { from: APP, to: DC2_HOST, protocol: 'tcp', port: 443, onPremises: onPrem });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    inOrder(types(r.forwardPath), ['network-interface', 'route-table', 'transit-gateway-route-table', 'direct-connect-gateway', 'on-premises']);
    inOrder(types(r.returnPath), ['on-premises', 'direct-connect-gateway', 'transit-gateway-attachment', 'transit-gateway-route-table', 'network-interface']);
  });

  it('a destination in the VPC but outside the allowed prefixes (the endpoint, 10.0.2.40) has no route from the data centre', () => {
    const r = trace(model, { from: DC2_HOST, to: ENDPOINT_IP, protocol: 'tcp', port: 5432, onPremises: onPrem });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toHaveLength(1);
    const e = r.explanations[0];
    expect(e).toMatchObject({ code: 'NO_ROUTE_TO_DESTINATION', direction: 'forward', component: { id: DX_TGW, type: 'direct-connect-gateway' } });
    expect(e?.message).toContain('10.0.1.0/24');
    expect(e?.message).toContain(ENDPOINT_IP);
    expect(e?.source?.file).toMatch(/describe-direct-connect-gateway-associations\.json$/);
    // Nothing beyond the DX gateway: the packet never enters AWS.
    expect(types(r.forwardPath)).toEqual(['on-premises', 'direct-connect-gateway']);
    expect(r.forwardPath.at(-1)?.action).toBe('no-route');
  });

  it('widening the allowed prefixes to the VPC CIDR makes the endpoint reachable', () => {
    const wide = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void (a[0]!.allowedPrefixesToDirectConnectGateway = [{ cidr: '10.0.0.0/16' }]) }));
    const r = trace(wide, { from: DC2_HOST, to: ENDPOINT_IP, protocol: 'tcp', port: 5432, onPremises: onPrem });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
  });

  it.each(['disassociated', 'associating', 'disassociating'])('an association in state %s carries nothing', (state) => {
    const m = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void (a[0]!.associationState = state) }));
    const r = trace(m, { from: DC2_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'BAD_STATE_ATTACHMENT', direction: 'forward', component: { id: DX_TGW, type: 'direct-connect-gateway' } });
    expect(r.explanations[0]?.message).toContain(state);
    expect(r.forwardPath.at(-1)).toMatchObject({ action: 'drop', component: { type: 'direct-connect-gateway' } });
    // And towards the data centre the TGW's route to the DX attachment leads nowhere.
    const out = trace(m, { from: APP, to: DC2_HOST, protocol: 'tcp', port: 443, onPremises: onPrem });
    expect(out.reachable).toBe(false);
    expect(out.explanations[0]).toMatchObject({ code: 'BAD_STATE_ATTACHMENT', direction: 'forward', component: { id: DX_TGW } });
  });
});

describe('Direct Connect gateway associated with a virtual private gateway (dc3 behind DX_VGW, allowed 10.0.0.0/15)', () => {
  const model = loadSnapshot(directConnectSnapshot());

  it('a dc3 host reaches connectivity-app through the DX gateway and the VGW; the reply follows the propagated route', () => {
    const r = trace(model, { from: DC3_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    inOrder(types(r.forwardPath), ['on-premises', 'direct-connect-gateway', 'vpn-gateway', 'network-acl', 'network-interface']);
    // 10.0.0.0/15 is wider than the VPC CIDR, so 10.0.0.0/16 is what the data centre receives.
    expect(r.forwardPath.find((h) => h.component.type === 'direct-connect-gateway')?.rule).toContain('10.0.0.0/16');
    expect(r.forwardPath.find((h) => h.component.type === 'vpn-gateway')).toMatchObject({ component: { id: VGW }, rule: 'into vpc-0d2f7c7a84966a16b' });

    // connectivity-private propagates from the VGW: the prefix learned over Direct Connect is a propagated
    // route to the VGW (not listed in the snapshot, so derived and said to be).
    const route = r.returnPath.find((h) => h.component.type === 'route-table');
    expect(route).toMatchObject({ component: { id: PRIVATE_RTB }, rule: `172.20.0.0/16 -> ${VGW} (propagated)` });
    expect(route?.note).toContain('derived');
    inOrder(types(r.returnPath), ['route-table', 'vpn-gateway', 'direct-connect-gateway', 'on-premises']);
    expect(r.returnPath.find((h) => h.component.type === 'vpn-gateway')?.rule).toContain(DX_VGW);
    expect(r.returnPath.at(-1)).toMatchObject({ action: 'deliver', component: { type: 'on-premises', name: 'dc3' } });
  });

  it('without the declaration, the route table has no route to 172.20.0.0/16', () => {
    const r = trace(model, { from: APP, to: DC3_HOST, protocol: 'tcp', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'NO_ROUTE_TO_DESTINATION', component: { id: PRIVATE_RTB } });
  });

  it('allowed prefixes narrower than the VPC CIDR advertise nothing: the data centre has no route', () => {
    const m = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void (a[1]!.allowedPrefixesToDirectConnectGateway = [{ cidr: '10.0.1.0/24' }]) }));
    const r = trace(m, { from: DC3_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'NO_ROUTE_TO_DESTINATION', component: { id: DX_VGW, type: 'direct-connect-gateway' } });
  });

  it('an association listing no allowed prefix advertises the VPC CIDR', () => {
    const m = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void delete a[1]!.allowedPrefixesToDirectConnectGateway }));
    const r = trace(m, { from: DC3_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.reachable).toBe(true);
  });

  it('with a VPN on the same VGW holding a static route for the same prefix, Direct Connect is preferred', () => {
    // AWS Site-to-Site VPN "Route priority": for the same prefix at a virtual private gateway, BGP routes
    // from Direct Connect win over static VPN routes, which win over BGP routes from VPN.
    const root = directConnectSnapshot();
    writeFileSync(
      join(root, `${CONNECTIVITY}/eu-west-1/describe-vpn-connections.vgw.json`),
      JSON.stringify({
        VpnConnections: [
          {
            Category: 'VPN',
            CustomerGatewayId: 'cgw-0e15c03edb186836b',
            State: 'available',
            Type: 'ipsec.1',
            VpnConnectionId: 'vpn-0d3c4b5a69788f0e1',
            VpnGatewayId: VGW,
            Options: { StaticRoutesOnly: true },
            Routes: [{ DestinationCidrBlock: '172.20.0.0/16', Source: 'Static', State: 'available' }],
            VgwTelemetry: [
              { OutsideIpAddress: '34.248.115.93', Status: 'UP', AcceptedRouteCount: 0 },
              { OutsideIpAddress: '52.209.44.172', Status: 'UP', AcceptedRouteCount: 0 },
            ],
            Tags: [{ Key: 'Name', Value: 'dc3-backup-vpn' }],
          },
        ],
      }),
    );
    const m = loadSnapshot(root);
    expect(m.vpnConnections.get('vpn-0d3c4b5a69788f0e1')?.vpnGatewayId).toBe(VGW);
    const r = trace(m, { from: APP, to: DC3_HOST, protocol: 'tcp', port: 443, onPremises: onPrem });
    expect(r.reachable).toBe(true);
    const afterVgw = types(r.forwardPath.slice(r.forwardPath.findIndex((h) => h.component.type === 'vpn-gateway')));
    inOrder(afterVgw, ['vpn-gateway', 'direct-connect-gateway', 'on-premises']);
    expect(r.forwardPath.some((h) => h.component.type === 'vpn-connection')).toBe(false);
    expect(r.forwardPath.find((h) => h.component.type === 'vpn-gateway')?.rule).toBe(`to Direct Connect gateway ${DX_VGW} (172.20.0.0/16, on-premises network dc3)`);
    // The reply from dc3 comes back in over Direct Connect too, not the VPN.
    expect(r.returnPath.some((h) => h.component.type === 'vpn-connection')).toBe(false);
    inOrder(types(r.returnPath), ['on-premises', 'direct-connect-gateway', 'vpn-gateway', 'network-interface']);
  });

  it('a disassociated VGW association carries nothing, and no route is propagated from it', () => {
    const m = loadSnapshot(directConnectSnapshot({ editAssociations: (a) => void (a[1]!.associationState = 'disassociated') }));
    const r = trace(m, { from: DC3_HOST, to: APP, protocol: 'tcp', port: 22, onPremises: onPrem });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'BAD_STATE_ATTACHMENT', component: { id: DX_VGW } });
    const out = trace(m, { from: APP, to: DC3_HOST, protocol: 'tcp', port: 443, onPremises: onPrem });
    expect(out.explanations[0]).toMatchObject({ code: 'NO_ROUTE_TO_DESTINATION', component: { id: PRIVATE_RTB } });
  });
});

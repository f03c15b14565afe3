/**
 * Trace II over `hybrid-vpn-tgw-privatelink` (examples/hybrid-vpn-tgw-privatelink/README.md): a data centre
 * reaching a VPC over a site-to-site VPN on a transit gateway, and the ways that path breaks.
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { copyExample, editSnapshot, tempDir } from '../helpers/temp-snapshot.js';

const EXAMPLE = 'examples/hybrid-vpn-tgw-privatelink';
const ONPREM_HOST = '192.168.10.10';

const codes = (r: ReturnType<typeof trace>) => r.explanations.map((e) => e.code);
const types = (hops: ReturnType<typeof trace>['forwardPath']) => hops.map((h) => h.component.type);

describe('hybrid-vpn-tgw-privatelink', () => {
  const model = loadSnapshot(EXAMPLE);

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('the data-centre host reaches connectivity-app over the VPN and the transit gateway, and back', () => {
    const r = trace(model, { from: ONPREM_HOST, to: 'connectivity-app', protocol: 'tcp', port: 22 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    expect(r.query.source.kind).toBe('on-premises');
    // Every hop AWS forwards through, in order (aws-vpc-semantics §7.2, §9): VPN, TGW attachment, TGW route
    // table and route, the VPC attachment, the attachment subnet's route table, NACLs, the security group.
    const t: string[] = types(r.forwardPath);
    const order = ['vpn-connection', 'transit-gateway-attachment', 'transit-gateway-route-table', 'route-table', 'security-group', 'network-interface'];
    let at = -1;
    for (const want of order) {
      const i = t.indexOf(want, at + 1);
      expect(i, `${want} after position ${at} in ${t.join(' > ')}`).toBeGreaterThan(at);
      at = i;
    }
    const tgwRoute = r.forwardPath.find((h) => h.component.type === 'transit-gateway-route-table');
    expect(tgwRoute?.rule).toMatch(/^10\.0\.0\.0\/16 -> tgw-attach-/);
    // The reply is routed by the app subnet's table back to the TGW and out over the VPN (static route).
    const back = r.returnPath.find((h) => h.component.type === 'transit-gateway-route-table');
    expect(back?.rule).toMatch(/^192\.168\.0\.0\/16 -> tgw-attach-.*\[static\]/);
    expect(r.returnPath.at(-1)?.component.type).toBe('on-premises');
  });

  it('the data-centre host cannot reach the workloads VPC directly: its 10.0.0.0/16 is not on the transit gateway', () => {
    const r = trace(model, { from: ONPREM_HOST, to: 'workload-db-1', protocol: 'tcp', port: 5432 });
    expect(r.reachable).toBe(false);
    // The TGW sends 10.0.0.0/16 to the connectivity VPC, where no interface owns the workload's address.
    expect(codes(r)).toContain('DESTINATION_ADDRESS_UNUSED');
  });

  it('a blackhole TGW route gives TGW_RTB_BAD_STATE_ROUTE', () => {
    const dir = copyExample('hybrid-vpn-tgw-privatelink');
    editSnapshot(dir, 'TransitGatewayRouteTableId', (doc) => {
      for (const r of doc.Routes ?? []) if (r.DestinationCidrBlock === '10.0.0.0/16') r.State = 'blackhole';
    });
    const r = trace(loadSnapshot(dir), { from: ONPREM_HOST, to: 'connectivity-app', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'TGW_RTB_BAD_STATE_ROUTE', direction: 'forward', component: { type: 'transit-gateway-route-table' } });
  });

  it('a source in an AZ where the TGW attachment has no subnet gives TGW_ROUTE_AZ_RESTRICTION', () => {
    const dir = copyExample('hybrid-vpn-tgw-privatelink');
    // Keep only the attachment subnet in eu-west-1b; connectivity-app lives in eu-west-1a.
    editSnapshot(dir, 'TransitGatewayVpcAttachments', (doc) => {
      for (const a of doc.TransitGatewayVpcAttachments) a.SubnetIds = ['subnet-0f72ec67efb5606a0'];
    });
    const r = trace(loadSnapshot(dir), { from: 'connectivity-app', to: ONPREM_HOST, protocol: 'icmp' });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'TGW_ROUTE_AZ_RESTRICTION', component: { type: 'transit-gateway-attachment' } });
  });

  it('a VPN with both tunnels DOWN gives BAD_STATE_VPN', () => {
    const dir = copyExample('hybrid-vpn-tgw-privatelink');
    editSnapshot(dir, 'VpnConnections', (doc) => {
      for (const v of doc.VpnConnections) for (const t of v.VgwTelemetry) t.Status = 'DOWN';
    });
    const r = trace(loadSnapshot(dir), { from: 'connectivity-app', to: ONPREM_HOST, protocol: 'icmp' });
    expect(r.reachable).toBe(false);
    expect(codes(r)).toEqual(['BAD_STATE_VPN']);
  });

  it('validate warns when VPCs on one transit gateway overlap', () => {
    const dir = copyExample('hybrid-vpn-tgw-privatelink');
    // Attach the workloads VPC (10.0.0.0/16, like connectivity-vpc) to the same transit gateway.
    editSnapshot(dir, 'TransitGatewayAttachments', (doc) => {
      if (doc.TransitGatewayAttachments.length > 0) return;
      doc.TransitGatewayAttachments.push({
        TransitGatewayAttachmentId: 'tgw-attach-0aaaaaaaaaaaaaaaa',
        TransitGatewayId: 'tgw-0b4480951946c391b',
        TransitGatewayOwnerId: '318204957126',
        ResourceOwnerId: '574019283746',
        ResourceType: 'vpc',
        ResourceId: 'vpc-090a5b029df4a1ea9',
        State: 'available',
      });
    });
    const m = loadSnapshot(dir);
    const overlap = m.issues.filter((i) => i.code === 'OVERLAPPING_CIDRS');
    expect(overlap).toHaveLength(1);
    expect(overlap[0]?.message).toMatch(/10\.0\.0\.0\/16.*10\.0\.0\.0\/16.*transit gateway tgw-0b4480951946c391b/);
  });
});

describe('declared on-premises networks (--on-prem)', () => {
  it('traces a declared data-centre range as on-premises over the named VPN, reporting every blocker', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadOnPremises } = await import('../../src/analyses/on-premises.js');
    const dir = tempDir('onprem');
    const file = join(dir, 'onprem.yaml');
    writeFileSync(file, 'networks:\n  - name: dc2\n    cidrs: [172.16.0.0/12]\n    via: vpn-027569e94e81380a4\n');
    const onPremises = loadOnPremises(file);
    const r = trace(loadSnapshot(EXAMPLE), { from: '172.16.5.5', to: 'connectivity-app', port: 22, onPremises });
    expect(r.query.source).toMatchObject({ kind: 'on-premises', name: 'dc2' });
    expect(r.forwardPath[0]?.component.type).toBe('on-premises');
    expect(r.reachable).toBe(false);
    // connectivity-app-sg admits 192.168.0.0/16 only, and the app subnet's route table has no route back
    // to 172.16.0.0/12 (only 192.168.0.0/16 -> tgw): the reply dies in the VPC (§0.3 return routing).
    expect(codes(r)).toEqual(['ENI_SG_RULES_MISMATCH', 'NO_ROUTE_TO_DESTINATION']);
    expect(r.explanations[1]).toMatchObject({ direction: 'return', component: { id: 'rtb-0c6c27044ab7c43e9', type: 'route-table' } });
  });

  it('rejects a malformed declaration with the JSON path', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadOnPremises, OnPremisesError } = await import('../../src/analyses/on-premises.js');
    const file = join(tempDir('onprem'), 'bad.yaml');
    writeFileSync(file, 'networks:\n  - name: dc2\n    cidrs: [172.16.0.0/33]\n    via: vpn-1\n');
    expect(() => loadOnPremises(file)).toThrow(OnPremisesError);
    expect(() => loadOnPremises(file)).toThrow(/\$\.networks\[0\]\.cidrs\[0\]: not a CIDR block/);
  });
});

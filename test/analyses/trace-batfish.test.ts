/**
 * Traces over the Batfish fixture test/fixtures/batfish/accounts-layout (loaded as its aws_configs folder):
 * a hub VPC (hub-dns-1, 10.0.0.10) and an app VPC (db-1, 10.20.1.10; internal NLB db-nlb without security
 * groups, TCP:5432 to ip targets) on one transit gateway. Both VPC attachments are associated with and
 * propagate into the `spokes` route table, whose Batfish file lists its static routes only.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import type { Hop } from '../../src/engine/trace-types.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { editSnapshot, tempDir } from '../helpers/temp-snapshot.js';

const ACCOUNTS = 'test/fixtures/batfish/accounts-layout/aws_configs';
const SPOKES = 'tgw-rtb-0a1a1a1a1a1a1a5b1';
const ATT = { hub: 'tgw-attach-0a1a1a1a1a1a1a0a1', app: 'tgw-attach-0a1a1a1a1a1a1a0a2' };
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/net/db-nlb/0b2b2b2b2b2b2b2b';
const NLB_NODES = ['eni-0b2b2b2b2b2b2b1e1', 'eni-0b2b2b2b2b2b2b1e2'];
const NLB_SG = 'sg-0b2b2b2b2b2b2b1b9';

const tgwRouteHop = (path: readonly Hop[]) => path.find((h) => h.component.type === 'transit-gateway-route-table');

describe('transit gateway routes propagated from VPC attachments (Batfish lists static routes only)', () => {
  const model = loadSnapshot(ACCOUNTS);

  it('db-1 -> hub-dns-1 is reachable through the spokes table’s propagated routes, named as derived', () => {
    const r = trace(model, { from: 'db-1', to: 'hub-dns-1', protocol: 'udp', port: 53 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    // Forward: the app attachment's table (spokes) sends the hub VPC's CIDR to the hub attachment.
    const fwd = tgwRouteHop(r.forwardPath);
    expect(fwd).toMatchObject({ component: { id: SPOKES }, action: 'route', rule: `10.0.0.0/16 -> ${ATT.hub} (vpc vpc-0a1a1a1a1a1a1a001) [propagated]` });
    expect(fwd?.note).toMatch(/derived from the propagation of tgw-attach-0a1a1a1a1a1a1a0a1/);
    expect(fwd?.source).toEqual({ file: 'accounts/111111111111/us-east-1/TransitGatewayPropagations.json', path: '$.TransitGatewayPropagations[0].TransitGatewayRouteTablePropagations[0]' });
    // Return: the same table sends the app VPC's CIDR to the app attachment.
    expect(tgwRouteHop(r.returnPath)).toMatchObject({ action: 'route', rule: `10.20.0.0/16 -> ${ATT.app} (vpc vpc-0b2b2b2b2b2b2b001) [propagated]` });
    expect(r.notes.some((n) => n.includes('derived from the propagation') && n.includes('10.0.0.0/16'))).toBe(true);
  });
});

/** The fixture copied, with db-nlb given a security group (allowed only at creation, so a different NLB in AWS terms). */
function withNlbSecurityGroup(inbound: { from: number; to: number }): string {
  // Keep the aws_configs folder name: it is what makes the loader read Batfish's wrappers.
  const dir = join(tempDir('batfish-nlb-sg'), 'aws_configs');
  cpSync(ACCOUNTS, dir, { recursive: true });
  const account = join(dir, 'accounts', '222222222222');
  expect(
    editSnapshot(account, 'SecurityGroups', (doc) => {
      if (!doc.SecurityGroups.some((g: { VpcId?: string }) => g.VpcId === 'vpc-0b2b2b2b2b2b2b001')) return;
      doc.SecurityGroups.push({
        GroupId: NLB_SG,
        GroupName: 'db-nlb',
        Description: 'db-nlb',
        OwnerId: '222222222222',
        VpcId: 'vpc-0b2b2b2b2b2b2b001',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: inbound.from, ToPort: inbound.to, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
      });
    }),
  ).toBeGreaterThan(0);
  expect(editSnapshot(account, 'LoadBalancers', (doc) => (doc.LoadBalancers[0].SecurityGroups = [NLB_SG]))).toBe(1);
  expect(
    editSnapshot(account, 'NetworkInterfaces', (doc) => {
      for (const e of doc.NetworkInterfaces) if (NLB_NODES.includes(e.NetworkInterfaceId)) e.Groups = [{ GroupId: NLB_SG, GroupName: 'db-nlb' }];
    }),
  ).toBeGreaterThan(0);
  return dir;
}

describe('a Network Load Balancer without security groups filters nothing (ELB: NLB security groups)', () => {
  const model = loadSnapshot(ACCOUNTS);

  it('hub-dns-1 -> db-nlb:5432 is reachable; the reply leaves the NLB node with no security-group check', () => {
    expect(model.loadBalancers.get(NLB)?.securityGroupIds).toEqual([]);
    const r = trace(model, { from: 'hub-dns-1', to: 'db-nlb', port: 5432 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const atNode = (h: Hop) => h.component.type === 'security-group' && NLB_NODES.includes(h.networkInterfaceId ?? '');
    expect(r.forwardPath.filter(atNode)).toEqual([]);
    expect(r.returnPath.filter(atNode)).toEqual([]);
    // The reply is translated back at the node, then routed by the node subnet's route table.
    const i = r.returnPath.findIndex((h) => h.component.id === NLB && h.action === 'translate');
    expect(i).toBeGreaterThan(-1);
    expect(r.returnPath[i]?.packet).toMatchObject({ srcIp: '10.20.1.50', srcPort: 5432, dstIp: '10.0.0.10' });
    expect(r.returnPath[i + 1]?.component.type).toBe('route-table');
    expect(r.returnPath.at(-1)).toMatchObject({ action: 'deliver', component: { id: 'eni-0a1a1a1a1a1a1a0e1' } });
  });

  it('an NLB with a security group that lacks the listener port still blocks, naming the group', () => {
    const r = trace(loadSnapshot(withNlbSecurityGroup({ from: 443, to: 443 })), { from: 'hub-dns-1', to: 'db-nlb', port: 5432 });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toEqual([expect.objectContaining({ code: 'ENI_SG_RULES_MISMATCH', direction: 'forward', component: { id: NLB_SG, type: 'security-group' } })]);
    expect(r.explanations[0]?.message).toMatch(/inbound/);
  });

  it('an NLB with a security group that admits the client: the reply passes the node by connection tracking', () => {
    const r = trace(loadSnapshot(withNlbSecurityGroup({ from: 5432, to: 5432 })), { from: 'hub-dns-1', to: 'db-nlb', port: 5432 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    expect(r.forwardPath.find((h) => h.component.id === NLB_SG)).toMatchObject({ action: 'allow', rule: 'ingress rule: tcp 5432 from 10.0.0.0/8' });
    expect(r.returnPath.find((h) => h.component.type === 'security-group' && NLB_NODES.includes(h.networkInterfaceId ?? ''))).toMatchObject({
      action: 'allow',
      rule: 'connection tracking: reply to the tracked request',
    });
  });
});

/**
 * Trace II over `peering-nontransitive` (its README states the expected answers): VPC peering is neither
 * transitive nor usable edge to edge (aws-vpc-semantics §8).
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { copyExample, editSnapshot, tempSnapshot } from '../helpers/temp-snapshot.js';

const EXAMPLE = 'examples/peering-nontransitive';

describe('peering-nontransitive', () => {
  const model = loadSnapshot(EXAMPLE);

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a-app and b-app reach each other over the A-B peering, both directions', () => {
    for (const [from, to] of [
      ['a-app', 'b-app'],
      ['b-app', 'a-app'],
    ] as const) {
      const r = trace(model, { from, to, protocol: 'tcp', port: 22 });
      expect(r.explanations, `${from} -> ${to}`).toEqual([]);
      expect(r.reachable).toBe(true);
      expect(r.forwardPath.some((h) => h.component.type === 'vpc-peering-connection')).toBe(true);
      expect(r.returnPath.some((h) => h.component.type === 'vpc-peering-connection')).toBe(true);
    }
  });

  it('a-app cannot reach c-app: peering is not transitive', () => {
    const r = trace(model, { from: 'a-app', to: 'c-app', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    expect(r.explanations[0]?.message).toMatch(/not transitive/);
  });

  it("a-app cannot use B's NAT gateway or internet gateway through the peering, even with 0.0.0.0/0 -> pcx", () => {
    const r = trace(model, { from: 'a-app', to: '8.8.8.8', protocol: 'tcp', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]?.code).toBe('PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    expect(r.forwardPath.some((h) => h.component.type === 'nat-gateway' || h.component.type === 'internet-gateway')).toBe(false);
  });

  it('when the peer VPC is missing from the snapshot, the trace names the account and region to add', () => {
    const dir = copyExample('peering-nontransitive');
    const c = [...model.vpcs.values()].find((v) => v.name === 'vpc-c');
    expect(c).toBeDefined();
    editSnapshot(dir, 'Vpcs', (doc) => {
      doc.Vpcs = doc.Vpcs.filter((v: { VpcId: string }) => v.VpcId !== c?.id);
    });
    const cApp = [...model.instances.values()].find((i) => i.name === 'c-app');
    const r = trace(loadSnapshot(dir), { from: 'b-app', to: cApp?.privateIp as string, protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'UNKNOWN_DESTINATION', component: { id: c?.id, type: 'vpc' } });
    expect(r.explanations[0]?.message).toMatch(new RegExp(`account ${c?.account}, region ${c?.region}`));
  });
});

describe('security-group references across peering', () => {
  const ACCT = '111122223333';
  const vpc = (id: string, cidr: string) => ({ VpcId: id, OwnerId: ACCT, State: 'available', CidrBlock: cidr });
  const subnet = (id: string, vpcId: string, cidr: string, az: string) => ({ SubnetId: id, VpcId: vpcId, OwnerId: ACCT, State: 'available', CidrBlock: cidr, AvailabilityZone: az });
  const table = (id: string, vpcId: string, local: string, peer: string) => ({
    RouteTableId: id,
    VpcId: vpcId,
    Routes: [
      { DestinationCidrBlock: local, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: peer, VpcPeeringConnectionId: 'pcx-0aaaabbbbccccdddd', Origin: 'CreateRoute', State: 'active' },
    ],
    Associations: [{ Main: true, AssociationState: { State: 'associated' } }],
  });
  const eni = (id: string, vpcId: string, subnetId: string, ip: string, sg: string) => ({ NetworkInterfaceId: id, VpcId: vpcId, SubnetId: subnetId, PrivateIpAddress: ip, Groups: [{ GroupId: sg }], Status: 'in-use' });
  const egressAll = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
  const peering = (region2: string) => ({
    VpcPeeringConnections: [
      {
        VpcPeeringConnectionId: 'pcx-0aaaabbbbccccdddd',
        Status: { Code: 'active' },
        RequesterVpcInfo: { VpcId: 'vpc-0aaaa000000000001', OwnerId: ACCT, Region: 'eu-west-1', CidrBlock: '10.1.0.0/16' },
        AccepterVpcInfo: { VpcId: 'vpc-0bbbb000000000002', OwnerId: ACCT, Region: region2, CidrBlock: '10.2.0.0/16' },
      },
    ],
  });
  function estate(regionB: string, ruleB: Record<string, unknown>) {
    const a = `${ACCT}/eu-west-1`;
    const b = `${ACCT}/${regionB}`;
    return tempSnapshot({
      [`${a}/vpcs.json`]: { Vpcs: [vpc('vpc-0aaaa000000000001', '10.1.0.0/16')] },
      [`${a}/subnets.json`]: { Subnets: [subnet('subnet-0aaaa00000000001', 'vpc-0aaaa000000000001', '10.1.1.0/24', 'eu-west-1a')] },
      [`${a}/rt.json`]: { RouteTables: [table('rtb-0aaaa00000000001', 'vpc-0aaaa000000000001', '10.1.0.0/16', '10.2.0.0/16')] },
      [`${a}/sg.json`]: { SecurityGroups: [{ GroupId: 'sg-0aaaa00000000001', GroupName: 'a', VpcId: 'vpc-0aaaa000000000001', IpPermissions: [], IpPermissionsEgress: egressAll }] },
      [`${a}/eni.json`]: { NetworkInterfaces: [eni('eni-0aaaa00000000001', 'vpc-0aaaa000000000001', 'subnet-0aaaa00000000001', '10.1.1.10', 'sg-0aaaa00000000001')] },
      [`${a}/pcx.json`]: peering(regionB),
      [`${b}/vpcs-b.json`]: { Vpcs: [vpc('vpc-0bbbb000000000002', '10.2.0.0/16')] },
      [`${b}/subnets-b.json`]: { Subnets: [subnet('subnet-0bbbb00000000002', 'vpc-0bbbb000000000002', '10.2.1.0/24', `${regionB}a`)] },
      [`${b}/rt-b.json`]: { RouteTables: [table('rtb-0bbbb00000000002', 'vpc-0bbbb000000000002', '10.2.0.0/16', '10.1.0.0/16')] },
      [`${b}/sg-b.json`]: { SecurityGroups: [{ GroupId: 'sg-0bbbb00000000002', GroupName: 'b', VpcId: 'vpc-0bbbb000000000002', IpPermissions: [ruleB], IpPermissionsEgress: egressAll }] },
      [`${b}/eni-b.json`]: { NetworkInterfaces: [eni('eni-0bbbb00000000002', 'vpc-0bbbb000000000002', 'subnet-0bbbb00000000002', '10.2.1.20', 'sg-0bbbb00000000002')] },
    });
  }
  const byReference = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: 'sg-0aaaa00000000001', UserId: ACCT, VpcPeeringConnectionId: 'pcx-0aaaabbbbccccdddd' }] };
  const byCidr = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.1.0.0/16' }] };
  const req = { from: 'eni-0aaaa00000000001', to: 'eni-0bbbb00000000002', protocol: 'tcp', port: 22 } as const;

  it('a rule referencing the peer VPC group matches within one Region', () => {
    expect(trace(loadSnapshot(estate('eu-west-1', byReference)), req).reachable).toBe(true);
  });

  it('across an inter-Region peering a group reference matches nothing; a CIDR rule is needed (§2.4)', () => {
    const r = trace(loadSnapshot(estate('us-east-1', byReference)), req);
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toEqual(['ENI_SG_RULES_MISMATCH']);
    expect(trace(loadSnapshot(estate('us-east-1', byCidr)), req).reachable).toBe(true);
  });
});

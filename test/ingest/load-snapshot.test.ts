import { tempDir } from '../helpers/temp-snapshot.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventory } from '../../src/analyses/inventory.js';
import { loadSnapshot, SnapshotLoadError } from '../../src/ingest/load-snapshot.js';
import { ACCOUNT, at, REGION, tempSnapshot } from '../helpers/temp-snapshot.js';

const vpc = { VpcId: 'vpc-0aaa0000000000001', OwnerId: ACCOUNT, State: 'available', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'main' }] };
const subnet = (id: string, cidr: string) => ({
  SubnetId: id,
  VpcId: vpc.VpcId,
  OwnerId: ACCOUNT,
  State: 'available',
  AvailabilityZone: `${REGION}a`,
  AvailabilityZoneId: 'euw1-az1',
  CidrBlock: cidr,
});

describe('loadSnapshot: good input', () => {
  it('recognises files by top-level key, not by name, and merges pages', () => {
    const dir = tempSnapshot({
      [at('anything.json')]: { Vpcs: [vpc] },
      [at('page-one.json')]: { Subnets: [subnet('subnet-0aaa0000000000001', '10.0.1.0/24')], NextToken: 'abc' },
      [at('page-two.json')]: { Subnets: [subnet('subnet-0aaa0000000000002', '10.0.2.0/24')] },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect([...m.subnets.keys()].sort()).toEqual(['subnet-0aaa0000000000001', 'subnet-0aaa0000000000002']);
    expect(m.vpcs.get(vpc.VpcId)).toMatchObject({ account: ACCOUNT, region: REGION, name: 'main', cidrs: ['10.0.0.0/16'] });
  });

  it('takes account and region from the folder path, else from OwnerId and availability zone', () => {
    const dir = tempSnapshot({
      'loose/vpcs.json': { Vpcs: [{ ...vpc, OwnerId: '444455556666' }] },
      'loose/subnets.json': { Subnets: [{ ...subnet('subnet-0bbb0000000000001', '10.0.1.0/24'), OwnerId: '444455556666', AvailabilityZone: 'us-east-2b' }] },
    });
    const m = loadSnapshot(dir);
    expect(m.vpcs.get(vpc.VpcId)?.account).toBe('444455556666');
    expect(m.subnets.get('subnet-0bbb0000000000001')).toMatchObject({ account: '444455556666', region: 'us-east-2' });
    // The VPC's region cannot be inferred from a Vpcs element alone: it is reported, not guessed.
    expect(m.issues.some((i) => i.code === 'UNKNOWN_ACCOUNT_OR_REGION' && i.resourceId === vpc.VpcId)).toBe(true);
  });

  it('keeps the file and JSON path of every resource and rule', () => {
    const dir = tempSnapshot({
      [at('rt.json')]: {
        RouteTables: [
          {
            RouteTableId: 'rtb-0aaa0000000000001',
            VpcId: vpc.VpcId,
            Routes: [
              { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
              { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0aaa0000000000001', Origin: 'CreateRoute', State: 'active' },
            ],
            Associations: [{ Main: true, RouteTableAssociationId: 'rtbassoc-01', AssociationState: { State: 'associated' } }],
          },
        ],
      },
      [at('vpc.json')]: { Vpcs: [vpc] },
    });
    const m = loadSnapshot(dir);
    const rt = m.routeTables.get('rtb-0aaa0000000000001');
    expect(rt?.source).toEqual({ file: `${ACCOUNT}/${REGION}/rt.json`, path: '$.RouteTables[0]' });
    expect(rt?.routes[1]?.source.path).toBe('$.RouteTables[0].Routes[1]');
    expect(rt?.routes[1]?.target).toEqual({ kind: 'internet-gateway', id: 'igw-0aaa0000000000001' });
  });

  it('resolves a subnet to its explicit route table, else the main table, and to its network ACL', () => {
    const dir = tempSnapshot({
      [at('vpc.json')]: { Vpcs: [vpc] },
      [at('subnets.json')]: { Subnets: [subnet('subnet-0aaa0000000000001', '10.0.1.0/24'), subnet('subnet-0aaa0000000000002', '10.0.2.0/24')] },
      [at('rt.json')]: {
        RouteTables: [
          { RouteTableId: 'rtb-main', VpcId: vpc.VpcId, Routes: [], Associations: [{ Main: true, AssociationState: { State: 'associated' } }] },
          { RouteTableId: 'rtb-explicit', VpcId: vpc.VpcId, Routes: [], Associations: [{ Main: false, SubnetId: 'subnet-0aaa0000000000002', AssociationState: { State: 'associated' } }] },
        ],
      },
      [at('acl.json')]: {
        NetworkAcls: [
          { NetworkAclId: 'acl-default', VpcId: vpc.VpcId, IsDefault: true, Associations: [{ SubnetId: 'subnet-0aaa0000000000001' }], Entries: [] },
          { NetworkAclId: 'acl-custom', VpcId: vpc.VpcId, IsDefault: false, Associations: [{ SubnetId: 'subnet-0aaa0000000000002' }], Entries: [] },
        ],
      },
    });
    const m = loadSnapshot(dir);
    expect(m.subnets.get('subnet-0aaa0000000000001')).toMatchObject({ routeTableId: 'rtb-main', routeTableImplicit: true, networkAclId: 'acl-default' });
    expect(m.subnets.get('subnet-0aaa0000000000002')).toMatchObject({ routeTableId: 'rtb-explicit', routeTableImplicit: false, networkAclId: 'acl-custom' });
  });

  it('reads the parent of a child list from a key beside it or from the file name', () => {
    const dir = tempSnapshot({
      [at('zones.json', ACCOUNT, 'global')]: { HostedZones: [{ Id: '/hostedzone/Z0123456789ABCDEFGHIJ', Name: 'corp.internal.', Config: { PrivateZone: true } }] },
      [at('list-resource-record-sets.Z0123456789ABCDEFGHIJ.json', ACCOUNT, 'global')]: {
        ResourceRecordSets: [{ Name: 'db.corp.internal.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.5' }] }],
      },
      [at('other.json', ACCOUNT, 'global')]: {
        HostedZoneId: 'Z9999999999999999999',
        ResourceRecordSets: [{ Name: '\\052.corp.example.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.6' }] }],
      },
      [at('zone2.json', ACCOUNT, 'global')]: { HostedZones: [{ Id: '/hostedzone/Z9999999999999999999', Name: 'corp.example.', Config: { PrivateZone: false } }] },
    });
    const m = loadSnapshot(dir);
    expect(m.hostedZones.get('Z0123456789ABCDEFGHIJ')?.records.map((r) => r.name)).toEqual(['db.corp.internal']);
    // Route 53 returns `*` as the octal escape \052 (aws-vpc-semantics §10.4).
    expect(m.hostedZones.get('Z9999999999999999999')?.records.map((r) => r.name)).toEqual(['*.corp.example']);
  });

  it('merges a resource seen identically in two accounts (shared VPC) without an issue', () => {
    const dir = tempSnapshot({
      [at('vpcs.json')]: { Vpcs: [vpc] },
      [at('vpcs.json', '999988887777')]: { Vpcs: [vpc] },
    });
    const m = loadSnapshot(dir);
    expect(m.vpcs.size).toBe(1);
    expect(m.issues.filter((i) => i.code === 'DUPLICATE_ID_CONFLICT')).toEqual([]);
  });

  it('keeps terminated instances and deleted NAT gateways out of forwarding but lists them', () => {
    const dir = tempSnapshot({
      [at('vpcs.json')]: { Vpcs: [vpc] },
      [at('instances.json')]: { Reservations: [{ OwnerId: ACCOUNT, Instances: [{ InstanceId: 'i-0dead000000000001', State: { Name: 'terminated' } }] }] },
      [at('nat.json')]: { NatGateways: [{ NatGatewayId: 'nat-0dead000000000001', State: 'deleted', VpcId: vpc.VpcId, SubnetId: 'subnet-x' }] },
    });
    const m = loadSnapshot(dir);
    expect(m.instances.size).toBe(0);
    expect(m.natGateways.size).toBe(0);
    expect(m.ignored.map((g) => [g.kind, g.id, g.reason])).toEqual([
      ['instance', 'i-0dead000000000001', 'state terminated'],
      ['nat-gateway', 'nat-0dead000000000001', 'state deleted'],
    ]);
  });
});

describe('loadSnapshot: bad input', () => {
  it('reports malformed JSON with file, line and column, and loads the other files', () => {
    const dir = tempSnapshot({
      [at('vpcs.json')]: { Vpcs: [vpc] },
      [at('broken.json')]: '{\n  "Subnets": [\n    {"SubnetId": "subnet-1",, }\n  ]\n}\n',
    });
    const m = loadSnapshot(dir);
    const issue = m.issues.find((i) => i.code === 'MALFORMED_JSON');
    expect(issue).toMatchObject({ severity: 'error', source: { file: `${ACCOUNT}/${REGION}/broken.json`, path: '$' } });
    expect(issue?.message).toMatch(/line 3 column \d+/);
    expect(m.vpcs.has(vpc.VpcId)).toBe(true);
  });

  it('reports a wrong type with its JSON path, skips that element and keeps the rest of the file', () => {
    const dir = tempSnapshot({
      [at('subnets.json')]: { Subnets: [subnet('subnet-0aaa0000000000001', '10.0.1.0/24'), { ...subnet('subnet-0aaa0000000000002', '10.0.2.0/24'), CidrBlock: 42 }] },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.code === 'INVALID_FIELD')).toEqual([
      {
        code: 'INVALID_FIELD',
        severity: 'error',
        source: { file: `${ACCOUNT}/${REGION}/subnets.json`, path: '$.Subnets[1].CidrBlock' },
        message: 'expected string, got number; element skipped',
      },
    ]);
    expect([...m.subnets.keys()]).toEqual(['subnet-0aaa0000000000001']);
  });

  it('warns about an unknown top-level key and a list that is not a list', () => {
    const dir = tempSnapshot({ [at('x.json')]: { Vpcs: [vpc], Widgets: [{ a: 1 }] }, [at('y.json')]: { Subnets: { SubnetId: 'x' } } });
    const m = loadSnapshot(dir);
    expect(m.issues.find((i) => i.code === 'UNKNOWN_TOP_LEVEL_KEY')).toMatchObject({ severity: 'warning', source: { path: '$.Widgets' } });
    expect(m.issues.find((i) => i.code === 'INVALID_FIELD')).toMatchObject({ severity: 'error', source: { path: '$.Subnets' } });
    expect(m.vpcs.size).toBe(1);
  });

  it('rejects a file that is not a JSON object', () => {
    const m = loadSnapshot(tempSnapshot({ [at('list.json')]: '[1, 2]', [at('v.json')]: { Vpcs: [vpc] } }));
    expect(m.issues.find((i) => i.code === 'NOT_AN_OBJECT')?.source?.file).toBe(`${ACCOUNT}/${REGION}/list.json`);
  });

  it('fails on an empty or missing folder with a typed error', () => {
    const empty = tempDir('empty');
    expect(() => loadSnapshot(empty)).toThrow(SnapshotLoadError);
    try {
      loadSnapshot(join(empty, 'nope'));
    } catch (e) {
      expect((e as SnapshotLoadError).code).toBe('SNAPSHOT_NOT_FOUND');
    }
    try {
      loadSnapshot(empty);
    } catch (e) {
      expect((e as SnapshotLoadError).code).toBe('SNAPSHOT_EMPTY');
    }
  });

  it('reports duplicate ids with different content, naming both files', () => {
    const dir = tempSnapshot({
      [at('a.json')]: { Vpcs: [vpc] },
      [at('b.json')]: { Vpcs: [{ ...vpc, CidrBlock: '10.9.0.0/16' }] },
    });
    const m = loadSnapshot(dir);
    const dup = m.issues.find((i) => i.code === 'DUPLICATE_ID_CONFLICT');
    expect(dup?.severity).toBe('error');
    expect(dup?.source?.file).toBe(`${ACCOUNT}/${REGION}/b.json`);
    expect(dup?.message).toContain(`${ACCOUNT}/${REGION}/a.json`);
    expect(m.vpcs.get(vpc.VpcId)?.cidrs).toEqual(['10.0.0.0/16']);
  });

  it('warns about dangling references and loads everything else', () => {
    const dir = tempSnapshot({
      [at('vpcs.json')]: { Vpcs: [vpc] },
      [at('rt.json')]: {
        RouteTables: [
          {
            RouteTableId: 'rtb-0aaa0000000000001',
            VpcId: vpc.VpcId,
            Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0missing00000001', State: 'active', Origin: 'CreateRoute' }],
            Associations: [{ Main: true }],
          },
        ],
      },
      [at('eni.json')]: {
        NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0aaa0000000000001', VpcId: vpc.VpcId, SubnetId: 'subnet-0missing00000001', PrivateIpAddress: '10.0.1.5', Groups: [] }],
      },
    });
    const m = loadSnapshot(dir);
    const dangling = m.issues.filter((i) => i.code === 'DANGLING_REFERENCE');
    expect(dangling.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(dangling.map((d) => d.source?.path).sort()).toEqual(['$.NetworkInterfaces[0]', '$.RouteTables[0].Routes[0]']);
    expect(m.networkInterfaces.has('eni-0aaa0000000000001')).toBe(true);
    expect(m.routeTables.has('rtb-0aaa0000000000001')).toBe(true);
  });

  it('lists what a partial snapshot is missing', () => {
    const m = loadSnapshot(tempSnapshot({ [at('vpcs.json')]: { Vpcs: [vpc] }, [at('subnets.json')]: { Subnets: [subnet('subnet-0aaa0000000000001', '10.0.1.0/24')] } }));
    const missing = m.issues.find((i) => i.code === 'MISSING_DATA');
    expect(missing?.severity).toBe('warning');
    expect(missing?.message).toContain('describe-route-tables');
    expect(missing?.message).toContain('describe-network-acls');
    expect(missing?.message).not.toContain('describe-subnets');
  });

  it('reports a child list without a parent instead of guessing', () => {
    const m = loadSnapshot(tempSnapshot({ [at('routes.json')]: { Routes: [{ DestinationCidrBlock: '10.0.0.0/8', Type: 'static', State: 'active' }] } }));
    expect(m.issues.find((i) => i.code === 'MISSING_PARENT')?.message).toContain('TransitGatewayRouteTableId');
  });

  it('never stores the VPN customer gateway configuration (it holds pre-shared keys)', () => {
    const secret = 'psk-do-not-print-0123456789';
    const m = loadSnapshot(
      tempSnapshot({
        [at('vpn.json')]: { VpnConnections: [{ VpnConnectionId: 'vpn-0aaa0000000000001', State: 'available', CustomerGatewayConfiguration: `<xml>${secret}</xml>` }] },
      }),
    );
    expect(JSON.stringify([...m.vpnConnections.values()])).not.toContain(secret);
  });
});

describe('loadSnapshot: determinism', () => {
  it('gives byte-identical inventory JSON whatever the file names and order', () => {
    const pieces = [
      { Vpcs: [vpc] },
      { Subnets: [subnet('subnet-0aaa0000000000002', '10.0.2.0/24')] },
      { Subnets: [subnet('subnet-0aaa0000000000001', '10.0.1.0/24')] },
      {
        NetworkInterfaces: [
          { NetworkInterfaceId: 'eni-0aaa0000000000002', VpcId: vpc.VpcId, SubnetId: 'subnet-0aaa0000000000002', PrivateIpAddress: '10.0.2.5' },
          { NetworkInterfaceId: 'eni-0aaa0000000000001', VpcId: vpc.VpcId, SubnetId: 'subnet-0aaa0000000000001', PrivateIpAddress: '10.0.1.5' },
        ],
      },
    ];
    const outputs = [
      ['a', 'b', 'c', 'd'],
      ['z', 'y', 'x', 'w'],
      ['m', 'a', 'q', 'b'],
    ].map((names) => {
      const files: Record<string, unknown> = {};
      pieces.forEach((p, i) => (files[at(`${names[i]}.json`)] = p));
      return JSON.stringify(inventory(loadSnapshot(tempSnapshot(files))));
    });
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });
});

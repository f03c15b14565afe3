/**
 * Seeded generator of large estates, written as snapshot JSON (docs/snapshot-format.md): N accounts ×
 * regions × VPCs, each with public and private subnets in two AZs, route tables (local, IGW, NAT gateway),
 * the default NACL plus a custom one with deny rules, security groups (web 443 from anywhere, app 8080 from
 * web, db 5432 from app, ssh from 10/8, default), an internet gateway, a NAT gateway with its interface and
 * Elastic IP, and instances with interfaces (some with public IPs). The same options give byte-identical
 * files.
 *
 *   node bench/estate.mjs --out DIR [--vpcs 1000] [--enis 100000] [--accounts 10] [--seed 42]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['eu-west-1', 'us-east-1'];
const hex = (n, width = 17) => n.toString(16).padStart(width, '0').slice(-width);

/**
 * Writes the estate to `out`; returns what the benchmark needs to pick trace pairs.
 * @returns {{ vpcs: number, enis: number, samples: { sameVpc: [string,string][], toInternet: string[], fromInternet: string[] } }}
 */
export function generateEstate({ out, vpcs = 1000, enis = 100000, accounts = 10, seed = 42 }) {
  const rnd = prng(seed);
  const perVpc = Math.max(2, Math.floor(enis / vpcs) - 1); // one interface per VPC is the NAT gateway's
  const samples = { sameVpc: [], toInternet: [], fromInternet: [] };
  let vpcIndex = 0;
  let eniCount = 0;
  const scopes = [];
  for (let a = 0; a < accounts; a++) for (const r of REGIONS) scopes.push({ account: String(100000000000 + a * 7919), region: r });
  const vpcsPerScope = Math.ceil(vpcs / scopes.length);
  for (const { account, region } of scopes) {
    const files = { Vpcs: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], InternetGateways: [], NatGateways: [], NetworkInterfaces: [], Reservations: [], Addresses: [] };
    for (let k = 0; k < vpcsPerScope && vpcIndex < vpcs; k++, vpcIndex++) {
      const v = vpcIndex;
      const id = (kind, n = 0) => `${kind}-${hex(v * 1000 + n)}`;
      // A /20 per VPC inside 10.0.0.0/8 (4,096 of them); every 7th VPC reuses another account's range.
      const block = v % 7 === 6 ? v - 3 : v;
      const second = (block >> 4) & 255;
      const third = (block & 15) << 4;
      const cidr = `10.${second}.${third}.0/20`;
      const net = (s, host) => `10.${second}.${third + s}.${host}`;
      const vpcId = id('vpc');
      files.Vpcs.push({ VpcId: vpcId, OwnerId: account, State: 'available', CidrBlock: cidr, IsDefault: false, CidrBlockAssociationSet: [{ CidrBlock: cidr, CidrBlockState: { State: 'associated' } }], Tags: [{ Key: 'Name', Value: `vpc-${v}` }] });
      const azs = [`${region}a`, `${region}b`];
      const subnets = [
        { id: id('subnet', 1), n: 0, az: azs[0], kind: 'public' },
        { id: id('subnet', 2), n: 1, az: azs[1], kind: 'public' },
        { id: id('subnet', 3), n: 4, az: azs[0], kind: 'private' },
        { id: id('subnet', 4), n: 8, az: azs[1], kind: 'private' },
      ];
      for (const s of subnets)
        files.Subnets.push({ SubnetId: s.id, VpcId: vpcId, OwnerId: account, State: 'available', AvailabilityZone: s.az, AvailabilityZoneId: `${region.slice(0, 2)}${region.split('-')[2]}-az${s.az.endsWith('a') ? 1 : 2}`, CidrBlock: `10.${second}.${third + s.n}.0/${s.kind === 'public' ? 24 : 22}`, MapPublicIpOnLaunch: s.kind === 'public', Tags: [{ Key: 'Name', Value: `${s.kind}-${s.az.slice(-1)}` }] });
      const igw = id('igw');
      const nat = id('nat');
      files.InternetGateways.push({ InternetGatewayId: igw, OwnerId: account, Attachments: [{ VpcId: vpcId, State: 'available' }] });
      const local = { DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
      files.RouteTables.push(
        { RouteTableId: id('rtb', 1), VpcId: vpcId, OwnerId: account, Routes: [local, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat, Origin: 'CreateRoute', State: 'active' }], Associations: [{ Main: true, AssociationState: { State: 'associated' } }] },
        { RouteTableId: id('rtb', 2), VpcId: vpcId, OwnerId: account, Routes: [local, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw, Origin: 'CreateRoute', State: 'active' }], Associations: subnets.filter((s) => s.kind === 'public').map((s) => ({ Main: false, SubnetId: s.id, AssociationState: { State: 'associated' } })) },
      );
      const entry = (n, egress, action, proto, cidrBlock, ports) => ({ RuleNumber: n, Egress: egress, RuleAction: action, Protocol: proto, CidrBlock: cidrBlock, ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}) });
      files.NetworkAcls.push(
        { NetworkAclId: id('acl', 1), VpcId: vpcId, OwnerId: account, IsDefault: true, Associations: subnets.filter((s) => s.kind === 'public').map((s) => ({ SubnetId: s.id })), Entries: [entry(100, false, 'allow', '-1', '0.0.0.0/0'), entry(100, true, 'allow', '-1', '0.0.0.0/0'), entry(32767, false, 'deny', '-1', '0.0.0.0/0'), entry(32767, true, 'deny', '-1', '0.0.0.0/0')] },
        {
          NetworkAclId: id('acl', 2),
          VpcId: vpcId,
          OwnerId: account,
          IsDefault: false,
          Associations: subnets.filter((s) => s.kind === 'private').map((s) => ({ SubnetId: s.id })),
          Entries: [entry(50, false, 'deny', '6', '0.0.0.0/0', [3389, 3389]), entry(100, false, 'allow', '-1', '0.0.0.0/0'), entry(100, true, 'allow', '-1', '0.0.0.0/0'), entry(32767, false, 'deny', '-1', '0.0.0.0/0'), entry(32767, true, 'deny', '-1', '0.0.0.0/0')],
        },
      );
      const sg = { def: id('sg', 1), web: id('sg', 2), app: id('sg', 3), db: id('sg', 4) };
      const egressAll = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
      const ref = (g) => [{ GroupId: g, UserId: account }];
      files.SecurityGroups.push(
        { GroupId: sg.def, GroupName: 'default', VpcId: vpcId, OwnerId: account, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: ref(sg.def) }], IpPermissionsEgress: egressAll },
        { GroupId: sg.web, GroupName: 'web', VpcId: vpcId, OwnerId: account, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }], IpPermissionsEgress: egressAll },
        { GroupId: sg.app, GroupName: 'app', VpcId: vpcId, OwnerId: account, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: ref(sg.web) }, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }], IpPermissionsEgress: egressAll },
        { GroupId: sg.db, GroupName: 'db', VpcId: vpcId, OwnerId: account, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: ref(sg.app) }], IpPermissionsEgress: egressAll },
      );
      const natEni = id('eni', 999);
      const natIp = net(0, 5);
      const natPublic = `52.${(v >> 8) & 255}.${v & 255}.${7}`;
      files.NatGateways.push({ NatGatewayId: nat, VpcId: vpcId, SubnetId: subnets[0].id, State: 'available', ConnectivityType: 'public', NatGatewayAddresses: [{ NetworkInterfaceId: natEni, PrivateIp: natIp, PublicIp: natPublic, AllocationId: id('eipalloc', 1), IsPrimary: true }] });
      files.NetworkInterfaces.push({ NetworkInterfaceId: natEni, InterfaceType: 'nat_gateway', Status: 'in-use', VpcId: vpcId, SubnetId: subnets[0].id, AvailabilityZone: subnets[0].az, OwnerId: account, RequesterManaged: true, Description: `Interface for NAT Gateway ${nat}`, Groups: [], SourceDestCheck: false, PrivateIpAddress: natIp, PrivateIpAddresses: [{ PrivateIpAddress: natIp, Primary: true, Association: { PublicIp: natPublic, IpOwnerId: account, AllocationId: id('eipalloc', 1) } }] });
      files.Addresses.push({ PublicIp: natPublic, AllocationId: id('eipalloc', 1), Domain: 'vpc', NetworkInterfaceId: natEni, NetworkInterfaceOwnerId: account, PrivateIpAddress: natIp });
      eniCount++;
      const instances = [];
      for (let i = 0; i < perVpc; i++) {
        const role = i % 10 === 0 ? 'web' : i % 10 < 7 ? 'app' : 'db';
        const subnet = role === 'web' ? subnets[i % 2] : subnets[2 + (i % 2)];
        const host = 10 + Math.floor(i / 2);
        const ip = role === 'web' ? net(subnet.n, 10 + (Math.floor(i / 2) % 240)) : net(subnet.n + Math.floor(host / 250), host % 250 + 4);
        const pub = role === 'web' && rnd() < 0.8 ? `34.${(v >> 8) & 255}.${v & 255}.${(i % 240) + 10}` : undefined;
        const iid = id('i', i + 1);
        const eniId = id('eni', i + 1);
        instances.push({
          InstanceId: iid,
          State: { Name: 'running' },
          VpcId: vpcId,
          SubnetId: subnet.id,
          Placement: { AvailabilityZone: subnet.az },
          PrivateIpAddress: ip,
          ...(pub ? { PublicIpAddress: pub } : {}),
          InstanceType: 't3.small',
          SourceDestCheck: true,
          NetworkInterfaces: [{ NetworkInterfaceId: eniId, SubnetId: subnet.id, VpcId: vpcId, OwnerId: account, Status: 'in-use', Groups: [{ GroupId: sg[role], GroupName: role }], SourceDestCheck: true, PrivateIpAddress: ip, PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true, ...(pub ? { Association: { PublicIp: pub, IpOwnerId: 'amazon' } } : {}) }], Attachment: { DeviceIndex: 0, Status: 'attached' } }],
          Tags: [{ Key: 'Name', Value: `${role}-${v}-${i}` }, { Key: 'role', Value: role }],
        });
        eniCount++;
        if (i === 0) samples.fromInternet.push(iid);
        if (i === 1) samples.toInternet.push(iid);
        if (i === 2) samples.sameVpc.push([id('i', 1), iid]); // web -> app on 8080, allowed by reference to the web group
      }
      files.Reservations.push({ OwnerId: account, ReservationId: id('r'), Instances: instances });
    }
    const dir = join(out, account, region);
    mkdirSync(dir, { recursive: true });
    for (const [key, list] of Object.entries(files)) if (list.length) writeFileSync(join(dir, `${key}.json`), JSON.stringify({ [key]: list }));
  }
  return { vpcs: vpcIndex, enis: eniCount, samples };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const out = arg('out');
  if (!out) {
    process.stderr.write('usage: node bench/estate.mjs --out DIR [--vpcs N] [--enis N] [--accounts N] [--seed N]\n');
    process.exit(2);
  }
  const r = generateEstate({ out, vpcs: Number(arg('vpcs', 1000)), enis: Number(arg('enis', 100000)), accounts: Number(arg('accounts', 10)), seed: Number(arg('seed', 42)) });
  process.stdout.write(`${r.vpcs} VPCs, ${r.enis} network interfaces written to ${out}\n`);
}

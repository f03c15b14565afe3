/**
 * The records of AWS's "Flow log record examples" page
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html, sections "Accepted and
 * rejected traffic", "No data and skipped records", "Security group and network ACL rules"), parsed to the
 * fields AWS describes and explained against snapshots built to match each example.
 */
import { describe, expect, it } from 'vitest';
import { explainFlowLogRecords } from '../../../src/analyses/flow-logs/explain.js';
import { parseFlowLogLines } from '../../../src/analyses/flow-logs/reader.js';
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import { tempSnapshot } from '../../helpers/temp-snapshot.js';

const ACCT = '123456789010';
const ENI = 'eni-1235b8ca123456789';
const SSH_ACCEPT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const RDP_REJECT = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
const SKIPDATA = '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA';
const PING_IN_ACCEPT = '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK';
const PING_OUT_REJECT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK';
const PING_OUT_ACCEPT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 ACCEPT OK';
const PING_IN_REJECT = '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 REJECT OK';

/** One interface in its own subnet and security group, with the given rules and NACL entries. */
function snapshot(ip: string, subnetCidr: string, ingress: unknown[], aclEntries?: unknown[]) {
  const vpc = 'vpc-0aa0000000000aa01';
  return loadSnapshot(
    tempSnapshot({
      [`${ACCT}/us-east-1/vpcs.json`]: { Vpcs: [{ VpcId: vpc, CidrBlock: '172.31.0.0/16', IsDefault: true }] },
      [`${ACCT}/us-east-1/subnets.json`]: { Subnets: [{ SubnetId: 'subnet-0aa0000000000aa01', VpcId: vpc, CidrBlock: subnetCidr, AvailabilityZone: 'us-east-1a' }] },
      [`${ACCT}/us-east-1/sgs.json`]: { SecurityGroups: [{ GroupId: 'sg-0aa0000000000aa01', GroupName: 'example', VpcId: vpc, IpPermissions: ingress, IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }] },
      [`${ACCT}/us-east-1/acls.json`]: {
        NetworkAcls: [
          {
            NetworkAclId: 'acl-0aa0000000000aa01',
            VpcId: vpc,
            IsDefault: true,
            Associations: [{ SubnetId: 'subnet-0aa0000000000aa01' }],
            Entries: aclEntries ?? [
              { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
              { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
            ],
          },
        ],
      },
      [`${ACCT}/us-east-1/enis.json`]: { NetworkInterfaces: [{ NetworkInterfaceId: ENI, VpcId: vpc, SubnetId: 'subnet-0aa0000000000aa01', PrivateIpAddress: ip, Groups: [{ GroupId: 'sg-0aa0000000000aa01' }] }] },
    }),
  );
}

const read = (...lines: string[]) => parseFlowLogLines(lines, 'aws-examples.log');

describe('AWS flow log record examples', () => {
  it('parse to the fields AWS describes', () => {
    const r = read(SSH_ACCEPT, NODATA);
    expect(r.problems).toEqual([]);
    expect(r.records[0]).toEqual({
      version: '2', 'account-id': ACCT, 'interface-id': ENI, srcaddr: '172.31.16.139', dstaddr: '172.31.16.21', srcport: '20641', dstport: '22', protocol: '6',
      packets: '20', bytes: '4249', start: '1418530010', end: '1418530070', action: 'ACCEPT', 'log-status': 'OK',
    });
    expect(r.records[1]).toMatchObject({ srcaddr: undefined, packets: undefined, action: undefined, 'log-status': 'NODATA', start: '1431280876' });
  });

  it('SSH to the interface was allowed: the security group rule for tcp 22', () => {
    const m = snapshot('172.31.16.21', '172.31.16.0/20', [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }]);
    const [f] = explainFlowLogRecords(m, read(SSH_ACCEPT).records);
    expect(f).toMatchObject({ direction: 'ingress', verdict: 'explained', component: { id: 'sg-0aa0000000000aa01', type: 'security-group' } });
    expect(f?.reason).toMatch(/tcp 22 from 172\.31\.0\.0\/16/);
  });

  it('RDP to the interface was rejected: no security group rule admits tcp 3389', () => {
    const m = snapshot('172.31.9.12', '172.31.0.0/20', [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]);
    const [f] = explainFlowLogRecords(m, read(RDP_REJECT).records);
    expect(f).toMatchObject({ verdict: 'explained', expected: 'REJECT' });
    expect(f?.reason).toMatch(/no inbound rule for tcp 3389 from 172\.31\.9\.69/);
  });

  it('NODATA and SKIPDATA are reported as such', () => {
    const m = snapshot('172.31.16.21', '172.31.16.0/20', []);
    expect(explainFlowLogRecords(m, read(NODATA, SKIPDATA).records).map((f) => [f.interfaceId, f.verdict, f.reason.split(':')[0]])).toEqual([
      ['eni-11111111aaaaaaaaa', 'no-data', 'SKIPDATA'],
      [ENI, 'no-data', 'NODATA'],
    ]);
  });

  it('ping allowed in by the security group, reply denied out by the network ACL: ACCEPT then REJECT', () => {
    const icmpIn = [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    const noIcmpOut = [
      { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 0, To: 65535 } },
    ];
    const m = snapshot('172.31.16.139', '172.31.16.0/20', icmpIn, noIcmpOut);
    const flows = explainFlowLogRecords(m, read(PING_IN_ACCEPT, PING_OUT_REJECT).records);
    expect(flows.map((f) => [f.direction, f.action, f.verdict, f.component?.type])).toEqual([
      ['egress', 'REJECT', 'explained', 'network-acl'],
      ['ingress', 'ACCEPT', 'explained', 'security-group'],
    ]);
    expect(flows[0]?.reason).toMatch(/network ACL acl-0aa0000000000aa01 rule \* deny/);
  });

  it('with the NACL permitting outbound ICMP both records are ACCEPT; with the SG denying ICMP a single REJECT', () => {
    const icmpIn = [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    const open = snapshot('172.31.16.139', '172.31.16.0/20', icmpIn);
    expect(explainFlowLogRecords(open, read(PING_IN_ACCEPT, PING_OUT_ACCEPT).records).every((f) => f.verdict === 'explained')).toBe(true);
    const closed = snapshot('172.31.16.139', '172.31.16.0/20', []);
    const [f] = explainFlowLogRecords(closed, read(PING_IN_REJECT).records);
    expect(f).toMatchObject({ action: 'REJECT', verdict: 'explained', component: { type: 'security-group' } });
  });
});

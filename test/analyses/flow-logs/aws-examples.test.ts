/**
 * Every record of AWS's "Flow log record examples" page
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html; the same text is in
 * awsdocs/amazon-vpc-user-guide doc_source/flow-logs-records-examples.md) parsed to the fields AWS
 * describes, and explained against a snapshot built to match each section's story. EX-n numbers the
 * record blocks in page order, as shared/docs/vpc-flow-logs.md does.
 */
import { describe, expect, it } from 'vitest';
import { explainFlowLogRecords, type FlowExplanation } from '../../../src/analyses/flow-logs/explain.js';
import { formatFlowLogRecord, flowLogRecordsForTrace } from '../../../src/analyses/flow-logs/generate.js';
import { parseFlowLogLines } from '../../../src/analyses/flow-logs/reader.js';
import { trace } from '../../../src/analyses/trace.js';
import { ALLOW_ALL, specModel, type AclEntry } from './snapshot-spec.js';

const ACCT = '123456789010';
const ENI = 'eni-1235b8ca123456789';
const read = (lines: readonly string[], format?: string) => {
  const r = parseFlowLogLines(lines, 'aws-examples.log', format);
  expect(r.problems).toEqual([]);
  return r.records;
};
const one = (flows: FlowExplanation[], pred: (f: FlowExplanation) => boolean): FlowExplanation => {
  const f = flows.find(pred);
  expect(f).toBeDefined();
  return f as FlowExplanation;
};

describe('Accepted and rejected traffic (EX-01, EX-02)', () => {
  const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
  const RDP = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';

  it('parse to the 14 default fields', () => {
    expect(read([SSH, RDP])).toEqual([
      { version: '2', 'account-id': ACCT, 'interface-id': ENI, srcaddr: '172.31.16.139', dstaddr: '172.31.16.21', srcport: '20641', dstport: '22', protocol: '6', packets: '20', bytes: '4249', start: '1418530010', end: '1418530070', action: 'ACCEPT', 'log-status': 'OK' },
      { version: '2', 'account-id': ACCT, 'interface-id': ENI, srcaddr: '172.31.9.69', dstaddr: '172.31.9.12', srcport: '49761', dstport: '3389', protocol: '6', packets: '20', bytes: '4249', start: '1418530010', end: '1418530070', action: 'REJECT', 'log-status': 'OK' },
    ]);
  });

  it('SSH to the interface was allowed by the security group rule for tcp 22', () => {
    const m = specModel({
      vpcCidr: '172.31.0.0/16',
      subnets: [{ id: 'subnet-0aa0000000000aa01', cidr: '172.31.16.0/20' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa01', name: 'ssh', ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }] }],
      enis: [{ id: ENI, subnet: 'subnet-0aa0000000000aa01', ip: '172.31.16.21', groups: ['sg-0aa0000000000aa01'] }],
    });
    const [f] = explainFlowLogRecords(m, read([SSH]));
    expect(f).toMatchObject({ direction: 'ingress', action: 'ACCEPT', verdict: 'explained', reading: 'request', component: { id: 'sg-0aa0000000000aa01', type: 'security-group' } });
    expect(f?.reason).toBe(`ACCEPT inbound on ${ENI}: security group sg-0aa0000000000aa01 (ssh) rule tcp 22 from 172.31.0.0/16; no network ACL (the peer is in the same subnet subnet-0aa0000000000aa01)`);
  });

  it('RDP to the interface was rejected: no security group rule admits tcp 3389', () => {
    const m = specModel({
      vpcCidr: '172.31.0.0/16',
      subnets: [{ id: 'subnet-0aa0000000000aa02', cidr: '172.31.0.0/20' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa02', name: 'ssh-only', ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }],
      enis: [{ id: ENI, subnet: 'subnet-0aa0000000000aa02', ip: '172.31.9.12', groups: ['sg-0aa0000000000aa02'] }],
    });
    const [f] = explainFlowLogRecords(m, read([RDP]));
    expect(f).toMatchObject({ direction: 'ingress', action: 'REJECT', verdict: 'explained', expected: 'REJECT', component: { id: 'sg-0aa0000000000aa02', type: 'security-group' } });
    expect(f?.reason).toBe(`REJECT inbound on ${ENI}: security group sg-0aa0000000000aa02 (ssh-only) has no inbound rule for tcp 3389 from 172.31.9.69`);
  });
});

describe('No data and skipped records (EX-03, EX-04)', () => {
  const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
  const SKIPDATA = '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA';

  it('keep account, interface, start and end; every flow field is missing', () => {
    expect(read([NODATA, SKIPDATA])).toEqual([
      { version: '2', 'account-id': ACCT, 'interface-id': ENI, srcaddr: undefined, dstaddr: undefined, srcport: undefined, dstport: undefined, protocol: undefined, packets: undefined, bytes: undefined, start: '1431280876', end: '1431280934', action: undefined, 'log-status': 'NODATA' },
      { version: '2', 'account-id': ACCT, 'interface-id': 'eni-11111111aaaaaaaaa', srcaddr: undefined, dstaddr: undefined, srcport: undefined, dstport: undefined, protocol: undefined, packets: undefined, bytes: undefined, start: '1431280876', end: '1431280934', action: undefined, 'log-status': 'SKIPDATA' },
    ]);
  });

  it('are reported as no data, whatever the snapshot', () => {
    const m = specModel({ vpcCidr: '172.31.0.0/16', subnets: [{ id: 'subnet-0aa0000000000aa01', cidr: '172.31.16.0/20' }], enis: [{ id: ENI, subnet: 'subnet-0aa0000000000aa01', ip: '172.31.16.21' }] });
    const flows = explainFlowLogRecords(m, read([NODATA, SKIPDATA]));
    expect(flows.map((f) => [f.interfaceId, f.logStatus, f.verdict, f.count, f.firstStart, f.lastEnd])).toEqual([
      ['eni-11111111aaaaaaaaa', 'SKIPDATA', 'no-data', 1, 1431280876, 1431280934],
      [ENI, 'NODATA', 'no-data', 1, 1431280876, 1431280934],
    ]);
    expect(flows[0]?.reason).toMatch(/^SKIPDATA: AWS skipped records/);
    expect(flows[1]?.reason).toBe(`NODATA: no traffic to or from ${ENI} in the aggregation interval`);
  });
});

describe('Security group and network ACL rules (EX-05): ping from home, NACL without outbound ICMP', () => {
  const IN_ACCEPT = '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK';
  const OUT_REJECT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK';
  const icmpIn = [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
  // "Your security group's inbound rules allow ICMP traffic but the outbound rules do not allow ICMP traffic."
  const model = (ingress: typeof icmpIn, acl: readonly AclEntry[]) =>
    specModel({
      vpcCidr: '172.31.0.0/16',
      subnets: [{ id: 'subnet-0aa0000000000aa01', cidr: '172.31.16.0/20' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa05', name: 'ping', ingress, egress: [] }],
      acl,
      enis: [{ id: ENI, subnet: 'subnet-0aa0000000000aa01', ip: '172.31.16.139', groups: ['sg-0aa0000000000aa05'] }],
    });
  const NO_ICMP_OUT: AclEntry[] = [
    { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '1', CidrBlock: '0.0.0.0/0', IcmpTypeCode: { Type: -1, Code: -1 } },
    { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 0, To: 65535 } },
  ];

  it('parse: ICMP carries ports 0 0', () => {
    expect(read([IN_ACCEPT])[0]).toMatchObject({ srcaddr: '203.0.113.12', dstaddr: '172.31.16.139', srcport: '0', dstport: '0', protocol: '1', packets: '4', bytes: '336' });
  });

  it('the ping is ACCEPTed in by NACL and security group; the reply REJECTed out by the NACL, not the security group', () => {
    const flows = explainFlowLogRecords(model(icmpIn, NO_ICMP_OUT), read([IN_ACCEPT, OUT_REJECT]));
    const inbound = one(flows, (f) => f.direction === 'ingress');
    const outbound = one(flows, (f) => f.direction === 'egress');
    expect(inbound).toMatchObject({ action: 'ACCEPT', verdict: 'explained', reading: 'request', component: { id: 'sg-0aa0000000000aa05', type: 'security-group' }, pair: outbound.key });
    expect(inbound.reason).toBe(`ACCEPT inbound on ${ENI}: network ACL acl-0123456789abcdef0 rule 100 allows icmp in (from 0.0.0.0/0); security group sg-0aa0000000000aa05 (ping) rule icmp all from 0.0.0.0/0`);
    expect(outbound).toMatchObject({ action: 'REJECT', verdict: 'explained', reading: 'reply', component: { id: 'acl-0123456789abcdef0', type: 'network-acl' } });
    expect(outbound.reason).toMatch(/^ACCEPT inbound then REJECT outbound on the reply at eni-1235b8ca123456789: network ACL acl-0123456789abcdef0 rule \* denies all traffic out \(to 0\.0\.0\.0\/0\); the request was ICMP from 203\.0\.113\.12/);
    expect(outbound.reason).toMatch(/security groups pass replies by connection tracking but network ACLs do not/);
  });

  it('with a NACL that permits outbound ICMP the reply is ACCEPTed too (connection tracking)', () => {
    const OUT_ACCEPT = OUT_REJECT.replace('REJECT', 'ACCEPT');
    const flows = explainFlowLogRecords(model(icmpIn, ALLOW_ALL), read([IN_ACCEPT, OUT_ACCEPT]));
    expect(flows.map((f) => [f.direction, f.action, f.verdict, f.reading])).toEqual([
      ['egress', 'ACCEPT', 'explained', 'reply'],
      ['ingress', 'ACCEPT', 'explained', 'request'],
    ]);
    expect(flows[0]?.reason).toMatch(/reply to the inbound request ICMP from 203\.0\.113\.12 .*passed by security-group connection tracking/);
  });

  it('with a security group that denies inbound ICMP, a single REJECT', () => {
    const IN_REJECT = IN_ACCEPT.replace('ACCEPT', 'REJECT');
    const [f] = explainFlowLogRecords(model([], ALLOW_ALL), read([IN_REJECT]));
    expect(f).toMatchObject({ direction: 'ingress', action: 'REJECT', verdict: 'explained', component: { type: 'security-group' } });
    expect(f?.reason).toBe(`REJECT inbound on ${ENI}: security group sg-0aa0000000000aa05 (ping) has no inbound rule for ICMP from 203.0.113.12`);
  });

  it('the same records against the open configuration are drift', () => {
    const flows = explainFlowLogRecords(model(icmpIn, ALLOW_ALL), read([IN_ACCEPT, OUT_REJECT]));
    expect(one(flows, (f) => f.action === 'REJECT')).toMatchObject({ verdict: 'drift', expected: 'ACCEPT' });
  });
});

describe('IPv6 traffic (EX-06)', () => {
  const SSH6 = '2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK';
  it('parses IPv6 addresses and is explained by an IPv6 rule, through the NACL (another subnet)', () => {
    expect(read([SSH6])[0]).toMatchObject({ srcaddr: '2001:db8:1234:a100:8d6e:3477:df66:f105', dstaddr: '2001:db8:1234:a102:3304:8879:34cf:4071', dstport: '22' });
    const m = specModel({
      vpcCidr: '10.0.0.0/16',
      vpcIpv6: '2001:db8:1234:a100::/56',
      subnets: [{ id: 'subnet-0aa0000000000a102', cidr: '10.0.2.0/24', ipv6: '2001:db8:1234:a102::/64' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa06', name: 'ssh6', ingress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '2001:db8:1234:a100::/56' }] }] }],
      enis: [{ id: ENI, subnet: 'subnet-0aa0000000000a102', ip: '10.0.2.10', ipv6: '2001:db8:1234:a102:3304:8879:34cf:4071', groups: ['sg-0aa0000000000aa06'] }],
    });
    const [f] = explainFlowLogRecords(m, read([SSH6]));
    expect(f).toMatchObject({ direction: 'ingress', verdict: 'explained', component: { id: 'sg-0aa0000000000aa06' } });
    expect(f?.reason).toBe(`ACCEPT inbound on ${ENI}: network ACL acl-0123456789abcdef0 rule 101 allows all traffic in (from ::/0); security group sg-0aa0000000000aa06 (ssh6) rule tcp 22 from 2001:db8:1234:a100::/56`);
  });
});

describe('TCP flag sequence (EX-07..EX-09): a custom version-3 format', () => {
  const FORMAT = 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status';
  const P = '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4';
  const EX07 = [
    `${P} 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK`,
    `${P} 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK`,
    `${P} 52.213.180.42 10.0.0.62 43418 5001 52.213.180.42 10.0.0.62 6 100701 70 1566848875 1566848933 ACCEPT 2 OK`,
    `${P} 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 632 12 1566848875 1566848933 ACCEPT 18 OK`,
  ];
  const EX08 = [
    `${P} 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 63388 1219 1566848933 1566849113 ACCEPT 1 OK`,
    `${P} 52.213.180.42 10.0.0.62 43418 5001 52.213.180.42 10.0.0.62 6 23294588 15774 1566848933 1566849113 ACCEPT 1 OK`,
  ];
  // AWS's page has a double space in the second record (shared/docs/vpc-flow-logs.md §1.1).
  const EX09 = [
    `${P} 52.213.180.42 10.0.0.62 43638 5001 52.213.180.42 10.0.0.62 6 1260 17 1566933133 1566933193 ACCEPT 3 OK`,
    `${P} 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK`,
  ];
  // The server's security group admits tcp 5001 and has no outbound rules: replies pass by connection tracking only.
  const model = () =>
    specModel({
      vpcCidr: '10.0.0.0/16',
      subnets: [{ id: 'subnet-aaaaaaaa012345678', cidr: '10.0.0.0/24' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa07', name: 'iperf', ingress: [{ IpProtocol: 'tcp', FromPort: 5001, ToPort: 5001, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], egress: [] }],
      enis: [{ id: ENI, subnet: 'subnet-aaaaaaaa012345678', ip: '10.0.0.62', groups: ['sg-0aa0000000000aa07'], instance: 'i-01234567890123456' }],
    });

  it('learns the format from its header line and reads tcp-flags, bytes before packets, the double space', () => {
    const recs = read([FORMAT, ...EX07, ...EX08, ...EX09]);
    expect(recs).toHaveLength(8);
    expect(recs[0]).toEqual({
      version: '3', 'vpc-id': 'vpc-abcdefab012345678', 'subnet-id': 'subnet-aaaaaaaa012345678', 'instance-id': 'i-01234567890123456', 'interface-id': ENI, 'account-id': ACCT, type: 'IPv4',
      srcaddr: '52.213.180.42', dstaddr: '10.0.0.62', srcport: '43416', dstport: '5001', 'pkt-srcaddr': '52.213.180.42', 'pkt-dstaddr': '10.0.0.62', protocol: '6', bytes: '568', packets: '8',
      start: '1566848875', end: '1566848933', action: 'ACCEPT', 'tcp-flags': '2', 'log-status': 'OK',
    });
    expect(recs.map((r) => r['tcp-flags'])).toEqual(['2', '18', '2', '18', '1', '1', '3', '19']);
    expect(recs[7]).toMatchObject({ srcport: '5001', dstport: '43638', 'pkt-srcaddr': '10.0.0.62' });
  });

  it('SYN (2, 3) reads as the request, SYN-ACK (18, 19) as the reply; FIN-only records fall back on the ports', () => {
    const flows = explainFlowLogRecords(model(), read([FORMAT, ...EX07, ...EX08, ...EX09]));
    expect(flows.every((f) => f.verdict === 'explained')).toBe(true);
    const summary = flows.map((f) => [f.direction, f.srcport, f.reading, f.count]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['ingress', 43416, 'request', 3], // flags 2 (twice) and 3: the client's SYNs; ports 43416-43638 fold into one flow
        ['egress', 5001, 'reply', 3], // flags 18 (twice) and 19
        ['ingress', 43418, 'request', 1], // FIN only: the higher source port is the client
        ['egress', 5001, 'reply', 1], // FIN only: from the service port, a reply
      ]),
    );
    expect(flows).toHaveLength(4);
    const reply = one(flows, (f) => f.direction === 'egress' && f.count === 3);
    expect(reply.srcPorts).toEqual({ min: 5001, max: 5001 });
    expect(reply.dstPorts).toEqual({ min: 43416, max: 43638 });
    expect(reply.reason).toMatch(/^ACCEPT outbound on eni-1235b8ca123456789: reply to the inbound request tcp 5001 from 52\.213\.180\.42 \(admitted by .*security group sg-0aa0000000000aa07 \(iperf\) rule tcp 5001 from 0\.0\.0\.0\/0\), passed by security-group connection tracking/);
  });
});

describe('Traffic through a NAT gateway (EX-10..EX-13): instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr', () => {
  const FORMAT = '${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}';
  const NAT = [
    '- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5',
    '- eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5',
    '- eni-1235b8ca123456789 203.0.113.5 10.0.0.220 203.0.113.5 10.0.0.220',
    '- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5',
  ];
  // AWS annotates the instance's two records with `#…` comments; the records are what precedes them.
  const INSTANCE = ['i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5', 'i-01234567890123456 eni-1111aaaa2222bbbb3 203.0.113.5 10.0.1.5 203.0.113.5 10.0.1.5'];
  const spec = {
    vpcCidr: '10.0.0.0/16',
    subnets: [
      { id: 'subnet-0aa00000000public', cidr: '10.0.0.0/24', routeTable: 'rtb-0aa00000000public' },
      { id: 'subnet-0aa0000000private', cidr: '10.0.1.0/24', routeTable: 'rtb-0aa0000000private' },
    ],
    securityGroups: [{ id: 'sg-0aa0000000000aa10', name: 'app' }],
    enis: [
      { id: 'eni-1235b8ca123456789', subnet: 'subnet-0aa00000000public', ip: '10.0.0.220', type: 'nat_gateway', description: 'Interface for NAT Gateway nat-0aa0000000000aa10' },
      { id: 'eni-1111aaaa2222bbbb3', subnet: 'subnet-0aa0000000private', ip: '10.0.1.5', groups: ['sg-0aa0000000000aa10'], instance: 'i-01234567890123456' },
    ],
    natGateways: [{ id: 'nat-0aa0000000000aa10', subnet: 'subnet-0aa00000000public', eni: 'eni-1235b8ca123456789', ip: '10.0.0.220', publicIp: '198.51.100.220' }],
    routeTables: [
      { id: 'rtb-0aa00000000public', routes: [{ cidr: '0.0.0.0/0', gateway: 'igw-0aa0000000000aa10' }] },
      { id: 'rtb-0aa0000000private', routes: [{ cidr: '0.0.0.0/0', nat: 'nat-0aa0000000000aa10' }], main: true },
    ],
    internetGateway: 'igw-0aa0000000000aa10',
  };

  it('parse without version, action or ports; instance-id is - on the requester-managed interface', () => {
    const recs = read([...NAT, ...INSTANCE], FORMAT);
    expect(recs[0]).toEqual({ 'instance-id': undefined, 'interface-id': 'eni-1235b8ca123456789', srcaddr: '10.0.1.5', dstaddr: '10.0.0.220', 'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '203.0.113.5' });
    expect(recs[4]).toMatchObject({ 'instance-id': 'i-01234567890123456', srcaddr: '10.0.1.5', 'pkt-dstaddr': '203.0.113.5' });
  });

  it('explain gives each record its direction and, where dstaddr/pkt-dstaddr differ, the NAT gateway role; the snapshot admits all', () => {
    const flows = explainFlowLogRecords(specModel(spec), read([...NAT, ...INSTANCE], FORMAT));
    expect(flows.every((f) => f.verdict === 'no-action' && f.expected === 'ACCEPT')).toBe(true);
    const at = (src: string, dst: string, eni = 'eni-1235b8ca123456789') => one(flows, (f) => f.interfaceId === eni && f.srcaddr === src && f.dstaddr === dst);
    expect(at('10.0.1.5', '10.0.0.220')).toMatchObject({ direction: 'ingress', interfaceOwner: 'NAT gateway nat-0aa0000000000aa10' });
    expect(at('10.0.1.5', '10.0.0.220').addressNote).toBe("dstaddr 10.0.0.220 is the interface's own address; the packet was addressed to 203.0.113.5 (pkt-dstaddr): the interface is an intermediate hop (NAT gateway nat-0aa0000000000aa10 translating)");
    expect(at('10.0.0.220', '203.0.113.5')).toMatchObject({ direction: 'egress' });
    expect(at('10.0.0.220', '203.0.113.5').addressNote).toBeUndefined();
    expect(at('203.0.113.5', '10.0.0.220')).toMatchObject({ direction: 'ingress' });
    expect(at('10.0.0.220', '10.0.1.5').addressNote).toMatch(/^srcaddr 10\.0\.0\.220 is the interface's own address; the packet came from 203\.0\.113\.5 \(pkt-srcaddr\)/);
    expect(at('10.0.1.5', '203.0.113.5', 'eni-1111aaaa2222bbbb3')).toMatchObject({ direction: 'egress', interfaceOwner: 'instance i-01234567890123456' });
    expect(at('203.0.113.5', '10.0.1.5', 'eni-1111aaaa2222bbbb3')).toMatchObject({ direction: 'ingress', reading: 'reply' });
    expect(at('203.0.113.5', '10.0.1.5', 'eni-1111aaaa2222bbbb3').addressNote).toBeUndefined();
  });

  it('generate writes the same six records for instance -> 203.0.113.5 through the NAT gateway', () => {
    const m = specModel(spec);
    const out = flowLogRecordsForTrace(m, trace(m, { from: 'eni-1111aaaa2222bbbb3', to: '203.0.113.5', port: 443 }), { format: FORMAT });
    const lines = out.records.map((r) => formatFlowLogRecord(FORMAT, r.record));
    expect(lines).toEqual([INSTANCE[0], NAT[0], NAT[1], NAT[2], NAT[3], INSTANCE[1]]);
  });
});

describe('Traffic through a transit gateway (EX-14..EX-16)', () => {
  const FORMAT = 'version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status';
  const SERVER = [
    '3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.20.33.164 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK',
    '3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.40.2.236 10.20.33.164 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK',
  ];
  const TGW_IN = '3 eni-11111111111111111 123456789010 vpc-abcdefab012345678 subnet-11111111aaaaaaaaa - 10.40.1.175 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK';
  const TGW_OUT = '3 eni-22222222222222222 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb - 10.40.2.236 10.40.2.31 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK';
  const m = () =>
    specModel({
      vpcCidr: '10.40.0.0/16',
      subnets: [
        { id: 'subnet-11111111aaaaaaaaa', cidr: '10.40.1.0/24', az: 'us-east-1a' },
        { id: 'subnet-22222222bbbbbbbbb', cidr: '10.40.2.0/24', az: 'us-east-1b' },
      ],
      securityGroups: [{ id: 'sg-0aa0000000000aa14', name: 'web', ingress: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.20.0.0/16' }] }], egress: [] }],
      enis: [
        { id: 'eni-11111111111111111', subnet: 'subnet-11111111aaaaaaaaa', ip: '10.40.1.175', type: 'transit_gateway', description: 'Network Interface for Transit Gateway Attachment tgw-attach-0aa0000000000aa14' },
        { id: 'eni-22222222222222222', subnet: 'subnet-22222222bbbbbbbbb', ip: '10.40.2.31', type: 'transit_gateway', description: 'Network Interface for Transit Gateway Attachment tgw-attach-0aa0000000000aa14' },
        { id: 'eni-33333333333333333', subnet: 'subnet-22222222bbbbbbbbb', ip: '10.40.2.236', groups: ['sg-0aa0000000000aa14'], instance: 'i-01234567890123456' },
      ],
    });

  it('parse the four records with the format of the page', () => {
    const recs = read([...SERVER, TGW_IN, TGW_OUT], FORMAT);
    expect(recs[2]).toMatchObject({ 'interface-id': 'eni-11111111111111111', 'instance-id': undefined, srcaddr: '10.40.1.175', 'pkt-srcaddr': '10.20.33.164', 'tcp-flags': '3' });
    expect(recs[3]).toMatchObject({ 'interface-id': 'eni-22222222222222222', dstaddr: '10.40.2.31', 'pkt-dstaddr': '10.20.33.164', 'tcp-flags': '19' });
  });

  it('the server sees the client itself; the attachment interfaces substitute their own address and have no security groups', () => {
    const flows = explainFlowLogRecords(m(), read([...SERVER, TGW_IN, TGW_OUT], FORMAT));
    expect(flows.every((f) => f.verdict === 'explained')).toBe(true);
    const server = flows.filter((f) => f.interfaceId === 'eni-33333333333333333');
    expect(server.map((f) => [f.direction, f.reading, f.component?.id])).toEqual(
      expect.arrayContaining([
        ['ingress', 'request', 'sg-0aa0000000000aa14'],
        ['egress', 'reply', 'sg-0aa0000000000aa14'],
      ]),
    );
    const tgwIn = one(flows, (f) => f.interfaceId === 'eni-11111111111111111');
    expect(tgwIn).toMatchObject({ direction: 'egress', reading: 'request', interfaceOwner: 'transit gateway attachment tgw-attach-0aa0000000000aa14', component: { type: 'network-acl' } });
    expect(tgwIn.addressNote).toMatch(/^srcaddr 10\.40\.1\.175 is the interface's own address; the packet came from 10\.20\.33\.164 \(pkt-srcaddr\): the interface is an intermediate hop \(transit gateway attachment/);
    const tgwOut = one(flows, (f) => f.interfaceId === 'eni-22222222222222222');
    expect(tgwOut).toMatchObject({ direction: 'ingress', reading: 'reply' });
    expect(tgwOut.reason).toMatch(/no network ACL \(the peer is in the same subnet subnet-22222222bbbbbbbbb\)/);
  });
});

describe('Service name, traffic path and flow direction (EX-17): version 5', () => {
  const FORMAT =
    'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status';
  const RECS = [
    '5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK',
    '5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK',
  ];

  it('parse: flow-direction, traffic-path 8 on egress and - on ingress, the S3 service name', () => {
    const recs = read([FORMAT, ...RECS]);
    expect(recs[0]).toMatchObject({ 'flow-direction': 'ingress', 'traffic-path': undefined, 'pkt-src-aws-service': 'S3', 'pkt-dst-aws-service': undefined, region: 'ap-southeast-2', 'az-id': 'apse2-az3', 'sublocation-type': undefined });
    expect(recs[1]).toMatchObject({ 'flow-direction': 'egress', 'traffic-path': '8', 'pkt-dst-aws-service': 'S3', 'tcp-flags': '3' });
  });

  it('explain: the egress request by the outbound rule, the ingress reply by connection tracking', () => {
    const m = specModel({
      account: '123456789012',
      region: 'ap-southeast-2',
      vpcCidr: '10.0.0.0/16',
      subnets: [{ id: 'subnet-aaaaaaaa012345678', cidr: '10.0.0.0/24', az: 'ap-southeast-2a', azId: 'apse2-az3' }],
      securityGroups: [{ id: 'sg-0aa0000000000aa17', name: 'client' }],
      enis: [{ id: ENI, subnet: 'subnet-aaaaaaaa012345678', ip: '10.0.0.71', groups: ['sg-0aa0000000000aa17'], instance: 'i-0c50d5961bcb2d47b' }],
    });
    const flows = explainFlowLogRecords(m, read([FORMAT, ...RECS]));
    expect(flows.map((f) => [f.direction, f.reading, f.verdict])).toEqual([
      ['egress', 'request', 'explained'],
      ['ingress', 'reply', 'explained'],
    ]);
    expect(flows[1]?.reason).toMatch(/^ACCEPT inbound on eni-1235b8ca123456789: reply to the outbound request tcp 80 to 52\.95\.128\.179/);
  });
});

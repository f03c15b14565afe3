/**
 * Load balancers: an internet-facing Application Load Balancer (test/fixtures/alb-public): the ALB's
 * security groups apply, and it opens a new connection from its node to the target (aws-vpc-semantics §6.2).
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { editSnapshot, tempDir } from '../helpers/temp-snapshot.js';
import { cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURE = 'test/fixtures/alb-public';

function copyFixture(): string {
  const dir = tempDir('alb');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('internet -> ALB:443 -> target', () => {
  const model = loadSnapshot(FIXTURE);

  it('loads cleanly', () => {
    expect(model.issues).toEqual([]);
  });

  it('is reachable through the ALB security group and a new connection from the node to the target', () => {
    const r = trace(model, { from: 'internet', to: 'web-alb', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const types = r.forwardPath.map((h) => h.component.type);
    // IGW translates the node's public IP, the ALB SG admits 443, listener, target group, new connection.
    expect(types.slice(0, 6)).toEqual(['internet-gateway', 'network-acl', 'security-group', 'load-balancer', 'listener', 'target-group']);
    expect(r.forwardPath[2]?.component.name).toBe('web-alb-sg');
    const translate = r.forwardPath.find((h) => h.component.type === 'load-balancer' && h.action === 'translate');
    expect(translate?.rule).toMatch(/new connection from the node to the target/);
    // The target sees the node's private address and port 8080, never the internet client.
    const last = r.forwardPath.at(-1);
    expect(last?.packet).toMatchObject({ srcIp: '10.50.0.20', dstIp: '10.50.10.30', dstPort: 8080 });
    // The ALB SG must also allow the new connection outbound (§6.2).
    expect(r.forwardPath.some((h) => h.component.type === 'security-group' && h.rule?.startsWith('egress rule: tcp 8080'))).toBe(true);
    // The reply leaves through the node and the IGW maps the node's address back to its public IP.
    expect(r.returnPath.at(-2)?.rule).toBe('source 10.50.0.20 -> 34.240.10.20 (1:1 NAT)');
  });

  it('names the ALB security group when it does not admit the client', () => {
    const dir = copyFixture();
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'web-alb-sg') g.IpPermissions[0].IpRanges = [{ CidrIp: '10.0.0.0/8' }];
    });
    const r = trace(loadSnapshot(dir), { from: 'internet', to: 'web-alb', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', component: { id: 'sg-0a1b0000000000alb' } });
  });

  it('an ALB security group without outbound to the targets blocks the new connection', () => {
    const dir = copyFixture();
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'web-alb-sg') g.IpPermissionsEgress = [];
    });
    const r = trace(loadSnapshot(dir), { from: 'internet', to: 'web-alb', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toEqual([expect.objectContaining({ code: 'ENI_SG_RULES_MISMATCH', component: { id: 'sg-0a1b0000000000alb', type: 'security-group' } })]);
    expect(r.explanations[0]?.message).toMatch(/outbound/);
  });

  it('a port without a listener is reported', () => {
    const r = trace(model, { from: 'internet', to: 'web-alb', port: 80 });
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toContain('ELBV2_LISTENERS_MISMATCH');
  });

  it('a target group whose describe-target-health is an empty list has no registered targets (known), not unknown targets', () => {
    const dir = copyFixture();
    expect(editSnapshot(dir, 'TargetHealthDescriptions', (doc) => (doc.TargetHealthDescriptions = []))).toBe(1);
    const m = loadSnapshot(dir);
    expect([...m.targetGroups.values()].map((t) => [t.targetGroupName, t.targetsKnown, t.targets.length])).toEqual([['web-app-8080', true, 0]]);
    const r = trace(m, { from: 'internet', to: 'web-alb', port: 443 });
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => e.code)).toEqual(['ELBV2_LISTENER_HAS_NO_TG']);
    expect(r.explanations[0]?.message).toMatch(/no registered targets/);
    expect(r.explanations.some((e) => e.code === 'MISSING_DATA')).toBe(false);
  });
});

describe('Classic Load Balancer', () => {
  it('proxies from its node to the registered instance on the instance port', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const dir = copyFixture();
    const base = `${dir}/444455556666/eu-west-1`;
    writeFileSync(
      `${base}/describe-load-balancers-classic.json`,
      JSON.stringify({
        LoadBalancerDescriptions: [
          {
            LoadBalancerName: 'web-clb',
            DNSName: 'web-clb-123.eu-west-1.elb.amazonaws.com',
            Scheme: 'internal',
            VPCId: 'vpc-0a1b000000000a1b0',
            Subnets: ['subnet-0a1b0000000000pa'],
            AvailabilityZones: ['eu-west-1a'],
            SecurityGroups: ['sg-0a1b0000000000alb'],
            Instances: [{ InstanceId: 'i-0a1b000000000app1' }],
            ListenerDescriptions: [{ Listener: { Protocol: 'TCP', LoadBalancerPort: 443, InstanceProtocol: 'TCP', InstancePort: 8080 } }],
          },
        ],
      }),
    );
    const enis = JSON.parse(readFileSync(`${base}/describe-network-interfaces.json`, 'utf8'));
    enis.NetworkInterfaces.push({
      NetworkInterfaceId: 'eni-0a1b0000000000clb',
      InterfaceType: 'interface',
      Status: 'in-use',
      VpcId: 'vpc-0a1b000000000a1b0',
      SubnetId: 'subnet-0a1b0000000000pa',
      AvailabilityZone: 'eu-west-1a',
      OwnerId: '444455556666',
      RequesterId: 'amazon-elb',
      RequesterManaged: true,
      Description: 'ELB web-clb',
      Groups: [{ GroupId: 'sg-0a1b0000000000alb', GroupName: 'web-alb-sg' }],
      PrivateIpAddress: '10.50.0.40',
      PrivateIpAddresses: [{ PrivateIpAddress: '10.50.0.40', Primary: true }],
    });
    writeFileSync(`${base}/describe-network-interfaces.json`, JSON.stringify(enis));
    const m = loadSnapshot(dir);
    expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // web-app-1 calls the internal CLB (which shares web-alb-sg: 443 in from anywhere, 8080 out to web-app-sg).
    const r = trace(m, { from: 'web-app-1', to: 'web-clb', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const last = r.forwardPath.at(-1);
    expect(last?.packet).toMatchObject({ srcIp: '10.50.0.40', dstIp: '10.50.10.30', dstPort: 8080 });
    expect(r.notes.join()).toMatch(/assumed InService/);
  });
});

describe('NAT instance (route to an instance interface with source/destination check off)', () => {
  it('masquerades the private source, and the reply is translated back', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const dir = copyFixture();
    const base = `${dir}/444455556666/eu-west-1`;
    const edit = (file: string, f: (d: any) => void) => {
      const d = JSON.parse(readFileSync(`${base}/${file}`, 'utf8'));
      f(d);
      writeFileSync(`${base}/${file}`, JSON.stringify(d));
    };
    edit('describe-security-groups.json', (d) =>
      d.SecurityGroups.push({
        GroupId: 'sg-0a1b0000000000nat',
        GroupName: 'nat-instance-sg',
        VpcId: 'vpc-0a1b000000000a1b0',
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.50.0.0/16' }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const natEni = {
      NetworkInterfaceId: 'eni-0a1b0000000000nat',
      InterfaceType: 'interface',
      Status: 'in-use',
      VpcId: 'vpc-0a1b000000000a1b0',
      SubnetId: 'subnet-0a1b0000000000pa',
      AvailabilityZone: 'eu-west-1a',
      OwnerId: '444455556666',
      Groups: [{ GroupId: 'sg-0a1b0000000000nat', GroupName: 'nat-instance-sg' }],
      SourceDestCheck: false,
      PrivateIpAddress: '10.50.0.50',
      PrivateIpAddresses: [{ PrivateIpAddress: '10.50.0.50', Primary: true, Association: { PublicIp: '34.240.12.50', IpOwnerId: 'amazon' } }],
      Attachment: { InstanceId: 'i-0a1b00000000000nat', DeviceIndex: 0, Status: 'attached' },
    };
    edit('describe-network-interfaces.json', (d) => d.NetworkInterfaces.push(natEni));
    edit('describe-instances.json', (d) =>
      d.Reservations.push({
        OwnerId: '444455556666',
        Instances: [{ InstanceId: 'i-0a1b00000000000nat', State: { Name: 'running' }, VpcId: 'vpc-0a1b000000000a1b0', SubnetId: 'subnet-0a1b0000000000pa', Placement: { AvailabilityZone: 'eu-west-1a' }, SourceDestCheck: false, NetworkInterfaces: [natEni], Tags: [{ Key: 'Name', Value: 'nat-instance' }] }],
      }),
    );
    // The app subnet (main table) sends everything else to the NAT instance.
    edit('describe-route-tables.json', (d) => {
      for (const t of d.RouteTables)
        if (t.RouteTableId === 'rtb-0a1b00000000main0') t.Routes.push({ DestinationCidrBlock: '0.0.0.0/0', NetworkInterfaceId: 'eni-0a1b0000000000nat', InstanceId: 'i-0a1b00000000000nat', Origin: 'CreateRoute', State: 'active' });
    });
    const r = trace(loadSnapshot(dir), { from: 'web-app-1', to: '1.1.1.1', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const natHop = r.forwardPath.find((h) => h.action === 'translate' && h.component.id === 'eni-0a1b0000000000nat');
    expect(natHop?.packet.srcIp).toBe('10.50.0.50');
    const igwHop = r.forwardPath.find((h) => h.component.type === 'internet-gateway');
    expect(igwHop?.packet.srcIp).toBe('34.240.12.50');
    expect(r.returnPath.some((h) => h.component.id === 'eni-0a1b0000000000nat' && h.rule?.includes('NAT instance'))).toBe(true);
    expect(r.notes.join()).toMatch(/treated as a NAT instance/);
  });
});

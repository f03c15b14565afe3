/**
 * Trace I: inside a VPC and at its internet edge, over `flowlogs-lab` and `private-subnet-egress` and
 * variants of them (their READMEs state the expected answers).
 */
import { describe, expect, it } from 'vitest';
import { trace } from '../../src/analyses/trace.js';
import type { Hop, TraceResult } from '../../src/engine/trace-types.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../src/model/network.js';
import { copyExample, editSnapshot } from '../helpers/temp-snapshot.js';

const LAB = 'examples/flowlogs-lab';
const EGRESS = 'examples/private-subnet-egress';

const codes = (r: TraceResult) => r.explanations.map((e) => e.code);

function groupIdByName(m: NetworkModel, name: string): string {
  const g = [...m.securityGroups.values()].find((x) => x.groupName === name);
  if (!g) throw new Error(`no security group ${name}`);
  return g.id;
}

function instanceIp(m: NetworkModel, name: string): { privateIp: string; publicIp?: string } {
  const i = [...m.instances.values()].find((x) => x.name === name);
  if (!i?.privateIp) throw new Error(`no instance ${name}`);
  return { privateIp: i.privateIp, ...(i.publicIp ? { publicIp: i.publicIp } : {}) };
}

/** Adds an inbound rule to the named group of a copied example. */
function withInboundRule(example: string, groupName: string, permission: Record<string, unknown>): string {
  const dir = copyExample(example);
  editSnapshot(dir, 'SecurityGroups', (doc) => {
    for (const g of doc.SecurityGroups) if (g.GroupName === groupName) g.IpPermissions = [...(g.IpPermissions ?? []), permission];
  });
  return dir;
}

describe('flowlogs-lab', () => {
  const model = loadSnapshot(LAB);

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('lab-a cannot ping lab-b: lab-sg has no inbound ICMP rule (ENI_SG_RULES_MISMATCH, inbound on lab-b)', () => {
    const r = trace(model, { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toHaveLength(1);
    expect(r.explanations[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', direction: 'forward', component: { id: groupIdByName(model, 'lab-sg'), type: 'security-group' } });
    expect(r.explanations[0]?.message).toMatch(/^inbound icmp/);
    const deny = r.forwardPath.find((h) => h.action === 'deny') as Hop;
    expect(deny.rule).toBe('no ingress rule matches');
    // Same subnet: delivered at layer 2, no route table or NACL (aws-vpc-semantics §0.3).
    expect(r.forwardPath.some((h) => h.component.type === 'route-table' || h.component.type === 'network-acl')).toBe(false);
  });

  it('with an inbound ICMP rule the ping is reachable both ways, the reply admitted by connection tracking', () => {
    const dir = withInboundRule('flowlogs-lab', 'lab-sg', { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '172.31.0.0/16' }] });
    const r = trace(loadSnapshot(dir), { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    expect(r.returnPath.filter((h) => h.component.type === 'security-group').map((h) => h.rule)).toEqual([
      'connection tracking: reply to the tracked request',
      'connection tracking: reply to the tracked request',
    ]);
    expect(r.returnPath.at(-1)?.packet).toMatchObject({ srcIp: instanceIp(model, 'lab-b').privateIp, icmpType: 0 });
  });

  it('lab-a reaches 8.8.8.8 by ICMP through the internet gateway, translated to its public IP', () => {
    const r = trace(model, { from: 'lab-a', to: '8.8.8.8', protocol: 'icmp' });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const igw = r.forwardPath.find((h) => h.component.type === 'internet-gateway') as Hop;
    const a = instanceIp(model, 'lab-a');
    expect(igw.action).toBe('translate');
    expect(igw.packet.srcIp).toBe(a.publicIp);
    // The reply comes back to the public IP and is translated to the private one.
    const back = r.returnPath.find((h) => h.component.type === 'internet-gateway') as Hop;
    expect(back.packet.dstIp).toBe(a.privateIp);
  });

  it('the internet cannot reach lab-a on tcp/22, and the security group is named', () => {
    const r = trace(model, { from: 'internet', to: 'lab-a', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.query.packet.dstIp).toBe(instanceIp(model, 'lab-a').publicIp);
    expect(r.explanations.map((e) => [e.code, e.component.id])).toEqual([['ENI_SG_RULES_MISMATCH', groupIdByName(model, 'lab-sg')]]);
  });

  it('NACL that admits tcp/22 in but denies ephemeral ports out: SUBNET_ACL_RESTRICTION on the return path', () => {
    const dir = withInboundRule('flowlogs-lab', 'lab-sg', { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    editSnapshot(dir, 'NetworkAcls', (doc) => {
      for (const acl of doc.NetworkAcls)
        acl.Entries = [
          { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } },
          { RuleNumber: 100, Egress: true, RuleAction: 'deny', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
          { RuleNumber: 200, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 32767, Egress: true, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
        ];
    });
    const r = trace(loadSnapshot(dir), { from: 'internet', to: 'lab-a', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(r.explanations).toHaveLength(1);
    expect(r.explanations[0]).toMatchObject({ code: 'SUBNET_ACL_RESTRICTION', direction: 'return', component: { type: 'network-acl' } });
    expect(r.explanations[0]?.message).toMatch(/rule 100 deny tcp 1024-65535/);
    // The request itself passed the NACL inbound (rule 100 allow tcp 22).
    expect(r.forwardPath.find((h) => h.component.type === 'network-acl')?.action).toBe('allow');
  });

  it('reports both blockers on one path: the source egress rule and the destination ingress rule', () => {
    const dir = copyExample('flowlogs-lab');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissionsEgress = [];
    });
    const r = trace(loadSnapshot(dir), { from: 'lab-a', to: 'lab-b', protocol: 'icmp' });
    expect(r.reachable).toBe(false);
    expect(r.explanations.map((e) => [e.code, e.direction])).toEqual([
      ['ENI_SG_RULES_MISMATCH', 'forward'],
      ['ENI_SG_RULES_MISMATCH', 'forward'],
    ]);
    expect(r.explanations[0]?.message).toMatch(/^outbound/);
    expect(r.explanations[1]?.message).toMatch(/^inbound/);
  });

  it('the instance metadata service and Amazon DNS never leave the host', () => {
    const r = trace(model, { from: 'lab-a', to: '169.254.169.254', protocol: 'tcp', port: 80 });
    expect(r.reachable).toBe(true);
    expect(r.forwardPath.map((h) => h.component.type)).toEqual(['network-interface', 'link-local-service']);
  });
});

describe('private-subnet-egress', () => {
  const model = loadSnapshot(EGRESS);

  it('loads without errors', () => {
    expect(model.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('private-app reaches 1.1.1.1:443 through the NAT gateway (source translated) and the internet gateway', () => {
    const r = trace(model, { from: 'private-app', to: '1.1.1.1', protocol: 'tcp', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const nat = [...model.natGateways.values()][0];
    const natHop = r.forwardPath.find((h) => h.component.type === 'nat-gateway' && h.action === 'translate') as Hop;
    expect(natHop.packet.srcIp).toBe(nat?.addresses[0]?.privateIp);
    const igwHop = r.forwardPath.find((h) => h.component.type === 'internet-gateway') as Hop;
    expect(igwHop.packet.srcIp).toBe(nat?.addresses[0]?.publicIp);
    // The reply is translated back by the gateway and then by the NAT gateway.
    expect(r.returnPath.filter((h) => h.action === 'translate').map((h) => h.component.type)).toEqual(['internet-gateway', 'nat-gateway']);
  });

  it('the internet cannot reach private-app (no public IPv4)', () => {
    const r = trace(model, { from: 'internet', to: 'private-app', protocol: 'tcp', port: 22 });
    expect(r.reachable).toBe(false);
    expect(codes(r)).toEqual(['IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS']);
  });

  it('IPv6 egress through the egress-only internet gateway is reachable', () => {
    const r = trace(model, { from: 'private-app', to: '2606:4700:4700::1111', protocol: 'tcp', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    expect(r.forwardPath.some((h) => h.component.type === 'egress-only-internet-gateway')).toBe(true);
    expect(r.returnPath.some((h) => h.component.type === 'egress-only-internet-gateway')).toBe(true);
  });

  it('IPv6 ingress from the internet is not reachable', () => {
    const r = trace(model, { from: 'internet', to: 'private-app', protocol: 'tcp', port: 22, ipv6: true });
    expect(r.reachable).toBe(false);
    expect(r.explanations.length).toBeGreaterThan(0);
  });

  it('an S3 address from the region prefix list is reached through the gateway endpoint', () => {
    const pl = [...model.prefixLists.values()].find((p) => p.prefixListName.endsWith('.s3'));
    const cidr = pl?.cidrs[0] as string;
    const ip = cidr.replace(/\.0\/\d+$/, '.10');
    const r = trace(model, { from: 'private-app', to: ip, protocol: 'tcp', port: 443 });
    expect(r.explanations).toEqual([]);
    expect(r.reachable).toBe(true);
    const route = r.forwardPath.find((h) => h.component.type === 'route-table') as Hop;
    expect(route.rule).toMatch(new RegExp(`^${pl?.id} -> vpce-`));
    expect(r.forwardPath.at(-1)?.component.type).toBe('aws-service');
  });

  it('any IP protocol number can be traced: ESP (50) is dropped by the NAT gateway, which translates only TCP, UDP and ICMP', () => {
    const r = trace(model, { from: 'private-app', to: '1.1.1.1', protocol: '50' });
    expect(r.query.packet.protocol).toBe(50);
    expect(r.reachable).toBe(false);
    expect(codes(r)).toEqual(['NGW_PROTOCOL_RESTRICTION']);
  });

  it('ICMPv6 echo to the internet uses the egress-only gateway', () => {
    const r = trace(model, { from: 'private-app', to: '2606:4700:4700::1111', protocol: 'icmpv6' });
    expect(r.query.packet).toMatchObject({ family: 6, protocol: 58, icmpType: 128 });
    expect(r.reachable).toBe(true);
    expect(r.returnPath.at(-1)?.packet.icmpType).toBe(129);
  });

  it('reports two blockers at once: the source security group egress and the subnet NACL outbound', () => {
    const dir = copyExample('private-subnet-egress');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'private-app-sg') g.IpPermissionsEgress = [];
    });
    editSnapshot(dir, 'NetworkAcls', (doc) => {
      for (const acl of doc.NetworkAcls)
        acl.Entries = acl.Entries.map((e: Record<string, unknown>) => (e.Egress === true && e.RuleNumber === 100 ? { ...e, RuleAction: 'deny' } : e));
    });
    const r = trace(loadSnapshot(dir), { from: 'private-app', to: '1.1.1.1', protocol: 'tcp', port: 443 });
    expect(r.reachable).toBe(false);
    expect(codes(r).slice(0, 2)).toEqual(['ENI_SG_RULES_MISMATCH', 'SUBNET_ACL_RESTRICTION']);
  });
});

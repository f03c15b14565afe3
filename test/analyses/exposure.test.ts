/**
 * Internet exposure over the examples, variants, a generated estate, and random estates checked against
 * brute-force tracing of sampled packets.
 */
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../bench/estate.mjs';
import { exposure, type ExposureFinding } from '../../src/analyses/exposure.js';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../src/model/network.js';
import { anyCidrContains } from '../../src/model/addresses.js';
import { copyExample, editSnapshot, tempDir } from '../helpers/temp-snapshot.js';
import { runCli } from '../cli/run-cli.js';

const EXAMPLES = ['flowlogs-lab', 'private-subnet-egress', 'peering-nontransitive', 'hybrid-vpn-tgw-privatelink', 'hub-spoke-privatelink'];

/** Every witness, traced again on its own, is reachable. */
function expectWitnessesReachable(model: NetworkModel, findings: readonly ExposureFinding[]): void {
  for (const f of findings) {
    const q = f.witness.query;
    const again = trace(model, {
      from: 'internet',
      to: q.destination.ip,
      protocol: String(q.packet.protocol),
      sourceIp: q.packet.srcIp,
      ...(q.packet.dstPort !== undefined ? { port: q.packet.dstPort } : {}),
      ...(q.packet.icmpType !== undefined ? { icmpType: q.packet.icmpType } : {}),
    });
    expect(again.reachable, `${f.networkInterfaceId} ${f.protocol} ${f.fromPort}`).toBe(true);
  }
}

describe('exposure over the examples', () => {
  it('flowlogs-lab, private-subnet-egress, peering and the PrivateLink examples expose nothing (the hub NLB is internal)', () => {
    for (const ex of EXAMPLES) expect(exposure(loadSnapshot(`examples/${ex}`)), ex).toEqual([]);
  });

  it('a 0.0.0.0/0 tcp/22 rule in lab-sg exposes exactly lab-a and lab-b on 22', () => {
    const dir = copyExample('flowlogs-lab');
    editSnapshot(dir, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    });
    const m = loadSnapshot(dir);
    const findings = exposure(m);
    expect(findings.map((f) => [f.owner, f.protocol, f.fromPort, f.toPort, f.sources])).toEqual([
      ['instance i-0aa11bb22cc33dd44 (lab-a)', 'tcp', 22, 22, ['0.0.0.0/0']],
      ['instance i-0bb22cc33dd44ee55 (lab-b)', 'tcp', 22, 22, ['0.0.0.0/0']],
    ]);
    expectWitnessesReachable(m, findings);
  });

  it('an internet-facing ALB is exposed on 443 through its nodes; its target is not addressable directly', () => {
    const m = loadSnapshot('test/fixtures/alb-public');
    const findings = exposure(m);
    expect(new Set(findings.map((f) => `${f.owner} ${f.protocol} ${f.fromPort}`))).toEqual(new Set(['application load balancer web-alb node tcp 443']));
    expectWitnessesReachable(m, findings);
    expect(exposure(m, { allow: [{ resource: 'web-alb', protocol: 'tcp', port: 443 }] })).toEqual([]);
  });

  it('witnesses re-trace as reachable on a generated estate', () => {
    const dir = tempDir('estate');
    generateEstate({ out: dir, vpcs: 6, enis: 240, accounts: 2, seed: 3 });
    const m = loadSnapshot(dir);
    const findings = exposure(m);
    expect(findings.length).toBeGreaterThan(0);
    // The generator's web tier admits 443 from anywhere; ssh is admitted only from 10.0.0.0/8.
    expect(new Set(findings.map((f) => `${f.protocol}/${f.fromPort}-${f.toPort}`))).toEqual(new Set(['tcp/443-443']));
    expectWitnessesReachable(m, findings);
  });

  it('the CLI prints findings and exits 1 when anything is exposed, 0 otherwise', async () => {
    const none = await runCli(['exposure', '--snapshot', 'examples/flowlogs-lab']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/nothing is reachable from the internet/);
    const alb = await runCli(['exposure', '--snapshot', 'test/fixtures/alb-public', '--csv']);
    expect(alb.code).toBe(1);
    expect(alb.stdout.split('\n')[0]).toBe('interface,owner,account,region,address,protocol,ports,sources');
  });
});

describe('exposure agrees with brute-force tracing on random small estates', () => {
  /** Seeded PRNG (mulberry32). */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const CIDRS = ['0.0.0.0/0', '203.0.113.0/24', '10.0.0.0/8', '198.51.100.0/24'];
  const SOURCES = ['203.0.113.9', '198.51.100.200', '192.0.2.77'];

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random rules, seed ${seed}`, () => {
      const rnd = prng(seed);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      const dir = copyExample('flowlogs-lab');
      editSnapshot(dir, 'SecurityGroups', (doc) => {
        for (const g of doc.SecurityGroups)
          if (g.GroupName === 'lab-sg')
            g.IpPermissions = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
              const from = Math.floor(rnd() * 1000);
              const proto = pick(['tcp', 'udp', 'icmp', 'tcp']);
              return proto === 'icmp'
                ? { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: pick(CIDRS) }] }
                : { IpProtocol: proto, FromPort: from, ToPort: from + Math.floor(rnd() * 200), IpRanges: [{ CidrIp: pick(CIDRS) }] };
            });
      });
      editSnapshot(dir, 'NetworkAcls', (doc) => {
        for (const acl of doc.NetworkAcls) {
          const from = Math.floor(rnd() * 1000);
          acl.Entries = [
            { RuleNumber: 50, Egress: false, RuleAction: rnd() < 0.5 ? 'deny' : 'allow', Protocol: pick(['6', '17']), CidrBlock: '0.0.0.0/0', PortRange: { From: from, To: from + Math.floor(rnd() * 300) } },
            { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
            { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
          ];
        }
      });
      const m = loadSnapshot(dir);
      const findings = exposure(m);
      expectWitnessesReachable(m, findings);
      const lab = [...m.instances.values()].map((i) => i.publicIp as string);
      for (let k = 0; k < 60; k++) {
        const proto = pick(['tcp', 'udp', 'icmp']);
        const port = Math.floor(rnd() * 1300);
        const src = pick(SOURCES);
        const dst = pick(lab);
        const r = trace(m, { from: 'internet', to: dst, protocol: proto, sourceIp: src, ...(proto === 'icmp' ? {} : { port }) });
        const covered = findings.some(
          (f) => f.address === dst && f.protocol === proto && (proto === 'icmp' || (port >= f.fromPort && port <= f.toPort)) && anyCidrContains(f.sources, src),
        );
        expect(covered, `seed ${seed}: ${proto} ${src} -> ${dst}:${port}`).toBe(r.reachable);
      }
    });
  }
});

describe('diff', () => {
  it('flowlogs-lab vs its fixed variant: ICMP from the subnet newly allowed to lab-b; exit 0 (nothing newly exposed)', async () => {
    const fixed = copyExample('flowlogs-lab');
    editSnapshot(fixed, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissions = [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }];
    });
    const { diffSnapshots } = await import('../../src/analyses/diff.js');
    const d = diffSnapshots(loadSnapshot('examples/flowlogs-lab'), loadSnapshot(fixed), { from: 'lab-a', to: 'lab-b' });
    expect(d.exposureAppeared).toEqual([]);
    expect(d.flows.map((f) => [f.change, f.protocol, f.witness.reachable, f.witness.query.packet.srcIp])).toEqual([['newly-allowed', 'icmp', true, '172.31.40.10']]);
    const cli = await runCli(['diff', '--before', 'examples/flowlogs-lab', '--after', fixed, '--from', 'lab-a', '--to', 'lab-b']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^\+ flow\s+lab-a -> lab-b icmp \(newly-allowed/m);
  });

  it('exit code 1 when the change exposes something new, with the finding listed', async () => {
    const open = copyExample('flowlogs-lab');
    editSnapshot(open, 'SecurityGroups', (doc) => {
      for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    });
    const cli = await runCli(['diff', '--before', 'examples/flowlogs-lab', '--after', open]);
    expect(cli.code).toBe(1);
    expect(cli.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^\+ exposed  instance i-0aa11bb22cc33dd44 \(lab-a\) 54\.87\.120\.15 tcp 22-22 from 0\.0\.0\.0\/0$/),
      expect.stringMatching(/^\+ exposed  instance i-0bb22cc33dd44ee55 \(lab-b\) 3\.91\.22\.187 tcp 22-22 from 0\.0\.0\.0\/0$/),
    ]);
    const back = await runCli(['diff', '--before', open, '--after', 'examples/flowlogs-lab']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^- exposed/m);
  });
});

describe('Network Access Analyzer scopes', () => {
  it('internet-gateway ingress (scopes/igw-ingress.json) finds what exposure finds; ExcludePaths removes 443', async () => {
    const { evaluateAccessScope, parseAccessScope } = await import('../../src/analyses/scope.js');
    const { readFileSync } = await import('node:fs');
    const scope = (f: string) => parseAccessScope(JSON.parse(readFileSync(`scopes/${f}`, 'utf8')), f);
    const alb = loadSnapshot('test/fixtures/alb-public');
    const ingress = evaluateAccessScope(alb, scope('igw-ingress.json'));
    expect(ingress.map((f) => [f.direction, f.owner, f.protocol, f.fromPort])).toEqual([
      ['igw-ingress', 'application load balancer web-alb node', 'tcp', 443],
      ['igw-ingress', 'application load balancer web-alb node', 'tcp', 443],
    ]);
    expect(evaluateAccessScope(alb, scope('igw-ingress-except-https.json'))).toEqual([]);
    expect(evaluateAccessScope(loadSnapshot('examples/flowlogs-lab'), scope('igw-ingress.json'))).toEqual([]);
  });

  it('internet-gateway egress (scopes/igw-egress.json): instances whose traffic leaves through an internet gateway, directly or via NAT', async () => {
    const { evaluateAccessScope, parseAccessScope } = await import('../../src/analyses/scope.js');
    const { readFileSync } = await import('node:fs');
    const egress = parseAccessScope(JSON.parse(readFileSync('scopes/igw-egress.json', 'utf8')), 'igw-egress.json');
    expect(evaluateAccessScope(loadSnapshot('examples/flowlogs-lab'), egress).map((f) => f.owner)).toEqual(['instance i-0aa11bb22cc33dd44 (lab-a)', 'instance i-0bb22cc33dd44ee55 (lab-b)']);
    const priv = evaluateAccessScope(loadSnapshot('examples/private-subnet-egress'), egress);
    expect(priv.map((f) => f.owner)).toEqual(['instance i-0d7e9f1a3b5c7d9e1 (private-app)']);
    expect(priv[0]?.witness.forwardPath.some((h) => h.component.type === 'nat-gateway')).toBe(true);
    // The peering example's A routes 0.0.0.0/0 to a peering: nothing leaves through an internet gateway from A or C.
    const peer = evaluateAccessScope(loadSnapshot('examples/peering-nontransitive'), egress);
    expect(peer.map((f) => f.owner)).toEqual(['instance i-0b0b1b2b3b4b5b6b7 (b-app)']);
  });

  it('the CLI evaluates a scope file and rejects shapes it does not evaluate yet, naming the path', async () => {
    const ok = await runCli(['scope', 'scopes/igw-ingress.json', '--snapshot', 'test/fixtures/alb-public']);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toMatch(/igw-ingress\s+eni-0a1b00000000alba/);
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const f = join(tempDir('scope'), 'vgw.json');
    writeFileSync(f, JSON.stringify({ MatchPaths: [{ Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::Subnet'] } } }] }));
    const bad = await runCli(['scope', f, '--snapshot', 'test/fixtures/alb-public']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\$\.MatchPaths\[0\]: a path must start or end at an internet gateway/);
  });
});

describe('exposure from other sources', () => {
  it('--from on-premises: the data centre reaches connectivity-app (22, 443, icmp) and the endpoint on 5432, nothing else', async () => {
    const m = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');
    const f = exposure(m, { from: { kind: 'on-premises' } });
    expect(new Set(f.map((x) => `${x.owner.split(' (')[0]} ${x.protocol} ${x.fromPort}`))).toEqual(
      new Set(['instance i-02c400ab83d23c67a icmp -1', 'instance i-02c400ab83d23c67a tcp 22', 'instance i-02c400ab83d23c67a tcp 443', 'VPC endpoint vpce-001d75a202889758e tcp 5432']),
    );
    expect(f.every((x) => x.sources.join() === '192.168.0.0/16' && x.witness.reachable)).toBe(true);
    const cli = await runCli(['exposure', '--snapshot', 'examples/hybrid-vpn-tgw-privatelink', '--from', 'on-premises', '--json']);
    expect(JSON.parse(cli.stdout)).toHaveLength(f.length);
  });

  it('--from vpc-…: VPC A reaches b-app over the peering, never c-app (not transitive)', async () => {
    const m = loadSnapshot('examples/peering-nontransitive');
    const f = exposure(m, { from: { kind: 'vpc', vpcId: 'vpc-0a11a22a33a44a55a' } });
    expect(f.map((x) => `${x.owner} ${x.protocol} ${x.fromPort}`)).toEqual([
      'instance i-0b0b1b2b3b4b5b6b7 (b-app) icmp -1',
      'instance i-0b0b1b2b3b4b5b6b7 (b-app) tcp 22',
      'instance i-0b0b1b2b3b4b5b6b7 (b-app) tcp 443',
    ]);
    const bad = await runCli(['exposure', '--snapshot', 'examples/peering-nontransitive', '--from', 'vpc-nope']);
    expect(bad.code).toBe(2);
  });
});

describe('the AWS VPC ingress and egress scopes', () => {
  const load = async (f: string) => {
    const { parseAccessScope } = await import('../../src/analyses/scope.js');
    const { readFileSync } = await import('node:fs');
    return parseAccessScope(JSON.parse(readFileSync(`scopes/${f}`, 'utf8')), f);
  };

  it('VPC ingress over the VPN and transit gateway: the data centre reaches connectivity-app and the endpoint', async () => {
    const { evaluateAccessScope } = await import('../../src/analyses/scope.js');
    const f = evaluateAccessScope(loadSnapshot('examples/hybrid-vpn-tgw-privatelink'), await load('vpc-ingress.json'));
    expect(new Set(f.map((x) => `${x.direction} ${x.edge} ${x.owner.split(' (')[0]} ${x.protocol} ${x.fromPort}`))).toEqual(
      new Set([
        'vpc-ingress on-premises instance i-02c400ab83d23c67a icmp -1',
        'vpc-ingress on-premises instance i-02c400ab83d23c67a tcp 22',
        'vpc-ingress on-premises instance i-02c400ab83d23c67a tcp 443',
        'vpc-ingress on-premises VPC endpoint vpce-001d75a202889758e tcp 5432',
      ]),
    );
  });

  it('VPC ingress and egress through peering: each peered app on icmp, 22 and 443; egress to peers and B out to the internet', async () => {
    const { evaluateAccessScope } = await import('../../src/analyses/scope.js');
    const m = loadSnapshot('examples/peering-nontransitive');
    const ingress = evaluateAccessScope(m, await load('vpc-ingress.json'));
    expect(new Set(ingress.map((x) => `${x.edge} ${x.owner.replace(/^instance \S+ /, '')} ${x.protocol}`))).toEqual(
      new Set(['(a-app)', '(b-app)', '(c-app)'].flatMap((n) => [`peering ${n} icmp`, `peering ${n} tcp`])),
    );
    expect(ingress).toHaveLength(9);
    const egress = evaluateAccessScope(m, await load('vpc-egress.json'));
    expect(egress.map((x) => `${x.direction} ${x.edge} ${x.owner.replace(/^instance \S+ /, '')}`).sort()).toEqual(
      ['igw-egress internet (b-app)', 'vpc-egress peering (a-app)', 'vpc-egress peering (b-app)', 'vpc-egress peering (c-app)'].sort(),
    );
    for (const x of [...ingress, ...egress]) expect(x.witness.reachable).toBe(true);
  });
});

describe('scope ThroughResources', () => {
  it('keeps only paths through the named component: egress through a NAT gateway', async () => {
    const { evaluateAccessScope, parseAccessScope } = await import('../../src/analyses/scope.js');
    const viaNat = parseAccessScope(
      {
        MatchPaths: [
          {
            Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::NetworkInterface'] } },
            Destination: { ResourceStatement: { ResourceTypes: ['AWS::EC2::InternetGateway'] } },
            ThroughResources: [{ ResourceStatement: { ResourceTypes: ['AWS::EC2::NatGateway'] } }],
          },
        ],
      },
      'via-nat.json',
    );
    // flowlogs-lab instances use the internet gateway directly; private-app goes through the NAT gateway.
    expect(evaluateAccessScope(loadSnapshot('examples/flowlogs-lab'), viaNat)).toEqual([]);
    expect(evaluateAccessScope(loadSnapshot('examples/private-subnet-egress'), viaNat).map((f) => f.owner)).toEqual(['instance i-0d7e9f1a3b5c7d9e1 (private-app)']);
  });
});

/**
 * Classic Load Balancing's per-load-balancer calls (docs/snapshot-format.md):
 *
 * - `elb describe-instance-health` → `InstanceStates[]` {InstanceId, State InService|OutOfService|Unknown,
 *   ReasonCode, Description}: the load balancer's targets, one per instance, with their health;
 * - `elb describe-load-balancer-attributes` → `LoadBalancerAttributes`, one object;
 *   `CrossZoneLoadBalancing.Enabled` becomes the `load_balancing.cross_zone.enabled` attribute.
 *
 * Neither output names its load balancer: the parent is `LoadBalancerName` beside the list or object (what
 * `vpctwin collect` writes) or the name in the file name (`describe-instance-health.<name>.json`). Classic
 * names are another API's than ELBv2's, so a Classic file joins only a Classic load balancer.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import type { LoadIssue } from '../../src/model/issues.js';
import { ACCOUNT, at, REGION, tempSnapshot } from '../helpers/temp-snapshot.js';

const NAME = 'web-clb';
const ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${NAME}`;
/** An ELBv2 load balancer with the Classic one's name: allowed, the two APIs name apart. */
const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${NAME}/0123456789abcdef`;

const classic = {
  LoadBalancerDescriptions: [
    {
      LoadBalancerName: NAME,
      DNSName: `internal-${NAME}-1.${REGION}.elb.amazonaws.com`,
      Scheme: 'internal',
      VPCId: 'vpc-0ddd0000000000001',
      Subnets: ['subnet-0ddd0000000000001'],
      AvailabilityZones: [`${REGION}a`],
      SecurityGroups: ['sg-0ddd0000000000001'],
      Instances: [{ InstanceId: 'i-0ddd0000000000001' }, { InstanceId: 'i-0ddd0000000000002' }],
      ListenerDescriptions: [{ Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 }, PolicyNames: [] }],
    },
  ],
};
const alb = { LoadBalancers: [{ LoadBalancerArn: ALB_ARN, LoadBalancerName: NAME, Type: 'application', Scheme: 'internal', VpcId: 'vpc-0ddd0000000000001', State: { Code: 'active' } }] };

const states = {
  InstanceStates: [
    { InstanceId: 'i-0ddd0000000000001', State: 'InService', ReasonCode: 'N/A', Description: 'N/A' },
    { InstanceId: 'i-0ddd0000000000002', State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.' },
  ],
};
const attributes = {
  LoadBalancerAttributes: {
    CrossZoneLoadBalancing: { Enabled: true },
    AccessLog: { Enabled: true, S3BucketName: 'logs-bucket', EmitInterval: 5, S3BucketPrefix: 'clb' },
    ConnectionDraining: { Enabled: true, Timeout: 300 },
    ConnectionSettings: { IdleTimeout: 60 },
    AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
  },
};

const load = (files: Record<string, unknown>) => loadSnapshot(tempSnapshot({ [at('describe-load-balancers-classic.json')]: classic, [at('describe-load-balancers.json')]: alb, ...files }));
/** Issues other than partial-snapshot warnings (MISSING_DATA: a snapshot holding only load balancers). */
const issuesOf = (m: ReturnType<typeof load>): LoadIssue[] => m.issues.filter((i) => i.code !== 'MISSING_DATA');

describe('Classic Load Balancer instance health and attributes', () => {
  it.each([
    ['beside the list (vpctwin collect)', 'DescribeInstanceHealth.anything.json', 'DescribeLoadBalancerAttributes-classic.anything.json', true],
    ['in the file name (hand-saved CLI output)', `describe-instance-health.${NAME}.json`, `describe-load-balancer-attributes.${NAME}.json`, false],
  ])('joins the Classic load balancer named %s', (_how, healthFile, attributesFile, beside) => {
    const m = load({
      [at(healthFile)]: beside ? { LoadBalancerName: NAME, ...states } : states,
      [at(attributesFile)]: beside ? { LoadBalancerName: NAME, ...attributes } : attributes,
    });
    expect(issuesOf(m)).toEqual([]);
    const lb = m.loadBalancers.get(ARN)!;
    expect(lb.classicTargets?.map((t) => [t.id, t.healthState, t.healthReason])).toEqual([
      ['i-0ddd0000000000001', 'InService', undefined],
      ['i-0ddd0000000000002', 'OutOfService', 'Instance: Instance has failed at least the UnhealthyThreshold number of health checks consecutively.'],
    ]);
    expect(lb.classicTargets?.[1]?.source).toEqual({ file: `${ACCOUNT}/${REGION}/${healthFile}`, path: '$.InstanceStates[1]' });
    expect(lb.attributes).toEqual({
      'load_balancing.cross_zone.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': 'logs-bucket',
      'access_logs.s3.prefix': 'clb',
      'connection_draining.enabled': 'true',
      'connection_draining.timeout_seconds': '300',
      'idle_timeout.timeout_seconds': '60',
      'elb.http.desyncmitigationmode': 'defensive',
    });
    // The ELBv2 load balancer of the same name gets neither.
    const v2 = m.loadBalancers.get(ALB_ARN)!;
    expect([v2.classicTargets, v2.attributes]).toEqual([undefined, {}]);
  });

  it('CrossZoneLoadBalancing.Enabled false is the attribute "false", not an absent attribute', () => {
    const m = load({ [at('a.json')]: { LoadBalancerName: NAME, LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: false } } } });
    expect(m.loadBalancers.get(ARN)!.attributes).toEqual({ 'load_balancing.cross_zone.enabled': 'false' });
  });

  it('without describe-instance-health the health is unknown; an empty InstanceStates list is known and empty', () => {
    expect(load({}).loadBalancers.get(ARN)!.classicTargets).toBeUndefined();
    const m = load({ [at('h.json')]: { LoadBalancerName: NAME, InstanceStates: [] } });
    expect(issuesOf(m)).toEqual([]);
    expect(m.loadBalancers.get(ARN)!.classicTargets).toEqual([]);
  });

  it('a malformed instance state is an error naming its JSON path; the other elements load', () => {
    const m = load({
      [at('h.json')]: {
        LoadBalancerName: NAME,
        InstanceStates: [{ InstanceId: 'i-0ddd0000000000001', State: 'InService' }, { State: 'OutOfService' }, { InstanceId: 'i-0ddd0000000000002', State: 7 }],
      },
    });
    expect(issuesOf(m).map((i) => [i.code, i.severity, i.source?.path])).toEqual([
      ['INVALID_FIELD', 'error', '$.InstanceStates[1].InstanceId'],
      ['INVALID_FIELD', 'error', '$.InstanceStates[2].State'],
    ]);
    expect(issuesOf(m)[0]?.message).toMatch(/expected string, got nothing/);
    expect(m.loadBalancers.get(ARN)!.classicTargets?.map((t) => t.id)).toEqual(['i-0ddd0000000000001']);
  });

  it('malformed attributes are an error naming the JSON path, and none of them is applied', () => {
    const m = load({
      [at('a.json')]: { LoadBalancerName: NAME, LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: 'yes' }, ConnectionSettings: { IdleTimeout: 60 } } },
      [at('b.json')]: { LoadBalancerName: NAME, LoadBalancerAttributes: [{ CrossZoneLoadBalancing: { Enabled: true } }] },
    });
    expect(issuesOf(m).map((i) => [i.code, i.source?.file, i.source?.path])).toEqual([
      ['INVALID_FIELD', `${ACCOUNT}/${REGION}/a.json`, '$.LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled'],
      ['INVALID_FIELD', `${ACCOUNT}/${REGION}/b.json`, '$.LoadBalancerAttributes'],
    ]);
    expect(m.loadBalancers.get(ARN)!.attributes).toEqual({});
  });

  it('output that names no load balancer is a MISSING_PARENT error and is skipped', () => {
    const m = load({ [at('describe-instance-health.json')]: states, [at('describe-load-balancer-attributes.json')]: attributes });
    expect(issuesOf(m).map((i) => [i.code, i.severity, i.source?.file, i.source?.path])).toEqual([
      ['MISSING_PARENT', 'error', `${ACCOUNT}/${REGION}/describe-instance-health.json`, '$'],
      ['MISSING_PARENT', 'error', `${ACCOUNT}/${REGION}/describe-load-balancer-attributes.json`, '$'],
    ]);
    const lb = m.loadBalancers.get(ARN)!;
    expect([lb.classicTargets, lb.attributes]).toEqual([undefined, {}]);
  });

  it('output for a load balancer the snapshot does not describe is a dangling-reference warning (one per file)', () => {
    const m = load({
      [at('h.json')]: { LoadBalancerName: 'gone-clb', ...states },
      [at('describe-load-balancer-attributes.gone-clb.json')]: attributes,
    });
    const issues = issuesOf(m);
    expect(issues.map((i) => [i.code, i.severity, i.resourceId, i.source?.file])).toEqual([
      ['DANGLING_REFERENCE', 'warning', 'gone-clb', `${ACCOUNT}/${REGION}/describe-load-balancer-attributes.gone-clb.json`],
      ['DANGLING_REFERENCE', 'warning', 'gone-clb', `${ACCOUNT}/${REGION}/h.json`],
    ]);
    expect(issues[1]?.message).toMatch(/instance health for Classic load balancer gone-clb/);
    expect(m.loadBalancers.get(ARN)!.classicTargets).toBeUndefined();
  });

  it('an ELBv2 load balancer name does not take Classic output: it dangles when no Classic load balancer has the name', () => {
    const m = loadSnapshot(tempSnapshot({ [at('describe-load-balancers.json')]: alb, [at('h.json')]: { LoadBalancerName: NAME, ...states } }));
    expect(m.issues.filter((i) => i.code === 'DANGLING_REFERENCE').map((i) => i.resourceId)).toEqual([NAME]);
    expect(m.loadBalancers.get(ALB_ARN)!.classicTargets).toBeUndefined();
  });
});

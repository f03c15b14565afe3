/**
 * The shipped IAM policy grants exactly the actions the collector calls, and the declarative call list is
 * consistent with the SDK: each call's action is its service prefix and operation name, and the command
 * class is that operation's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ACTIONS, callId, COLLECT_ACTIONS, DESCRIBE_REGIONS, GLOBAL_CALLS, REGIONAL_CALLS } from '../../src/collect/calls.js';

const policy = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'policy', 'vpctwin-collect-policy.json'), 'utf8')) as {
  Version: string;
  Statement: { Effect: string; Action: string[]; Resource: string }[];
};

describe('policy/vpctwin-collect-policy.json', () => {
  it('grants exactly the actions the collector calls', () => {
    const granted = policy.Statement.flatMap((s) => s.Action);
    expect(new Set(granted).size).toBe(granted.length);
    expect([...granted].sort()).toEqual([...COLLECT_ACTIONS]);
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(policy.Version).toBe('2012-10-17');
  });

  it('holds only read actions, apart from assuming the collection role', () => {
    for (const a of COLLECT_ACTIONS.filter((x) => x !== 'sts:AssumeRole')) expect(a).toMatch(/^[a-z0-9]+:(Describe|Get|List|Search)[A-Za-z]+$/);
    expect(COLLECT_ACTIONS.some((a) => a.includes('*'))).toBe(false);
  });

  it('names each call by its SDK command and IAM action', () => {
    const prefix = { ec2: 'ec2', elbv2: 'elasticloadbalancing', elb: 'elasticloadbalancing', directconnect: 'directconnect', route53: 'route53' } as const;
    for (const c of [...REGIONAL_CALLS, ...GLOBAL_CALLS, DESCRIBE_REGIONS]) {
      expect(c.action).toBe(`${prefix[c.service]}:${c.name}`);
      expect(c.command.name).toBe(`${c.name}Command`);
    }
    expect(COLLECT_ACTIONS).toEqual(expect.arrayContaining([...ACCOUNT_ACTIONS]));
  });

  it('collects every per-parent call after a call that is itself collected', () => {
    const names = new Set([...REGIONAL_CALLS, ...GLOBAL_CALLS].map(callId));
    for (const c of [...REGIONAL_CALLS, ...GLOBAL_CALLS]) if (c.parent) expect(names.has(c.parent.call), c.name).toBe(true);
  });

  it('gives every call its own file: one operation name in two services gets a file name of its own', () => {
    for (const calls of [REGIONAL_CALLS, [...GLOBAL_CALLS, DESCRIBE_REGIONS]]) {
      const ids = calls.map(callId);
      expect(new Set(ids).size, ids.join(' ')).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z-]+$/);
    }
    const classic = REGIONAL_CALLS.find((c) => c.service === 'elb' && c.name === 'DescribeLoadBalancers');
    expect(classic && callId(classic)).toBe('DescribeLoadBalancers-classic');
  });
});

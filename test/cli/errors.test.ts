import { describe, expect, it } from 'vitest';
import { at, tempSnapshot } from '../helpers/temp-snapshot.js';
import { runCli } from './run-cli.js';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('CLI: bad input gives one clear line and exit code 2, never a stack trace', () => {
  it('names a missing snapshot folder', async () => {
    const r = await runCli(['inventory', '--snapshot', '/nonexistent/snapshot']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('/nonexistent/snapshot');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for --snapshot when it is missing', async () => {
    const r = await runCli(['find', '10.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--snapshot');
  });

  it('rejects an unknown inventory type, naming the argument', async () => {
    const dir = tempSnapshot({ [at('v.json')]: { Vpcs: [{ VpcId: 'vpc-0aaa0000000000001', CidrBlock: '10.0.0.0/16' }] } });
    const r = await runCli(['inventory', '--snapshot', dir, '--type', 'widgets']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--type: unknown type "widgets"/);
  });

  it('rejects an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frobnicate');
  });

  it('validate lists every problem and exits 1 when there are errors', async () => {
    const dir = tempSnapshot({
      [at('ok.json')]: { Vpcs: [{ VpcId: 'vpc-0aaa0000000000001', CidrBlock: '10.0.0.0/16' }] },
      [at('bad.json')]: '{"Subnets": [',
    });
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error MALFORMED_JSON 111122223333\/eu-west-1\/bad\.json: malformed JSON at line 1/);
    expect(r.stdout).toMatch(/2 files, 1 resources, 1 errors/);
    expect(r.stdout).toContain('ok.json');
  });
});

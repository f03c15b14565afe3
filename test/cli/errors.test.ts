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

describe('trace: bad endpoints and arguments', () => {
  const HUB = 'examples/hub-spoke-privatelink';

  it('an unknown source is a clear one-line error with exit code 2', async () => {
    const r = await runCli(['trace', '--snapshot', HUB, '--from', 'no-such-host', '--to', '10.210.250.6']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/UNKNOWN_SOURCE: --from no-such-host: no instance, network interface, IP address, Name tag or DNS name/);
  });

  it('an unknown destination is a clear one-line error with exit code 2', async () => {
    const r = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', 'i-0000000000000dead']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/UNKNOWN_DESTINATION: --to i-0000000000000dead/);
  });

  it('a bad protocol or port names the argument', async () => {
    const p = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', '10.210.250.6', '--protocol', 'tcpp']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--protocol: "tcpp"/);
    const q = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', '10.210.250.6', '--port', '70000']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/--port: 70000 is not a port number/);
  });

  it('exit code 0 when reachable, 1 when not; --json follows the documented contract', async () => {
    const ok = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', '10.210.250.6', '--port', '443', '--json']);
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(Object.keys(j).sort()).toEqual(['explanations', 'forwardPath', 'notes', 'query', 'reachable', 'returnPath']);
    expect(Object.keys(j.query).sort()).toEqual(['destination', 'packet', 'source']);
    for (const h of j.forwardPath) {
      expect(h.component.id).toEqual(expect.any(String));
      expect(h.component.type).toEqual(expect.any(String));
      expect(h.action).toEqual(expect.any(String));
      expect(h.packet).toMatchObject({ srcIp: expect.any(String), dstIp: expect.any(String), protocol: 6 });
    }
    const no = await runCli(['trace', '--snapshot', HUB, '--from', 'spoke-bastion', '--to', '10.210.250.6', '--port', '22']);
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/NOT REACHABLE/);
  });
});

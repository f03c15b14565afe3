/**
 * `vpctwin collect` through the CLI entry, against the local AWS server: the endpoint comes from
 * VPCTWIN_AWS_ENDPOINT_URL, the base credentials from the environment through the SDK's standard chain.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_ENV } from '../../src/cli/collect-command.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-snapshot.js';
import { startAwsServer, type AwsServer } from './aws-server.js';
import { A, ALL_SECRETS, assumedKey, B, CALLER_KEY, CALLER_SECRET, callOf, createEstate, EC2_PAGES, EU, ROLE, US } from './estate.js';
import { allText, readJson } from './helpers.js';

const ENV = {
  [ENDPOINT_ENV]: '',
  AWS_ACCESS_KEY_ID: CALLER_KEY,
  AWS_SECRET_ACCESS_KEY: CALLER_SECRET,
  AWS_REGION: EU,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent/vpctwin-test-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/vpctwin-test-credentials',
} as Record<string, string | undefined>;
const saved: Record<string, string | undefined> = {};
let server: AwsServer;

beforeAll(async () => {
  server = await startAwsServer(createEstate({ slowMs: 20 }));
  ENV[ENDPOINT_ENV] = server.url;
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await server.close();
});

describe('vpctwin collect (CLI)', () => {
  it('collects two accounts through the role, prints a per-account result, and the snapshot answers inventory', async () => {
    const out = tempDir('cli-collect');
    const mark = server.requests.length;
    const run = await runCli(['collect', '--out', out, '--accounts', `${A},${B}`, '--role-name', ROLE, '--regions', `${EU},${US}`, '--concurrency', '3']);
    const refused = new Set(server.requests.slice(mark).filter((r) => r.accessKeyId === assumedKey(B) && r.status === 403).map(callOf));
    expect(refused.size).toBeGreaterThan(0);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^account ${A}: ok \\(2 regions, \\d+ calls\\)$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^account ${B}: ${refused.size} failed calls \\(${US}: ${refused.size}; 2 regions`, 'm'));
    expect(run.stdout).toContain(`snapshot written: ${out}`);
    expect(run.stderr).toContain(`collect: account ${A}: ok`);
    const summary = readJson(out, 'collect-summary.json') as { vpctwin: { collectSummary: { accounts: { account: string; status: string }[] } } };
    expect(summary.vpctwin.collectSummary.accounts.map((a) => [a.account, a.status])).toEqual([
      [A, 'ok'],
      [B, 'partial'],
    ]);
    for (const s of ALL_SECRETS) expect(`${run.stdout}${run.stderr}${allText(out)}`.includes(s), s).toBe(false);

    const inv = await runCli(['inventory', '--snapshot', out, '--type', 'vpcs', '--json']);
    expect(inv.code).toBe(0);
    const servedVpcs = Object.entries(EC2_PAGES)
      .filter(([k]) => k.endsWith('/DescribeVpcs'))
      .flatMap(([, pages]) => pages.flatMap((p) => (p.Vpcs as { VpcId: string }[]).map((v) => v.VpcId)))
      .sort();
    expect((JSON.parse(inv.stdout) as { id: string }[]).map((r) => r.id).sort()).toEqual(servedVpcs);
    expect(inv.stderr).toContain(`${refused.size} load warnings`);
  });

  it('exits 0 when every call succeeded, and --resume makes no call again', async () => {
    const out = tempDir('cli-ok');
    const first = await runCli(['collect', '--out', out, '--accounts', A, '--role-name', ROLE, '--regions', `${EU},${US}`]);
    expect(first.code).toBe(0);
    const mark = server.requests.length;
    const again = await runCli(['collect', '--out', out, '--accounts', A, '--role-name', ROLE, '--regions', `${EU},${US}`, '--resume']);
    expect(again.code).toBe(0);
    const data = server.requests.slice(mark).filter((r) => r.service !== 'sts' && r.service !== 'organizations');
    expect(data).toEqual([]);
    expect(again.stdout).toMatch(new RegExp(`account ${A}: ok \\(2 regions, 0 calls, \\d+ already on disk\\)`));
  });

  it.each([
    [['collect'], /missing --out/],
    [['collect', '--out', 'x', '--accounts', '12345'], /--accounts: "12345" is not a 12-digit account id/],
    [['collect', '--out', 'x', '--accounts', A, '--org'], /--accounts and --org exclude each other/],
    [['collect', '--out', 'x', '--concurrency', '0'], /--concurrency: expected a whole number from 1 to 64/],
    [['collect', '--out', 'x', '--regions', 'moon-1'], /--regions: "moon-1" is not a region name/],
    [['collect', '--out', 'x', '--role-name', 'bad role'], /--role-name: "bad role" is not an IAM role name/],
  ])('rejects bad arguments with one line and exit 2: %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('needs --role-name for accounts other than the caller\'s', async () => {
    const run = await runCli(['collect', '--out', join(tempDir('cli-role'), 'snap'), '--accounts', A]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`vpctwin: --role-name is needed to collect accounts other than the caller's 999999999999 (${A})`);
  });
});

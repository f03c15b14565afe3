/**
 * `vpctwin collect`: reads an AWS estate into a snapshot folder (src/collect/collector.ts). Exit code 0 when
 * every call succeeded, 1 when some calls failed or a role could not be assumed (the snapshot still loads;
 * the gaps are load warnings), 2 for bad arguments, 130 when interrupted (run again with --resume).
 *
 * The endpoint of every AWS service can be pointed elsewhere with VPCTWIN_AWS_ENDPOINT_URL (a test server,
 * or a proxy); credentials come from the SDK's standard chain.
 */
import type { Command } from 'commander';
import { isAccountId, isRegionName } from '../ingest/discover.js';
import { collect, SUMMARY_FILE, type AccountResult } from '../collect/collector.js';
import { UsageError } from './output.js';

export const ENDPOINT_ENV = 'VPCTWIN_AWS_ENDPOINT_URL';

interface CollectCliOptions {
  out?: string;
  profile?: string;
  regions: string;
  accounts?: string;
  org?: boolean;
  roleName?: string;
  concurrency: string;
  resume?: boolean;
  homeRegion?: string;
}

function parseRegions(text: string): 'all' | string[] {
  if (text.trim() === 'all') return 'all';
  const list = text.split(',').map((r) => r.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--regions: expected "all" or a comma-separated list such as eu-west-1,us-east-1');
  for (const r of list) if (!isRegionName(r) || r === 'global') throw new UsageError(`--regions: "${r}" is not a region name (e.g. eu-west-1)`);
  return list;
}

function parseAccounts(text: string): string[] {
  const list = text.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--accounts: expected comma-separated 12-digit account ids');
  for (const a of list) if (!isAccountId(a)) throw new UsageError(`--accounts: "${a}" is not a 12-digit account id`);
  return list;
}

function describe(r: AccountResult): string {
  if (r.status === 'role-not-assumed') return `role could not be assumed (${r.code}: ${r.message})`;
  if (r.status === 'interrupted') return `interrupted after ${r.calls} calls`;
  const regions = `${r.regions.length} region${r.regions.length === 1 ? '' : 's'}`;
  const calls = `${r.calls} calls${r.skipped ? `, ${r.skipped} already on disk` : ''}`;
  if (r.status === 'ok') return `ok (${regions}, ${calls})`;
  const byRegion = new Map<string, number>();
  for (const f of r.failures) byRegion.set(f.region, (byRegion.get(f.region) ?? 0) + 1);
  const where = [...byRegion].map(([region, n]) => `${region}: ${n}`).join(', ');
  return `${r.failedCalls} failed call${r.failedCalls === 1 ? '' : 's'} (${where}; ${regions}, ${calls})`;
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('read an AWS estate (many accounts and regions) into a snapshot folder with the AWS SDK; read-only')
    .option('-o, --out <dir>', 'snapshot folder to write (<dir>/<account>/<region>/<Call>.json)')
    .option('--profile <name>', 'AWS profile for the base credentials (default: the standard credential chain)')
    .option('--regions <list>', '"all" (the enabled regions of each account) or a comma-separated list', 'all')
    .option('--accounts <ids>', 'comma-separated account ids (default: the caller\'s account)')
    .option('--org', 'every ACTIVE account of the AWS Organization')
    .option('--role-name <name>', 'role assumed in each account other than the caller\'s')
    .option('--concurrency <n>', 'calls in flight per account, region and service', '4')
    .option('--resume', 'skip calls whose file is already on disk (finish an interrupted run)')
    .option('--home-region <region>', 'region for STS, Organizations and DescribeRegions (default: AWS_REGION, the profile\'s region, us-east-1)')
    .action(async (opts: CollectCliOptions) => {
      if (!opts.out) throw new UsageError('missing --out DIR (the snapshot folder to write)');
      if (opts.accounts && opts.org) throw new UsageError('--accounts and --org exclude each other');
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency: expected a whole number from 1 to 64, got "${opts.concurrency}"`);
      const regions = parseRegions(opts.regions);
      const accounts = opts.accounts ? parseAccounts(opts.accounts) : undefined;
      if (opts.homeRegion && !isRegionName(opts.homeRegion)) throw new UsageError(`--home-region: "${opts.homeRegion}" is not a region name`);
      if (opts.roleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(opts.roleName)) throw new UsageError(`--role-name: "${opts.roleName}" is not an IAM role name`);

      // The SDK's own Node-version warning is seven lines of stderr on every run; say it once, in one line.
      const nodeMajor = Number(process.versions.node.split('.')[0]);
      if (nodeMajor < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
        process.stderr.write(`vpctwin: note: AWS SDK for JavaScript releases after January 2027 need Node.js 22 or newer (this is ${process.version})\n`);
      }

      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await collect({
          out: opts.out,
          profile: opts.profile,
          regions,
          accounts,
          org: opts.org,
          roleName: opts.roleName,
          concurrency,
          resume: opts.resume,
          homeRegion: opts.homeRegion,
          endpoint: process.env[ENDPOINT_ENV] || undefined,
          signal: controller.signal,
          // Through process.stderr.write so that captured output (tests) sees it too.
          progress: { write: (s: string) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
        });
        if (!result.ok) {
          if (result.code === 'ROLE_NAME_REQUIRED') throw new UsageError(result.message);
          process.stderr.write(`vpctwin: collect: ${result.message}\n`);
          process.exitCode = 1;
          return;
        }
        const s = result.summary;
        for (const r of s.accounts) process.stdout.write(`account ${r.account}: ${describe(r)}\n`);
        process.stdout.write(
          `${s.interrupted ? 'interrupted: run again with --resume to finish' : 'snapshot written'}: ${opts.out} (summary in ${SUMMARY_FILE}; ${s.calls.made} calls, ${s.calls.failed} failed, ${s.calls.skipped} already on disk, ${s.calls.retries} retries)\n`,
        );
        const incomplete = s.accounts.some((r) => r.status !== 'ok');
        process.exitCode = s.interrupted ? 130 : incomplete ? 1 : 0;
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}

/**
 * `vpctwin collect`: reads an AWS estate through the SDK into a snapshot folder the loader reads as it is.
 *
 * Layout: `<out>/<account>/<region>/<Call>[.<parent>].json`, Route 53 and Direct Connect gateways under
 * `<out>/<account>/global/`, each file the document the AWS CLI prints for that call (pages merged). Calls
 * about one parent (listeners of a load balancer, routes of a TGW route table, …) run as soon as their
 * parent call is done. Failed calls are
 * recorded per account and region in `CollectErrors.json` (the loader turns each into a warning), never
 * fatal. With `resume`, a call whose file is already on disk is not made again: its file is read instead, so
 * an interrupted run finishes with the same files as an uninterrupted one.
 */
import { DirectConnectClient } from '@aws-sdk/client-direct-connect';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assumeRoleProvider, callerIdentity, organizationAccounts, type CallerIdentity } from './accounts.js';
import { callId, DESCRIBE_REGIONS, GLOBAL_CALLS, REGIONAL_CALLS, type CallSpec, type ChildRef, type Doc, type Service } from './calls.js';
import { clientConfig, type ClientSettings, type CredentialProvider } from './clients.js';
import { ScopedLimiter, Semaphore } from './limiter.js';
import { CollectProgress, type ProgressSink } from './progress.js';
import { DEFAULT_RETRY, redact, withRetry, type CallFailure, type RetryOptions } from './retry.js';
import { mergePages, readExisting, removeStaleTemps, renderJson, writeFileAtomic } from './writer.js';

export const GLOBAL_REGION = 'global';
export const SUMMARY_FILE = 'collect-summary.json';
export const ERRORS_FILE = 'CollectErrors.json';

export interface CollectOptions {
  readonly out: string;
  /** Named profile for the standard credential chain (ignored when `credentials` is given). */
  readonly profile?: string;
  /** `all`: the account's enabled regions (DescribeRegions); else these regions. */
  readonly regions: 'all' | readonly string[];
  /** Accounts to collect; with neither this nor `org`, the caller's own account. */
  readonly accounts?: readonly string[];
  /** Collect every ACTIVE account of the caller's AWS Organization. */
  readonly org?: boolean;
  /** Role assumed in every account other than the caller's. */
  readonly roleName?: string;
  /** Calls in flight at once per account, region and service. */
  readonly concurrency?: number;
  /** Calls in flight at once in all. */
  readonly maxInFlight?: number;
  /** Accounts collected at once (each holds its own SDK clients). */
  readonly accountConcurrency?: number;
  readonly resume?: boolean;
  /** Region for STS, Organizations and DescribeRegions; default AWS_REGION, the profile's region, us-east-1. */
  readonly homeRegion?: string;
  /** One endpoint for every service (a test server). */
  readonly endpoint?: string;
  /** Base credentials; default the SDK's standard chain (environment, profiles, SSO, instance roles). */
  readonly credentials?: CredentialProvider;
  readonly retry?: Partial<RetryOptions>;
  readonly requestTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Where progress goes (stderr in the CLI); nothing when absent. */
  readonly progress?: ProgressSink;
}

/** One failed call, as recorded in CollectErrors.json and in the summary. */
export interface CollectErrorEntry {
  readonly Call: string;
  readonly Action: string;
  readonly Code: string;
  readonly Message: string;
  /** The parent id or ARN, for calls made once per parent. */
  readonly Parent?: string;
}

export type AccountResult =
  | {
      readonly account: string;
      readonly status: 'ok' | 'partial' | 'interrupted';
      readonly regions: readonly string[];
      readonly calls: number;
      readonly skipped: number;
      readonly failedCalls: number;
      readonly failures: readonly { readonly region: string; readonly call: string; readonly code: string; readonly parent?: string }[];
    }
  | { readonly account: string; readonly status: 'role-not-assumed'; readonly code: string; readonly message: string };

export interface CollectSummary {
  readonly out: string;
  readonly interrupted: boolean;
  readonly accounts: readonly AccountResult[];
  readonly calls: { readonly made: number; readonly failed: number; readonly skipped: number; readonly retries: number };
}

export type CollectErrorCode = 'NO_CREDENTIALS' | 'ORGANIZATIONS_FAILED' | 'ROLE_NAME_REQUIRED' | 'NO_ACCOUNTS' | 'INTERRUPTED';

export type CollectResult =
  | { readonly ok: true; readonly summary: CollectSummary }
  | { readonly ok: false; readonly code: CollectErrorCode; readonly message: string };

interface Unit {
  readonly account: string;
  readonly region: string;
  readonly clients: Partial<Record<Service, Sender>>;
  readonly errors: CollectErrorEntry[];
  calls: number;
  skipped: number;
}

/** The one method the collector needs from an SDK client. */
interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/** A failed call's entry; the message is already redacted. */
function errorEntry(spec: CallSpec, f: CallFailure, child?: ChildRef): CollectErrorEntry {
  return { Call: callId(spec), Action: spec.action, Code: f.code, Message: f.message, ...(child ? { Parent: child.parentId } : {}) };
}

async function defaultHomeRegion(profile?: string): Promise<string> {
  const env = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (env) return env;
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

export async function collect(options: CollectOptions): Promise<CollectResult> {
  const secrets: string[] = [];
  // Every request in flight listens on the one signal; dozens at once are expected, not a leak.
  if (options.signal) setMaxListeners(0, options.signal);
  const cleanups: (() => void)[] = [];
  const settings: ClientSettings = {
    homeRegion: options.homeRegion ?? (await defaultHomeRegion(options.profile)),
    endpoint: options.endpoint,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    signal: options.signal,
    secrets: () => secrets,
    onDestroy: (fn) => cleanups.push(fn),
  };
  const base: CredentialProvider = options.credentials ?? (fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) as CredentialProvider);
  // The base secret is never printed either, whatever an error message might echo.
  const baseSecrets = async () => {
    try {
      const c = await base();
      secrets.push(c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : []));
    } catch {
      /* reported by GetCallerIdentity below */
    }
  };
  await baseSecrets();
  try {
    const who = await callerIdentity(settings, base);
    if (!who.ok) return { ok: false, code: 'NO_CREDENTIALS', message: `cannot identify the caller (${who.failure.code}: ${who.failure.message})` };
    const caller = who.value;
    let accounts: readonly string[];
    if (options.org) {
      const org = await organizationAccounts(settings, base);
      if (!org.ok) return { ok: false, code: 'ORGANIZATIONS_FAILED', message: `cannot list the organization's accounts (${org.failure.code}: ${org.failure.message})` };
      accounts = org.value;
    } else accounts = options.accounts && options.accounts.length > 0 ? [...new Set(options.accounts)] : [caller.account];
    if (accounts.length === 0) return { ok: false, code: 'NO_ACCOUNTS', message: 'no accounts to collect' };
    const foreign = accounts.filter((a) => a !== caller.account);
    if (foreign.length > 0 && !options.roleName)
      return { ok: false, code: 'ROLE_NAME_REQUIRED', message: `--role-name is needed to collect accounts other than the caller's ${caller.account} (${foreign.join(', ')})` };

    mkdirSync(options.out, { recursive: true });
    removeStaleTemps(options.out);
    const progress = new CollectProgress(options.progress);
    progress.accountsPlanned(accounts.length);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const limiter = new ScopedLimiter(concurrency, Math.max(concurrency, options.maxInFlight ?? concurrency * 8));
    const run: RunContext = { options, settings, limiter, progress, secrets, caller };
    const slots = new Semaphore(Math.max(1, options.accountConcurrency ?? 8));
    const results = await Promise.all(
      accounts.map(async (a) => {
        await slots.acquire();
        try {
          return await collectAccount(run, base, a);
        } finally {
          slots.release();
        }
      }),
    );
    progress.finish();
    const interrupted = options.signal?.aborted === true;
    const c = progress.counts;
    const summary: CollectSummary = {
      out: options.out,
      interrupted,
      accounts: results,
      calls: { made: c.callsDone + c.callsFailed, failed: c.callsFailed, skipped: c.callsSkipped, retries: c.retries },
    };
    // The summary sits beside the account folders under the `vpctwin` key, which the loader ignores.
    writeFileAtomic(join(options.out, SUMMARY_FILE), renderJson({ vpctwin: { collectSummary: summary } }));
    return { ok: true, summary };
  } finally {
    for (const fn of cleanups) fn();
  }
}

interface RunContext {
  readonly options: CollectOptions;
  readonly settings: ClientSettings;
  readonly limiter: ScopedLimiter;
  readonly progress: CollectProgress;
  readonly secrets: string[];
  readonly caller: CallerIdentity;
}

async function collectAccount(run: RunContext, base: CredentialProvider, account: string): Promise<AccountResult> {
  const { options, settings } = run;
  let credentials = base;
  // The caller's own account is read with the caller's credentials; every other account through the role.
  if (account !== run.caller.account && options.roleName) {
    const assumed = await assumeRoleProvider(settings, base, run.caller, account, options.roleName, (s) => run.secrets.push(s));
    if (!assumed.ok) {
      const f = assumed.failure;
      if (f.kind === 'aborted') return { account, status: 'interrupted', regions: [], calls: 0, skipped: 0, failedCalls: 0, failures: [] };
      writeErrors(run, account, GLOBAL_REGION, [{ Call: 'AssumeRole', Action: 'sts:AssumeRole', Code: f.code, Message: f.message, Parent: `role/${options.roleName}` }]);
      const result: AccountResult = { account, status: 'role-not-assumed', code: f.code, message: f.message };
      run.progress.accountDone(account, `role could not be assumed (${f.code})`);
      return result;
    }
    credentials = assumed.value;
  }
  // The account's clients (and their sockets) are closed as soon as the account is done.
  const clients: Sender[] = [];
  const makeClient = <C extends Sender>(Ctor: new (config: ReturnType<typeof clientConfig>) => C, region: string): C => {
    const c = new Ctor(clientConfig(settings, region, credentials));
    clients.push(c);
    return c;
  };
  try {
    return await collectRegions(run, account, makeClient);
  } finally {
    for (const c of clients) c.destroy();
  }
}

async function collectRegions(
  run: RunContext,
  account: string,
  makeClient: <C extends Sender>(Ctor: new (config: ReturnType<typeof clientConfig>) => C, region: string) => C,
): Promise<AccountResult> {
  const { options, settings } = run;
  const global: Unit = { account, region: GLOBAL_REGION, clients: {}, errors: [], calls: 0, skipped: 0 };
  let regions: readonly string[];
  if (options.regions === 'all') {
    global.clients.ec2 = makeClient(EC2Client, settings.homeRegion);
    const doc = await runCall(run, global, DESCRIBE_REGIONS);
    regions = doc
      ? (Array.isArray(doc.Regions) ? (doc.Regions as { RegionName?: unknown; OptInStatus?: unknown }[]) : [])
          .filter((r) => typeof r.RegionName === 'string' && r.OptInStatus !== 'not-opted-in')
          .map((r) => r.RegionName as string)
          .sort()
      : [];
  } else regions = [...options.regions];
  global.clients.route53 = makeClient(Route53Client, settings.homeRegion);
  global.clients.directconnect = makeClient(DirectConnectClient, settings.homeRegion);
  const units: Unit[] = [
    global,
    ...regions.map((region): Unit => ({
      account,
      region,
      clients: {
        ec2: makeClient(EC2Client, region),
        elbv2: makeClient(ElasticLoadBalancingV2Client, region),
        elb: makeClient(ElasticLoadBalancingClient, region),
      },
      errors: [],
      calls: 0,
      skipped: 0,
    })),
  ];
  run.progress.unitsPlanned(units.length);
  await Promise.all(units.map((u) => runUnit(run, u, u === global ? GLOBAL_CALLS : REGIONAL_CALLS)));
  const failures = units
    .flatMap((u) => u.errors.map((e) => ({ region: u.region, call: e.Call, code: e.Code, ...(e.Parent ? { parent: e.Parent } : {}) })))
    .sort((x, y) => (`${x.region}\u0000${x.call}\u0000${x.parent ?? ''}` < `${y.region}\u0000${y.call}\u0000${y.parent ?? ''}` ? -1 : 1));
  const interrupted = options.signal?.aborted === true;
  const status = interrupted ? 'interrupted' : failures.length > 0 ? 'partial' : 'ok';
  const result: AccountResult = {
    account,
    status,
    regions,
    calls: units.reduce((n, u) => n + u.calls, 0),
    skipped: units.reduce((n, u) => n + u.skipped, 0),
    failedCalls: failures.length,
    failures,
  };
  run.progress.accountDone(account, status === 'ok' ? 'ok' : status === 'interrupted' ? 'interrupted' : `${failures.length} failed call${failures.length === 1 ? '' : 's'}`);
  return result;
}

/**
 * Runs the calls of one account and region: calls without a parent at once (bounded by the limiter), each
 * per-parent call as soon as its parent's output is known. Writes or clears CollectErrors.json at the end,
 * unless the run was interrupted (then the unit is incomplete and a resumed run writes it).
 */
async function runUnit(run: RunContext, unit: Unit, specs: readonly CallSpec[]): Promise<void> {
  const tasks: Promise<void>[] = [];
  const launch = (spec: CallSpec, child?: ChildRef) => {
    tasks.push(
      runCall(run, unit, spec, child).then((doc) => {
        if (!doc) return;
        for (const c of specs) if (c.parent?.call === callId(spec)) for (const ref of c.parent.children(doc)) launch(c, ref);
      }),
    );
  };
  for (const s of specs) if (!s.parent) launch(s);
  // Children are pushed before their parent's task settles, so this loop sees every task.
  for (let i = 0; i < tasks.length; i++) await tasks[i];
  if (run.options.signal?.aborted) return;
  writeErrors(run, unit.account, unit.region, unit.errors);
  run.progress.unitDone(unit.account, unit.region, unit.calls, unit.errors.length, unit.skipped);
}

function writeErrors(run: RunContext, account: string, region: string, errors: CollectErrorEntry[]): void {
  const path = join(run.options.out, account, region, ERRORS_FILE);
  if (errors.length === 0) {
    if (existsSync(path)) rmSync(path);
    return;
  }
  const sorted = [...errors].sort((a, b) => (`${a.Call}\u0000${a.Parent ?? ''}` < `${b.Call}\u0000${b.Parent ?? ''}` ? -1 : 1));
  writeFileAtomic(path, renderJson({ CollectErrors: sorted }));
}

/** Makes one call (all its pages) or reads its file from a previous run; returns the document, or undefined when it failed. */
async function runCall(run: RunContext, unit: Unit, spec: CallSpec, child?: ChildRef): Promise<Doc | undefined> {
  const file = join(run.options.out, unit.account, unit.region, `${callId(spec)}${child ? `.${child.token}` : ''}.json`);
  if (run.options.resume) {
    const existing = readExisting(file);
    if (existing) {
      unit.skipped++;
      run.progress.call('skipped');
      noteTruncation(unit, spec, existing, child);
      return existing;
    }
  }
  const signal = run.options.signal;
  if (signal?.aborted) return undefined;
  const client = unit.clients[spec.service];
  if (!client) throw new Error(`no ${spec.service} client for ${unit.account}/${unit.region}`);
  const pages: Doc[] = [];
  let pageInput: Readonly<Record<string, unknown>> | undefined = {};
  const scope = `${unit.account}/${unit.region}/${spec.service}`;
  while (pageInput) {
    const input = { ...spec.input, ...child?.input, ...pageInput };
    const r = await withRetry(() => run.limiter.run(scope, () => client.send(new spec.command(input as never), { abortSignal: signal })), run.settings.retry, {
      signal,
      secrets: () => run.secrets,
      onRetry: () => run.progress.retry(),
    });
    if (!r.ok) {
      if (r.failure.kind === 'aborted') return undefined;
      unit.calls++;
      unit.errors.push(errorEntry(spec, { ...r.failure, message: redact(r.failure.message, run.secrets) }, child));
      run.progress.call('failed');
      return undefined;
    }
    const page = r.value as Doc;
    pages.push(page);
    pageInput = spec.paging?.next(page);
  }
  let doc = mergePages(pages, spec.listKeys, child?.beside);
  if (spec.sanitize) doc = spec.sanitize(doc);
  writeFileAtomic(file, renderJson(doc));
  unit.calls++;
  run.progress.call('done');
  noteTruncation(unit, spec, doc, child);
  return doc;
}

/** SearchTransitGatewayRoutes returns at most MaxResults routes; more are unknown and said so. */
function noteTruncation(unit: Unit, spec: CallSpec, doc: Doc, child?: ChildRef): void {
  if (doc.AdditionalRoutesAvailable === true)
    unit.errors.push(errorEntry(spec, { kind: 'other', code: 'Truncated', message: 'more routes than one search returns; the routes not listed are unknown' }, child));
}

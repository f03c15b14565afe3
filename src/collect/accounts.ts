/**
 * Which accounts to collect and with which credentials: the caller's identity (STS GetCallerIdentity), the
 * organization's ACTIVE accounts (Organizations ListAccounts, all pages), and a role assumed in each account
 * (STS AssumeRole). Assumed credentials live only in memory: they are refreshed before they expire, handed to
 * the SDK clients, and their secret parts are given to the redactor so no message can carry them.
 */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, type ClientSettings, type CredentialProvider, type Credentials } from './clients.js';
import { withRetry, type CallFailure } from './retry.js';

export interface CallerIdentity {
  readonly account: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: role ARNs are built in the caller's partition. */
  readonly partition: string;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: CallFailure };

export async function callerIdentity(s: ClientSettings, credentials: CredentialProvider): Promise<Outcome<CallerIdentity>> {
  const sts = new STSClient(clientConfig(s, s.homeRegion, credentials));
  try {
    const r = await withRetry(() => sts.send(new GetCallerIdentityCommand({}), { abortSignal: s.signal }), s.retry, { signal: s.signal, secrets: s.secrets });
    if (!r.ok) return r;
    const arn = r.value.Arn ?? '';
    return { ok: true, value: { account: r.value.Account ?? 'unknown', partition: arn.split(':')[1] || 'aws' } };
  } finally {
    sts.destroy();
  }
}

/** The organization's accounts whose status is ACTIVE, sorted by id. */
export async function organizationAccounts(s: ClientSettings, credentials: CredentialProvider): Promise<Outcome<string[]>> {
  const org = new OrganizationsClient(clientConfig(s, s.homeRegion, credentials));
  try {
    const ids: string[] = [];
    let next: string | undefined;
    do {
      const token = next;
      const r = await withRetry(() => org.send(new ListAccountsCommand({ NextToken: token }), { abortSignal: s.signal }), s.retry, { signal: s.signal, secrets: s.secrets });
      if (!r.ok) return r;
      for (const a of r.value.Accounts ?? []) {
        // `Status` is the long-standing field; `State` replaces it in newer responses.
        const state = (a as { State?: string }).State ?? a.Status;
        if (a.Id && state === 'ACTIVE') ids.push(a.Id);
      }
      next = r.value.NextToken;
    } while (next);
    return { ok: true, value: [...new Set(ids)].sort() };
  } finally {
    org.destroy();
  }
}

const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * A credential provider for `roleName` in `account`: assumes the role on first use and again shortly
 * before the credentials expire. Resolves once up front so that a role that cannot be assumed is known
 * before any call is made.
 */
export async function assumeRoleProvider(
  s: ClientSettings,
  base: CredentialProvider,
  caller: CallerIdentity,
  account: string,
  roleName: string,
  addSecret: (secret: string) => void,
): Promise<Outcome<CredentialProvider>> {
  const sts = new STSClient(clientConfig(s, s.homeRegion, base));
  const roleArn = `arn:${caller.partition}:iam::${account}:role/${roleName}`;
  let current: Credentials | undefined;
  let pending: Promise<Outcome<Credentials>> | undefined;
  const assume = async (): Promise<Outcome<Credentials>> => {
    const r = await withRetry(
      () => sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'vpctwin-collect', DurationSeconds: 3600 }), { abortSignal: s.signal }),
      s.retry,
      { signal: s.signal, secrets: s.secrets },
    );
    if (!r.ok) return r;
    const c = r.value.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) return { ok: false, failure: { kind: 'other', code: 'NoCredentials', message: `AssumeRole ${roleArn} returned no credentials` } };
    addSecret(c.SecretAccessKey);
    if (c.SessionToken) addSecret(c.SessionToken);
    addSecret(c.AccessKeyId);
    return { ok: true, value: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration } };
  };
  const fresh = (c: Credentials | undefined): c is Credentials => !!c && (!c.expiration || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS);
  const provider: CredentialProvider = async () => {
    if (fresh(current)) return current;
    pending ??= assume().finally(() => (pending = undefined));
    const r = await pending;
    if (!r.ok) throw Object.assign(new Error(r.failure.message), { name: r.failure.code });
    current = r.value;
    return current;
  };
  const first = await (pending = assume().finally(() => (pending = undefined)));
  if (!first.ok) {
    sts.destroy();
    return first;
  }
  current = first.value;
  s.onDestroy(() => sts.destroy());
  return { ok: true, value: provider };
}

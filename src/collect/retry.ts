/**
 * Error classification and retries for the collector. The SDK's own retries are switched off
 * (maxAttempts 1) so that one policy, tested against a local server, decides: throttling and transient
 * failures are retried with capped exponential backoff and full jitter; anything else (AccessDenied, an
 * opted-out region, a bad parameter) is returned at once as a typed failure and recorded, never thrown.
 */

export type FailureKind = 'throttled' | 'transient' | 'denied' | 'aborted' | 'other';

/** A failed AWS call as data: the AWS error code, a message safe to print and store, and its kind. */
export interface CallFailure {
  readonly kind: FailureKind;
  readonly code: string;
  readonly message: string;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceededException',
]);

const TRANSIENT = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
  'OptInRequired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'UnauthorizedAccess',
  'AWSOrganizationsNotInUseException',
]);

/** Turns whatever a send rejected with into a CallFailure (never throws). */
export function classifyError(e: unknown, secrets: readonly string[] = []): CallFailure {
  const err = (e ?? {}) as { name?: unknown; code?: unknown; Code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const code = String(err.Code ?? err.name ?? err.code ?? 'Error');
  const sysCode = typeof err.code === 'string' ? err.code : undefined;
  const status = err.$metadata?.httpStatusCode;
  const message = redact(String(err.message ?? e), secrets);
  if (code === 'AbortError' || sysCode === 'ABORT_ERR') return { kind: 'aborted', code: 'AbortError', message: 'aborted' };
  if (THROTTLING.has(code)) return { kind: 'throttled', code, message };
  if (DENIED.has(code)) return { kind: 'denied', code, message };
  if (TRANSIENT.has(code) || (sysCode && TRANSIENT.has(sysCode)) || (status !== undefined && status >= 500) || status === 429)
    return { kind: 'transient', code: sysCode && TRANSIENT.has(sysCode) ? sysCode : code, message };
  // A dropped connection surfaces without an HTTP status.
  if (status === undefined && /socket hang up|ECONNRESET|EPIPE|network|timed? ?out/i.test(message)) return { kind: 'transient', code, message };
  return { kind: 'other', code, message };
}

/** Removes anything that looks like an access key, and the exact secret strings given, from a text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted-key-id]').replace(/X-Amz-(Signature|Credential|Security-Token)=[^&\s"]+/gi, 'X-Amz-$1=[redacted]');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** Delay before retry number `attempt` (1-based): full jitter over a capped exponential. */
export function backoffDelay(attempt: number, o: RetryOptions, random: () => number = Math.random): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type Attempted<T> = { readonly ok: true; readonly value: T; readonly retries: number } | { readonly ok: false; readonly failure: CallFailure; readonly retries: number };

/**
 * Runs `fn` until it succeeds, fails for good, or the signal aborts. Throttling and transient failures are
 * retried; `onRetry` is told about each retry (for progress and tests).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  o: RetryOptions,
  opts: { signal?: AbortSignal; secrets?: () => readonly string[]; onRetry?: (f: CallFailure, attempt: number) => void } = {},
): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) return { ok: false, failure: { kind: 'aborted', code: 'AbortError', message: 'aborted' }, retries: attempt - 1 };
    try {
      return { ok: true, value: await fn(), retries: attempt - 1 };
    } catch (e) {
      const f = classifyError(e, opts.secrets?.() ?? []);
      const aborted = opts.signal?.aborted === true;
      if (aborted) return { ok: false, failure: { kind: 'aborted', code: 'AbortError', message: 'aborted' }, retries: attempt - 1 };
      if ((f.kind !== 'throttled' && f.kind !== 'transient') || attempt >= o.maxAttempts) return { ok: false, failure: f, retries: attempt - 1 };
      opts.onRetry?.(f, attempt);
      await sleep(backoffDelay(attempt, o), opts.signal);
    }
  }
}

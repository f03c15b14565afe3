/**
 * SDK client settings shared by every client the collector creates: region, credentials, an optional
 * endpoint (a local test server, or a VPC interface endpoint), no SDK-level retries (retry.ts decides) and
 * request timeouts so a hung connection becomes a retried transient failure instead of a stalled run.
 */
import type { RetryOptions } from './retry.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type CredentialProvider = () => Promise<Credentials>;

export interface ClientSettings {
  /** Region for STS, Organizations and DescribeRegions. */
  readonly homeRegion: string;
  readonly endpoint?: string;
  readonly retry: RetryOptions;
  readonly requestTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Secret strings known so far (assumed-role keys and tokens), removed from every message. */
  readonly secrets: () => readonly string[];
  /** Registers cleanup run when the collection ends. */
  readonly onDestroy: (fn: () => void) => void;
}

export function clientConfig(s: ClientSettings, region: string, credentials: CredentialProvider) {
  return {
    region,
    credentials,
    maxAttempts: 1,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    requestHandler: { requestTimeout: s.requestTimeoutMs, connectionTimeout: Math.min(s.requestTimeoutMs, 10_000) },
  };
}

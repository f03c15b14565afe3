/** Shared helpers of the collector tests: running a collection against the local server, reading folders. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { collect, type CollectOptions, type CollectResult } from '../../src/collect/collector.js';
import type { AwsServer } from './aws-server.js';
import { CALLER_KEY, CALLER_SECRET, EU, ROLE } from './estate.js';

export interface Captured {
  readonly result: CollectResult;
  /** Everything the progress display wrote. */
  readonly progress: string;
}

/** Runs `collect` against `server` with the caller's static fake credentials and fast retries. */
export async function collectFrom(server: AwsServer, out: string, extra: Partial<CollectOptions> = {}): Promise<Captured> {
  let progress = '';
  const result = await collect({
    out,
    regions: 'all',
    org: true,
    roleName: ROLE,
    homeRegion: EU,
    endpoint: server.url,
    credentials: async () => ({ accessKeyId: CALLER_KEY, secretAccessKey: CALLER_SECRET }),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    progress: { write: (s: string) => (progress += s), isTTY: false },
    ...extra,
  });
  return { result, progress };
}

/** Every file under `dir` (hidden ones included), as relative paths with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function readJson(dir: string, rel: string): unknown {
  return JSON.parse(readFileSync(join(dir, rel), 'utf8'));
}

/** All text of all files under `dir`. */
export function allText(dir: string): string {
  return listFiles(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

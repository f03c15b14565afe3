/**
 * An interrupted collection (aborted after N calls reached the server) resumed with `resume` ends with the
 * same files, byte for byte, as an uninterrupted one, and the resumed run makes no call whose file is
 * already on disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUMMARY_FILE } from '../../src/collect/collector.js';
import { tempDir } from '../helpers/temp-snapshot.js';
import { startAwsServer, type AwsServer } from './aws-server.js';
import { createEstate, fileOfRequest } from './estate.js';
import { collectFrom, listFiles } from './helpers.js';

const servers: AwsServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function server(): Promise<AwsServer> {
  const s = await startAwsServer(createEstate({ slowMs: 50 }));
  servers.push(s);
  return s;
}

/** The snapshot's files with their bytes; the run's own summary differs between runs and is left out. */
function snapshotBytes(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).filter((f) => f !== SUMMARY_FILE).map((f) => [f, readFileSync(join(dir, f))]));
}

describe('collect --resume', () => {
  it.each([20, 90])('finishes a run interrupted after %i calls with the same files as an uninterrupted run', async (interruptAfter) => {
    const whole = tempDir('whole');
    const full = await collectFrom(await server(), whole);
    expect(full.result.ok && full.result.summary.interrupted).toBe(false);

    const partial = tempDir('partial');
    const s = await server();
    const controller = new AbortController();
    s.onRequest = () => {
      if (s.requests.length >= interruptAfter) controller.abort();
    };
    const first = await collectFrom(s, partial, { signal: controller.signal });
    expect(first.result.ok && first.result.summary.interrupted).toBe(true);
    s.onRequest = undefined;

    const before = new Set(listFiles(partial));
    const wholeFiles = snapshotBytes(whole);
    // Interrupted early: fewer files than the whole run, none half-written (every file parses).
    expect(before.size).toBeLessThan(wholeFiles.size);
    expect(before.size).toBeGreaterThan(0);
    for (const f of before) expect(() => JSON.parse(readFileSync(join(partial, f), 'utf8')), f).not.toThrow();
    expect([...before].filter((f) => !f.endsWith('.json'))).toEqual([]);

    const mark = s.requests.length;
    const resumed = await collectFrom(s, partial, { resume: true });
    if (!resumed.result.ok) throw new Error(resumed.result.message);
    expect(resumed.result.summary.interrupted).toBe(false);
    const calls = s.requests.slice(mark);
    expect(calls.length).toBeGreaterThan(0);
    const repeated = calls.map(fileOfRequest).filter((f): f is string => f !== undefined && before.has(f));
    expect(repeated).toEqual([]);
    const callFiles = [...before].filter((f) => f !== SUMMARY_FILE && !f.endsWith('/CollectErrors.json'));
    expect(resumed.result.summary.calls.skipped).toBe(callFiles.length);

    const after = snapshotBytes(partial);
    expect([...after.keys()]).toEqual([...wholeFiles.keys()]);
    for (const [f, bytes] of wholeFiles) expect(after.get(f)?.equals(bytes), f).toBe(true);
  });

  it('makes again only the calls that failed before when every other file is on disk', async () => {
    const dir = tempDir('again');
    const s = await server();
    await collectFrom(s, dir);
    const mark = s.requests.length;
    const again = await collectFrom(s, dir, { resume: true });
    const data = s.requests.slice(mark).filter((r) => fileOfRequest(r) !== undefined);
    // Only the calls that failed before (AccessDenied in one region) are tried again.
    expect(new Set(data.map((r) => r.status))).toEqual(new Set([403]));
    expect(again.result.ok && again.result.summary.calls.made).toBe(data.length);
  });
});

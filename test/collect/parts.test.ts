/** The collector's small parts: error classification, backoff, redaction, CLI-shaped JSON, atomic writes, limits, and the CollectErrors key of the loader. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScopedLimiter } from '../../src/collect/limiter.js';
import { CollectProgress } from '../../src/collect/progress.js';
import { backoffDelay, classifyError, redact, withRetry } from '../../src/collect/retry.js';
import { cliTimestamp, mergePages, removeStaleTemps, writeFileAtomic } from '../../src/collect/writer.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { tempDir, tempSnapshot } from '../helpers/temp-snapshot.js';

describe('classifyError', () => {
  it('tells throttling, transient, denied and other failures apart', () => {
    expect(classifyError({ name: 'RequestLimitExceeded', message: 'x', $metadata: { httpStatusCode: 400 } }).kind).toBe('throttled');
    expect(classifyError({ name: 'Throttling', $metadata: { httpStatusCode: 400 } }).kind).toBe('throttled');
    expect(classifyError({ name: 'InternalError', $metadata: { httpStatusCode: 500 } }).kind).toBe('transient');
    expect(classifyError({ name: 'Whatever', $metadata: { httpStatusCode: 503 } }).kind).toBe('transient');
    expect(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).kind).toBe('transient');
    expect(classifyError({ name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }).kind).toBe('denied');
    expect(classifyError({ name: 'OptInRequired', $metadata: { httpStatusCode: 401 } }).kind).toBe('denied');
    expect(classifyError({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }).kind).toBe('other');
    expect(classifyError({ name: 'AbortError' }).kind).toBe('aborted');
  });
});

describe('withRetry', () => {
  const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
  it('retries throttling until success', async () => {
    let n = 0;
    const r = await withRetry(async () => (++n < 3 ? Promise.reject({ name: 'Throttling' }) : 'done'), fast);
    expect(r).toEqual({ ok: true, value: 'done', retries: 2 });
  });
  it('gives up after maxAttempts and never retries AccessDenied', async () => {
    let n = 0;
    const t = await withRetry(() => (n++, Promise.reject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })), fast);
    expect(t.ok).toBe(false);
    expect(n).toBe(4);
    let m = 0;
    const d = await withRetry(() => (m++, Promise.reject({ name: 'AccessDenied', message: 'no' })), fast);
    expect(d).toEqual({ ok: false, failure: { kind: 'denied', code: 'AccessDenied', message: 'no' }, retries: 0 });
    expect(m).toBe(1);
  });
  it('backs off exponentially within the cap', () => {
    const o = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, o, () => 0)).toBe(200);
  });
});

describe('redact', () => {
  it('removes access keys, signatures and known secrets', () => {
    const t = redact('key ASIAABCDEFGHIJKLMNOP sig X-Amz-Signature=abcdef&X-Amz-Security-Token=tok secret s3cr3t-value', ['s3cr3t-value']);
    expect(t).toBe('key [redacted-key-id] sig X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted] secret [redacted]');
  });
});

describe('CLI-shaped JSON', () => {
  it('prints timestamps as the AWS CLI does', () => {
    expect(cliTimestamp(new Date('2024-03-14T10:04:11Z'))).toBe('2024-03-14T10:04:11+00:00');
    expect(cliTimestamp(new Date('2024-03-14T10:04:11.25Z'))).toBe('2024-03-14T10:04:11.250000+00:00');
  });
  it('merges pages, drops pagination and $metadata, puts the parent first', () => {
    const doc = mergePages(
      [
        { $metadata: { httpStatusCode: 200 }, Routes: [{ a: 1 }], NextToken: 't' },
        { $metadata: {}, Routes: [{ a: 2 }], AdditionalRoutesAvailable: false },
      ],
      ['Routes'],
      { TransitGatewayRouteTableId: 'tgw-rtb-1' },
    );
    expect(doc).toEqual({ TransitGatewayRouteTableId: 'tgw-rtb-1', Routes: [{ a: 1 }, { a: 2 }], AdditionalRoutesAvailable: false });
    expect(Object.keys(doc)[0]).toBe('TransitGatewayRouteTableId');
    expect(mergePages([{ $metadata: {} }], ['Vpcs'])).toEqual({ Vpcs: [] });
  });
});

describe('atomic writes', () => {
  it('writes through a temporary file and leaves only the target', () => {
    const dir = tempDir('atomic');
    writeFileAtomic(join(dir, 'a', 'b', 'X.json'), '{"X":[]}\n');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['X.json']);
  });
  it('removes temporaries an interrupted run left', () => {
    const dir = tempDir('stale');
    writeFileSync(join(dir, '.vpctwin-tmp-1-1-1'), '{"Vp');
    writeFileSync(join(dir, 'keep.json'), '{}');
    removeStaleTemps(dir);
    expect(readdirSync(dir)).toEqual(['keep.json']);
    expect(existsSync(join(dir, '.vpctwin-tmp-1-1-1'))).toBe(false);
  });
});

describe('ScopedLimiter', () => {
  it('never runs more than the limit per scope nor in all', async () => {
    const limiter = new ScopedLimiter(2, 3);
    const active = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    const peak = new Map<string, number>();
    const task = (scope: string) =>
      limiter.run(scope, async () => {
        active.set(scope, (active.get(scope) ?? 0) + 1);
        total++;
        peak.set(scope, Math.max(peak.get(scope) ?? 0, active.get(scope)!));
        peakTotal = Math.max(peakTotal, total);
        await new Promise((r) => setTimeout(r, 5));
        active.set(scope, active.get(scope)! - 1);
        total--;
      });
    await Promise.all([...Array(6)].flatMap(() => [task('a'), task('b')]));
    expect(peak.get('a')).toBe(2);
    expect(peak.get('b')).toBe(2);
    expect(peakTotal).toBe(3);
  });
});

describe('CollectProgress', () => {
  it('redraws one line on a terminal', () => {
    let text = '';
    let t = 0;
    const p = new CollectProgress({ write: (s: string) => (text += s), isTTY: true }, true, () => (t += 1000));
    p.accountsPlanned(2);
    p.unitsPlanned(3);
    p.call('done');
    p.call('failed');
    p.unitDone('111111111111', 'eu-west-1', 2, 1, 0);
    p.finish();
    expect(text).not.toContain('\n');
    expect(text).toContain('\r\x1b[2Kcollect: accounts 0/2 · regions 1/3 · calls 1 done, 1 failed, 0 on disk');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('loader: CollectErrors', () => {
  it('warns once per failed call, naming account, region and call', () => {
    const dir = tempSnapshot({
      '111122223333/eu-west-1/CollectErrors.json': {
        CollectErrors: [
          { Call: 'DescribeVpcs', Action: 'ec2:DescribeVpcs', Code: 'UnauthorizedOperation', Message: 'not authorized' },
          { Call: 'DescribeTargetHealth', Action: 'elasticloadbalancing:DescribeTargetHealth', Code: 'Throttling', Message: 'Rate exceeded', Parent: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/tg/1' },
        ],
      },
    });
    const m = loadSnapshot(dir);
    expect(m.issues.map((i) => [i.code, i.severity, i.message])).toEqual([
      ['COLLECTION_ERROR', 'warning', 'account 111122223333, region eu-west-1: DescribeVpcs failed during collection (UnauthorizedOperation: not authorized); the resources it returns are unknown'],
      [
        'COLLECTION_ERROR',
        'warning',
        'account 111122223333, region eu-west-1: DescribeTargetHealth for arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/tg/1 failed during collection (Throttling: Rate exceeded); the resources it returns are unknown',
      ],
    ]);
  });
  it('reports a malformed entry as an invalid field', () => {
    const m = loadSnapshot(tempSnapshot({ '111122223333/eu-west-1/CollectErrors.json': { CollectErrors: [{ Call: 'DescribeVpcs' }] } }));
    expect(m.issues.map((i) => [i.code, i.source?.path])).toEqual([['INVALID_FIELD', '$.CollectErrors[0].Code']]);
  });
});

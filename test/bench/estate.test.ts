import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../bench/estate.mjs';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { tempDir } from '../helpers/temp-snapshot.js';

function snapshotText(dir: string): string {
  const files = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  return files(dir)
    .map((f) => `${f.slice(dir.length)}\n${readFileSync(f, 'utf8')}`)
    .join('\n');
}

describe('bench estate generator', () => {
  const dir = tempDir('estate');
  const summary = generateEstate({ out: dir, vpcs: 8, enis: 200, accounts: 2, seed: 7 });
  const model = loadSnapshot(dir);

  it('writes the requested estate, which loads without errors or dangling references', () => {
    expect(summary.vpcs).toBe(8);
    expect(model.vpcs.size).toBe(8);
    expect(model.networkInterfaces.size).toBe(summary.enis);
    expect(model.issues.filter((i) => i.severity === 'error' || i.code === 'DANGLING_REFERENCE')).toEqual([]);
  });

  it('is reproducible: the same seed gives byte-identical files, another seed differs', () => {
    const again = tempDir('estate');
    generateEstate({ out: again, vpcs: 8, enis: 200, accounts: 2, seed: 7 });
    expect(snapshotText(again)).toBe(snapshotText(dir));
    const other = tempDir('estate');
    generateEstate({ out: other, vpcs: 8, enis: 200, accounts: 2, seed: 8 });
    expect(snapshotText(other)).not.toBe(snapshotText(dir));
  });

  it('has the security-group semantics the benchmark relies on', () => {
    const [web, app] = summary.samples.sameVpc[0] as [string, string];
    // app admits 8080 only from the web group (reference), so web -> app:8080 passes and app -> web:8080 does not.
    expect(trace(model, { from: web, to: app, protocol: 'tcp', port: 8080 }).reachable).toBe(true);
    expect(trace(model, { from: app, to: web, protocol: 'tcp', port: 8080 }).reachable).toBe(false);
    // Private instances reach the internet through their VPC's NAT gateway.
    expect(trace(model, { from: summary.samples.toInternet[0] as string, to: '198.51.100.77', port: 443 }).reachable).toBe(true);
  });
});

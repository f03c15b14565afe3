import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('docs/explanation-codes.md', () => {
  it('lists every explanation code the engine and analyses emit', () => {
    const emitted = new Set<string>();
    for (const f of [...sources('src/engine'), ...sources('src/analyses')]) {
      const text = readFileSync(f, 'utf8');
      // `code: 'X'`, `code: cond ? 'X' : 'Y'`, and result codes of resolve.ts.
      for (const m of text.matchAll(/code: ([^,\n]+)/g)) for (const c of (m[1] ?? '').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) emitted.add(c[1] as string);
    }
    expect(emitted.size).toBeGreaterThan(30);
    const doc = readFileSync('docs/explanation-codes.md', 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect([...emitted].filter((c) => !documented.has(c)).sort()).toEqual([]);
  });
});

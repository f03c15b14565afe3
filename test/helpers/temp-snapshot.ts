/** Writes a snapshot folder for a test: `{ 'acct/region/file.json': object | string }`. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const created: string[] = [];

/** Removes every folder made by tempDir (called after each test file by test/helpers/setup.ts). */
export function removeTempDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary folder removed when the test process exits. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `vpctwin-${prefix}-`));
  created.push(d);
  return d;
}

export function tempSnapshot(files: Record<string, unknown>): string {
  const root = tempDir('test');
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

/** Copies an example snapshot to a temp folder so a test can change it without touching the original. */
export function copyExample(name: string): string {
  const root = tempDir(name);
  cpSync(join(import.meta.dirname, '..', '..', 'examples', name), root, { recursive: true });
  return root;
}

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const at = (file: string, account = ACCOUNT, region = REGION) => `${account}/${region}/${file}`;

import { readdirSync, readFileSync, statSync } from 'node:fs';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') ? [p] : [];
  });
}

/**
 * Rewrites, in a copied snapshot, every file holding top-level `key`: `edit` receives the parsed document
 * and changes it in place. Returns how many files it changed (a test asserts > 0 so a typo cannot pass).
 */
export function editSnapshot(root: string, key: string, edit: (doc: Record<string, any>) => void): number {
  let n = 0;
  for (const f of jsonFiles(root)) {
    const doc = JSON.parse(readFileSync(f, 'utf8')) as Record<string, any>;
    if (!(key in doc)) continue;
    edit(doc);
    writeFileSync(f, JSON.stringify(doc, null, 2));
    n++;
  }
  if (n === 0) throw new Error(`no file in ${root} has top-level key ${key}`);
  return n;
}

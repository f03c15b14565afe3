/**
 * Writes snapshot files the way the AWS CLI prints them (4-space JSON, timestamps as ISO 8601 with
 * `+00:00`), atomically: the text goes to a hidden temporary file in the same folder, which is then renamed
 * over the target. A run killed mid-write leaves at most a hidden `.vpctwin-tmp-*` file, which the loader
 * skips (hidden names) and the next run removes — never a half-written `.json`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PAGINATION_KEYS, type Doc } from './calls.js';

const TEMP_PREFIX = '.vpctwin-tmp-';
let counter = 0;

/** The AWS CLI's timestamp form (Python isoformat): `2024-03-14T10:04:11+00:00`, microseconds when not whole. */
export function cliTimestamp(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms ? `.${String(ms * 1000).padStart(6, '0')}` : ''}+00:00`;
}

/** SDK output → plain JSON values: Dates as CLI timestamps, undefined members dropped, `$metadata` dropped. */
export function toCliJson(value: unknown): unknown {
  if (value instanceof Date) return cliTimestamp(value);
  if (Array.isArray(value)) return value.map(toCliJson);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== '$metadata') out[k] = toCliJson(v);
    return out;
  }
  return value;
}

/**
 * Merges the pages of one call into the document the CLI prints: list keys concatenated (an absent list
 * becomes `[]`), other members from the first page, pagination members dropped, parent keys first.
 */
export function mergePages(pages: readonly Doc[], listKeys: readonly string[], beside: Readonly<Record<string, string>> = {}): Doc {
  const doc: Doc = { ...beside };
  for (const page of pages)
    for (const [k, v] of Object.entries(toCliJson(page) as Doc)) {
      if (PAGINATION_KEYS.has(k) || k in beside) continue;
      if (listKeys.includes(k)) doc[k] = [...((doc[k] as unknown[] | undefined) ?? []), ...(Array.isArray(v) ? v : [])];
      else if (!(k in doc)) doc[k] = v;
    }
  for (const k of listKeys) if (!(k in doc)) doc[k] = [];
  return doc;
}

export function renderJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 4)}\n`;
}

/** Writes `text` to `path` through a temporary file and a rename, creating folders as needed. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `${TEMP_PREFIX}${process.pid}-${++counter}-${Date.now()}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads a file a previous run wrote; undefined when absent or not a JSON object (then the call is made again). */
export function readExisting(path: string): Doc | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes temporary files an interrupted run left under `root`. */
export function removeStaleTemps(root: string): void {
  if (!existsSync(root)) return;
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) removeStaleTemps(p);
    else if (e.name.startsWith(TEMP_PREFIX)) rmSync(p, { force: true });
  }
}

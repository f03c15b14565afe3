/**
 * Loads a snapshot folder (describe-* JSON, or a Batfish AWS snapshot) into the network model.
 * Every problem becomes a load issue; only a missing or empty folder stops loading.
 */
import { resolve } from 'node:path';
import type { LoadIssue } from '../model/issues.js';
import { NetworkModel, type SnapshotFileSummary } from '../model/network.js';
import { expandBatfishWrappers } from './batfish.js';
import { SnapshotBuilder } from './builder.js';
import { discoverSnapshotFiles, type SnapshotFile } from './discover.js';
import { KEY_HANDLERS, NON_RESOURCE_KEYS, readVpcAttribute, type FileContext } from './handlers.js';
import { readJsonFile } from './json-file.js';
import { linkSnapshot } from './link.js';

export class SnapshotLoadError extends Error {
  constructor(
    readonly code: 'SNAPSHOT_NOT_FOUND' | 'SNAPSHOT_EMPTY',
    message: string,
  ) {
    super(message);
  }
}

export interface LoadOptions {
  /** Called after each file, for progress displays. */
  readonly onFile?: (done: number, total: number, file: string) => void;
}

/**
 * Loads `dir`. Throws `SnapshotLoadError` only when the folder is missing or holds no JSON; everything
 * else (malformed files, wrong types, unknown keys, dangling references) is reported in `model.issues`.
 */
export function loadSnapshot(dir: string, options: LoadOptions = {}): NetworkModel {
  const found = discoverSnapshotFiles(dir);
  if (!found.ok) throw new SnapshotLoadError(found.code, found.message);
  const b = new SnapshotBuilder();
  const summaries: SnapshotFileSummary[] = [];
  found.files.forEach((file, index) => {
    const before = b.issues.length;
    const keys: { key: string; count: number }[] = [];
    const read = readJsonFile(file.absolutePath, file.displayPath);
    if (!read.ok) {
      b.issue(read.issue);
    } else if (!read.value || typeof read.value !== 'object' || Array.isArray(read.value)) {
      b.issue({
        code: 'NOT_AN_OBJECT',
        severity: 'error',
        source: { file: file.displayPath, path: '$' },
        message: 'expected a JSON object with a top-level key such as "Vpcs" (the output of one describe-* call)',
      });
    } else {
      const documents = file.batfish
        ? expandBatfishWrappers(read.value as Record<string, unknown>)
        : [{ document: read.value as Record<string, unknown>, pathPrefix: '$' }];
      for (const { document, pathPrefix } of documents) readDocument(b, file, document, pathPrefix, keys);
    }
    const fileIssues = b.issues.slice(before);
    summaries.push({
      file: file.displayPath,
      account: file.account,
      region: file.region,
      keys,
      errors: fileIssues.filter((i) => i.severity === 'error').length,
      warnings: fileIssues.filter((i) => i.severity === 'warning').length,
    });
    options.onFile?.(index + 1, found.files.length, file.displayPath);
  });
  const resources = linkSnapshot(b);
  for (const r of resources)
    if (r.account === 'unknown' || r.region === 'unknown')
      b.issue({
        code: 'UNKNOWN_ACCOUNT_OR_REGION',
        severity: 'warning',
        resourceId: r.id,
        source: r.source,
        message: `cannot tell the ${r.account === 'unknown' ? 'account' : 'region'} of ${r.kind} ${r.id}: put the file under <account-id>/<region>/`,
      });
  const issues: LoadIssue[] = [...b.issues].sort(compareIssues);
  return new NetworkModel({
    root: resolve(dir),
    resources,
    ignored: [...b.ignored].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    issues,
    availabilityZones: [...b.availabilityZones.values()].sort((x, y) =>
      `${x.account}/${x.region}/${x.zoneName}` < `${y.account}/${y.region}/${y.zoneName}` ? -1 : 1,
    ),
    files: summaries,
  });
}

/** Hands every top-level key of one document to its handler. */
function readDocument(
  b: SnapshotBuilder,
  file: SnapshotFile,
  document: Record<string, unknown>,
  pathPrefix: string,
  keys: { key: string; count: number }[],
): void {
  const ctx: FileContext = { file, builder: b, document };
  if (readVpcAttribute(ctx)) keys.push({ key: 'VpcAttribute', count: 1 });
  for (const key of Object.keys(document).sort()) {
    const value = document[key];
    const entry = KEY_HANDLERS[key];
    const at = `${pathPrefix}.${key}`;
    if (!entry) {
      if (NON_RESOURCE_KEYS.has(key)) continue;
      b.issue({
        code: 'UNKNOWN_TOP_LEVEL_KEY',
        severity: 'warning',
        source: { file: file.displayPath, path: at },
        message: `unknown top-level key "${key}": not a describe-* output vpctwin reads; ignored`,
      });
      continue;
    }
    b.noteKey(file.account, file.region, key);
    if (entry.single) {
      entry.handler({ ...ctx, key, path: at }, value);
      keys.push({ key, count: 1 });
      continue;
    }
    if (!Array.isArray(value)) {
      b.issue({
        code: 'INVALID_FIELD',
        severity: 'error',
        source: { file: file.displayPath, path: at },
        message: `expected a list under "${key}", got ${value === null ? 'null' : typeof value}`,
      });
      continue;
    }
    if (value.length === 0) entry.empty?.({ ...ctx, key, path: at });
    value.forEach((element, i) => entry.handler({ ...ctx, key, path: `${at}[${i}]` }, element));
    keys.push({ key, count: value.length });
  }
}

function compareIssues(a: LoadIssue, b: LoadIssue): number {
  const ka = `${a.source?.file ?? ''}\u0000${a.source?.path ?? ''}\u0000${a.code}\u0000${a.message}`;
  const kb = `${b.source?.file ?? ''}\u0000${b.source?.path ?? ''}\u0000${b.code}\u0000${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

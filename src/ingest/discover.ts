/**
 * Finds the JSON files of a snapshot and what their folder path says about account and region.
 *
 * Layouts (docs/snapshot-format.md): `<root>/<account>/<region>/…`, a Batfish snapshot root holding
 * `aws_configs/`, or `aws_configs/` itself with `<region>/…` or `accounts/<account>/<region>/…` below it.
 * Files are returned sorted so that loading is deterministic whatever order the file system lists them in.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface SnapshotFile {
  readonly absolutePath: string;
  /** Path relative to the snapshot root, with forward slashes. */
  readonly displayPath: string;
  readonly account?: string;
  readonly region?: string;
  /** Tokens that may name a parent resource: file-name parts after the first dot, and folder names. */
  readonly hintTokens: readonly string[];
  readonly batfish: boolean;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

export function isRegionName(s: string): boolean {
  return REGION.test(s) || s === 'global';
}

export function isAccountId(s: string): boolean {
  return ACCOUNT.test(s);
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(p);
  }
}

export type DiscoverResult =
  | { readonly ok: true; readonly files: readonly SnapshotFile[]; readonly batfish: boolean }
  | { readonly ok: false; readonly code: 'SNAPSHOT_NOT_FOUND' | 'SNAPSHOT_EMPTY'; readonly message: string };

export function discoverSnapshotFiles(root: string): DiscoverResult {
  if (!existsSync(root)) return { ok: false, code: 'SNAPSHOT_NOT_FOUND', message: `snapshot folder ${root} does not exist` };
  if (!statSync(root).isDirectory())
    return { ok: false, code: 'SNAPSHOT_NOT_FOUND', message: `snapshot ${root} is not a folder` };
  const batfishRoot = existsSync(join(root, 'aws_configs')) && statSync(join(root, 'aws_configs')).isDirectory();
  const isAwsConfigs = root.replace(/[\\/]+$/, '').endsWith('aws_configs');
  const batfish = batfishRoot || isAwsConfigs;
  const base = batfishRoot ? join(root, 'aws_configs') : root;
  const paths: string[] = [];
  walk(base, paths);
  if (paths.length === 0)
    return { ok: false, code: 'SNAPSHOT_EMPTY', message: `snapshot folder ${root} holds no .json files` };
  const files = paths.map((absolutePath): SnapshotFile => {
    const rel = relative(base, absolutePath).split(sep);
    const displayPath = relative(root, absolutePath).split(sep).join('/');
    const dirs = rel.slice(0, -1);
    let account: string | undefined;
    let region: string | undefined;
    for (let i = 0; i < dirs.length; i++) {
      const d = dirs[i] as string;
      if (isAccountId(d) && account === undefined) account = d;
      if (isRegionName(d)) region = d;
    }
    const fileName = rel[rel.length - 1] as string;
    const nameParts = fileName.replace(/\.json$/i, '').split('.');
    const hintTokens = [...nameParts.slice(1), ...dirs.filter((d) => !isAccountId(d) && !isRegionName(d))];
    return { absolutePath, displayPath, account, region, hintTokens, batfish };
  });
  return { ok: true, files, batfish };
}

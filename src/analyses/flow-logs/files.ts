/**
 * Flow log inputs: files, or folders laid out as the destinations deliver them (vpc-flow-logs.md §1.5):
 *
 * - S3: `AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/[hh/]<account>_vpcflowlogs_<region>_<fl-id>_<time>_<hash>.log.gz`;
 * - S3 with Hive-compatible prefixes: `AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/month=…/day=…/[hour=…/]`;
 * - Parquet objects (`….parquet`, `….log.parquet`);
 * - CloudWatch Logs exports: one file per log stream (`eni-…-all`, `….json`, `….log`), or an export task's
 *   `…/<stream>/000000.gz` objects.
 *
 * A folder expands to every log object below it, in path order (which is time order in the S3 layouts);
 * hidden files and documentation are skipped. A file named explicitly is read whatever its name.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOG_OBJECT = /\.(log|txt|json|jsonl|ndjson|csv)(\.gz)?$|\.gz$|\.parquet$|^eni-[0-9a-f]+(-[a-z]+)?$|^\d{6}$/;

/** Every flow-log file named by `paths` (files as given, folders expanded). Throws ENOENT for a missing path. */
export function expandFlowLogInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (LOG_OBJECT.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/**
 * Flow log inputs: files, or folders laid out as S3 delivers them
 * (`AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/<account>_vpcflowlogs_<region>_<id>_<time>_<hash>.log.gz`)
 * or with Hive-style partitions (`aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/…`). A folder
 * expands to every flow-log object below it, in name order.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOG_OBJECT = /\.(log|txt|json)(\.gz)?$|\.parquet$|\.gz$/;

export function expandFlowLogInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const n of readdirSync(p).sort()) if (!n.startsWith('.')) walk(join(p, n));
    } else if (LOG_OBJECT.test(p)) out.push(p);
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p); // a file named explicitly is read whatever its name
  }
  return out;
}

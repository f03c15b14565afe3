/**
 * Loads the snapshot named by `--snapshot`, printing load errors as one-line messages on stderr.
 */
import { formatIssue } from '../model/issues.js';
import type { NetworkModel } from '../model/network.js';
import { loadSnapshot, SnapshotLoadError } from '../ingest/load-snapshot.js';
import { UsageError } from './output.js';

export function loadForCommand(dir: string | undefined, opts: { quiet?: boolean } = {}): NetworkModel {
  if (!dir) throw new UsageError('missing --snapshot DIR (a folder of describe-* JSON; try examples/flowlogs-lab)');
  let model: NetworkModel;
  try {
    model = loadSnapshot(dir);
  } catch (e) {
    if (e instanceof SnapshotLoadError) throw new UsageError(`--snapshot: ${e.message}`);
    throw e;
  }
  if (!opts.quiet) {
    const errors = model.issues.filter((i) => i.severity === 'error');
    for (const i of errors.slice(0, 20)) process.stderr.write(`vpctwin: ${formatIssue(i)}\n`);
    if (errors.length > 20) process.stderr.write(`vpctwin: … and ${errors.length - 20} more errors (run vpctwin validate ${dir})\n`);
    const warnings = model.issues.filter((i) => i.severity === 'warning').length;
    if (warnings > 0) process.stderr.write(`vpctwin: ${warnings} load warning${warnings === 1 ? '' : 's'} (run vpctwin validate ${dir} to list them)\n`);
  }
  return model;
}

import type { Command } from 'commander';
import { diffSnapshots } from '../analyses/diff.js';
import { renderJson, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what a change opens or closes: new or removed internet exposure, and flows between two endpoints newly allowed or blocked')
    .requiredOption('--before <dir>', 'snapshot before the change')
    .requiredOption('--after <dir>', 'snapshot after the change')
    .option('--from <src>', 'with --to: compare the flows from this source')
    .option('--to <dst>', 'with --from: compare the flows to this destination')
    .option('--json', 'JSON output')
    .action((opts: { before: string; after: string; from?: string; to?: string; json?: boolean }) => {
      if (!opts.from !== !opts.to) throw new UsageError('give both --from and --to, or neither');
      const before = loadForCommand(opts.before);
      const after = loadForCommand(opts.after);
      const d = diffSnapshots(before, after, opts.from && opts.to ? { from: opts.from, to: opts.to } : undefined);
      if (opts.json) process.stdout.write(`${renderJson(d)}\n`);
      else {
        const lines: string[] = [];
        for (const f of d.exposureAppeared) lines.push(`+ exposed  ${f.owner} ${f.address} ${f.protocol} ${f.fromPort < 0 ? 'all' : `${f.fromPort}-${f.toPort}`} from ${f.sources.join(' ')}`);
        for (const f of d.exposureDisappeared) lines.push(`- exposed  ${f.owner} ${f.address} ${f.protocol} ${f.fromPort < 0 ? 'all' : `${f.fromPort}-${f.toPort}`} from ${f.sources.join(' ')}`);
        for (const f of d.flows)
          lines.push(`${f.change === 'newly-allowed' ? '+' : '-'} flow     ${f.witness.query.source.input} -> ${f.witness.query.destination.input} ${f.protocol}${f.fromPort !== undefined ? ` ${f.fromPort}-${f.toPort}` : ''} (${f.change}; witness ${f.witness.query.packet.srcIp} -> ${f.witness.query.packet.dstIp})`);
        process.stdout.write(`${lines.length ? lines.join('\n') : 'no change in exposure or in the compared flows'}\n`);
      }
      process.exitCode = d.exposureAppeared.length > 0 ? 1 : 0;
    });
}

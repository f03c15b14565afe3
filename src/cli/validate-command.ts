import type { Command } from 'commander';
import { formatIssue } from '../model/issues.js';
import { renderJson, renderTable } from './output.js';
import { loadForCommand } from './snapshot-option.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('load a snapshot and print every problem (errors and warnings) and a per-file load summary')
    .argument('[snapshot]', 'snapshot folder (or use --snapshot)')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--json', 'JSON output')
    .action((dir: string | undefined, opts: { snapshot?: string; json?: boolean }) => {
      const model = loadForCommand(dir ?? opts.snapshot, { quiet: true });
      const errors = model.issues.filter((i) => i.severity === 'error').length;
      const warnings = model.issues.filter((i) => i.severity === 'warning').length;
      if (opts.json) {
        process.stdout.write(
          `${renderJson({ files: model.files, issues: model.issues, ignored: model.ignored, counts: { resources: model.resources.length, errors, warnings } })}\n`,
        );
      } else {
        const rows = model.files.map((f) => [f.file, f.account ?? '?', f.region ?? '?', f.keys.map((k) => `${k.key}:${k.count}`).join(' '), String(f.errors), String(f.warnings)]);
        const out = [renderTable(['file', 'account', 'region', 'keys', 'errors', 'warnings'], rows), ''];
        if (model.ignored.length) {
          out.push('ignored (kept out of forwarding):');
          for (const g of model.ignored) out.push(`  ${g.kind} ${g.id}: ${g.reason} (${g.source.file} ${g.source.path})`);
          out.push('');
        }
        for (const i of model.issues) out.push(formatIssue(i));
        out.push(`${model.files.length} files, ${model.resources.length} resources, ${errors} errors, ${warnings} warnings`);
        process.stdout.write(`${out.join('\n')}\n`);
      }
      if (errors > 0) process.exitCode = 1;
    });
}

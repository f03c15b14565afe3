import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluateAccessScope, parseAccessScope, ScopeError } from '../analyses/scope.js';
import { renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

export function registerScope(program: Command): void {
  program
    .command('scope')
    .description('evaluate a Network Access Analyzer scope (MatchPaths / ExcludePaths JSON) over every account and region')
    .argument('<file>', 'scope JSON, as given to create-network-insights-access-scope or shown by AWS')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--json', 'JSON output (with witness traces)')
    .action((file: string, opts: { snapshot?: string; json?: boolean }) => {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      let scope;
      try {
        scope = parseAccessScope(doc, file);
      } catch (e) {
        if (e instanceof ScopeError) throw new UsageError(e.message);
        throw e;
      }
      const model = loadForCommand(opts.snapshot);
      const findings = evaluateAccessScope(model, scope);
      if (opts.json) process.stdout.write(`${renderJson(findings)}\n`);
      else
        process.stdout.write(
          `${findings.length ? renderTable(['direction', 'interface', 'owner', 'account', 'region', 'protocol', 'ports'], findings.map((f) => [f.direction, f.networkInterfaceId, f.owner, f.account, f.region, f.protocol, f.fromPort === f.toPort ? String(f.fromPort) : `${f.fromPort}-${f.toPort}`])) : 'no findings'}\n`,
        );
      process.exitCode = findings.length ? 1 : 0;
    });
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { exposure, type AllowEntry, type ExposureSource } from '../analyses/exposure.js';
import { renderCsv, renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

const AllowShape = z.strictObject({
  allow: z.array(z.strictObject({ resource: z.string().optional(), protocol: z.enum(['tcp', 'udp', 'icmp', 'icmpv6']).optional(), port: z.number().int().min(0).max(65535).optional() })),
});

function readAllow(file: string): AllowEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--allow ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`);
  }
  const r = AllowShape.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new UsageError(`--allow ${file}: $${(i?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i?.message ?? 'invalid'}`);
  }
  return r.data.allow;
}

export function registerExposure(program: Command): void {
  program
    .command('exposure')
    .description('every network interface the internet can reach: protocols, ports, source ranges, and a witness trace for each')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--allow <file>', 'YAML/JSON {allow: [{resource, protocol, port}]} of expected findings to leave out')
    .option('--from <source>', 'internet (default), on-premises, or a VPC id', 'internet')
    .option('--json', 'JSON output (with witness traces)')
    .option('--csv', 'CSV output')
    .action((opts: { snapshot?: string; allow?: string; from: string; json?: boolean; csv?: boolean }) => {
      const allow = opts.allow ? readAllow(opts.allow) : [];
      const model = loadForCommand(opts.snapshot);
      const from: ExposureSource =
        opts.from === 'internet' ? { kind: 'internet' } : opts.from === 'on-premises' ? { kind: 'on-premises' } : { kind: 'vpc', vpcId: opts.from };
      if (from.kind === 'vpc' && !model.vpcs.has(from.vpcId)) throw new UsageError(`--from: "${opts.from}" is not internet, on-premises or a VPC id in the snapshot`);
      const tty = process.stderr.isTTY;
      const findings = exposure(model, {
        allow,
        from,
        onProgress: (done, total) => {
          if (total > 2000 && done % 1000 === 0) process.stderr.write(tty ? `\r${done}/${total} interfaces` : `vpctwin: ${done}/${total} interfaces\n`);
        },
      });
      if (opts.json) {
        process.stdout.write(`${renderJson(findings)}\n`);
      } else {
        const headers = ['interface', 'owner', 'account', 'region', 'address', 'protocol', 'ports', 'sources'];
        const rows = findings.map((f) => [f.networkInterfaceId, f.owner, f.account, f.region, f.address, f.protocol, f.fromPort < 0 ? 'all' : f.fromPort === f.toPort ? String(f.fromPort) : `${f.fromPort}-${f.toPort}`, f.sources.join(' ')]);
        process.stdout.write(`${opts.csv ? renderCsv(headers, rows) : rows.length ? renderTable(headers, rows) : `nothing is reachable from ${opts.from === "internet" ? "the internet" : opts.from}`}\n`);
      }
      process.exitCode = findings.length > 0 ? 1 : 0;
    });
}

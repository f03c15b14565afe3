import type { Command } from 'commander';
import { resolveName } from '../analyses/resolve.js';
import type { NetworkModel } from '../model/network.js';
import { renderJson, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

/** The VPC whose resolver answers: a VPC id, or the VPC of an instance, interface or Name tag. */
function vpcOf(model: NetworkModel, from: string): string {
  const r = model.get(from) ?? model.byNameTag(from)[0];
  if (r?.kind === 'vpc') return r.id;
  if (r && 'vpcId' in r && typeof r.vpcId === 'string') return r.vpcId;
  throw new UsageError(`--from ${from}: not a VPC, instance, network interface or Name tag in the snapshot`);
}

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description("resolve a DNS name as a VPC's resolver would: private hosted zones, endpoint private DNS, load balancer and EC2 names")
    .argument('<name>', 'the DNS name')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--from <src>', 'VPC id, instance, network interface or Name tag whose VPC asks (default: the public internet)')
    .option('--json', 'JSON output')
    .action((name: string, opts: { snapshot?: string; from?: string; json?: boolean }) => {
      const model = loadForCommand(opts.snapshot);
      const vpcId = opts.from ? vpcOf(model, opts.from) : undefined;
      const r = resolveName(model, name, vpcId);
      if (opts.json) process.stdout.write(`${renderJson(r)}\n`);
      else if (!r.ok) process.stdout.write(`${r.code}: ${r.message}\n`);
      else {
        const lines = r.answer.chain.map((c) => `${c.name.padEnd(40)} ${c.type.padEnd(6)} ${c.value.padEnd(40)} ${c.via}`);
        lines.push('', `${r.answer.name} -> ${r.answer.addresses.join(', ') || 'no address'}${r.answer.target ? `  (${r.answer.target.kind} ${r.answer.target.id})` : ''}`);
        for (const a of r.answer.alternatives) lines.push(`  alternative ${a.setIdentifier}${a.weight !== undefined ? ` weight ${a.weight}` : ''}: ${a.addresses.join(', ')}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.exitCode = r.ok ? 0 : 1;
    });
}

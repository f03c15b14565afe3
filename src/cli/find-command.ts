import type { Command } from 'commander';
import { find, type InterfaceFinding } from '../analyses/find.js';
import { renderJson } from './output.js';
import { loadForCommand } from './snapshot-option.js';

function named(x: { id: string; name?: string }): string {
  return x.name ? `${x.id} (${x.name})` : x.id;
}

function renderInterface(f: InterfaceFinding, indent = ''): string[] {
  const n = f.networkInterface;
  const lines = [
    `${indent}${f.address ? `${f.address}  ` : ''}network interface ${named(n)} [${n.interfaceType}] account ${n.account} ${n.region}`,
    `${indent}  owner           ${f.owner.description}${f.owner.state ? ` (${f.owner.state})` : ''}`,
  ];
  if (n.description) lines.push(`${indent}  description     ${n.description}`);
  const addrs = [...n.privateAddresses, ...n.publicAddresses.map((p) => `${p} (public)`), ...n.ipv6Addresses];
  lines.push(`${indent}  addresses       ${addrs.join(', ')}`);
  if (f.subnet)
    lines.push(`${indent}  subnet          ${named(f.subnet)} ${f.subnet.cidr ?? ''} ${f.subnet.availabilityZone ?? ''}${f.subnet.availabilityZoneId ? ` (${f.subnet.availabilityZoneId})` : ''}`);
  if (f.vpc) lines.push(`${indent}  vpc             ${named(f.vpc)} ${f.vpc.cidrs.join(', ')}`);
  if (f.securityGroups.length) lines.push(`${indent}  security groups ${f.securityGroups.map(named).join(', ')}`);
  if (f.endpoint) {
    const e = f.endpoint;
    lines.push(`${indent}  endpoint        ${named(e)} ${e.endpointType} (${e.state})`);
    lines.push(`${indent}  service name    ${e.serviceName}`);
    if (e.service) lines.push(`${indent}  service         ${e.service.id} in account ${e.service.account} ${e.service.region}${e.service.consumerViewOnly ? ' (consumer view only)' : ''}`);
    for (const lb of e.loadBalancers) lines.push(`${indent}  load balancer   ${lb.name ?? lb.id} (${lb.lbType}, ${lb.scheme}) account ${lb.account}: ${lb.id}`);
    if (e.missing) lines.push(`${indent}  missing         ${e.missing}`);
  }
  lines.push(`${indent}  source          ${n.source.file} ${n.source.path}`);
  return lines;
}

export function registerFind(program: Command): void {
  program
    .command('find')
    .description('what is this IP address, id, Name tag or DNS name: the interface, what owns it, its subnet, VPC, account and security groups')
    .argument('<query>', 'an IP address, resource id or ARN, Name tag, or DNS name')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--json', 'JSON output')
    .action((query: string, opts: { snapshot?: string; json?: boolean }) => {
      const model = loadForCommand(opts.snapshot);
      const result = find(model, query);
      const found = result.interfaces.length + result.resources.length;
      if (opts.json) {
        process.stdout.write(`${renderJson(result)}\n`);
      } else if (found === 0) {
        process.stdout.write(`nothing in the snapshot matches "${query}"\n`);
      } else {
        const lines: string[] = [];
        for (const f of result.interfaces) lines.push(...renderInterface(f), '');
        for (const r of result.resources) {
          lines.push(`${r.resource.kind} ${named(r.resource)} account ${r.resource.account} ${r.resource.region}: ${r.detail}`);
          lines.push(`  source ${r.resource.source.file} ${r.resource.source.path}`);
          for (const f of r.networkInterfaces) lines.push(...renderInterface(f, '  '));
          lines.push('');
        }
        process.stdout.write(`${lines.join('\n').trimEnd()}\n`);
      }
      if (found === 0) process.exitCode = 1;
    });
}

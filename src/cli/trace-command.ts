import type { Command } from 'commander';
import { loadOnPremises, OnPremisesError } from '../analyses/on-premises.js';
import { loadOverlay, OverlayError } from '../analyses/overlay.js';
import { trace, TraceRequestError, type TraceRequest } from '../analyses/trace.js';
import { describePacket } from '../engine/packet.js';
import type { Hop, TraceResult } from '../engine/trace-types.js';
import { renderJson, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name}: "${v}" is not a whole number`);
  return Number(v);
}

/** Reads a user-given input file; its validation errors become one-line usage errors (exit 2). */
function readInputFile<T>(load: (file: string) => T, file: string): T {
  try {
    return load(file);
  } catch (e) {
    if (e instanceof OverlayError || e instanceof OnPremisesError) throw new UsageError(e.message);
    throw e;
  }
}

function componentLabel(h: Hop): string {
  const c = h.component;
  // ARNs are long; a named load balancer, listener or target group reads better by name.
  if (c.id.startsWith('arn:') && c.name) return `${c.type} ${c.name}`;
  return `${c.type} ${c.id}${c.name && c.name !== c.id ? ` (${c.name})` : ''}`;
}

function renderHops(hops: readonly Hop[]): string[] {
  let account: string | undefined;
  const rows = hops.map((h, i) => {
    const acct = h.component.account && h.component.account !== account ? `  [account ${h.component.account}]` : '';
    if (h.component.account) account = h.component.account;
    const action = h.action === 'deny' || h.action === 'drop' || h.action === 'no-route' || h.action === 'blackhole' ? `!! ${h.action.toUpperCase()}` : h.action;
    return { n: String(i + 1), comp: componentLabel(h) + acct, action, rule: h.rule ?? '', packet: describePacket(h.packet), note: h.note, source: h.source };
  });
  const wc = Math.max(0, ...rows.map((r) => r.comp.length));
  const wa = Math.max(0, ...rows.map((r) => r.action.length));
  const out: string[] = [];
  for (const r of rows) {
    out.push(`  ${r.n.padStart(2)}  ${r.comp.padEnd(wc)}  ${r.action.padEnd(wa)}  ${r.rule}`);
    out.push(`      ${''.padEnd(wc)}  ${''.padEnd(wa)}  packet ${r.packet}${r.note ? `; ${r.note}` : ''}`);
  }
  return out;
}

export function renderTraceText(r: TraceResult): string {
  const q = r.query;
  const name = (e: TraceResult['query']['source']) => (e.name ? `${e.input} (${e.name})` : e.input);
  const lines = [`trace ${describePacket(q.packet)}   from ${name(q.source)} to ${name(q.destination)}`, '', 'forward path:', ...renderHops(r.forwardPath)];
  if (r.returnPath.length) lines.push('', 'return path:', ...renderHops(r.returnPath));
  lines.push('', r.reachable ? 'REACHABLE' : 'NOT REACHABLE');
  for (const e of r.explanations) lines.push(`  ${e.code} [${e.direction}] ${e.component.type} ${e.component.id}: ${e.message}${e.source ? ` (${e.source.file} ${e.source.path})` : ''}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('trace a flow hop by hop, forward and return, and name the rule or route that blocks it')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .requiredOption('--from <src>', 'instance id, ENI id, IP address, Name tag, DNS name, or "internet"')
    .requiredOption('--to <dst>', 'instance id, ENI id, IP address, Name tag, DNS name, or "internet"')
    .option('--protocol <p>', 'tcp, udp, icmp, icmpv6 or a protocol number 0-255', 'tcp')
    .option('--port <n>', 'destination port (tcp/udp; default 443 for tcp, 53 for udp)')
    .option('--source-port <n>', 'source port (default 49152)')
    .option('--icmp-type <t>', 'ICMP type (default echo request)')
    .option('--icmp-code <c>', 'ICMP code (default 0)')
    .option('--source-ip <ip>', 'source address (a secondary IP, or the internet client)')
    .option('--ipv6', 'use the IPv6 addresses of the interfaces named')
    .option('--overlay <file>', 'service overlay YAML/JSON: application hops AWS cannot see (docs/overlays.md)')
    .option('--on-prem <file>', 'YAML/JSON declaring on-premises networks and the VPN, Direct Connect gateway or attachment they use')
    .option('--json', 'JSON output (docs/trace-json.md)')
    .action((opts: Record<string, string | boolean | undefined>) => {
      const req: TraceRequest = {
        from: String(opts.from),
        to: String(opts.to),
        protocol: opts.protocol as string,
        port: intOption('--port', opts.port as string | undefined),
        sourcePort: intOption('--source-port', opts.sourcePort as string | undefined),
        icmpType: intOption('--icmp-type', opts.icmpType as string | undefined),
        icmpCode: intOption('--icmp-code', opts.icmpCode as string | undefined),
        sourceIp: opts.sourceIp as string | undefined,
        ipv6: opts.ipv6 === true,
        ...(opts.overlay ? { overlay: readInputFile(loadOverlay, String(opts.overlay)) } : {}),
        ...(opts.onPrem ? { onPremises: readInputFile(loadOnPremises, String(opts.onPrem)) } : {}),
      };
      const model = loadForCommand(opts.snapshot as string | undefined);
      let result: TraceResult;
      try {
        result = trace(model, req);
      } catch (e) {
        if (e instanceof TraceRequestError) throw new UsageError(`${e.code}: ${e.message}`);
        throw e;
      }
      process.stdout.write(`${opts.json ? renderJson(result) : renderTraceText(result)}\n`);
      process.exitCode = result.reachable ? 0 : 1;
    });
}

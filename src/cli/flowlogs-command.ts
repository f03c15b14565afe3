import type { Command } from 'commander';
import { closeSync, openSync, readSync } from 'node:fs';
import { explainFlowLogRecords, type FlowExplanation } from '../analyses/flow-logs/explain.js';
import { expandFlowLogInputs } from '../analyses/flow-logs/files.js';
import { scanAndExplain } from '../analyses/flow-logs/scan.js';
import type { NetworkModel } from '../model/network.js';
import { flowLogRecordsForTrace, formatFlowLogRecord } from '../analyses/flow-logs/generate.js';
import { readFlowLogFile, type FlowLogRecord, type ReadProblem } from '../analyses/flow-logs/reader.js';
import { parseFormat } from '../analyses/flow-logs/fields.js';
import { queryFlowLogRecords } from '../analyses/flow-logs/query.js';
import { trace, TraceRequestError } from '../analyses/trace.js';
import { renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

function checkFormat(format: string | undefined): string | undefined {
  if (format !== undefined && !parseFormat(format)) throw new UsageError(`--format: "${format}" is not a list of \${field} names`);
  return format;
}

/** Files and S3-layout folders, expanded; a missing path is a usage error naming it. */
function inputs(paths: readonly string[]): string[] {
  try {
    return expandFlowLogInputs(paths);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${err.path ?? paths.join(' ')}: cannot read (${err.code ?? err.message})`);
  }
}

async function readAll(paths: readonly string[], format: string | undefined, fields?: Set<string>): Promise<{ records: FlowLogRecord[]; problems: ReadProblem[]; unknown: string[] }> {
  const files = inputs(paths);
  const records: FlowLogRecord[] = [];
  const problems: ReadProblem[] = [];
  const unknown = new Set<string>();
  for (const f of files) {
    let r;
    try {
      r = await readFlowLogFile(f, format);
    } catch (e) {
      throw new UsageError(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const rec of r.records) records.push(rec);
    if (files.length > 1 && records.length > 1_000_000) process.stderr.write(`vpctwin: ${files.indexOf(f) + 1}/${files.length} files, ${records.length} records\n`);
    for (const f of r.fields) fields?.add(f);
    problems.push(...r.problems);
    for (const u of r.unknownFields) unknown.add(u);
  }
  for (const p of problems.slice(0, 50)) process.stderr.write(`vpctwin: ${p.file} line ${p.line}: ${p.message}\n`);
  if (problems.length > 50) process.stderr.write(`vpctwin: … ${problems.length - 50} more malformed lines\n`);
  if (unknown.size) process.stderr.write(`vpctwin: unknown fields read as text: ${[...unknown].join(', ')}\n`);
  return { records, problems, unknown: [...unknown] };
}

/**
 * Text files (plain or gzip) are scanned and grouped by DuckDB, then each distinct flow is explained once;
 * CloudWatch JSON exports go through the line reader. Returns undefined when a file needs the line reader.
 */
async function scanFiles(model: NetworkModel, paths: readonly string[], format: string | undefined): Promise<FlowExplanation[] | undefined> {
  const files = inputs(paths);
  const out: FlowExplanation[] = [];
  let total = 0;
  for (const f of files) {
    let head = '';
    try {
      const fd = openSync(f, 'r');
      const buf = Buffer.alloc(1);
      readSync(fd, buf, 0, 1, 0);
      closeSync(fd);
      head = buf.toString();
    } catch (e) {
      throw new UsageError(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (head === '{' && !f.endsWith('.gz')) return undefined;
    try {
      const r = await scanAndExplain(model, f, format);
      for (const p of r.problems.slice(0, 50)) process.stderr.write(`vpctwin: ${p.file} line ${p.line}: ${p.message}\n`);
      total += r.records;
      // Progress for long scans: one line per file once the run is large.
      if (files.length > 1 && total > 1_000_000) process.stderr.write(`vpctwin: ${files.indexOf(f) + 1}/${files.length} files, ${total} records\n`);
      out.push(...r.flows);
    } catch {
      return undefined;
    }
  }
  // Merge groups that several files share.
  const merged = new Map<string, FlowExplanation>();
  for (const f of out) {
    const prev = merged.get(f.key);
    merged.set(f.key, prev ? { ...prev, count: prev.count + f.count } : f);
  }
  return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function registerFlowLogs(program: Command): void {
  const fl = program.command('flowlogs').description('read, explain and write VPC Flow Logs');

  fl.command('read')
    .description('parse flow log files (default or custom format, S3 header, gzip, CloudWatch export) and report malformed lines')
    .argument('<files...>', 'flow log files')
    .option('--format <format>', "override the format: '${version} ${account-id} …'")
    .option('--json', 'JSON output (records and problems)')
    .action(async (files: string[], opts: { format?: string; json?: boolean }) => {
      const { records, problems } = await readAll(files, checkFormat(opts.format));
      if (opts.json) process.stdout.write(`${renderJson({ records, problems })}\n`);
      else process.stdout.write(`${records.length} records, ${problems.length} malformed lines\n`);
    });

  fl.command('query')
    .description("query records with SQL (DuckDB); table flow_logs, columns named like AWS's Athena tables")
    .argument('<files...>', 'flow log files')
    .option('--format <format>', 'override the format')
    .option('--where <condition>', "SQL condition, e.g. \"action = 'REJECT'\"")
    .option('--group-by <fields>', 'comma-separated fields, e.g. srcaddr,dstport')
    .option('--top <n>', 'keep the N largest groups')
    .option('--sql <query>', 'a full query over flow_logs (overrides --where/--group-by/--top)')
    .option('--json', 'JSON output')
    .action(async (files: string[], opts: { format?: string; where?: string; groupBy?: string; top?: string; sql?: string; json?: boolean }) => {
      const format = checkFormat(opts.format);
      const fields = new Set<string>();
      const { records } = await readAll(files, format, fields);
      if (opts.top !== undefined && !/^\d+$/.test(opts.top)) throw new UsageError(`--top: "${opts.top}" is not a whole number`);
      let rows;
      try {
        rows = await queryFlowLogRecords([...fields], records, {
          ...(opts.sql ? { sql: opts.sql } : {}),
          ...(opts.where ? { where: opts.where } : {}),
          ...(opts.groupBy ? { groupBy: opts.groupBy.split(',').map((g) => g.trim()) } : {}),
          ...(opts.top ? { top: Number(opts.top) } : {}),
        });
      } catch (e) {
        throw new UsageError(`query failed: ${(e as Error).message.split('\n')[0]}`);
      }
      if (opts.json) process.stdout.write(`${renderJson(rows)}\n`);
      else {
        const headers = rows[0] ? Object.keys(rows[0]) : ['records'];
        process.stdout.write(`${renderTable(headers, rows.map((r) => headers.map((h) => String(r[h] ?? ''))))}\n`);
      }
    });

  fl.command('explain')
    .description('explain each distinct flow of the records by the rule that admitted or dropped it')
    .argument('<files...>', 'flow log files')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--format <format>', 'override the format')
    .option('--only-rejects', 'only REJECT records')
    .option('--json', 'JSON output, one object per distinct flow with counts')
    .action(async (files: string[], opts: { snapshot?: string; format?: string; onlyRejects?: boolean; json?: boolean }) => {
      const model = loadForCommand(opts.snapshot);
      const format = checkFormat(opts.format);
      let flows = await scanFiles(model, files, format);
      if (!flows) {
        const { records } = await readAll(files, format);
        flows = explainFlowLogRecords(model, records);
      }
      if (opts.onlyRejects) flows = flows.filter((f) => f.action === 'REJECT');
      if (opts.json) {
        process.stdout.write(`${renderJson(flows)}\n`);
      } else {
        const rows = flows.map((f) => [f.interfaceId, f.direction, `${f.srcaddr}${f.srcport !== undefined ? `:${f.srcport}` : ''}`, `${f.dstaddr}${f.dstport !== undefined ? `:${f.dstport}` : ''}`, String(f.protocol), f.action, String(f.count), f.verdict, f.reason]);
        process.stdout.write(`${renderTable(['interface', 'direction', 'source', 'destination', 'proto', 'action', 'count', 'verdict', 'why'], rows)}\n`);
      }
      if (flows.some((f) => f.verdict === 'drift')) process.exitCode = 1;
    });

  fl.command('generate')
    .description('write the flow log records AWS would write for a traced flow, on every interface it crosses')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .requiredOption('--from <src>', 'source (as for trace)')
    .requiredOption('--to <dst>', 'destination (as for trace)')
    .option('--protocol <p>', 'tcp, udp, icmp, icmpv6 or a number', 'tcp')
    .option('--port <n>', 'destination port')
    .option('--format <format>', "'${field} …' (default: the interface's flow log format, else version 2)")
    .option('--header', 'print the S3-style header line first')
    .action((opts: { snapshot?: string; from: string; to: string; protocol: string; port?: string; format?: string; header?: boolean }) => {
      const model = loadForCommand(opts.snapshot);
      const format = checkFormat(opts.format);
      let result;
      try {
        result = trace(model, { from: opts.from, to: opts.to, protocol: opts.protocol, ...(opts.port ? { port: Number(opts.port) } : {}) });
      } catch (e) {
        if (e instanceof TraceRequestError) throw new UsageError(`${e.code}: ${e.message}`);
        throw e;
      }
      const out = flowLogRecordsForTrace(model, result, format ? { format } : {});
      const lines = out.records.map((r) => formatFlowLogRecord(out.format, r));
      if (opts.header) lines.unshift((parseFormat(out.format) ?? []).join(' '));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

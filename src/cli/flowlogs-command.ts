/**
 * `vpctwin flowlogs read | query | explain | generate`: VPC Flow Logs against the snapshot (docs/flow-logs.md).
 * Inputs are files or folders in the S3 / Hive / CloudWatch export layouts; they are streamed, never
 * loaded whole. Malformed lines go to stderr with their line numbers and never stop a run.
 */
import type { Command } from 'commander';
import { type FlowExplanation, summarizeExplanations } from '../analyses/flow-logs/explain.js';
import { DEFAULT_FORMAT, isHeaderLine, parseFormat } from '../analyses/flow-logs/fields.js';
import { expandFlowLogInputs } from '../analyses/flow-logs/files.js';
import { flowLogRecordsForTrace, type GeneratedRecord } from '../analyses/flow-logs/generate.js';
import { FlowLogTable, buildQuery } from '../analyses/flow-logs/query.js';
import { defaultsFromPath, streamFlowLogFile, type InputSummary, type ReadProblem } from '../analyses/flow-logs/reader.js';
import { scanAndExplain } from '../analyses/flow-logs/scan.js';
import { trace, TraceRequestError } from '../analyses/trace.js';
import { renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

const SHOWN_PROBLEMS = 20;

/** `${a} ${b}` fields, or a bare header-like list of mostly documented field names. */
function checkFormat(format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  const fields = parseFormat(format);
  if (!fields || (!format.includes('${') && !isHeaderLine(fields))) throw new UsageError(`--format: "${format}" is not a list of \${field} names`);
  return format;
}

function wholeNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name}: "${v}" is not a whole number`);
  return Number(v);
}

/** Files and folders expanded; a missing path is a usage error naming it. */
function inputs(paths: readonly string[]): string[] {
  let files: string[];
  try {
    files = expandFlowLogInputs(paths);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${err.path ?? paths.join(' ')}: cannot read (${err.code ?? err.message})`);
  }
  if (files.length === 0) throw new UsageError(`${paths.join(' ')}: no flow log files found`);
  return files;
}

/**
 * Progress on stderr for long runs: a line rewritten in place when stderr is a terminal, else a plain line
 * every `every` records (0 = none).
 */
function progress(every: number): {
  onProgress?: (n: number, file: string) => void;
  progressEvery?: number;
  onScanProgress?: (file: string, fraction: number) => void;
  progressMs?: number;
  done: () => void;
} {
  if (every <= 0) return { done: () => {} };
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    progressEvery: tty ? Math.min(every, 100_000) : every,
    onProgress: (n, file) => {
      if (tty) {
        process.stderr.write(`\rvpctwin: ${n.toLocaleString('en-US')} records (${file})\x1b[K`);
        shown = true;
      } else process.stderr.write(`vpctwin: ${n} records read (${file})\n`);
    },
    // Large files scanned by DuckDB: how far the scan is, every second on a terminal, every 10 s otherwise.
    progressMs: tty ? 1000 : 10_000,
    onScanProgress: (file, fraction) => {
      if (fraction >= 1 && !tty) return;
      if (tty) {
        process.stderr.write(`\rvpctwin: ${file}: ${Math.round(fraction * 100)}% scanned\x1b[K`);
        shown = true;
      } else process.stderr.write(`vpctwin: ${file}: ${Math.round(fraction * 100)}% scanned\n`);
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Collects problems: the first few are printed, all are counted. */
function problemSink(): { onProblem: (p: ReadProblem) => void; list: ReadProblem[]; report: () => void } {
  const list: ReadProblem[] = [];
  let errors = 0;
  let warnings = 0;
  return {
    list,
    onProblem: (p) => {
      if (p.severity === 'error') errors++;
      else warnings++;
      if (list.length < 1000) list.push(p);
      if (errors + warnings <= SHOWN_PROBLEMS) process.stderr.write(`vpctwin: ${p.file} line ${p.line}: ${p.message}\n`);
    },
    report: () => {
      const total = errors + warnings;
      if (total > SHOWN_PROBLEMS) process.stderr.write(`vpctwin: ${total - SHOWN_PROBLEMS} more problems not shown (${errors} malformed lines skipped in all)\n`);
    },
  };
}

function inputSummaryRows(list: readonly InputSummary[]): string[][] {
  return list.map((s) => [s.file, s.kind, String(s.records), String(s.malformed), s.truncated ? 'yes' : '', `${s.formatSource}: ${s.fields.length === 14 && s.fields.join(' ') === parseFormat(DEFAULT_FORMAT)?.join(' ') ? 'default (v2)' : s.fields.join(' ')}`]);
}

function endpoint(addr: string, protocol: number | undefined, port: number | undefined, range: { min: number; max: number } | undefined): string {
  if (port === undefined || (protocol !== 6 && protocol !== 17)) return addr;
  return range && range.min !== range.max ? `${addr}:${range.min}-${range.max}` : `${addr}:${port}`;
}

const VERDICT_ORDER = ['drift', 'not-logged-by-aws', 'unknown-interface', 'recorded-reason', 'no-action', 'explained', 'no-data'];

function sortForDisplay(flows: readonly FlowExplanation[]): FlowExplanation[] {
  return [...flows].sort(
    (a, b) =>
      VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
      (a.action === 'REJECT' ? 0 : 1) - (b.action === 'REJECT' ? 0 : 1) ||
      b.count - a.count ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function protocolText(p: number | undefined): string {
  return p === undefined ? '-' : p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : p === 58 ? 'icmpv6' : String(p);
}

export function registerFlowLogs(program: Command): void {
  const fl = program.command('flowlogs').description('read, query, explain and write VPC Flow Logs');

  fl.command('read')
    .description('parse flow logs (any format and version, S3 header, gzip, CloudWatch exports, Parquet, S3 folders) and report what was read')
    .argument('<files...>', 'flow log files or folders')
    .option('--format <format>', "override the format: '${version} ${account-id} …'")
    .option('--records', 'print every record as a JSON line')
    .option('--json', 'JSON summary (inputs and problems)')
    .option('--progress <n>', 'progress line every N records (0: none)', '1000000')
    .action(async (files: string[], opts: { format?: string; records?: boolean; json?: boolean; progress: string }) => {
      const format = checkFormat(opts.format);
      const sink = problemSink();
      const prog = progress(wholeNumber('--progress', opts.progress) ?? 0);
      const summaries: InputSummary[] = [];
      for (const f of inputs(files)) {
        summaries.push(
          await streamFlowLogFile(f, {
            ...(format !== undefined ? { format } : {}),
            defaults: defaultsFromPath(f),
            onRecord: (v) => {
              if (opts.records) process.stdout.write(`${JSON.stringify(v.toRecord())}\n`);
            },
            onProblem: sink.onProblem,
            ...(prog.onProgress ? { onProgress: prog.onProgress, progressEvery: prog.progressEvery } : {}),
          }),
        );
      }
      prog.done();
      sink.report();
      if (opts.records) return;
      if (opts.json) process.stdout.write(`${renderJson({ inputs: summaries, problems: sink.list })}\n`);
      else {
        const records = summaries.reduce((n, s) => n + s.records, 0);
        const malformed = summaries.reduce((n, s) => n + s.malformed, 0);
        process.stdout.write(`${renderTable(['file', 'kind', 'records', 'malformed', 'truncated', 'format'], inputSummaryRows(summaries))}\n`);
        process.stdout.write(`${records} records, ${malformed} malformed lines\n`);
      }
    });

  fl.command('query')
    .description('SQL over the records with DuckDB: table flow_logs, columns named as in AWS\'s Athena table (interface_id, srcaddr, dstport, log_status, "end" …)')
    .argument('<files...>', 'flow log files or folders')
    .option('--format <format>', 'override the format')
    .option('--where <condition>', "SQL condition, e.g. \"action = 'REJECT' AND dstport = 22\"")
    .option('--group-by <fields>', 'comma-separated fields, e.g. srcaddr,dstport')
    .option('--top <n>', 'keep the N largest groups')
    .option('--sql <query>', 'a full query over flow_logs (overrides --where/--group-by/--top)')
    .option('--show-sql', 'print the SQL on stderr')
    .option('--json', 'JSON output')
    .option('--progress <n>', 'progress line every N records (0: none)', '1000000')
    .action(async (files: string[], opts: { format?: string; where?: string; groupBy?: string; top?: string; sql?: string; showSql?: boolean; json?: boolean; progress: string }) => {
      const format = checkFormat(opts.format);
      const top = wholeNumber('--top', opts.top);
      const sql = buildQuery({
        ...(opts.sql ? { sql: opts.sql } : {}),
        ...(opts.where ? { where: opts.where } : {}),
        ...(opts.groupBy ? { groupBy: opts.groupBy.split(',').map((g) => g.trim()).filter(Boolean) } : {}),
        ...(top ? { top } : {}),
      });
      const sink = problemSink();
      const prog = progress(wholeNumber('--progress', opts.progress) ?? 0);
      const table = await FlowLogTable.load(inputs(files), {
        ...(format !== undefined ? { format } : {}),
        onProblem: sink.onProblem,
        ...(prog.onProgress ? { onProgress: prog.onProgress, progressEvery: prog.progressEvery } : {}),
      });
      prog.done();
      sink.report();
      let rows;
      try {
        if (opts.showSql) process.stderr.write(`vpctwin: ${sql}\n`);
        rows = await table.query(sql);
      } catch (e) {
        throw new UsageError(`query failed: ${(e as Error).message.split('\n')[0]} (columns: ${table.columns.join(', ')})`);
      } finally {
        table.close();
      }
      if (opts.json) process.stdout.write(`${renderJson(rows)}\n`);
      else {
        const headers = rows[0] ? Object.keys(rows[0]) : ['(no rows)'];
        process.stdout.write(`${renderTable(headers, rows.map((r) => headers.map((h) => (r[h] === null || r[h] === undefined ? '-' : String(r[h])))))}\n`);
      }
    });

  fl.command('explain')
    .description('explain each distinct flow by the security-group rule or NACL entry that produced its action; flag drift and traffic AWS never logs')
    .argument('<files...>', 'flow log files or folders')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--format <format>', 'override the format')
    .option('--only-rejects', 'only REJECT records')
    .option('--top <n>', 'show the first N flows of the table (drift and REJECTs first)')
    .option('--json', 'JSON: summary and one object per distinct flow with counts')
    .option('--check-every-value', 'read every record with the streaming reader, which checks every value as text (slower); by default DuckDB parses the numbers past the first 64 KB of each file')
    .option('--progress <n>', 'progress line every N records (0: none)', '1000000')
    .action(async (files: string[], opts: { snapshot?: string; format?: string; onlyRejects?: boolean; top?: string; json?: boolean; checkEveryValue?: boolean; progress: string }) => {
      const model = loadForCommand(opts.snapshot);
      const format = checkFormat(opts.format);
      const top = wholeNumber('--top', opts.top);
      const paths = inputs(files);
      const sink = problemSink();
      const prog = progress(wholeNumber('--progress', opts.progress) ?? 0);
      const result = await scanAndExplain(model, paths, {
        ...(format !== undefined ? { format } : {}),
        ...(prog.onProgress ? { onProgress: prog.onProgress, progressEvery: prog.progressEvery } : {}),
        ...(prog.onScanProgress ? { onScanProgress: prog.onScanProgress, progressMs: prog.progressMs } : {}),
        onProblem: sink.onProblem,
        ...(opts.checkEveryValue ? { engine: 'stream' as const } : {}),
      }).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`${e.path ?? ''}: cannot read (${e.code ?? e.message})`);
      });
      prog.done();
      sink.report();
      let flows = result.flows;
      if (opts.onlyRejects) flows = flows.filter((f) => f.action === 'REJECT');
      const summary = summarizeExplanations(flows);
      if (opts.json) {
        process.stdout.write(`${renderJson({ records: result.records, malformed: result.malformed, problems: result.problemCount, summary, flows })}\n`);
      } else {
        const shown = sortForDisplay(flows).slice(0, top ?? Infinity);
        const rows = shown.map((f) => [
          f.interfaceId,
          f.direction === 'unknown' ? '?' : f.direction === 'ingress' ? 'in' : 'out',
          endpoint(f.pktSrcaddr ?? f.srcaddr, f.protocol, f.srcport, f.srcPorts),
          endpoint(f.pktDstaddr ?? f.dstaddr, f.protocol, f.dstport, f.dstPorts),
          protocolText(f.protocol),
          f.action ?? f.logStatus,
          String(f.count),
          f.verdict,
          f.reason,
        ]);
        process.stdout.write(`${renderTable(['interface', 'dir', 'source', 'destination', 'proto', 'action', 'records', 'verdict', 'why'], rows)}\n`);
        const parts = Object.entries(summary).map(([v, s]) => `${v} ${s.flows} (${s.records} records)`);
        process.stdout.write(`\n${result.records} records, ${flows.length} distinct flows: ${parts.join(', ') || 'none'}${result.malformed ? `; ${result.malformed} malformed lines skipped` : ''}${top !== undefined && flows.length > top ? `; first ${top} shown` : ''}\n`);
      }
      if (flows.some((f) => f.verdict === 'drift' || f.verdict === 'not-logged-by-aws')) process.exitCode = 1;
    });

  fl.command('generate')
    .description('write the records AWS would write for a traced flow, on every network interface it crosses, in both directions')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .requiredOption('--from <src>', 'source (as for trace)')
    .requiredOption('--to <dst>', 'destination (as for trace)')
    .option('--protocol <p>', 'tcp, udp, icmp, icmpv6 or a number', 'tcp')
    .option('--port <n>', 'destination port')
    .option('--source-port <n>', 'source port')
    .option('--format <format>', "'${field} …' for every record (default: each interface's flow log format, else version 2)")
    .option('--start <seconds>', 'Unix time of the records (default 1700000000)')
    .option('--header', 'print the S3 header line before the records')
    .option('--json', 'JSON: the records with their flow log, interface, direction and leg')
    .action((opts: { snapshot?: string; from: string; to: string; protocol: string; port?: string; sourcePort?: string; format?: string; start?: string; header?: boolean; json?: boolean }) => {
      const model = loadForCommand(opts.snapshot);
      const format = checkFormat(opts.format);
      const port = wholeNumber('--port', opts.port);
      const sourcePort = wholeNumber('--source-port', opts.sourcePort);
      const start = wholeNumber('--start', opts.start);
      let result;
      try {
        result = trace(model, { from: opts.from, to: opts.to, protocol: opts.protocol, ...(port !== undefined ? { port } : {}), ...(sourcePort !== undefined ? { sourcePort } : {}) });
      } catch (e) {
        if (e instanceof TraceRequestError) throw new UsageError(`${e.code}: ${e.message}`);
        throw e;
      }
      const out = flowLogRecordsForTrace(model, result, { ...(format !== undefined ? { format } : {}), ...(start !== undefined ? { start } : {}) });
      for (const n of out.notes) process.stderr.write(`vpctwin: ${n}\n`);
      if (opts.json) {
        process.stdout.write(`${renderJson(out)}\n`);
        return;
      }
      // Records of different formats cannot share a stream without headers: each group gets its header.
      const groups = new Map<string, GeneratedRecord[]>();
      for (const r of out.records) {
        const k = `${r.flowLogId ?? ''}\n${r.format}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const formats = new Set(out.records.map((r) => r.format));
      const headers = opts.header || formats.size > 1;
      if (formats.size > 1) process.stderr.write(`vpctwin: the interfaces' flow logs use ${formats.size} formats: each group of records starts with its header line\n`);
      const lines: string[] = [];
      for (const list of groups.values()) {
        const first = list[0] as GeneratedRecord;
        if (headers) lines.push((parseFormat(first.format) ?? []).join(' '));
        for (const r of list) lines.push(r.line);
      }
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    });
}

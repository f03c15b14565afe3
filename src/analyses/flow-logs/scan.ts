/**
 * Read + explain over files and folders. Two engines give the same flows:
 *
 * - DuckDB (large plain-text or gzip files in one format): DuckDB scans the text, validates every value by
 *   field type and groups the records by everything a verdict depends on: the key fields, the class of each
 *   port between the port-range boundaries of every rule in the snapshot (a refinement of each interface's own
 *   classes, so a group never straddles a verdict), and the request/reply hint. vpctwin explains each group
 *   once (`FlowLogExplainer.addAggregate`). A file DuckDB cannot read cleanly (a rejected or invalid line, a
 *   header in mid-file, truncated gzip, CloudWatch or JSON shapes) is re-read by the streaming engine, which
 *   reports every problem with its line number: nothing is dropped silently.
 * - Streaming: every record through the reader into the explainer's distinct-flow cache, so memory holds the
 *   distinct flows, never the records.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { NetworkModel } from '../../model/network.js';
import { FlowLogExplainer, type FlowExplanation } from './explain.js';
import { DEFAULT_FIELDS, FIELD_BY_NAME, isHeaderLine, parseFormat, type FieldSpec } from './fields.js';
import { expandFlowLogInputs } from './files.js';
import { defaultsFromPath, fieldValueProblem, streamFlowLogFile, type InputSummary, type ReadProblem, type RecordDefaults } from './reader.js';

export interface ScanOptions {
  /** `${field} …`: overrides every input's header. */
  readonly format?: string;
  /** Progress: called every `progressEvery` records (default 1,000,000) with the running total. */
  readonly onProgress?: (records: number, file: string) => void;
  readonly progressEvery?: number;
  /** Problems kept in the result (default 1000); `problemCount` counts them all. */
  readonly maxProblems?: number;
  /** Every problem as it is met (malformed lines with their line numbers, truncated gzip, …). */
  readonly onProblem?: (problem: ReadProblem) => void;
  /** `auto` (default): DuckDB where the file allows it, streaming otherwise; `stream`: streaming only. */
  readonly engine?: 'auto' | 'stream';
  /** DuckDB engine: how far the scan of a file is (0–1), about every `progressMs` (default 1000) and at its end. */
  readonly onScanProgress?: (file: string, fraction: number) => void;
  readonly progressMs?: number;
}

export interface ScanResult {
  readonly flows: FlowExplanation[];
  /** Records read (NODATA/SKIPDATA included). */
  readonly records: number;
  readonly problems: ReadProblem[];
  readonly problemCount: number;
  /** Malformed lines (skipped), over all inputs. */
  readonly malformed: number;
  readonly inputs: readonly InputSummary[];
}

/** Streams `paths` (files or folders) through the reader and the explainer; one explanation per distinct flow. */
export async function scanAndExplain(model: NetworkModel, paths: string | readonly string[], options: string | ScanOptions = {}): Promise<ScanResult> {
  const o: ScanOptions = typeof options === 'string' ? { format: options } : options;
  const files = expandFlowLogInputs(typeof paths === 'string' ? [paths] : paths);
  const explainer = new FlowLogExplainer(model);
  const problems: ReadProblem[] = [];
  const max = o.maxProblems ?? 1000;
  let problemCount = 0;
  let done = 0;
  const inputs: InputSummary[] = [];
  let duck: DuckScan | undefined;
  try {
    for (const file of files) {
      const defaults = defaultsFromPath(file);
      if (o.engine !== 'stream') {
        duck ??= await DuckScan.open(model);
        const s = await duck.scan(file, o.format, defaults, explainer, o.onScanProgress ? { onScanProgress: o.onScanProgress, everyMs: o.progressMs ?? 1000 } : undefined);
        if (s) {
          done += s.records;
          inputs.push(s);
          o.onProgress?.(done, file);
          continue;
        }
      }
      const s = await streamFlowLogFile(file, {
        ...(o.format !== undefined ? { format: o.format } : {}),
        defaults,
        onRecord: (v) => explainer.add(v),
        onProblem: (p) => {
          problemCount++;
          o.onProblem?.(p);
          if (problems.length < max) problems.push(p);
        },
        ...(o.onProgress ? { onProgress: (n: number, f: string) => o.onProgress?.(done + n, f) } : {}),
        ...(o.progressEvery ? { progressEvery: o.progressEvery } : {}),
      });
      done += s.records;
      inputs.push(s);
    }
  } finally {
    duck?.close();
  }
  return { flows: explainer.results(), records: done, problems, problemCount, malformed: inputs.reduce((n, s) => n + s.malformed, 0), inputs };
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** The first line of a file (plain or gzip), or undefined when it cannot be read. */
function firstLine(file: string): { line: string; gzip: boolean } | undefined {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    let text: string;
    if (gzip) {
      try {
        text = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a prefix of the stream */ }).toString('utf8');
      } catch {
        return undefined;
      }
    } else text = head.toString('utf8');
    const nl = text.indexOf('\n');
    return { line: (nl === -1 ? text : text.slice(0, nl)).replace(/\r$/, ''), gzip };
  } finally {
    closeSync(fd);
  }
}

/**
 * SQL over the row `r` (raw text columns plus `v_<i>` = each numeric field cast once): true when the row holds
 * a value the reader would reject, in the fields that are not grouped (grouped key fields are checked once
 * per group in JS). One character-class scan covers every numeric field at once; a false alarm only sends the
 * file to the streaming engine, which reports each line.
 */
function invalidSql(fields: readonly string[], grouped: ReadonlySet<string>, v: (f: string) => string): string {
  const checks: string[] = [];
  const numeric = fields.filter((f) => !grouped.has(f) && isNumeric(f));
  if (numeric.length) checks.push(`regexp_matches(concat(${numeric.map(ident).join(', ')}), '[^0-9-]')`);
  for (const f of numeric) {
    const spec = FIELD_BY_NAME.get(f) as FieldSpec;
    checks.push(`(${v(f)} IS NULL AND ${ident(f)} <> '-')`);
    if (spec.max !== undefined) checks.push(`length(${ident(f)}) > 6 OR ${v(f)} > ${spec.max}`);
  }
  for (const f of fields) {
    const spec = FIELD_BY_NAME.get(f);
    if (grouped.has(f) || !spec) continue;
    if (spec.kind === 'enum') checks.push(`${ident(f)} NOT IN ('-', ${(spec.values ?? []).map(sqlString).join(', ')})`);
    if (spec.kind === 'ip') checks.push(`NOT (${ident(f)} = '-' OR (regexp_full_match(${ident(f)}, '[0-9a-fA-F.:]{2,45}') AND regexp_matches(${ident(f)}, '[.:]')))`);
  }
  return checks.length ? checks.map((c) => `(${c})`).join(' OR ') : 'false';
}

const isNumeric = (f: string): boolean => FIELD_BY_NAME.get(f)?.kind === 'int' || FIELD_BY_NAME.get(f)?.kind === 'bigint';

/** SQL: the port class of `x` (the greatest boundary <= x), as a balanced tree of comparisons. */
function classSql(x: string, bounds: readonly number[], lo = 0, hi = bounds.length): string {
  if (hi - lo <= 1) return String(bounds[lo] ?? 0);
  const mid = (lo + hi) >> 1;
  return `CASE WHEN ${x} < ${bounds[mid]} THEN ${classSql(x, bounds, lo, mid)} ELSE ${classSql(x, bounds, mid, hi)} END`;
}

/** Key fields a verdict depends on (besides ports and the role hint), as the explainer reads them. */
const KEY_FIELDS = ['interface-id', 'srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr', 'protocol', 'action', 'reject-reason', 'flow-direction', 'log-status'] as const;

class DuckScan {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(model: NetworkModel): Promise<DuckScan> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    // Port classes: every port-range boundary of every security-group rule and NACL entry in the snapshot,
    // plus the explainer's own (DHCP 67/69, 1024). Each interface's classes are unions of these.
    const bounds = new Set<number>([0, 67, 69, 1024]);
    const add = (from: number | undefined, to: number | undefined): void => {
      if (from === undefined || to === undefined || from < 0) return;
      bounds.add(from);
      bounds.add(to + 1);
    };
    for (const acl of model.networkAcls.values()) for (const e of [...acl.inbound, ...acl.outbound]) if (e.portRange) add(e.portRange.from, e.portRange.to);
    for (const g of model.securityGroups.values()) for (const r of [...g.ingress, ...g.egress]) if (r.protocol === 6 || r.protocol === 17) add(r.fromPort, r.toPort);
    const values = [...bounds].filter((b) => b <= 65536).sort((a, b) => a - b);
    await conn.run(`CREATE TEMP MACRO port_class(x) AS ${classSql('x', values)}`);
    // Query progress is measured only with the progress bar on; it is never printed by DuckDB itself.
    await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    return new DuckScan(instance, conn);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /**
   * Scans one file with DuckDB, adding its groups to `explainer`; undefined (nothing added) when the file is
   * not plain space-separated records in one format, or holds any line the streaming reader would report.
   */
  async scan(
    file: string,
    format: string | undefined,
    defaults: RecordDefaults,
    explainer: FlowLogExplainer,
    progress?: { readonly onScanProgress: (file: string, fraction: number) => void; readonly everyMs: number },
  ): Promise<InputSummary | undefined> {
    if (file.endsWith('.parquet')) return undefined;
    const head = firstLine(file);
    if (!head) return undefined;
    const words = head.line.trim().split(/\s+/);
    if (head.line.startsWith('{') || head.line.startsWith('[') || /^\d{4}-\d\d-\d\dT/.test(head.line)) return undefined;
    const header = isHeaderLine(words);
    const given = format !== undefined ? parseFormat(format) : undefined;
    if (format !== undefined && (!given || (header && words.join(' ') !== given.join(' ')))) return undefined;
    const fields = given ?? (header ? words : [...DEFAULT_FIELDS]);
    // Unknown fields, duplicate names and a format without the interface are the streaming reader's to report.
    if (fields.some((f) => !FIELD_BY_NAME.has(f)) || new Set(fields).size !== fields.length) return undefined;
    if (!fields.includes('interface-id') && !defaults['interface-id']) return undefined;
    const has = (f: string): boolean => fields.includes(f);
    const columns = `{${fields.map((f) => `${sqlString(f)}: 'VARCHAR'`).join(', ')}}`;
    const source = `read_csv(${sqlString(file)}, delim=' ', header=${header ? 'true' : 'false'}, columns=${columns}, quote='', escape='', comment='', auto_detect=false, strict_mode=true, null_padding=false, compression=${head.gzip ? "'gzip'" : "'none'"}, ignore_errors=false)`;
    const grouped = new Set<string>(KEY_FIELDS.filter(has));
    const key = KEY_FIELDS.filter(has);
    // Each numeric field is cast once (`v_<i>`), then read by the checks, the classes and the aggregates.
    const v = (f: string): string => `v_${fields.indexOf(f)}`;
    const numCol = (f: string): string => (has(f) ? v(f) : 'NULL');
    const ms = (x: string): string => `CASE WHEN ${x} > 100000000000 THEN ${x} // 1000 ELSE ${x} END`;
    const sql = `
      WITH r AS (
        SELECT *, ${fields.filter(isNumeric).map((f) => `TRY_CAST(NULLIF(${ident(f)}, '-') AS UBIGINT) AS ${v(f)}`).join(', ') || 'NULL AS v_none'}
        FROM ${source}
      ), t AS (
        SELECT ${key.map(ident).join(', ')}, ${numCol('srcport')} AS sport, ${numCol('dstport')} AS dport, ${numCol('tcp-flags')} AS flags, ${numCol('protocol')} AS proto,
          ${numCol('packets')} AS packets, ${numCol('bytes')} AS bytes, ${ms(numCol('start'))} AS st, ${ms(numCol('end'))} AS en,
          ${invalidSql(fields, grouped, v)} AS bad
        FROM r
      )
      SELECT ${key.map(ident).join(', ')}, port_class(sport) AS scls, port_class(dport) AS dcls,
        CASE WHEN proto = 6 AND flags IS NOT NULL AND (flags & 18) = 18 THEN 1
             WHEN proto = 6 AND flags IS NOT NULL AND (flags & 2) <> 0 THEN 0
             WHEN sport IS NULL OR dport IS NULL THEN 2
             WHEN (sport < 1024) <> (dport < 1024) THEN CASE WHEN sport < 1024 THEN 1 ELSE 0 END
             WHEN sport < dport THEN 3 ELSE 2 END AS hint,
        bool_or(bad) AS bad, count(*) AS n, coalesce(sum(packets), 0) AS packets, coalesce(sum(bytes), 0) AS bytes,
        min(st) AS st, max(en) AS en, min(sport) AS smin, max(sport) AS smax, min(dport) AS dmin, max(dport) AS dmax,
        arg_min(struct_pack(sport := sport, dport := dport, flags := flags, packets := packets, bytes := bytes, st := st, en := en), coalesce(st, 0)) AS rep
      FROM t
      GROUP BY ALL`;
    let rows: Record<string, unknown>[];
    try {
      const t0 = performance.now();
      // While DuckDB works on its own threads, report how far the scan is.
      const timer = progress
        ? setInterval(() => {
            const p = this.conn.progress.percentage;
            if (p >= 0) progress.onScanProgress(file, Math.min(1, p / 100));
          }, progress.everyMs)
        : undefined;
      try {
        rows = (await this.conn.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
      } finally {
        if (timer) clearInterval(timer);
      }
      if (process.env.VPCTWIN_DEBUG) process.stderr.write(`duckdb ${Math.round(performance.now() - t0)} ms ${rows.length} groups\n${sql}\n`);
    } catch (e) {
      if (process.env.VPCTWIN_DEBUG) process.stderr.write(`duckdb scan of ${file}: ${(e as Error).message}\n`);
      return undefined; // rejected lines, a header in mid-file, truncated gzip: the streaming reader says which
    }
    if (rows.some((r) => r.bad === true)) return undefined;
    progress?.onScanProgress(file, 1);
    // The grouped fields, checked once per group as the reader checks every value.
    for (const row of rows)
      for (const f of grouped) {
        const v = row[f];
        const spec = FIELD_BY_NAME.get(f);
        if (v === null || v === undefined || (spec && fieldValueProblem(spec, String(v)) !== undefined)) return undefined;
      }
    let records = 0;
    const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '-' ? undefined : String(v));
    const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
    for (const row of rows) {
      const rep = ((row.rep as { entries?: Record<string, unknown> } | null)?.entries ?? {}) as Record<string, unknown>;
      const r: Record<string, string | undefined> = {};
      for (const f of KEY_FIELDS) if (has(f)) r[f] = text(row[f]);
      if (!has('interface-id')) r['interface-id'] = defaults['interface-id'];
      for (const [f, k] of [['srcport', 'sport'], ['dstport', 'dport'], ['tcp-flags', 'flags'], ['packets', 'packets'], ['bytes', 'bytes'], ['start', 'st'], ['end', 'en']] as const) {
        if (has(f)) r[f] = text(rep[k]);
      }
      const n = Number(row.n);
      records += n;
      const smin = num(row.smin);
      const dmin = num(row.dmin);
      explainer.addAggregate(r, {
        count: n,
        packets: Number(row.packets),
        bytes: Number(row.bytes),
        ...(num(row.st) !== undefined ? { firstStart: num(row.st) as number } : {}),
        ...(num(row.en) !== undefined ? { lastEnd: num(row.en) as number } : {}),
        ...(smin !== undefined ? { srcPorts: { min: smin, max: num(row.smax) as number } } : {}),
        ...(dmin !== undefined ? { dstPorts: { min: dmin, max: num(row.dmax) as number } } : {}),
      });
    }
    return {
      file,
      kind: head.gzip ? 'gzip' : 'text',
      fields,
      formatSource: given ? 'option' : header ? 'header' : 'default',
      lines: records + (header ? 1 : 0),
      records,
      malformed: 0,
      truncated: false,
      unknownFields: [],
      engine: 'duckdb',
    };
  }
}

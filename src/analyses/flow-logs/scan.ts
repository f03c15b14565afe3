/**
 * Read + explain over files and folders. Two engines give the same flows:
 *
 * - DuckDB (large plain-text or gzip files in one format): DuckDB's CSV reader parses the numbers (typed
 *   columns: a value that is not an unsigned number of the field's size fails the scan) and groups the
 *   records by everything a verdict depends on: the key fields, the class of each port between the
 *   port-range boundaries of every rule in the snapshot (a refinement of each interface's own classes, so a
 *   group never straddles a verdict), and the request/reply hint. The key fields and enums are checked once
 *   per group as the reader checks them, and the file's first 64 KB go through the reader itself. vpctwin
 *   explains each group once (`FlowLogExplainer.addGroup`). A file DuckDB cannot read cleanly (a rejected
 *   line, a header in mid-file, truncated gzip, CloudWatch or JSON shapes) is re-read by the streaming
 *   engine, which reports every problem with its line number: nothing is dropped silently.
 *   One difference remains, by design: past the checked head, a number written in a notation AWS never
 *   writes but DuckDB reads (`+5`, `5.0`, `1e3`, `0x10`, `1_000`) is read as that number, where the streaming
 *   engine reports the line. Checking every value as text costs more than the whole scan (docs/flow-logs.md);
 *   `engine: 'stream'` (`flowlogs explain --check-every-value`) checks every value.
 * - Streaming: every record through the reader into the explainer's distinct-flow cache, so memory holds the
 *   distinct flows, never the records.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { NetworkModel } from '../../model/network.js';
import { FIXED_PORT_BOUNDARIES, FlowLogExplainer, groupPortBoundaries, naclPortBoundaries, sortedUnique, type FlowExplanation } from './explain.js';
import { DEFAULT_FIELDS, FIELD_BY_NAME, isHeaderLine, parseFormat, type FieldSpec } from './fields.js';
import { expandFlowLogInputs } from './files.js';
import { defaultsFromPath, fieldValueProblem, FlowLogLineParser, streamFlowLogFile, type InputSummary, type ReadProblem, type RecordDefaults } from './reader.js';

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
        duck ??= new DuckScan(model, !!o.onScanProgress);
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
    await duck?.close();
  }
  return { flows: explainer.results(), records: done, problems, problemCount, malformed: inputs.reduce((n, s) => n + s.malformed, 0), inputs };
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * Bytes of a file's head read by the DuckDB engine: the format is learnt from it and its lines are checked.
 * 64 KB is some 600 records, enough to see how a file is written; the check runs once per file, mostly
 * before the reader's code is optimised (measured 35-65 ms for 256 KB on the benchmark machine).
 */
const HEAD_BYTES = 64 * 1024;

/** The complete lines of a file's first `HEAD_BYTES` (plain or gzip) as one text, or undefined when it cannot be read. */
function readHead(file: string): { text: string; gzip: boolean } | undefined {
  // A pipe or FIFO (`<(…)` in a shell) can be opened and read once only, from the start: the streaming engine's.
  if (!statSync(file).isFile()) return undefined;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
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
    text = text.slice(0, HEAD_BYTES);
    // The last piece may be cut short (unless the whole file was read).
    if (n === HEAD_BYTES || gzip) text = text.slice(0, text.lastIndexOf('\n') + 1);
    return { text, gzip };
  } finally {
    closeSync(fd);
  }
}

/** True when the streaming reader reads `text` (a file's head, whole lines) without any problem. */
function headReadsCleanly(file: string, text: string, format: string | undefined, defaults: RecordDefaults): boolean {
  let clean = true;
  const parser = new FlowLogLineParser(file, {
    ...(format !== undefined ? { format } : {}),
    defaults,
    onRecord: () => undefined,
    onProblem: () => (clean = false),
  });
  // Fed as positions in the one text (as the streaming engine feeds its chunks), not as split lines.
  for (let s = 0; s < text.length && clean; ) {
    const nl = text.indexOf('\n', s);
    const e = nl < 0 ? text.length : nl;
    parser.feedLine(text, s, e);
    s = e + 1;
  }
  return clean && parser.kind === 'text';
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

/** Fields checked once per group rather than per record: the key fields, and enums that are not key fields. */
function groupedFields(fields: readonly string[]): string[] {
  return [...KEY_FIELDS.filter((f) => fields.includes(f)), ...fields.filter((f) => !(KEY_FIELDS as readonly string[]).includes(f) && FIELD_BY_NAME.get(f)?.kind === 'enum')];
}

/** Numeric fields the grouping query reads itself (ports, protocol, flags, counters, times). */
const READ_NUMBERS: ReadonlySet<string> = new Set(['srcport', 'dstport', 'protocol', 'tcp-flags', 'packets', 'bytes', 'start', 'end']);

/**
 * The other numeric fields (version, traffic-path, encryption-status) are grouped by: DuckDB parses a typed
 * column only when the query reads it, and each group's value is checked in JS against the field's bound
 * where the column type is wider (encryption-status 0-3). They take few values, so groups barely multiply.
 */
function otherNumbers(fields: readonly string[]): string[] {
  return fields.filter((f) => isNumeric(f) && !READ_NUMBERS.has(f));
}

/**
 * Narrower column types than the fields allow, for speed: a value beyond one fails the scan and the file goes
 * to the streaming engine, which reads any whole number. Versions AWS writes are below 256; `start`/`end`
 * in seconds fit 32 bits until 2106, and millisecond values (which the streaming reader turns into seconds)
 * do not, so a file with them is the streaming engine's without a check here.
 */
const NARROW_COLUMNS: Readonly<Record<string, string>> = { version: 'UTINYINT', start: 'UINTEGER', end: 'UINTEGER' };

/** The column type of a field in DuckDB's CSV reader: the smallest unsigned type that holds its values. */
function columnType(f: string): string {
  const max = FIELD_BY_NAME.get(f)?.max;
  if (!isNumeric(f)) return 'VARCHAR';
  const narrow = NARROW_COLUMNS[f];
  if (narrow) return narrow;
  return max !== undefined && max <= 255 ? 'UTINYINT' : max !== undefined && max <= 65535 ? 'USMALLINT' : 'UBIGINT';
}

/**
 * The grouping query. Numbers are typed columns of DuckDB's CSV reader (`-` is NULL), so a value that is not
 * an unsigned number of its field's size fails the whole scan; sums are DOUBLE (exact below 2^53: HUGEINT
 * sums cost a fifth of the scan). Port classes, the role hint (as `hintOf` in explain.ts) and the totals of
 * each group come back, one row per group.
 */
function groupingSql(file: string, header: boolean, gzip: boolean, fields: readonly string[], bounds: readonly number[]): string {
  const columns = `{${fields.map((f) => `${sqlString(f)}: '${columnType(f)}'`).join(', ')}}`;
  const key = [...groupedFields(fields), ...otherNumbers(fields)];
  const col = (f: string): string => (fields.includes(f) ? ident(f) : 'NULL');
  // Groups come back in about the order of the explanations' keys (interface, then addresses), so that
  // sorting the results meets long sorted runs: DuckDB orders the few thousand groups in a millisecond.
  const order = ['interface-id', 'srcaddr', 'dstaddr'].filter((f) => fields.includes(f)).map(ident).join(', ') || '1';
  return `
      WITH t AS (
        SELECT ${key.map(ident).join(', ')}, ${col('srcport')} AS sport, ${col('dstport')} AS dport, ${col('tcp-flags')} AS flags, ${col('protocol')} AS proto,
          ${col('packets')} AS packets, ${col('bytes')} AS bytes, ${col('start')} AS st, ${col('end')} AS en
        FROM read_csv(${sqlString(file)}, delim=' ', header=${header}, columns=${columns}, nullstr='-', quote='', escape='', comment='', auto_detect=false, strict_mode=true, null_padding=false, compression=${gzip ? "'gzip'" : "'none'"}, ignore_errors=false)
      )
      SELECT ${key.map(ident).join(', ')}, ${classSql('sport', bounds)} AS scls, ${classSql('dport', bounds)} AS dcls,
        CASE ${
          fields.includes('tcp-flags')
            ? `WHEN proto = 6 AND flags IS NOT NULL AND (flags & 18) = 18 THEN 1
             WHEN proto = 6 AND flags IS NOT NULL AND (flags & 2) <> 0 THEN 0
             `
            : ''
        }WHEN sport IS NULL OR dport IS NULL THEN 2
             WHEN (sport < 1024) <> (dport < 1024) THEN CASE WHEN sport < 1024 THEN 1 ELSE 0 END
             WHEN sport < dport THEN 3 ELSE 2 END AS hint,
        count(*)::DOUBLE AS n, coalesce(sum(packets::DOUBLE), 0) AS packets, coalesce(sum(bytes::DOUBLE), 0) AS bytes,
        min(st)::DOUBLE AS st, max(en)::DOUBLE AS en, min(sport)::DOUBLE AS smin, max(sport)::DOUBLE AS smax, min(dport)::DOUBLE AS dmin, max(dport)::DOUBLE AS dmax
      FROM t
      GROUP BY ALL
      ORDER BY ${order}`;
}

/** Per model, computed on first use like the engine's other per-model lookups (`modelContext`): the model is read-only. */
const boundariesOf = new WeakMap<NetworkModel, readonly number[]>();

/**
 * Every port-range boundary of every security-group rule and NACL entry in the snapshot, plus the explainer's
 * own: each interface's classes are unions of these classes, so a group never straddles a verdict.
 */
function portBoundaries(model: NetworkModel): readonly number[] {
  let out = boundariesOf.get(model);
  if (!out) {
    const all = [0, ...FIXED_PORT_BOUNDARIES];
    for (const acl of model.networkAcls.values()) naclPortBoundaries(acl, all);
    for (const g of model.securityGroups.values()) groupPortBoundaries(g, all);
    out = sortedUnique(all.filter((b) => b <= 65536));
    boundariesOf.set(model, out);
  }
  return out;
}

class DuckScan {
  /** The database, being opened while the first file's head is read and checked. */
  private readonly ready: Promise<{ readonly instance: DuckDBInstance; readonly conn: DuckDBConnection }>;

  /** Port classes: each interface's classes are unions of these (computed while DuckDB starts). */
  private readonly bounds: readonly number[];

  constructor(model: NetworkModel, measureProgress: boolean) {
    const creating = DuckDBInstance.create(':memory:');
    this.bounds = portBoundaries(model);
    this.ready = (async () => {
      const instance = await creating;
      const conn = await instance.connect();
      // Query progress is measured only with the progress bar on (and only then: it costs); DuckDB never prints it.
      if (measureProgress) await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
      return { instance, conn };
    })();
    // A failure surfaces where the database is awaited (the first scan), not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async close(): Promise<void> {
    const db = await this.ready.catch(() => undefined);
    db?.conn.closeSync();
    db?.instance.closeSync();
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
    const head = readHead(file);
    if (!head || head.text.length === 0) return undefined;
    const firstEnd = head.text.indexOf('\n');
    const line = head.text.slice(0, firstEnd < 0 ? head.text.length : firstEnd).replace(/\r$/, '');
    const words = line.trim().split(/\s+/);
    if (line.startsWith('{') || line.startsWith('[') || /^\d{4}-\d\d-\d\dT/.test(line)) return undefined;
    const header = isHeaderLine(words);
    const given = format !== undefined ? parseFormat(format) : undefined;
    if (format !== undefined && (!given || (header && words.join(' ') !== given.join(' ')))) return undefined;
    const fields = given ?? (header ? words : [...DEFAULT_FIELDS]);
    // Unknown fields, duplicate names and a format without the interface are the streaming reader's to report.
    if (fields.some((f) => !FIELD_BY_NAME.has(f)) || new Set(fields).size !== fields.length) return undefined;
    if (!fields.includes('interface-id') && !defaults['interface-id']) return undefined;
    const has = (f: string): boolean => fields.includes(f);
    // The head goes through the streaming reader while DuckDB starts on its own threads.
    if (!headReadsCleanly(file, head.text, format, defaults)) return undefined;
    const sql = groupingSql(file, header, head.gzip, fields, this.bounds);
    const { conn } = await this.ready;
    let cols: Record<string, unknown[]>;
    const t0 = performance.now();
    // While DuckDB works on its own threads, report how far the scan is.
    const timer = progress
      ? setInterval(() => {
          const p = conn.progress.percentage;
          if (p >= 0) progress.onScanProgress(file, Math.min(1, p / 100));
        }, progress.everyMs)
      : undefined;
    try {
      cols = (await conn.runAndReadAll(sql)).getColumnsObjectJS() as Record<string, unknown[]>;
      if (process.env.VPCTWIN_DEBUG) process.stderr.write(`duckdb ${Math.round(performance.now() - t0)} ms ${cols.n?.length} groups\n${sql}\n`);
    } catch (e) {
      if (process.env.VPCTWIN_DEBUG) process.stderr.write(`duckdb scan of ${file}: ${(e as Error).message}\n`);
      return undefined; // rejected lines, a header in mid-file, truncated gzip: the streaming reader says which
    } finally {
      if (timer) clearInterval(timer);
    }
    const tj = performance.now();
    const n = (cols.n ?? []) as number[];
    // What DuckDB's column types do not bound (encryption-status 0-3), checked on each group's value.
    for (const f of otherNumbers(fields)) {
      const max = (FIELD_BY_NAME.get(f) as FieldSpec).max;
      if (max !== undefined && (cols[f] as (number | null)[]).some((x) => x !== null && x > max)) return undefined;
    }
    // The grouped fields, checked once per group as the reader checks every value (numbers are typed).
    for (const f of groupedFields(fields)) {
      const spec = FIELD_BY_NAME.get(f);
      for (const v of cols[f] as (string | number | null)[]) if (typeof v === 'string' && spec && v !== '-' && fieldValueProblem(spec, v) !== undefined) return undefined;
    }
    progress?.onScanProgress(file, 1);
    const text = (f: string): (string | undefined)[] | undefined => (cols[f] as (string | number | null)[] | undefined)?.map((x) => (x === null ? undefined : String(x)));
    const [eni, src, dst, psrc, pdst, proto, action, reason, dir, status] = KEY_FIELDS.map((f) => (has(f) ? text(f) : undefined));
    const numbers = (c: string): (number | null)[] => (cols[c] ?? []) as (number | null)[];
    const [hint, st, en, smin, smax, dmin, dmax, packets, bytes] = [numbers('hint'), numbers('st'), numbers('en'), numbers('smin'), numbers('smax'), numbers('dmin'), numbers('dmax'), numbers('packets'), numbers('bytes')] as const;
    const opt = (a: (number | null)[], i: number): number | undefined => a[i] ?? undefined;
    let records = 0;
    const fileEni = has('interface-id') ? undefined : defaults['interface-id'];
    for (let i = 0; i < n.length; i++) {
      const count = n[i] as number;
      records += count;
      const sMin = opt(smin, i);
      const dMin = opt(dmin, i);
      explainer.addGroup(
        {
          interfaceId: eni?.[i],
          srcaddr: src?.[i],
          dstaddr: dst?.[i],
          pktSrcaddr: psrc?.[i],
          pktDstaddr: pdst?.[i],
          protocol: proto?.[i],
          action: action?.[i],
          rejectReason: reason?.[i],
          flowDirection: dir?.[i],
          logStatus: status?.[i],
          hint: hint[i] as number,
          srcport: sMin,
          dstport: dMin,
          count,
          packets: packets[i] as number,
          bytes: bytes[i] as number,
          firstStart: opt(st, i),
          lastEnd: opt(en, i),
          ...(sMin !== undefined ? { srcPorts: { min: sMin, max: smax[i] as number } } : {}),
          ...(dMin !== undefined ? { dstPorts: { min: dMin, max: dmax[i] as number } } : {}),
        },
        fileEni,
      );
    }
    if (process.env.VPCTWIN_DEBUG) process.stderr.write(`explain of ${n.length} groups ${Math.round(performance.now() - tj)} ms\n`);
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

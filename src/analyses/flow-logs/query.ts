/**
 * SQL over flow log records with DuckDB (embedded). Records go into one table, `flow_logs`, whose columns
 * are the flow log field names with `-` turned into `_` (`interface_id`, `log_status`, `pkt_srcaddr`, …),
 * INTEGER for ports, protocol, version, tcp_flags, traffic_path and encryption_status, BIGINT for packets,
 * bytes, start and end (Unix seconds; millisecond values are converted), VARCHAR for the rest; `-` is
 * NULL. These are the names and types of AWS's own Athena table for flow logs and of the Parquet
 * columns, so a query written here runs unchanged on Athena or Trino (quote `"end"`, a reserved word).
 *
 * Loading streams: every input goes through the flow-log reader (headers, gzip, CloudWatch exports,
 * Parquet, malformed lines reported — the same records `explain` sees) into normalised tab-separated
 * temporary files that DuckDB loads in bulk. The database is a temporary file, so a large input does not
 * have to fit in memory.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { columnName, FIELD_BY_NAME, FIELDS } from './fields.js';
import { expandFlowLogInputs } from './files.js';
import { compileFormat, defaultsFromPath, streamFlowLogFile, type FlowLogRecord, type InputSummary, type ReadProblem, type RecordView } from './reader.js';

export const TABLE = 'flow_logs';

export { columnName };

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The SQL type of a field's column. */
export function columnType(field: string): 'INTEGER' | 'BIGINT' | 'VARCHAR' {
  const k = FIELD_BY_NAME.get(field)?.kind;
  return k === 'int' ? 'INTEGER' : k === 'bigint' ? 'BIGINT' : 'VARCHAR';
}

export interface QueryOptions {
  /** A full SQL query over `flow_logs`; overrides the other options. */
  readonly sql?: string;
  /** SQL condition, e.g. `action = 'REJECT' AND dstport = 22`. */
  readonly where?: string;
  /** Fields to group by (flow log names or column names). */
  readonly groupBy?: readonly string[];
  /** Keep the N largest groups (or the first N records without grouping). */
  readonly top?: number;
}

/**
 * The SQL a set of options stands for (engine-neutral): without grouping, the record count with packets
 * and bytes; with grouping, one row per group, largest first.
 */
export function buildQuery(o: QueryOptions): string {
  if (o.sql) return o.sql;
  const groups = (o.groupBy ?? []).map((g) => quoteIdent(columnName(g.trim())));
  const select = [...groups, 'count(*) AS records', 'sum(packets) AS packets', 'sum(bytes) AS bytes'].join(', ');
  return [
    `SELECT ${select} FROM ${TABLE}`,
    o.where ? `WHERE ${o.where}` : '',
    groups.length ? `GROUP BY ${groups.join(', ')}` : '',
    groups.length ? `ORDER BY records DESC, ${groups.join(', ')}` : '',
    o.top ? `LIMIT ${Math.floor(o.top)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export type Row = Record<string, string | number | boolean | null>;

export interface LoadOptions {
  readonly format?: string;
  readonly onProblem?: (p: ReadProblem) => void;
  readonly onProgress?: (records: number, file: string) => void;
  readonly progressEvery?: number;
}

interface Part {
  readonly path: string;
  readonly fields: readonly string[];
}

/** A loaded `flow_logs` table; `close()` removes its temporary files. */
export class FlowLogTable {
  private constructor(
    private readonly dir: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** Columns of `flow_logs`, in field-registry order (undocumented fields last). */
    readonly columns: readonly string[],
    /** Records loaded. */
    readonly records: number,
    readonly inputs: readonly InputSummary[],
  ) {}

  /** Loads files and folders (S3 layouts expand) into a fresh table. */
  static async load(paths: readonly string[], options: LoadOptions = {}): Promise<FlowLogTable> {
    const files = expandFlowLogInputs(paths);
    const dir = mkdtempSync(join(tmpdir(), 'vpctwin-flowlogs-'));
    try {
      const parts: Part[] = [];
      const inputs: InputSummary[] = [];
      let total = 0;
      for (const file of files) {
        const writer = new PartWriter(dir, parts);
        let s: InputSummary;
        try {
          s = await streamFlowLogFile(file, {
            ...(options.format !== undefined ? { format: options.format } : {}),
            defaults: defaultsFromPath(file),
            onRecord: (v) => writer.write(v),
            ...(options.onProblem ? { onProblem: options.onProblem } : {}),
            ...(options.onProgress ? { onProgress: (n: number, f: string) => options.onProgress?.(total + n, f) } : {}),
            ...(options.progressEvery ? { progressEvery: options.progressEvery } : {}),
          });
        } finally {
          writer.close();
        }
        total += s.records;
        inputs.push(s);
      }
      return await FlowLogTable.fromParts(dir, parts, total, inputs);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Loads records already in memory (tests, library callers). */
  static async fromRecords(fields: readonly string[], records: Iterable<FlowLogRecord>): Promise<FlowLogTable> {
    const dir = mkdtempSync(join(tmpdir(), 'vpctwin-flowlogs-'));
    const parts: Part[] = [];
    const writer = new PartWriter(dir, parts);
    let n = 0;
    try {
      const format = compileFormat(fields);
      for (const r of records) {
        writer.writeValues(format.fields, format.fields.map((f) => normalize(f, r[f])));
        n++;
      }
    } finally {
      writer.close();
    }
    if (parts.length === 0) parts.push(writer.emptyPart(fields));
    return FlowLogTable.fromParts(dir, parts, n, []);
  }

  private static async fromParts(dir: string, parts: Part[], records: number, inputs: InputSummary[]): Promise<FlowLogTable> {
    const instance = await DuckDBInstance.create(join(dir, 'flowlogs.duckdb'));
    const conn = await instance.connect();
    try {
      const all = new Set<string>();
      for (const p of parts) for (const x of p.fields) all.add(x);
      const ordered = [...FIELDS.map((f) => f.name).filter((f) => all.has(f)), ...[...all].filter((f) => !FIELD_BY_NAME.has(f))];
      const columns = ordered.length ? ordered : ['version'];
      await conn.run(`CREATE TABLE ${TABLE} (${columns.map((f) => `${quoteIdent(columnName(f))} ${columnType(f)}`).join(', ')})`);
      for (const p of parts) {
        // Values were checked by the reader; the casts only type them.
        const select = p.fields.map((f) => `TRY_CAST(${quoteIdent(f)} AS ${columnType(f)}) AS ${quoteIdent(columnName(f))}`).join(', ');
        const columnsSpec = `{${p.fields.map((f) => `${sqlString(f)}: 'VARCHAR'`).join(', ')}}`;
        await conn.run(`INSERT INTO ${TABLE} BY NAME SELECT ${select} FROM read_csv(${sqlString(p.path)}, delim='\t', header=true, quote='', escape='', nullstr='', auto_detect=false, columns=${columnsSpec})`);
      }
      return new FlowLogTable(dir, instance, conn, columns.map(columnName), records, inputs);
    } catch (e) {
      conn.closeSync();
      instance.closeSync();
      throw e;
    }
  }

  /** Runs one SQL statement; BIGINTs that fit become numbers. */
  async query(sql: string): Promise<Row[]> {
    const result = await this.conn.runAndReadAll(sql);
    return result.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsValue(v)])));
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function jsValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

function normalize(field: string, v: string | undefined): string | undefined {
  if (v === undefined || v === '-') return undefined;
  if ((field === 'start' || field === 'end') && v.length >= 12 && Number(v) > 1e11) return String(Math.floor(Number(v) / 1000));
  return v;
}

/** Writes records as tab-separated parts, one part per format met (a header can change it mid-file). */
class PartWriter {
  private fd: number | undefined;
  private fields: readonly string[] | undefined;
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly dir: string,
    private readonly parts: Part[],
  ) {}

  write(v: RecordView): void {
    if (v.format.fields !== this.fields) this.open(v.format.fields);
    let line = '';
    const n = v.format.fields.length;
    for (let i = 0; i < n; i++) {
      const x = v.normalized(i);
      line += (i ? '\t' : '') + (x ?? '');
    }
    this.push(line);
  }

  writeValues(fields: readonly string[], values: readonly (string | undefined)[]): void {
    if (fields !== this.fields) this.open(fields);
    this.push(values.map((x) => x ?? '').join('\t'));
  }

  emptyPart(fields: readonly string[]): Part {
    this.open(fields);
    this.close();
    return this.parts[this.parts.length - 1] as Part;
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  private open(fields: readonly string[]): void {
    this.close();
    const path = join(this.dir, `part-${this.parts.length}.tsv`);
    this.fd = openSync(path, 'w');
    this.fields = fields;
    this.parts.push({ path, fields });
    writeSync(this.fd, `${fields.join('\t')}\n`);
  }

  private flush(): void {
    if (this.fd !== undefined && this.buffer.length) writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.fields = undefined;
  }
}

/** Loads `paths` and runs one query; the table is dropped afterwards. */
export async function queryFlowLogs(paths: readonly string[], options: QueryOptions & LoadOptions = {}): Promise<{ rows: Row[]; records: number; inputs: readonly InputSummary[]; sql: string }> {
  const table = await FlowLogTable.load(paths, options);
  try {
    const sql = buildQuery(options);
    return { rows: await table.query(sql), records: table.records, inputs: table.inputs, sql };
  } finally {
    table.close();
  }
}

/** Loads records already in memory (with the given field list) and runs the query. */
export async function queryFlowLogRecords(fields: readonly string[], records: readonly FlowLogRecord[], options: QueryOptions): Promise<Row[]> {
  const table = await FlowLogTable.fromRecords(fields, records);
  try {
    return await table.query(buildQuery(options));
  } finally {
    table.close();
  }
}

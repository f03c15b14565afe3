/**
 * Large flow-log files: DuckDB scans and groups the text (plain or gzip, with or without the S3 header) by
 * the fields a verdict depends on, and vpctwin explains each group once. Security-group rules and NACL
 * entries never look at the source port (they match the destination port), so a group keeps only whether
 * the source port is below the destination port (a possible reply). Lines DuckDB rejects are returned with
 * their line numbers, never dropped silently.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { NetworkModel } from '../../model/network.js';
import { explainFlowLogRecords, type FlowExplanation } from './explain.js';
import { DEFAULT_FIELDS, parseFormat } from './fields.js';
import type { FlowLogRecord, ReadProblem } from './reader.js';

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** True when the file's first line is an S3 header (lower-case field names). */
async function hasHeader(conn: Awaited<ReturnType<Awaited<ReturnType<typeof DuckDBInstance.create>>['connect']>>, file: string): Promise<string[] | undefined> {
  const r = await conn.runAndReadAll(`SELECT line FROM read_csv(${sqlString(file)}, delim=chr(1), header=false, columns={'line': 'VARCHAR'}, quote='', escape='') LIMIT 1`);
  const first = String(r.getRowObjects()[0]?.line ?? '');
  const words = first.trim().split(/\s+/);
  return words.length > 1 && words.every((w) => /^[a-z][a-z0-9-]*$/.test(w)) ? words : undefined;
}

export interface ScanResult {
  readonly flows: FlowExplanation[];
  readonly records: number;
  readonly problems: ReadProblem[];
}

/** Scans `file` with DuckDB and explains each distinct flow once. */
export async function scanAndExplain(model: NetworkModel, file: string, format?: string): Promise<ScanResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const parquet = file.endsWith('.parquet');
    let fields: string[];
    let source: string;
    let col: (f: string) => string;
    if (parquet) {
      // Parquet columns use `_` where field names use `-` (vpc-flow-logs.md §1.2); values are typed.
      source = `(SELECT * FROM read_parquet(${sqlString(file)}))`;
      const names = (await conn.runAndReadAll(`SELECT * FROM ${source} LIMIT 0`)).columnNames();
      fields = names.map((n) => n.replace(/_/g, '-'));
      col = (f) => (fields.includes(f) ? `CAST(${ident(f.replace(/-/g, '_'))} AS VARCHAR)` : 'NULL');
    } else {
      const header = format ? undefined : await hasHeader(conn, file);
      fields = (format ? parseFormat(format) : undefined) ?? header ?? [...DEFAULT_FIELDS];
      const columns = `{${fields.map((f) => `${sqlString(f)}: 'VARCHAR'`).join(', ')}}`;
      source = `read_csv(${sqlString(file)}, delim=' ', header=${header ? 'true' : 'false'}, columns=${columns}, quote='', escape='', store_rejects=true, auto_detect=false)`;
      col = (f) => (fields.includes(f) ? ident(f) : 'NULL');
    }
    const has = (f: string) => fields.includes(f);
    const keyCols = ['interface-id', 'srcaddr', 'dstaddr', 'dstport', 'protocol', 'action', 'log-status', 'flow-direction', 'pkt-srcaddr', 'pkt-dstaddr'];
    const select = keyCols.map((f) => `${col(f)} AS ${ident(f)}`).join(', ');
    const below = has('srcport') && has('dstport') ? `TRY_CAST(${col('srcport')} AS BIGINT) < TRY_CAST(${col('dstport')} AS BIGINT)` : 'false';
    const rows = (await conn.runAndReadAll(`SELECT ${select}, ${below} AS src_below, count(*) AS n FROM ${source} GROUP BY ALL`)).getRowObjects();
    const rejects = parquet ? [] : (await conn.runAndReadAll('SELECT line, error_message FROM reject_errors ORDER BY line')).getRowObjects();
    const records: FlowLogRecord[] = [];
    const counts: number[] = [];
    let total = 0;
    for (const row of rows) {
      const rec: Record<string, string | undefined> = {};
      for (const f of keyCols) {
        const v = row[f];
        rec[f] = v === null || v === undefined || v === '-' ? undefined : String(v);
      }
      // A representative source port on the right side of the destination port.
      const dport = Number(rec.dstport ?? 0);
      rec.srcport = rec.dstport === undefined ? undefined : String(row.src_below ? Math.max(0, dport - 1) : dport + 1);
      records.push(rec);
      const n = Number(row.n);
      counts.push(n);
      total += n;
    }
    const flows = explainFlowLogRecords(model, records, counts);
    return {
      flows,
      records: total,
      // DuckDB may report one rejected line several times (one per column): one problem per line.
      problems: [...new Map(rejects.map((r) => [Number(r.line), String(r.error_message).split('\n')[0] ?? 'rejected line'])).entries()].map(([line, message]) => ({ file, line, message })),
    };
  } finally {
    conn.closeSync();
  }
}

/**
 * Queries over flow log records with DuckDB (embedded). Records go into one table, `flow_logs`, whose
 * columns are the flow log field names with `-` turned into `_` (`interface_id`, `log_status`, `srcaddr`,
 * …), numbers as BIGINT and the rest as VARCHAR — the same naming as AWS's Athena tables for flow logs, so
 * the query text runs unchanged on Athena or Trino when the data outgrows one machine.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { FIELD_VERSIONS } from './fields.js';
import type { FlowLogRecord } from './reader.js';

const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'type', 'traffic-path']);

export const TABLE = 'flow_logs';

export function columnName(field: string): string {
  return field.replace(/-/g, '_');
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface QueryOptions {
  /** A full SQL query over `flow_logs`; overrides the other options. */
  readonly sql?: string;
  /** SQL condition, e.g. `action = 'REJECT' AND dstport = 22`. */
  readonly where?: string;
  /** Fields to group by (flow log names or column names). */
  readonly groupBy?: readonly string[];
  readonly top?: number;
}

/** The SQL a set of options stands for (engine-neutral). */
export function buildQuery(o: QueryOptions): string {
  if (o.sql) return o.sql;
  const groups = (o.groupBy ?? []).map((g) => quoteIdent(columnName(g)));
  const select = [...groups, 'count(*) AS records', 'sum(packets) AS packets', 'sum(bytes) AS bytes'].join(', ');
  return [
    `SELECT ${select} FROM ${TABLE}`,
    o.where ? `WHERE ${o.where}` : '',
    groups.length ? `GROUP BY ${groups.join(', ')}` : '',
    groups.length ? 'ORDER BY records DESC, ' + groups.join(', ') : '',
    o.top ? `LIMIT ${Math.floor(o.top)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export type Row = Record<string, string | number | null>;

/** Loads `records` (with the given field list) into an in-memory DuckDB and runs the query. */
export async function queryFlowLogRecords(fields: readonly string[], records: readonly FlowLogRecord[], options: QueryOptions): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const all = [...new Set([...fields, ...Object.keys(FIELD_VERSIONS).filter((f) => fields.includes(f))])];
    await conn.run(`CREATE TABLE ${TABLE} (${all.map((f) => `${quoteIdent(columnName(f))} ${NUMERIC.has(f) ? 'BIGINT' : 'VARCHAR'}`).join(', ')})`);
    const appender = await conn.createAppender(TABLE);
    for (const r of records) {
      for (const f of all) {
        const v = r[f];
        if (v === undefined) appender.appendNull();
        else if (NUMERIC.has(f)) appender.appendBigInt(BigInt(v));
        else appender.appendVarchar(v);
      }
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const result = await conn.runAndReadAll(buildQuery(options));
    return result.getRowObjects().map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v === null ? null : typeof v === 'number' ? v : String(v)])),
    );
  } finally {
    conn.closeSync();
  }
}

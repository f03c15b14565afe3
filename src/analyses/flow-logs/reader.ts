/**
 * Flow log reader: plain or gzip text, with or without the S3 header line (the format is learnt from it),
 * CloudWatch Logs exports (JSON lines with a `message`), any field order and subset. Malformed lines are
 * counted and reported with their line numbers; they never stop the read (shared/docs/vpc-flow-logs.md §1).
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DEFAULT_FIELDS, FIELD_VERSIONS, parseFormat } from './fields.js';

/** One record: field name → value; `-` is kept as undefined. */
export type FlowLogRecord = Readonly<Record<string, string | undefined>>;

export interface ReadProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ReadResult {
  readonly records: FlowLogRecord[];
  readonly fields: readonly string[];
  readonly problems: ReadProblem[];
  readonly lines: number;
  readonly unknownFields: readonly string[];
}

const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'type', 'traffic-path']);

/** Parses lines of text (already decompressed); `format` overrides the header. */
export function parseFlowLogLines(lines: Iterable<string>, file: string, format?: string): ReadResult {
  let fields: string[] | undefined = format ? parseFormat(format) : undefined;
  const records: FlowLogRecord[] = [];
  const problems: ReadProblem[] = [];
  let n = 0;
  for (const raw of lines) {
    n++;
    let line = raw.trim();
    if (!line) continue;
    if (line.startsWith('{')) {
      // CloudWatch Logs export: one JSON object per line with the record in `message`.
      try {
        const msg = (JSON.parse(line) as { message?: unknown }).message;
        if (typeof msg !== 'string') throw new Error('no message');
        line = msg.trim();
      } catch {
        problems.push({ file, line: n, message: 'JSON line without a string "message" field' });
        continue;
      }
    }
    const values = line.split(/\s+/);
    if (!fields) {
      // An S3 file starts with a header naming the fields; otherwise the default format applies.
      // A header is all lower-case field names (data lines always hold numbers, addresses or ACCEPT/REJECT).
      if (values.every((v) => /^[a-z][a-z0-9-]*$/.test(v)) && values.some((v) => FIELD_VERSIONS[v] !== undefined)) {
        fields = values;
        continue;
      }
      fields = [...DEFAULT_FIELDS];
    } else if (n === 1 && values.join(' ') === fields.join(' ')) {
      continue; // header repeated although a format was given
    }
    if (values.length !== fields.length) {
      problems.push({ file, line: n, message: `expected ${fields.length} fields, found ${values.length}` });
      continue;
    }
    const rec: Record<string, string | undefined> = {};
    let bad: string | undefined;
    fields.forEach((f, i) => {
      const v = values[i] as string;
      if (v === '-') rec[f] = undefined;
      else {
        if (NUMERIC.has(f) && !/^\d+$/.test(v)) bad ??= `field ${f} is "${v}", not a number`;
        rec[f] = v;
      }
    });
    if (rec.action !== undefined && rec.action !== 'ACCEPT' && rec.action !== 'REJECT') bad ??= `action is "${rec.action}", not ACCEPT or REJECT`;
    const status = rec['log-status'];
    if (status !== undefined && !['OK', 'NODATA', 'SKIPDATA'].includes(status)) bad ??= `log-status is "${status}"`;
    if (bad) {
      problems.push({ file, line: n, message: bad });
      continue;
    }
    records.push(rec);
  }
  const f = fields ?? [...DEFAULT_FIELDS];
  return { records, fields: f, problems, lines: n, unknownFields: f.filter((x) => FIELD_VERSIONS[x] === undefined) };
}

/** Reads a file (gzip when it ends in .gz); a truncated gzip is reported with the line reached. */
export async function readFlowLogFile(file: string, format?: string): Promise<ReadResult> {
  statSync(file); // a missing or unreadable file is the caller's error, not a malformed line
  const lines: string[] = [];
  const problems: ReadProblem[] = [];
  const source = createReadStream(file);
  const stream = file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) lines.push(line);
  } catch (e) {
    problems.push({ file, line: lines.length + 1, message: `the file ends early (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${lines.length} lines were read` });
  }
  const r = parseFlowLogLines(lines, file, format);
  return { ...r, problems: [...problems, ...r.problems] };
}

/**
 * Flow log reader. One parser for every way flow logs reach a user (shared/docs/vpc-flow-logs.md §1.5):
 *
 * - plain text or gzip (recognised by its magic bytes, whatever the name), streamed in chunks: a file is
 *   never held in memory;
 * - the default version-2 format, or any custom format (any subset and order of fields of any version);
 *   an S3 file's header line sets the format, `format` overrides it, and a header met later in the stream
 *   (concatenated files) switches it;
 * - CloudWatch Logs: plain message lines, `<ISO time> <message>` lines of an S3 export task, JSON lines of
 *   `{"timestamp", "message"}`, `aws logs get-log-events` / `filter-log-events` output (`{"events": […]}`),
 *   subscription payloads (`{"logGroup", "logStream", "logEvents": […]}`, also concatenated as Firehose
 *   writes them) — the stream name (`eni-…-all`) supplies interface-id when the format lacks it;
 * - Parquet, through DuckDB (columns named with `_`).
 *
 * `-` is a missing value everywhere. NODATA and SKIPDATA records are records. Malformed lines (wrong
 * number of values, a value of the wrong shape) are reported with their line numbers and skipped; they
 * never stop the read. A truncated gzip reports the line it reached and keeps everything read before it.
 *
 * The hot path hands each record to a callback as a reusable `RecordView` (token offsets into the line,
 * no per-field strings), so that explaining millions of records allocates little.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DEFAULT_FIELDS, FIELD_BY_NAME, fieldOfColumn, isHeaderLine, parseFormat, type FieldSpec } from './fields.js';

/** One record: field name → value; `-` is kept as undefined. */
export type FlowLogRecord = Readonly<Record<string, string | undefined>>;

export type ReadProblemCode = 'field-count' | 'bad-value' | 'bad-json' | 'truncated' | 'corrupt' | 'unknown-field' | 'header-mismatch' | 'unreadable';

/** Something wrong in an input, with where it is. `error`s are malformed lines (skipped); `warning`s are not. */
export interface ReadProblem {
  readonly code: ReadProblemCode;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** 1-based line of the (decompressed) file; Parquet: row number. */
  readonly line: number;
  readonly message: string;
}

/** Values a file's path or CloudWatch stream name supplies when the format lacks the field. */
export interface RecordDefaults {
  readonly 'interface-id'?: string;
  readonly 'account-id'?: string;
  readonly region?: string;
}

/** A format compiled for reading: field positions looked up once. */
export interface CompiledFormat {
  readonly fields: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly specs: readonly (FieldSpec | undefined)[];
  readonly unknown: readonly string[];
}

const formatCache = new Map<string, CompiledFormat>();

export function compileFormat(fields: readonly string[]): CompiledFormat {
  const key = fields.join(' ');
  let c = formatCache.get(key);
  if (!c) {
    c = {
      fields: [...fields],
      index: new Map(fields.map((x, i) => [x, i])),
      specs: fields.map((x) => FIELD_BY_NAME.get(x)),
      unknown: fields.filter((x) => !FIELD_BY_NAME.has(x)),
    };
    formatCache.set(key, c);
  }
  return c;
}

const MAX_TOKENS = 128;
const MS_THRESHOLD = 100_000_000_000; // seconds of the year 5138; above it a timestamp is in milliseconds

/**
 * One record as offsets into its line. Valid only during the callback that receives it; `toRecord()`
 * copies it out.
 */
export class RecordView {
  format: CompiledFormat = compileFormat(DEFAULT_FIELDS);
  text = '';
  readonly starts = new Int32Array(MAX_TOKENS);
  readonly ends = new Int32Array(MAX_TOKENS);
  /** Index of the first value token (1 when a CloudWatch export timestamp precedes the record). */
  offset = 0;
  file = '';
  line = 0;
  defaults: RecordDefaults = {};

  /** Position of `field` in the format, -1 when absent. */
  indexOf(field: string): number {
    return this.format.index.get(field) ?? -1;
  }

  /** Raw text of value `i` (`-` included). */
  raw(i: number): string {
    const t = i + this.offset;
    return this.text.slice(this.starts[t], this.ends[t]);
  }

  /** True when value `i` is absent from the format or is `-`. */
  isMissing(i: number): boolean {
    if (i < 0) return true;
    const t = i + this.offset;
    const s = this.starts[t] as number;
    return (this.ends[t] as number) - s === 1 && this.text.charCodeAt(s) === 45;
  }

  /** Value `i`, undefined when absent or `-`. */
  at(i: number): string | undefined {
    return this.isMissing(i) ? undefined : this.raw(i);
  }

  /** Value of `field` (falling back to the file's defaults), undefined when absent or `-`. */
  get(field: string): string | undefined {
    const i = this.indexOf(field);
    if (i >= 0) return this.at(i);
    return (this.defaults as Record<string, string | undefined>)[field];
  }

  /** Value `i` as a number (digits only), undefined when absent, `-` or not digits. */
  int(i: number): number | undefined {
    if (this.isMissing(i)) return undefined;
    const t = i + this.offset;
    let v = 0;
    for (let p = this.starts[t] as number, e = this.ends[t] as number; p < e; p++) {
      const c = this.text.charCodeAt(p) - 48;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    return v;
  }

  /** True when value `i` equals `s`, without copying it out. */
  equals(i: number, s: string): boolean {
    if (i < 0) return false;
    const t = i + this.offset;
    const st = this.starts[t] as number;
    return (this.ends[t] as number) - st === s.length && this.text.startsWith(s, st);
  }

  /** Value `i` as stored by `toRecord` and the SQL table: millisecond `start`/`end` become seconds. */
  normalized(i: number): string | undefined {
    const v = this.at(i);
    if (v === undefined) return undefined;
    const name = this.format.fields[i];
    if ((name === 'start' || name === 'end') && v.length >= 12 && Number(v) > MS_THRESHOLD) return String(Math.floor(Number(v) / 1000));
    return v;
  }

  /** A plain object copy of the record. */
  toRecord(): FlowLogRecord {
    const r: Record<string, string | undefined> = {};
    const fields = this.format.fields;
    for (let i = 0; i < fields.length; i++) r[fields[i] as string] = this.normalized(i);
    for (const [k, v] of Object.entries(this.defaults)) if (!(k in r) && v !== undefined) r[k] = v;
    return r;
  }
}

export interface ParserOptions {
  /** `${field} …` or a bare list of field names; overrides any header. */
  readonly format?: string;
  readonly defaults?: RecordDefaults;
  readonly onRecord: (view: RecordView) => void;
  readonly onProblem: (problem: ReadProblem) => void;
}

function isDigits(t: string, s: number, e: number): boolean {
  if (s >= e) return false;
  for (let p = s; p < e; p++) {
    const c = t.charCodeAt(p);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Characters of an IPv4 or IPv6 address (digits, hex letters, `.`, `:`), with a `.` or `:` in it. */
function looksLikeIp(t: string, s: number, e: number): boolean {
  if (e - s < 2 || e - s > 45) return false;
  let sep = false;
  for (let p = s; p < e; p++) {
    const c = t.charCodeAt(p);
    if (c === 46 || c === 58) sep = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return sep;
}

/** Why `t.slice(s, e)` is not a valid value of `spec` (as the reader checks it), or undefined. */
function valueProblem(spec: FieldSpec, t: string, s: number, e: number): string | undefined {
  switch (spec.kind) {
    case 'int':
    case 'bigint':
      if (!isDigits(t, s, e) || e - s > 20) return 'not a whole number';
      if (spec.max !== undefined && (e - s > 6 || Number(t.slice(s, e)) > spec.max)) return `above ${spec.max}`;
      return undefined;
    case 'enum':
      for (const x of spec.values ?? []) if (x.length === e - s && t.startsWith(x, s)) return undefined;
      return `not ${(spec.values ?? []).join(', ')} or -`;
    case 'ip':
      return looksLikeIp(t, s, e) ? undefined : 'not an IP address';
    default:
      return undefined;
  }
}

/** Why `value` is not a valid value of `spec` (`-` is always valid), or undefined. */
export function fieldValueProblem(spec: FieldSpec, value: string): string | undefined {
  return value === '-' ? undefined : valueProblem(spec, value, 0, value.length);
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * The line parser shared by every input: feed it physical lines (or CloudWatch messages) in order. It
 * learns the format, validates values by field type and hands records to `onRecord`.
 */
export class FlowLogLineParser {
  readonly view = new RecordView();
  private format: CompiledFormat | undefined;
  private readonly override: CompiledFormat | undefined;
  private warnedHeader = false;
  private warnedNoHeader = false;
  private firstContent = true;
  private mode: 'auto' | 'text' | 'json' = 'auto';
  private json: JsonSplitter | undefined;
  lines = 0;
  records = 0;
  malformed = 0;
  formatSource: 'option' | 'header' | 'default' | 'parquet' = 'default';
  readonly unknownFields = new Set<string>();
  kind: 'text' | 'cloudwatch-json' | 'cloudwatch-export' | 'parquet' = 'text';

  constructor(
    readonly file: string,
    private readonly options: ParserOptions,
  ) {
    const fields = options.format !== undefined ? parseFormat(options.format) : undefined;
    if (options.format !== undefined && !fields) throw new Error(`format "${options.format}" is not a list of \${field} names`);
    this.override = fields ? compileFormat(fields) : undefined;
    if (this.override) this.setFormat(this.override, 'option', 0);
    this.view.file = file;
    this.view.defaults = options.defaults ?? {};
  }

  /** The format in force (after the header, if any). */
  get fields(): readonly string[] {
    return (this.format ?? this.override ?? compileFormat(DEFAULT_FIELDS)).fields;
  }

  private problem(code: ReadProblemCode, line: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    if (severity === 'error') this.malformed++;
    this.options.onProblem({ code, severity, file: this.file, line, message });
  }

  private setFormat(f: CompiledFormat, source: FlowLogLineParser['formatSource'], line: number): void {
    this.format = f;
    this.formatSource = source;
    const fresh = f.unknown.filter((u) => !this.unknownFields.has(u));
    for (const u of fresh) this.unknownFields.add(u);
    if (fresh.length)
      this.problem('unknown-field', line, `the format names field${fresh.length > 1 ? 's' : ''} AWS does not document: ${fresh.join(', ')} (read as text)`, 'warning');
  }

  /** Feeds one physical line `text[s, e)` (without its newline). */
  feedLine(text: string, s = 0, e = text.length): void {
    this.lines++;
    if (e > s && text.charCodeAt(e - 1) === 13) e--;
    if (this.mode === 'json') {
      (this.json as JsonSplitter).feed(text, s, e, this.lines);
      return;
    }
    let p = s;
    while (p < e && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p >= e) return;
    if (this.mode === 'auto') {
      const c = text.charCodeAt(p);
      if (c === 123 || c === 91) {
        this.mode = 'json';
        this.kind = 'cloudwatch-json';
        this.json = new JsonSplitter((value, line) => this.jsonValue(value, line), (line, message) => this.problem('bad-json', line, message));
        this.json.feed(text, p, e, this.lines);
        return;
      }
      this.mode = 'text';
    }
    this.feedRecord(text, p, e, this.lines);
  }

  /** Sets the format from a schema (Parquet columns) rather than a header line. */
  useFormat(fields: readonly string[], source: FlowLogLineParser['formatSource']): void {
    if (this.override) return;
    this.setFormat(compileFormat(fields), source, 1);
  }

  /** End of input: reports an unfinished JSON value. */
  finish(): void {
    this.json?.finish(this.lines);
  }

  /** Tokenises one record line and validates it. */
  feedRecord(text: string, s: number, e: number, line: number): void {
    const v = this.view;
    const starts = v.starts;
    const ends = v.ends;
    let n = 0;
    let p = s;
    while (p < e) {
      let c = text.charCodeAt(p);
      while (p < e && (c === 32 || c === 9)) c = text.charCodeAt(++p);
      if (p >= e) break;
      let q = p + 1;
      while (q < e) {
        c = text.charCodeAt(q);
        if (c === 32 || c === 9) break;
        q++;
      }
      if (n < MAX_TOKENS) {
        starts[n] = p;
        ends[n] = q;
      }
      n++;
      p = q;
    }
    if (n === 0) return;
    v.text = text;
    v.line = line;
    let format = this.format;
    const first = this.firstContent;
    this.firstContent = false;
    if (!format || first || (n === format.fields.length && this.equalsToken(text, 0, format.fields[0] as string))) {
      // No format yet, or a line that starts like the current header: is it a header?
      const words = this.words(text, Math.min(n, MAX_TOKENS));
      if (isHeaderLine(words)) {
        this.header(words, line);
        return;
      }
    }
    if (!format) {
      format = compileFormat(DEFAULT_FIELDS);
      this.setFormat(format, 'default', line);
    }
    const count = format.fields.length;
    let offset = 0;
    if (n === count + 1 && ISO_TIME.test(text.slice(starts[0], Math.min(ends[0] as number, (starts[0] as number) + 16)))) {
      offset = 1; // `2024-01-01T00:00:00.000Z <message>`: a CloudWatch Logs export to S3
      if (this.kind === 'text') this.kind = 'cloudwatch-export';
    } else if (n !== count) {
      const words = n <= MAX_TOKENS ? this.words(text, n) : [];
      if (isHeaderLine(words)) {
        this.header(words, line);
        return;
      }
      let hint = '';
      if (this.formatSource === 'default' && !this.warnedNoHeader && this.records === 0) {
        hint = ' (the file has no header line and this is not the default format: give the format with --format)';
        this.warnedNoHeader = true;
      }
      this.problem('field-count', line, `expected ${count} values (${this.formatSource === 'option' ? 'the given format' : this.formatSource === 'header' ? 'the header' : 'the default format'}), found ${n}${hint}`);
      return;
    }
    v.format = format;
    v.offset = offset;
    const specs = format.specs;
    for (let i = 0; i < count; i++) {
      const spec = specs[i];
      if (!spec || spec.kind === 'string') continue;
      const ts = starts[i + offset] as number;
      const te = ends[i + offset] as number;
      if (te - ts === 1 && text.charCodeAt(ts) === 45) continue;
      const bad = this.checkValue(spec, text, ts, te);
      if (bad) {
        this.problem('bad-value', line, `${spec.name} is "${text.slice(ts, te)}": ${bad}`);
        return;
      }
    }
    this.records++;
    this.options.onRecord(v);
  }

  private checkValue(spec: FieldSpec, t: string, s: number, e: number): string | undefined {
    return valueProblem(spec, t, s, e);
  }

  private equalsToken(t: string, i: number, s: string): boolean {
    const st = this.view.starts[i] as number;
    return (this.view.ends[i] as number) - st === s.length && t.startsWith(s, st);
  }

  private words(t: string, n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(t.slice(this.view.starts[i], this.view.ends[i]));
    return out;
  }

  private header(words: string[], line: number): void {
    const f = compileFormat(words);
    if (this.override) {
      if (f !== this.override && !this.warnedHeader) {
        this.warnedHeader = true;
        const shown = words.length > 6 ? `${words.slice(0, 6).join(' ')} … (${words.length} fields)` : words.join(' ');
        this.problem('header-mismatch', line, `the header line (${shown}) differs from the given format: the given format is used`, 'warning');
      }
      return;
    }
    if (f !== this.format) this.setFormat(f, 'header', line);
  }

  /** A parsed JSON value of a CloudWatch export: events, subscription payloads, or a single event. */
  private jsonValue(value: unknown, line: number): void {
    const messages: { message: string; stream?: string | undefined; index?: number | undefined }[] = [];
    const add = (ev: unknown, stream: string | undefined, index: number | undefined): void => {
      if (typeof ev === 'string') messages.push({ message: ev, stream, index });
      else if (ev && typeof ev === 'object' && typeof (ev as { message?: unknown }).message === 'string') {
        const e = ev as { message: string; logStreamName?: unknown; logStream?: unknown };
        const s = typeof e.logStreamName === 'string' ? e.logStreamName : typeof e.logStream === 'string' ? e.logStream : stream;
        messages.push({ message: e.message, stream: s, index });
      } else this.problem('bad-json', line, `${index !== undefined ? `event ${index + 1}: ` : ''}a JSON value without a string "message"`);
    };
    if (Array.isArray(value)) value.forEach((ev, i) => add(ev, undefined, i));
    else if (value && typeof value === 'object') {
      const o = value as { logEvents?: unknown; events?: unknown; logStream?: unknown; messageType?: unknown };
      const list = Array.isArray(o.logEvents) ? o.logEvents : Array.isArray(o.events) ? o.events : undefined;
      if (o.messageType === 'CONTROL_MESSAGE') return;
      if (list) list.forEach((ev, i) => add(ev, typeof o.logStream === 'string' ? o.logStream : undefined, i));
      else add(value, undefined, undefined);
    } else this.problem('bad-json', line, 'a JSON value that is not a CloudWatch Logs event');
    const base = this.view.defaults;
    for (const m of messages) {
      const eni = m.stream ? /^(eni-[0-9a-f]+)/.exec(m.stream)?.[1] : undefined;
      this.view.defaults = eni && !base['interface-id'] ? { ...base, 'interface-id': eni } : base;
      this.feedRecord(m.message, 0, m.message.length, line);
    }
    this.view.defaults = base;
  }
}

/**
 * Splits a stream of text into top-level JSON values (JSON lines, concatenated objects as Firehose writes
 * them, a pretty-printed document, or the elements of a top-level array) and parses each.
 */
class JsonSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private startLine = 0;
  private arrayTop = false;

  constructor(
    private readonly emit: (value: unknown, line: number) => void,
    private readonly fail: (line: number, message: string) => void,
  ) {}

  feed(t: string, s: number, e: number, line: number): void {
    // Fast path: a whole JSON line.
    if (this.depth === 0 && !this.arrayTop && this.parts.length === 0) {
      let a = s;
      let b = e;
      while (a < b && (t.charCodeAt(a) === 32 || t.charCodeAt(a) === 9)) a++;
      while (b > a && (t.charCodeAt(b - 1) === 32 || t.charCodeAt(b - 1) === 9)) b--;
      if (a === b) return;
      if (t.charCodeAt(a) === 123 && t.charCodeAt(b - 1) === 125) {
        try {
          this.emit(JSON.parse(t.slice(a, b)), line);
          return;
        } catch {
          // not one value on this line (concatenated or broken): scan it
        }
      }
    }
    let segStart = s;
    for (let p = s; p < e; p++) {
      const c = t.charCodeAt(p);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
        continue;
      }
      if (c === 123 || c === 91) {
        if (this.depth === 0 && c === 91 && !this.arrayTop && this.parts.length === 0) {
          this.arrayTop = true; // a top-level array: emit its elements one by one
          segStart = p + 1;
          continue;
        }
        if (this.depth === 0) {
          segStart = p;
          this.startLine = line;
          this.parts = [];
        }
        this.depth++;
      } else if (c === 125 || c === 93) {
        if (this.depth === 0) {
          if (c === 93 && this.arrayTop) this.arrayTop = false;
          else this.fail(line, 'unbalanced JSON');
          segStart = p + 1;
          continue;
        }
        this.depth--;
        if (this.depth === 0) {
          this.parts.push(t.slice(segStart, p + 1));
          const text = this.parts.join('');
          this.parts = [];
          segStart = p + 1;
          try {
            this.emit(JSON.parse(text), this.startLine);
          } catch (err) {
            this.fail(this.startLine, `not valid JSON (${(err as Error).message})`);
          }
        }
      }
    }
    if (this.depth > 0) this.parts.push(t.slice(segStart, e), '\n');
  }

  finish(line: number): void {
    if (this.depth > 0) this.fail(this.startLine, `the JSON value that starts here is not closed by the end of the input (line ${line})`);
  }
}

/** Per-input result of a streaming read. */
export interface InputSummary {
  readonly file: string;
  readonly kind: 'text' | 'gzip' | 'cloudwatch-json' | 'cloudwatch-export' | 'parquet';
  readonly fields: readonly string[];
  readonly formatSource: 'option' | 'header' | 'default' | 'parquet';
  readonly lines: number;
  readonly records: number;
  readonly malformed: number;
  readonly truncated: boolean;
  /** Fields of the format(s) that AWS does not document. */
  readonly unknownFields: readonly string[];
  /** Set when DuckDB scanned and grouped the input (`scanAndExplain`); absent when streamed. */
  readonly engine?: 'duckdb';
}

export interface StreamOptions {
  readonly format?: string;
  readonly defaults?: RecordDefaults;
  readonly onRecord: (view: RecordView) => void;
  readonly onProblem?: (problem: ReadProblem) => void;
  /** Called after every `progressEvery` records (default 1,000,000) with the running count of this input. */
  readonly onProgress?: (records: number, file: string) => void;
  readonly progressEvery?: number;
}

/**
 * The first 4 bytes of a regular file; undefined for a pipe or FIFO, which cannot be read from a position
 * and must be opened once only (a writer that finds no reader gets SIGPIPE).
 */
function magic(file: string): Buffer | undefined {
  if (!statSync(file).isFile()) return undefined;
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * A pipe's bytes (`<(…)`, `/dev/stdin`), read once: the first chunk tells whether it is gzip (its magic
 * bytes), then goes on with the rest.
 */
async function openPipe(file: string): Promise<{ readonly gzip: boolean; readonly bytes: Readable; readonly source: Readable }> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  async function* all(): AsyncGenerator<Buffer> {
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { gzip: !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b, bytes: Readable.from(all(), { objectMode: false }), source };
}

/**
 * Streams one input (file path) through the parser. Throws only when the file cannot be opened; every
 * problem inside it is reported through `onProblem`.
 */
export async function streamFlowLogFile(file: string, options: StreamOptions): Promise<InputSummary> {
  statSync(file);
  const head = magic(file);
  const onProblem = options.onProblem ?? (() => {});
  const every = options.progressEvery ?? 1_000_000;
  let nextProgress = every;
  const parser = new FlowLogLineParser(file, {
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.defaults ? { defaults: options.defaults } : {}),
    onProblem,
    onRecord: (v) => {
      options.onRecord(v);
      if (options.onProgress && parser.records >= nextProgress) {
        nextProgress += every;
        options.onProgress(parser.records, file);
      }
    },
  });
  if (head?.toString('latin1') === 'PAR1') {
    await streamParquet(file, parser, onProblem);
    return summary(file, parser, 'parquet', false);
  }
  // A regular file is opened again from its start; a pipe (no `head`: Parquet needs a file) is opened once.
  const { gzip, bytes, source } = head ? { gzip: head[0] === 0x1f && head[1] === 0x8b, bytes: createReadStream(file, { highWaterMark: 1 << 20 }), source: undefined } : await openPipe(file);
  const stream = gzip ? bytes.pipe(createGunzip()) : bytes;
  stream.setEncoding('utf8');
  let rest = '';
  let truncated = false;
  try {
    for await (const chunk of stream as AsyncIterable<string>) rest = feedChunk(parser, rest, chunk);
    if (rest.length) parser.feedLine(rest);
    parser.finish();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    truncated = true;
    const cut = parser.lines + 1;
    const corrupt = err.code === 'Z_DATA_ERROR';
    const why = err.code === 'Z_BUF_ERROR' ? 'the gzip data ends early (unexpected end of file)' : corrupt ? `the gzip data is corrupt (${err.message})` : `the file could not be read to its end (${err.code ?? err.message})`;
    onProblem({
      code: corrupt ? 'corrupt' : 'truncated',
      severity: 'error',
      file,
      line: cut,
      message: corrupt
        ? `${why}, detected at line ${cut}: ${parser.records} records were read before it (damaged lines among them are reported as malformed); the rest of the file is lost`
        : `${why} at line ${cut}: the ${parser.records} records of lines 1-${cut - 1} were read; line ${cut}${rest.length ? ' (cut short)' : ''} and anything after it are missing`,
    });
  } finally {
    bytes.destroy();
    source?.destroy();
  }
  return summary(file, parser, gzip && parser.kind === 'text' ? 'gzip' : parser.kind, truncated);
}

function summary(file: string, p: FlowLogLineParser, kind: InputSummary['kind'], truncated: boolean): InputSummary {
  return { file, kind, fields: p.fields, formatSource: p.formatSource, lines: p.lines, records: p.records, malformed: p.malformed, truncated, unknownFields: [...p.unknownFields] };
}

/**
 * Splits a chunk into lines; returns the unfinished tail. The chunk itself is scanned in place (a flat
 * string: concatenating it to the previous tail would make every character access go through a cons
 * string); only the one line that spans two chunks is joined.
 */
function feedChunk(parser: FlowLogLineParser, rest: string, chunk: string): string {
  let e = chunk.indexOf('\n');
  if (e === -1) return rest + chunk;
  let s = 0;
  if (rest.length) {
    parser.feedLine(rest + chunk.slice(0, e));
    s = e + 1;
    e = chunk.indexOf('\n', s);
  }
  while (e !== -1) {
    parser.feedLine(chunk, s, e);
    s = e + 1;
    e = chunk.indexOf('\n', s);
  }
  return chunk.slice(s);
}

/** Parquet rows through DuckDB: column names use `_` where field names use `-` (§1.2). */
async function streamParquet(file: string, parser: FlowLogLineParser, onProblem: (p: ReadProblem) => void): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  parser.kind = 'parquet';
  try {
    // hive_partitioning off: `aws-region=…/year=…` folders must not become columns.
    const result = await conn.stream(`SELECT * FROM read_parquet('${file.replace(/'/g, "''")}', hive_partitioning = false)`);
    const fields = result.columnNames().map(fieldOfColumn);
    // The Parquet schema is the format; values become text and go through the same checks.
    parser.useFormat(fields, 'parquet');
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) parser.feedLine(row.map((x) => (x === null || x === undefined ? '-' : String(x))).join(' '));
    }
  } catch (e) {
    onProblem({ code: 'unreadable', severity: 'error', file, line: parser.lines + 1, message: `DuckDB could not read this Parquet file past row ${Math.max(0, parser.lines - 1)}: ${(e as Error).message.split('\n')[0]}` });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** What `readFlowLogFile` and `parseFlowLogLines` return: every record in memory (small inputs, tests). */
export interface ReadResult {
  readonly records: FlowLogRecord[];
  /** The format in force at the end of the input. */
  readonly fields: readonly string[];
  readonly problems: ReadProblem[];
  readonly lines: number;
  readonly unknownFields: readonly string[];
}

/** Parses lines of text (already decompressed); `format` overrides the header. */
export function parseFlowLogLines(lines: Iterable<string>, file: string, format?: string, defaults?: RecordDefaults): ReadResult {
  const records: FlowLogRecord[] = [];
  const problems: ReadProblem[] = [];
  const parser = new FlowLogLineParser(file, {
    ...(format !== undefined ? { format } : {}),
    ...(defaults ? { defaults } : {}),
    onRecord: (v) => records.push(v.toRecord()),
    onProblem: (p) => problems.push(p),
  });
  for (const line of lines) parser.feedLine(line);
  parser.finish();
  return { records, fields: parser.fields, problems, lines: parser.lines, unknownFields: [...parser.unknownFields] };
}

/** Reads a whole file into memory (plain, gzip, CloudWatch JSON or Parquet). For large inputs use `streamFlowLogFile`. */
export async function readFlowLogFile(file: string, format?: string): Promise<ReadResult> {
  const records: FlowLogRecord[] = [];
  const problems: ReadProblem[] = [];
  const s = await streamFlowLogFile(file, {
    ...(format !== undefined ? { format } : {}),
    defaults: defaultsFromPath(file),
    onRecord: (v) => records.push(v.toRecord()),
    onProblem: (p) => problems.push(p),
  });
  return { records, fields: s.fields, problems, lines: s.lines, unknownFields: s.unknownFields };
}

/**
 * Defaults a path supplies: the S3 key layout (`AWSLogs/<account>/vpcflowlogs/<region>/…`, Hive
 * `aws-account-id=…/aws-region=…`) gives account and Region; a CloudWatch stream file named `eni-…` (as
 * `aws logs` exports are often saved, one stream per interface) gives the interface.
 */
export function defaultsFromPath(file: string): RecordDefaults {
  const p = file.replace(/\\/g, '/');
  const out: { -readonly [K in keyof RecordDefaults]: RecordDefaults[K] } = {};
  const s3 = /AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\//.exec(p);
  const hive = /aws-account-id=(\d{12})\/aws-service=vpcflowlogs\/aws-region=([a-z0-9-]+)\//.exec(p);
  const m = s3 ?? hive;
  if (m) {
    out['account-id'] = m[1] as string;
    out.region = m[2] as string;
  }
  const eni = /^(eni-[0-9a-f]{8,17})(?![0-9a-f])/.exec(basename(p))?.[1];
  if (eni) out['interface-id'] = eni;
  return out;
}

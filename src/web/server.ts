/**
 * `vpctwin serve`: one web page and a small JSON API over the library, for one loaded snapshot.
 *
 * Safety: binds 127.0.0.1 unless told otherwise; serves only its own assets, named in a fixed table (no path
 * from the request ever reaches the file system, and a path with `..` is refused); checks the Host header
 * when bound to loopback so another site cannot read the API through DNS rebinding; sends a
 * Content-Security-Policy that allows only its own scripts.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resourceDetails } from '../analyses/details.js';
import { exposure, type ExposureFinding } from '../analyses/exposure.js';
import { find } from '../analyses/find.js';
import { resolveName } from '../analyses/resolve.js';
import { explainFlowLogRecords, summarizeExplanations } from '../analyses/flow-logs/explain.js';
import { parseFlowLogLines } from '../analyses/flow-logs/reader.js';
import { scanAndExplain } from '../analyses/flow-logs/scan.js';
import type { Overlay } from '../analyses/overlay.js';
import { layoutTopology, pathHighlight, refIndex, topology, type RefIndex, type Topology } from '../analyses/topology.js';
import { trace, TraceRequestError, type TraceRequest } from '../analyses/trace.js';
import type { TraceResult } from '../engine/trace-types.js';
import type { NetworkModel } from '../model/network.js';

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  /** Service overlay for traces (application hops AWS cannot see). */
  readonly overlay?: Overlay;
  /** Flow-log files or folders given on the command line, explained on request. */
  readonly flowLogs?: readonly string[];
  /** Shown in the page title. */
  readonly snapshotName?: string;
  /** VPCs above which the first picture shows VPCs collapsed. */
  readonly autoExpandLimit?: number;
}

const require = createRequire(import.meta.url);
const ASSET_DIR = fileURLToPath(new URL('../../assets/web/', import.meta.url));

/** The only files the server sends: request path → file and type. */
const ASSETS: Readonly<Record<string, { file: () => string; type: string }>> = {
  '/': { file: () => `${ASSET_DIR}index.html`, type: 'text/html; charset=utf-8' },
  '/index.html': { file: () => `${ASSET_DIR}index.html`, type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => `${ASSET_DIR}app.js`, type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: () => `${ASSET_DIR}style.css`, type: 'text/css; charset=utf-8' },
  '/vendor/cytoscape.min.js': { file: () => require.resolve('cytoscape/dist/cytoscape.min.js'), type: 'text/javascript; charset=utf-8' },
};

const MAX_BODY = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'BODY_TOO_LARGE', `the upload is larger than ${MAX_BODY / 1024 / 1024} MB: give the files to vpctwin serve --flow-logs instead`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new HttpError(400, 'BAD_PARAMETER', `${name}: "${v}" is not a whole number`);
  return Number(v);
}

/** The state behind the API: the model, its full topology index, and results computed once. */
class Site {
  private full: Topology | undefined;
  private index: RefIndex | undefined;
  private exposureCache: ExposureFinding[] | undefined;

  constructor(
    readonly model: NetworkModel,
    readonly options: ServeOptions,
  ) {}

  refs(): RefIndex {
    this.full ??= topology(this.model, { expand: 'all', collapseAccounts: [] });
    this.index ??= refIndex(this.full);
    return this.index;
  }

  summary() {
    const counts: Record<string, number> = {};
    for (const r of this.model.resources) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    return {
      snapshot: this.options.snapshotName ?? 'snapshot',
      accounts: this.model.accounts(),
      regions: this.model.regions(),
      counts,
      vpcs: this.model.vpcs.size,
      issues: { errors: this.model.issues.filter((i) => i.severity === 'error').length, warnings: this.model.issues.filter((i) => i.severity === 'warning').length },
      overlay: this.options.overlay !== undefined,
      flowLogFiles: this.options.flowLogs ?? [],
    };
  }

  /** `expand`: all, none or VPC ids; `collapse`: none or account ids drawn as one node (default: automatic). */
  graph(expandParam: string | null, collapseParam: string | null) {
    const expand = expandParam === null || expandParam === '' ? undefined : expandParam === 'all' || expandParam === 'none' ? expandParam : expandParam.split(',').filter(Boolean);
    const collapseAccounts = collapseParam === null || collapseParam === '' ? undefined : collapseParam === 'none' ? [] : collapseParam.split(',').filter(Boolean);
    const t = topology(this.model, {
      ...(expand ? { expand } : {}),
      ...(collapseAccounts ? { collapseAccounts } : {}),
      ...(this.options.autoExpandLimit !== undefined ? { autoExpandLimit: this.options.autoExpandLimit } : {}),
    });
    const boxes = layoutTopology(t);
    return { nodes: t.nodes.map((n) => ({ ...n, box: boxes.get(n.id) })), edges: t.edges, collapsed: t.collapsed, collapsedAccounts: t.collapsedAccounts };
  }

  trace(q: URLSearchParams) {
    const from = q.get('from');
    const to = q.get('to');
    if (!from || !to) throw new HttpError(400, 'BAD_PARAMETER', 'from and to are required');
    const numbers: { -readonly [K in 'port' | 'sourcePort' | 'icmpType' | 'icmpCode']?: number } = {};
    for (const k of ['port', 'sourcePort', 'icmpType', 'icmpCode'] as const) {
      const v = intParam(q, k);
      if (v !== undefined) numbers[k] = v;
    }
    const req: TraceRequest = {
      from,
      to,
      protocol: q.get('protocol') || 'tcp',
      ...numbers,
      ...(q.get('sourceIp') ? { sourceIp: q.get('sourceIp') as string } : {}),
      ...(this.options.overlay ? { overlay: this.options.overlay } : {}),
    };
    let result: TraceResult;
    try {
      result = trace(this.model, req);
    } catch (e) {
      if (e instanceof TraceRequestError) throw new HttpError(400, e.code, e.message);
      throw e;
    }
    return { result, highlight: pathHighlight(this.refs(), result) };
  }

  exposure() {
    this.exposureCache ??= exposure(this.model);
    // Witnesses (whole traces) come one at a time from /api/exposure/witness: thousands of findings stay small.
    return this.exposureCache.map((f, index) => ({
      index,
      networkInterfaceId: f.networkInterfaceId,
      owner: f.owner,
      account: f.account,
      region: f.region,
      vpcId: f.vpcId,
      address: f.address,
      protocol: f.protocol,
      fromPort: f.fromPort,
      toPort: f.toPort,
      sources: f.sources,
    }));
  }

  witness(i: number | undefined) {
    this.exposureCache ??= exposure(this.model);
    const f = i === undefined ? undefined : this.exposureCache[i];
    if (!f) throw new HttpError(404, 'NOT_FOUND', `no exposure finding ${i ?? ''}`);
    return { result: f.witness, highlight: pathHighlight(this.refs(), f.witness) };
  }

  resource(id: string | null) {
    if (!id) throw new HttpError(400, 'BAD_PARAMETER', 'id is required');
    const d = resourceDetails(this.model, id);
    if (!d) throw new HttpError(404, 'NOT_FOUND', `${id} is not in the snapshot`);
    return d;
  }

  find(q: string | null) {
    if (!q) throw new HttpError(400, 'BAD_PARAMETER', 'q is required');
    const r = find(this.model, q.trim());
    const index = this.refs();
    const ids = [...r.interfaces.map((i) => i.networkInterface.id), ...r.resources.map((x) => x.resource.id)];
    // A name only a VPC's resolver knows (a private hosted zone, endpoint private DNS): resolve it as each VPC
    // would, and show what its addresses are.
    const resolved: { vpcId?: string; addresses: readonly string[] }[] = [];
    if (ids.length === 0 && /^[a-z0-9_*-]+(\.[a-z0-9_-]+)+\.?$/i.test(q.trim())) {
      const seen = new Set<string>();
      for (const vpcId of [undefined, ...this.model.vpcs.keys()]) {
        const a = resolveName(this.model, q.trim(), vpcId);
        if (!a.ok) continue;
        const key = [...a.answer.addresses].sort().join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        resolved.push({ ...(vpcId ? { vpcId } : {}), addresses: a.answer.addresses });
        for (const addr of a.answer.addresses) for (const i of find(this.model, addr).interfaces) ids.push(i.networkInterface.id);
      }
    }
    const nodes = [...new Set(ids.flatMap((id) => index.nodes.get(id) ?? []))];
    const vpcs = [...new Set(nodes.flatMap((n) => index.vpcOf.get(n) ?? []))];
    const accounts = [...new Set(nodes.flatMap((n) => index.accountOf.get(n) ?? []))];
    return { result: r, nodes, vpcs, accounts, resolved };
  }

  explainText(text: string) {
    const read = parseFlowLogLines(text.split(/\r?\n/), 'upload');
    const flows = explainFlowLogRecords(this.model, read.records);
    return { records: read.records.length, problems: read.problems, summary: summarizeExplanations(flows), flows };
  }

  async explainGiven() {
    const files = this.options.flowLogs ?? [];
    if (files.length === 0) return { records: 0, problems: [], summary: {}, flows: [], files };
    const r = await scanAndExplain(this.model, files);
    return { records: r.records, problems: r.problems, summary: summarizeExplanations(r.flows), flows: r.flows, files };
  }
}

async function handle(site: Site, req: IncomingMessage, res: ServerResponse, allowedHosts: ReadonlySet<string> | undefined): Promise<void> {
  const raw = req.url ?? '/';
  // Refuse traversal in any spelling before anything else looks at the path.
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.split('?')[0] ?? '/');
  } catch {
    throw new HttpError(400, 'BAD_PATH', 'the path is not valid percent-encoding');
  }
  if (decoded.includes('..') || decoded.includes('\\') || decoded.includes('\0')) throw new HttpError(400, 'BAD_PATH', 'paths with .. are refused');
  if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) throw new HttpError(403, 'BAD_HOST', 'this server answers only to its own address (Host header)');
  const url = new URL(raw, 'http://localhost');
  const path = url.pathname;
  const q = url.searchParams;
  if (path.startsWith('/api/')) {
    if (path === '/api/flowlogs/explain' && req.method === 'POST') return sendJson(res, 200, site.explainText(await readBody(req)));
    if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
    switch (path) {
      case '/api/summary':
        return sendJson(res, 200, site.summary());
      case '/api/graph':
        return sendJson(res, 200, site.graph(q.get('expand'), q.get('collapse')));
      case '/api/resource':
        return sendJson(res, 200, site.resource(q.get('id')));
      case '/api/find':
        return sendJson(res, 200, site.find(q.get('q')));
      case '/api/trace':
        return sendJson(res, 200, site.trace(q));
      case '/api/exposure':
        return sendJson(res, 200, site.exposure());
      case '/api/exposure/witness':
        return sendJson(res, 200, site.witness(intParam(q, 'i')));
      case '/api/flowlogs':
        return sendJson(res, 200, await site.explainGiven());
      default:
        throw new HttpError(404, 'NOT_FOUND', `no API ${path}`);
    }
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed`);
  const asset = ASSETS[path];
  if (!asset) throw new HttpError(404, 'NOT_FOUND', `${path} is not one of this server's files`);
  send(res, 200, readFileSync(asset.file()), asset.type);
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens (port 0 picks a free port). */
export function startServer(model: NetworkModel, options: ServeOptions = {}): Promise<RunningServer> {
  const site = new Site(model, options);
  const host = options.host ?? '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  let allowedHosts: Set<string> | undefined;
  const server = createServer((req, res) => {
    handle(site, req, res, allowedHosts).catch((e: unknown) => {
      if (e instanceof HttpError) sendJson(res, e.status, { error: { code: e.code, message: e.message } });
      else sendJson(res, 500, { error: { code: 'INTERNAL', message: (e as Error).message } });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      const port = (server.address() as AddressInfo).port;
      if (loopback) allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
      const shown = host.includes(':') ? `[${host}]` : host;
      // The index that maps traces onto the picture covers every interface: build it while nobody waits.
      setImmediate(() => site.refs());
      resolve({
        server,
        url: `http://${shown}:${port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

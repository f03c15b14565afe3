/**
 * The server without a browser: loopback by default, only its own files, traversal refused in any spelling,
 * Host checked against DNS rebinding, JSON errors with codes, and the API answers.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { startServer, type RunningServer } from '../../src/web/server.js';

let server: RunningServer;
let port: number;

beforeAll(async () => {
  server = await startServer(loadSnapshot('examples/flowlogs-lab'), { port: 0 });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

/** A raw request: the path is sent exactly as given (no client-side normalisation of `..`). */
function get(path: string, opts: { method?: string; host?: string; body?: string } = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('vpctwin serve', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
  });

  it('serves its page, script, style and Cytoscape, with a CSP that allows only its own scripts', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/app.js">');
    for (const p of ['/app.js', '/style.css', '/vendor/cytoscape.min.js']) expect((await get(p)).status).toBe(200);
    const res = await new Promise<string>((resolve) => request({ host: '127.0.0.1', port, path: '/' }, (r) => resolve(String(r.headers['content-security-policy']))).end());
    expect(res).toContain("default-src 'self'");
  });

  it.each([
    ['/../package.json', 400],
    ['/%2e%2e/package.json', 400],
    ['/%2E%2E%2Fpackage.json', 400],
    ['/vendor/..%2f..%2fpackage.json', 400],
    ['/..\\package.json', 400],
    ['/%5c..%5cpackage.json', 400],
    ['/package.json', 404],
    ['/src/web/server.ts', 404],
    ['/vendor/', 404],
    ['/etc/passwd', 404],
  ])('refuses %s with %i and a JSON error', async (path, status) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.type).toContain('application/json');
    expect(JSON.parse(r.body).error.code).toBe(status === 400 ? 'BAD_PATH' : 'NOT_FOUND');
    expect(r.body).not.toContain('"name": "vpctwin"');
  });

  it('answers only to its own address (DNS rebinding)', async () => {
    const r = await get('/api/summary', { host: 'attacker.example' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('BAD_HOST');
    expect((await get('/api/summary', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('API: summary, graph with layout boxes, details, trace with highlight, errors with codes', async () => {
    const summary = JSON.parse((await get('/api/summary')).body);
    expect(summary).toMatchObject({ vpcs: 1, accounts: ['123456789012'] });
    const graph = JSON.parse((await get('/api/graph')).body);
    const a = graph.nodes.find((n: { id: string }) => n.id === 'eni-0a1b2c3d4e5f60718');
    expect(a.label.split('\n')[0]).toBe('lab-a');
    expect(a.box.w).toBeGreaterThan(0);
    const details = JSON.parse((await get('/api/resource?id=eni-0b2c3d4e5f6a70819')).body);
    // lab-sg has no inbound rules: the flow-logs lab's ping is dropped by it.
    expect(details.securityGroups).toEqual([expect.objectContaining({ name: 'lab-sg', inbound: [] })]);
    expect(details.networkAcl.inbound.at(-1)).toEqual({ ruleNumber: '*', rule: 'deny all traffic (the final rule)' });
    const t = JSON.parse((await get('/api/trace?from=lab-a&to=lab-b&protocol=icmp')).body);
    expect(t.result.reachable).toBe(false);
    expect(t.highlight.blockers[0]).toMatchObject({ code: 'ENI_SG_RULES_MISMATCH', nodes: ['eni-0b2c3d4e5f6a70819'] });
    const bad = await get('/api/trace?from=lab-a');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'BAD_PARAMETER' });
    const unknown = await get('/api/trace?from=lab-a&to=nowhere-host');
    expect(unknown.status).toBe(400);
    expect((await get('/api/resource?id=vpc-0000000000000dead')).status).toBe(404);
    expect((await get('/api/trace?from=a&to=b', { method: 'POST' })).status).toBe(405);
    expect((await get('/api/nothing')).status).toBe(404);
  });

  it('explains uploaded flow-log records', async () => {
    const r = await get('/api/flowlogs/explain', { method: 'POST', body: '2 123456789012 eni-0b2c3d4e5f6a70819 172.31.40.10 172.31.40.20 0 0 1 1 84 1700000000 1700000004 REJECT OK\n' });
    const body = JSON.parse(r.body);
    expect(body.records).toBe(1);
    expect(body.flows[0]).toMatchObject({ verdict: 'explained', component: { id: 'sg-05a4b3c2d1e0f9a8b', type: 'security-group' } });
  });
});

describe('exposure over the API', () => {
  let alb: RunningServer;
  let albPort: number;
  beforeAll(async () => {
    alb = await startServer(loadSnapshot('test/fixtures/alb-public'), { port: 0 });
    albPort = Number(new URL(alb.url).port);
  });
  afterAll(() => alb.close());
  const albGet = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${albPort}${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('lists findings without their witnesses, and gives each witness with its highlight on request', async () => {
    const list = await albGet('/api/exposure');
    expect(list.status).toBe(200);
    // The internet-facing ALB is reachable on 443 through its nodes (one finding per node address).
    expect(list.body.length).toBeGreaterThan(0);
    for (const f of list.body) {
      expect(f).toMatchObject({ owner: 'application load balancer web-alb node', protocol: 'tcp', fromPort: 443, toPort: 443 });
      expect(f.witness).toBeUndefined();
    }
    const w = await albGet(`/api/exposure/witness?i=${list.body[0].index}`);
    expect(w.body.result.reachable).toBe(true);
    expect(w.body.result.query.source.kind).toBe('internet');
    expect(w.body.highlight.forward).toContain(list.body[0].networkInterfaceId);
    expect((await albGet(`/api/exposure/witness?i=${list.body.length}`)).status).toBe(404);
    expect((await albGet('/api/exposure/witness?i=x')).status).toBe(400);
  });
});

/**
 * A small AWS endpoint on 127.0.0.1 for the collector tests: it reads what the real SDK clients send (SigV4
 * credential scope for access key, region and service; query-protocol forms (EC2, ELBv2 and Classic ELB,
 * told apart by their `Version`); Organizations and Direct Connect JSON 1.1; Route 53 REST paths), hands each request to a responder and records it with its timing, so tests can check
 * pagination, retries, concurrency and which calls were made.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServiceName = 'ec2' | 'elasticloadbalancing' | 'sts' | 'organizations' | 'directconnect' | 'route53';

export interface AwsRequest {
  readonly seq: number;
  readonly service: ServiceName;
  readonly action: string;
  readonly accessKeyId: string;
  readonly sessionToken?: string;
  readonly region: string;
  /** Form fields (query protocols), JSON body members (Organizations, Direct Connect), or query string plus path ids (Route 53). */
  readonly params: Readonly<Record<string, string>>;
  readonly start: number;
  end?: number;
  status?: number;
}

export interface Reply {
  readonly status?: number;
  readonly body: string;
  readonly contentType?: string;
  readonly delayMs?: number;
}

export type Responder = (req: AwsRequest) => Reply;

export interface AwsServer {
  readonly url: string;
  readonly requests: AwsRequest[];
  /** Highest number of requests in flight at once, per scope `account-key/region/service`. */
  readonly maxInFlight: Map<string, number>;
  /** Called as each request arrives (tests use it to interrupt a run after N calls). */
  onRequest?: (req: AwsRequest) => void;
  close(): Promise<void>;
}

function route53Action(method: string, path: string, query: URLSearchParams): { action: string; params: Record<string, string> } {
  const params = Object.fromEntries(query.entries());
  const m = /^\/2013-04-01\/hostedzone(?:\/([^/]+))?(\/rrset)?\/?$/.exec(path);
  if (method === 'GET' && m && !m[1]) return { action: 'ListHostedZones', params };
  if (method === 'GET' && m?.[1] && m[2]) return { action: 'ListResourceRecordSets', params: { ...params, Id: m[1] } };
  if (method === 'GET' && m?.[1]) return { action: 'GetHostedZone', params: { ...params, Id: m[1] } };
  return { action: `Unknown ${method} ${path}`, params };
}

export async function startAwsServer(respond: Responder): Promise<AwsServer> {
  const requests: AwsRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let seq = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = String(req.headers.authorization ?? '');
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
      const service = (scope?.[3] ?? 'unknown') as ServiceName;
      const url = new URL(req.url ?? '/', 'http://localhost');
      let action = 'Unknown';
      let params: Record<string, string> = {};
      if (service === 'route53') ({ action, params } = route53Action(req.method ?? 'GET', url.pathname, url.searchParams));
      else if (service === 'organizations' || service === 'directconnect') {
        action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? 'Unknown';
        params = Object.fromEntries(Object.entries(body ? (JSON.parse(body) as Record<string, unknown>) : {}).map(([k, v]) => [k, String(v)]));
      } else {
        params = Object.fromEntries(new URLSearchParams(body).entries());
        action = params.Action ?? 'Unknown';
      }
      const request: AwsRequest = {
        seq: ++seq,
        service,
        action,
        accessKeyId: scope?.[1] ?? '',
        sessionToken: req.headers['x-amz-security-token'] as string | undefined,
        region: scope?.[2] ?? '',
        params,
        start: performance.now(),
      };
      requests.push(request);
      const key = `${request.accessKeyId}/${request.region}/${service}`;
      const now = (inFlight.get(key) ?? 0) + 1;
      inFlight.set(key, now);
      maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, now));
      handle.onRequest?.(request);
      let reply: Reply;
      try {
        reply = respond(request);
      } catch (e) {
        reply = { status: 500, body: `<Response><Errors><Error><Code>InternalError</Code><Message>${String(e)}</Message></Error></Errors></Response>` };
      }
      const send = () => {
        inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        request.end = performance.now();
        request.status = reply.status ?? 200;
        if (res.destroyed) return;
        res.writeHead(request.status, { 'content-type': reply.contentType ?? 'text/xml', 'x-amzn-requestid': `req-${request.seq}` });
        res.end(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: AwsServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return handle;
}

/**
 * What a change opens or closes: exposure findings that appear or disappear between two snapshots, and, for
 * a given source and destination, the flows (protocol and destination-port ranges, each with a witness
 * trace) that become reachable or unreachable. Ports are probed at every boundary of the destination's
 * security-group rules and NACL entries in either snapshot, where verdicts can change.
 */
import type { NetworkModel } from '../model/network.js';
import type { TraceResult } from '../engine/trace-types.js';
import { exposure, type ExposureFinding } from './exposure.js';
import { resolveTraceQuery, trace, TraceRequestError } from './trace.js';

export interface FlowChange {
  readonly change: 'newly-allowed' | 'newly-blocked';
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly witness: TraceResult;
}

export interface DiffResult {
  readonly exposureAppeared: readonly ExposureFinding[];
  readonly exposureDisappeared: readonly ExposureFinding[];
  readonly flows: readonly FlowChange[];
}

const key = (f: ExposureFinding) => `${f.networkInterfaceId}|${f.address}|${f.protocol}|${f.fromPort}-${f.toPort}|${f.sources.join(',')}`;

/** Port boundaries of the destination interface's rules in a snapshot. */
function boundaries(model: NetworkModel, to: string): number[] {
  let eniId: string | undefined;
  try {
    eniId = resolveTraceQuery(model, { from: 'internet', to }).query.destination.networkInterfaceId;
  } catch (e) {
    if (e instanceof TraceRequestError) return [];
    throw e;
  }
  const eni = eniId ? model.networkInterfaces.get(eniId) : undefined;
  if (!eni) return [];
  const out: number[] = [];
  for (const id of eni.securityGroupIds)
    for (const r of model.securityGroups.get(id)?.ingress ?? []) if (r.fromPort !== undefined && r.toPort !== undefined && r.fromPort >= 0) out.push(r.fromPort, r.toPort + 1);
  const acl = model.networkAcls.get(model.subnets.get(eni.subnetId)?.networkAclId ?? '');
  for (const e of acl?.inbound ?? []) if (e.portRange) out.push(e.portRange.from, e.portRange.to + 1);
  return out;
}

export function diffSnapshots(before: NetworkModel, after: NetworkModel, flow?: { from: string; to: string }): DiffResult {
  const b = exposure(before);
  const a = exposure(after);
  const bk = new Set(b.map(key));
  const ak = new Set(a.map(key));
  const flows: FlowChange[] = [];
  if (flow) {
    const cuts = [...new Set([0, 22, 80, 443, 65536, ...boundaries(before, flow.to), ...boundaries(after, flow.to)])].filter((p) => p >= 0 && p <= 65536).sort((x, y) => x - y);
    const probes: { protocol: string; from?: number; to?: number }[] = [{ protocol: 'icmp' }];
    for (const protocol of ['tcp', 'udp']) for (let i = 0; i + 1 < cuts.length; i++) probes.push({ protocol, from: cuts[i] as number, to: (cuts[i + 1] as number) - 1 });
    const run = (m: NetworkModel, p: (typeof probes)[number]) => {
      try {
        return trace(m, { from: flow.from, to: flow.to, protocol: p.protocol, ...(p.from !== undefined ? { port: p.from } : {}) });
      } catch (e) {
        if (e instanceof TraceRequestError) return undefined;
        throw e;
      }
    };
    for (const p of probes) {
      const rb = run(before, p);
      const ra = run(after, p);
      const was = rb?.reachable ?? false;
      const now = ra?.reachable ?? false;
      if (was === now) continue;
      const witness = (now ? ra : rb) as TraceResult;
      const last = flows[flows.length - 1];
      const change = now ? 'newly-allowed' : 'newly-blocked';
      // Adjacent port ranges with the same change merge.
      if (last && last.change === change && last.protocol === p.protocol && last.toPort !== undefined && p.from !== undefined && last.toPort + 1 === p.from) flows[flows.length - 1] = { ...last, toPort: p.to };
      else flows.push({ change, protocol: p.protocol, ...(p.from !== undefined ? { fromPort: p.from, toPort: p.to } : {}), witness });
    }
  }
  return { exposureAppeared: a.filter((f) => !bk.has(key(f))), exposureDisappeared: b.filter((f) => !ak.has(key(f))), flows };
}

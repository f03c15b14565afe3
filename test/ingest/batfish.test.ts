/**
 * Batfish AWS snapshots load as they are. The fixtures are built here from the example estates in Batfish's
 * shapes (one file per top-level key, `aws_configs/` layouts, and Batfish's wrapper lists for TGW static
 * routes and propagations and for load-balancer listeners, attributes and target health) — written for
 * vpctwin, not copied from Batfish.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventory } from '../../src/analyses/inventory.js';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { tempDir } from '../helpers/temp-snapshot.js';

type Doc = Record<string, unknown>;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') ? [p] : [];
    });
}

/** Groups an example's files by account/region and rewrites them the way Batfish stores them. */
function toBatfish(example: string): Map<string, Record<string, unknown[]>> {
  const out = new Map<string, Record<string, unknown[]>>();
  for (const file of jsonFiles(example)) {
    const [account, region] = relative(example, file).split('/');
    const scope = `${account}/${region}`;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
    const bucket = out.get(scope) ?? {};
    out.set(scope, bucket);
    const push = (key: string, items: unknown[]) => (bucket[key] = [...(bucket[key] ?? []), ...items]);
    if (doc.TransitGatewayRouteTableId && doc.Routes) push('TransitGatewayStaticRoutes', [{ TransitGatewayRouteTableId: doc.TransitGatewayRouteTableId, Routes: doc.Routes, AdditionalRoutesAvailable: false }]);
    else if (doc.TransitGatewayRouteTableId && doc.TransitGatewayRouteTablePropagations)
      push('TransitGatewayPropagations', [{ TransitGatewayRouteTableId: doc.TransitGatewayRouteTableId, TransitGatewayRouteTablePropagations: doc.TransitGatewayRouteTablePropagations }]);
    else if (doc.TargetGroupArn && doc.TargetHealthDescriptions) push('LoadBalancerTargetHealth', [{ TargetGroupArn: doc.TargetGroupArn, TargetHealthDescriptions: doc.TargetHealthDescriptions }]);
    else if (doc.LoadBalancerArn && doc.Attributes) push('LoadBalancerAttributes', [{ LoadBalancerArn: doc.LoadBalancerArn, Attributes: doc.Attributes }]);
    else if (doc.Listeners) push('LoadBalancerListeners', doc.Listeners as unknown[]);
    else if (doc.TransitGatewayRouteTableId || doc.TargetGroupArn || doc.HostedZoneId || doc.ServiceId || doc.VpcId) {
      // Calls Batfish has no wrapper for keep vpctwin's own form (parent key beside the list).
      const name = `${Object.keys(doc).sort().join('-')}-${jsonFiles(example).indexOf(file)}`;
      bucket[`__file__${name}`] = [doc];
    } else for (const [k, v] of Object.entries(doc)) if (Array.isArray(v)) push(k, v);
  }
  return out;
}

function writeBatfish(example: string, layout: 'accounts' | 'regions' | 'flat'): { root: string; snapshot: string } {
  const root = tempDir('batfish');
  for (const [scope, keys] of toBatfish(example)) {
    const [account, region] = scope.split('/') as [string, string];
    const dir = layout === 'accounts' ? join(root, 'aws_configs', 'accounts', account, region) : layout === 'regions' ? join(root, 'aws_configs', region) : join(root, 'aws_configs');
    mkdirSync(dir, { recursive: true });
    for (const [key, items] of Object.entries(keys)) {
      if (key.startsWith('__file__')) writeFileSync(join(dir, `${key.slice(8)}.json`), JSON.stringify(items[0]));
      else writeFileSync(join(dir, `${key}.json`), JSON.stringify({ [key]: items }));
    }
  }
  // `accounts` and `flat` are given as the aws_configs folder itself; `regions` as the snapshot root.
  return { root, snapshot: layout === 'regions' ? root : join(root, 'aws_configs') };
}

const errors = (m: ReturnType<typeof loadSnapshot>) => m.issues.filter((i) => i.severity === 'error');

describe('Batfish AWS snapshots', () => {
  it('aws_configs/accounts/<account>/<region>/ with TGW and load-balancer wrappers loads like the original', () => {
    const { snapshot } = writeBatfish('examples/hybrid-vpn-tgw-privatelink', 'accounts');
    const m = loadSnapshot(snapshot);
    expect(errors(m)).toEqual([]);
    const original = loadSnapshot('examples/hybrid-vpn-tgw-privatelink');
    expect(JSON.stringify(inventory(m))).toBe(JSON.stringify(inventory(original)));
    const rtb = m.transitGatewayRouteTables.get('tgw-rtb-0b294969771f4a7cb');
    expect(rtb?.routes.map((r) => (r.destination.kind === 'cidr' ? r.destination.cidr : '')).sort()).toEqual(['10.0.0.0/16', '192.168.0.0/16']);
    expect(rtb?.routes[0]?.source.path).toMatch(/^\$\.TransitGatewayStaticRoutes\[0\]\.Routes\[\d\]$/);
    expect(rtb?.propagatingAttachmentIds.length).toBeGreaterThan(0);
    const lb = [...m.loadBalancers.values()][0];
    expect(m.listenersOf(lb?.arn as string).map((l) => `${l.protocol}:${l.port}`)).toEqual(['TCP:5432']);
    expect(Object.keys(lb?.attributes ?? {})).toContain('load_balancing.cross_zone.enabled');
    const tg = [...m.targetGroups.values()][0];
    expect(tg?.targets.map((t) => t.healthState)).toEqual(['healthy', 'healthy']);
    expect(tg?.targets[0]?.source.path).toMatch(/^\$\.LoadBalancerTargetHealth\[0\]\.TargetHealthDescriptions\[\d\]$/);
    // And the model traces as before.
    expect(trace(m, { from: '192.168.10.10', to: 'connectivity-app', port: 22 }).reachable).toBe(true);
  });

  it('a snapshot root holding aws_configs/<region>/ loads with zero errors', () => {
    const { snapshot } = writeBatfish('examples/flowlogs-lab', 'regions');
    const m = loadSnapshot(snapshot);
    expect(errors(m)).toEqual([]);
    expect(m.instances.size).toBe(2);
    expect([...m.vpcs.values()][0]?.region).toBe('us-east-1');
  });

  it('files directly in aws_configs/ load with zero errors; the region comes from ARNs and zones', () => {
    const { snapshot } = writeBatfish('examples/peering-nontransitive', 'flat');
    const m = loadSnapshot(snapshot);
    expect(errors(m)).toEqual([]);
    expect(m.vpcs.size).toBe(3);
    expect([...m.subnets.values()].every((s) => s.region === 'eu-west-1')).toBe(true);
    expect(trace(m, { from: 'a-app', to: 'b-app', port: 22 }).reachable).toBe(true);
  });
});

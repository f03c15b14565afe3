/**
 * The estate as a picture: containers, interface nodes named by their owners, PrivateLink edges per zone,
 * collapsed VPCs, a layout without overlaps, a trace mapped onto nodes, and the exports.
 */
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../bench/estate.mjs';
import { tempDir } from '../helpers/temp-snapshot.js';
import { loadOverlay } from '../../src/analyses/overlay.js';
import { layoutTopology, pathHighlight, refIndex, toDot, toDrawio, toMermaid, toSvg, topology, type Box, type Topology } from '../../src/analyses/topology.js';
import { trace } from '../../src/analyses/trace.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';

const HUB = 'examples/hub-spoke-privatelink';
const model = loadSnapshot(HUB);
const overlay = loadOverlay(`${HUB}/overlay.yaml`);
const HUB_VPC = 'vpc-076a8773670043f09';
const SPOKE_VPC = 'vpc-02a0659dcaf6d5db1';

describe('topology', () => {
  const t = topology(model);
  const byId = new Map(t.nodes.map((n) => [n.id, n]));

  it('nests accounts → regions → VPCs → zones → subnets → interfaces, and names interfaces by owner', () => {
    const vpc = byId.get(SPOKE_VPC);
    expect(vpc?.parent).toBe('region:210987654321/eu-central-1');
    expect(byId.get('region:210987654321/eu-central-1')?.parent).toBe('account:210987654321');
    const endpointEni = byId.get('eni-0a094ee735d3500db');
    expect(endpointEni?.type).toBe('vpc-endpoint');
    expect(endpointEni?.label.split('\n')[0]).toBe('endpoint vault-endpoint');
    expect(endpointEni?.refs).toContain('vpce-05f369e1810ebea62');
    const subnet = byId.get(endpointEni?.parent as string);
    expect(subnet?.type).toBe('subnet');
    expect(byId.get(subnet?.parent as string)?.type).toBe('availability-zone');
    expect(byId.get(byId.get(subnet?.parent as string)?.parent as string)?.id).toBe(SPOKE_VPC);
    // Every interface of the snapshot is drawn once.
    expect(t.nodes.filter((n) => n.id.startsWith('eni-')).length).toBe(model.networkInterfaces.size);
    // The NLB node stands for the load balancer, its listener, target group and endpoint service.
    const nlbNode = t.nodes.find((n) => n.type === 'load-balancer');
    expect(nlbNode?.refs.some((r) => r.includes(':listener/'))).toBe(true);
    expect(nlbNode?.refs.some((r) => r.includes(':targetgroup/'))).toBe(true);
    expect(nlbNode?.refs).toContain('vpce-svc-0154334b401d1c4fa');
  });

  it('draws PrivateLink from each endpoint interface to the NLB node in the same zone', () => {
    const pl = t.edges.filter((e) => e.type === 'privatelink');
    const zone = (eni: string) => model.subnetZoneId(model.networkInterfaces.get(eni)?.subnetId as string);
    expect(pl.length).toBe(3);
    for (const e of pl) expect(zone(e.source)).toBe(zone(e.target));
  });

  it('collapses VPCs into summary nodes, and expands only those asked for', () => {
    const none = topology(model, { expand: 'none' });
    expect([...none.collapsed].sort()).toEqual([SPOKE_VPC, HUB_VPC].sort());
    expect(none.nodes.filter((n) => n.type === 'subnet')).toEqual([]);
    expect(none.nodes.find((n) => n.id === HUB_VPC)?.label).toMatch(/\d+ subnets, \d+ interfaces \(collapsed\)/);
    // PrivateLink still shows, VPC to VPC.
    expect(none.edges.filter((e) => e.type === 'privatelink').map((e) => [e.source, e.target])).toEqual([[SPOKE_VPC, HUB_VPC]]);
    const one = topology(model, { expand: [HUB_VPC] });
    expect(one.collapsed).toEqual([SPOKE_VPC]);
    expect(one.nodes.filter((n) => n.type === 'subnet').every((s) => model.subnets.get(s.id)?.vpcId === HUB_VPC)).toBe(true);
    // Large estates start collapsed.
    expect(topology(model, { autoExpandLimit: 1 }).collapsed.length).toBe(2);
  });

  it('collapses an account into one node; edges to what it holds end at that node', () => {
    const hub = '209876543210';
    const t1 = topology(model, { collapseAccounts: [hub] });
    expect(t1.collapsedAccounts).toEqual([hub]);
    const node = t1.nodes.find((n) => n.id === `account:${hub}`);
    const hubEnis = [...model.networkInterfaces.values()].filter((e) => e.vpcId === HUB_VPC).length;
    expect(node?.label).toBe(`account ${hub}\n1 regions, 1 VPCs, ${hubEnis} interfaces (collapsed)`);
    expect(node?.collapsed).toBe(true);
    expect(t1.nodes.filter((n) => n.parent === `account:${hub}`)).toEqual([]);
    expect(t1.nodes.some((n) => n.id === HUB_VPC)).toBe(false);
    // PrivateLink from each spoke endpoint interface now ends at the hub account.
    const pl = t1.edges.filter((e) => e.type === 'privatelink');
    expect(pl.map((e) => e.target)).toEqual([`account:${hub}`, `account:${hub}`, `account:${hub}`]);
    expect(new Set(pl.map((e) => e.source)).size).toBe(3);
    // Above the threshold every account starts collapsed.
    expect(topology(model, { autoCollapseAccountsAbove: 1 }).collapsedAccounts).toEqual(['209876543210', '210987654321']);
    expect(topology(model).collapsedAccounts).toEqual([]);
  });
});

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function checkLayout(t: Topology): void {
  const boxes = layoutTopology(t);
  const kids = new Map<string | undefined, string[]>();
  for (const n of t.nodes) kids.set(n.parent, [...(kids.get(n.parent) ?? []), n.id]);
  for (const n of t.nodes) {
    const b = boxes.get(n.id) as Box;
    expect(b, n.id).toBeDefined();
    // Inside its parent.
    if (n.parent) {
      const p = boxes.get(n.parent) as Box;
      expect(b.x >= p.x && b.y >= p.y && b.x + b.w <= p.x + p.w && b.y + b.h <= p.y + p.h, `${n.id} inside ${n.parent}`).toBe(true);
    }
  }
  // Siblings never overlap.
  for (const list of kids.values())
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) expect(overlaps(boxes.get(list[i] as string) as Box, boxes.get(list[j] as string) as Box), `${list[i]} / ${list[j]}`).toBe(false);
}

describe('a generated estate of 60 VPCs', () => {
  const dir = tempDir('estate');
  generateEstate({ out: dir, vpcs: 60, enis: 600, seed: 7 });
  const big = loadSnapshot(dir);

  it('starts with VPCs collapsed, draws gateways without a line from the internet to each, and lays out cleanly', () => {
    const t = topology(big);
    expect(t.collapsed.length).toBe(60);
    expect(t.nodes.some((n) => n.type === 'internet')).toBe(true);
    expect(t.nodes.filter((n) => n.type === 'internet-gateway').length).toBe(big.internetGateways.size);
    expect(big.internetGateways.size).toBeGreaterThan(50);
    expect(t.edges.filter((e) => e.type === 'internet')).toEqual([]);
    // Each gateway still joins its VPC.
    expect(t.edges.filter((e) => e.type === 'attachment' && e.source.startsWith('igw-')).length).toBe(big.internetGateways.size);
    checkLayout(t);
  });
});

describe('layout', () => {
  it.each(['examples/hub-spoke-privatelink', 'examples/hybrid-vpn-tgw-privatelink', 'examples/peering-nontransitive', 'examples/private-subnet-egress', 'examples/flowlogs-lab'])('%s: every node inside its parent, no siblings overlapping', (dir) => {
    const m = loadSnapshot(dir);
    checkLayout(topology(m));
    checkLayout(topology(m, { expand: 'none' }));
  });
});

describe('pathHighlight', () => {
  const index = refIndex(topology(model, { expand: 'all' }));

  it('maps the vault trace onto the bastion, the endpoint interface of its zone, the NLB node, an HAProxy and a Vault', () => {
    const r = trace(model, { from: 'spoke-bastion', to: 'vault.services.wd', port: 443, overlay });
    expect(r.reachable).toBe(true);
    const h = pathHighlight(index, r);
    const owner = (eni: string) => model.networkInterfaces.get(eni)?.owner;
    expect(h.forward[0]).toBe('eni-0da003682e5fcca8c'); // spoke-bastion
    const kinds = h.forward.filter((n) => n.startsWith('eni-')).map((n) => owner(n)?.kind);
    expect(kinds).toEqual(['instance', 'vpc-endpoint', 'load-balancer', 'instance', 'instance']);
    // Of the endpoint's three interfaces, only the one the path used (same zone as the bastion).
    expect(h.forward.filter((n) => owner(n)?.kind === 'vpc-endpoint')).toEqual(['eni-0a094ee735d3500db']);
    expect(h.vpcs).toEqual([SPOKE_VPC, HUB_VPC].sort());
    expect(h.accounts).toEqual(['209876543210', '210987654321']);
    expect(h.blockers).toEqual([]);
    expect(h.edges).toEqual(['eni-0a094ee735d3500db~eni-0d512d46c6fb7d243']);
    expect(h.return.at(-1)).toBe('eni-0da003682e5fcca8c');
  });

  it('names the blocking nodes of a blocked trace with the explanation', () => {
    const r = trace(model, { from: 'spoke-bastion', to: 'vault.services.wd', port: 22 });
    const h = pathHighlight(index, r);
    const sg = h.blockers.find((b) => b.code === 'ENI_SG_RULES_MISMATCH');
    expect(sg?.nodes).toEqual(['eni-0a094ee735d3500db']);
    expect(sg?.message).toContain('vault-endpoint-sg');
    const listener = h.blockers.find((b) => b.code === 'ELBV2_LISTENERS_MISMATCH');
    // The load balancer as a whole has no listener for 22 and the path reached none of its nodes: all of them.
    const nlb = [...model.loadBalancers.values()].find((l) => l.loadBalancerName === 'vault-nlb');
    expect([...(listener?.nodes ?? [])].sort()).toEqual([...(nlb?.networkInterfaceIds ?? [])].sort());
    expect(listener?.nodes.length).toBe(3);
  });
});

describe('exports', () => {
  const t = topology(model);
  const containers = new Set(t.nodes.map((n) => n.parent).filter(Boolean));

  it('Mermaid: a subgraph per container, a node per leaf, a link per edge', () => {
    const m = toMermaid(t);
    expect(m.startsWith('flowchart LR\n')).toBe(true);
    expect((m.match(/^\s*subgraph /gm) ?? []).length).toBe(containers.size);
    expect((m.match(/^\s*end$/gm) ?? []).length).toBe(containers.size);
    expect((m.match(/ --- /g) ?? []).length + (m.match(/ ---\|/g) ?? []).length).toBe(t.edges.length);
  });

  it('DOT: a cluster per container, balanced braces, an edge per edge', () => {
    const d = toDot(t);
    expect((d.match(/subgraph "cluster_/g) ?? []).length).toBe(containers.size);
    expect((d.match(/\{/g) ?? []).length).toBe((d.match(/\}/g) ?? []).length);
    expect((d.match(/ -- /g) ?? []).length).toBe(t.edges.length);
  });

  it('SVG and draw.io: one shape per node, edges between existing cells, children placed relative to parents', () => {
    const boxes = layoutTopology(t);
    const svg = toSvg(t, boxes);
    expect((svg.match(/<g data-id=/g) ?? []).length).toBe(t.nodes.length);
    expect((svg.match(/<line /g) ?? []).length).toBe(t.edges.length);
    const drawio = toDrawio(t, boxes);
    const vertices = [...drawio.matchAll(/<mxCell id="(n\d+)"[^>]*vertex="1" parent="([^"]+)"><mxGeometry x="(-?[\d.]+)" y="(-?[\d.]+)"/g)];
    expect(vertices.length).toBe(t.nodes.length);
    const ids = new Set(vertices.map((v) => v[1]));
    for (const v of vertices) {
      expect(v[2] === '1' || ids.has(v[2] as string)).toBe(true);
      expect(Number(v[3])).toBeGreaterThanOrEqual(0); // relative to the parent, inside it
    }
    for (const e of drawio.matchAll(/source="([^"]+)" target="([^"]+)"/g)) expect(ids.has(e[1] as string) && ids.has(e[2] as string)).toBe(true);
  });
});

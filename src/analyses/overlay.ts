/**
 * Service overlays: what AWS cannot know about applications. A small YAML or JSON file declares services as
 * sets of instances (by tag, Name or id) listening on ports, and which service forwards to which (a proxy,
 * a load balancer running on instances). With an overlay, a trace that reaches an instance of a forwarding
 * service continues as a new connection from that instance to the next service.
 *
 * ```yaml
 * services:
 *   - name: haproxy-ingress
 *     instances: { tags: { role: haproxy-ingress } }
 *     listen: [{ protocol: tcp, port: 443 }]
 *     forwardTo: vault
 *   - name: vault
 *     instances: { tags: { role: vault } }
 *     listen: [{ protocol: tcp, port: 8200 }]
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { NetworkModel } from '../model/network.js';
import type { Instance } from '../model/types.js';

const ListenShape = z.strictObject({
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  port: z.number().int().min(1).max(65535),
});

const SelectorShape = z
  .strictObject({
    tags: z.record(z.string(), z.string()).optional(),
    names: z.array(z.string()).optional(),
    ids: z.array(z.string()).optional(),
  })
  .refine((s) => s.tags || s.names || s.ids, { message: 'give at least one of tags, names or ids' });

const ServiceShape = z.strictObject({
  name: z.string().min(1),
  instances: SelectorShape,
  listen: z.array(ListenShape).min(1),
  forwardTo: z.string().optional(),
  description: z.string().optional(),
});

const OverlayShape = z
  .strictObject({ services: z.array(ServiceShape).min(1) })
  .superRefine((o, ctx) => {
    const names = new Set<string>();
    o.services.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `duplicate service name "${s.name}"` });
      names.add(s.name);
    });
    o.services.forEach((s, i) => {
      if (s.forwardTo && !o.services.some((t) => t.name === s.forwardTo))
        ctx.addIssue({ code: 'custom', path: ['services', i, 'forwardTo'], message: `no service named "${s.forwardTo}"` });
    });
  });

export type OverlayService = z.infer<typeof ServiceShape>;
export interface Overlay {
  readonly file: string;
  readonly services: readonly OverlayService[];
}

export class OverlayError extends Error {}

/** Reads and validates an overlay file; errors name the file and the path inside it. */
export function loadOverlay(file: string): Overlay {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OverlayError(`--overlay ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new OverlayError(`--overlay ${file}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = OverlayShape.safeParse(doc);
  if (!r.success) {
    const first = r.error.issues[0];
    const path = first ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '';
    throw new OverlayError(`--overlay ${file}: $${path}: ${first?.message ?? 'invalid'}${r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : ''}`);
  }
  return { file, services: r.data.services };
}

export function instancesOf(model: NetworkModel, svc: OverlayService): Instance[] {
  const sel = svc.instances;
  return [...model.instances.values()]
    .filter(
      (i) =>
        i.state === 'running' &&
        ((sel.ids?.includes(i.id) ?? false) ||
          (i.name !== undefined && (sel.names?.includes(i.name) ?? false)) ||
          (sel.tags !== undefined && Object.entries(sel.tags).every(([k, v]) => i.tags[k] === v))),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The overlay service an instance belongs to that listens on `protocol`/`port`, if any. */
export function serviceListeningOn(model: NetworkModel, overlay: Overlay, instanceId: string, protocol: number, port: number | undefined): OverlayService | undefined {
  const proto = protocol === 17 ? 'udp' : protocol === 6 ? 'tcp' : undefined;
  return overlay.services.find(
    (s) => s.listen.some((l) => l.protocol === proto && l.port === port) && instancesOf(model, s).some((i) => i.id === instanceId),
  );
}

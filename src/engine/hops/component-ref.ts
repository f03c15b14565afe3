/** Builds the `component` of a hop or explanation from a model resource. */
import type { Resource } from '../../model/types.js';
import type { ComponentRef, ComponentType } from '../trace-types.js';

export function componentOf(r: Resource, type: ComponentType = r.kind as ComponentType): ComponentRef {
  return { id: r.id, type, ...(r.name ? { name: r.name } : {}), account: r.account, region: r.region };
}

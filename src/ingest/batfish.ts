/**
 * Batfish AWS snapshot wrappers. Batfish stores the output of per-parent calls as a list of wrapper objects,
 * one per parent, each naming its parent beside the child list (Batfish's `AwsVpcEntity`/`Region` keys). Each
 * wrapper element is itself a plain describe-* document of the form the handlers already read (parent key
 * beside the list, docs/snapshot-format.md); this module hands them out one by one, with the JSON path of the
 * element as prefix so that load issues and `source` paths point inside the wrapper
 * (`$.TransitGatewayStaticRoutes[3].Routes[1]`).
 *
 * | Batfish key | element | read as |
 * | --- | --- | --- |
 * | `TransitGatewayStaticRoutes` | `{TransitGatewayRouteTableId, Routes, AdditionalRoutesAvailable}` | search-transit-gateway-routes (type static) |
 * | `TransitGatewayPropagations` | `{TransitGatewayRouteTableId, TransitGatewayRouteTablePropagations}` | get-transit-gateway-route-table-propagations |
 * | `LoadBalancerListeners` | `{LoadBalancerArn, Listeners}` | describe-listeners |
 * | `LoadBalancerAttributes` | `{LoadBalancerArn, Attributes}` | describe-load-balancer-attributes |
 * | `LoadBalancerTargetHealth` | `{TargetGroupArn, TargetHealthDescriptions}` | describe-target-health |
 *
 * Two more Batfish forms are rewritten in place (same key and index, so paths stay exact):
 * - `DirectConnectGateways` and `DirectConnectGatewayAssociations` elements in Batfish's PascalCase
 *   (`DirectConnectGatewayId`, `AmazonSideAsn`, `AssociatedGateway.Id`, …) get the Direct Connect API's
 *   camelCase member names (`directConnectGatewayId`, `amazonSideAsn`, `associatedGateway.id`, …).
 * - Listeners inside a `LoadBalancerListeners` wrapper that lack `LoadBalancerArn` get the wrapper's.
 *
 * Early Batfish versions (2020) stored `LoadBalancerListeners` as a bare list of listeners; such an element
 * is read as a one-listener describe-listeners document at `$.LoadBalancerListeners[i].Listeners[0]` (the
 * loader appends the list key to the prefix, so this one path names a list that is not in the file).
 *
 * Every other key (Vpcs, Subnets, …, and Batfish-only keys such as `DomainStatusList`, `DBInstances`,
 * `VirtualInterfaces`) stays in the file's own document at `$`; keys no
 * handler reads are then reported by the loader as unknown top-level keys.
 */
export interface SubDocument {
  readonly document: Record<string, unknown>;
  /** JSON path of `document` inside the file: `$` for a plain file. */
  readonly pathPrefix: string;
}

interface Wrapper {
  /** Key beside the list naming the parent (read by the handlers from the sub-document). */
  readonly parentKey: string;
  /** The child list, a top-level key the handlers read. */
  readonly listKey: string;
}

/** Batfish wrapper key → what each of its elements holds. */
export const BATFISH_WRAPPERS: Readonly<Record<string, Wrapper>> = {
  TransitGatewayStaticRoutes: { parentKey: 'TransitGatewayRouteTableId', listKey: 'Routes' },
  TransitGatewayPropagations: { parentKey: 'TransitGatewayRouteTableId', listKey: 'TransitGatewayRouteTablePropagations' },
  LoadBalancerListeners: { parentKey: 'LoadBalancerArn', listKey: 'Listeners' },
  LoadBalancerAttributes: { parentKey: 'LoadBalancerArn', listKey: 'Attributes' },
  LoadBalancerTargetHealth: { parentKey: 'TargetGroupArn', listKey: 'TargetHealthDescriptions' },
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One wrapper element → the plain document it stands for. */
function unwrap(key: string, wrapper: Wrapper, element: unknown): Json {
  // Not an object: hand the value over as the child list, so that the loader reports what it got.
  if (!isObject(element)) return { [wrapper.listKey]: element };
  if (key === 'LoadBalancerListeners' && !(wrapper.listKey in element) && 'ListenerArn' in element) return { Listeners: [element] };
  // The element is the document: parent key, child list, and whatever else the call returned beside them.
  // A missing child list stays a (missing) key so that the loader reports it rather than reading nothing.
  const document: Json = { ...element, [wrapper.listKey]: element[wrapper.listKey] };
  const parent = element[wrapper.parentKey];
  if (key === 'LoadBalancerListeners' && typeof parent === 'string' && Array.isArray(element.Listeners))
    document.Listeners = element.Listeners.map((l: unknown) => (isObject(l) && l.LoadBalancerArn === undefined ? { ...l, LoadBalancerArn: parent } : l));
  return document;
}

/** Batfish's Direct Connect gateways use PascalCase members; the Direct Connect API (and the handler) camelCase. */
function directConnectGateway(element: unknown): unknown {
  if (!isObject(element) || element.DirectConnectGatewayId === undefined || element.directConnectGatewayId !== undefined) return element;
  return Object.fromEntries(Object.entries(element).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}

/** The same for associations, whose members nest (`AssociatedGateway.Id`, `AllowedPrefixesToDirectConnectGateway[].Cidr`). */
function camelDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelDeep);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelDeep(v)]));
}

function directConnectGatewayAssociation(element: unknown): unknown {
  if (!isObject(element) || element.DirectConnectGatewayId === undefined || element.directConnectGatewayId !== undefined) return element;
  return camelDeep(element);
}

const CAMEL_CASED: Readonly<Record<string, (element: unknown) => unknown>> = {
  DirectConnectGateways: directConnectGateway,
  DirectConnectGatewayAssociations: directConnectGatewayAssociation,
};

/**
 * Splits one parsed file of a Batfish snapshot into plain documents: first the file's own keys (at `$`),
 * then one document per wrapper element (at `$.<WrapperKey>[i]`, or `$.<WrapperKey>` when the wrapper holds a
 * single object instead of a list).
 */
export function expandBatfishWrappers(document: Record<string, unknown>): SubDocument[] {
  const plain: Json = {};
  const out: SubDocument[] = [];
  for (const [key, value] of Object.entries(document)) {
    const wrapper = BATFISH_WRAPPERS[key];
    if (wrapper) {
      if (Array.isArray(value)) value.forEach((element, i) => out.push({ document: unwrap(key, wrapper, element), pathPrefix: `$.${key}[${i}]` }));
      else out.push({ document: unwrap(key, wrapper, value), pathPrefix: `$.${key}` });
      continue;
    }
    const camel = CAMEL_CASED[key];
    plain[key] = camel && Array.isArray(value) ? value.map(camel) : value;
  }
  return [{ document: plain, pathPrefix: '$' }, ...out];
}

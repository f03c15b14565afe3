/**
 * Batfish AWS snapshot wrappers. Batfish stores per-parent calls as lists of wrapper objects that name
 * their parent; this module turns one file into the plain describe-* documents the handlers read, each with
 * the JSON path prefix it came from, so load issues still point inside the wrapper.
 *
 * | Batfish key | element | becomes |
 * | --- | --- | --- |
 * | `TransitGatewayStaticRoutes` | `{TransitGatewayRouteTableId, Routes}` | search-transit-gateway-routes output |
 * | `TransitGatewayPropagations` | `{TransitGatewayRouteTableId, TransitGatewayRouteTablePropagations}` | get-…-propagations output |
 * | `LoadBalancerAttributes` | `{LoadBalancerArn, Attributes}` | describe-load-balancer-attributes output |
 * | `LoadBalancerTargetHealth` | `{TargetGroupArn, TargetHealthDescriptions}` | describe-target-health output |
 * | `LoadBalancerListeners` | a listener, or `{Listeners}` | describe-listeners output |
 */
export interface SubDocument {
  readonly document: Record<string, unknown>;
  /** JSON path of `document` inside the file: `$` for a plain file. */
  readonly pathPrefix: string;
}

/** Wrapper key → how each element becomes a plain document. */
const WRAPPERS: Readonly<Record<string, (element: Record<string, unknown>) => Record<string, unknown>>> = {
  TransitGatewayStaticRoutes: (e) => ({ TransitGatewayRouteTableId: e.TransitGatewayRouteTableId, Routes: e.Routes ?? [] }),
  TransitGatewayPropagations: (e) => ({ TransitGatewayRouteTableId: e.TransitGatewayRouteTableId, TransitGatewayRouteTablePropagations: e.TransitGatewayRouteTablePropagations ?? [] }),
  LoadBalancerAttributes: (e) => ({ LoadBalancerArn: e.LoadBalancerArn, Attributes: e.Attributes ?? [] }),
  LoadBalancerTargetHealth: (e) => ({ TargetGroupArn: e.TargetGroupArn, TargetHealthDescriptions: e.TargetHealthDescriptions ?? [] }),
};

export function expandBatfishWrappers(document: Record<string, unknown>): SubDocument[] {
  const plain: Record<string, unknown> = {};
  const out: SubDocument[] = [];
  for (const [key, value] of Object.entries(document)) {
    const wrap = WRAPPERS[key];
    if (wrap && Array.isArray(value)) {
      value.forEach((element, i) => {
        if (element && typeof element === 'object' && !Array.isArray(element))
          out.push({ document: wrap(element as Record<string, unknown>), pathPrefix: `$.${key}[${i}]` });
      });
      continue;
    }
    if (key === 'LoadBalancerListeners' && Array.isArray(value)) {
      // Either listeners themselves, or {LoadBalancerArn, Listeners: [...]} groups.
      value.forEach((element, i) => {
        const e = element as Record<string, unknown>;
        if (e && Array.isArray(e.Listeners)) out.push({ document: { Listeners: e.Listeners }, pathPrefix: `$.${key}[${i}]` });
        else out.push({ document: { Listeners: [element] }, pathPrefix: `$.${key}[${i}]` });
      });
      continue;
    }
    plain[key] = value;
  }
  return [{ document: plain, pathPrefix: '$' }, ...out];
}

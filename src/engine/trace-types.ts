/**
 * The trace contract: hops, explanations and the result of a trace, as documented in docs/trace-json.md.
 * These are plain data so that the CLI, the web page and tests read the same structure.
 */
import type { SourceRef } from '../model/types.js';
import type { Packet } from './packet.js';

export type ComponentType =
  | 'network-interface'
  | 'instance'
  | 'security-group'
  | 'network-acl'
  | 'route-table'
  | 'subnet'
  | 'vpc'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  | 'vpc-endpoint'
  | 'endpoint-service'
  | 'load-balancer'
  | 'listener'
  | 'target-group'
  | 'transit-gateway'
  | 'transit-gateway-attachment'
  | 'transit-gateway-route-table'
  | 'vpc-peering-connection'
  | 'vpn-connection'
  | 'vpn-gateway'
  | 'customer-gateway'
  | 'direct-connect-gateway'
  | 'on-premises'
  | 'internet'
  | 'aws-service'
  | 'link-local-service'
  | 'dns'
  | 'overlay';

export interface ComponentRef {
  readonly id: string;
  readonly type: ComponentType;
  readonly name?: string;
  readonly account?: string;
  readonly region?: string;
}

/** What a hop did to the packet. */
export type HopAction =
  | 'send'
  | 'allow'
  | 'deny'
  | 'route'
  | 'no-route'
  | 'blackhole'
  | 'translate'
  | 'forward'
  | 'deliver'
  | 'drop'
  | 'resolve';

export interface Hop {
  readonly component: ComponentRef;
  readonly action: HopAction;
  /** The rule, route or translation that decided, in words. */
  readonly rule?: string;
  /** The packet after this hop. */
  readonly packet: Packet;
  /** Where the deciding configuration came from. */
  readonly source?: SourceRef;
  /** Extra context ("allowed by connection tracking", "same subnet: no NACL or route table"). */
  readonly note?: string;
  /** The network interface where a security-group check happened (for flow-log records). */
  readonly networkInterfaceId?: string;
  /** The subnet whose NACL or route table decided. */
  readonly subnetId?: string;
}

export type Direction = 'forward' | 'return';

export interface Explanation {
  /** Reachability Analyzer's code where the meaning matches, else a vpctwin code (docs/explanation-codes.md). */
  readonly code: string;
  readonly component: { readonly id: string; readonly type: ComponentType };
  readonly direction: Direction;
  /** What blocks the packet and what change would let it through. */
  readonly message: string;
  readonly source?: SourceRef;
}

export interface TraceEndpoint {
  /** How the user named it (`i-…`, `lab-a`, `10.0.0.5`, `internet`). */
  readonly input: string;
  readonly kind: 'network-interface' | 'internet' | 'address' | 'aws-service' | 'on-premises';
  readonly ip: string;
  readonly networkInterfaceId?: string;
  readonly resourceId?: string;
  readonly name?: string;
  readonly account?: string;
  readonly region?: string;
}

export interface TraceQuery {
  readonly source: TraceEndpoint;
  readonly destination: TraceEndpoint;
  readonly packet: Packet;
}

export interface TraceResult {
  readonly query: TraceQuery;
  readonly reachable: boolean;
  readonly forwardPath: readonly Hop[];
  readonly returnPath: readonly Hop[];
  readonly explanations: readonly Explanation[];
  /** Caveats the answer depends on (unknown data, assumptions such as a NAT instance). */
  readonly notes: readonly string[];
}

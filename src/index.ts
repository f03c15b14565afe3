/**
 * vpctwin library API: load a snapshot into the network model and ask it questions.
 */
export { loadSnapshot, SnapshotLoadError, type LoadOptions } from './ingest/load-snapshot.js';
export { NetworkModel, type AddressHolder, type SnapshotFileSummary } from './model/network.js';
export type * from './model/types.js';
export { formatIssue, type LoadIssue, type LoadIssueCode, type Severity } from './model/issues.js';
export * from './model/addresses.js';
export { inventory, INVENTORY_TYPES, type InventoryRow, type InventoryFilter, type InventoryType } from './analyses/inventory.js';
export { find, type FindResult, type InterfaceFinding, type ResourceFinding } from './analyses/find.js';
export { trace, resolveTraceQuery, TraceRequestError, type TraceRequest, type TraceErrorCode } from './analyses/trace.js';
export type * from './engine/trace-types.js';
export type { Packet } from './engine/packet.js';
export { resolveName, type DnsAnswer, type DnsStep, type ResolveResult } from './analyses/resolve.js';
export { loadOverlay, type Overlay } from './analyses/overlay.js';
export { loadOnPremises, type OnPremisesNetwork } from './analyses/on-premises.js';
export { effectiveVpcRoutes, effectiveTransitGatewayRoutes, type EffectiveRoute } from './analyses/routes.js';
export { readFlowLogFile, parseFlowLogLines, type FlowLogRecord, type ReadResult } from './analyses/flow-logs/reader.js';
export { explainFlowLogRecords, type FlowExplanation } from './analyses/flow-logs/explain.js';
export { flowLogRecordsForTrace, formatFlowLogRecord } from './analyses/flow-logs/generate.js';
export { scanAndExplain, type ScanResult, type ScanOptions } from './analyses/flow-logs/scan.js';
export { streamFlowLogFile, type ReadProblem, type InputSummary } from './analyses/flow-logs/reader.js';
export { FlowLogExplainer, type Verdict, type RuleCheck, type FlowGroup } from './analyses/flow-logs/explain.js';
export { type GeneratedRecord, type GeneratedRecords, type GenerateOptions } from './analyses/flow-logs/generate.js';
export { FlowLogTable, queryFlowLogs, buildQuery } from './analyses/flow-logs/query.js';
export { exposure, type ExposureFinding, type AllowEntry } from './analyses/exposure.js';
export { diffSnapshots, type DiffResult, type FlowChange } from './analyses/diff.js';
export { evaluateAccessScope, parseAccessScope, type AccessScope, type ScopeFinding } from './analyses/scope.js';
export { topology, layoutTopology, refIndex, pathHighlight, toSvg, toMermaid, toDot, toDrawio, type Topology, type TopologyOptions, type GraphNode, type GraphEdge, type PathHighlight, type Box } from './analyses/topology.js';
export { resourceDetails, type ResourceDetails } from './analyses/details.js';
export { startServer, type ServeOptions, type RunningServer } from './web/server.js';
export { collect, type CollectOptions, type CollectResult } from './collect/collector.js';

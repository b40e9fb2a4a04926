/**
 * Cluster controllers: `cluster` (finalizer, execution namespace, taints by condition, removal)
 * and `clusterStatus` (probes, Ready, version, API enablements, node and resource summaries,
 * the cluster Lease). The pure parts are exported for the failover work that builds on them.
 */
export { startCluster, CLUSTER_FINALIZER } from './cluster-controller.js';
export { startClusterStatus } from './status-controller.js';
export { decideReady, READY_REASONS, READY_MESSAGES, type ReadinessInput, type ReadinessDecision } from './readiness.js';
export { ResourceTally, nodeRecord, podRecord, type Summaries } from './summary.js';
export { fromAggregated, fromResourceLists, type APIEnablement } from './discovery.js';
export { LEASE_HOLDER } from './lease.js';

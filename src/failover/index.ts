/**
 * Failover decisions as pure functions (no I/O, time passed in): cluster health and its taints,
 * NoExecute toleration, eviction tasks and their release, application failover, partition heal,
 * opt-in failback, ClusterTaintPolicy, the eviction rate limit. The controllers that apply them
 * live in src/controllers/{taint,eviction,appfailover,failback,clustertaintpolicy}.
 */
export * from './wellknown.js';
export * from './binding.js';
export * from './health.js';
export * from './taints.js';
export * from './timeline.js';
export * from './tolerations.js';
export * from './eviction.js';
export * from './graceful.js';
export * from './appfailover.js';
export * from './splitbrain.js';
export * from './failback.js';
export * from './ratelimit.js';
export * from './taintpolicy.js';

/**
 * The multi-cluster scheduler's decision, as pure functions over a snapshot:
 * filter → score → select (spread constraints) → divide (Duplicated, static weights, dynamic
 * weights, aggregated), with Karmada's semantics, a reservation ledger against overcommit, and an
 * explanation for every decision.
 */
export type * from './types.js';
export { schedule, rescheduleRequired, type ScheduleOptions } from './schedule.js';
export { FitError, ScheduleError, SchedulerError, UnschedulableError } from './errors.js';
export { ReservationLedger, type LedgerOptions, type Reservation } from './ledger.js';
export { availableReplicas, describeRequest, generalEstimate, nodeEstimate, parseRequest, type Held, type ParsedRequest } from './estimator.js';
export { clusterMatches, clusterZones } from './affinity.js';
export { FILTER_PLUGINS, runFilters, isAPIEnabled, taintString, type FilterContext, type FilterPlugin, type Rejection } from './filters/index.js';
export { scoreClusters, compareScored, MAX_CLUSTER_SCORE, type ScoredCluster } from './score.js';
export { selectClusters, ignoresSpread, type Selection, type SpreadTrace } from './spread.js';
export { selectGroups, type GroupInfo } from './spread-groups.js';
export { divide, strategyOf, staticWeights, type DivideInput, type Division, type DivisionTrace, type Strategy } from './divide.js';
export { allocateWebsterSeats, websterDivide, fnv1a32, nameOrderForUID, type NameOrder, type Party } from './webster.js';
export type { AffinityAttempt, ClusterExplanation, Explanation } from './explain.js';

/** The controller machinery: work queue, rate limiters, reconciler contract and runner. */

export { Controller, type ControllerConfig } from './controller.js';
export { controllerMetrics, RECONCILE_RESULTS, type ControllerMetrics, type ReconcileOutcome } from './metrics.js';
export { WorkQueue, type QueueMetrics, type WorkKey, type WorkQueueOptions } from './queue.js';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './ratelimit.js';
export { isTerminalError, TerminalError, type ReconcileContext, type Reconciler, type Result } from './reconcile.js';

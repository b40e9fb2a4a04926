/**
 * Every controller the manager knows, by name (`--controllers=*,-name`). One folder per
 * controller under src/controllers/<name>/, each exporting a StartController.
 */
import type { StartController } from './manager.js';
import { startBinding } from './binding/index.js';
import { startCluster, startClusterStatus } from './cluster/index.js';
import { startDetector } from './detector/index.js';
import { startExecution } from './execution/index.js';
import { startScheduler } from './scheduler/index.js';
import { startBindingStatus, startWorkStatus } from './status/index.js';
import { startApplicationFailover } from './appfailover/index.js';
import { startClusterTaintPolicy } from './clustertaintpolicy/index.js';
import { startGracefulEviction } from './eviction/index.js';
import { startFailback } from './failback/index.js';
import { startTaintManager } from './taint/index.js';
import { startSplitBrain } from './splitbrain/index.js';

export const CONTROLLERS: Record<string, StartController> = {
  detector: startDetector,
  scheduler: startScheduler,
  binding: startBinding,
  cluster: startCluster,
  clusterStatus: startClusterStatus,
  execution: startExecution,
  workStatus: startWorkStatus,
  bindingStatus: startBindingStatus,
  // Failover (src/failover): NoExecute eviction, graceful eviction, application failover,
  // ClusterTaintPolicy, and the opt-in failback.
  taintManager: startTaintManager,
  gracefulEviction: startGracefulEviction,
  applicationFailover: startApplicationFailover,
  clusterTaintPolicy: startClusterTaintPolicy,
  failback: startFailback,
  splitBrain: startSplitBrain,
};

/** Simulated member clusters: the fleet, one cluster, its fault modes, and behaviour as stages. */
export { SimFleet, SIM_INFO_FILE, SIM_ADMIN_TOKEN, type SimFleetOptions, type SimInfo } from './sim.js';
export { SimCluster, type SimClusterOptions } from './cluster.js';
export { defaultFleet, loadFleet, parseFleet, nodeCount, FleetError, DEFAULT_TIMING, type Fleet, type ClusterSpec, type NodePool, type Timing } from './fleet.js';
export { FAULT_MODES, validateFault, describeState, type FaultMode, type FaultRequest, type FaultState } from './faults.js';
export { defaultStages, loadStages, parseStages, matchStage, stageDelay, transition, type Stage, type StageResource } from './stages.js';
export { NODE_FAILED } from './nodes.js';

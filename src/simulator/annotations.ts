/**
 * Annotations that steer simulated behaviour, shared by the workload controllers (which copy
 * them from templates onto pods) and the simulated kubelet (which reads them off pods).
 * Values are strings, as annotations must be.
 */

/** How long a pod runs before its containers exit successfully, as a Go-style duration ("2s", "1m30s"). Pods without it run forever. */
export const RUN_DURATION = 'sim.flotilla.io/run-duration';

/** "true": the pod's containers exit with a failure (after RUN_DURATION, or at once when absent). */
export const FAIL = 'sim.flotilla.io/fail';

/** How long after Running the pod turns Ready, as a Go-style duration ("500ms", "3s"). */
export const READY_DELAY = 'sim.flotilla.io/ready-delay';

/**
 * Which bindings a cluster change can move (Karmada's enqueueAffectedBindings, widened to the
 * changes Flotilla reschedules on): bindings already on the cluster or evicting from it; bindings
 * that are not scheduled (the cluster may be the room they lacked); and, for topology changes
 * (join, leave, labels, taints, readiness, API enablement), bindings whose affinity selects the
 * cluster before or after the change. A capacity change alone moves nothing already placed:
 * steady scheduling keeps replicas where they are.
 */
import { BINDING_CONDITIONS } from '../../api/wellknown.js';
import { clusterMatches, type ClusterAffinity, type ClusterSnapshot } from '../../scheduler/index.js';
import type { AnyBinding } from '../detector/index.js';
import { skipReason } from './input.js';
import type { ClusterChange } from './snapshot.js';

function selects(b: AnyBinding, c: ClusterSnapshot): boolean {
  const p = b.spec.placement ?? {};
  const terms = (p.clusterAffinities ?? []) as ClusterAffinity[];
  if (terms.length) return terms.some((t) => clusterMatches(c, t));
  return !p.clusterAffinity || clusterMatches(c, p.clusterAffinity as ClusterAffinity);
}

export function affectedBy(b: AnyBinding, change: Exclude<ClusterChange, 'none'> | 'removed', before: ClusterSnapshot | undefined, after: ClusterSnapshot | undefined): boolean {
  if (skipReason(b)) return false;
  const name = (after ?? before)?.name;
  if (b.spec.clusters?.some((c) => c.name === name) || b.spec.gracefulEvictionTasks?.some((t) => t.fromCluster === name)) return true;
  const scheduled = b.status?.conditions?.find((c) => c.type === BINDING_CONDITIONS.Scheduled);
  if (scheduled?.status !== 'True') return true;
  if (change === 'capacity') return false;
  return (!!before && selects(b, before)) || (!!after && selects(b, after));
}

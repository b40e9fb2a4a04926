/**
 * Filter plugins, one per file like Karmada's framework/plugins/<name>. A plugin answers with
 * the reason it rejects a cluster, or undefined to let it pass; the first rejection wins, and the
 * reason strings are Karmada's so FitError messages read the same.
 */
import type { BindingInput, ClusterAffinity, ClusterSnapshot, Placement } from '../types.js';

export interface FilterContext {
  readonly binding: BindingInput;
  readonly placement: Placement;
  /** The affinity in force for this attempt: placement.clusterAffinity or one clusterAffinities term. */
  readonly affinity: ClusterAffinity | undefined;
  /** Clusters in the binding's current result (Karmada's TargetContains). */
  readonly scheduled: ReadonlySet<string>;
  /** Clusters named by the binding's graceful-eviction tasks. */
  readonly evicting: ReadonlySet<string>;
}

export interface FilterPlugin {
  readonly name: string;
  filter(ctx: FilterContext, cluster: ClusterSnapshot): string | undefined;
}

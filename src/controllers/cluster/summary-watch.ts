/**
 * One watch of nodes and one of unfinished pods per member, feeding a ResourceTally with compact
 * records instead of caching the objects (a few numbers per pod: kar#4738 and #1858 are
 * controller managers that cached every member pod and node). Pods are selected with
 * status.phase!=Succeeded,status.phase!=Failed, so finished pods are not even sent; a pod that
 * finishes leaves the selection and arrives as a deletion.
 *
 * kick() retries failed watches at once; the status controller calls it when a probe succeeds
 * after failures, so a recovered member is counted again without waiting out a backoff.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../client/client.js';
import { keyOf } from '../../client/informer.js';
import { R } from '../../client/resources.js';
import { LeanInformer } from '../execution/index.js';
import { nodeRecord, podRecord, ResourceTally, type NodeRecord, type PodRecord } from './summary.js';

const UNFINISHED_PODS = 'status.phase!=Succeeded,status.phase!=Failed';

type Keyed<T> = T & { key: string };

const keyed =
  <T>(record: (obj: any) => T) =>
  (obj: any): Keyed<T> => ({ ...record(obj), key: keyOf(obj) });

export class ClusterSummaryWatch {
  readonly tally = new ResourceTally();
  readonly #nodes: LeanInformer<Keyed<NodeRecord>>;
  readonly #pods: LeanInformer<Keyed<PodRecord>>;

  constructor(
    readonly client: KubeClient,
    log?: Logger,
  ) {
    this.#nodes = new LeanInformer(client, R.nodes, { transform: keyed(nodeRecord), log }).on({
      add: (r) => this.tally.setNode(r.key, r),
      update: (_, r) => this.tally.setNode(r.key, r),
      delete: (r) => this.tally.setNode(r.key, undefined),
    });
    this.#pods = new LeanInformer(client, R.pods, { fieldSelector: UNFINISHED_PODS, transform: keyed(podRecord), log }).on({
      add: (r) => this.tally.setPod(r.key, r),
      update: (_, r) => this.tally.setPod(r.key, r),
      delete: (r) => this.tally.setPod(r.key, undefined),
    });
    this.#nodes.start();
    this.#pods.start();
  }

  get synced(): boolean {
    return this.#nodes.hasSynced && this.#pods.hasSynced;
  }

  kick(): void {
    this.#nodes.kick();
    this.#pods.kick();
  }

  stop(): void {
    this.#nodes.stop();
    this.#pods.stop();
  }
}

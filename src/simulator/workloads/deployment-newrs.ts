/**
 * Finding or creating a Deployment's new ReplicaSet (getNewReplicaSet in sync.go): the
 * existing one gets the current revision and annotations; otherwise one named
 * `<deployment>-<pod-template-hash>` is created, sized within maxSurge, and the Deployment's
 * revision annotation and Progressing condition record it. A name taken by someone else's
 * ReplicaSet bumps status.collisionCount so the next attempt hashes differently.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isAlreadyExists } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { computeTemplateHash } from './hash.js';
import { maxSurge, newRSNewReplicas } from './deployment-scale.js';
import { getCondition, hasProgressDeadline, newCondition, REASON, setCondition } from './deployment-status.js';
import type { DeploymentSync } from './deployment-sync.js';
import { equalIgnoreHash, findNewReplicaSet, maxRevision, POD_TEMPLATE_HASH, REVISION, setNewReplicaSetAnnotations } from './deployment-util.js';
import { isControlledBy, newControllerRef, withLabel } from './util.js';

export async function newReplicaSet(sync: DeploymentSync, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const d = sync.d;
  const existing = findNewReplicaSet(d, sync.rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d));
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
      copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
      return sync.track(await sync.client.update<ReplicaSet>(R.replicasets, copy));
    }
    await sync.setDeploymentRevision(copy.metadata?.annotations?.[REVISION]);
    if (hasProgressDeadline(sync.d) && !getCondition(sync.d.status, 'Progressing')) {
      const status = structuredClone(sync.d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', REASON.FoundNewReplicaSet, `Found new replica set "${copy.metadata?.name}"`, sync.now()));
      await sync.writeStatus(status);
    }
    return existing;
  }
  if (!create) return undefined;

  const hash = computeTemplateHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec!.template);
  template.metadata = { ...(template.metadata ?? {}), labels: withLabel(template.metadata?.labels, POD_TEMPLATE_HASH, hash) };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = withLabel(selector.matchLabels, POD_TEMPLATE_HASH, hash);
  const name = `${d.metadata!.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: sync.ns, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], labels: template.metadata.labels! },
    spec: { replicas: 0, selector, template, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
  };
  rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false, maxSurge(d));

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await sync.client.create<ReplicaSet>(R.replicasets, rs, { namespace: sync.ns });
  } catch (e) {
    if (isAlreadyExists(e)) {
      const found = await sync.client.get<ReplicaSet>(R.replicasets, name, sync.ns);
      if (isControlledBy(found, d) && equalIgnoreHash(found.spec?.template, d.spec?.template)) {
        created = found;
        alreadyExisted = true;
      } else {
        // A hash collision with someone else's ReplicaSet: bump collisionCount so the next name differs.
        const status = structuredClone(sync.d.status ?? {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await sync.writeStatus(status);
        throw e;
      }
    } else {
      if (hasProgressDeadline(sync.d)) {
        const status = structuredClone(sync.d.status ?? {});
        const msg = `Failed to create new replica set "${name}": ${(e as Error).message}`;
        setCondition(status, newCondition('Progressing', 'False', REASON.ReplicaSetCreateError, msg, sync.now()));
        await sync.writeStatus(status).catch(() => undefined);
      }
      throw e;
    }
  }
  sync.track(created);
  await sync.setDeploymentRevision(String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(sync.d)) {
    const status = structuredClone(sync.d.status ?? {});
    setCondition(status, newCondition('Progressing', 'True', REASON.NewReplicaSetCreated, `Created new replica set "${name}"`, sync.now()));
    await sync.writeStatus(status);
  }
  return created;
}

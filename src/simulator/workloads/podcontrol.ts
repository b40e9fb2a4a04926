/**
 * Pods from templates and batched creation, as controller.PodControl and slowStartBatch do
 * it: a controller's pods carry the template's labels, annotations and finalizers, a
 * controller reference, and a generated name `<owner>-<5 random chars>` (the API server
 * generates it from generateName).
 */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Creation batches start at one pod and double while they succeed (SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH = 1;

export interface PodOverrides {
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: readonly string[];
}

/** controller.GetPodFromTemplate, plus what callers add on top (names, extra labels). */
export function podFromTemplate(template: PodTemplateSpec | undefined, ownerName: string, ref: OwnerReference | undefined, o: PodOverrides = {}): Pod {
  const md = template?.metadata ?? {};
  const labels = { ...(md.labels ?? {}), ...(o.labels ?? {}) };
  const annotations = { ...(md.annotations ?? {}), ...(o.annotations ?? {}) };
  const finalizers = [...(md.finalizers ?? [])];
  for (const f of o.finalizers ?? []) if (!finalizers.includes(f)) finalizers.push(f);
  const metadata: NonNullable<Pod['metadata']> = {};
  if (o.name) metadata.name = o.name;
  else metadata.generateName = o.generateName ?? `${ownerName}-`;
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  if (finalizers.length) metadata.finalizers = finalizers;
  if (ref) metadata.ownerReferences = [ref];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template?.spec ?? { containers: [] }) };
}

/**
 * Calls fn count times in batches of 1, 2, 4, ... run concurrently; stops after the first
 * batch with a failure. Returns how many calls succeeded and the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: (i: number) => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let next = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn(next++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= size;
  }
  return { successes };
}

/** Whether an API error says the namespace is going away (creates there can never succeed). */
export function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { reason?: string }[] } } })?.status?.details?.causes ?? [];
  return causes.some((c) => c.reason === 'NamespaceTerminating');
}

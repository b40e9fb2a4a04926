/**
 * Status templates: a status patch written as data, with {{placeholders}} filled from the
 * object and the cluster. A placeholder that is a whole string value may produce any JSON
 * value (a list of container statuses); one inside a longer string is interpolated as text.
 * A placeholder that produces nothing removes its key, so templates stay declarative.
 *
 *   {{now}} {{podIP}} {{hostIP}} {{nodeName}} {{startTime}} {{annotation KEY}}
 *   {{containerStatuses running|started|waiting REASON|terminated REASON EXITCODE}}
 *   (started: running but not yet ready)
 *   {{initContainerStatuses ...same...}}
 */
import { createHash } from 'node:crypto';

export interface TemplateContext {
  /** The current time, RFC 3339 with second precision (as Kubernetes writes it). */
  now: string;
  /** Allocates (or returns) the pod's IP; called only when a template asks for it. */
  podIP?: () => string | undefined;
  hostIP?: () => string | undefined;
}

export { rfc3339 } from '../util/time.js';

type Gen = (obj: any, ctx: TemplateContext, args: string[]) => unknown;

const GENERATORS: Record<string, Gen> = {
  now: (_o, ctx) => ctx.now,
  // A pod keeps its IP for its whole life (restarts included).
  podIP: (o, ctx) => o?.status?.podIP ?? ctx.podIP?.(),
  hostIP: (_o, ctx) => ctx.hostIP?.(),
  nodeName: (o) => o?.spec?.nodeName,
  startTime: (o, ctx) => o?.status?.startTime ?? ctx.now,
  annotation: (o, _c, [key]) => (key ? o?.metadata?.annotations?.[key] : undefined),
  containerStatuses: (o, ctx, args) => containerStatuses(o, o?.spec?.containers ?? [], o?.status?.containerStatuses ?? [], ctx, args),
  initContainerStatuses: (o, ctx, args) => {
    const init = o?.spec?.initContainers ?? [];
    return init.length ? containerStatuses(o, init, o?.status?.initContainerStatuses ?? [], ctx, args, true) : undefined;
  },
};

const WHOLE = /^\{\{\s*([^}]*?)\s*\}\}$/;
const INLINE = /\{\{\s*([^}]*?)\s*\}\}/g;

function evaluate(expr: string, obj: any, ctx: TemplateContext): unknown {
  const [name, ...args] = expr.split(/\s+/);
  const gen = GENERATORS[name ?? ''];
  if (!gen) throw new Error(`unknown template placeholder {{${expr}}} (known: ${Object.keys(GENERATORS).join(', ')})`);
  return gen(obj, ctx, args);
}

/** Renders a template value against obj. */
export function renderTemplate(tpl: unknown, obj: any, ctx: TemplateContext): unknown {
  if (typeof tpl === 'string') {
    const whole = WHOLE.exec(tpl);
    if (whole) return evaluate(whole[1]!, obj, ctx);
    return tpl.replace(INLINE, (_m, e: string) => String(evaluate(e, obj, ctx) ?? ''));
  }
  if (Array.isArray(tpl)) return tpl.map((v) => renderTemplate(v, obj, ctx)).filter((v) => v !== undefined);
  if (tpl && typeof tpl === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tpl)) {
      const r = renderTemplate(v, obj, ctx);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return tpl;
}

const hash = (...parts: unknown[]): string => createHash('sha256').update(parts.join('/')).digest('hex');

/**
 * One status per container, in spec order, keeping restartCount and the start time of a
 * container that keeps running. Restartable init containers (sidecars) count as running
 * when the pod's containers do.
 */
function containerStatuses(pod: any, containers: any[], prev: any[], ctx: TemplateContext, args: string[], init = false): unknown[] {
  const [state = 'running', reason, exitCode] = args;
  return containers.map((c) => {
    const old = prev.find((s) => s?.name === c.name);
    const restartCount: number = old?.restartCount ?? 0;
    const sidecar = init && c.restartPolicy === 'Always';
    const st = sidecar && state === 'terminated' && reason === 'Completed' ? 'running' : state;
    const startedAt = old?.state?.running?.startedAt ?? old?.state?.terminated?.startedAt ?? ctx.now;
    let s: Record<string, unknown>;
    if (st === 'running' || st === 'started') s = { running: { startedAt: old?.state?.running?.startedAt ?? ctx.now } };
    else if (st === 'waiting') s = { waiting: { reason: reason ?? 'ContainerCreating' } };
    else s = { terminated: { exitCode: Number(exitCode ?? 0), reason: reason ?? 'Completed', startedAt, finishedAt: ctx.now, containerID: containerID(pod, c, restartCount) } };
    const running = st === 'running' || st === 'started';
    // A completed init container reports ready, as the kubelet does; a sidecar while it runs.
    const ready = init ? (sidecar ? running : st === 'terminated' && Number(exitCode ?? 0) === 0) : st === 'running';
    return {
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${hash(c.image).slice(0, 64)}`,
      ...(st !== 'waiting' ? { containerID: containerID(pod, c, restartCount) } : {}),
      ready,
      started: running,
      restartCount,
      ...(old?.lastState && Object.keys(old.lastState).length ? { lastState: old.lastState } : {}),
      state: s,
    };
  });
}

const containerID = (pod: any, c: any, restarts: number) => `containerd://${hash(pod?.metadata?.uid, c.name, restarts)}`;

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges a rendered patch into a status: JSON merge-patch rules (null deletes, maps merge,
 * lists replace) except `conditions`, merged by type; a condition whose status does not
 * change keeps its lastTransitionTime, as the kubelet and controllers do, and a patch entry
 * without a status never creates a condition.
 */
export function mergeStatus(old: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...old };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (k === 'conditions' && Array.isArray(v)) out[k] = mergeConditions(Array.isArray(old[k]) ? old[k] : [], v);
    else if (isObj(v) && isObj(old[k])) out[k] = mergeStatus(old[k], v);
    else out[k] = v;
  }
  return out;
}

function mergeConditions(old: any[], patch: any[]): any[] {
  const out = old.map((c) => ({ ...c }));
  for (const p of patch) {
    const i = out.findIndex((c) => c.type === p.type);
    if (i < 0) {
      // A patch without a status only refreshes a condition that exists (a heartbeat).
      if (p.status !== undefined) out.push(Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null)));
      continue;
    }
    const cur = out[i];
    const merged = { ...cur, ...p };
    for (const [k, v] of Object.entries(p)) if (v === null) delete merged[k];
    if (cur.status === p.status && cur.lastTransitionTime) merged.lastTransitionTime = cur.lastTransitionTime;
    out[i] = merged;
  }
  return out;
}

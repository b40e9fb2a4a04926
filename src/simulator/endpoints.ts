/**
 * The endpointslice and endpoints controllers: for every Service with a selector, the pods it
 * selects that have an IP become EndpointSlice endpoints (ready/serving/terminating, node,
 * zone, targetRef) and legacy Endpoints addresses (ready ones in addresses, others in
 * notReadyAddresses). Named target ports are resolved per pod, and pods resolving to
 * different ports land in different slices, as in Kubernetes.
 */
import { createHash } from 'node:crypto';
import type { EndpointPort, Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { Controller } from '../controller/controller.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/client.js';
import { keyOf, type Informer } from '../client/informer.js';
import { R } from '../client/resources.js';
import { FIELD_MANAGER, type SimContext } from './context.js';
import { isPodReady, isTerminal, type PodIndex } from './pod-index.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS_PER_SLICE = 100;

const selects = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels?.[k] === v);

/** The service's ports as this pod serves them; undefined when a named port is missing. */
function portsFor(svc: Service, pod: Pod): EndpointPort[] | undefined {
  const out: EndpointPort[] = [];
  for (const p of svc.spec?.ports ?? []) {
    let port: number | undefined;
    const target = p.targetPort ?? p.port;
    if (typeof target === 'number') port = target;
    else if (/^\d+$/.test(target)) port = Number(target);
    else {
      for (const c of pod.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP')) port ??= cp.containerPort;
    }
    if (port === undefined) return undefined;
    out.push({ name: p.name ?? '', port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
  }
  return out;
}

/** The EndpointSlices and Endpoints a Service should have (pure). */
export function desiredEndpoints(svc: Service, pods: readonly Pod[], zoneOf: (node: string) => string | undefined): { slices: EndpointSlice[]; endpoints: any } {
  const ns = svc.metadata!.namespace!;
  const name = svc.metadata!.name!;
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; eps: Endpoint[]; ready: any[]; notReady: any[] }>();
  const selected = pods
    .filter((p) => p.status?.podIP && !isTerminal(p) && selects(svc.spec?.selector, p.metadata?.labels))
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  for (const p of selected) {
    const ports = portsFor(svc, p);
    if (!ports) continue;
    const gk = JSON.stringify(ports);
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ports, eps: [], ready: [], notReady: [] }));
    const terminating = !!p.metadata?.deletionTimestamp;
    const serving = isPodReady(p) || publishNotReady;
    const node = p.spec?.nodeName;
    const zone = node ? zoneOf(node) : undefined;
    const targetRef = { kind: 'Pod', namespace: ns, name: p.metadata!.name!, uid: p.metadata!.uid! };
    g.eps.push({
      addresses: [p.status!.podIP!],
      conditions: { ready: serving && !terminating, serving, terminating },
      ...(node ? { nodeName: node } : {}),
      ...(zone ? { zone } : {}),
      targetRef,
    });
    if (terminating && !publishNotReady) continue;
    (serving ? g.ready : g.notReady).push({ ip: p.status!.podIP!, ...(node ? { nodeName: node } : {}), targetRef });
  }
  const svcPorts = (svc.spec?.ports ?? []).map((p) => ({ name: p.name ?? '', port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' }));
  if (groups.size === 0) groups.set('', { ports: svcPorts, eps: [], ready: [], notReady: [] }); // an empty slice still shows the ports
  const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true };
  const slices: EndpointSlice[] = [];
  for (const [gk, g] of groups) {
    for (let i = 0; i === 0 || i < g.eps.length; i += MAX_ENDPOINTS_PER_SLICE) {
      const suffix = createHash('sha256').update(`${gk}/${i}`).digest('hex').slice(0, 5);
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${name}-${suffix}`, namespace: ns, labels: { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY }, ownerReferences: [owner] },
        addressType: 'IPv4',
        endpoints: g.eps.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
        ports: g.ports,
      });
    }
  }
  const subsets = [...groups.values()]
    .filter((g) => g.ready.length || g.notReady.length)
    .map((g) => ({
      ...(g.ready.length ? { addresses: g.ready } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady } : {}),
      ports: g.ports.map(({ appProtocol: _a, ...p }) => p),
    }));
  const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels: { ...(svc.metadata?.labels ?? {}) } }, ...(subsets.length ? { subsets } : {}) };
  return { slices, endpoints };
}

const sliceContent = (s: any) => JSON.stringify([s.endpoints ?? [], s.ports ?? [], s.metadata?.labels ?? {}]);

export function startEndpoints(ctx: SimContext, pods: PodIndex): Controller {
  const services: Informer<Service> = ctx.factory.for<Service>(R.services);
  const nodes: Informer<Node> = ctx.factory.for<Node>(R.nodes);
  const slices: Informer<EndpointSlice> = ctx.factory.for<EndpointSlice>(R.endpointslices, { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` });
  const endpoints: Informer<any> = ctx.factory.for(R.endpoints);
  const zoneOf = (n: string) => nodes.getByName(undefined, n)?.metadata?.labels?.['topology.kubernetes.io/zone'];
  const write = async (ref: typeof R.endpoints, obj: any, cur: any) => {
    if (cur) await ctx.client.update(ref, { ...obj, metadata: { ...cur.metadata, labels: obj.metadata.labels, ownerReferences: obj.metadata.ownerReferences } }, { fieldManager: FIELD_MANAGER });
    else await ctx.client.create(ref, obj, { fieldManager: FIELD_MANAGER });
  };

  const controller = new Controller({
    name: 'endpoints',
    workers: 2,
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    reconcile: async (key) => {
      const [ns, name] = key.split('/') as [string, string];
      const svc = services.get(key);
      const existing = slices.list().filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name);
      const managed = !!svc && !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
      try {
        if (!managed) {
          // Gone, or without a selector (its endpoints are the user's): our slices go.
          for (const s of existing) await ctx.client.delete(R.endpointslices, s.metadata!.name!, { namespace: ns }).catch(ignoreNotFound);
          if (!svc && endpoints.get(key)) await ctx.client.delete(R.endpoints, name, { namespace: ns }).catch(ignoreNotFound);
          return;
        }
        const want = desiredEndpoints(svc, pods.inNamespace(ns), zoneOf);
        const wanted = new Set(want.slices.map((s) => s.metadata!.name!));
        for (const s of want.slices) {
          const cur = existing.find((e) => e.metadata?.name === s.metadata!.name);
          if (!cur || sliceContent(cur) !== sliceContent(s)) await write(R.endpointslices, s, cur);
        }
        for (const s of existing) if (!wanted.has(s.metadata!.name!)) await ctx.client.delete(R.endpointslices, s.metadata!.name!, { namespace: ns }).catch(ignoreNotFound);
        const cur = endpoints.get(key);
        if (!cur || JSON.stringify([cur.subsets ?? [], cur.metadata?.labels ?? {}]) !== JSON.stringify([want.endpoints.subsets ?? [], want.endpoints.metadata.labels])) {
          await write(R.endpoints, want.endpoints, cur);
        }
      } catch (e) {
        if (isConflict(e) || isAlreadyExists(e)) return { requeueAfter: 50 }; // our cache is behind; look again shortly
        throw e;
      }
    },
  });

  const enqueueFor = (p: Pod) => {
    const ns = p.metadata?.namespace ?? '';
    for (const s of services.list()) if (s.metadata?.namespace === ns && selects(s.spec?.selector, p.metadata?.labels)) controller.enqueue(keyOf(s));
  };
  services.on({ add: (s) => controller.enqueue(keyOf(s)), update: (_o, s) => controller.enqueue(keyOf(s)), delete: (s) => controller.enqueue(keyOf(s)) });
  pods.onChange((p, old) => {
    enqueueFor(p);
    if (old && JSON.stringify(old.metadata?.labels) !== JSON.stringify(p.metadata?.labels)) enqueueFor(old);
  });
  slices.on({ delete: (s) => controller.enqueue(`${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME_LABEL]}`) });
  void Promise.all([services.synced(), slices.synced(), endpoints.synced()]).then(() => controller.start(ctx.signal));
  return controller;
}

function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}

/**
 * printerFor(group, resource): the Table printer kube-apiserver uses for a built-in resource,
 * or the default printer (NAME, Created At) for resources it has none for (roles,
 * clusterroles, limitranges, customresourcedefinitions, apiservices, ...).
 */
import { clusterPrinters } from './cluster.js';
import { corePrinters, eventsV1Printer } from './core.js';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumnDef } from './define.js';
import { parseTime } from './age.js';
import type { Printer } from './types.js';
import { appsPrinters, autoscalingPrinters, batchPrinters, policyPrinters } from './workloads.js';

/** Formats a creation timestamp as kube's default table does: UTC RFC3339 without fractions. */
export function rfc3339(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined || Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The default table convertor (k8s.io/apiserver rest.DefaultTableConvertor): Name and
 * "Created At", a date column holding the RFC3339 creation timestamp (kubectl shows it as is).
 */
export const defaultPrinter: Printer = {
  columns: [
    nameColumnDef(),
    { name: 'Created At', type: 'date', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 },
  ],
  cells: (obj: any) => [obj?.metadata?.name ?? '', rfc3339(obj?.metadata?.creationTimestamp)],
};

const withGroup = (group: string, printers: Record<string, Printer>): [string, Printer][] =>
  Object.entries(printers).map(([resource, p]) => [`${resource}.${group}`, p]);

const registry = new Map<string, Printer>([
  ...Object.entries(corePrinters),
  ...withGroup('apps', appsPrinters),
  ...withGroup('batch', batchPrinters),
  ...withGroup('autoscaling', autoscalingPrinters),
  ...withGroup('policy', policyPrinters),
  ...Object.entries(clusterPrinters),
  ['events.events.k8s.io', eventsV1Printer],
]);

/** The printer for `resource` (plural, lower case) in API `group` ('' for core). */
export function printerFor(group: string, resource: string): Printer {
  const key = group ? `${resource}.${group}` : resource;
  return registry.get(key) ?? defaultPrinter;
}

/** Whether a resource has a kind-specific printer (rather than the default one). */
export function hasBuiltinPrinter(group: string, resource: string): boolean {
  return registry.has(group ? `${resource}.${group}` : resource);
}

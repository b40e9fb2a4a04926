/**
 * Cell formatting helpers shared by the built-in printers (labels, selectors, containers,
 * ports, access modes, "a,b,c + N more..." lists).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

/** Go's byte-wise string ordering (kube sorts label keys, resource names, node roles this way). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byteCompare);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

const SELECTOR_OPS: Record<string, string> = { In: ' in ', NotIn: ' notin ', Exists: '', DoesNotExist: '' };

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key; matchLabels render
 * "k=v", In/NotIn "k in (a,b)" (values sorted), Exists "k", DoesNotExist "!k".
 * Returns "" for a nil or empty selector, undefined when the selector is invalid.
 */
export function selectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (!(op in SELECTOR_OPS)) return undefined;
    const values = e.values ?? [];
    if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) return undefined;
      reqs.push({ key: e.key, text: op === 'Exists' ? e.key : `!${e.key}` });
    } else {
      if (values.length === 0) return undefined;
      const vs = values.length === 1 ? values : [...values].sort(byteCompare);
      reqs.push({ key: e.key, text: `${e.key}${SELECTOR_OPS[op]}(${vs.join(',')})` });
    }
  }
  // Stable sort by key, as kube's selector.Add sorts requirements.
  return reqs
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => byteCompare(a.key, b.key) || a.i - b.i)
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images, each comma-joined (layoutContainerCells). */
export function containerCells(containers: readonly { name: string; image?: string }[] | null | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** net.JoinHostPort: brackets around IPv6 hosts. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "first,second,third + 2 more..." (listWithMoreString), "<unset>" when empty. */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** PersistentVolume access modes as "RWO,ROX,RWX,RWOP" (fixed order, duplicates dropped). */
export function accessModes(modes: readonly string[] | null | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** printBool / printBoolPtr: "True", "False", "<unset>". */
export function boolString(b: boolean | null | undefined): string {
  if (b === undefined || b === null) return '<unset>';
  return b ? 'True' : 'False';
}

/** IntOrString.String(). */
export function intOrString(v: number | string | null | undefined): string {
  return v === undefined || v === null ? '' : String(v);
}

/** "a, b, c" joins (rbac subjects). */
export const joinComma = (xs: readonly string[]): string => xs.join(', ');

/** The first non-empty string. */
export function firstNonEmpty(...xs: (string | null | undefined)[]): string {
  for (const x of xs) if (x) return x;
  return '';
}

/** Sorted, de-duplicated. */
export function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort(byteCompare);
}

/** Integer cell: numbers pass through truncated, anything else is 0. */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

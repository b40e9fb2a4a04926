/**
 * `flotilla explain` as text: where a workload runs and why, in sections a person reads top to
 * bottom (policy → placement → the scheduler's reasons → per-cluster status → overrides).
 * Pure: explain.ts gathers the pieces.
 */
import type { ClusterExplanation, Explanation } from '../scheduler/explain.js';
import { age } from '../apiserver/printers/age.js';
import { formatTable, type Colors } from './output.js';

export interface PolicyRef {
  kind: 'PropagationPolicy' | 'ClusterPropagationPolicy';
  namespace?: string;
  name: string;
}

export interface OverrideShadow {
  policyName: string;
  overriders: Record<string, any>;
}

export interface ExplainData {
  template: { apiVersion: string; kind: string; namespace?: string; name: string; uid?: string };
  policy?: PolicyRef;
  /** The policy object; undefined when it is gone (or there is no policy). */
  policyObject?: any;
  binding?: { kind: 'ResourceBinding' | 'ClusterResourceBinding'; namespace?: string; name: string; object?: any };
  explanation?: Explanation;
  /** Per target cluster: the overrides its Work records; undefined when the Work is not there. */
  overrides: Record<string, { namespaced: OverrideShadow[]; cluster: OverrideShadow[] } | undefined>;
}

const nsName = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);
const indent = (text: string, by = '  ') =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

/** One line per overrider rule: what it changes, as the policy author wrote it. */
export function describeOverriders(o: Record<string, any>): string[] {
  const lines: string[] = [];
  const value = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null));
  for (const p of o.plaintext ?? []) lines.push(`${p.operator} ${p.path}${p.operator === 'remove' ? '' : ` = ${value(p.value)}`}`);
  for (const i of o.imageOverrider ?? []) lines.push(`image ${String(i.component).toLowerCase()} ${i.operator}${i.value !== undefined ? ` ${value(i.value)}` : ''}${i.predicate?.path ? ` (at ${i.predicate.path})` : ''}`);
  for (const c of o.commandOverrider ?? []) lines.push(`command of ${c.containerName} ${c.operator} ${value(c.value ?? [])}`);
  for (const c of o.argsOverrider ?? []) lines.push(`args of ${c.containerName} ${c.operator} ${value(c.value ?? [])}`);
  for (const l of o.labelsOverrider ?? []) lines.push(`labels ${l.operator} ${value(l.value ?? {})}`);
  for (const a of o.annotationsOverrider ?? []) lines.push(`annotations ${a.operator} ${value(a.value ?? {})}`);
  for (const f of o.fieldOverrider ?? []) {
    for (const p of [...(f.json ?? []), ...(f.yaml ?? [])]) lines.push(`field ${f.fieldPath} ${p.operator} ${p.subPath}${p.operator === 'remove' ? '' : ` = ${value(p.value)}`}`);
  }
  return lines;
}

/** A short account of a policy's placement: which clusters it allows and how replicas go. */
export function describePlacement(placement: any): string {
  if (!placement) return 'no placement (every cluster)';
  const parts: string[] = [];
  const aff = placement.clusterAffinity;
  if (placement.clusterAffinities?.length) parts.push(`affinity terms ${placement.clusterAffinities.map((t: any) => t.affinityName).join(' → ')}`);
  else if (aff?.clusterNames?.length) parts.push(`clusters ${aff.clusterNames.join(', ')}`);
  else if (aff?.labelSelector || aff?.fieldSelector) parts.push('clusters by selector');
  else parts.push('any cluster');
  if (aff?.exclude?.length) parts.push(`except ${aff.exclude.join(', ')}`);
  const rs = placement.replicaScheduling;
  if (!rs || rs.replicaSchedulingType === 'Duplicated' || !rs.replicaSchedulingType) parts.push('replicas duplicated');
  else if (rs.replicaDivisionPreference === 'Aggregated') parts.push('replicas divided, aggregated');
  else if (rs.weightPreference?.dynamicWeight) parts.push('replicas divided by available replicas');
  else if (rs.weightPreference?.staticWeightList?.length) parts.push('replicas divided by static weights');
  else parts.push('replicas divided');
  if (placement.spreadConstraints?.length)
    parts.push(`spread by ${placement.spreadConstraints.map((s: any) => `${s.spreadByField ?? s.spreadByLabel} ${s.minGroups ?? 1}..${s.maxGroups ?? '∞'}`).join(', ')}`);
  return parts.join('; ');
}

function scoreDetail(c: ClusterExplanation): string {
  if (c.outcome === 'filtered') return c.filter ? `${c.filter.plugin}: ${c.filter.reason}` : 'filtered';
  const scores = c.scores ? Object.entries(c.scores).map(([k, v]) => `${k}=${v}`) : [];
  const extra: string[] = [];
  if (c.reservedReplicas) extra.push(`${c.reservedReplicas} reserved by in-flight decisions`);
  if (c.previousReplicas !== undefined) extra.push(`had ${c.previousReplicas}`);
  if (c.outcome === 'not-selected') extra.unshift('left out by spread constraints');
  return [...extra, ...scores].join(', ');
}

function renderExplanation(e: Explanation, c?: Colors): string {
  const lines = [e.summary];
  if (e.affinityAttempts?.length) {
    lines.push('Affinity terms tried:');
    for (const a of e.affinityAttempts) lines.push(`  ${a.index}. ${a.name}: ${a.scheduled ? 'scheduled' : `not schedulable${a.message ? ` (${a.message})` : ''}`}`);
  }
  const outcome = (x: ClusterExplanation) =>
    !c ? x.outcome : x.outcome === 'selected' ? c.green(x.outcome) : x.outcome === 'filtered' ? c.red(x.outcome) : c.yellow(x.outcome);
  const dash = (v: number | undefined) => (v === undefined ? '-' : String(v));
  lines.push(
    formatTable(
      ['CLUSTER', 'OUTCOME', 'REPLICAS', 'SCORE', 'AVAILABLE', 'WHY'],
      e.clusters.map((x) => [x.name, outcome(x), dash(x.replicas), dash(x.score), dash(x.availableReplicas), scoreDetail(x) || '-']),
    ).trimEnd(),
  );
  const s = e.spread;
  if (s && s.by !== 'none') {
    let line = `Spread by ${s.by}`;
    if (s.chosenGroups?.length) line += `: chose ${s.chosenGroups.join(', ')}`;
    if (s.groups?.length) line += ` of ${s.groups.map((g) => `${g.name} (score ${g.score}, ${g.clusters} clusters)`).join(', ')}`;
    if (s.swaps?.length) line += `; swapped ${s.swaps.map((w) => `${w.out}→${w.in}`).join(', ')}`;
    if (s.note) line += ` (${s.note})`;
    lines.push(line);
  }
  const d = e.division;
  if (d) {
    const parts = [`Division: ${d.strategy}${d.mode ? ` (${d.mode})` : ''}${d.phase ? `, ${d.phase}` : ''}, ${d.divided} replicas divided`];
    if (d.weights.length) parts.push(`weights ${d.weights.map((w) => `${w.name}=${w.weight}`).join(' ')}`);
    if (d.kept.length) parts.push(`kept ${d.kept.map((k) => `${k.name}=${k.replicas}`).join(' ')}`);
    if (d.seats.length) parts.push(`new seats ${d.seats.map((k) => `${k.name}=${k.replicas}`).join(' ')}`);
    if (d.note) parts.push(d.note);
    lines.push(parts.join('; '));
  }
  return lines.join('\n');
}

/** "2/3 ready" from a workload's status, or the Ready/Available condition, or "-". */
export function readiness(status: any): string {
  if (!status || typeof status !== 'object') return '-';
  if (typeof status.replicas === 'number' || typeof status.readyReplicas === 'number') {
    const want = status.replicas ?? 0;
    return `${status.readyReplicas ?? 0}/${want}`;
  }
  const cond = (status.conditions ?? []).find((x: any) => x.type === 'Ready' || x.type === 'Available');
  return cond ? `${cond.type}=${cond.status}` : '-';
}

export function renderExplain(d: ExplainData, now: Date, c?: Colors): string {
  const bold = c?.bold ?? ((s: string) => s);
  const t = d.template;
  const out: string[] = [bold(`${t.kind} ${nsName(t.namespace, t.name)}`) + ` (${t.apiVersion})`, ''];

  out.push(bold('Policy'));
  if (!d.policy) {
    out.push('  none: no PropagationPolicy or ClusterPropagationPolicy claims it, so it stays in the control plane only.');
    return out.join('\n') + '\n';
  }
  out.push(`  ${d.policy.kind} ${nsName(d.policy.namespace, d.policy.name)}${d.policyObject ? '' : ' (not found: deleted since it claimed the object?)'}`);
  if (d.policyObject) {
    out.push(`  placement: ${describePlacement(d.policyObject.spec?.placement)}`);
    if (d.policyObject.spec?.conflictResolution) out.push(`  conflict resolution: ${d.policyObject.spec.conflictResolution}`);
  }
  out.push('');

  out.push(bold('Placement'));
  const b = d.binding?.object;
  if (!b) {
    out.push(`  no ${d.binding?.kind ?? 'binding'} ${d.binding ? nsName(d.binding.namespace, d.binding.name) : ''} yet: the detector has not bound it to its policy.`);
    return out.join('\n') + '\n';
  }
  const targets: { name: string; replicas?: number }[] = b.spec?.clusters ?? [];
  out.push(`  ${d.binding!.kind} ${nsName(d.binding!.namespace, d.binding!.name)}`);
  const scheduled = (b.status?.conditions ?? []).find((x: any) => x.type === 'Scheduled');
  if (scheduled) {
    // The message usually is the explanation's summary, printed under "Why" below.
    const msg = scheduled.message && scheduled.message !== d.explanation?.summary ? `: ${scheduled.message}` : '';
    out.push(`  Scheduled=${scheduled.status} (${scheduled.reason}, ${age(scheduled.lastTransitionTime, now)} ago)${msg}`);
  }
  if (!targets.length) out.push('  not scheduled to any cluster yet');
  else out.push(indent(formatTable(['CLUSTER', 'REPLICAS'], targets.map((x) => [x.name, x.replicas === undefined ? '-' : String(x.replicas)])).trimEnd()));
  out.push('');

  out.push(bold('Why (scheduler)'));
  out.push(d.explanation ? indent(renderExplanation(d.explanation, c)) : '  no explanation recorded on the binding yet (annotation scheduler.flotilla.io/explanation).');
  out.push('');

  out.push(bold('Status in the member clusters'));
  const agg: any[] = b.status?.aggregatedStatus ?? [];
  if (!agg.length) out.push('  nothing reported yet');
  else {
    const applied = (x: any) => (x.applied === undefined ? 'Unknown' : x.applied ? 'True' : 'False');
    const paint = (s: string) => (!c ? s : s === 'True' || s === 'Healthy' ? c.green(s) : s === 'False' || s === 'Unhealthy' ? c.red(s) : c.yellow(s));
    out.push(
      indent(
        formatTable(
          ['CLUSTER', 'APPLIED', 'HEALTH', 'READY', 'MESSAGE'],
          agg.map((x) => [x.clusterName, paint(applied(x)), paint(x.health ?? 'Unknown'), readiness(x.status), x.appliedMessage ?? '']),
        ).trimEnd(),
      ),
    );
  }
  const fully = (b.status?.conditions ?? []).find((x: any) => x.type === 'FullyApplied');
  if (fully) out.push(`  FullyApplied=${fully.status} (${fully.reason}): ${fully.message}`);
  out.push('');

  out.push(bold('Overrides'));
  const names = targets.map((x) => x.name);
  if (!names.length) out.push('  none (not scheduled)');
  for (const name of names) {
    const o = d.overrides[name];
    if (!o) {
      out.push(`  ${name}: no Work yet`);
      continue;
    }
    const all = [...o.cluster.map((s) => ({ kind: 'ClusterOverridePolicy', ...s })), ...o.namespaced.map((s) => ({ kind: 'OverridePolicy', ...s }))];
    if (!all.length) {
      out.push(`  ${name}: none`);
      continue;
    }
    out.push(`  ${name}:`);
    for (const s of all) {
      out.push(`    ${s.kind} ${s.policyName}`);
      for (const l of describeOverriders(s.overriders)) out.push(`      ${l}`);
    }
  }
  return out.join('\n') + '\n';
}

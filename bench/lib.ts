/**
 * Benchmark plumbing: figures with same-run baselines, printed as a table and written to
 * bench/results/NAME.json (see ../shared/BENCHMARKS.md for the format).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Figure {
  metric: string;
  value: number;
  unit: string;
  baseline?: { metric: string; value: number; unit: string };
  ratio?: number;
  target?: string;
}

export class Report {
  readonly figures: Figure[] = [];
  constructor(
    readonly name: string,
    readonly params: Record<string, unknown>,
  ) {}

  add(f: Figure): void {
    if (f.baseline && f.ratio === undefined && f.baseline.value) f.ratio = round(f.value / f.baseline.value, 3);
    this.figures.push(f);
    const base = f.baseline ? `  vs ${f.baseline.metric} ${fmt(f.baseline.value)} ${f.baseline.unit} (ratio ${f.ratio})` : '';
    console.log(`  ${f.metric.padEnd(46)} ${fmt(f.value).padStart(12)} ${f.unit.padEnd(10)}${base}${f.target ? `  [target ${f.target}]` : ''}`);
  }

  write(): string {
    const root = join(dirname(fileURLToPath(import.meta.url)), 'results');
    mkdirSync(root, { recursive: true });
    const path = join(root, `${this.name}.json`);
    writeFileSync(
      path,
      JSON.stringify({ name: this.name, date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, params: this.params, figures: this.figures }, null, 2),
    );
    return path;
  }
}

export const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(round(v, 2)));

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

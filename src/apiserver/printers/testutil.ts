/** Shared fixtures for the printer tests. */
export const NOW = new Date('2024-06-01T12:00:00Z');

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An RFC3339 timestamp the given duration ("90s", "5m", "2h", "3d", "1h30m") before NOW. */
export function ago(spec: string): string {
  let ms = 0;
  for (const [, n, u] of spec.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNITS[u!]!;
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Cells keyed by column name. */
export function byName(columns: { name: string }[], cells: unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [c.name, cells[i]]));
}

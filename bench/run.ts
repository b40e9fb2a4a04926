/** `npm run bench -- NAME [--quick]`: runs one benchmark scenario. */
const [name, ...rest] = process.argv.slice(2);
const scenarios: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  api: () => import('./api.js'),
  etcd: () => import('./etcd.js'),
  sim: () => import('./sim.js'),
  up: () => import('./up.js'),
  scheduler: () => import('./scheduler.js'),
  propagation: () => import('./propagation.js'),
  failover: () => import('./failover.js'),
};
if (!name || !scenarios[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(scenarios).join('|')}> [--quick]`);
  process.exit(2);
}
const mod = await scenarios[name]!();
await mod.run(rest);
process.exit(0);

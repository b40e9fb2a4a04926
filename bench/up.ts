/**
 * Time from starting `flotilla up` to its ready line, with --sim 3 and --sim 50, beside the
 * time to start a bare `flotilla apiserver` (same binary, same machine, same run). Runs the
 * compiled CLI (bin/flotilla → dist/), as `npm start` does; builds first if needed.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report, median } from './lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function timeToReady(args: string[], readyPattern: RegExp): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-up-'));
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(root, 'bin/flotilla'), ...args, '--data-dir', dir, '--port', '0'], {
    env: { ...process.env, FLOTILLA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} not ready after 180 s`));
    }, 180_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (readyPattern.test(out)) {
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        clearTimeout(timer);
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve(secs);
        });
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!readyPattern.test(out)) {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited with ${code} before ready`));
      }
    });
  });
}

async function repeat(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const rounds = quick ? 1 : 3;
  const big = quick ? 10 : 50;
  execFileSync(process.execPath, [join(root, 'scripts/ensure.mjs')], { stdio: 'inherit' });
  const report = new Report('up', { rounds, sims: [3, big] });
  console.log(`up benchmark: ${rounds} round(s), compiled CLI`);
  const bare = median(await repeat(rounds, () => timeToReady(['apiserver', '--no-flotilla-apis'], /ready url=/)));
  const base = { metric: 'flotilla apiserver (bare) to ready', value: bare, unit: 's' };
  const three = median(await repeat(rounds, () => timeToReady(['up', '--sim', '3'], /flotilla up ready/)));
  report.add({ metric: 'flotilla up --sim 3 to ready', value: three, unit: 's', baseline: base, target: '< 5 s' });
  const many = median(await repeat(rounds, () => timeToReady(['up', '--sim', String(big)], /flotilla up ready/)));
  report.add({ metric: `flotilla up --sim ${big} to ready`, value: many, unit: 's', baseline: base });
  console.log(`results: ${report.write()}`);
}

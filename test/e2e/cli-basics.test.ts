/**
 * The CLI without a fleet: exit codes, one-line errors, help, completion, and the kubectl plugin
 * entry. Every command here runs the real program in a child process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, kubectlPlugin } from './cli-harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'flotilla-cli-basics-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** stderr of a failed command: exactly one `error:` line, optionally followed by the --help hint. */
function assertOneError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.match(lines[0]!, pattern);
  assert.match(lines[0]!, /^error: /);
  assert.ok(lines.length === 1 || (lines.length === 2 && /^\(run ".*--help" for usage\)$/.test(lines[1]!)), `more than one error line:\n${stderr}`);
}

test('version exits 0', async () => {
  const r = await cli(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^flotilla \d+\.\d+\.\d+ /);
});

test('unknown commands and bad flags: non-zero, one error line and a hint', async () => {
  const cases: [string[], RegExp][] = [
    [['bogus'], /^error: unknown command 'bogus'/],
    [['get', 'pods', '--bogus'], /^error: unknown option '--bogus'/],
    [['clusters', '-o', 'table'], /^error: option '-o, --output <format>' argument 'table' is invalid/],
    [['get', 'pods', '--request-timeout', 'soon'], /^error: invalid duration "soon"/],
    [['promote', 'deploy/web'], /^error: required option '--cluster <name>' not specified$/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cli(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assertOneError(r.stderr, pattern);
  }
});

test('--help on commands exits 0 and shows an example', async () => {
  for (const args of [['--help'], ['get', '--help'], ['top', 'clusters', '--help']]) {
    const r = await cli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^Usage: flotilla/);
  }
  const get = await cli(['get', '--help']);
  assert.match(get.stdout, /Examples:\n {2}flotilla get deploy -A/);
});

test('a missing kubeconfig or an unreachable control plane is one clear line', async () => {
  const missing = await cli(['clusters', '--kubeconfig', join(tmp, 'nope')]);
  assert.equal(missing.code, 1);
  assertOneError(missing.stderr, /^error: kubeconfig .*nope does not exist$/);

  const kubeconfig = join(tmp, 'dead.kubeconfig');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\ncurrent-context: dead\nclusters:\n- name: dead\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: dead\n  context:\n    cluster: dead\n    user: dead\nusers:\n- name: dead\n  user:\n    token: x\n',
  );
  const dead = await cli(['get', 'pods', '-A'], { KUBECONFIG: kubeconfig });
  assert.equal(dead.code, 1);
  assertOneError(dead.stderr, /^error: cannot reach the control plane at https:\/\/127\.0\.0\.1:1 \(context dead\): /);
  const context = await cli(['clusters', '--context', 'other'], { KUBECONFIG: kubeconfig });
  assertOneError(context.stderr, /^error: context "other" not found \(available: dead\)$/);
});

test('completion scripts name the commands and flags', async () => {
  const bash = await cli(['completion', 'bash']);
  assert.equal(bash.code, 0, bash.stderr);
  for (const w of ['clusters', 'get', 'explain', 'promote', 'top', '--all-namespaces', 'complete -o default -F _flotilla flotilla']) assert.ok(bash.stdout.includes(w), w);
  const zsh = await cli(['completion', 'zsh']);
  assert.equal(zsh.code, 0, zsh.stderr);
  assert.match(zsh.stdout, /^#compdef flotilla kubectl-flotilla/);
  for (const w of ['_flotilla_get()', '_flotilla_top_clusters()', "'clusters:"]) assert.ok(zsh.stdout.includes(w), w);
  const fish = await cli(['completion', 'fish']);
  assert.equal(fish.code, 1);
  assertOneError(fish.stderr, /Allowed choices are bash, zsh/);
});

test('kubectl flotilla: the plugin on the PATH runs the CLI with kubectl-style arguments', async () => {
  const r = await kubectlPlugin(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^flotilla \d+\.\d+\.\d+ /);
  const bad = await kubectlPlugin(['get', '--nope']);
  assert.equal(bad.code, 1);
  assertOneError(bad.stderr, /^error: unknown option '--nope'/);
  assert.match(bad.stderr, /\(run "kubectl flotilla get --help" for usage\)/);
});

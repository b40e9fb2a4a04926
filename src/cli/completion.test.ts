import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Argument, Command, Option } from 'commander';
import { bashCompletion, commandSpec, zshCompletion } from './completion.js';
import { buildProgram } from './program.js';

/** A small tree with every shape the generator handles. */
function sample(): Command {
  const root = new Command('flotilla');
  root.addCommand(
    new Command('get')
      .argument('<kind>')
      .option('-n, --namespace <ns>', "namespace ('quoted' [brackets]: colon)")
      .option('-A, --all-namespaces', 'all of them')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'yaml']))
      .option('--kubeconfig <file>', 'kubeconfig')
      .option('--context <name>', 'context'),
  );
  const sim = new Command('sim').description("Run simulated clusters: it's [fast]").option('--data-dir <dir>', 'where');
  sim.addCommand(new Command('fault').argument('<cluster>').argument('<mode>'));
  root.addCommand(sim);
  root.addCommand(new Command('completion').addArgument(new Argument('<shell>').choices(['bash', 'zsh'])));
  return root;
}

test('the spec mirrors the commander tree', () => {
  const spec = commandSpec(sample());
  assert.deepEqual(spec.subcommands.map((s) => s.name), ['get', 'sim', 'completion']);
  const get = spec.subcommands[0]!;
  assert.deepEqual(get.flags.map((f) => [f.long, f.takesValue, f.valueKind]), [
    ['--namespace', true, 'any'],
    ['--all-namespaces', false, 'any'],
    ['--output', true, 'any'],
    ['--kubeconfig', true, 'file'],
    ['--context', true, 'context'],
    ['--help', false, 'any'],
  ]);
  assert.deepEqual(get.flags[2]!.choices, ['wide', 'yaml']);
  assert.equal(spec.subcommands[1]!.flags[0]!.valueKind, 'dir');
});

/** Runs the bash completion function for a command line (the last word is being completed). */
function complete(script: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _flotilla; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('bash: commands, nested commands, flags and flag values complete', () => {
  const script = bashCompletion(commandSpec(sample()));
  assert.deepEqual(complete(script, ['flotilla', '']), ['--help', '-h', 'completion', 'get', 'sim']);
  assert.deepEqual(complete(script, ['flotilla', 'g']), ['get']);
  assert.deepEqual(complete(script, ['flotilla', 'sim', 'f']), ['fault']);
  assert.deepEqual(complete(script, ['flotilla', 'get', '--a']), ['--all-namespaces']);
  assert.deepEqual(complete(script, ['flotilla', 'get', '-o', '']), ['wide', 'yaml']);
  assert.deepEqual(complete(script, ['flotilla', 'get', '-n', '']), [], 'a free-form value suggests no flags');
  assert.deepEqual(complete(script, ['flotilla', 'completion', '']), ['--help', '-h', 'bash', 'zsh']);
});

test('bash: the real program completes its commands', () => {
  const script = bashCompletion(commandSpec(buildProgram()));
  const top = complete(script, ['flotilla', '']);
  for (const c of ['up', 'clusters', 'get', 'explain', 'promote', 'top', 'completion', 'join', 'sim', 'version']) assert.ok(top.includes(c), c);
  assert.deepEqual(complete(script, ['flotilla', 'top', '']).filter((w) => !w.startsWith('-')), ['clusters']);
  assert.ok(complete(script, ['flotilla', 'get', 'pods', '--']).includes('--all-namespaces'));
});

test('zsh: one function per command, quoting safe', () => {
  const script = zshCompletion(commandSpec(sample()));
  assert.match(script, /^#compdef flotilla kubectl-flotilla$/m);
  for (const fn of ['_flotilla()', '_flotilla_get()', '_flotilla_sim()', '_flotilla_sim_fault()', '_flotilla_completion()']) assert.ok(script.includes(fn), fn);
  assert.match(script, /'\(-o --output\)'\{-o,--output\}'\[output format\]:output:\(wide yaml\)'/);
  assert.match(script, /namespace \('\\''quoted'\\'' \\\[brackets\\\]\\: colon\)/);
  assert.match(script, /'1:shell:\(bash zsh\)'/);
  assert.ok(script.includes(`'sim:Run simulated clusters: it'\\''s [fast]'`), 'descriptions keep their text, quotes escaped');
  const zsh = spawnSync('zsh', ['-n'], { input: script, encoding: 'utf8' });
  if (zsh.error) return; // zsh not installed here: the structure checks above still ran
  assert.equal(zsh.status, 0, zsh.stderr);
});

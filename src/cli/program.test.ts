import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommanderError } from 'commander';
import { buildProgram, commandPath, walk } from './program.js';
import { helpExtras } from './reference.js';

test('every command has a description and an example in its --help', () => {
  for (const cmd of walk(buildProgram())) {
    if (cmd.parent === null) continue;
    assert.ok(cmd.description(), `${commandPath(cmd)} has no description`);
    assert.match(helpExtras(cmd), /Examples?:\n {2}\S/, `${commandPath(cmd)} --help has no example`);
  }
});

test('command names are unique at each level', () => {
  for (const cmd of walk(buildProgram())) {
    const names = cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    assert.equal(new Set(names).size, names.length, commandPath(cmd));
  }
});

/** Parses argv without running actions, capturing what commander prints. */
async function parse(argv: string[]): Promise<{ err: string; error?: CommanderError }> {
  const program = buildProgram();
  let err = '';
  for (const c of walk(program)) c.configureOutput({ writeErr: (s) => void (err += s), writeOut: (s) => void (err += s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { err };
  } catch (e) {
    if (e instanceof CommanderError) return { err, error: e };
    throw e;
  }
}

test('an unknown command is one error line plus a hint, and a non-zero exit code', async () => {
  const { err, error } = await parse(['bogus']);
  assert.equal(error?.exitCode, 1);
  assert.equal(err, `error: unknown command 'bogus'\n(run "flotilla --help" for usage)\n`);
});

test('a typo gets a suggestion on the same line', async () => {
  const { err, error } = await parse(['clsuters']);
  assert.equal(error?.exitCode, 1);
  assert.match(err, /^error: unknown command 'clsuters'\n\(Did you mean clusters\?\)\n|^error: unknown command 'clsuters' \(Did you mean clusters\?\)\n/);
});

test('bad flags in nested commands fail the same way, naming their own --help', async () => {
  for (const [argv, message, hint] of [
    [['get', 'pods', '--bogus'], "error: unknown option '--bogus'", 'flotilla get'],
    [['top', 'clusters', '--sort-by', 'disk'], "error: option '--sort-by <resource>' argument 'disk' is invalid. Allowed choices are cpu, memory, pods.", 'flotilla top clusters'],
    [['completion', 'fish'], "error: command-argument value 'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh.", 'flotilla completion'],
    [['promote', 'deploy/x'], "error: required option '--cluster <name>' not specified", 'flotilla promote'],
    [['get'], "error: missing required argument 'kind'", 'flotilla get'],
    [['version', 'extra'], 'error: too many arguments for \'version\'. Expected 0 arguments but got 1.', 'flotilla version'],
  ] as const) {
    const { err, error } = await parse([...argv]);
    assert.equal(error?.exitCode, 1, argv.join(' '));
    assert.equal(err, `${message}\n(run "${hint} --help" for usage)\n`, argv.join(' '));
  }
});

test('as a kubectl plugin the hints say "kubectl flotilla"', async () => {
  const program = buildProgram('kubectl flotilla');
  let err = '';
  for (const c of walk(program)) c.configureOutput({ writeErr: (s) => void (err += s) });
  await assert.rejects(program.parseAsync(['get', '--nope'], { from: 'user' }), CommanderError);
  assert.match(err, /\(run "kubectl flotilla get --help" for usage\)/);
});

/** The flotilla command line: runs the program (built in program.ts) on process.argv. */
import { basename } from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { oneLine } from './output.js';

// kubectl runs plugins as `kubectl-flotilla ARGS`; usage lines and hints should name what was typed.
const asPlugin = basename(process.argv[1] ?? '') === 'kubectl-flotilla';

try {
  await buildProgram(asPlugin ? 'kubectl flotilla' : 'flotilla').parseAsync(process.argv);
} catch (e) {
  // Commander has already printed its own error (and the hint) before throwing.
  if (e instanceof CommanderError) process.exit(e.exitCode);
  process.stderr.write(`error: ${oneLine((e as Error).message)}\n`);
  process.exit(1);
}

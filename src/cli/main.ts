/** The flotilla command line. */
import { Command, CommanderError } from 'commander';
import { apiserverCommand } from './apiserver.js';
import { simCommand } from './sim.js';

export function buildProgram(): Command {
  const program = new Command('flotilla')
    .description('Run many Kubernetes clusters as one.')
    .version('0.1.0', '--version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (s, write) => write(s) });
  program.addCommand(apiserverCommand());
  program.addCommand(simCommand());
  return program;
}

try {
  await buildProgram().exitOverride().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
}

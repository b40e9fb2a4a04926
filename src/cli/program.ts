/**
 * The flotilla program: every command, and the error behaviour they share. Built without
 * running, so the completion generator and the docs/cli.md generator walk the same tree the
 * command line parses.
 */
import { Command } from 'commander';
import { apiserverCommand } from './apiserver.js';
import { clustersCommand } from './clusters.js';
import { completionCommand } from './completion.js';
import { controllersCommand } from './controllers.js';
import { explainCommand } from './explain.js';
import { getCommand } from './get.js';
import { joinCommand, unjoinCommand, crdsCommand } from './join.js';
import { promoteCommand } from './promote.js';
import { simCommand } from './sim.js';
import { topCommand } from './top.js';
import { upCommand } from './up.js';
import { VERSION, versionCommand } from './version.js';

/** `name` is how the user invoked it: "kubectl flotilla" as a kubectl plugin, so hints say so. */
export function buildProgram(name = 'flotilla'): Command {
  const program = new Command(name)
    .description('Run many Kubernetes clusters as one.')
    .version(VERSION, '--version', 'print the version');
  program.addCommand(upCommand());
  program.addCommand(apiserverCommand());
  program.addCommand(controllersCommand());
  program.addCommand(joinCommand());
  program.addCommand(unjoinCommand());
  program.addCommand(clustersCommand());
  program.addCommand(getCommand());
  program.addCommand(explainCommand());
  program.addCommand(promoteCommand());
  program.addCommand(topCommand());
  program.addCommand(crdsCommand());
  program.addCommand(simCommand());
  program.addCommand(completionCommand(program));
  program.addCommand(versionCommand());
  for (const cmd of walk(program)) shareErrorBehaviour(cmd);
  return program;
}

/** The command and all its subcommands, depth first. */
export function* walk(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* walk(sub);
}

/** "flotilla sim fault". */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * addCommand() does not pass settings down (only .command() does), so each command gets them
 * here: parse errors become one `error: ...` line plus a hint naming the command's own --help,
 * and throw (exitOverride) so main.ts decides the exit code.
 */
function shareErrorBehaviour(cmd: Command): void {
  cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError(`(run "${commandPath(cmd)} --help" for usage)`)
    .configureOutput({ outputError: (s, write) => write(s) });
}

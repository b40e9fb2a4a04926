/** `flotilla version`. */
import { Command } from 'commander';
import { examples } from './output.js';

export const VERSION = '0.1.0';

export function versionCommand(): Command {
  const cmd = new Command('version').description('Print the version of flotilla');
  examples(cmd, 'flotilla version', 'kubectl flotilla version');
  return cmd.action(() => {
    process.stdout.write(`flotilla ${VERSION} (node ${process.version}, Kubernetes API v1.32)\n`);
  });
}

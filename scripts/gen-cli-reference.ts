/**
 * Writes docs/cli.md from the commander program (src/cli/program.ts), so the reference cannot
 * drift from the CLI: src/cli/reference.test.ts fails when the file differs from what this writes.
 * Usage: node --import tsx scripts/gen-cli-reference.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../src/cli/program.js';
import { renderReference } from '../src/cli/reference.js';

export const REFERENCE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'cli.md');

writeFileSync(REFERENCE_PATH, renderReference(buildProgram()));
process.stdout.write(`wrote ${REFERENCE_PATH}\n`);

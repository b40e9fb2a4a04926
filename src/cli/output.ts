/**
 * What every read command prints, the way kubectl prints it: borderless tables (upper-case
 * headers, three spaces between columns), -o wide|yaml|json|name, colour and progress only on
 * a terminal, and errors as one `error: ...` line on stderr.
 */
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | 'table';

/** `-o, --output` with the formats kubectl users type. */
export function outputOption(cmd: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return cmd.addOption(new Option('-o, --output <format>', 'output format').choices([...formats]));
}

export const formatOf = (o: { output?: string }): OutputFormat => (o.output as OutputFormat | undefined) ?? 'table';

// ---------------------------------------------------------------------------------------------
// Tables

const ANSI = /\x1b\[[0-9;]*m/g;
/** Printed width: colour codes take no room. */
export const visibleWidth = (s: string): number => s.replace(ANSI, '').length;

/**
 * kubectl's tabwriter layout: each column as wide as its widest cell, three spaces between
 * columns, no padding after the last one. Headers are printed as given (upper case by
 * convention; kubectl top keeps its units lower case, "CPU(cores)"). Cells may carry colour codes.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows.map((r) => r.map((c) => c.replace(/[\t\n]/g, ' ')))];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ''))));
  const lines = all.map((r) =>
    headers
      .map((_, i) => {
        const cell = r[i] ?? '';
        return i === headers.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleWidth(cell) + 3);
      })
      .join('')
      .replace(/\s+$/, ''),
  );
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Objects

/** A v1 List, as kubectl -o yaml|json prints several objects. */
export function asList(items: readonly unknown[]): object {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

/**
 * yaml or json text of one object (or List), laid out as kubectl prints it: JSON indented by 4,
 * YAML with list items flush with their key, and YAML 1.1 quoting so strings such as "yes" or
 * "0777" read back as strings to kubectl's parser.
 */
export function serialize(obj: unknown, format: 'yaml' | 'json'): string {
  return format === 'json' ? JSON.stringify(obj, null, 4) + '\n' : stringify(obj, { version: '1.1', lineWidth: 0, indentSeq: false });
}

/** kubectl hides managedFields unless asked (--show-managed-fields); so do we. */
export function withoutManagedFields<T extends { metadata?: object }>(obj: T): T {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata as Record<string, unknown>;
  return { ...obj, metadata };
}

/** kubectl -o name: `deployment.apps/nginx`, `namespace/default` (core kinds have no group). */
export function resourceName(kind: string, group: string, name: string): string {
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Terminal: colour and progress

export interface Colors {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const paint = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const plain = (s: string) => s;

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so does a non-terminal. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  return enabled
    ? { green: paint('32'), red: paint('31'), yellow: paint('33'), bold: paint('1'), dim: paint('2') }
    : { green: plain, red: plain, yellow: plain, bold: plain, dim: plain };
}

/** Colours for what goes to stdout. */
export const out = (): Colors => colors(colorEnabled(process.stdout));

/** A warning line on stderr; the rest of the output goes on. */
export function warn(message: string): void {
  const c = colors(colorEnabled(process.stderr));
  process.stderr.write(`${c.yellow('warning:')} ${oneLine(message)}\n`);
}

/** Errors must stay on one line: multi-line server messages are folded. */
export const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, '; ').trim();

/**
 * A spinner with a counter on stderr, only when stderr is a terminal (a pipe or a log file
 * gets nothing, so scripts read clean output). stop() erases it.
 */
export class Progress {
  readonly #enabled: boolean;
  #timer?: NodeJS.Timeout;
  #frame = 0;
  #text = '';

  constructor(stream: { isTTY?: boolean } = process.stderr) {
    this.#enabled = stream.isTTY === true && process.env.TERM !== 'dumb';
  }

  start(text: string): this {
    this.#text = text;
    if (!this.#enabled || this.#timer) return this;
    this.#timer = setInterval(() => this.#draw(), 80);
    this.#timer.unref();
    return this;
  }

  update(text: string): void {
    this.#text = text;
  }

  #draw(): void {
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    process.stderr.write(`\r\x1b[2K${frames[this.#frame++ % frames.length]} ${this.#text}`);
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    process.stderr.write('\r\x1b[2K');
  }
}

/** Help text with examples, in the shape every command uses (and docs/cli.md shows). */
export function examples(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

// Small synchronous file helpers for secret material (keys, tokens, kubeconfigs). Sync on purpose:
// they run at startup or from the CLI, and keeping them sync lets callers use them anywhere.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

/** Returns the file's contents, or undefined if it does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates dir (and parents) if missing; new dirs are private because they hold keys. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: SECRET_DIR_MODE });
}

/** A file created by an older version or by hand may be group/world readable: tighten it. */
export function tightenMode(path: string, mode = SECRET_FILE_MODE): void {
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

// The temp file is created with the final mode from the start ('wx' + mode), so the secret is never
// readable by others, not even briefly, and is fsynced so a crash cannot leave an empty file behind.
function writeTemp(path: string, data: string, mode: number): string {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  return tmp;
}

/**
 * Atomically replaces path (temp file + rename), so readers see the old or the new file, never a
 * partial one. A symlink at path is followed, so e.g. a symlinked ~/.kube/config stays a symlink.
 */
export function writeFileAtomic(path: string, data: string, mode = SECRET_FILE_MODE): void {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // Missing file (or dangling link): write at path itself.
  }
  const tmp = writeTemp(target, data, mode);
  try {
    renameSync(tmp, target);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

/**
 * Atomically creates path only if it does not exist yet (temp file + link, which fails on an
 * existing target). Returns false if another writer got there first; the caller should then read
 * the winner's file, so concurrent starters agree on one value.
 */
export function createFileExclusive(path: string, data: string, mode = SECRET_FILE_MODE): boolean {
  const tmp = writeTemp(path, data, mode);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Fixture for sqlite.test.ts (not a test): creates keys until it is killed, printing each write
 * only after its promise resolved. stdout to a pipe is synchronous on Linux, so every printed
 * line was acknowledged before the parent's SIGKILL could land.
 *
 * Usage: node --import tsx sqlite-crash-writer.ts DB_PATH NORMAL|FULL
 */
import { SqliteStore } from './sqlite.js';

const [path, sync] = process.argv.slice(2);
const store = SqliteStore.open(path!, { synchronous: sync === 'FULL' ? 'FULL' : 'NORMAL' });
process.stdout.write('ready\n');
for (let i = 0; ; i += 16) {
  // Concurrent writes, so group commit is what the crash interrupts.
  await Promise.all(
    Array.from({ length: 16 }, async (_, j) => {
      const key = `/crash/${String(i + j).padStart(8, '0')}`;
      const { revision } = await store.create(key, `value-${i + j}`);
      process.stdout.write(`${key} ${revision}\n`);
    }),
  );
}

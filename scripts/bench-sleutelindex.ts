/**
 * `npm run bench:sleutelindex [-- --count N --cache KIB --per-commit N]`: what one insert into an index keyed by a
 * random value costs SQLite on a connection opened as the bronregistratie opens it (`openDatabase`, with `convert`'s
 * bound on the WAL, without its checkpoint thread; `--cache` replaces its 4 MB page cache), against keys that grow in order (issue 13, docs/speed.md). Each key is looked up and then
 * inserted, in transactions of `--per-commit` keys, into a fresh database, once for each kind of key: an
 * integer that grows (as the record's `id`), a random 64-bit integer, a 32-byte BLOB and the 64-character hex
 * text the bronregistratie keys its hashes by today. Prints the cost per key for every fifth of the run and the
 * index's size. The keys are random bytes, not HMACs of anything: the hashing is not measured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/bronregistratie/verbinding.js';
import { RUN_CHECKPOINT_PAGINAS } from '../src/runs/convert.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    cache: { type: 'string' },
    'per-commit': { type: 'string', default: '400' },
  },
});
const aantal = Number(values.count);
const cacheKib = values.cache === undefined ? undefined : Number(values.cache);
const perCommit = Number(values['per-commit']);
for (const [naam, waarde] of [['--count', aantal], ['--cache', cacheKib ?? 1], ['--per-commit', perCommit]] as const) {
  if (!Number.isInteger(waarde) || waarde < 1) {
    console.error(`netwerkbrug bench: ${naam} must be a whole number above 0`);
    process.exit(2);
  }
}

type Soort = 'oplopend' | 'int64' | 'blob32' | 'hex64';
const SQL_TYPE: Record<Soort, string> = { oplopend: 'INTEGER', int64: 'INTEGER', blob32: 'BLOB', hex64: 'TEXT' };

/** The key of the i-th insert: `bytes` are 32 random bytes for it. */
function sleutel(soort: Soort, i: number, bytes: Buffer): bigint | Buffer | string {
  switch (soort) {
    case 'oplopend':
      return BigInt(i);
    case 'int64':
      return bytes.readBigInt64BE(0);
    case 'blob32':
      return bytes;
    case 'hex64':
      return bytes.toString('hex');
  }
}

const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-sleutelindex-'));
try {
  console.log(`${aantal} keys a kind, page cache ${cacheKib === undefined ? "the connection's own" : `${cacheKib} KiB`}, ${perCommit} keys per commit`);
  for (const soort of Object.keys(SQL_TYPE) as Soort[]) meet(soort);
} finally {
  rmSync(map, { recursive: true, force: true });
}

function meet(soort: Soort): void {
  const db = openDatabase(join(map, `${soort}.db`));
  if (cacheKib !== undefined) db.pragma(`cache_size = -${cacheKib}`);
  db.pragma(`wal_autocheckpoint = ${RUN_CHECKPOINT_PAGINAS}`);
  db.defaultSafeIntegers(true);
  db.exec(`CREATE TABLE t (k ${SQL_TYPE[soort]} NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (k, id)) WITHOUT ROWID`);
  const zoek = db.prepare('SELECT id FROM t WHERE k = ?');
  const zet = db.prepare('INSERT INTO t VALUES (?, ?)');
  // fresh random bytes for every commit (drawn in one call: well under 0.1 µs a key)
  const bytes = Buffer.alloc(32 * perCommit);
  const stap = db.transaction((van: number, tot: number) => {
    for (let i = van; i < tot; i++) {
      const k = sleutel(soort, i, bytes.subarray(32 * (i - van), 32 * (i - van + 1)));
      zoek.get(k);
      zet.run(k, BigInt(i));
    }
  });
  const vijfde = Math.max(1, Math.ceil(aantal / 5));
  const regels: string[] = [];
  let t0 = process.hrtime.bigint();
  let gemeten = 0;
  for (let i = 0; i < aantal; ) {
    const tot = Math.min(aantal, i + perCommit);
    if (soort !== 'oplopend') bytes.set(randomBytes(bytes.length));
    stap(i, tot);
    i = tot;
    if (i - gemeten >= vijfde || i === aantal) {
      const t = process.hrtime.bigint();
      regels.push(`${(Number(t - t0) / 1e3 / (i - gemeten)).toFixed(1)}`);
      t0 = process.hrtime.bigint();
      gemeten = i;
    }
  }
  const { b } = db.prepare<[], { b: bigint }>("SELECT sum(pgsize) b FROM dbstat WHERE name = 't'").get()!;
  db.close();
  console.log(`${soort.padEnd(9)}: µs per key, each fifth of the run: ${regels.join(', ').padEnd(32)} index ${(Number(b) / 1048576).toFixed(1)} MB`);
}

/**
 * `npm run bench:registratie [-- --count N --cache KIB --nummers 301,... --basis DB]`: the serial step of a `convert`
 * run alone, in databases side by side. The bench's archive (generated as `npm run bench` does, same seed; `--nummers`:
 * only those message types, e.g. `301` for a gemeente's archive of toewijzingen) is read,
 * validated and planned beforehand, off the clock, as a run's workers would; then the same registrations go into
 * database A, whose connection keeps the page cache it opens with (4 MB), and database B, given `--cache` KiB
 * (default: what a `convert` run gives its registration, RUN_PAGINACACHE_KIB), and a control A2 set as A, in
 * batches of 200 messages, one transaction each as a run makes them, taking turns batch by batch (and which goes
 * first), so the machine's drift hits all alike. It prints the CPU time per message of each, B/A, and A2/A: how
 * far two equal databases differ here, the noise to read B/A against. Read the ratios: the absolute figures are
 * not a run's (three databases share the processor's caches, and a run's main thread does more than register).
 * `--basis DB`: all three start as copies of that database (and its secret file), e.g. one of a million
 * messages; else all are new.
 *
 * Why apart from `npm run bench`: on a shared two-core machine the main thread's time in a whole run varies by a
 * fifth from run to run (three threads on two cores), which hides a change of a tenth; side by side, in one
 * thread, the same change shows within a few percent (docs/speed.md, sixteenth session).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SchemaRegister } from '../src/bericht/schemas.js';
import { valideerBericht } from '../src/bericht/validatie.js';
import { Bronregistratie } from '../src/bronregistratie/store.js';
import { PAGINACACHE_KIB } from '../src/bronregistratie/verbinding.js';
import { laadConfig } from '../src/config/laden.js';
import { voerUit, type BerichtPlan } from '../src/omzetten/bericht.js';
import { planEnControleer } from '../src/omzetten/uitgaand.js';
import { PAKKET_ROOT } from '../src/pakket.js';
import { RUN_PAGINACACHE_KIB } from '../src/runs/convert.js';
import { hashIdentiteiten } from '../src/runs/taak.js';
import { BERICHT_NUMMERS, genereerArchief, type BerichtNummer } from './fixtures/generator.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '20261128' },
    cache: { type: 'string', default: String(RUN_PAGINACACHE_KIB) },
    nummers: { type: 'string', default: '301,305,307,315,317' },
    basis: { type: 'string' },
  },
});
const aantal = Number(values.count);
const cacheKib = Number(values.cache);
for (const [naam, waarde] of [['--count', aantal], ['--cache', cacheKib]] as const) {
  if (!Number.isInteger(waarde) || waarde < 1) {
    console.error(`netwerkbrug bench: ${naam} must be a whole number above 0`);
    process.exit(2);
  }
}

const nummers = values.nummers.split(',');
const onbekend = nummers.find((n) => !(BERICHT_NUMMERS as readonly string[]).includes(n));
if (onbekend !== undefined) {
  console.error(`netwerkbrug bench: --nummers names a message type the generator does not make: ${onbekend}`);
  process.exit(2);
}

for (const pad of values.basis ? [values.basis, `${values.basis}.geheim`] : []) {
  if (!existsSync(pad)) {
    console.error(`netwerkbrug bench: --basis: ${pad} does not exist (a bronregistratie database and its secret file beside it)`);
    process.exit(2);
  }
}

const BATCH = 200;
const config = laadConfig(join(PAKKET_ROOT, 'netwerkbrug.yaml'));
const register = SchemaRegister.laad();
const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-registratie-'));

/** A database of the bench, opened as `convert` opens one; a copy of `--basis` when given. */
function open(naam: string): Bronregistratie {
  const pad = join(map, `${naam}.db`);
  if (values.basis) {
    copyFileSync(values.basis, pad);
    copyFileSync(`${values.basis}.geheim`, `${pad}.geheim`);
  }
  return new Bronregistratie(pad);
}

try {
  const a = open('a');
  const a2 = open('a2');
  const b = open('b');
  const cacheA = a.paginacache(PAGINACACHE_KIB);
  a2.paginacache(PAGINACACHE_KIB);
  b.paginacache(cacheKib);
  const stores = [a, a2, b];
  // each database has its own identity secret (unless all are copies): its plans carry its own hashes
  const plannen = new Map<Bronregistratie, BerichtPlan[]>(stores.map((s) => [s, []]));
  let n = 0;
  for (const bericht of genereerArchief(aantal, Number(values.seed), { nummers: nummers as BerichtNummer[], vanaf: '2026-07-01', dagen: 549, verwijzend: 0.95 })) {
    const r = valideerBericht(Buffer.from(bericht.xml), bericht.naam, register);
    if (!r.geldig) throw new Error(`a generated message does not validate: ${bericht.naam}`);
    for (const [store, lijst] of plannen) {
      const { plan, fouten } = planEnControleer(r, bericht.naam, config, register, true);
      if (fouten.length) throw new Error(`a generated message's plan does not validate: ${bericht.naam}`);
      hashIdentiteiten(plan, { standaard: store.hashgeheim, perEigenaar: {} });
      lijst.push(plan);
    }
    n++;
  }
  console.log(`${n} messages (${nummers.join(', ')}) planned; A and A2: ${cacheA} KiB page cache, B: ${cacheKib} KiB${values.basis ? `; copies of ${values.basis}` : '; new databases'}`);
  const cpu = new Map<Bronregistratie, number>(stores.map((s) => [s, 0]));
  for (let i = 0, beurt = 0; i < n; i += BATCH, beurt++) {
    const k = beurt % stores.length;
    for (const store of [...stores.slice(k), ...stores.slice(0, k)]) {
      const batch = plannen.get(store)!.slice(i, i + BATCH);
      const t0 = process.cpuUsage();
      store.batch(() => {
        for (const plan of batch) voerUit(plan, store, true, () => undefined);
      });
      const t = process.cpuUsage(t0);
      cpu.set(store, cpu.get(store)! + t.user + t.system);
    }
  }
  const perBericht = (store: Bronregistratie) => (cpu.get(store)! / n).toFixed(1);
  const tegen = (store: Bronregistratie) => (cpu.get(store)! / cpu.get(a)!).toFixed(3);
  console.log(`registration, CPU per message: A ${perBericht(a)} µs, A2 ${perBericht(a2)} µs, B ${perBericht(b)} µs; B/A ${tegen(b)} (A2/A ${tegen(a2)}: the noise)`);
  for (const store of stores) store.sluit();
} finally {
  rmSync(map, { recursive: true, force: true });
}

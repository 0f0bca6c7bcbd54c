/**
 * `npm run bench:validate [-- --count N --seed S]`: generates a deterministic set of messages of mixed
 * types, validates them with `xmllint --noout --schema` (one process per message type, one core) and with
 * netwerkbrug's in-process validation (the whole path: read, detect, validate), in one thread and as
 * `netwerkbrug validate` does it (worker threads, one per core), on the same files in the same run,
 * alternating, `--runs` times (default 3), and prints the median rates and their ratios.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SchemaRegister, STANDAARD_SCHEMAS } from '../src/bericht/schemas.js';
import { valideerBericht } from '../src/bericht/validatie.js';
import { valideerInvoer } from '../src/runs/validate.js';
import { Runpool } from '../src/runs/pool.js';
import { standaardWerkers } from '../src/werkers/pool.js';
import { genereerArchief } from './fixtures/generator.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '20261128' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const count = Number(values.count);
const seed = Number(values.seed);

try {
  execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('xmllint is not installed (Debian: apt-get install libxml2-utils)');
  process.exit(2);
}

const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-'));
const perSchema = new Map<string, string[]>();
const alle: string[] = [];
for (const b of genereerArchief(count, seed)) {
  const pad = join(map, b.naam);
  mkdirSync(join(pad, '..'), { recursive: true });
  writeFileSync(pad, b.xml);
  const xsd = join(STANDAARD_SCHEMAS, `${b.standaard}-3.2`, `${b.standaard === 'iwmo' ? 'WMO' : 'JW'}${b.nummer}.xsd`);
  perSchema.set(xsd, [...(perSchema.get(xsd) ?? []), pad]);
  alle.push(pad);
}
console.log(`${alle.length} messages of ${perSchema.size} types in ${map}`);

// xmllint: one invocation per schema (chunks keep the command line short); process start-up is counted
function xmllint(): number {
  const t0 = process.hrtime.bigint();
  for (const [xsd, bestanden] of perSchema) {
    for (let i = 0; i < bestanden.length; i += 500) {
      const r = spawnSync('xmllint', ['--noout', '--schema', xsd, ...bestanden.slice(i, i + 500)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`xmllint rejected a generated message: ${r.stderr.split('\n').find((l) => !l.endsWith(' validates'))}`);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// netwerkbrug: a fresh registry each run, so loading and compiling the schemas is measured, as in a CLI run
function netwerkbrug(): number {
  const t0 = process.hrtime.bigint();
  const register = SchemaRegister.laad();
  let ongeldig = 0;
  for (const pad of alle) {
    if (!valideerBericht(readFileSync(pad), pad, register).geldig) ongeldig++;
  }
  if (ongeldig) throw new Error(`${ongeldig} generated messages were judged invalid`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// as `netwerkbrug validate` runs: worker threads (started and their schemas compiled within the time measured)
async function netwerkbrugWerkers(): Promise<number> {
  const t0 = process.hrtime.bigint();
  const register = SchemaRegister.laad();
  const pool = new Runpool(register, standaardWerkers());
  let ongeldig = 0;
  try {
    for await (const item of valideerInvoer([map], register, pool)) if (item.soort === 'resultaat' && !item.resultaat.geldig) ongeldig++;
  } finally {
    await pool.sluit();
  }
  if (ongeldig) throw new Error(`${ongeldig} generated messages were judged invalid`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// alternate the three, several runs, and take the median of each: this machine's timings vary from run to run
const mediaan = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const xmllintTijden: number[] = [];
const onsTijden: number[] = [];
const werkersTijden: number[] = [];
for (let r = 0; r < runs; r++) {
  xmllintTijden.push(xmllint());
  onsTijden.push(netwerkbrug());
  werkersTijden.push(await netwerkbrugWerkers());
}
const xmllintS = mediaan(xmllintTijden);
const onsS = mediaan(onsTijden);
const werkersS = mediaan(werkersTijden);
const perRun = (ts: number[]) => ts.map((t) => t.toFixed(2)).join(' ');
console.log(`runs: ${runs}; per run xmllint ${perRun(xmllintTijden)} s, netwerkbrug ${perRun(onsTijden)} s, with workers ${perRun(werkersTijden)} s`);

const xmllintRate = alle.length / xmllintS;
const onsRate = alle.length / onsS;
console.log(`xmllint --noout --schema : ${xmllintRate.toFixed(0).padStart(6)} messages/s (median ${xmllintS.toFixed(2)} s)`);
console.log(`netwerkbrug (1 thread)   : ${onsRate.toFixed(0).padStart(6)} messages/s (median ${onsS.toFixed(2)} s)`);
const werkersRate = alle.length / werkersS;
console.log(`netwerkbrug (${standaardWerkers()} workers) : ${werkersRate.toFixed(0).padStart(6)} messages/s (median ${werkersS.toFixed(2)} s)`);
console.log(`ratio 1 thread/xmllint  : ${(onsRate / xmllintRate).toFixed(2)} (target >= 0.80)`);
console.log(`ratio workers/xmllint   : ${(werkersRate / xmllintRate).toFixed(2)} (thread start-up included)`);
if (!values.keep) rmSync(map, { recursive: true, force: true });

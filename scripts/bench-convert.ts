/**
 * `npm run bench [-- --count N]`: generates a deterministic archive (default 20,000 messages; iWmo and iJw;
 * 301, 305, 307, 315, 317; 0–3 Relaties), then runs `xmllint --noout --schema` (validate only, one
 * process per message type) and `netwerkbrug convert` (the real CLI, a fresh database, the example plan with
 * every object in one of its phases) on it in the same run, and prints both rates, their ratio and
 * convert's peak RSS (VmHWM, read from /proc while it runs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STANDAARD_SCHEMAS } from '../src/bericht/schemas.js';
import { PAKKET_ROOT } from '../src/pakket.js';
import { genereerArchief } from './fixtures/generator.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '20261128' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-convert-'));
const invoer = join(map, 'in');
const perSchema = new Map<string, string[]>();
for (const b of genereerArchief(count, Number(values.seed), { nummers: ['301', '305', '307', '315', '317'], vanaf: '2026-07-01', dagen: 549 })) {
  const pad = join(invoer, b.naam);
  mkdirSync(join(pad, '..'), { recursive: true });
  writeFileSync(pad, b.xml);
  const xsd = join(STANDAARD_SCHEMAS, `${b.standaard}-3.2`, `${b.standaard === 'iwmo' ? 'WMO' : 'JW'}${b.nummer}.xsd`);
  perSchema.set(xsd, [...(perSchema.get(xsd) ?? []), pad]);
}
console.log(`${count} messages in ${invoer}; ${availableParallelism()} cores`);

let t0 = process.hrtime.bigint();
for (const [xsd, bestanden] of perSchema) {
  for (let i = 0; i < bestanden.length; i += 500) {
    const r = spawnSync('xmllint', ['--noout', '--schema', xsd, ...bestanden.slice(i, i + 500)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`xmllint rejected a generated message (is libxml2-utils installed?): ${r.error?.message ?? r.stderr.slice(0, 300)}`);
  }
}
const xmllintS = Number(process.hrtime.bigint() - t0) / 1e9;

const plan = join(map, 'plan.yaml');
writeFileSync(plan, readFileSync(join(PAKKET_ROOT, 'netwerkbrug.yaml')));
t0 = process.hrtime.bigint();
let piekKb = 0;
const code = await new Promise<number | null>((ok) => {
  // the bin itself, as a user runs it (its #! line sets Node's options)
  const p = spawn(join(PAKKET_ROOT, 'bin', 'netwerkbrug.js'), ['convert', invoer, '--out', join(map, 'uit'), '--config', plan, '--db', join(map, 'bron.db'), '--report', join(map, 'rapport.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const meet = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      if (hwm) piekKb = Math.max(piekKb, Number(hwm[1]));
    } catch {
      // the process just ended
    }
  }, 20);
  p.on('exit', (c) => {
    clearInterval(meet);
    ok(c);
  });
});
const convertS = Number(process.hrtime.bigint() - t0) / 1e9;
if (code !== 0) throw new Error(`netwerkbrug convert exited ${code}`);
const rapport = JSON.parse(readFileSync(join(map, 'rapport.json'), 'utf8')) as { omgezet: number; ongewijzigd: number; perObject: unknown };

const xmllintRate = count / xmllintS;
const convertRate = count / convertS;
console.log(`converted: ${rapport.omgezet} rewritten, ${rapport.ongewijzigd} unchanged; objects ${JSON.stringify(rapport.perObject)}`);
console.log(`xmllint --noout --schema (validate only): ${xmllintRate.toFixed(0).padStart(6)} messages/s (${xmllintS.toFixed(1)} s)`);
console.log(`netwerkbrug convert                     : ${convertRate.toFixed(0).padStart(6)} messages/s (${convertS.toFixed(1)} s)`);
console.log(`ratio convert/xmllint                   : ${(convertRate / xmllintRate).toFixed(2)} (target >= 0.50)`);
console.log(`convert peak RSS                        : ${(piekKb / 1024).toFixed(0)} MB (target <= 300 MB at --count 100000)`);
if (!values.keep) rmSync(map, { recursive: true, force: true });

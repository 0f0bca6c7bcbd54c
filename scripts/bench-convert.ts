/**
 * `npm run bench [-- --count N] [--plan FILE]`: generates a deterministic archive (default 20,000 messages; iWmo and iJw;
 * 301, 305, 307, 315, 317; 0–3 Relaties; 95 % of the 305/307s name a toewijzing an earlier 301 sent), then runs on it, in the same run: `xmllint --noout --schema`
 * (validate only, one process per message type); `netwerkbrug validate`; `netwerkbrug convert` with every
 * informatieobject inactive (read, validate and write, nothing to register); and `netwerkbrug convert` (a fresh
 * database, the example plan with every object in one of its phases, or the plan `--plan` names). It prints each rate and its ratio to
 * xmllint's, the CPU seconds of each run (all threads, and the main thread alone, also per message), and convert's peak RSS
 * (VmHWM). All of it is read from /proc while the run goes. The middle two show where the time between
 * validating and converting goes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    // another cutover plan than the example's (e.g. one with fewer objects, to compare with an earlier release)
    plan: { type: 'string' },
  },
});
const count = Number(values.count);
const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-convert-'));
const invoer = join(map, 'in');
const perSchema = new Map<string, string[]>();
for (const b of genereerArchief(count, Number(values.seed), { nummers: ['301', '305', '307', '315', '317'], vanaf: '2026-07-01', dagen: 549, verwijzend: 0.95 })) {
  const pad = join(invoer, b.naam);
  mkdirSync(join(pad, '..'), { recursive: true });
  writeFileSync(pad, b.xml);
  const xsd = join(STANDAARD_SCHEMAS, `${b.standaard}-3.2`, `${b.standaard === 'iwmo' ? 'WMO' : 'JW'}${b.nummer}.xsd`);
  // pushed, not copied: a copy per message made the generation quadratic (a 1,000,000-message archive took an hour)
  (perSchema.get(xsd) ?? perSchema.set(xsd, []).get(xsd)!).push(pad);
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
writeFileSync(plan, readFileSync(values.plan ?? join(PAKKET_ROOT, 'netwerkbrug.yaml')));
// the same plan with every informatieobject inactive: read, validate, deliver, but nothing to register or rewrite
const inactief = join(map, 'plan-inactief.yaml');
writeFileSync(inactief, 'bronregistratie:\n  database: ./netwerkbrug.db\n  basisUrl: https://bron.example.nl\ninformatieobjecten: {}\n');

/** Clock ticks per second of /proc/<pid>/task/<tid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * Runs the bin itself, as a user runs it (its #! line sets Node's options): its time, peak RSS (VmHWM), and CPU
 * seconds (user + system) of all its threads and of the main thread alone (the serial part of a run).
 */
async function draai(args: string[]): Promise<{ s: number; piekKb: number; cpu: number; hoofd: number }> {
  const t0 = process.hrtime.bigint();
  let piekKb = 0;
  const cpuPerDraad = new Map<string, number>();
  const p = spawn(join(PAKKET_ROOT, 'bin', 'netwerkbrug.js'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((ok) => {
    const meet = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
        if (hwm) piekKb = Math.max(piekKb, Number(hwm[1]));
        for (const tid of readdirSync(`/proc/${p.pid}/task`)) {
          const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
          const velden = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          cpuPerDraad.set(tid, (Number(velden[11]) + Number(velden[12])) / TICKS);
        }
      } catch {
        // the process just ended
      }
    }, 20);
    p.on('exit', (c) => {
      clearInterval(meet);
      ok(c);
    });
  });
  if (code !== 0) throw new Error(`netwerkbrug ${args[0]} exited ${code}`);
  const cpu = [...cpuPerDraad.values()].reduce((a, b) => a + b, 0);
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, piekKb, cpu, hoofd: cpuPerDraad.get(String(p.pid)) ?? 0 };
}

const validate = await draai(['validate', invoer]);
const leeg = await draai(['convert', invoer, '--out', join(map, 'uit-inactief'), '--config', inactief, '--db', join(map, 'bron-inactief.db')]);
const convert = await draai(['convert', invoer, '--out', join(map, 'uit'), '--config', plan, '--db', join(map, 'bron.db'), '--report', join(map, 'rapport.json')]);
const rapport = JSON.parse(readFileSync(join(map, 'rapport.json'), 'utf8')) as { omgezet: number; ongewijzigd: number; perObject: unknown; aantalWaarschuwingen: number; sleutelsAangemaakt: number; versiesAangemaakt: number };

const xmllintRate = count / xmllintS;
const rate = (naam: string, s: number) => `${naam.padEnd(48)}: ${(count / s).toFixed(0).padStart(6)} messages/s (${s.toFixed(1)} s)`;
const regel = (naam: string, s: number) => `${rate(naam, s)}, ratio ${(count / s / xmllintRate).toFixed(2)}`;
// sampled every 20 ms, so the last 20 ms of a run are missing: close enough next to seconds
const cpu = (r: { cpu: number; hoofd: number }) => `${r.cpu.toFixed(1)} s CPU, main thread ${r.hoofd.toFixed(1)} s (${((r.hoofd / count) * 1e6).toFixed(0)} µs per message)`;
console.log(`converted: ${rapport.omgezet} rewritten, ${rapport.ongewijzigd} unchanged, ${rapport.sleutelsAangemaakt} Sleutels, ${rapport.versiesAangemaakt} versions, ${rapport.aantalWaarschuwingen} warnings; objects ${JSON.stringify(rapport.perObject)}`);
console.log(rate('xmllint --noout --schema (validate only)', xmllintS));
console.log(regel('netwerkbrug validate (read, validate)', validate.s) + `; ${cpu(validate)}`);
console.log(regel('netwerkbrug convert, every object inactive', leeg.s) + `; ${cpu(leeg)}`);
console.log(regel('netwerkbrug convert', convert.s) + `; ${cpu(convert)} (targets: ratio >= 0.50; main thread <= 100 µs per message, and within 1.2 times its figure at --count 100000)`);
console.log(`${'convert peak RSS'.padEnd(48)}: ${(convert.piekKb / 1024).toFixed(0)} MB (target <= 300 MB at --count 1000000)`);
if (!values.keep) rmSync(map, { recursive: true, force: true });

/**
 * `npm run test:pakket`: the package as its users install it. Packs this checkout (`npm pack`), installs the
 * tarball into an empty folder outside the checkout, and runs the installed `netwerkbrug` from there: --version,
 * the files the package must ship, the README's main job on the example archive, validate on its outputs,
 * init and config controleer, and serve answering GET /health over mutual TLS (stopped with SIGTERM).
 * Prints each check; exits 1 on any failure. The temporary folder is removed at the end.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { maakPki } from './pki.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const versie = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let mislukt = 0;

function check(wat: string, goed: boolean, details = ''): void {
  process.stdout.write(`${goed ? 'ok  ' : 'FAIL'}  ${wat}${!goed && details ? `\n${details.trim().replace(/^/gm, '      ')}` : ''}\n`);
  if (!goed) mislukt++;
}

/** Runs the installed bin through npx, as a user does, in `cwd`. */
function nb(cwd: string, args: string[]) {
  const r = spawnSync('npx', ['--no', '--', 'netwerkbrug', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, uit: `${r.stdout}${r.stderr}` };
}

const vrijePoort = () =>
  new Promise<number>((ok, nok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : nok(new Error('no port'))));
    });
  });

async function serveHealth(installatie: string, config: string, ca: Buffer, cert: Buffer, key: Buffer, poort: number): Promise<void> {
  // the installed bin itself, as a service manager starts it: npx would not pass SIGTERM on to it
  const p = spawn(join(installatie, 'node_modules', '.bin', 'netwerkbrug'), ['serve', '--config', config], { cwd: dirname(config), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  p.stdout.on('data', (d: Buffer) => (log += d.toString()));
  p.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const einde = new Promise<number | null>((ok) => p.on('exit', (code) => ok(code)));
  const agent = new Agent({ connect: { ca, cert, key } });
  try {
    const t0 = Date.now();
    while (!/"adres":"https:/.test(log) && p.exitCode === null && Date.now() - t0 < 30_000) await new Promise((ok) => setTimeout(ok, 100));
    check(`serve listens on 127.0.0.1:${poort}`, /"adres":"https:/.test(log), log);
    if (/"adres":"https:/.test(log)) {
      const r = await request(`https://127.0.0.1:${poort}/health`, { dispatcher: agent });
      const body = await r.body.text();
      check('serve answers GET /health with 200 over mutual TLS', r.statusCode === 200, `${r.statusCode} ${body}`);
      const ready = await request(`https://127.0.0.1:${poort}/ready`, { dispatcher: agent });
      check('serve answers GET /ready with 200 (database reachable, schemas compiled)', ready.statusCode === 200, await ready.body.text());
    }
  } catch (e) {
    check('serve answers GET /health', false, (e as Error).message);
  } finally {
    p.kill('SIGTERM');
    await agent.close();
  }
  const code = await Promise.race([einde, new Promise<'hangt'>((ok) => setTimeout(() => ok('hangt'), 30_000))]);
  if (code === 'hangt') p.kill('SIGKILL');
  check('serve stops with exit 0 on SIGTERM', code === 0, `exit ${code}\n${log}`);
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'nb-pakket-'));
  let pkiMap: string | undefined;
  try {
    process.stdout.write(`packing ${ROOT} into ${tmp}\n`);
    const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const bestanden = pack[0]!.files.map((f) => f.path);
    check(`the package has ${bestanden.length} files, none from test/, fixtures/, src/ or scripts/`, !bestanden.some((f) => /^(test|fixtures|src|scripts|dist\/scripts|dist\/test)\//.test(f)), bestanden.filter((f) => /^(test|fixtures|src|scripts)\//.test(f)).join('\n'));
    for (const nodig of ['bin/netwerkbrug.js', 'dist/src/cli/main.js', 'dist/src/werkers/draad.js', 'dist/src/runs/taak.js', 'schema/netwerkbrug.config.schema.json', 'xsd/iwmo-3.2/basisschema.xsd', 'xsd/ijw-3.2-sleutel/JW301.xsd', 'deploy/netwerkbrug.service', 'docs/service.md', 'README.md', 'CHANGELOG.md']) {
      check(`the package ships ${nodig}`, bestanden.includes(nodig));
    }

    const map = join(tmp, 'installatie');
    mkdirSync(map);
    process.stdout.write(`installing ${pack[0]!.filename} into ${map}\n`);
    const inst = spawnSync('npm', ['install', '--no-audit', '--no-fund', join(tmp, pack[0]!.filename)], { cwd: map, encoding: 'utf8' });
    check('npm install of the tarball into an empty folder', inst.status === 0, inst.stdout + inst.stderr);
    if (inst.status !== 0) return;

    const v = nb(map, ['--version']);
    check(`netwerkbrug --version prints ${versie}`, v.status === 0 && v.uit.trim() === versie, v.uit);

    // the README's main job, on a copy of the example archive and plan
    cpSync(join(ROOT, 'fixtures', 'voorbeeldarchief'), join(map, 'fixtures', 'voorbeeldarchief'), { recursive: true });
    cpSync(join(ROOT, 'netwerkbrug.yaml'), join(map, 'netwerkbrug.yaml'));
    const c = nb(map, ['convert', 'fixtures/voorbeeldarchief/', '--out', 'uit/', '--report', 'uit/rapport.json']);
    check('convert fixtures/voorbeeldarchief/ --out uit/ exits 0', c.status === 0, c.uit);
    const uit = existsSync(join(map, 'uit')) ? readdirSync(join(map, 'uit'), { recursive: true }).map(String).filter((f) => f.endsWith('.xml')) : [];
    const inn = readdirSync(join(map, 'fixtures', 'voorbeeldarchief'), { recursive: true }).map(String).filter((f) => f.endsWith('.xml'));
    check(`convert wrote an output for each of the ${inn.length} messages, a report and a database`, uit.length === inn.length && existsSync(join(map, 'uit', 'rapport.json')) && existsSync(join(map, 'netwerkbrug.db')), `${uit.length} outputs`);
    const val = nb(map, ['validate', '--alleen-fouten', 'uit/']);
    check('validate uit/ exits 0 (every output valid, keyed schemas from the package)', val.status === 0, val.uit);

    // init and config controleer, then the sidecar with that configuration
    // inside the installation folder, so npx finds the installed bin as it does for a user there
    const nieuw = join(map, 'gemeente');
    mkdirSync(nieuw);
    const i = nb(nieuw, ['init', '--rol', 'gemeente', '--code', '0344', '--data', './data']);
    check('init --rol gemeente --code 0344 exits 0', i.status === 0, i.uit);
    const config = join(nieuw, 'netwerkbrug.yaml');
    const leeg = nb(nieuw, ['config', 'controleer']);
    check('config controleer on the untouched starter names the missing TLS files, exit 2', leeg.status === 2 && /server\.tls\.certificaat: .* does not exist\./.test(leeg.uit), leeg.uit);
    const pki = maakPki();
    pkiMap = pki.map;
    const poort = await vrijePoort();
    mkdirSync(join(nieuw, 'data'));
    writeFileSync(
      config,
      readFileSync(config, 'utf8')
        .replace(/^  poort: \d+$/m, `  poort: ${poort}`)
        .replace('certificaat: ./tls/server.pem', `certificaat: ${pki.server.cert}`)
        .replace('sleutel: ./tls/server.key', `sleutel: ${pki.server.key}`)
        .replace(/^    ca: \.\/tls\/ca\.pem$/m, `    ca: ${pki.ca}`)
        .replace(/^  deelnemers: \{\}$/m, `  deelnemers: { "0344": { certificaten: ["${pki.server.vingerafdruk}"] } }`),
    );
    const goed = nb(nieuw, ['config', 'controleer']);
    check('config controleer on the filled-in configuration exits 0', goed.status === 0 && /in order/.test(goed.uit), goed.uit);
    await serveHealth(map, config, pki.caPem, pki.server.certPem, pki.server.keyPem, poort);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (pkiMap) rmSync(pkiMap, { recursive: true, force: true });
  }
}

main()
  .catch((e: unknown) => {
    check('the package test ran to the end', false, (e as Error).stack ?? String(e));
  })
  .finally(() => {
    process.stdout.write(mislukt ? `\n${mislukt} check(s) failed\n` : '\nall checks passed\n');
    process.exitCode = mislukt ? 1 : 0;
  });

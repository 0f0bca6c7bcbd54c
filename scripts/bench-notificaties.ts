/**
 * `npm run bench:notificaties [-- --count N --ontvangers R --vorm cloudevents|iwlz]`: registers N record
 * changes (default 20,000) for R aanbieders (default 20) in a fresh bronregistratie, starts a receiver on
 * loopback (node:http, answers 204), runs the real worker (`netwerkbrug notificaties bezorg --eenmalig`) and
 * prints the notifications delivered per second: over the whole run (start-up and fan-out included) and
 * between the first and the last delivery. Then the same for one recipient, whose order makes it sequential.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bronregistratie } from '../src/bronregistratie/store.js';
import { PAKKET_ROOT } from '../src/pakket.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    ontvangers: { type: 'string', default: '20' },
    vorm: { type: 'string', default: 'cloudevents' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);

async function meet(aantalOntvangers: number, aantal: number): Promise<{ totaal: number; stroom: number; ontvangen: number }> {
  const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bench-notificaties-'));
  const db = join(map, 'bron.db');
  const ontvangers = Array.from({ length: aantalOntvangers }, (_, k) => String(10_000_000 + k * 1_111));
  process.env.NETWERKBRUG_IDENTITEITSGEHEIM = '0'.repeat(64);
  const bronregistratie = new Bronregistratie(db);
  bronregistratie.transactie(() => {
    // records without personal data: identity and content are counters
    for (let i = 0; i < aantal; i++) {
      bronregistratie.registreer({
        wet: 'wmo',
        object: i % 4 === 0 ? 'contactgegevens' : 'relatie',
        eigenaar: '0344',
        identiteit: [`client-${i % (aantal / 2)}`, 'n'],
        inhoud: { Nummer: String(i) },
        dagtekening: '2027-01-01',
        berichtIdentificatie: `B${i}`,
        tegenpartij: ontvangers[i % aantalOntvangers]!,
        toewijzingEinde: null,
      });
    }
  });
  bronregistratie.sluit();

  let ontvangen = 0;
  let eerste = 0n;
  let laatste = 0n;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const nu = process.hrtime.bigint();
      if (!ontvangen++) eerste = nu;
      laatste = nu;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = join(map, 'netwerkbrug.json');
  writeFileSync(
    config,
    JSON.stringify({
      bronregistratie: { database: db, basisUrl: 'https://bron.example.nl' },
      notificaties: {
        ontwikkeling: true,
        vorm: values.vorm,
        gelijktijdig: Math.min(64, aantalOntvangers),
        ontvangers: Object.fromEntries(ontvangers.map((c) => [c, { url: `${url}/${c}` }])),
      },
    }),
  );
  const t0 = process.hrtime.bigint();
  const code = await new Promise<number | null>((ok) => {
    const p = spawn(process.execPath, [join(PAKKET_ROOT, 'bin', 'netwerkbrug.js'), 'notificaties', 'bezorg', '--eenmalig', '--config', config], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    p.on('exit', ok);
  });
  const totaalS = Number(process.hrtime.bigint() - t0) / 1e9;
  server.closeAllConnections();
  server.close();
  if (code !== 0) throw new Error(`the worker exited with ${code}`);
  if (!values.keep) rmSync(map, { recursive: true, force: true });
  return { totaal: ontvangen / totaalS, stroom: ontvangen / (Number(laatste - eerste) / 1e9), ontvangen };
}

const f = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`${f(count)} notifications, ${values.vorm}; ${availableParallelism()} cores`);
const veel = await meet(Number(values.ontvangers), count);
console.log(`${values.ontvangers} recipients: ${f(veel.ontvangen)} delivered, ${f(veel.totaal)} /s over the whole run, ${f(veel.stroom)} /s first to last delivery`);
const een = await meet(1, Math.min(count, 10_000));
console.log(`1 recipient (strictly in order): ${f(een.ontvangen)} delivered, ${f(een.totaal)} /s over the whole run, ${f(een.stroom)} /s first to last delivery`);

import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, netwerkbrug } from '../helpers/cli.js';
import { persoonsgegevens, startOntvanger, type Ontvangen } from '../helpers/ontvanger.js';
import { magVersieLezen } from '../../src/toegang/grond.js';
import { PLAN } from '../helpers/omzetten.js';
import { opzet, SNEL, toewijzing, totdat } from './opzet.js';

const ONTVANGERS = ['11111111', '22222222', '33333333'];

/** A delivery as the receiver saw it: the recipient's path and the notification's id. */
const paarVan = (x: Ontvangen) => `${x.pad} ${String(x.headers['idempotency-key'])}`;

let schoon: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of schoon.reverse()) await s();
  schoon = [];
});

function start(config: string, stderr: string[]): { p: ChildProcess; klaar: Promise<number | null> } {
  const p = spawn(process.execPath, [...CLI, 'notificaties', 'bezorg', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  p.stdout!.on('data', () => {});
  return { p, klaar: new Promise((ok) => p.on('exit', (code) => ok(code))) };
}

describe('netwerkbrug notificaties (the real CLI)', () => {
  it('loses nothing, keeps each recipient’s order and repeats only with the same id when the worker is killed mid-delivery', async () => {
    // 60 Toewijzingen to three aanbieders, re-sent with changes: creations and changes of Relaties and Contactgegevens
    const berichten = Array.from({ length: 60 }, (_, k) => toewijzing(k, ONTVANGERS[k % 3]!, 100 + (k % 20), { dagtekening: `2027-0${1 + Math.floor(k / 20)}-01`, wijziging: Math.floor(k / 20), relaties: 2 }));
    // slow enough to be killed in the middle; every 11th request fails, but a delivery at most once: with a failure
    // at every 11th request whatever it carried, one delivery could fail four times in a row and be dead-lettered
    // (three retries), as it should be, and the test would wait for it in vain
    let teller = 0;
    const gefaald = new Set<string>();
    const r = await startOntvanger((o) => {
      const paar = paarVan(o);
      const faal = ++teller % 11 === 0 && !gefaald.has(paar);
      if (faal) gefaald.add(paar);
      return { status: faal ? 500 : 204, vertraging: 8 };
    });
    const o = await opzet(berichten, {});
    const outbox = o.outbox();
    const pad: Record<string, string> = { [ONTVANGERS[0]!]: '/a', [ONTVANGERS[1]!]: '/b', [ONTVANGERS[2]!]: '/c' };
    // by rule: each notification goes to every aanbieder its record was sent to (a client can be with several),
    // when the version it announces was current inside that aanbieder's grounds window (not a change made
    // before its first message, when the client was with another aanbieder only)
    const vandaag = new Date().toISOString().slice(0, 10);
    const verwachtPaar = new Set(
      outbox.flatMap((n) =>
        o.bronregistratie
          .verstrekkingen(n.sleutel)
          .filter((v) => magVersieLezen(o.bronregistratie, n.sleutel, v.tegenpartij, n.versie, vandaag, 1200))
          .map((v) => `${pad[v.tegenpartij]} ${n.id}`),
      ),
    );
    await o.sluit();
    schoon.push(r.sluit);
    const config = join(o.w.map, 'netwerkbrug.json');
    writeFileSync(
      config,
      JSON.stringify({
        ...PLAN,
        bronregistratie: { database: o.w.db, basisUrl: 'https://bron.example.nl' },
        toegang: { nalooptijdMaanden: 1200 },
        notificaties: {
          ontwikkeling: true,
          bron: 'urn:nld:gemeente:{eigenaar}:netwerkbrug',
          ontvangers: { [ONTVANGERS[0]!]: { url: `${r.url}/a` }, [ONTVANGERS[1]!]: { url: `${r.url}/b`, vorm: 'iwlz' }, [ONTVANGERS[2]!]: { url: `${r.url}/c` } },
          backoff: SNEL,
          intervalSeconden: 0.05,
        },
      }),
    );
    const verwacht = verwachtPaar.size;
    expect(verwacht).toBeGreaterThan(outbox.length);
    const paren = () => new Set(r.ontvangen.map(paarVan));
    const uniek = () => paren().size;

    const stderr: string[] = [];
    const kills = [0.15, 0.4, 0.65, 0.85];
    for (const fractie of kills) {
      const w = start(config, stderr);
      const drempel = Math.floor(verwacht * fractie);
      await totdat(() => uniek() >= drempel, 60_000);
      w.p.kill('SIGKILL');
      expect(await w.klaar).toBe(null);
    }
    const laatste = start(config, stderr);
    await totdat(() => uniek() >= verwacht, 60_000);
    // a pair can have reached the receiver on a refused try (the receiver flaps), its retry still to come: stop
    // once the database holds every delivery as done, not at the first sight of every pair
    const db = new Database(o.w.db, { readonly: true });
    const geleverd = db.prepare<[], { n: number }>("SELECT count(*) n FROM bezorging WHERE status = 'geleverd'");
    const stand = () => JSON.stringify(db.prepare('SELECT status, pogingen, count(*) n FROM bezorging GROUP BY 1, 2').all());
    await totdat(() => geleverd.get()!.n >= verwacht, 60_000, () => `${verwacht} deliveries expected; by status and tries: ${stand()}`);
    // no delivery needed more than its one refused try and the retry after it
    expect(db.prepare<[], { n: number }>('SELECT max(pogingen) n FROM bezorging').get()!.n).toBeLessThanOrEqual(2);
    db.close();
    // a clean stop records what is in flight
    await new Promise((ok) => setTimeout(ok, 200));
    laatste.p.kill('SIGTERM');
    expect(await laatste.klaar).toBe(0);

    // nothing lost
    expect(paren()).toEqual(verwachtPaar);
    const volgnummer = new Map(outbox.map((x) => [x.id, x.volgnummer]));
    for (const p of ['/a', '/b', '/c']) {
      const reeks = r.op(p).map((x) => volgnummer.get(x.headers['idempotency-key'] as string)!);
      // per recipient: never an older notification after a newer one (a repeat of the last is allowed)
      expect(reeks.every((v, k) => k === 0 || reeks[k - 1]! <= v)).toBe(true);
    }
    // a duplicate is always the same id for the same record version (subject + sequence of the CloudEvents)
    const perInhoud = new Map<string, Set<string>>();
    for (const x of [...r.op('/a'), ...r.op('/c')]) {
      const sleutel = `${x.pad} ${inhoudVan(x)}`;
      perInhoud.set(sleutel, (perInhoud.get(sleutel) ?? new Set()).add(x.headers['idempotency-key'] as string));
    }
    expect([...perInhoud.values()].every((s) => s.size === 1)).toBe(true);
    expect(r.ontvangen.length).toBeGreaterThan(verwacht); // the retries of the flapping receiver, at least

    // no personal data in any body, header or log line
    const verboden = berichten.flatMap(persoonsgegevens);
    const alles = [...r.ontvangen.map((x) => x.body + JSON.stringify(x.headers) + x.pad), ...stderr].join('\n');
    expect(verboden.filter((v) => alles.includes(v))).toEqual([]);
    expect(stderr.join('')).toMatch(/"gebeurtenis":"geleverd"/);

    // status: everything delivered; opnieuw: sent again with the same id
    const status = JSON.parse(netwerkbrug(['notificaties', 'status', '--config', config, '--json']).stdout) as { onverdeeld: number; wachtrijen: Array<{ geleverd: number; wachtend: number; dood: number }> };
    expect(status.onverdeeld).toBe(0);
    expect(status.wachtrijen.reduce((n, w) => n + w.geleverd, 0)).toBe(verwacht);
    const tabel = netwerkbrug(['notificaties', 'status', '--config', config]).stdout;
    expect(tabel).toMatch(/^recipient\s+queue\s+pending\s+failed\s+dead\s+dropped\s+delivered/);
    const id = outbox[5]!.id;
    const opnieuw = netwerkbrug(['notificaties', 'opnieuw', id, '--config', config]);
    expect(opnieuw.stdout).toMatch(/[1-3] deliveries/);
    const voor = r.ontvangen.length;
    // asynchronously: the receiver lives in this process
    const eenmalig = spawn(process.execPath, [...CLI, 'notificaties', 'bezorg', '--config', config, '--eenmalig'], { stdio: 'ignore' });
    expect(await new Promise((ok) => eenmalig.on('exit', ok))).toBe(0);
    expect(r.ontvangen.slice(voor).map((x) => x.headers['idempotency-key'])).toContain(id);
    expect(netwerkbrug(['notificaties', 'opnieuw', '--config', config]).status).toBe(2);
    expect(netwerkbrug(['notificaties', 'opnieuw', '00000000-0000-4000-8000-000000000000', '--config', config]).status).toBe(2);
    expect(netwerkbrug(['notificaties', 'opnieuw', '--alle', '--config', config]).stdout).toMatch(/^0 dead/);
  });
});

describe('netwerkbrug notificaties: usage', () => {
  it('refuses a plain http endpoint outside development mode, naming the key (exit 2)', async () => {
    const o = await opzet([], {});
    await o.sluit();
    const config = join(o.w.map, 'fout.json');
    writeFileSync(config, JSON.stringify({ bronregistratie: { database: o.w.db }, notificaties: { ontvangers: { '11111111': { url: 'http://aanbieder.example/hook' } } } }));
    const r = netwerkbrug(['notificaties', 'bezorg', '--eenmalig', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/notificaties\.ontvangers\.11111111\.url: must be https/);
  });
});

/** The record version a CloudEvent is about. */
function inhoudVan(x: Ontvangen): string {
  const j = JSON.parse(x.body) as { subject: string; sequence: string };
  return `${j.subject} ${j.sequence}`;
}

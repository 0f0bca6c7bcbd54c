/**
 * The bronregistratie follows the messages' order (Dagtekening, then BerichtIdentificatie), never the order in
 * which they were processed: versions, the current version, notes, grounds and ends come out the same for any
 * order, a replay changes nothing, and an older message announces nothing.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bronregistratie, type Registratie } from '../../src/bronregistratie/store.js';
import { converteer } from '../../src/runs/convert.js';
import { leesConfig, parseConfigTekst } from '../../src/config/laden.js';
import { register, werkmap, type Werkmap } from '../helpers/omzetten.js';
import { ROOT } from '../helpers/paden.js';

let mappen: Werkmap[] = [];
const nieuweMap = () => {
  const w = werkmap();
  mappen.push(w);
  return w;
};
afterEach(() => {
  for (const w of mappen) rmSync(w.map, { recursive: true, force: true });
  mappen = [];
});

/** Everything the bronregistratie holds about a record, with no Sleutel or number in it (those differ per run). */
function stand(bronregistratie: Bronregistratie, sleutel: string) {
  const oorsprong = (v: { dagtekening: string; berichtIdentificatie: string; inhoud: unknown }) => [v.dagtekening, v.berichtIdentificatie, v.inhoud];
  return {
    versies: bronregistratie.versienummers(sleutel).map((n) => oorsprong(bronregistratie.versie(sleutel, n)!)),
    actueel: oorsprong(bronregistratie.versie(sleutel)!),
    verstrekkingen: bronregistratie.verstrekkingen(sleutel),
    beeindigingen: bronregistratie.beeindigingen(sleutel),
  };
}

describe('the order of messages: store', () => {
  const A = '11111111';
  type Bericht = { dagtekening: string; berichtIdentificatie: string; toewijzingEinde: string | null; draagt: Record<string, unknown> };
  // two Relaties of one client; the same day twice (B2 before B3); R goes A → B → A, S is missing from B3 and B5
  const BERICHTEN: Bericht[] = [
    { dagtekening: '2027-01-01', berichtIdentificatie: 'B1', toewijzingEinde: '2027-06-30', draagt: { R: { T: 'a' } } },
    { dagtekening: '2027-02-01', berichtIdentificatie: 'B2', toewijzingEinde: '2027-12-31', draagt: { R: { T: 'b' }, S: { T: 'x' } } },
    { dagtekening: '2027-02-01', berichtIdentificatie: 'B3', toewijzingEinde: null, draagt: { R: { T: 'a' } } },
    { dagtekening: '2027-03-01', berichtIdentificatie: 'B4', toewijzingEinde: '2027-09-30', draagt: { R: { T: 'a' }, S: { T: 'y' } } },
    { dagtekening: '2027-04-01', berichtIdentificatie: 'B5', toewijzingEinde: '2027-10-31', draagt: { R: { T: 'c' } } },
  ];

  /** One message as `voerUit` handles a 301: register what it carries, then end what the snapshot lacks. */
  function registreer(bronregistratie: Bronregistratie, b: Bericht): void {
    const aanwezig: string[] = [];
    for (const [nummer, inhoud] of Object.entries(b.draagt)) {
      const r: Registratie = { wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['999977271', nummer], inhoud, tegenpartij: A, groep: ['999977271'], ...b };
      aanwezig.push(bronregistratie.registreer(r).sleutel);
    }
    bronregistratie.beeindigOntbrekende({ wet: 'wmo', object: 'relatie', eigenaar: '0344', groep: ['999977271'], tegenpartij: A, ...b, aanwezig });
  }

  /** The message in a transaction of its own. */
  const verwerk = (bronregistratie: Bronregistratie, b: Bericht) => bronregistratie.transactie(() => registreer(bronregistratie, b));

  /** `inEen`: every message in one transaction, one after the other (a run's batch without savepoints). */
  function na(volgorde: readonly Bericht[], inEen = false) {
    const bronregistratie = new Bronregistratie(':memory:');
    if (inEen) bronregistratie.batch(() => volgorde.forEach((b) => registreer(bronregistratie, b)));
    else for (const b of volgorde) verwerk(bronregistratie, b);
    const sleutel = (n: string) => bronregistratie.zoekSleutel('wmo', 'relatie', '0344', ['999977271', n])!;
    const uitkomst = {
      R: stand(bronregistratie, sleutel('R')),
      S: stand(bronregistratie, sleutel('S')),
      // what each message carried, as rehydration resolves it
      gedragen: BERICHTEN.flatMap((b) => Object.keys(b.draagt).map((n) => bronregistratie.versieOp(sleutel(n), b.dagtekening, b.berichtIdentificatie)?.inhoud)),
      telling: bronregistratie.telling(),
    };
    return { bron: bronregistratie, uitkomst, sleutel };
  }

  /**
   * The same bronregistratie as `verwacht`, the outbox aside: how many entries it holds depends on the order (an
   * older message announces nothing), so only its count is taken from the outcome itself.
   */
  function verwachtGelijk(uitkomst: ReturnType<typeof na>['uitkomst'], verwacht: ReturnType<typeof na>['uitkomst'], volgorde: readonly Bericht[]): void {
    expect(uitkomst, volgorde.map((b) => b.berichtIdentificatie).join(' ')).toEqual({ ...verwacht, telling: { ...verwacht.telling, outbox: uitkomst.telling.outbox } });
  }

  const permutaties = <T,>(xs: readonly T[]): T[][] =>
    xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutaties([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

  it('in the order of the messages: versions by Dagtekening and BerichtIdentificatie, the latest message decides', () => {
    const { bron, uitkomst } = na(BERICHTEN);
    expect(uitkomst.R.versies).toEqual([
      ['2027-01-01', 'B1', { T: 'a' }],
      ['2027-02-01', 'B2', { T: 'b' }],
      ['2027-02-01', 'B3', { T: 'a' }],
      ['2027-04-01', 'B5', { T: 'c' }],
    ]);
    expect(uitkomst.R.actueel).toEqual(['2027-04-01', 'B5', { T: 'c' }]);
    expect(uitkomst.R.verstrekkingen).toEqual([{ tegenpartij: A, eersteDagtekening: '2027-01-01', laatsteDagtekening: '2027-04-01', toewijzingEinde: '2027-10-31' }]);
    expect(uitkomst.R.beeindigingen).toEqual([]);
    // S: ended by B3 (same day as B2, later), carried again by B4, ended again by B5
    expect(uitkomst.S.beeindigingen).toEqual([{ tegenpartij: A, dagtekening: '2027-04-01', berichtIdentificatie: 'B5' }]);
    expect(uitkomst.gedragen).toEqual([{ T: 'a' }, { T: 'b' }, { T: 'x' }, { T: 'a' }, { T: 'a' }, { T: 'y' }, { T: 'c' }]);
    bron.sluit();
  });

  it('any processing order gives the same bronregistratie, and a replay of every message changes nothing', () => {
    const verwacht = na(BERICHTEN);
    verwacht.bron.sluit();
    const alle = permutaties(BERICHTEN);
    expect(alle).toHaveLength(120);
    for (const volgorde of alle) {
      const { bron, uitkomst } = na(volgorde);
      verwachtGelijk(uitkomst, verwacht.uitkomst, volgorde);
      for (const b of volgorde) verwerk(bron, b);
      expect(bron.telling()).toEqual(uitkomst.telling);
      bron.sluit();
    }
  });

  it('the same when every message is in one transaction (a run\'s batch without savepoints)', () => {
    const verwacht = na(BERICHTEN);
    verwacht.bron.sluit();
    for (const volgorde of permutaties(BERICHTEN)) {
      const { bron, uitkomst } = na(volgorde, true);
      verwachtGelijk(uitkomst, verwacht.uitkomst, volgorde);
      bron.sluit();
    }
  });

  it('an older message notes what it carried but announces nothing; only a newer one changes the current version', () => {
    const w = nieuweMap();
    const bronregistratie = new Bronregistratie(w.db);
    const [b1, b2, b3, b4, b5] = BERICHTEN as [Bericht, Bericht, Bericht, Bericht, Bericht];
    verwerk(bronregistratie, b5); // R c: aangemaakt
    verwerk(bronregistratie, b1); // R a, older: nothing announced
    verwerk(bronregistratie, b2); // R b, older: nothing; S x: a new record (aangemaakt), ended at once by the newer B5 (beeindigd)
    verwerk(bronregistratie, b3); // R a, older: nothing; S's end moves back to B3, silently
    verwerk(bronregistratie, b4); // R a, older: nothing; S y: newer than every message that carried S, so its current version changes
    const r = bronregistratie.zoekSleutel('wmo', 'relatie', '0344', ['999977271', 'R'])!;
    const db = new Database(w.db, { readonly: true });
    const outbox = db.prepare('SELECT sleutel, soort FROM outbox ORDER BY volgnummer').all() as Array<{ sleutel: string; soort: string }>;
    db.close();
    expect(outbox.map((o) => `${o.sleutel === r ? 'R' : 'S'} ${o.soort}`)).toEqual(['R aangemaakt', 'S aangemaakt', 'S beeindigd', 'S gewijzigd']);
    expect(bronregistratie.versie(r)!.inhoud).toEqual({ T: 'c' });
    // numbers follow registration; the list follows the messages
    expect(bronregistratie.versienummers(r)).toEqual([2, 3, 4, 1]);
    bronregistratie.sluit();
  });
});

describe('the order of messages: the example archive', () => {
  const ARCHIEF = join(ROOT, 'fixtures', 'voorbeeldarchief');
  const config = leesConfig(parseConfigTekst(readFileSync(join(ROOT, 'netwerkbrug.yaml'), 'utf8'), 'netwerkbrug.yaml'));
  const GEHEIM = 'ab'.repeat(32);
  const bestanden = (map: string): string[] =>
    readdirSync(map, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bestanden(join(map, e.name)) : [join(map, e.name)])).sort();

  /** The whole bronregistratie by natural identity (one identity secret for every database, so the hashes agree). */
  function archiefstand(pad: string) {
    const bronregistratie = new Bronregistratie(pad);
    const db = new Database(pad, { readonly: true });
    try {
      const records = db.prepare('SELECT sleutel, object, eigenaar, identiteit FROM record ORDER BY object, eigenaar, identiteit').all() as Array<{ sleutel: string; object: string; eigenaar: string; identiteit: string }>;
      const groepen = db.prepare('SELECT groep FROM momentopname WHERE record = (SELECT id FROM record WHERE sleutel = ?) ORDER BY groep');
      const notities = db.prepare(
        'SELECT m.dagtekening, m.bericht_identificatie, v.inhoud FROM vermelding m JOIN versie v USING (record, nummer) WHERE m.record = (SELECT id FROM record WHERE sleutel = ?) ORDER BY 1, 2',
      );
      return records.map((r) => ({ record: `${r.object} ${r.eigenaar} ${r.identiteit}`, ...stand(bronregistratie, r.sleutel), vermeldingen: notities.all(r.sleutel), groepen: groepen.all(r.sleutel) }));
    } finally {
      db.close();
      bronregistratie.sluit();
    }
  }

  /** Converts the archive's messages in the order of `volgorde` (copied flat into a folder, names ranked). */
  async function converteerIn(volgorde: string[]): Promise<Werkmap> {
    const w = nieuweMap();
    writeFileSync(`${w.db}.geheim`, GEHEIM + '\n', { mode: 0o600 });
    volgorde.forEach((pad, k) => copyFileSync(pad, join(w.in, `${String(k).padStart(4, '0')}_${basename(pad)}`)));
    const bronregistratie = new Bronregistratie(w.db);
    try {
      await converteer({ invoer: [w.in], uit: w.uit, config, register, bronregistratie });
    } finally {
      bronregistratie.sluit();
    }
    return w;
  }

  /** A seeded shuffle (xorshift), so a failure can be repeated. */
  function geschud<T>(xs: readonly T[], zaad: number): T[] {
    const uit = [...xs];
    let s = zaad;
    for (let i = uit.length - 1; i > 0; i--) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const j = (s >>> 0) % (i + 1);
      [uit[i], uit[j]] = [uit[j]!, uit[i]!];
    }
    return uit;
  }

  it('converting the messages in any order gives the same bronregistratie', async () => {
    const alle = bestanden(ARCHIEF);
    expect(alle.length).toBeGreaterThan(150);
    const verwacht = archiefstand((await converteerIn(alle)).db);
    // the archive has records with several versions, some of them out of Dagtekening order in the archive
    expect(verwacht.filter((r) => r.versies.length > 1).length).toBeGreaterThan(5);
    for (const volgorde of [[...alle].reverse(), geschud(alle, 20271)]) {
      expect(archiefstand((await converteerIn(volgorde)).db)).toEqual(verwacht);
    }
  }, 120_000);

  it('converting the archive again into another output folder adds no version and no notification', async () => {
    const w = await converteerIn(bestanden(ARCHIEF));
    const voor = archiefstand(w.db);
    const bronregistratie = new Bronregistratie(w.db);
    const telling = bronregistratie.telling();
    try {
      const tweede = join(w.map, 'uit2');
      mkdirSync(tweede);
      await converteer({ invoer: [w.in], uit: tweede, config, register, bronregistratie });
      expect(bronregistratie.telling()).toEqual(telling);
    } finally {
      bronregistratie.sluit();
    }
    expect(archiefstand(w.db)).toEqual(voor);
  }, 120_000);
});

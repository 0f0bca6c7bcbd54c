/**
 * Technical separation per owner (issue 15, item 7): a sidecar for several owners keeps each owner's records in
 * a database of its own, keyed by a secret of its own (`bronregistratie.eigenaren`).
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Eigenaarregistraties, kiesDatabase } from '../../src/bronregistratie/eigenaren.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { laadConfig } from '../../src/config/laden.js';
import { NetwerkbrugFout } from '../../src/fout.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { converteer } from '../../src/runs/convert.js';
import { netwerkbrug } from '../helpers/cli.js';
import { PLAN, register, werkmap, type Werkmap } from '../helpers/omzetten.js';
import type { Config } from '../../src/config/typen.js';

const AANBIEDER = '12345678';
/** the same client (clientSeed) in messages of three gemeenten: two served here, one not */
const bericht = (gemeente: string, id: string) =>
  genereerBericht('iwmo', '301', 7, { dagtekening: '2027-02-01', relaties: 2, clientSeed: 7, afzender: gemeente, ontvanger: AANBIEDER, identificatie: id });

const mappen: string[] = [];
afterAll(() => {
  for (const m of mappen) rmSync(m, { recursive: true, force: true });
});

/** A work folder with a configuration file that keeps 0344 and 0599 apart (the default database holds the journal). */
function opzet() {
  const w = werkmap();
  mappen.push(w.map);
  const config = join(w.map, 'netwerkbrug.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...PLAN,
      bronregistratie: { database: 'run.db', eigenaren: { '0344': { database: 'eigenaren/0344.db' }, '0599': { database: 'eigenaren/0599.db' } } },
    }),
  );
  mkdirSync(join(w.map, 'eigenaren'));
  w.schrijf('a.xml', bericht('0344', 'A1'));
  w.schrijf('b.xml', bericht('0599', 'B1'));
  w.schrijf('c.xml', bericht('0518', 'C1'));
  // a message without informatieobjecten, after one of 0599: it registers nothing, so it journals in the default database
  w.schrijf('d.xml', genereerBericht('iwmo', '315', 8, { dagtekening: '2027-02-03', afzender: AANBIEDER, ontvanger: '0599', identificatie: 'D1' }));
  return { w, config };
}

/** One convert run over the work folder with every owner's database, as the CLI opens them. */
async function converteerAlles(w: Werkmap, c: Config) {
  const stores = Eigenaarregistraties.open(c);
  try {
    return await converteer({ invoer: [w.in], uit: w.uit, config: c, register, bronregistratie: stores });
  } finally {
    stores.sluit();
  }
}

const records = (pad: string) => {
  const db = new Database(pad, { readonly: true });
  try {
    return db.prepare('SELECT sleutel, eigenaar, identiteit FROM record').all() as Array<{ sleutel: string; eigenaar: string; identiteit: string }>;
  } finally {
    db.close();
  }
};

/** The inputs a database's run journal holds, by file name. */
const journaal = (pad: string) => {
  const db = new Database(pad, { readonly: true });
  try {
    return (db.prepare('SELECT invoer FROM journaal ORDER BY invoer').all() as Array<{ invoer: string }>).map((r) => r.invoer.split('/').at(-1));
  } finally {
    db.close();
  }
};

describe('owners separated: a database and an identity secret per owner', () => {
  it('convert registers each message in its owner\'s database, quarantines an owner not served, and resumes to the same end', async () => {
    const { w, config } = opzet();
    const c = laadConfig(config);
    const run = () => converteerAlles(w, c);
    const eerste = await run();
    expect(eerste.omgezet).toBe(2);
    expect(eerste.quarantaine).toBe(1);

    const a = records(join(w.map, 'eigenaren/0344.db'));
    const b = records(join(w.map, 'eigenaren/0599.db'));
    expect(a.length).toBeGreaterThan(0);
    expect(new Set(a.map((r) => r.eigenaar))).toEqual(new Set(['0344']));
    expect(new Set(b.map((r) => r.eigenaar))).toEqual(new Set(['0599']));
    // the default database holds no records: only the run journal, of the inputs that registered nothing
    expect(records(join(w.map, 'run.db'))).toEqual([]);
    expect(journaal(join(w.map, 'run.db'))).toEqual(['c.xml', 'd.xml']);
    expect(journaal(join(w.map, 'eigenaren/0599.db'))).toEqual(['b.xml']);
    // the same client under two owners: identities keyed by two secrets, nothing in common
    expect(a.map((r) => r.identiteit).filter((i) => b.some((x) => x.identiteit === i))).toEqual([]);
    const geheimA = readFileSync(join(w.map, 'eigenaren/0344.db.geheim'), 'utf8');
    const geheimB = readFileSync(join(w.map, 'eigenaren/0599.db.geheim'), 'utf8');
    expect(geheimA).not.toBe(geheimB);
    expect(statSync(join(w.map, 'eigenaren/0344.db.geheim')).mode & 0o777).toBe(0o600);

    // the unserved owner's message: quarantined with the rule and the owner code, nothing of the client
    const reden = readFileSync(join(w.uit, 'quarantaine', 'c.xml.reden.txt'), 'utf8');
    expect(reden).toContain('[EIGENAAR_NIET_BEDIEND]');
    expect(reden).toContain('0518');
    expect(reden).not.toMatch(/[0-9]{9}/);

    // the same run again: every input from its journal (in the store it registered in), nothing new
    const tweede = await run();
    expect(tweede).toEqual(eerste);
    expect(records(join(w.map, 'eigenaren/0344.db'))).toEqual(a);
    expect(records(join(w.map, 'eigenaren/0599.db'))).toEqual(b);
  });

  it('a run stopped between the owners\' commits is completed by the next one', async () => {
    const { w, config } = opzet();
    const c = laadConfig(config);
    const run = () => converteerAlles(w, c);
    // 0344's database as it is before the run (made, empty); the stores commit one after the other
    Eigenaarregistraties.open(c).sluit();
    const db0344 = join(w.map, 'eigenaren/0344.db');
    copyFileSync(db0344, `${db0344}.leeg`);
    const eerste = await run();
    const b = readFileSync(join(w.uit, 'b.xml'), 'utf8');
    const records0599 = records(join(w.map, 'eigenaren/0599.db'));
    // as after a stop once 0599's batch was committed and before 0344's was: 0344 holds nothing, no output written
    copyFileSync(`${db0344}.leeg`, db0344);
    rmSync(w.uit, { recursive: true });
    expect(records(db0344)).toEqual([]);

    const tweede = await run();
    expect(tweede).toEqual(eerste);
    expect(records(db0344).length).toBeGreaterThan(0);
    // 0599's message came from its journal: the same Sleutels, the same output, nothing registered twice
    expect(records(join(w.map, 'eigenaren/0599.db'))).toEqual(records0599);
    expect(readFileSync(join(w.uit, 'b.xml'), 'utf8')).toBe(b);
    expect(readdirSync(w.uit).sort()).toEqual(['a.xml', 'b.xml', 'd.xml', 'quarantaine']);
  });

  it('a database that is one owner\'s registers no other owner\'s message (the core refuses it)', () => {
    const w = werkmap();
    mappen.push(w.map);
    const c = laadConfig(writeConfig(w.map, { ...PLAN }));
    const store = new Bronregistratie(join(w.map, 'x.db'), { eigenaar: '0344' });
    try {
      const u = verwerkUitgaand(Buffer.from(bericht('0599', 'B2')), { config: c, register, bronregistratie: store, bestand: 'b.xml' });
      expect(u.soort).toBe('quarantaine');
      expect(u.soort === 'quarantaine' && u.fouten[0]!.code).toBe('EIGENAAR_NIET_BEDIEND');
      expect(store.verbinding.prepare('SELECT count(*) n FROM record').get()).toEqual({ n: 0 });
      expect(verwerkUitgaand(Buffer.from(bericht('0344', 'A2')), { config: c, register, bronregistratie: store, bestand: 'a.xml' }).soort).toBe('klaar');
    } finally {
      store.sluit();
    }
  });

  it('a command names the owner: refused without --eigenaar, with one not listed, or with one secret for all', () => {
    const { config } = opzet();
    const c = laadConfig(config);
    expect(kiesDatabase(c, { eigenaar: '0599' }).pad).toBe(join(c.bronregistratie.eigenaren!['0599']!.database));
    expect(() => kiesDatabase(c, {})).toThrow(/name the owner with --eigenaar/);
    expect(() => kiesDatabase(c, { eigenaar: '0518' })).toThrow(/--eigenaar 0518 is not one of bronregistratie.eigenaren \(0344, 0599\)/);
    // whatever was typed is not repeated when it is not a participant code (a BSN by mistake)
    expect(() => kiesDatabase(c, { eigenaar: '999990019' })).toThrow(/--eigenaar \(not a participant code\)/);
    process.env.NETWERKBRUG_IDENTITEITSGEHEIM = 'ab'.repeat(32);
    try {
      expect(() => kiesDatabase(c, { eigenaar: '0344' })).toThrow(/would give every owner's database the same identity secret/);
      expect(() => Eigenaarregistraties.open(c)).toThrow(NetwerkbrugFout);
    } finally {
      delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
    }
  });

  it('one database: --eigenaar may name its owner (deelnemer.code); another code is refused, not ignored', () => {
    const w = werkmap();
    mappen.push(w.map);
    const c = laadConfig(writeConfig(w.map, { deelnemer: { code: '0344' }, bronregistratie: { database: 'een.db' } }));
    expect(kiesDatabase(c, { eigenaar: '0344' }).pad).toBe(c.bronregistratie.database);
    expect(kiesDatabase(c, {}).pad).toBe(c.bronregistratie.database);
    expect(() => kiesDatabase(c, { eigenaar: '0599' })).toThrow(/--eigenaar 0599: this configuration keeps one database \(no bronregistratie.eigenaren\), of 0344; leave --eigenaar out/);
    expect(() => kiesDatabase(c, { eigenaar: '999990019' })).toThrow(/--eigenaar \(not a participant code\)/);
  });

  it('refuses two owners on one file, and two owners with one secret (a copied secret file)', () => {
    const w = werkmap();
    mappen.push(w.map);
    const zelfde = writeConfig(w.map, { bronregistratie: { database: 'run.db', eigenaren: { '0344': { database: 'een.db' }, '0599': { database: './een.db' } } } });
    expect(() => laadConfig(zelfde)).toThrow(/bronregistratie.eigenaren.0599.database is the same file as bronregistratie.eigenaren.0344.database/);
    const standaard = writeConfig(w.map, { bronregistratie: { database: 'run.db', eigenaren: { '0344': { database: 'run.db' } } } });
    expect(() => laadConfig(standaard)).toThrow(/is the same file as bronregistratie.database/);

    const c = laadConfig(writeConfig(w.map, { bronregistratie: { database: 'run.db', eigenaren: { '0344': { database: 'a.db' }, '0599': { database: 'b.db' } } } }));
    new Bronregistratie(join(w.map, 'a.db')).sluit();
    copyFileSync(join(w.map, 'a.db.geheim'), join(w.map, 'b.db.geheim'));
    expect(() => Eigenaarregistraties.open(c)).toThrow(/owners 0344 and 0599 have the same identity secret/);
  });

  it('the CLI: convert routes by owner; bron toon reads the owner named', () => {
    const { w, config } = opzet();
    const conv = netwerkbrug(['convert', w.in, '--out', w.uit, '--config', config, '--werkers', '0']);
    expect(conv.status).toBe(1); // one input quarantined (0518 is not served)
    const sleutel = records(join(w.map, 'eigenaren/0344.db'))[0]!.sleutel;
    const zonder = netwerkbrug(['bron', 'toon', sleutel, '--config', config]);
    expect(zonder.status).toBe(2);
    expect(zonder.stderr).toMatch(/name the owner with --eigenaar/);
    expect(zonder.stderr).not.toMatch(/\n\s+at /);
    expect(netwerkbrug(['bron', 'toon', sleutel, '--config', config, '--eigenaar', '0344']).status).toBe(0);
    // another owner's database does not hold it
    expect(netwerkbrug(['bron', 'toon', sleutel, '--config', config, '--eigenaar', '0599']).status).not.toBe(0);
  });
});

describe('a batch without a savepoint per message (convert)', () => {
  class Afgekeurd extends Error {}
  const registratie = (id: string) =>
    ({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['999977271', id], inhoud: { Nummer: id }, dagtekening: '2027-07-01', berichtIdentificatie: id, tegenpartij: AANBIEDER, toewijzingEinde: null, groep: ['999977271'] }) as const;
  /** three messages in one batch; `fout`: the one that throws after its registration (as an invalid output does) */
  function batch(alle: Eigenaarregistraties, fout: string | undefined) {
    let keer = 0;
    const uitkomst = alle.batchZonderSavepoints(() => {
      keer++;
      return ['1', '2', '3'].map((id) => {
        try {
          return alle.transactie(() => {
            const r = alle.registreer({ ...registratie(id), identiteit: [...registratie(id).identiteit] });
            if (id === fout) throw new Afgekeurd();
            return r.sleutel;
          });
        } catch (e) {
          if (e instanceof Afgekeurd) return undefined;
          throw e;
        }
      });
    });
    return { keer, uitkomst, gevonden: ['1', '2', '3'].map((id) => alle.zoekSleutel('wmo', 'relatie', '0344', ['999977271', id])) };
  }

  it('runs once when every message registers whole', () => {
    const w = werkmap();
    mappen.push(w.map);
    const alle = Eigenaarregistraties.enkel(new Bronregistratie(join(w.map, 'b.db')));
    const { keer, uitkomst, gevonden } = batch(alle, undefined);
    expect(keer).toBe(1);
    expect(gevonden).toEqual(uitkomst);
    alle.sluit();
  });

  it('a message that throws undoes itself alone: the batch is rolled back and done again with savepoints', () => {
    const w = werkmap();
    mappen.push(w.map);
    const alle = Eigenaarregistraties.enkel(new Bronregistratie(join(w.map, 'b.db')));
    const { keer, uitkomst, gevonden } = batch(alle, '2');
    expect(keer).toBe(2);
    expect(uitkomst[1]).toBeUndefined();
    expect(gevonden).toEqual(uitkomst);
    expect(gevonden[0]).toMatch(/^[0-9a-f-]{36}$/);
    // the first attempt left nothing behind: one record per registered message, one version each
    const db = new Database(join(w.map, 'b.db'), { readonly: true });
    expect(db.prepare('SELECT (SELECT count(*) FROM record) r, (SELECT count(*) FROM versie) v, (SELECT count(*) FROM outbox) o').get()).toEqual({ r: 2, v: 2, o: 2 });
    db.close();
    alle.sluit();
  });

  it('an error no savepoint undoes stops the batch, and nothing of it is kept', () => {
    const w = werkmap();
    mappen.push(w.map);
    const alle = Eigenaarregistraties.enkel(new Bronregistratie(join(w.map, 'b.db')));
    let keer = 0;
    expect(() =>
      alle.batchZonderSavepoints(() => {
        keer++;
        alle.transactie(() => alle.registreer({ ...registratie('1'), identiteit: [...registratie('1').identiteit] }));
        alle.transactie(() => {
          throw new Error('schijf vol');
        });
      }),
    ).toThrow('schijf vol');
    expect(keer).toBe(2);
    expect(alle.zoekSleutel('wmo', 'relatie', '0344', ['999977271', '1'])).toBeUndefined();
    alle.sluit();
  });
});

function writeConfig(map: string, inhoud: unknown): string {
  const pad = join(map, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(pad, JSON.stringify(inhoud));
  return pad;
}

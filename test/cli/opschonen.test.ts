import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { netwerkbrug } from '../helpers/cli.js';
import { PLAN, werkmap, type Werkmap } from '../helpers/omzetten.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const ONBEKEND = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';
const geheimEnv = process.env.NETWERKBRUG_IDENTITEITSGEHEIM;

/** A 301 whose every ToegewezenProduct ends on 2027-06-30: its records end then, and go after 2030-06-30 (36 months). */
const toewijzing = (clientSeed: number) =>
  genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 2, clientSeed, afzender: GEMEENTE, ontvanger: AANBIEDER })
    .replace(/<wmo301:Einddatum>[^<]*<\/wmo301:Einddatum>\r?\n\s*/g, '')
    .replace(/(\r?\n\s*)(<wmo301:Ingangsdatum>[^<]*<\/wmo301:Ingangsdatum>)/g, '$1$2$1<wmo301:Einddatum>2027-06-30</wmo301:Einddatum>');

let w: Werkmap;
let config: string;

beforeEach(async () => {
  delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  w = werkmap();
  w.schrijf('301.xml', toewijzing(5));
  await w.converteer();
  config = join(w.map, 'netwerkbrug.json');
  writeFileSync(config, JSON.stringify({ ...PLAN, deelnemer: { code: GEMEENTE }, bronregistratie: { database: w.db } }));
});
afterEach(() => {
  if (geheimEnv === undefined) delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  else process.env.NETWERKBRUG_IDENTITEITSGEHEIM = geheimEnv;
  rmSync(w.map, { recursive: true, force: true });
});

/** The records, read on a connection that may write: closing it, the last one, removes the -wal and -shm files again. */
const records = () => {
  const d = new Database(w.db);
  try {
    return d.prepare<[], { sleutel: string; object: string }>('SELECT sleutel, object FROM record ORDER BY sleutel').all();
  } finally {
    d.close();
  }
};

const opschonen = (...args: string[]) => netwerkbrug(['opschonen', '--config', config, ...args]);

describe('netwerkbrug opschonen', () => {
  it('a dry run counts per object and per table, prints no personal data, and creates and changes nothing', () => {
    const voor = records();
    expect(voor.length).toBeGreaterThanOrEqual(2);
    const bytes = readFileSync(w.db);
    const mtime = statSync(w.db).mtimeMs;
    const bestanden = readdirSync(w.map).sort();
    expect(bestanden).not.toContain('bron.db-wal');

    const r = opschonen('--peildatum', '2030-07-01', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const u = JSON.parse(r.stdout);
    expect(u).toMatchObject({ peildatum: '2030-07-01', uitgevoerd: false, perTabel: { record: voor.length } });
    const perObject = Object.fromEntries(Object.entries(u.perObject as Record<string, { record: number }>).map(([o, t]) => [o, t.record]));
    const verwacht: Record<string, number> = {};
    for (const v of voor) verwacht[v.object] = (verwacht[v.object] ?? 0) + 1;
    expect(perObject).toEqual(verwacht);
    // the text form too; neither names a Sleutel or anything of the message
    const tekst = opschonen('--peildatum', '2030-07-01');
    expect(tekst.status).toBe(0);
    expect(tekst.stdout).toMatch(/dry run: would remove/);
    expect(tekst.stdout).toMatch(/nothing was changed/);
    for (const uit of [r.stdout, tekst.stdout]) for (const v of voor) expect(uit).not.toContain(v.sleutel);
    const bsn = /<[a-z0-9]+:Bsn>(\d+)</.exec(toewijzing(5))![1]!;
    for (const uit of [r.stdout, tekst.stdout]) expect(uit).not.toContain(bsn);

    // the last day of retention: nothing goes yet
    expect(JSON.parse(opschonen('--peildatum', '2030-06-30', '--json').stdout).perTabel.record).toBe(0);

    expect(readFileSync(w.db).equals(bytes)).toBe(true);
    expect(statSync(w.db).mtimeMs).toBe(mtime);
    expect(readdirSync(w.map).sort()).toEqual(bestanden);
    expect(records()).toEqual(voor);
  });

  it('a dry run while another process has the database open sees what is in its WAL and changes nothing', () => {
    const bronregistratie = new Bronregistratie(w.db);
    try {
      bronregistratie.autoCheckpoint(0);
      bronregistratie.transactie(() =>
        bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, identiteit: ['999993653', '9'], inhoud: { Nummer: '9' }, dagtekening: '2027-01-01', berichtIdentificatie: 'X1', tegenpartij: AANBIEDER, toewijzingEinde: '2027-06-30' }),
      );
      const bytes = readFileSync(w.db);
      const r = opschonen('--peildatum', '2030-07-01', '--json');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).perTabel.record).toBe(records().length);
      expect(readFileSync(w.db).equals(bytes)).toBe(true);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('--uitvoeren removes the records past their retention; bron toon then says they are not there, as for an unknown Sleutel', () => {
    const voor = records();
    const toon = (sleutel: string) => netwerkbrug(['bron', 'toon', sleutel, '--config', config]);
    expect(toon(voor[0]!.sleutel).status).toBe(0);
    // within retention nothing goes
    expect(JSON.parse(opschonen('--peildatum', '2030-06-30', '--uitvoeren', '--json').stdout).perTabel.record).toBe(0);
    expect(records()).toEqual(voor);

    const r = opschonen('--peildatum', '2030-07-01', '--uitvoeren');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^removed \(peildatum 2030-07-01;/);
    expect(r.stdout).toMatch(/\n {2}relatie: 2 records \(/);
    expect(records()).toEqual([]);
    expect(existsSync(`${w.db}-wal`) ? statSync(`${w.db}-wal`).size : 0).toBe(0);
    for (const v of voor) {
      const weg = toon(v.sleutel);
      const onbekend = toon(ONBEKEND);
      expect(weg.status).toBe(2);
      expect(weg.status).toBe(onbekend.status);
      expect(weg.stdout).toBe('');
      expect(weg.stderr.replace(v.sleutel, 'S')).toBe(onbekend.stderr.replace(ONBEKEND, 'S'));
      expect(weg.stderr).toMatch(/is not in the bronregistratie/);
    }
  });

  it('removes old audit entries; audit verifieer then starts from the anchor, and names a forged one', () => {
    const a = new Auditlog(w.db);
    for (const [k, tijd] of ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2029-01-01T00:00:00.000Z'].entries()) {
      a.schrijf({ tijd, traceId: String(k).padStart(32, '0'), deelnemer: AANBIEDER, actie: 'bronregistratie:lezen', object: 'relatie', sleutel: ONBEKEND, versie: 1, doel: null, uitkomst: 'verstrekt', status: 200 });
    }
    a.sluit();
    const u = JSON.parse(opschonen('--peildatum', '2030-01-01', '--uitvoeren', '--json').stdout);
    expect(u).toMatchObject({ auditTot: 2, perTabel: { audit: 2, record: 0 } });
    const v = netwerkbrug(['audit', 'verifieer', '--config', config]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/intact: 1 entries, head at 3, from the retention anchor at 2/);
    const d = new Database(w.db);
    d.exec(`INSERT INTO audit_anker SELECT volgnummer, hash, '${'0'.repeat(64)}', 't' FROM audit WHERE volgnummer = 3; DELETE FROM audit`);
    d.close();
    const vals = netwerkbrug(['audit', 'verifieer', '--config', config]);
    expect(vals.status).toBe(1);
    expect(vals.stdout).toMatch(/broken at entry 3: forged anchor/);
  });

  it('a bad date, a missing database or configuration: one sentence, exit 2, nothing created', () => {
    for (const d of ['2030-13-01', '2030-02-30', 'morgen']) {
      const r = opschonen('--peildatum', d);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--peildatum .*calendar date/);
    }
    const elders = join(w.map, 'nergens.db');
    const r = opschonen('--db', elders);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/does not exist/);
    expect(opschonen('--db', elders, '--uitvoeren').status).toBe(2);
    expect(existsSync(elders)).toBe(false);
    const zonder = netwerkbrug(['opschonen', '--config', join(w.map, 'geen.yaml')]);
    expect(zonder.status).toBe(2);
    expect(zonder.stderr.trim().split('\n')).toHaveLength(1);
  });
});

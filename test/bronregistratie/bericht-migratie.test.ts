/**
 * The migration of a schema v5 database to v6 (key-only messages kept, the outbox able to announce them): the
 * database in fixtures/bron-v5/ was written by the v5 code (fixtures/maak-bron-v5.mjs, which also wrote its
 * outbox and delivery state, bron-v5.stand.json). On a copy, v6 must keep every outbox row with its volgnummer
 * and id, the deliveries and the cursor, never hand out a volgnummer twice, and go on writing both kinds of entry.
 */
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Outboxlezer } from '../../src/bronregistratie/outbox.js';
import { SCHEMA_VERSIE } from '../../src/bronregistratie/schema.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'bron-v5');
const STAND = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'bron-v5.stand.json'), 'utf8')) as {
  outbox: Array<Record<string, unknown>>;
  outbox_ontvanger: unknown[];
  bezorging: unknown[];
  notificatie_cursor: unknown[];
  sequence: number;
  versie: string;
};
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function kopie(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-bericht-v6-'));
  mappen.push(m);
  cpSync(FIXTURE, m, { recursive: true });
  return join(m, 'bron.db');
}

const lees = <T>(pad: string, f: (d: Database.Database) => T): T => {
  const d = new Database(pad, { readonly: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
};

describe('a v5 database opened by v6', () => {
  it('keeps every outbox row, its recipients, the deliveries and the cursor; the counter goes on', () => {
    const pad = kopie();
    expect(STAND.versie).toBe('5');
    expect(lees(pad, (d) => d.prepare('PRAGMA table_info(outbox)').all().map((k) => (k as { name: string }).name))).not.toContain('bericht');
    const b = new Bronregistratie(pad);
    expect(b.migratie).toEqual({ van: 5, naar: SCHEMA_VERSIE });
    b.sluit();
    const na = lees(pad, (d) => ({
      versie: (d.prepare("SELECT waarde FROM meta WHERE sleutel = 'schema_versie'").get() as { waarde: string }).waarde,
      outbox: d.prepare('SELECT * FROM outbox ORDER BY volgnummer').all() as Array<Record<string, unknown>>,
      outbox_ontvanger: d.prepare('SELECT * FROM outbox_ontvanger ORDER BY id').all(),
      bezorging: d.prepare('SELECT * FROM bezorging ORDER BY nummer').all(),
      notificatie_cursor: d.prepare('SELECT * FROM notificatie_cursor').all(),
      sequence: (d.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number }).seq,
      fk: d.prepare('PRAGMA foreign_key_check').all(),
      berichten: d.prepare('SELECT count(*) n FROM bericht').get(),
      // a re-sent message finds its entry by a partial index, not by a scan of the whole outbox
      plan: (d.prepare("EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE bericht = 'x' ORDER BY volgnummer LIMIT 1").all() as Array<{ detail: string }>).map((r) => r.detail).join('; '),
    }));
    expect(na.plan).toMatch(/USING INDEX outbox_bericht/);
    expect(na.versie).toBe(String(SCHEMA_VERSIE));
    expect(na.outbox).toEqual(STAND.outbox.map((r) => ({ ...r, bericht: null })));
    expect(na.outbox_ontvanger).toEqual(STAND.outbox_ontvanger);
    expect(na.bezorging).toEqual(STAND.bezorging);
    expect(na.notificatie_cursor).toEqual(STAND.notificatie_cursor);
    expect(na.sequence).toBe(STAND.sequence);
    expect(na.fk).toEqual([]);
    expect(na.berichten).toEqual({ n: 0 });
  });

  it('goes on: a record entry and a message entry after the old ones, with time-ordered ids, and the rest of the outbox still distributed', () => {
    const pad = kopie();
    const b = new Bronregistratie(pad);
    const nu = '2027-07-01T00:00:00.000Z';
    const r = b.transactie(() =>
      b.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['999977271', '9'], inhoud: { Nummer: '9', Naam: 'Smit' }, dagtekening: '2027-07-01', berichtIdentificatie: '3', tegenpartij: '11111111', toewijzingEinde: null, groep: ['999977271'] }, nu),
    );
    const m = b.transactie(() =>
      b.berichten.bewaar({ berichttype: 'WMO301', eigenaar: '0344', ontvanger: '11111111', wet: 'wmo', inhoud: Buffer.from('<x/>'), sleutels: [{ object: 'relatie', sleutel: r.sleutel, versie: r.versie }], dagtekening: '2027-07-01', berichtIdentificatie: '3' }, nu),
    );
    const rijen = new Outboxlezer(b.verbinding).na(STAND.sequence, 10);
    expect(rijen.map((x) => [x.volgnummer, x.soort, x.bericht ?? null])).toEqual([
      [STAND.sequence + 1, 'aangemaakt', null],
      [STAND.sequence + 2, 'bericht', m.id],
    ]);
    expect(rijen.every((x) => UUID7.test(x.id))).toBe(true);
    expect(rijen[1]!.id).toBe(m.notificatie);
    expect(rijen[1]).toMatchObject({ alleenVoor: '11111111', wet: 'wmo', object: 'WMO301', eigenaar: '0344' });
    b.sluit();
    // the v5 deliveries left waiting are still there to work; the cursor had stopped at the third entry
    const n = new Notificatiestore(pad);
    expect(n.onverdeeld()).toBe(STAND.outbox.length - 3 + 2);
    n.sluit();
  });
});

import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Auditlog, type Auditregel } from '../../src/bronregistratie/audit.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { kopPad, verifieerAuditlog } from '../../src/bronregistratie/auditketen.js';
import { netwerkbrug } from '../helpers/cli.js';

let map: string;
let db: string;
const geheimEnv = process.env.NETWERKBRUG_IDENTITEITSGEHEIM;

beforeEach(() => {
  delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  map = mkdtempSync(join(tmpdir(), 'netwerkbrug-audit-'));
  db = join(map, 'bron.db');
  // as in `serve`: the store is opened first, and makes the database's identity secret and its verifier
  new Bronregistratie(db).sluit();
});
afterEach(() => {
  if (geheimEnv === undefined) delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  else process.env.NETWERKBRUG_IDENTITEITSGEHEIM = geheimEnv;
  rmSync(map, { recursive: true, force: true });
});

const regel = (k: number): Auditregel => ({
  tijd: `2027-01-01T00:00:0${k % 10}.000Z`,
  traceId: k.toString(16).padStart(32, '0'),
  deelnemer: '12345678',
  actie: 'bronregistratie:lezen',
  object: 'relatie',
  sleutel: '5f0c6b1e-3c1a-4f5e-9a53-0d6f6c1e2b3a',
  versie: k,
  doel: 'bronregistratie:lezen',
  uitkomst: 'verstrekt',
  status: 200,
});

/** A log of `n` entries, closed. */
function log(n: number): void {
  const a = new Auditlog(db);
  for (let k = 1; k <= n; k++) a.schrijf(regel(k));
  a.sluit();
}

/** Changes the database with a plain connection, as someone with a copy of the file alone could. */
function knoei(sql: string): void {
  const d = new Database(db);
  try {
    d.exec(sql);
  } finally {
    d.close();
  }
}

const ZONDER_TRIGGERS = 'DROP TRIGGER audit_geen_wijziging; DROP TRIGGER audit_geen_verwijdering; DROP TRIGGER audit_geen_vervanging; DROP TRIGGER audit_alleen_geketend;';

describe('the audit log is tamper-evident', () => {
  it('an untouched log verifies, with its head', () => {
    log(6);
    expect(verifieerAuditlog(db)).toEqual({ intact: true, regels: 6, kop: { volgnummer: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(statSync(kopPad(db)).mode & 0o777).toBe(0o600);
  });

  it('refuses REPLACE, which deletes without firing the delete trigger', () => {
    log(3);
    expect(() => knoei("REPLACE INTO audit (volgnummer, tijd, trace_id, actie, uitkomst, status, vorige, hash) VALUES (2, 't', 'x', 'a', 'geweigerd', 403, 'v', 'h')")).toThrow(/append-only/);
    expect(() => knoei("INSERT INTO audit (tijd, trace_id, actie, uitkomst, status) VALUES ('t', 'x', 'a', 'geweigerd', 403)")).toThrow(/chained/);
    expect(() => knoei("UPDATE audit SET uitkomst = 'geweigerd'")).toThrow(/append-only/);
    expect(() => knoei('DELETE FROM audit')).toThrow(/append-only/);
    expect(verifieerAuditlog(db).intact).toBe(true);
  });

  it('finds a changed field (trigger dropped, row updated) and names the entry', () => {
    log(6);
    knoei(`${ZONDER_TRIGGERS} UPDATE audit SET uitkomst = 'geweigerd', status = 403 WHERE volgnummer = 3`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 3, soort: 'gewijzigd', regels: 2 });
  });

  it('finds a replaced row', () => {
    log(6);
    knoei(`${ZONDER_TRIGGERS} REPLACE INTO audit (volgnummer, tijd, trace_id, deelnemer, actie, object, sleutel, versie, doel, uitkomst, status, vorige, hash) SELECT volgnummer, tijd, trace_id, deelnemer, actie, object, sleutel, versie, doel, 'geweigerd', 403, vorige, hash FROM audit WHERE volgnummer = 4`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 4, soort: 'gewijzigd' });
  });

  it('finds a changed last entry', () => {
    log(4);
    knoei(`${ZONDER_TRIGGERS} UPDATE audit SET deelnemer = '99999999' WHERE volgnummer = 4`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 4, soort: 'gewijzigd' });
  });

  it('finds a removed row', () => {
    log(6);
    knoei(`${ZONDER_TRIGGERS} DELETE FROM audit WHERE volgnummer = 3`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 3, soort: 'ontbreekt' });
  });

  it('finds an inserted row: at the end, before the first, or with the rows after it renumbered', () => {
    log(5);
    knoei(`INSERT INTO audit (tijd, trace_id, actie, uitkomst, status, vorige, hash) SELECT 't', 'x', 'a', 'verstrekt', 200, hash, '${'f'.repeat(64)}' FROM audit WHERE volgnummer = 5`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 6, soort: 'ingevoegd' });

    rmSync(map, { recursive: true, force: true });
    log(5);
    knoei(`${ZONDER_TRIGGERS} INSERT INTO audit (volgnummer, tijd, trace_id, actie, uitkomst, status, vorige, hash) VALUES (0, 't', 'x', 'a', 'verstrekt', 200, '', '')`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 0, soort: 'ingevoegd' });

    rmSync(map, { recursive: true, force: true });
    log(5);
    knoei(`${ZONDER_TRIGGERS}
      UPDATE audit SET volgnummer = volgnummer + 100 WHERE volgnummer >= 3;
      UPDATE audit SET volgnummer = volgnummer - 99 WHERE volgnummer > 100;
      INSERT INTO audit (volgnummer, tijd, trace_id, actie, uitkomst, status, vorige, hash) SELECT 3, 't', 'x', 'a', 'verstrekt', 200, hash, hash FROM audit WHERE volgnummer = 2;`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 3, soort: 'ingevoegd' });
  });

  it('finds a removed tail through the head, and a later append keeps the gap visible', () => {
    log(6);
    knoei(`${ZONDER_TRIGGERS} DELETE FROM audit WHERE volgnummer >= 5`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 5, soort: 'kop', regels: 4 });
    // the sidecar starts again and appends: the new entry follows the head, not the shortened table
    const a = new Auditlog(db);
    a.schrijf(regel(7));
    a.sluit();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 5, soort: 'ontbreekt' });
  });

  it('a running log does not paper over a removed tail either (its last entry is kept in memory)', () => {
    const a = new Auditlog(db);
    for (let k = 1; k <= 4; k++) a.schrijf(regel(k));
    rmSync(kopPad(db));
    knoei(`${ZONDER_TRIGGERS} DELETE FROM audit WHERE volgnummer = 4`);
    a.schrijf(regel(5));
    a.sluit();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 4, soort: 'ontbreekt' });
  });

  it('a missing or forged head is reported', () => {
    log(3);
    rmSync(kopPad(db));
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'kop' });
    writeFileSync(kopPad(db), JSON.stringify({ volgnummer: 2, hash: 'a'.repeat(64), mac: 'b'.repeat(64) }));
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'kop' });
  });

  it('a copy of the database with another secret cannot rewrite the chain', () => {
    log(3);
    // a chain written from scratch under a secret of the attacker's, put in place of the real one
    process.env.NETWERKBRUG_IDENTITEITSGEHEIM = '1'.repeat(64);
    const ander = join(map, 'ander.db');
    new Bronregistratie(ander).sluit();
    const b = new Auditlog(ander);
    for (let k = 1; k <= 3; k++) b.schrijf({ ...regel(k), uitkomst: 'geweigerd', status: 403 });
    b.sluit();
    delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
    knoei(`${ZONDER_TRIGGERS} DELETE FROM audit; ATTACH '${ander}' AS ander; INSERT INTO audit SELECT * FROM ander.audit;`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 1, soort: 'gewijzigd' });
  });

  it('two connections (two processes) appending in turn keep one chain', () => {
    const a = new Auditlog(db);
    const b = new Auditlog(db);
    for (let k = 1; k <= 10; k++) (k % 3 ? a : b).schrijf(regel(k));
    a.sluit();
    b.sluit();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 10, kop: { volgnummer: 10 } });
  });

  it('chains the rows of an older, unchained log when it is opened, once', () => {
    const d = new Database(db);
    d.exec(`CREATE TABLE audit (volgnummer INTEGER PRIMARY KEY AUTOINCREMENT, tijd TEXT NOT NULL, trace_id TEXT NOT NULL, deelnemer TEXT, actie TEXT NOT NULL,
      object TEXT, sleutel TEXT, versie INTEGER, doel TEXT, uitkomst TEXT NOT NULL, status INTEGER NOT NULL);
      CREATE TRIGGER audit_geen_wijziging BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      INSERT INTO audit (tijd, trace_id, actie, uitkomst, status) VALUES ('t1', 'a', 'bronregistratie:lezen', 'verstrekt', 200), ('t2', 'b', 'bronregistratie:lezen', 'geweigerd', 403);`);
    d.close();
    expect(() => verifieerAuditlog(db)).toThrow(/not chained yet/);
    const a = new Auditlog(db);
    a.schrijf(regel(3));
    expect(a.alle().map((r) => r.uitkomst)).toEqual(['verstrekt', 'geweigerd', 'verstrekt']);
    a.sluit();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 3 });
    // chain columns dropped from a chained log: not chained anew (that would launder a change)
    knoei(`${ZONDER_TRIGGERS} UPDATE audit SET uitkomst = 'geweigerd'; ALTER TABLE audit DROP COLUMN hash;`);
    expect(() => new Auditlog(db)).toThrow(/chain columns are gone/);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'gewijzigd' });
  });

  it('an in-memory log works (tests, :memory:)', () => {
    const a = new Auditlog(':memory:');
    a.schrijf(regel(1));
    a.schrijf(regel(2));
    expect(a.alle()).toHaveLength(2);
    a.sluit();
  });
});

describe('netwerkbrug audit verifieer (the real CLI)', () => {
  it('exit 0 when intact, 1 naming the first bad entry, 2 for a usage error; creates nothing', () => {
    log(4);
    const goed = netwerkbrug(['audit', 'verifieer', '--db', db]);
    expect(goed.status, goed.stderr).toBe(0);
    expect(goed.stdout).toMatch(/intact: 4 entries, head at 4/);
    const voor = readdirSync(map).sort();

    knoei(`${ZONDER_TRIGGERS} UPDATE audit SET uitkomst = 'geweigerd' WHERE volgnummer = 2`);
    const fout = netwerkbrug(['audit', 'verifieer', '--db', db]);
    expect(fout.status).toBe(1);
    expect(fout.stdout).toMatch(/broken at entry 2: changed/);
    expect(JSON.parse(netwerkbrug(['audit', 'verifieer', '--db', db, '--json']).stdout)).toMatchObject({ intact: false, volgnummer: 2, soort: 'gewijzigd' });
    expect(readdirSync(map).sort()).toEqual(voor);

    const nergens = join(map, 'nergens', 'bron.db');
    const geen = netwerkbrug(['audit', 'verifieer', '--db', nergens]);
    expect(geen.status).toBe(2);
    expect(geen.stderr).toMatch(/no bronregistratie database/);
    expect(geen.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(map, 'nergens'))).toBe(false);

    rmSync(`${db}.geheim`);
    const zonder = netwerkbrug(['audit', 'verifieer', '--db', db]);
    expect(zonder.status).toBe(2);
    expect(zonder.stderr).toMatch(/identity secret/);
    expect(existsSync(`${db}.geheim`)).toBe(false);

    expect(netwerkbrug(['audit', 'verifieer', '--onbekend']).status).toBe(2);
  });
});

/** Querying the audit log: filters, paging, the exports (JSON lines, CSV parsed back), and the chain with the later fields. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Auditlog, type Auditregel } from '../../src/bronregistratie/audit.js';
import { rijHash } from '../../src/bronregistratie/auditketen.js';
import { alsCsv, alsJsonl, AUDITVELDEN, leesAudit } from '../../src/bronregistratie/auditvraag.js';
import { verifieerAuditlog } from '../../src/bronregistratie/auditketen.js';
import { isBsn } from '../../src/bronregistratie/inzage.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';

const S1 = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';
const S2 = '1c1e7c43-2c4c-4b59-a1f4-7a3c7f2b9d11';

const regel = (r: Partial<Auditregel>): Auditregel => ({
  tijd: '2027-01-01T10:00:00.000Z',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  deelnemer: '12345678',
  actie: 'bronregistratie:lezen',
  object: 'relatie',
  sleutel: S1,
  versie: 1,
  doel: 'zorgverlening',
  uitkomst: 'verstrekt',
  status: 200,
  ...r,
});

function gevuld() {
  const map = mkdtempSync(join(tmpdir(), 'nb-auditvraag-'));
  const db = join(map, 'bron.db');
  new Bronregistratie(db).sluit();
  const a = new Auditlog(db);
  a.schrijf(regel({}));
  a.schrijf(regel({ tijd: '2027-01-02T23:59:59.999Z', deelnemer: '87654321', uitkomst: 'geweigerd', status: 403, versie: null, grond: 'geen: niet verstrekt aan deze partij', kanaal: 'http' }));
  a.schrijf(regel({ tijd: '2027-01-03T00:00:00.000Z', sleutel: S2, grond: 'verstrekking via 301 van 2027-01-01, venster tot 2029-06-30', kanaal: 'http' }));
  // a ground with everything CSV must escape
  a.schrijf(regel({ tijd: '2027-01-04T08:00:00.000Z', deelnemer: '0344', grond: 'een "ground", with\r\nline breaks, commas and "quotes"', kanaal: 'cli', wet: 'jeugdwet' }));
  a.sluit();
  return db;
}

/** An RFC 4180 parser: quoted fields, doubled quotes, line breaks inside quotes. */
function parseCsv(tekst: string): string[][] {
  const rijen: string[][] = [];
  let rij: string[] = [];
  let veld = '';
  let i = 0;
  let gequote = false;
  while (i < tekst.length) {
    const c = tekst[i]!;
    if (gequote) {
      if (c === '"' && tekst[i + 1] === '"') (veld += '"'), (i += 2);
      else if (c === '"') (gequote = false), i++;
      else (veld += c), i++;
    } else if (c === '"') (gequote = true), i++;
    else if (c === ',') rij.push(veld), (veld = ''), i++;
    else if (c === '\r' && tekst[i + 1] === '\n') rij.push(veld), rijen.push(rij), (rij = []), (veld = ''), (i += 2);
    else (veld += c), i++;
  }
  if (veld || rij.length) rij.push(veld), rijen.push(rij);
  return rijen;
}

describe('querying the audit log', () => {
  it('filters by Sleutel, party, period (dates inclusive, or times) and verdict, and pages', () => {
    const db = gevuld();
    expect(leesAudit(db, {}).map((p) => p.volgnummer)).toEqual([1, 2, 3, 4]);
    expect(leesAudit(db, { sleutel: S2 }).map((p) => p.volgnummer)).toEqual([3]);
    expect(leesAudit(db, { deelnemer: '87654321' }).map((p) => p.volgnummer)).toEqual([2]);
    expect(leesAudit(db, { uitkomst: 'geweigerd' }).map((p) => p.volgnummer)).toEqual([2]);
    expect(leesAudit(db, { van: '2027-01-02', tot: '2027-01-03' }).map((p) => p.volgnummer)).toEqual([2, 3]);
    expect(leesAudit(db, { tot: '2027-01-02' }).map((p) => p.volgnummer)).toEqual([1, 2]);
    expect(leesAudit(db, { van: '2027-01-02T23:59:59.999Z', tot: '2027-01-03T00:00:00.000Z' }).map((p) => p.volgnummer)).toEqual([2, 3]);
    expect(leesAudit(db, { sleutel: S1, uitkomst: 'verstrekt', deelnemer: '12345678' }).map((p) => p.volgnummer)).toEqual([1]);
    expect(leesAudit(db, { na: 1, limiet: 2 }).map((p) => p.volgnummer)).toEqual([2, 3]);
    expect(leesAudit(db, { sleutels: [S2] }).map((p) => p.volgnummer)).toEqual([3]);
    expect(leesAudit(db, { eigenaar: '0344' }).map((p) => p.volgnummer)).toEqual([4]);
    expect(leesAudit(db, { van: '2030-01-01' })).toEqual([]);
    const p = leesAudit(db, { sleutel: S2 })[0]!;
    expect(p).toMatchObject({ wet: null, grond: 'verstrekking via 301 van 2027-01-01, venster tot 2029-06-30', kanaal: 'http', traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(verifieerAuditlog(db).intact).toBe(true);
  });

  it('exports JSON lines and CSV (RFC 4180: quotes, commas and line breaks survive a real parse)', () => {
    const db = gevuld();
    const posten = leesAudit(db, {});
    const regels = alsJsonl(posten).trimEnd().split('\n').map((r) => JSON.parse(r));
    expect(regels).toEqual(posten);
    const csv = parseCsv(alsCsv(posten));
    expect(csv[0]).toEqual([...AUDITVELDEN]);
    expect(csv.length).toBe(posten.length + 1);
    for (const [i, p] of posten.entries()) {
      expect(csv[i + 1]!.length).toBe(AUDITVELDEN.length);
      for (const [k, veld] of AUDITVELDEN.entries()) expect(csv[i + 1]![k], veld).toBe(p[veld] === null ? '' : String(p[veld]));
    }
    expect(csv[4]![AUDITVELDEN.indexOf('grond')]).toBe('een "ground", with\r\nline breaks, commas and "quotes"');
  });

  it('an entry without the later fields keeps its old hash; setting one afterwards breaks the chain', () => {
    const oud = { volgnummer: 1, tijd: 't', trace_id: 'x', deelnemer: null, actie: 'a', object: null, sleutel: null, versie: null, doel: null, uitkomst: 'u', status: 200 };
    expect(rijHash(Buffer.alloc(32), '0', { ...oud, wet: null, grond: null, kanaal: null })).toBe(rijHash(Buffer.alloc(32), '0', oud));
    expect(rijHash(Buffer.alloc(32), '0', { ...oud, kanaal: 'cli' })).not.toBe(rijHash(Buffer.alloc(32), '0', oud));
    const db = gevuld();
    const d = new Database(db);
    d.exec("DROP TRIGGER audit_geen_wijziging; UPDATE audit SET grond = 'eigenaar: eigen record' WHERE volgnummer = 2");
    d.close();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, volgnummer: 2, soort: 'gewijzigd' });
  });

  it('the 11-proef', () => {
    for (const goed of ['999977271', '999900237', '111222333', '123456782']) expect(isBsn(goed), goed).toBe(true);
    for (const fout of ['999977272', '000000000', '12345678', '1234567890', '12345678a', '']) expect(isBsn(fout), fout).toBe(false);
  });
});

/**
 * The real CLI: reads by a command leave an audit entry (bron toon, the local resolution of rehydrate);
 * `audit zoek|exporteer` filter and export, and create nothing; `inzage` gives one person's data only, refuses
 * a BSN that fails the 11-proef without repeating it, and leaves no BSN in the audit log.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { netwerkbrug } from '../helpers/cli.js';

const PLAN = `informatieobjecten:
  relatie: { sleutelVanaf: 2026-01-01, einddatum: 2028-07-01 }
  contactgegevens: { sleutelVanaf: 2026-01-01, einddatum: 2028-10-01 }
`;

let map: string;
let bsnA: string;
let bsnB: string;
const sleutelsA: string[] = [];
const sleutelsB: string[] = [];
let relatieA = '';

const rijen = () => {
  const db = new Database(join(map, 'bron.db'), { readonly: true });
  try {
    // convert reads nothing: the audit table comes with the first read
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit'").get()) return [];
    return db.prepare('SELECT * FROM audit ORDER BY volgnummer').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

beforeAll(() => {
  map = mkdtempSync(join(tmpdir(), 'nb-audit-cli-'));
  writeFileSync(join(map, 'netwerkbrug.yaml'), `deelnemer: { code: '0344' }\nbronregistratie: { database: ./bron.db }\n${PLAN}`);
  mkdirSync(join(map, 'in'));
  const a1 = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '12345678' });
  const a2 = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-02', relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '87654321' });
  const b = genereerBericht('iwmo', '301', 13, { dagtekening: '2027-01-03', relaties: 1, clientSeed: 6, afzender: '0344', ontvanger: '12345678' });
  writeFileSync(join(map, 'in', 'a1.xml'), a1);
  writeFileSync(join(map, 'in', 'a2.xml'), a2);
  writeFileSync(join(map, 'in', 'b.xml'), b);
  bsnA = /<wmo301:Bsn>([0-9]{9})</.exec(a1)![1]!;
  bsnB = /<wmo301:Bsn>([0-9]{9})</.exec(b)![1]!;
  const r = netwerkbrug(['convert', 'in', '--out', 'uit'], map);
  expect(r.status, r.stderr).toBe(0);
  for (const [bestand, lijst] of [['a1.xml', sleutelsA], ['a2.xml', sleutelsA], ['b.xml', sleutelsB]] as const) {
    for (const m of readFileSync(join(map, 'uit', bestand), 'utf8').matchAll(/<wmo301:Sleutel>([^<]+)</g)) if (!lijst.includes(m[1]!)) lijst.push(m[1]!);
  }
  // A: two Relaties and the contactgegevens; B: one Relatie and the contactgegevens
  expect(sleutelsA.length).toBe(3);
  expect(sleutelsB.length).toBe(2);
  const db = new Database(join(map, 'bron.db'), { readonly: true });
  relatieA = sleutelsA.find((s) => (db.prepare('SELECT object FROM record WHERE sleutel = ?').get(s) as { object: string }).object === 'relatie')!;
  db.close();
  expect(relatieA).toBeDefined();
});

describe('reads by a command are audited', () => {
  it('bron toon writes one entry: who, purpose, object, Sleutel, version, verdict, ground, channel cli', () => {
    const voor = rijen().length;
    const r = netwerkbrug(['bron', 'toon', relatieA, '--doel', 'klacht-2027'], map);
    expect(r.status, r.stderr).toBe(0);
    const na = rijen();
    expect(na.length).toBe(voor + 1);
    expect(na.at(-1)).toMatchObject({ deelnemer: '0344', actie: 'bronregistratie:lezen', object: 'relatie', sleutel: relatieA, versie: 1, doel: 'klacht-2027', uitkomst: 'verstrekt', status: 200, kanaal: 'cli', grond: 'eigenaar: eigen record', wet: 'wmo' });
    // a Sleutel that is not there: an entry all the same, without what was typed
    const geen = netwerkbrug(['bron', 'toon', '00000000-0000-4000-8000-000000000000'], map);
    expect(geen.status).toBe(2);
    expect(rijen().at(-1)).toMatchObject({ uitkomst: 'niet-gevonden', sleutel: null, doel: 'beheer', kanaal: 'cli' });
    // a BSN typed where a Sleutel belongs is not repeated in the error text
    const bsn = netwerkbrug(['bron', 'toon', '999993653'], map);
    expect(bsn.status).toBe(2);
    expect(bsn.stderr).toMatch(/not a Sleutel/);
    expect(bsn.stderr).not.toContain('999993653');
    expect(netwerkbrug(['bron', 'toon', relatieA, '--doel', 'vrije tekst'], map).status).toBe(2);
  });

  it('rehydrate writes one entry per local read, purpose berichtverkeer', () => {
    const voor = rijen().length;
    const r = netwerkbrug(['rehydrate', 'uit', '--out', 'terug'], map);
    expect(r.status, r.stderr).toBe(0);
    const nieuw = rijen().slice(voor);
    expect(nieuw.length).toBeGreaterThanOrEqual(sleutelsA.length + sleutelsB.length);
    for (const e of nieuw) expect(e).toMatchObject({ actie: 'bronregistratie:lezen', doel: 'berichtverkeer', kanaal: 'cli', uitkomst: 'verstrekt', deelnemer: '0344' });
    expect([...new Set(nieuw.map((e) => e.sleutel))]).toEqual(expect.arrayContaining([...sleutelsA, ...sleutelsB]));
    expect(netwerkbrug(['audit', 'verifieer'], map).status).toBe(0);
  });
});

describe('netwerkbrug audit zoek|exporteer', () => {
  it('filters, exports JSON lines and CSV to stdout or a 0600 file, and creates nothing', () => {
    const voor = readdirSync(map).sort();
    const alle = netwerkbrug(['audit', 'exporteer'], map);
    expect(alle.status, alle.stderr).toBe(0);
    const posten = alle.stdout.trimEnd().split('\n').map((r) => JSON.parse(r));
    expect(posten.length).toBe(rijen().length);
    const gefilterd = netwerkbrug(['audit', 'exporteer', '--sleutel', relatieA, '--deelnemer', '0344', '--uitkomst', 'verstrekt', '--van', '2000-01-01', '--tot', '2999-12-31', '--formaat', 'csv'], map);
    expect(gefilterd.status, gefilterd.stderr).toBe(0);
    const csv = gefilterd.stdout.split('\r\n').filter(Boolean);
    expect(csv[0]).toBe('volgnummer,tijd,traceId,deelnemer,actie,object,sleutel,versie,doel,wet,grond,uitkomst,status,kanaal');
    expect(csv.length).toBeGreaterThan(1);
    for (const regel of csv.slice(1)) expect(regel).toContain(relatieA);
    expect(netwerkbrug(['audit', 'zoek', '--uitkomst', 'niet-gevonden'], map).stdout).toMatch(/niet-gevonden/);
    expect(netwerkbrug(['audit', 'zoek', '--tot', '2000-01-01'], map).stdout).toBe('no audit entries match\n');
    const na = readdirSync(map).sort();
    expect(na).toEqual(voor);

    const uit = netwerkbrug(['audit', 'exporteer', '--formaat', 'csv', '--uitvoer', 'export/audit.csv'], map);
    expect(uit.status, uit.stderr).toBe(0);
    expect(statSync(join(map, 'export', 'audit.csv')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(map, 'export'))).toEqual(['audit.csv']);

    for (const fout of [['--van', 'gisteren'], ['--sleutel', 'x'], ['--deelnemer', '1'], ['--formaat', 'xml'], ['--van', '2027-02-01', '--tot', '2027-01-01']]) {
      const r = netwerkbrug(['audit', 'zoek', ...fout], map);
      expect(r.status, fout.join(' ')).toBe(2);
    }
    const nergens = netwerkbrug(['audit', 'zoek', '--db', join(map, 'nergens', 'bron.db')], map);
    expect(nergens.status).toBe(2);
    expect(existsSync(join(map, 'nergens'))).toBe(false);
  });
});

describe('netwerkbrug inzage', () => {
  it('gives person A’s records, their versions, who received and read them, the notifications; nothing of person B', () => {
    const r = netwerkbrug(['inzage', '--bsn', bsnA, '--formaat', 'json'], map);
    expect(r.status, r.stderr).toBe(0);
    const i = JSON.parse(r.stdout);
    expect(i.eigenaar).toBe('0344');
    const sleutels = i.records.map((x: { sleutel: string }) => x.sleutel);
    expect(sleutels).toEqual(expect.arrayContaining(sleutelsA));
    expect(i.records.some((x: { object: string }) => x.object === 'contactgegevens')).toBe(true);
    for (const s of sleutelsB) expect(r.stdout).not.toContain(s);
    const relatie = i.records.find((x: { sleutel: string }) => x.sleutel === relatieA);
    expect(relatie.verstrekkingen.map((v: { tegenpartij: string }) => v.tegenpartij)).toEqual(['12345678', '87654321']);
    expect(relatie.versies[0]).toMatchObject({ nummer: 1, dagtekening: '2027-01-01' });
    expect(i.raadplegingen.some((a: { sleutel: string; doel: string }) => a.sleutel === relatieA && a.doel === 'klacht-2027')).toBe(true);
    expect(i.raadplegingen.every((a: { sleutel: string }) => sleutels.includes(a.sleutel))).toBe(true);
    expect(i.notificaties.length).toBeGreaterThan(0);
    expect(i.notificaties.every((n: { sleutel: string }) => sleutels.includes(n.sleutel))).toBe(true);
    const b = JSON.parse(netwerkbrug(['inzage', '--bsn', bsnB, '--formaat', 'json'], map).stdout);
    expect(b.records.map((x: { sleutel: string }) => x.sleutel)).toEqual(expect.arrayContaining(sleutelsB));
    for (const s of sleutelsA) expect(JSON.stringify(b)).not.toContain(s);
  });

  it('a plain page in Dutch; the BSN from stdin; to a 0600 file', () => {
    const r = netwerkbrug(['inzage', '--bsn', bsnA], map);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Inzage in uw gegevens/);
    expect(r.stdout).toMatch(/Gegeven aan zorgaanbieder 12345678: op 1 januari 2027/);
    expect(r.stdout).toMatch(/Wie heeft uw gegevens bekeken/);
    expect(r.stdout).not.toContain(bsnA);
    const naar = netwerkbrug(['inzage', '--bsn', bsnA, '--uitvoer', 'inzage.txt'], map);
    expect(naar.status, naar.stderr).toBe(0);
    expect(statSync(join(map, 'inzage.txt')).mode & 0o777).toBe(0o600);
  });

  it('refuses a BSN that fails the 11-proef in one sentence, exit 2, without repeating it or writing anything', () => {
    const voor = rijen().length;
    const fout = bsnA.slice(0, 8) + String((Number(bsnA[8]) + 1) % 10);
    for (const bsn of [fout, '12345678', 'abc']) {
      const r = netwerkbrug(['inzage', '--bsn', bsn], map);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe('netwerkbrug: the BSN does not pass the 11-proef (9 digits); nothing was looked up');
      expect(r.stdout).toBe('');
    }
    expect(rijen().length).toBe(voor);
  });

  it('the inzage is audited (purpose inzage), and no BSN is in the audit log or the database', () => {
    const voor = rijen().length;
    expect(netwerkbrug(['inzage', '--bsn', bsnB, '--formaat', 'json'], map).status).toBe(0);
    const nieuw = rijen().slice(voor);
    expect(nieuw).toHaveLength(1);
    expect(nieuw[0]).toMatchObject({ actie: 'inzage', doel: 'inzage', sleutel: null, object: null, kanaal: 'cli' });
    for (const bsn of [bsnA, bsnB]) {
      expect(JSON.stringify(rijen())).not.toContain(bsn);
      expect(netwerkbrug(['audit', 'exporteer', '--formaat', 'csv'], map).stdout).not.toContain(bsn);
      for (const f of readdirSync(map).filter((f) => f.startsWith('bron.db'))) expect(readFileSync(join(map, f)).includes(Buffer.from(bsn)), f).toBe(false);
    }
  });

  it("finds a person's records by the identity index alone: a database laid out by person keeps no person index", () => {
    const d = new Database(join(map, 'bron.db'));
    expect((d.prepare("SELECT waarde FROM meta WHERE sleutel = 'sleutelvorm'").get() as { waarde: string }).waarde).toBe('persoon');
    expect((d.prepare('SELECT count(*) n FROM betrokkene').get() as { n: number }).n).toBe(0);
    // without the table too (as a database of before the index): it is made, empty, when next opened for writing
    d.exec("DROP TABLE betrokkene; DELETE FROM meta WHERE sleutel = 'stap_inzage_index'");
    d.close();
    const r = JSON.parse(netwerkbrug(['inzage', '--bsn', bsnA, '--formaat', 'json'], map).stdout);
    expect(r.records.map((x: { sleutel: string }) => x.sleutel).sort()).toEqual([...sleutelsA].sort());
    const e = new Database(join(map, 'bron.db'), { readonly: true });
    expect((e.prepare('SELECT count(*) n FROM betrokkene').get() as { n: number }).n).toBe(0);
    e.close();
  });
});

import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { zetInQuarantaine } from '../../src/archief/quarantaine.js';
import { kopieerAtomisch, schrijfAtomisch, schrijfAtomischAsync, ZipUitvoer } from '../../src/archief/uitvoer.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { openDatabase } from '../../src/bronregistratie/verbinding.js';
import { Mapverwerker } from '../../src/runs/map.js';
import { leesConfig } from '../../src/config/laden.js';
import { netwerkbrug } from '../helpers/cli.js';
import { PLAN, register } from '../helpers/omzetten.js';
import { ROOT } from '../helpers/paden.js';

// files with personal data must not be readable by others, also under the common, permissive umask
let umask: number;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

let map: string;
beforeEach(() => {
  map = mkdtempSync(join(tmpdir(), 'nb-modi-'));
});
afterEach(() => {
  rmSync(map, { recursive: true, force: true });
});

const modus = (pad: string) => statSync(pad).mode & 0o777;
const bericht = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-02-01', relaties: 2, clientSeed: seed, afzender: '0344', ontvanger: '12345678' });

describe('files with personal data are 0600', () => {
  it('the database with its -wal and -shm files, the identity secret and the audit head', () => {
    const pad = join(map, 'bron.db');
    const db = openDatabase(pad);
    db.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
    expect(readdirSync(map).sort()).toEqual(['bron.db', 'bron.db-shm', 'bron.db-wal']);
    for (const f of readdirSync(map)) expect([f, modus(join(map, f))]).toEqual([f, 0o600]);
    db.close();

    const tweede = join(map, 'tweede.db');
    const bronregistratie = new Bronregistratie(tweede);
    const audit = new Auditlog(tweede);
    audit.schrijf({ tijd: 't', traceId: 'x', deelnemer: null, actie: 'bronregistratie:lezen', object: null, sleutel: null, versie: null, doel: null, uitkomst: 'geweigerd', status: 403 });
    for (const f of readdirSync(map).filter((n) => n.startsWith('tweede'))) expect([f, modus(join(map, f))]).toEqual([f, 0o600]);
    audit.sluit();
    bronregistratie.sluit();
  });

  it('atomic writes, copies (whatever the source mode) and zips', async () => {
    schrijfAtomisch(join(map, 'a', 'sync.xml'), 'x');
    await schrijfAtomischAsync(join(map, 'b', 'async.xml'), 'x');
    writeFileSync(join(map, 'bron.xml'), 'x', { mode: 0o644 });
    expect(modus(join(map, 'bron.xml'))).toBe(0o644);
    await kopieerAtomisch(join(map, 'bron.xml'), join(map, 'c', 'kopie.xml'));
    const zip = new ZipUitvoer(join(map, 'uit.zip'));
    zip.voegToe('a.xml', 'x');
    await zip.sluit();
    for (const f of ['a/sync.xml', 'b/async.xml', 'c/kopie.xml', 'uit.zip']) expect([f, modus(join(map, f))]).toEqual([f, 0o600]);
  });

  it('quarantined inputs and their reasons, written or copied', async () => {
    const q = join(map, 'q');
    writeFileSync(join(map, 'in.xml'), 'x', { mode: 0o644 });
    await zetInQuarantaine({ map: q, bestand: join(map, 'in.xml'), relatief: 'kopie.xml', redenen: ['r'] });
    await zetInQuarantaine({ map: q, bestand: join(map, 'in.xml'), relatief: 'bytes.xml', bytes: Buffer.from('x'), redenen: ['r'] });
    expect(readdirSync(q).sort()).toEqual(['bytes.xml', 'bytes.xml.reden.txt', 'kopie.xml', 'kopie.xml.reden.txt']);
    for (const f of readdirSync(q)) expect([f, modus(join(q, f))]).toEqual([f, 0o600]);
  });

  it('folder mode: outputs, quarantine written and quarantine moved (a file over 25 MB is moved, not read)', async () => {
    const w = { in: join(map, 'in'), uit: join(map, 'uit'), q: join(map, 'q') };
    mkdirSync(w.in);
    writeFileSync(join(w.in, 'goed.xml'), bericht(1));
    writeFileSync(join(w.in, 'kapot.xml'), 'geen bericht');
    writeFileSync(join(w.in, 'groot.xml'), '');
    truncateSync(join(w.in, 'groot.xml'), 26 * 1024 * 1024);
    const bronregistratie = new Bronregistratie(join(map, 'bron.db'));
    try {
      expect(await new Mapverwerker({ in: w.in, uit: w.uit, quarantaine: w.q, config: leesConfig(PLAN), register, bronregistratie, rustMs: 0 }).scan()).toBe(3);
    } finally {
      bronregistratie.sluit();
    }
    expect(readdirSync(w.q).sort()).toEqual(['groot.xml', 'groot.xml.reden.txt', 'kapot.xml', 'kapot.xml.reden.txt']);
    for (const f of readdirSync(w.q)) expect([f, modus(join(w.q, f))]).toEqual([f, 0o600]);
    expect(modus(join(w.uit, 'goed.xml'))).toBe(0o600);
  });

  it('convert (the real CLI): outputs written by workers, quarantine, report and database', () => {
    const invoer = join(map, 'in');
    mkdirSync(invoer);
    writeFileSync(join(invoer, 'goed.xml'), bericht(1));
    writeFileSync(join(invoer, 'kapot.xml'), 'geen bericht');
    const uit = join(map, 'uit');
    const db = join(map, 'data', 'bron.db');
    const r = netwerkbrug(['convert', invoer, '--out', uit, '--config', join(ROOT, 'netwerkbrug.yaml'), '--db', db, '--report', join(map, 'rapport.json'), '--werkers', '1']);
    expect(r.status, r.stderr).toBe(1);
    const bestanden = [join(uit, 'goed.xml'), join(uit, 'quarantaine', 'kapot.xml'), join(uit, 'quarantaine', 'kapot.xml.reden.txt'), join(map, 'rapport.json'), db, `${db}.geheim`];
    for (const f of bestanden) expect([f, modus(f)]).toEqual([f, 0o600]);
  });

  it('cutover set keeps the configuration file’s own mode (it holds no personal data)', () => {
    const config = join(map, 'netwerkbrug.yaml');
    writeFileSync(config, 'informatieobjecten: {}\n', { mode: 0o644 });
    const r = netwerkbrug(['cutover', 'set', 'relatie', '--sleutel-vanaf', '2027-01-01', '--einddatum', '2027-07-01', '--config', config]);
    expect(r.status, r.stderr).toBe(0);
    expect(modus(config)).toBe(0o644);
  });
});

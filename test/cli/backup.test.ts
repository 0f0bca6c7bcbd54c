import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { netwerkbrug, TS } from '../helpers/cli.js';
import { ROOT } from '../helpers/paden.js';

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function map(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-backup-'));
  mappen.push(m);
  return m;
}

/**
 * Another process that registers records (through the store, as serve does) until `stop` appears;
 * it writes `gestart` after its first commit.
 */
const SCHRIJVER = `
import { existsSync, writeFileSync } from 'node:fs';
const { Bronregistratie } = await import(process.argv[1]);
const [db, stop, gestart] = process.argv.slice(2);
const bron = new Bronregistratie(db);
for (let k = 0; !existsSync(stop); k++) {
  bron.transactie(() => {
    for (let j = 0; j < 20; j++) {
      const n = String(k * 20 + j);
      bron.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['999993653', n], inhoud: { Nummer: n }, dagtekening: '2027-01-01', berichtIdentificatie: 'B' + n, tegenpartij: '12345678', toewijzingEinde: null });
    }
  });
  if (k === 0) writeFileSync(gestart, '');
  await new Promise((ok) => setTimeout(ok, 2));
}
bron.sluit();
`;

const records = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) n FROM record').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('netwerkbrug backup and herstel', () => {
  it('backs up while another process writes; the copy restores, opens with its secret and holds the records; never overwrites, never holds the secret', async () => {
    const m = map();
    const db = join(m, 'bron.db');
    new Bronregistratie(db).sluit();
    const schrijver = spawn(process.execPath, [...TS, '--input-type=module', '-e', SCHRIJVER, join(ROOT, 'src', 'bronregistratie', 'store.ts'), db, join(m, 'stop'), join(m, 'gestart')], { stdio: 'inherit' });
    const klaar = new Promise<number | null>((ok) => schrijver.on('exit', ok));
    let backups: string[];
    try {
      const t0 = Date.now();
      while (!existsSync(join(m, 'gestart')) && Date.now() - t0 < 30_000) await new Promise((ok) => setTimeout(ok, 20));
      backups = [join(m, 'b1.sqlite'), join(m, 'b2.sqlite')];
      for (const b of backups) {
        const r = netwerkbrug(['backup', b, '--db', db]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/backup written: .*b\d\.sqlite \(\d+ records\)/);
        expect(r.stderr).toContain(`the identity secret is not in it: it is ${db}.geheim; keep a copy of the secret apart from the backup`);
      }
    } finally {
      writeFileSync(join(m, 'stop'), '');
    }
    expect(await klaar).toBe(0);
    const geheim = readFileSync(`${db}.geheim`, 'utf8').trim();
    // the writer went on during the backups: the second copy holds more than the first, the database more still
    const [n1, n2] = backups.map(records);
    expect(n1).toBeGreaterThan(0);
    expect(n2).toBeGreaterThan(n1!);
    expect(records(db)).toBeGreaterThan(n2!);
    for (const b of backups) {
      expect(statSync(b).mode & 0o777).toBe(0o600);
      expect(readFileSync(b).includes(Buffer.from(geheim))).toBe(false);
    }
    // a backup is never overwritten
    const eerst = readFileSync(backups[0]!);
    const opnieuw = netwerkbrug(['backup', backups[0]!, '--db', db]);
    expect(opnieuw.status).toBe(2);
    expect(opnieuw.stderr).toMatch(/b1\.sqlite: the backup file already exists/);
    expect(readFileSync(backups[0]!).equals(eerst)).toBe(true);
    expect(readdirSync(m).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // restore elsewhere: without the secret refused, with it restored and opened
    const elders = join(m, 'elders');
    mkdirSync(elders);
    const doel = join(elders, 'bron.db');
    const zonder = netwerkbrug(['herstel', backups[1]!, '--db', doel]);
    expect(zonder.status).toBe(2);
    expect(zonder.stderr).toMatch(/there is no identity secret for this database: put the secret kept with the backup at .*bron\.db\.geheim/);
    expect(existsSync(doel)).toBe(false);
    copyFileSync(`${db}.geheim`, `${doel}.geheim`);
    const r = netwerkbrug(['herstel', backups[1]!, '--db', doel]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`(${n2} records)`);
    expect(statSync(doel).mode & 0o777).toBe(0o600);
    const bronregistratie = new Bronregistratie(doel);
    expect(bronregistratie.telling().records).toBe(n2);
    // the identity index works with the secret: the first record is found by its identity
    expect(bronregistratie.zoekSleutel('wmo', 'relatie', '0344', ['999993653', '0'])).toBeDefined();
    bronregistratie.sluit();
    // an existing database is replaced only when asked
    const bestaand = netwerkbrug(['herstel', backups[0]!, '--db', doel]);
    expect(bestaand.status).toBe(2);
    expect(bestaand.stderr).toMatch(/the database already exists; give --overschrijven/);
    expect(netwerkbrug(['herstel', backups[0]!, '--db', doel, '--overschrijven']).status).toBe(0);
    expect(records(doel)).toBe(n1);
    expect(readdirSync(elders).filter((f) => f.includes('.tmp'))).toEqual([]);
  }, 120_000);

  it('herstel refuses a backup made with another secret, and a damaged copy; nothing is written', () => {
    const m = map();
    const db = join(m, 'bron.db');
    const bronregistratie = new Bronregistratie(db);
    bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['999993653', '1'], inhoud: { Nummer: '1' }, dagtekening: '2027-01-01', berichtIdentificatie: 'B1', tegenpartij: '12345678', toewijzingEinde: null });
    bronregistratie.sluit();
    expect(netwerkbrug(['backup', join(m, 'b.sqlite'), '--db', db]).status).toBe(0);
    const ander = join(m, 'ander');
    mkdirSync(ander);
    writeFileSync(join(ander, 'bron.db.geheim'), 'ab'.repeat(32) + '\n', { mode: 0o600 });
    const r = netwerkbrug(['herstel', join(m, 'b.sqlite'), '--db', join(ander, 'bron.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/b\.sqlite: the backup was made with another identity secret than .*ander\/bron\.db\.geheim: put the secret kept with this backup there/);
    expect(readdirSync(ander)).toEqual(['bron.db.geheim']);
    // damaged: a page in the middle overwritten
    const kapot = readFileSync(join(m, 'b.sqlite'));
    kapot.fill(0x5a, 4096 * 2, 4096 * 3);
    writeFileSync(join(m, 'kapot.sqlite'), kapot);
    copyFileSync(`${db}.geheim`, join(ander, 'bron.db.geheim'));
    const k = netwerkbrug(['herstel', join(m, 'kapot.sqlite'), '--db', join(ander, 'bron.db')]);
    expect(k.status).toBe(2);
    expect(k.stderr).toMatch(/kapot\.sqlite: the (copy is damaged|file is not a readable SQLite database)/);
    expect(readdirSync(ander)).toEqual(['bron.db.geheim']);
  });
});

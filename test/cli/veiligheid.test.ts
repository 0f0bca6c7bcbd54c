import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { CLI, netwerkbrug } from '../helpers/cli.js';

const PLAN = `bronregistratie: { database: ./bron.db }
informatieobjecten:
  relatie: { sleutelVanaf: 2027-01-01, einddatum: 2027-07-01 }
  contactgegevens: { sleutelVanaf: 2027-04-01, einddatum: 2027-10-01 }
`;

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

/** A folder with netwerkbrug.yaml and `in/` holding three 301s in the naast phase. */
function werkplek(): string {
  const map = mkdtempSync(join(tmpdir(), 'nb-veilig-'));
  mappen.push(map);
  writeFileSync(join(map, 'netwerkbrug.yaml'), PLAN);
  mkdirSync(join(map, 'in'));
  for (const k of [1, 2, 3]) writeFileSync(join(map, 'in', `${k}.xml`), genereerBericht('ijw', '301', k, { dagtekening: '2027-05-01', relaties: 2, afzender: '0344', ontvanger: '12345678' }));
  return map;
}

const inhoud = (map: string) => readdirSync(map, { recursive: true }).map(String).sort();
const sleutels = (map: string, naam: string) => [...readFileSync(join(map, naam), 'utf8').matchAll(/<jw301:Sleutel>([^<]*)</g)].map((m) => m[1]);

describe('a lost identity secret (the real CLI)', () => {
  it('convert refuses with exit 2 and one sentence; no new secret, no new records, no outputs', () => {
    const map = werkplek();
    expect(netwerkbrug(['convert', 'in', '--out', 'uit'], map).status).toBe(0);
    const voor = sleutels(join(map, 'uit'), '1.xml');
    renameSync(join(map, 'bron.db.geheim'), join(map, 'bewaard.geheim'));
    const r = netwerkbrug(['convert', 'in', '--out', 'uit2'], map);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bron\.db: the database has records but its identity secret .*bron\.db\.geheim is missing: restore the secret from your backup/);
    expect(inhoud(map)).not.toContain('bron.db.geheim');
    expect(inhoud(map)).not.toContain('uit2');
    // with the secret back, a second run gives the same Sleutels
    renameSync(join(map, 'bewaard.geheim'), join(map, 'bron.db.geheim'));
    expect(netwerkbrug(['convert', 'in', '--out', 'uit2'], map).status).toBe(0);
    expect(sleutels(join(map, 'uit2'), '1.xml')).toEqual(voor);
  });
});

describe('commands that only read create nothing', () => {
  it('bron toon, verschillen, rehydrate and notificaties status with a missing database: exit 2, one sentence, no database, no secret', () => {
    const map = werkplek();
    const voor = inhoud(map);
    const sleutel = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';
    for (const args of [
      ['bron', 'toon', sleutel, '--db', 'tikfout.db'],
      ['bron', 'toon', sleutel],
      ['verschillen', 'in'],
      ['rehydrate', 'in', '--out', 'terug'],
      ['notificaties', 'status'],
    ]) {
      const r = netwerkbrug(args, map);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^netwerkbrug: \S*(tikfout|bron)\.db: bronregistratie database does not exist: check --db or bronregistratie\.database in the configuration\n$/);
    }
    expect(inhoud(map)).toEqual(voor);
  });

  it('notificaties status on an existing database writes nothing to it', () => {
    const map = werkplek();
    expect(netwerkbrug(['convert', 'in', '--out', 'uit'], map).status).toBe(0);
    const r = netwerkbrug(['notificaties', 'status', '--json'], map);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ wachtrijen: [] });
    const db = new Database(join(map, 'bron.db'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'bezorging'").get()).toBeUndefined();
    db.close();
    expect(netwerkbrug(['bron', 'toon', sleutels(join(map, 'uit'), '1.xml')[0]!], map).status).toBe(0);
  });

  it('without a configuration file convert (and the others) refuse with exit 2 and create nothing', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-veilig-'));
    mappen.push(map);
    mkdirSync(join(map, 'in'));
    writeFileSync(join(map, 'in', 'a.xml'), genereerBericht('ijw', '301', 1, { dagtekening: '2027-05-01' }));
    for (const args of [['convert', 'in', '--out', 'uit'], ['rehydrate', 'in', '--out', 'uit'], ['cutover', 'list'], ['serve', '--in', 'in', '--out', 'uit'], ['notificaties', 'status']]) {
      const r = netwerkbrug(args, map);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/netwerkbrug\.yaml: no configuration file: \.\/netwerkbrug\.yaml does not exist and --config was not given; make one \(netwerkbrug init\) or name one with --config/);
    }
    expect(inhoud(map)).toEqual(['in', 'in/a.xml']);
  });
});

describe('input and output folders must be apart (real paths)', () => {
  it('convert and rehydrate refuse --out equal to, inside, or around an input, also through a symbolic link, before writing anything', () => {
    const map = werkplek();
    symlinkSync(join(map, 'in'), join(map, 'link'));
    const voor = inhoud(map);
    const origineel = readFileSync(join(map, 'in', '1.xml'), 'utf8');
    const gevallen: Array<[string[], RegExp]> = [
      [['in', '--out', 'in'], /in: --out is the same folder as the input/],
      [['in', '--out', 'link'], /link: --out is the same folder as the input/],
      [['link', '--out', 'in/uit'], /--out lies inside the input/],
      [['in/1.xml', '--out', 'in'], /the input lies inside --out/],
      [['in', '--out', '.'], /the input lies inside --out/],
    ];
    for (const commando of ['convert', 'rehydrate']) {
      for (const [args, melding] of gevallen) {
        const r = netwerkbrug([commando, ...args], map);
        expect(r.status, `${commando} ${args.join(' ')}`).toBe(2);
        expect(r.stderr, `${commando} ${args.join(' ')}`).toMatch(melding);
      }
    }
    expect(inhoud(map)).toEqual(voor);
    expect(readFileSync(join(map, 'in', '1.xml'), 'utf8')).toBe(origineel);
  });

  it('serve folder mode refuses overlapping --in, --out and --quarantaine; the quarantine inside --in (its default) is allowed', () => {
    const map = werkplek();
    const voor = inhoud(map);
    for (const [args, melding] of [
      [['--in', 'in', '--out', 'in'], /--out is the same folder as --in/],
      [['--in', 'in', '--out', 'in/uit'], /--out lies inside --in/],
      [['--in', 'uit/in', '--out', 'uit'], /--in lies inside --out/],
      [['--in', 'in', '--out', 'uit', '--quarantaine', 'uit'], /--out and --quarantaine overlap/],
      [['--in', 'in', '--out', 'uit', '--quarantaine', 'in'], /--quarantaine is the same folder as --in/],
    ] as Array<[string[], RegExp]>) {
      // a timeout: a serve that wrongly starts would run on
      const r = spawnSync(process.execPath, [...CLI, 'serve', ...args], { cwd: map, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(melding);
    }
    expect(inhoud(map)).toEqual(voor);
  });
});

describe('failures of the machine (the real CLI)', () => {
  it('a database whose write lock another process keeps: one sentence, exit 2, no stack', () => {
    const map = werkplek();
    expect(netwerkbrug(['convert', 'in', '--out', 'uit'], map).status).toBe(0);
    writeFileSync(join(map, 'in', '4.xml'), genereerBericht('ijw', '301', 4, { dagtekening: '2027-05-02', relaties: 1, afzender: '0344', ontvanger: '12345678' }));
    const ander = new Database(join(map, 'bron.db'));
    ander.exec('BEGIN IMMEDIATE');
    try {
      const r = netwerkbrug(['convert', 'in', '--out', 'uit2'], map);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual(['netwerkbrug: the bronregistratie database is in use by another process and its write lock stayed taken; run the command again when that process is done']);
    } finally {
      ander.exec('ROLLBACK');
      ander.close();
    }
    // and once the lock is free, the same command finishes the run
    expect(netwerkbrug(['convert', 'in', '--out', 'uit2'], map).status).toBe(0);
  });
});

describe('a full disk (the real CLI)', () => {
  it('convert stops with one sentence and exit 2, and leaves no temporary file; with and without workers', (ctx) => {
    // a small tmpfs stands in for a full disk; mounting needs root (CI runs as root)
    const schijf = mkdtempSync(join(tmpdir(), 'nb-vol-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', schijf]).status !== 0) return ctx.skip('mounting a small tmpfs needs root');
    try {
      const map = werkplek();
      const archief = join(process.cwd(), 'fixtures', 'voorbeeldarchief');
      for (const werkers of ['2', '0']) {
        const uit = join(schijf, `uit-${werkers}`);
        const r = netwerkbrug(['convert', archief, '--out', uit, '--werkers', werkers], map);
        expect(r.status).toBe(2);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^netwerkbrug: (.*: )?the disk is full; free space and run the command again/)]);
        expect(readdirSync(schijf, { recursive: true }).map(String).filter((f) => f.includes('.tmp'))).toEqual([]);
        rmSync(uit, { recursive: true, force: true });
      }
    } finally {
      spawnSync('umount', [schijf]);
    }
  });
});

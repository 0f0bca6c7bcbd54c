/**
 * Outputs durable before their journal entries say so (issue 13): an entry is unconfirmed until the run has
 * made its output durable (runs/duurzaam.ts); a resumed run writes the output of an unconfirmed entry again,
 * whatever is on disk, where it used to trust any file that existed (a power loss can leave one empty).
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Duurzaamheid } from '../../src/runs/duurzaam.js';
import { Runjournaal } from '../../src/runs/journaal.js';
import { werkmap } from '../helpers/omzetten.js';

const toewijzing = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-08-01', relaties: 2, afzender: '0344', ontvanger: '12345678' });

/** Every input marked unconfirmed: per batch (a group row), or one row each (as runs of before marked them). */
const onbevestigd = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    const groepen = (d.prepare('SELECT invoeren FROM journaal_onbevestigd_groep').all() as Array<{ invoeren: string }>).flatMap((r) => JSON.parse(r.invoeren) as string[]);
    const oud = (d.prepare('SELECT invoer FROM journaal_onbevestigd').all() as Array<{ invoer: string }>).map((r) => r.invoer);
    return [...groepen, ...oud];
  } finally {
    d.close();
  }
};

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

describe('durable outputs', () => {
  it('a finished run leaves no unconfirmed entry', async () => {
    const w = werkmap();
    for (let i = 0; i < 5; i++) w.schrijf(`a${i}.xml`, toewijzing(i));
    await w.converteer();
    expect(onbevestigd(w.db)).toEqual([]);
  });

  it('an unconfirmed entry has its output written again on resume, even when a file is there (emptied by a power loss)', async () => {
    const w = werkmap();
    const invoer = w.schrijf('a.xml', toewijzing(1));
    w.schrijf('b.xml', toewijzing(2));
    await w.converteer();
    const goed = w.lees('a.xml');
    // what a stop between the batch's commit and the confirmation leaves, after a power loss: the entry, no durable output
    const d = new Database(w.db);
    d.prepare("INSERT INTO journaal_onbevestigd_groep SELECT run, 7, json_array(invoer) FROM journaal WHERE invoer = ?").run(invoer);
    d.close();
    writeFileSync(join(w.uit, 'a.xml'), '');
    const b = readFileSync(join(w.uit, 'b.xml'));
    await w.converteer();
    expect(w.lees('a.xml')).toBe(goed);
    expect(readFileSync(join(w.uit, 'b.xml'))).toEqual(b);
    expect(onbevestigd(w.db)).toEqual([]);
  });

  it('an entry a run of before left unconfirmed (one row each) is written again too, and the row is gone when the run ends', async () => {
    const w = werkmap();
    const invoer = w.schrijf('a.xml', toewijzing(1));
    await w.converteer();
    const goed = w.lees('a.xml');
    const d = new Database(w.db);
    d.prepare('INSERT INTO journaal_onbevestigd SELECT run, invoer FROM journaal WHERE invoer = ?').run(invoer);
    d.close();
    writeFileSync(join(w.uit, 'a.xml'), '');
    await w.converteer();
    expect(w.lees('a.xml')).toBe(goed);
    expect(onbevestigd(w.db)).toEqual([]);
  });

  it('a batch is marked in one row; a group of an earlier attempt stays until the run ends, one of this attempt goes once durable', async () => {
    const w = werkmap();
    const d = new Database(w.db);
    const journaal = new Runjournaal(d);
    // an earlier attempt of run r left group 3 unconfirmed
    journaal.markeerOnbevestigd('r', 3, ['eerder.xml']);
    const pad = join(w.map, 'x.xml');
    writeFileSync(pad, '<x/>');
    const duurzaam = new Duurzaamheid(w.map, 'r', [journaal], async () => {}, { elkeMs: 0 });
    try {
      const groep = duurzaam.volgendeGroep();
      expect(groep).toBe(4);
      journaal.markeerOnbevestigd('r', groep, ['x.xml', 'y.xml']);
      expect((d.prepare("SELECT count(*) n FROM journaal_onbevestigd_groep WHERE run = 'r'").get() as { n: number }).n).toBe(2);
      expect([...journaal.onbevestigd('r')].sort()).toEqual(['eerder.xml', 'x.xml', 'y.xml']);
      duurzaam.noteer(pad);
      duurzaam.naBatch();
      for (let i = 0; i < 200 && journaal.onbevestigd('r').has('x.xml'); i++) await new Promise((ok) => setTimeout(ok, 10));
      expect([...journaal.onbevestigd('r')]).toEqual(['eerder.xml']);
      await duurzaam.einde();
      expect(journaal.onbevestigd('r').size).toBe(0);
    } finally {
      duurzaam.sluit();
      d.close();
    }
  });

  it('without syncfs (no `sync -f` on the PATH) each file and folder is fsynced, and the entries are confirmed', async () => {
    const w = werkmap();
    const d = new Database(w.db);
    const journaal = new Runjournaal(d);
    journaal.journaliseer('r', 'x', {});
    const pad = join(w.map, 'x.xml');
    writeFileSync(pad, '<x/>');
    process.env.PATH = join(w.map, 'leeg');
    const duurzaam = new Duurzaamheid(w.map, 'r', [journaal], async () => {});
    journaal.markeerOnbevestigd('r', duurzaam.volgendeGroep(), ['x']);
    duurzaam.noteer(pad);
    await duurzaam.einde();
    duurzaam.sluit();
    expect(journaal.onbevestigd('r').has('x')).toBe(false);
    d.close();
  });
});

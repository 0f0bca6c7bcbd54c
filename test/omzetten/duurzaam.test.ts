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

const onbevestigd = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT invoer FROM journaal_onbevestigd').all() as Array<{ invoer: string }>).map((r) => r.invoer);
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
    d.prepare('INSERT INTO journaal_onbevestigd SELECT run, invoer FROM journaal WHERE invoer = ?').run(invoer);
    d.close();
    writeFileSync(join(w.uit, 'a.xml'), '');
    const b = readFileSync(join(w.uit, 'b.xml'));
    await w.converteer();
    expect(w.lees('a.xml')).toBe(goed);
    expect(readFileSync(join(w.uit, 'b.xml'))).toEqual(b);
    expect(onbevestigd(w.db)).toEqual([]);
  });

  it('without syncfs (no `sync -f` on the PATH) each file and folder is fsynced, and the entries are confirmed', async () => {
    const w = werkmap();
    const d = new Database(w.db);
    const journaal = new Runjournaal(d);
    journaal.journaliseer('r', 'x', {});
    journaal.markeerOnbevestigd('r', 'x');
    const pad = join(w.map, 'x.xml');
    writeFileSync(pad, '<x/>');
    process.env.PATH = join(w.map, 'leeg');
    const duurzaam = new Duurzaamheid(w.map, 'r', [journaal], async () => {});
    duurzaam.noteer('x', pad);
    await duurzaam.einde();
    expect(journaal.onbevestigd('r', 'x')).toBe(false);
    d.close();
  });
});

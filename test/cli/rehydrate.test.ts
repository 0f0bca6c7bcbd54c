import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { maakZip, netwerkbrug, zipInhoud } from '../helpers/cli.js';
import { c14n } from '../helpers/rehydreren.js';

const PLAN = `informatieobjecten:
  relatie: { sleutelVanaf: 2027-01-01, einddatum: 2027-07-01 }
  contactgegevens: { sleutelVanaf: 2027-04-01, einddatum: 2027-10-01 }
`;

function werkplek() {
  const map = mkdtempSync(join(tmpdir(), 'nb-rehydrate-'));
  writeFileSync(join(map, 'netwerkbrug.yaml'), `bronregistratie: { database: ./bron.db }\n${PLAN}`);
  mkdirSync(join(map, 'in'));
  return map;
}

const bericht = (seed: number, dagtekening: string) => genereerBericht('ijw', '301', seed, { dagtekening, relaties: 2, afzender: '0344', ontvanger: '12345678' });

describe('netwerkbrug rehydrate', () => {
  it('turns a converted zip back into the original messages, zip in giving zip out', async () => {
    const map = werkplek();
    const origineel = { 'a/1.xml': bericht(1, '2027-11-01'), 'a/2.xml': bericht(2, '2027-05-01'), 'b/3.xml': bericht(3, '2026-06-01') };
    await maakZip(join(map, 'in', 'archief.zip'), origineel);
    expect(netwerkbrug(['convert', 'in', '--out', 'gesleuteld'], map).status).toBe(0);
    const r = netwerkbrug(['rehydrate', 'gesleuteld', '--out', 'terug', '--report', 'rapport.json'], map);
    expect(r.status, r.stderr).toBe(0);
    const terug = await zipInhoud(join(map, 'terug', 'archief.zip'));
    expect([...terug.keys()].sort()).toEqual(Object.keys(origineel).sort());
    for (const [naam, xml] of Object.entries(origineel)) expect(c14n(terug.get(naam)!), naam).toBe(c14n(xml));
    const rapport = JSON.parse(readFileSync(join(map, 'rapport.json'), 'utf8'));
    expect(rapport).toMatchObject({ berichten: 3, gerehydrateerd: 2, ongewijzigd: 1, quarantaine: 0 });
    expect(rapport.perObject.relatie).toEqual({ sleutel: 2, naast: 2, data: 2 });
    expect(r.stderr).toMatch(/^3 messages: 2 rehydrated, 1 unchanged, 0 quarantined$/m);
    expect(r.stderr).toMatch(/^relatie: 2 objects as sleutel, 2 objects as naast, 2 objects as data$/m);
  });

  it('quarantines a message whose Sleutel its owner does not know, with the Sleutel in the reason, and exits 1', () => {
    const map = werkplek();
    writeFileSync(join(map, 'in', 'x.xml'), bericht(4, '2027-11-01'));
    expect(netwerkbrug(['convert', 'in', '--out', 'gesleuteld'], map).status).toBe(0);
    const gesleuteld = readFileSync(join(map, 'gesleuteld', 'x.xml'), 'utf8');
    const sleutel = /<jw301:Sleutel>([^<]*)</.exec(gesleuteld)![1]!;
    // another installation's database (rehydrate only reads: it must exist)
    mkdirSync(join(map, 'leeg'));
    expect(netwerkbrug(['convert', 'leeg', '--out', 'leeg-uit', '--db', 'andere.db'], map).status).toBe(0);
    const r = netwerkbrug(['rehydrate', 'gesleuteld', '--out', 'terug', '--db', 'andere.db'], map);
    expect(r.status).toBe(1);
    expect(existsSync(join(map, 'terug', 'x.xml'))).toBe(false);
    expect(readFileSync(join(map, 'terug', 'quarantaine', 'x.xml'), 'utf8')).toBe(gesleuteld);
    const reden = readFileSync(join(map, 'terug', 'quarantaine', 'x.xml.reden.txt'), 'utf8');
    expect(reden).toContain('SLEUTEL_ONOPGELOST');
    expect(reden).toContain(sleutel);
  });
});

describe('netwerkbrug verschillen', () => {
  it('names each differing field and how many messages differ, never a value; exit 1 with differences, 0 without', () => {
    const map = werkplek();
    writeFileSync(join(map, 'in', 'x.xml'), bericht(5, '2027-05-01'));
    expect(netwerkbrug(['convert', 'in', '--out', 'gesleuteld'], map).status).toBe(0);
    const schoon = netwerkbrug(['verschillen', 'gesleuteld'], map);
    expect(schoon.status, schoon.stderr).toBe(0);
    expect(schoon.stdout).toContain('no differences');
    const pad = join(map, 'gesleuteld', 'x.xml');
    const tekst = readFileSync(pad, 'utf8');
    const plaats = /<jw301:Relatie>[\s\S]*?<ijw:Plaatsnaam>([^<]*)</.exec(tekst);
    const achternaam = /<jw301:Relatie>[\s\S]*?<ijw:Achternaam>([^<]*)</.exec(tekst)![1]!;
    writeFileSync(pad, tekst.replace(/(<jw301:Relatie>[\s\S]*?<ijw:Achternaam>)[^<]*</, '$1Anders<'));
    const r = netwerkbrug(['verschillen', 'gesleuteld', '--report', 'v.json'], map);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/relatie\s+Naam\.Geslachtsnaam\.Achternaam \(gewijzigd\)\s+1/);
    expect(r.stdout + readFileSync(join(map, 'v.json'), 'utf8')).not.toContain(achternaam);
    if (plaats) expect(r.stdout).not.toContain(plaats[1]);
    expect(existsSync(join(map, 'terug'))).toBe(false);
  });
});

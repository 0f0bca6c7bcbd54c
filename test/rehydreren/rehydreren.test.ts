import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht, type GenereerOpties } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { NetwerkbrugFout } from '../../src/fout.js';
import { leesConfig } from '../../src/config/laden.js';
import { geldig3_2 } from '../conformance/orakels.js';
import { PLAN, werkmap } from '../helpers/omzetten.js';
import { c14n, rehydreer } from '../helpers/rehydreren.js';

const config = leesConfig(PLAN);

/** Converts one message in a fresh workspace; returns the output and an open bronregistratie. */
async function zetOm(xml: string, plan: unknown = PLAN) {
  const w = werkmap();
  w.schrijf('a.xml', xml);
  await w.converteer(plan);
  return { uit: w.lees('a.xml'), bron: new Bronregistratie(w.db), w };
}

const gevallen: Array<[string, 'iwmo' | 'ijw', GenereerOpties]> = [];
for (const standaard of ['iwmo', 'ijw'] as const) {
  // voor, relatie naast, both naast, relatie na + contactgegevens naast, both na
  for (const dagtekening of ['2026-12-31', '2027-02-01', '2027-05-01', '2027-08-01', '2027-11-01']) {
    for (const relaties of [0, 1, 3]) gevallen.push([`${standaard} ${dagtekening} ${relaties} Relaties`, standaard, { dagtekening, relaties }]);
  }
  gevallen.push([`${standaard} default namespace, CR/LF, after the einddatum`, standaard, { dagtekening: '2027-11-01', relaties: 2, stijl: 'standaardnamespace', regeleinde: '\r\n' }]);
  gevallen.push([`${standaard} LF, after the einddatum`, standaard, { dagtekening: '2027-11-01', relaties: 2, regeleinde: '\n' }]);
}

describe('rehydrate(convert(x)) equals x after canonicalisation', () => {
  it.each(gevallen)('%s', async (_, standaard, opties) => {
    const xml = genereerBericht(standaard, '301', 7, { afzender: '0344', ontvanger: '12345678', ...opties });
    const { uit, bron } = await zetOm(xml);
    try {
      const r = await rehydreer(uit, config, bron);
      expect(c14n(r.tekst)).toBe(c14n(xml));
      expect(geldig3_2(standaard, standaard === 'iwmo' ? 'WMO301' : 'JW301', r.tekst)).toBe(true);
      for (const o of r.objecten) expect(o.verschillen).toEqual([]);
      // the plan has no dates for client and toewijzing: inactief, their data stays
      const actief = r.objecten.filter((o) => o.fase !== 'inactief');
      expect(actief.length).toBeGreaterThan(0);
      if (opties.dagtekening === '2027-11-01') expect(actief.every((o) => o.vorm === 'sleutel')).toBe(true);
    } finally {
      bron.sluit();
    }
  });

  it('holds for a 302 echo after the einddatum: its nested RetourCodes keep its data beside the Sleutel', async () => {
    const w = werkmap();
    const basis = { relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '12345678' };
    w.schrijf('1.xml', genereerBericht('ijw', '301', 11, { ...basis, dagtekening: '2027-08-01' }));
    const echo = genereerBericht('ijw', '302', 11, { ...basis, dagtekening: '2027-11-01', echo: true });
    w.schrijf('2.xml', echo);
    await w.converteer();
    const uit = w.lees('2.xml');
    expect(uit).toContain('<jw302:Sleutel>');
    expect(uit).toContain('<jw302:RetourCode>');
    const bronregistratie = new Bronregistratie(w.db);
    try {
      const r = await rehydreer(uit, config, bronregistratie);
      expect(c14n(r.tekst)).toBe(c14n(echo));
      expect(geldig3_2('ijw', 'JW302', r.tekst)).toBe(true);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('holds for every message of the example archive', async () => {
    const archief = join(process.cwd(), 'fixtures', 'voorbeeldarchief');
    const w = werkmap();
    await w.converteer(PLAN, [archief]);
    const bronregistratie = new Bronregistratie(w.db);
    try {
      let gesleuteld = 0;
      for (const std of readdirSync(w.uit).filter((d) => d !== 'quarantaine')) {
        for (const naam of readdirSync(join(w.uit, std))) {
          const uit = w.lees(join(std, naam));
          if (uit.includes('urn:netwerkbrug:')) gesleuteld++;
          const r = await rehydreer(uit, config, bronregistratie);
          expect(c14n(r.tekst), naam).toBe(c14n(w.leesInvoer(join(archief, std, naam))));
        }
      }
      expect(gesleuteld).toBeGreaterThan(20);
    } finally {
      bronregistratie.sluit();
    }
  });
});

describe('rehydrate: refusals and differences', () => {
  const naEinddatum = () => genereerBericht('iwmo', '301', 3, { dagtekening: '2027-11-01', relaties: 1, afzender: '0344', ontvanger: '12345678' });

  it('refuses a Sleutel its owner does not resolve, naming it, and returns nothing half-done', async () => {
    const { uit, bron } = await zetOm(naEinddatum());
    const leeg = werkmap();
    const anders = new Bronregistratie(leeg.db);
    try {
      const sleutel = /<wmo301:Sleutel>([^<]*)</.exec(uit)![1]!;
      const fout = await rehydreer(uit, config, anders).catch((e: unknown) => e);
      expect(fout).toBeInstanceOf(NetwerkbrugFout);
      expect((fout as NetwerkbrugFout).code).toBe('SLEUTEL_ONOPGELOST');
      expect((fout as NetwerkbrugFout).message).toContain(sleutel);
      expect((fout as NetwerkbrugFout).plaats?.regel).toBeGreaterThan(1);
    } finally {
      bron.sluit();
      anders.sluit();
    }
  });

  it('strict: a message that still carries data after the einddatum is refused, naming the rule; lenient passes and marks it', async () => {
    const xml = naEinddatum();
    const bronregistratie = new Bronregistratie(werkmap().db);
    try {
      const fout = (await rehydreer(xml, config, bronregistratie).catch((e: unknown) => e)) as NetwerkbrugFout;
      expect(fout.code).toBe('EINDDATUM_OVERSCHREDEN');
      expect(fout.message).toContain('einddatumHandhaving');
      const lenient = leesConfig({ ...PLAN, toegang: { einddatumHandhaving: 'lenient' } });
      const r = await rehydreer(xml, lenient, bronregistratie);
      expect(r.tekst).toBe(xml);
      expect(r.objecten.filter((o) => o.naEinddatum).map((o) => o.object).sort()).toEqual(['contactgegevens', 'relatie']);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('in the naast phase names each field where the message and the bronregistratie differ, never a value', async () => {
    const xml = genereerBericht('iwmo', '301', 3, { dagtekening: '2027-05-01', relaties: 1, afzender: '0344', ontvanger: '12345678' });
    const { uit, bron } = await zetOm(xml);
    try {
      const achternaam = /<wmo301:Relatie>[\s\S]*?<iwmo:Achternaam>([^<]*)</.exec(uit)![1]!;
      const gewijzigd = uit.replace(/(<wmo301:Relatie>[\s\S]*?<iwmo:Achternaam>)[^<]*</, '$1Anders<');
      const r = await rehydreer(gewijzigd, config, bron);
      const relatie = r.objecten.find((o) => o.object === 'relatie')!;
      expect(relatie.vorm).toBe('naast');
      expect(relatie.verschillen).toEqual([{ veld: 'Naam.Geslachtsnaam.Achternaam', soort: 'gewijzigd' }]);
      expect(JSON.stringify(r.objecten)).not.toContain(achternaam);
      expect(r.objecten.find((o) => o.object === 'contactgegevens')!.verschillen).toEqual([]);
    } finally {
      bron.sluit();
    }
  });
});

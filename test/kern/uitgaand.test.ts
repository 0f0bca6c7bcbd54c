/** The sending core on strings: validate, plan, register (an in-memory fake) and rewrite to carry Sleutels. */
import { describe, expect, it } from 'vitest';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht, type GeldigBericht } from '../../src/bericht/validatie.js';
import { leesConfig } from '../../src/config/laden.js';
import { verwerkUitgaand, type UitgaandContext } from '../../src/omzetten/uitgaand.js';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { GeheugenRegistratie } from './geheugen.js';

const register = SchemaRegister.laad();
const config = leesConfig({
  informatieobjecten: {
    relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' },
    contactgegevens: { sleutelVanaf: '2027-04-01', einddatum: '2027-10-01' },
  },
});

/** A 301 with two Relaties, on the given Dagtekening (2026-12-31 both voor, 2027-02-01 relatie naast, 2027-11-01 both na). */
const bericht301 = (dagtekening: string, opties: { regeleinde?: '\r\n' | '\n' } = {}) =>
  Buffer.from(genereerBericht('iwmo', '301', 7, { dagtekening, relaties: 2, afzender: '0344', ontvanger: '12345678', ...opties }));

/** The outcomes of the objects this plan gives dates (the other objects of the 301 are inactief: nothing registered). */
const gepland = (u: { uitkomst: { objecten: Array<{ fase: string }> } }) => u.uitkomst.objecten.filter((o) => o.fase !== 'inactief');

const ctx = (bron: GeheugenRegistratie, extra: Partial<UitgaandContext> = {}): UitgaandContext => ({ config, register, bronregistratie: bron, bestand: 'bericht.xml', ...extra });

function klaar<T extends { soort: string }>(u: T): Extract<T, { soort: 'klaar' }> {
  if (u.soort !== 'klaar') throw new Error(`refused: ${JSON.stringify(u)}`);
  return u as Extract<T, { soort: 'klaar' }>;
}

describe('verwerkUitgaand', () => {
  it('naast: registers each object and the output carries its Sleutel beside the data, valid against the keyed schema', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2027-02-01');
    const u = klaar(verwerkUitgaand(invoer, ctx(bron)));
    expect(u.bericht.type.naam).toBe('WMO301');
    expect(u.uitkomst.gewijzigd).toBe(true);
    expect(u.uitkomst.alleenSleutels).toBe(false);
    const tekst = u.uitvoer.toString('utf8');
    const relaties = u.uitkomst.objecten.filter((o) => o.object === 'relatie');
    expect(relaties.map((o) => o.fase)).toEqual(['naast', 'naast']);
    for (const o of relaties) expect(tekst).toContain(`Sleutel>${o.sleutel}<`);
    // contactgegevens: voor, registered without a Sleutel in the message
    const contact = u.uitkomst.objecten.filter((o) => o.object === 'contactgegevens');
    expect(contact.every((o) => o.fase === 'voor' && o.sleutel && !tekst.includes(o.sleutel))).toBe(true);
    expect(bron.aantal).toBe(gepland(u).length);
    const v = valideerBericht(u.uitvoer, 'uit.xml', register);
    expect(v.fouten).toEqual([]);
    expect(v.geldig && v.bericht.schema.variant).toBe('sleutel');
    // naast: the data still travels
    expect(tekst).toContain('Achternaam');
  });

  it('na: every object travels as its Sleutel only; the message is not key-only while the client\'s own data travels', () => {
    const bron = new GeheugenRegistratie();
    const u = klaar(verwerkUitgaand(bericht301('2027-11-01', { regeleinde: '\r\n' }), ctx(bron)));
    expect(u.uitkomst.alleenSleutels).toBe(false);
    expect(gepland(u).length).toBeGreaterThan(0);
    expect(u.uitkomst.objecten.filter((o) => o.fase !== 'inactief').every((o) => o.fase === 'na' && o.sleutel)).toBe(true);
    expect(valideerBericht(u.uitvoer, 'uit.xml', register).fouten).toEqual([]);
  });

  it('voor: the objects are registered and the message is delivered as it came, byte for byte', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2026-12-31');
    const u = klaar(verwerkUitgaand(invoer, ctx(bron)));
    expect(u.uitkomst.gewijzigd).toBe(false);
    expect(u.uitvoer).toBe(invoer);
    expect(bron.aantal).toBe(gepland(u).length);
  });

  it('inactief (no plan for the objects): nothing registered, the message as it came', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2027-02-01');
    const u = klaar(verwerkUitgaand(invoer, { ...ctx(bron), config: leesConfig({}) }));
    expect(u.uitvoer).toBe(invoer);
    expect(u.uitkomst.objecten.every((o) => o.fase === 'inactief')).toBe(true);
    expect(bron.aantal).toBe(0);
  });

  it('a resumed run (registreer: false) looks the Sleutels up and gives the same bytes, registering nothing', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2027-08-01');
    const eerst = klaar(verwerkUitgaand(invoer, ctx(bron)));
    const registraties = bron.registraties;
    const weer = klaar(verwerkUitgaand(invoer, ctx(bron, { registreer: false })));
    expect(bron.registraties).toBe(registraties);
    expect(weer.uitvoer.equals(eerst.uitvoer)).toBe(true);
  });

  it('an invalid message is refused with its reasons, before anything is asked or registered', () => {
    const bron = new GeheugenRegistratie();
    let gevraagd = false;
    const invoer = Buffer.from(bericht301('2027-02-01').toString('utf8').replace(/<(\w+:)?Geslacht>\d</, '<$1Geslacht>9<'));
    const u = verwerkUitgaand(invoer, ctx(bron, { controleer: () => void (gevraagd = true) }));
    expect(u.soort).toBe('quarantaine');
    if (u.soort !== 'quarantaine') return;
    expect(u.detail).toBe('the message is not valid');
    expect(u.fouten.length).toBeGreaterThan(0);
    expect(u.redenen[0]).toMatch(/^bericht\.xml:\d+:\d+ .*\[BERICHT_ONGELDIG\]/);
    expect(gevraagd).toBe(false);
    expect(bron.transacties).toBe(0);
  });

  it('takes a verdict made elsewhere, asks `controleer` first and stops when it throws', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2027-02-01');
    const v = valideerBericht(invoer, 'bericht.xml', register) as GeldigBericht;
    expect(() =>
      verwerkUitgaand(invoer, ctx(bron, { gevalideerd: v, controleer: ({ kop }) => {
        if (kop.afzender !== '9999') throw new Error('not the Afzender');
      } })),
    ).toThrow('not the Afzender');
    expect(bron.aantal).toBe(0);
  });

  it('does `inTransactie` in the message\'s transaction: its result comes back, its failure undoes the registration', () => {
    const bron = new GeheugenRegistratie();
    const invoer = bericht301('2027-02-01');
    const u = klaar(verwerkUitgaand(invoer, { ...ctx(bron), inTransactie: (o, { bericht }) => `${bericht.type.naam} ${o.uitkomst.objecten.length}` }));
    expect(u.vastgelegd).toMatch(/^WMO301 \d+$/);
    const andere = new GeheugenRegistratie();
    expect(() =>
      verwerkUitgaand(invoer, { ...ctx(andere), inTransactie: () => {
        throw new Error('journal full');
      } }),
    ).toThrow('journal full');
    expect(andere.aantal).toBe(0);
  });
});

describe('verwerkUitgaand: rewriting after registration', () => {
  it('a message that holds a placeholder Sleutel of its own is rewritten after registration, with the real Sleutels', () => {
    const bron = new GeheugenRegistratie();
    const tekst = bericht301('2027-11-01').toString('utf8');
    const eigen = '00000000-0000-4000-8000-000000000000';
    const invoer = Buffer.from(tekst.replace('?>', `?>\n<!-- ${eigen} -->`));
    expect(invoer.toString('utf8')).toContain(eigen);
    const u = klaar(verwerkUitgaand(invoer, ctx(bron)));
    expect(u.uitkomst.nietGevalideerd).toBe(true);
    const uit = u.uitvoer.toString('utf8');
    // the message's own text is kept; every keyed object carries its real Sleutel
    expect(uit).toContain(`<!-- ${eigen} -->`);
    for (const o of u.uitkomst.objecten.filter((x) => x.fase === 'na')) expect(uit).toContain(`Sleutel>${o.sleutel}<`);
    expect(valideerBericht(u.uitvoer, 'uit.xml', register).fouten).toEqual([]);
  });

  it('an echo of an object the bronregistratie does not know is left as it was: nothing registered, the message as it came', () => {
    const bron = new GeheugenRegistratie();
    const invoer = Buffer.from(genereerBericht('iwmo', '302', 7, { dagtekening: '2027-11-01', relaties: 2, afzender: '0344', ontvanger: '12345678', echo: true }));
    const u = klaar(verwerkUitgaand(invoer, ctx(bron)));
    const echos = u.uitkomst.objecten.filter((o) => o.rol === 'echo' && o.fase !== 'inactief');
    expect(echos.length).toBeGreaterThan(0);
    expect(echos.every((o) => o.onbekend && !o.sleutel)).toBe(true);
    expect(bron.registraties).toBe(0);
    expect(u.uitkomst.gewijzigd).toBe(false);
    expect(u.uitvoer).toBe(invoer);
  });
});

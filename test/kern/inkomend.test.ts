/**
 * The receiving core on strings: validate, resolve Sleutels (an in-memory fake of the owner's bronregistratie)
 * and rehydrate to the full 3.2 message; what the sending core keyed comes back byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { leesConfig } from '../../src/config/laden.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { verwerkInkomend, type InkomendContext } from '../../src/rehydreren/inkomend.js';
import { OplosserFout, type SleutelOplosser } from '../../src/rehydreren/oplosser.js';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { GeheugenRegistratie } from './geheugen.js';

const register = SchemaRegister.laad();
const config = leesConfig({
  informatieobjecten: {
    relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' },
    contactgegevens: { sleutelVanaf: '2027-04-01', einddatum: '2027-10-01' },
  },
});

const bericht301 = (dagtekening: string, opties: { regeleinde?: '\r\n' | '\n'; stijl?: 'prefix' | 'standaardnamespace' } = {}) =>
  Buffer.from(genereerBericht('ijw', '301', 11, { dagtekening, relaties: 2, afzender: '0344', ontvanger: '12345678', ...opties }));

/** Keys a message with the sending core; returns the keyed bytes and the fake that holds its records. */
function gesleuteld(invoer: Buffer): { uit: Buffer; bron: GeheugenRegistratie } {
  const bron = new GeheugenRegistratie();
  const u = verwerkUitgaand(invoer, { config, register, bronregistratie: bron, bestand: 'in.xml' });
  if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
  return { uit: u.uitvoer, bron };
}

const ctx = (oplosser: SleutelOplosser, extra: Partial<InkomendContext> = {}): InkomendContext => ({ config, register, oplosser, bestand: 'uit.xml', ...extra });

describe('verwerkInkomend', () => {
  for (const [dagtekening, opties] of [
    ['2027-11-01', {}],
    ['2027-11-01', { regeleinde: '\r\n', stijl: 'standaardnamespace' }],
    ['2027-08-01', { regeleinde: '\r\n' }],
  ] as const) {
    it(`gives back what the sending core keyed, byte for byte (${dagtekening} ${JSON.stringify(opties)})`, async () => {
      const invoer = bericht301(dagtekening, opties);
      const { uit, bron } = gesleuteld(invoer);
      expect(uit.equals(invoer)).toBe(false);
      const oplosser = bron.oplosser();
      const u = await verwerkInkomend(uit, ctx(oplosser));
      if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
      expect(u.resultaat.uitkomst).toBe('gerehydrateerd');
      expect(Buffer.from(u.uitvoer).toString('utf8')).toBe(invoer.toString('utf8'));
      // each Sleutel is asked for at the Dagtekening of the message that carries it
      expect(oplosser.verzoeken.length).toBeGreaterThan(0);
      expect(oplosser.verzoeken.every((v) => v.peildatum === dagtekening && v.eigenaar === '0344')).toBe(true);
    });
  }

  it('naast: the Sleutel goes, the data stays and is compared, field names only', async () => {
    const invoer = bericht301('2027-02-01');
    const { uit, bron } = gesleuteld(invoer);
    const u = await verwerkInkomend(uit, ctx(bron.oplosser()));
    if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
    expect(Buffer.from(u.uitvoer).toString('utf8')).toBe(invoer.toString('utf8'));
    const relaties = u.objecten.filter((o) => o.object === 'relatie');
    expect(relaties.map((o) => [o.vorm, o.verschillen])).toEqual([
      ['naast', []],
      ['naast', []],
    ]);
  });

  it('a plain message passes unchanged, the same bytes', async () => {
    const invoer = bericht301('2026-12-31');
    const u = await verwerkInkomend(invoer, ctx(new GeheugenRegistratie().oplosser()));
    if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
    expect(u.resultaat.uitkomst).toBe('ongewijzigd');
    expect(u.uitvoer).toBe(invoer);
  });

  it('a Sleutel no one resolves refuses the whole message, naming the place and the rule', async () => {
    const { uit } = gesleuteld(bericht301('2027-11-01'));
    const u = await verwerkInkomend(uit, ctx(new GeheugenRegistratie().oplosser()));
    if (u.soort !== 'quarantaine') throw new Error('expected a refusal');
    expect(u.fouten).toHaveLength(1);
    expect(u.fouten[0]!.code).toBe('SLEUTEL_ONOPGELOST');
    expect(u.fouten[0]!.pad).toMatch(/^\/Bericht\/Client\//);
    expect(u.detail).toBe(u.fouten[0]!.omschrijving);
    expect(u.redenen).toEqual([expect.stringMatching(/^uit\.xml:\d+.* \[SLEUTEL_ONOPGELOST\] /)]);
  });

  it('an invalid message is refused before any Sleutel is asked for', async () => {
    const { uit, bron } = gesleuteld(bericht301('2027-11-01'));
    const oplosser = bron.oplosser();
    const kapot = Buffer.from(uit.toString('utf8').replace(/<(\w+:)?Sleutel>[^<]*</, '<$1Sleutel>geen-uuid<'));
    const u = await verwerkInkomend(kapot, ctx(oplosser));
    if (u.soort !== 'quarantaine') throw new Error('expected a refusal');
    expect(u.detail).toBe('the message is not valid');
    expect(u.redenen[0]).toMatch(/\[BERICHT_ONGELDIG\]/);
    expect(oplosser.verzoeken).toEqual([]);
  });

  it('an owner that cannot be asked is thrown, not a refusal: the caller tries again later', async () => {
    const { uit } = gesleuteld(bericht301('2027-11-01'));
    const onbereikbaar: SleutelOplosser = { los: () => Promise.reject(new OplosserFout('0344', 'the bronregistratie of 0344 does not answer')) };
    await expect(verwerkInkomend(uit, ctx(onbereikbaar))).rejects.toBeInstanceOf(OplosserFout);
  });

  it('asks `controleer` with the valid message first and stops when it throws', async () => {
    const { uit, bron } = gesleuteld(bericht301('2027-11-01'));
    const oplosser = bron.oplosser();
    const controleer = ({ kop }: { kop: { ontvanger?: string } }) => {
      if (kop.ontvanger !== '99999999') throw new Error('not the Ontvanger');
    };
    await expect(verwerkInkomend(uit, ctx(oplosser, { controleer }))).rejects.toThrow('not the Ontvanger');
    expect(oplosser.verzoeken).toEqual([]);
    expect(valideerBericht(uit, 'uit.xml', register).geldig).toBe(true);
  });
});

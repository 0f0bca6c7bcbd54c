/**
 * A made-up informatieobject, declared here and nowhere in src/: `productaanvraag`, the AangevraagdProduct of a
 * 315 Verzoek om toewijzing (owned by the aanbieder that sends it, read by the gemeente it goes to, its grounds
 * ending with its own ToewijzingEinddatum). It flows through convert (`verwerkUitgaand`), rehydrate (`verwerkInkomend`), serve
 * (`GET /bronregistraties/…`, grounds included) and the notifications without a change in src/.
 *
 * The keyed schemas: xsd/ holds those of the declared objects only, so this test runs the generator
 * (`genereerSchemas`, scripts/xsd/) with the object registered and loads its output from a temporary folder:
 * the keyed 315 the conversion writes is validated against the schema the generator makes for it, as for any
 * declared object. The committed xsd/ is not touched (test/xsd-generator.test.ts checks it against the
 * generator without this object).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { genereerSchemas } from '../../scripts/xsd/generate.js';
import { kind, tekstVan, zoekPad } from '../../src/bericht/boom.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { informatieobject, objectenIn, registreerInformatieobject } from '../../src/informatieobject/catalogus.js';
import { BERICHTVERKEER, ZORGLEVERING, type InformatieObject } from '../../src/informatieobject/type.js';
import { Bezorger } from '../../src/notificaties/bezorging.js';
import { notificatietype } from '../../src/notificaties/catalogus.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { verwerkInkomend } from '../../src/rehydreren/inkomend.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { startOntvanger, type Ontvanger } from '../helpers/ontvanger.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { PLAN } from '../helpers/omzetten.js';
import { startServer } from '../helpers/server.js';

const AANBIEDER = '12345678';
const GEMEENTE = '0344';
const EINDDATUM = '2027-12-31';

const VELDEN = [
  'ReferentieAanbieder',
  'BeschikkingNummer',
  'Product',
  'BeschikkingIngangsdatum',
  'ToewijzingIngangsdatum',
  'ToewijzingEinddatum',
  'Omvang',
  'Budget',
  'Verwijzer',
  'Raamcontract',
  'Commentaar',
];

const productaanvraag: InformatieObject = {
  naam: 'productaanvraag',
  type: 'Productaanvraag',
  voorkomens: [{ bericht: '315', pad: ['Client', 'AangevraagdeProducten', 'AangevraagdProduct'], rol: 'bron' }],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root, knoop }) => [tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!), tekstVan(tekst, kind(knoop, 'ReferentieAanbieder')!)],
  velden: VELDEN,
  behoud: [],
  bericht: [],
  sleutelNa: null,
  doelen: { [BERICHTVERKEER]: VELDEN, [ZORGLEVERING]: ['ToewijzingIngangsdatum', 'ToewijzingEinddatum'] },
  grondEinde: { uit: 'eigenPeriode', einddatum: ['ToewijzingEinddatum'] },
  notificatie: { type: 'nl.netwerkbrug.productaanvraag', eventType: 'PRODUCTAANVRAAG' },
  inzagenaam: 'Productaanvraag',
};

/** A 315 from the aanbieder to the gemeente, in the na phase of the plan below, its one AangevraagdProduct ending on EINDDATUM. */
const aanvraag = genereerBericht('iwmo', '315', 4, { dagtekening: '2027-09-01', afzender: AANBIEDER, ontvanger: GEMEENTE, clientSeed: 5 }).replace(
  /<wmo315:ToewijzingEinddatum>[^<]*</,
  `<wmo315:ToewijzingEinddatum>${EINDDATUM}<`,
);

let weg: () => void;
let map: string;
let register: SchemaRegister;

beforeAll(() => {
  weg = registreerInformatieobject(productaanvraag);
  map = mkdtempSync(join(tmpdir(), 'nb-verzonnen-'));
  const xsd = join(map, 'xsd');
  for (const [pad, tekst] of genereerSchemas()) {
    mkdirSync(dirname(join(xsd, pad)), { recursive: true });
    writeFileSync(join(xsd, pad), tekst);
  }
  register = SchemaRegister.laad(xsd);
});

afterAll(() => weg());

describe('a made-up informatieobject, declared in a test only', () => {
  let bronregistratie: Bronregistratie;
  let db: string;
  let uit: Buffer;
  let sleutel: string;
  const config = () =>
    leesConfig({
      deelnemer: { code: AANBIEDER },
      informatieobjecten: { ...PLAN.informatieobjecten, productaanvraag: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' } },
    });

  beforeAll(() => {
    db = join(map, 'bron.db');
    bronregistratie = new Bronregistratie(db);
  });
  afterAll(() => bronregistratie.sluit());

  it('is in the catalogue, and the 315 is now a message with an informatieobject', () => {
    expect(informatieobject('productaanvraag')).toBe(productaanvraag);
    expect(objectenIn('315').map((o) => o.object.naam)).toEqual(['productaanvraag']);
    expect(register.ingangen.some((i) => i.variant === 'sleutel' && i.bericht === 'wmo315')).toBe(true);
  });

  it('convert: registered, and the 315 carries its Sleutel only, valid against the generated keyed schema', () => {
    const u = verwerkUitgaand(Buffer.from(aanvraag), { config: config(), register, bronregistratie, bestand: 'aanvraag.xml' });
    if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
    expect(u.uitkomst.objecten).toEqual([expect.objectContaining({ object: 'productaanvraag', fase: 'na', rol: 'bron', nieuweSleutel: true })]);
    uit = u.uitvoer;
    const tekst = uit.toString('utf8');
    sleutel = u.uitkomst.objecten[0]!.sleutel!;
    expect(tekst).toMatch(new RegExp(`<wmo315:AangevraagdProduct>\\s*<wmo315:Sleutel>${sleutel}</wmo315:Sleutel>\\s*</wmo315:AangevraagdProduct>`));
    expect(tekst).not.toContain(EINDDATUM);
    // the record: the aanbieder's, given to the gemeente, whose grounds end with the AangevraagdProduct's own ToewijzingEinddatum
    expect(bronregistratie.versie(sleutel)).toMatchObject({ object: 'productaanvraag', eigenaar: AANBIEDER });
    expect(bronregistratie.verstrekkingen(sleutel)).toEqual([expect.objectContaining({ tegenpartij: GEMEENTE, toewijzingEinde: EINDDATUM })]);
  });

  it('rehydrate: the keyed 315 becomes the 315 that was sent, byte for byte', async () => {
    const r = await verwerkInkomend(uit, { config: config(), register, oplosser: new LokaleOplosser(bronregistratie), bestand: 'aanvraag.xml' });
    if (r.soort !== 'klaar') throw new Error(r.redenen.join('\n'));
    expect(Buffer.from(r.uitvoer).toString('utf8')).toBe(aanvraag);
    expect(r.objecten).toEqual([expect.objectContaining({ object: 'productaanvraag', vorm: 'sleutel', sleutel })]);
  });

  describe('serve and notifications', () => {
    let pki: Pki;
    let gemeente: Certificaat;
    let ontvanger: Ontvanger;
    beforeAll(async () => {
      pki = maakPki();
      gemeente = pki.client('gemeente-0344');
      ontvanger = await startOntvanger();
    });
    afterAll(() => ontvanger.sluit());

    const lees = async (vandaag: string, doel = 'berichtverkeer') => {
      const s = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] } } }, { vandaag, db, register, config: { deelnemer: { code: AANBIEDER }, informatieobjecten: config().informatieobjecten } });
      try {
        return await s.vraag(`/bronregistraties/productaanvraag/${sleutel}`, { als: gemeente, doel });
      } finally {
        await s.sluit();
      }
    };

    it('serve: the gemeente reads the record for its purposes, until its grounds end (the ToewijzingEinddatum plus the tail)', async () => {
      const r = await lees('2028-01-15');
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ sleutel, object: 'productaanvraag', eigenaar: AANBIEDER, inhoud: { ToewijzingEinddatum: EINDDATUM } });
      expect(Object.keys((await lees('2028-01-15', 'zorglevering')).json().inhoud)).toEqual(['ToewijzingIngangsdatum', 'ToewijzingEinddatum']);
      // toegang.nalooptijdMaanden: 24 by default
      expect((await lees('2029-12-31')).status).toBe(200);
      expect((await lees('2030-01-01')).status).toBe(403);
    });

    it('notifications: its declared type, from the aanbieder (AGB) to the gemeente (GEMEENTECODE)', async () => {
      const type = notificatietype('nl.netwerkbrug.productaanvraag.aangemaakt');
      expect(type).toMatchObject({ iwlzType: 'NIEUWE_PRODUCTAANVRAAG_GEMEENTE', afzenderIdTypes: ['AGB'], ontvangerIdTypes: ['GEMEENTECODE'] });
      const c = leesConfig({
        ...config(),
        bronregistratie: { database: db, basisUrl: 'https://bron.example.nl' },
        notificaties: { ontwikkeling: true, ontvangers: { [GEMEENTE]: { url: `${ontvanger.url}/gemeente` } } },
      });
      const opslag = new Notificatiestore(db);
      const bron = new Bronregistratie(db);
      const bezorger = new Bezorger(bron, opslag, instellingen(c));
      try {
        await bezorger.totNietsMeer();
      } finally {
        await bezorger.sluit();
        opslag.sluit();
        bron.sluit();
      }
      const ontvangen = ontvanger.op('/gemeente').map((o) => JSON.parse(o.body) as { type: string; subject: string; source: string });
      expect(ontvangen).toEqual([expect.objectContaining({ type: 'nl.netwerkbrug.productaanvraag.aangemaakt', subject: `Productaanvraag/${sleutel}` })]);
    });
  });
});

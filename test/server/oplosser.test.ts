import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { ApiOplosser, maakOplosser } from '../../src/netwerk/api-oplosser.js';
import { OplosserFout } from '../../src/rehydreren/oplosser.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { leesConfig } from '../../src/config/laden.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const DERDE = '87654321';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, derde: Certificaat;
let eigenaar: Testserver;
let sleutel: string;
let bronregistratie: Bronregistratie;

/** The configuration of another participant's installation, pointing at the owner's API. */
const configVan = (code: string, cert: Certificaat, basisUrl: string) =>
  leesConfig({
    deelnemer: { code },
    adresboek: { [GEMEENTE]: { basisUrl, ca: pki.ca } },
    server: { tls: { certificaat: cert.cert, sleutel: cert.key, ca: pki.ca } },
  });

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  derde = pki.client('derde-87654321');
  eigenaar = await startServer(pki, {
    deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] }, [DERDE]: { certificaten: [derde.vingerafdruk] } },
  });
  const xml = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 1, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER });
  const r = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
  sleutel = /<wmo301:Sleutel>([^<]+)</.exec(r.tekst)![1]!;
  bronregistratie = new Bronregistratie(join(mkdtempSync(join(tmpdir(), 'nb-oplosser-')), 'eigen.db'));
});

afterAll(async () => {
  await eigenaar?.sluit();
  bronregistratie?.sluit();
});

describe('resolving a Sleutel at its owner', () => {
  it('fetches the record over mTLS with this instance\'s certificate, as the owner stores it', async () => {
    const oplosser = maakOplosser(configVan(AANBIEDER, aanbieder, eigenaar.url), bronregistratie);
    try {
      const r = await oplosser.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel });
      const opgeslagen = new Bronregistratie(eigenaar.db);
      expect(r).toEqual({ inhoud: opgeslagen.versie(sleutel)!.inhoud, versie: 1 });
      opgeslagen.sluit();
    } finally {
      await oplosser.sluit();
    }
  });

  it('gives undefined for an unknown Sleutel and for a participant without grounds', async () => {
    const aan = maakOplosser(configVan(AANBIEDER, aanbieder, eigenaar.url), bronregistratie);
    const der = maakOplosser(configVan(DERDE, derde, eigenaar.url), bronregistratie);
    try {
      expect(await aan.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel: '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10' })).toBeUndefined();
      expect(await der.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel })).toBeUndefined();
    } finally {
      await aan.sluit();
      await der.sluit();
    }
  });

  it('fails, never answers "unknown", when the owner is not in the address book or cannot be reached', async () => {
    const oplosser = maakOplosser(configVan(AANBIEDER, aanbieder, 'https://127.0.0.1:1'), bronregistratie);
    const api = new ApiOplosser({ adresboek: {}, certificaat: aanbieder.certPem, privateKey: aanbieder.keyPem });
    try {
      await expect(api.los({ wet: 'wmo', object: 'relatie', eigenaar: '0599', sleutel })).rejects.toBeInstanceOf(OplosserFout);
      await expect(oplosser.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel })).rejects.toThrow(/cannot be reached/);
    } finally {
      await oplosser.sluit();
      await api.sluit();
    }
  });

  it('asks for the version a message carried (peildatum), and gets the latest without one', async () => {
    const oplosser = maakOplosser(configVan(AANBIEDER, aanbieder, eigenaar.url), bronregistratie);
    try {
      expect((await oplosser.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel, peildatum: '2027-01-01' }))?.versie).toBe(1);
      // before the first registration there is no version: as unknown as a Sleutel that does not exist
      expect(await oplosser.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel, peildatum: '2026-12-31' })).toBeUndefined();
    } finally {
      await oplosser.sluit();
    }
  });

  it('reads its own records from the local bronregistratie', async () => {
    const eigen = new Bronregistratie(eigenaar.db);
    try {
      const lokaal = new LokaleOplosser(eigen);
      expect((await lokaal.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel }))?.versie).toBe(1);
      expect(await lokaal.los({ wet: 'wmo', object: 'contactgegevens', eigenaar: GEMEENTE, sleutel })).toBeUndefined();
      // maakOplosser sends the owner's own Sleutels to the local store, not over the network
      const zelf = maakOplosser(configVan(GEMEENTE, gemeente, 'https://127.0.0.1:1'), eigen);
      expect((await zelf.los({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, sleutel }))?.versie).toBe(1);
      await zelf.sluit();
    } finally {
      eigen.sluit();
    }
  });
});

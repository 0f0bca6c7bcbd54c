/**
 * What the tests of the 301's objects (client, toewijzing) share: a 301 and the 302 that echoes it, converted
 * and rehydrated against a real bronregistratie in a temporary folder, and the outbox of that bronregistratie.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { genereerBericht, type GenereerOpties } from '../../scripts/fixtures/generator.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { Notificatiestore, type OutboxRij } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import type { Config } from '../../src/config/typen.js';
import { Bezorger, type Logregel } from '../../src/notificaties/bezorging.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { verwerkInkomend } from '../../src/rehydreren/inkomend.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { startOntvanger } from '../helpers/ontvanger.js';

export const register = SchemaRegister.laad();
export const GEMEENTE = '0344';
export const AANBIEDER = '12345678';

/** Every object of the 301 with the same dates: voor before 2027-01-01, naast from it, na from 2027-07-01. */
export const DATA = { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' };
export const ALLES = { informatieobjecten: { relatie: DATA, contactgegevens: DATA, client: DATA, toewijzing: DATA } };
export const alleen = (naam: string, extra: Record<string, unknown> = {}): Config => leesConfig({ informatieobjecten: { [naam]: DATA }, ...extra });

export type Standaard = 'iwmo' | 'ijw';
export const prefix = (s: Standaard, nummer: '301' | '302') => (s === 'iwmo' ? `wmo${nummer}` : `jw${nummer}`);

/** A 301 from the gemeente to the aanbieder (the client from `clientSeed`: equal seeds give the same client). */
export const bericht301 = (standaard: Standaard, dagtekening: string, opties: GenereerOpties = {}) =>
  genereerBericht(standaard, '301', 7, { dagtekening, relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER, ...opties });

/**
 * The 302 that echoes a 301's client unchanged (IV028: an error in one class echoes every class of the
 * client), each class with its RetourCodes; its header copied from the heen message as a retour has it.
 */
export function echo302(standaard: Standaard, tekst301: string, dagtekening: string): string {
  const [m1, m2] = [prefix(standaard, '301'), prefix(standaard, '302')];
  const kop = genereerBericht(standaard, '302', 8, { dagtekening, afzender: GEMEENTE, ontvanger: AANBIEDER, echo: false });
  const rc = `<${m2}:RetourCodes><${m2}:RetourCode>0200</${m2}:RetourCode></${m2}:RetourCodes>`;
  const client = new RegExp(`<${m1}:Client>[\\s\\S]*</${m1}:Client>`)
    .exec(tekst301)![0]
    .replaceAll(`${m1}:`, `${m2}:`)
    .replace(new RegExp(`(\\n\\t*)</${m2}:(Contact|Relatie|ToegewezenProduct|Client)>`, 'g'), (_, ws: string, naam: string) => `${ws}\t${rc}${ws}</${m2}:${naam}>`);
  const uit = kop.replace(`</${m2}:Bericht>`, `\t${client}\n</${m2}:Bericht>`);
  expect(valideerBericht(Buffer.from(uit), '302.xml', register).fouten).toEqual([]);
  return uit;
}

export const bsnVan = (tekst: string) => /<[a-z0-9]+:Bsn>(\d{9})</.exec(tekst)![1]!;

/** A fresh bronregistratie in a temporary folder. */
export function nieuweBron(): { bron: Bronregistratie; db: string } {
  const db = join(mkdtempSync(join(tmpdir(), 'nb-301-')), 'bron.db');
  return { bron: new Bronregistratie(db), db };
}

/** Converts one message; throws when it is refused. */
export function zetOm(bron: Bronregistratie, tekst: string, config: Config) {
  const u = verwerkUitgaand(Buffer.from(tekst), { config, register, bronregistratie: bron, bestand: 'bericht.xml' });
  if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
  const uit = u.uitvoer.toString('utf8');
  const v = valideerBericht(u.uitvoer, 'uit.xml', register);
  expect(v.fouten).toEqual([]);
  return { uit, objecten: u.uitkomst.objecten, variant: v.geldig ? v.bericht.schema.variant : undefined };
}

/** Rehydrates one message against `bron`: its text, or the refusal. */
export async function rehydreer(bron: Bronregistratie, tekst: string, config: Config) {
  const r = await verwerkInkomend(Buffer.from(tekst), { config, register, oplosser: new LokaleOplosser(bron), bestand: 'in.xml' });
  if (r.soort !== 'klaar') return { fout: r.redenen.join('\n') };
  return { tekst: Buffer.from(r.uitvoer).toString('utf8'), objecten: r.objecten };
}

export function outbox(db: string): OutboxRij[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT * FROM outbox ORDER BY volgnummer').all() as OutboxRij[];
  } finally {
    d.close();
  }
}

/**
 * Delivers the outbox of `db` to a test receiver as the aanbieder's sink and gives every body received, with
 * the worker's log lines: what leaves the process about the records.
 */
export async function bezorgAlles(db: string, objecten: Record<string, unknown>): Promise<{ bodies: string[]; logs: string[] }> {
  const ontvanger = await startOntvanger();
  const logs: Logregel[] = [];
  const c = leesConfig({
    informatieobjecten: objecten,
    bronregistratie: { database: db, basisUrl: 'https://bron.example.nl' },
    notificaties: { ontwikkeling: true, ontvangers: { [AANBIEDER]: { url: `${ontvanger.url}/aanbieder` } } },
  });
  const opslag = new Notificatiestore(db);
  const bron = new Bronregistratie(db);
  const bezorger = new Bezorger(bron, opslag, instellingen(c), { log: (r) => logs.push(r) });
  try {
    await bezorger.totNietsMeer();
    return { bodies: ontvanger.op('/aanbieder').map((o) => o.body), logs: logs.map((l) => JSON.stringify(l)) };
  } finally {
    await bezorger.sluit();
    opslag.sluit();
    bron.sluit();
    await ontvanger.sluit();
  }
}

/**
 * No error text carries bytes of the message (issue 12, item 4). Malformed messages are built around a known
 * BSN, name and street, and every channel an error reaches is searched for them: `validate` (text and --json),
 * `convert` and `rehydrate` (stderr, stdout, the quarantine reason files, the --report JSON) and the sidecar's
 * 422 answers, its quarantine reason files and its log.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { netwerkbrug } from '../helpers/cli.js';
import { register } from '../helpers/omzetten.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { logStroom, startServer, type Testserver } from '../helpers/server.js';

export const BSN = '999916610';
export const NAAM = 'Jansen';
export const STRAAT = 'Stationsweg';
const GEHEIM = [BSN, NAAM, STRAAT];

/** A valid WMO301 that carries the known BSN, name and street. */
export function basisbericht(): string {
  const xml = genereerBericht('iwmo', '301', 7, { afzender: '0344', ontvanger: '12345678', relaties: 1, dagtekening: '2027-02-01' })
    .replace(/<wmo301:Bsn>\d+<\/wmo301:Bsn>/, `<wmo301:Bsn>${BSN}</wmo301:Bsn>`)
    .replace(/<iwmo:Achternaam>[^<]*<\/iwmo:Achternaam>/, `<iwmo:Achternaam>${NAAM}</iwmo:Achternaam>`)
    .replace(/<iwmo:Straatnaam>[^<]*<\/iwmo:Straatnaam>/, `<iwmo:Straatnaam>${STRAAT} 12</iwmo:Straatnaam>`);
  for (const g of GEHEIM) if (!xml.includes(g)) throw new Error(`the base message lost ${g}`);
  return xml;
}

const vervang = (xml: string, van: string | RegExp, naar: string) => {
  const uit = xml.replace(van, naar);
  if (uit === xml) throw new Error(`no ${van} in the base message`);
  return uit;
};

/** Malformed messages, each built so that a careless error text would quote the BSN, the name or the street. */
export function kapotteBerichten(): Record<string, string> {
  const x = basisbericht();
  const geslacht = /<wmo301:Geslacht>(\d)<\/wmo301:Geslacht>/;
  return {
    'cdata-in-bsn': vervang(x, `<wmo301:Bsn>${BSN}`, `<wmo301:Bsn><![CDATA[${BSN}`),
    'onbekende-entiteit': vervang(x, geslacht, `<wmo301:Geslacht>&${NAAM};$1</wmo301:Geslacht>`),
    'xmlns-met-naam': vervang(x, 'xmlns:wmo301="http://www.istandaarden.nl/iwmo/3_2/wmo301/schema"', `xmlns:wmo301="urn:${NAAM}:${BSN}"`),
    'basis-xmlns-met-naam': vervang(x, 'xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"', `xmlns:iwmo="urn:${NAAM}"`),
    'attribuut-met-naam': vervang(x, geslacht, `<wmo301:Geslacht naam="${NAAM} ${STRAAT}">$1</wmo301:Geslacht>`),
    'attribuut-zonder-aanhalingstekens': vervang(x, geslacht, `<wmo301:Geslacht naam=${NAAM}>$1</wmo301:Geslacht>`),
    'eindtag-met-naam': vervang(x, geslacht, `<wmo301:Geslacht>$1</${NAAM}>`),
    'patroon-gebroken': vervang(x, `<wmo301:Bsn>${BSN}`, `<wmo301:Bsn>${NAAM}${BSN}`),
    'onbekend-element': vervang(x, geslacht, `<wmo301:Geslacht>$1</wmo301:Geslacht><${NAAM}/>`),
    'onbekend-element-met-prefix': vervang(x, geslacht, `<wmo301:Geslacht>$1</wmo301:Geslacht><wmo301:${NAAM}>${BSN}</wmo301:${NAAM}>`),
    'onbekend-prefix': vervang(x, geslacht, `<${NAAM}:Geslacht>$1</${NAAM}:Geslacht>`),
    'root-met-naam': x.replaceAll('wmo301:Bericht', `wmo301:${NAAM}`),
    'berichtcode-met-naam': vervang(x, '<wmo301:BerichtCode>414', `<wmo301:BerichtCode>${NAAM}`),
    'berichtversie-met-bsn': vervang(x, '<wmo301:BerichtVersie>3', `<wmo301:BerichtVersie>${BSN}`),
    'release-met-bsn': x.replaceAll('/iwmo/3_2/wmo301/', `/iwmo/${BSN}_2/wmo301/`),
    'encoding-met-naam': vervang(x, 'encoding="UTF-8"', `encoding="${NAAM}"`),
    'afgebroken-na-naam': x.slice(0, x.indexOf(NAAM) + NAAM.length),
    'dubbel-attribuut': vervang(x, geslacht, `<wmo301:Geslacht a="${NAAM}" a="${BSN}">$1</wmo301:Geslacht>`),
    'kaal-ampersand': vervang(x, geslacht, `<wmo301:Geslacht>${NAAM} & $1</wmo301:Geslacht>`),
    'commentaar-open': vervang(x, geslacht, `<!-- ${NAAM} ${BSN}`),
  };
}

function zonderGeheimen(kanaal: string, tekst: string) {
  for (const g of GEHEIM) expect(tekst, `${kanaal} carries ${g}:\n${tekst}`).not.toContain(g);
}

/** Every `.reden.txt` below a folder, concatenated. */
function redenen(map: string): string {
  const uit: string[] = [];
  const loop = (m: string) => {
    for (const n of readdirSync(m)) {
      const p = join(m, n);
      if (statSync(p).isDirectory()) loop(p);
      else if (n.endsWith('.reden.txt')) uit.push(readFileSync(p, 'utf8'));
    }
  };
  loop(map);
  return uit.join('\n');
}

const mappen: string[] = [];
afterAll(() => {
  for (const m of mappen) rmSync(m, { recursive: true, force: true });
});

describe('error texts never carry bytes of the message', () => {
  const berichten = kapotteBerichten();

  it('the validation itself: every malformed message is refused with a place and a rule, and no personal data', () => {
    for (const [naam, xml] of Object.entries(berichten)) {
      const r = valideerBericht(Buffer.from(xml), `${naam}.xml`, register);
      expect(r.geldig, naam).toBe(false);
      expect(r.fouten.length, naam).toBeGreaterThan(0);
      zonderGeheimen(naam, JSON.stringify(r.fouten));
    }
  });

  it('names the rule per kind of error and where the construct is', () => {
    const fout = (naam: string) => valideerBericht(Buffer.from(berichten[naam]!), 'a.xml', register).fouten[0]!;
    const bsnRegel = basisbericht().split('\n').findIndex((l) => l.includes('<wmo301:Bsn>')) + 1;
    // an unclosed CDATA section is placed where it begins, not where the document ends
    expect(fout('cdata-in-bsn')).toMatchObject({ omschrijving: 'not well-formed XML: CDATA section not closed (`]]>` missing)', regel: bsnRegel, pad: '/Bericht/Client/Bsn' });
    expect(fout('onbekende-entiteit').omschrijving).toMatch(/^not well-formed XML: undefined entity/);
    expect(fout('eindtag-met-naam').omschrijving).toMatch(/^not well-formed XML: mismatched end tag/);
    expect(fout('onbekend-element')).toMatchObject({ pad: '/Bericht/Client/*', omschrijving: 'an element the schema does not know (name of 6 characters) is not allowed here; expected Naam' });
    expect(fout('xmlns-met-naam').omschrijving).toMatch(/an unknown namespace \(20 characters\)/);
    expect(fout('basis-xmlns-met-naam').omschrijving).toMatch(/^element Identificatie is in an unknown namespace \(10 characters\); expected it in namespace http:\/\/www\.istandaarden\.nl\/iwmo\/3_2\/basisschema\/schema$/);
    expect(fout('attribuut-met-naam')).toMatchObject({ pad: '/Bericht/Client/Geslacht', omschrijving: 'element Geslacht carries an attribute its schema does not allow' });
    expect(fout('patroon-gebroken').omschrijving).toMatch(/^value of Bsn /);
    expect(fout('encoding-met-naam').omschrijving).toBe('the XML declaration names an unknown encoding (6 characters); only UTF-8 is accepted');
  });

  it('validate (text and --json), convert and rehydrate (stdout, stderr, reason files, --report)', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-foutteksten-'));
    mappen.push(map);
    writeFileSync(join(map, 'netwerkbrug.yaml'), 'bronregistratie: { database: ./bron.db }\ninformatieobjecten:\n  relatie: { sleutelVanaf: 2027-01-01, einddatum: 2027-07-01 }\n');
    mkdirSync(join(map, 'in'));
    for (const [naam, xml] of Object.entries(berichten)) writeFileSync(join(map, 'in', `${naam}.xml`), xml);
    const aantal = Object.keys(berichten).length;

    const tekst = netwerkbrug(['validate', 'in', '--werkers', '0'], map);
    expect(tekst.status).toBe(1);
    expect(tekst.stdout.match(/^INVALID/gm)).toHaveLength(aantal);
    zonderGeheimen('validate stdout', tekst.stdout);
    zonderGeheimen('validate stderr', tekst.stderr);

    const json = netwerkbrug(['validate', 'in', '--json'], map);
    expect(json.status).toBe(1);
    expect(json.stdout).toContain('"fouten"');
    zonderGeheimen('validate --json', json.stdout + json.stderr);

    const convert = netwerkbrug(['convert', 'in', '--out', 'uit', '--report', 'convert.json'], map);
    expect(convert.status).toBe(1);
    expect(readdirSync(join(map, 'uit', 'quarantaine')).filter((n) => n.endsWith('.reden.txt'))).toHaveLength(aantal);
    zonderGeheimen('convert stdout and stderr', convert.stdout + convert.stderr);
    zonderGeheimen('convert reason files', redenen(join(map, 'uit', 'quarantaine')));
    zonderGeheimen('convert --report', readFileSync(join(map, 'convert.json'), 'utf8'));

    const rehydrate = netwerkbrug(['rehydrate', 'in', '--out', 'terug', '--report', 'rehydrate.json'], map);
    expect(rehydrate.status).toBe(1);
    expect(readdirSync(join(map, 'terug', 'quarantaine')).filter((n) => n.endsWith('.reden.txt'))).toHaveLength(aantal);
    zonderGeheimen('rehydrate stdout and stderr', rehydrate.stdout + rehydrate.stderr);
    zonderGeheimen('rehydrate reason files', redenen(join(map, 'terug', 'quarantaine')));
    zonderGeheimen('rehydrate --report', readFileSync(join(map, 'rehydrate.json'), 'utf8'));
  });

  describe('the sidecar', () => {
    let pki: Pki;
    let gemeente: Certificaat;
    let aanbieder: Certificaat;
    let s: Testserver;
    const log: string[] = [];

    beforeAll(async () => {
      pki = maakPki();
      gemeente = pki.client('gemeente-0344');
      aanbieder = pki.client('aanbieder-12345678');
      s = await startServer(pki, { deelnemers: { '0344': { certificaten: [gemeente.vingerafdruk] }, '12345678': { certificaten: [aanbieder.vingerafdruk] } } }, { logger: { level: 'debug', stream: logStroom(log) } });
      mappen.push(s.map);
    });
    afterAll(async () => {
      await s?.sluit();
    });

    it('answers 422 for each, and neither the answer, the reason file nor the log carries personal data', async () => {
      for (const [naam, xml] of Object.entries(berichten)) {
        for (const [richting, als] of [['uitgaand', gemeente], ['inkomend', aanbieder]] as const) {
          const r = await s.vraag(`/berichten/${richting}`, { als, body: xml });
          expect(r.status, `${naam} ${richting}`).toBe(422);
          expect(r.json().fouten.length, naam).toBeGreaterThan(0);
          zonderGeheimen(`422 of ${naam} (${richting})`, r.tekst);
        }
      }
      zonderGeheimen('sidecar reason files', redenen(join(s.map, 'quarantaine')));
      zonderGeheimen('sidecar log', log.join('\n'));
    });
  });
});

/**
 * Shared by the property-based tests (fast-check): how many runs, messages seeded with a known BSN, name and
 * street, random byte mutations and structure-aware mutations of them, and the checks every verdict must pass.
 *
 * The default run is short (the fuzz files take well under 20 s together); `npm run fuzz` sets FUZZ_RUNS for
 * a longer run. FUZZ_SEED replays a failure fast-check reported.
 */
import fc from 'fast-check';
import { genereerBericht, BERICHT_NUMMERS, type BerichtNummer, type GenereerOpties } from '../../scripts/fixtures/generator.js';
import { bouwBoom, type Knoop } from '../../src/bericht/boom.js';
import { NetwerkbrugFout } from '../../src/fout.js';

/** Runs per property: FUZZ_RUNS scales them (the default is `standaard`). */
export function runs(standaard: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.max(1, Math.round((n / 100) * standaard)) : standaard;
}

export const fcOpties = (standaard: number): fc.Parameters<unknown> => ({
  numRuns: runs(standaard),
  ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
  endOnFailure: true,
});

/** Time allowed for one input through one step (generous: two cores shared with other work). */
export const TIJDSLIMIET_MS = 5_000;

export const BSN = '999916610';
export const NAAM = 'Jansen';
export const STRAAT = 'Stationsweg';
export const GEHEIM = [BSN, NAAM, STRAAT];

/** A generated message with the client's BSN, a name and a street replaced by the known ones (where it has them). */
export function gezaaid(standaard: 'iwmo' | 'ijw', nummer: BerichtNummer, seed: number, opties: GenereerOpties = {}): string {
  // the 301 (and its 302 echo) between gemeente 0344 and aanbieder 12345678; other messages keep their generated parties
  const partijen = nummer === '301' || nummer === '302' ? { afzender: '0344', ontvanger: '12345678' } : {};
  return genereerBericht(standaard, nummer, seed, { ...partijen, ...opties })
    .replace(/(<(?:\w+:)?Bsn>)\d{9}(<)/, `$1${BSN}$2`)
    .replace(/(<(?:\w+:)?Achternaam>)[^<]*(<)/, `$1${NAAM}$2`)
    .replace(/(<(?:\w+:)?Straatnaam>)[^<]*(<)/, `$1${STRAAT} 12$2`);
}

export const DAGTEKENINGEN = ['2026-12-31', '2027-02-01', '2027-05-01', '2027-08-01', '2027-11-01'];

/** A seeded valid message of any of the 28 types, in any style. */
export const berichtArb = fc
  .record({
    standaard: fc.constantFrom('iwmo' as const, 'ijw' as const),
    nummer: fc.constantFrom(...BERICHT_NUMMERS),
    seed: fc.nat(10_000),
    dagtekening: fc.constantFrom(...DAGTEKENINGEN),
    relaties: fc.integer({ min: 0, max: 3 }),
    stijl: fc.constantFrom('prefix' as const, 'standaardnamespace' as const),
    regeleinde: fc.constantFrom('\n' as const, '\r\n' as const),
  })
  .map(({ standaard, nummer, seed, ...opties }) => gezaaid(standaard, nummer, seed, opties));

// ---------------------------------------------------------------------------------------------------------
// mutations

export type Mutatie = (tekst: string) => string | Buffer;

const elementen = (tekst: string): Knoop[] => {
  const uit: Knoop[] = [];
  const loop = (k: Knoop) => {
    uit.push(k);
    k.kinderen.forEach(loop);
  };
  loop(bouwBoom(tekst));
  return uit;
};
const span = (k: Knoop): [number, number] => [k.start.begin, k.eind.einde];
const kies = <T>(lijst: readonly T[], r: number): T => lijst[Math.floor(r * lijst.length) % lijst.length]!;
const bladeren = (tekst: string) => elementen(tekst).filter((k) => k.kinderen.length === 0 && k.start !== k.eind);

/** Structure-aware mutations, each given a number in [0, 1) to pick its place. */
export const STRUCTUUR: Record<string, (tekst: string, r: number, r2: number) => string | Buffer> = {
  'drop an element': (t, r) => {
    const k = kies(elementen(t).slice(1), r);
    const [a, b] = span(k);
    return t.slice(0, a) + t.slice(b);
  },
  'duplicate an element': (t, r) => {
    const k = kies(elementen(t).slice(1), r);
    const [a, b] = span(k);
    return t.slice(0, b) + t.slice(a, b) + t.slice(b);
  },
  'swap two siblings': (t, r) => {
    const ouders = elementen(t).filter((k) => k.kinderen.length > 1);
    if (!ouders.length) return t;
    const o = kies(ouders, r);
    const i = Math.floor(r * 7919) % (o.kinderen.length - 1);
    const [a1, b1] = span(o.kinderen[i]!);
    const [a2, b2] = span(o.kinderen[i + 1]!);
    return t.slice(0, a1) + t.slice(a2, b2) + t.slice(b1, a2) + t.slice(a1, b1) + t.slice(b2);
  },
  'inject a DOCTYPE with an entity': (t) => t.replace(/(\?>\r?\n?)/, `$1<!DOCTYPE Bericht [<!ENTITY naam "${NAAM}"><!ENTITY x SYSTEM "file:///etc/passwd">]>\n`),
  'inject a DOCTYPE in a comment': (t) => t.replace(/(\?>\r?\n?)/, `$1<!-- <!DOCTYPE ${NAAM}> -->\n`),
  'undefined entity in a value': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + `&${NAAM};` + t.slice(k.start.einde);
  },
  'character reference to a forbidden character': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + '&#0;' + t.slice(k.start.einde);
  },
  'value wrapped in CDATA': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + '<![CDATA[' + t.slice(k.start.einde, k.eind.begin) + ']]>' + t.slice(k.eind.begin);
  },
  'CDATA section not closed': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + '<![CDATA[' + t.slice(k.start.einde);
  },
  'comment not closed': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + `<!-- ${NAAM}` + t.slice(k.start.einde);
  },
  'element renamed after the name': (t, r) => {
    const k = kies(elementen(t), r);
    const naam = `${k.prefix ? `${k.prefix}:` : ''}${NAAM}`;
    if (k.start === k.eind) return t.slice(0, k.start.begin) + `<${naam}` + t.slice(k.start.begin + 1 + k.start.naam.length);
    return t.slice(0, k.start.begin) + `<${naam}` + t.slice(k.start.begin + 1 + k.start.naam.length, k.eind.begin) + `</${naam}>` + t.slice(k.eind.einde);
  },
  'end tag named after the name': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.eind.begin) + `</${NAAM}>` + t.slice(k.eind.einde);
  },
  'unknown element with the BSN': (t, r) => {
    const k = kies(elementen(t).slice(1), r);
    return t.slice(0, k.start.begin) + `<${NAAM}>${BSN}</${NAAM}>` + t.slice(k.start.begin);
  },
  'attribute with the name': (t, r) => {
    const k = kies(elementen(t), r);
    const at = k.start.begin + 1 + k.start.naam.length;
    return t.slice(0, at) + ` naam="${NAAM} ${BSN}"` + t.slice(at);
  },
  'message namespace with the name': (t) => t.replace(/(xmlns(?::\w+)?=")http:\/\/www\.istandaarden\.nl\/\w+\/3_2\/(?:wmo|jw)\d{3}\/schema"/, `$1urn:${NAAM}:${BSN}"`),
  'basisschema namespace with the name': (t) => t.replace(/(xmlns(?::\w+)?=")http:\/\/www\.istandaarden\.nl\/\w+\/3_2\/basisschema\/schema"/, `$1urn:${NAAM}"`),
  'BerichtCode replaced by the name': (t) => t.replace(/(BerichtCode>)\d+/, `$1${NAAM}`),
  'value replaced by the BSN and name': (t, r) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + `${NAAM} ${BSN} ${STRAAT}` + t.slice(k.eind.begin);
  },
  'encoding declared as the name': (t) => t.replace(/encoding="[^"]*"/, `encoding="${NAAM}"`),
  'encoding declared ISO-8859-1': (t) => t.replace(/encoding="[^"]*"/, 'encoding="ISO-8859-1"'),
  'UTF-16 bytes': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'Latin-1 bytes': (t) => Buffer.from(t, 'latin1'),
  'BOM in front': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
  'invalid UTF-8 in a value': (t, r) => {
    const k = kies(bladeren(t), r);
    return Buffer.concat([Buffer.from(t.slice(0, k.start.einde)), Buffer.from([0xc3, 0x28, 0xf5]), Buffer.from(t.slice(k.start.einde))]);
  },
  'truncated': (t, r) => t.slice(0, Math.floor(r * t.length)),
  'deeply nested': (t, r) => {
    const k = kies(bladeren(t), r);
    const n = 300 + Math.floor(r * 3000);
    return t.slice(0, k.start.einde) + '<a>'.repeat(n) + '</a>'.repeat(n) + t.slice(k.start.einde);
  },
  'processing instruction with the BSN': (t, r) => {
    const k = kies(elementen(t).slice(1), r);
    return t.slice(0, k.start.begin) + `<?${NAAM} ${BSN}?>` + t.slice(k.start.begin);
  },
  'control character in a value': (t, r, r2) => {
    const k = kies(bladeren(t), r);
    return t.slice(0, k.start.einde) + String.fromCharCode(1 + Math.floor(r2 * 8)) + t.slice(k.start.einde);
  },
};

/** One structure-aware mutation, or a short list of them applied in turn. */
export const structuurArb = fc.array(fc.tuple(fc.constantFrom(...Object.keys(STRUCTUUR)), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), { minLength: 1, maxLength: 3 });

export function pasToe(tekst: string, stappen: ReadonlyArray<[string, number, number]>): Buffer {
  let t: string | Buffer = tekst;
  for (const [naam, r, r2] of stappen) {
    if (Buffer.isBuffer(t)) break; // a byte-level result is not text any more: stop there
    try {
      t = STRUCTUUR[naam]!(t, r, r2);
    } catch {
      // a structure the mutation needs is gone (an earlier step broke the tree): leave the text as it is
    }
  }
  return Buffer.isBuffer(t) ? t : Buffer.from(t);
}

/** Random byte mutations: flip, insert, delete or overwrite bytes at random offsets. */
export const byteMutatieArb = fc.array(
  fc.record({ soort: fc.constantFrom('flip', 'invoegen', 'weg', 'vervang'), plaats: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }), lengte: fc.integer({ min: 1, max: 16 }) }),
  { minLength: 1, maxLength: 8 },
);

export function muteerBytes(b: Buffer, mutaties: ReadonlyArray<{ soort: string; plaats: number; byte: number; lengte: number }>): Buffer {
  let uit = Buffer.from(b);
  for (const m of mutaties) {
    const i = Math.floor(m.plaats * uit.length);
    if (m.soort === 'flip') uit[i] = uit[i]! ^ (1 << (m.byte % 8));
    else if (m.soort === 'vervang') uit[i] = m.byte;
    else if (m.soort === 'invoegen') uit = Buffer.concat([uit.subarray(0, i), Buffer.alloc(m.lengte, m.byte), uit.subarray(i)]);
    else uit = Buffer.concat([uit.subarray(0, i), uit.subarray(i + m.lengte)]);
  }
  return uit;
}

// ---------------------------------------------------------------------------------------------------------
// checks

/** The known BSN, name or street in a text, if any (for an assertion message). */
export function geheimIn(tekst: string): string | undefined {
  return GEHEIM.find((g) => tekst.includes(g));
}

/** A thrown value must be a NetwerkbrugFout with a place; anything else is a crash. */
export function alsVerdict(e: unknown): NetwerkbrugFout {
  if (!(e instanceof NetwerkbrugFout)) throw e;
  if (!e.plaats?.bestand) throw new Error(`NetwerkbrugFout without a place: ${e.code}`);
  return e;
}

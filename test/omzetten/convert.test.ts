import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { register, werkmap } from '../helpers/omzetten.js';

const UUID4 = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;
const toewijzing = (dagtekening: string, opties: Parameters<typeof genereerBericht>[3] = {}) =>
  genereerBericht('iwmo', '301', 11, { dagtekening, relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '12345678', ...opties });

/** The output with every Sleutel element and the keyed namespace taken out again. */
function zonderSleutels(tekst: string): string {
  return tekst.replace(/\r?\n\s*<(\w+:)?Sleutel>[^<]*<\/(\w+:)?Sleutel>/g, '').replace(/urn:netwerkbrug:iwmo:3_2:wmo301:sleutel/g, 'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema');
}

describe('convert: phases', () => {
  it('before sleutelVanaf the message leaves byte-identical, but its objects are registered', async () => {
    const w = werkmap();
    const xml = toewijzing('2026-12-31');
    w.schrijf('a.xml', xml);
    const r = await w.converteer();
    expect(w.lees('a.xml')).toBe(xml);
    expect(r.ongewijzigd).toBe(1);
    expect(r.perObject.relatie).toEqual({ voor: 2 });
    expect(r.sleutelsAangemaakt).toBe(3);
  });

  it('in the naast phase each Relatie keeps its data and gains a Sleutel after Nummer; nothing else changes', async () => {
    const w = werkmap();
    const xml = toewijzing('2027-01-01');
    w.schrijf('a.xml', xml);
    await w.converteer();
    const uit = w.lees('a.xml');
    const sleutels = [...uit.matchAll(/<wmo301:Nummer>[^<]*<\/wmo301:Nummer>\r\n(\t+)<wmo301:Sleutel>([^<]*)</g)];
    expect(sleutels).toHaveLength(2);
    for (const [, , s] of sleutels) expect(s).toMatch(UUID4);
    expect(uit).toContain('xmlns:wmo301="urn:netwerkbrug:iwmo:3_2:wmo301:sleutel"');
    expect(zonderSleutels(uit)).toBe(xml);
    const v = valideerBericht(Buffer.from(uit), 'uit.xml', register);
    expect(v.fouten).toEqual([]);
    expect(v.bericht?.schema.variant).toBe('sleutel');
  });

  it('from the einddatum only Nummer and Sleutel travel', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-07-01'));
    const r = await w.converteer();
    const uit = w.lees('a.xml');
    const relaties = [...uit.matchAll(/<wmo301:Relatie>([\s\S]*?)<\/wmo301:Relatie>/g)].map((m) => m[1]!.replace(/\s+/g, ''));
    expect(relaties).toHaveLength(2);
    for (const rel of relaties) expect(rel).toMatch(/^<wmo301:Nummer>[^<]+<\/wmo301:Nummer><wmo301:Sleutel>[0-9a-f-]{36}<\/wmo301:Sleutel>$/);
    expect(r.perObject.relatie).toEqual({ na: 2 });
  });

  it('when every configured object is a key, the report claims no key-only message: the rest of the message still travels', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-10-01'));
    const r = await w.converteer();
    // client and toewijzing have no dates in this plan: inactief, not configured
    expect(r.perObject).toEqual({ relatie: { na: 2 }, contactgegevens: { na: 1 }, client: { inactief: 1 }, toewijzing: { inactief: expect.any(Number) } });
    expect(r.alleenSleutels).toBe(0);
    expect(w.lees('a.xml')).not.toContain('<wmo301:Contact>');
    // not a notification: the client's own data and the toewijzingen are still in the message
    expect(w.lees('a.xml')).toMatch(/<wmo301:Geboortedatum>[\s\S]*<wmo301:ToegewezenProduct>/);
  });

  it('with every object of the 301 in na the message is key-only: counted in the report, valid against its keyed schema', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-10-01'));
    const na = { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' };
    const r = await w.converteer({ informatieobjecten: { relatie: na, contactgegevens: na, client: na, toewijzing: na } });
    expect(r.alleenSleutels).toBe(1);
    const uit = w.lees('a.xml');
    expect(uit).not.toMatch(/Geboortedatum|Achternaam|Ingangsdatum|Contact>/);
    expect(valideerBericht(Buffer.from(uit), 'uit.xml', register).fouten).toEqual([]);
  });

  it('a counterpart override keeps that counterpart in the naast phase', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-08-01'));
    w.schrijf('b.xml', toewijzing('2027-08-01', { ontvanger: '11112222' }));
    const r = await w.converteer({ informatieobjecten: { relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01', afwijkend: { '11112222': { einddatum: '2028-01-01' } } } } });
    expect(r.perObject.relatie).toEqual({ na: 2, naast: 2 });
    expect(w.lees('b.xml')).toContain('<wmo301:Soort>');
  });

  it('an already keyed message passes through unchanged and registers nothing', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-10-01'));
    await w.converteer();
    const gesleuteld = w.lees('a.xml');
    const w2 = werkmap();
    w2.schrijf('a.xml', gesleuteld);
    const r = await w2.converteer();
    expect(w2.lees('a.xml')).toBe(gesleuteld);
    expect(r).toMatchObject({ ongewijzigd: 1, sleutelsAangemaakt: 0, versiesAangemaakt: 0 });
  });

  it('an object without dates is untouched and not registered', async () => {
    const w = werkmap();
    const xml = toewijzing('2027-08-01');
    w.schrijf('a.xml', xml);
    const r = await w.converteer({ informatieobjecten: {} });
    expect(w.lees('a.xml')).toBe(xml);
    expect(r.sleutelsAangemaakt).toBe(0);
  });
});

describe('convert: byte fidelity', () => {
  it('a default-namespace document gets unprefixed Sleutels', async () => {
    const w = werkmap();
    const xml = toewijzing('2027-02-01', { stijl: 'standaardnamespace' });
    w.schrijf('a.xml', xml);
    await w.converteer();
    const uit = w.lees('a.xml');
    expect(uit).toMatch(/<\/Nummer>\r\n\t+<Sleutel>/);
    expect(uit).toContain('xmlns="urn:netwerkbrug:iwmo:3_2:wmo301:sleutel"');
    expect(valideerBericht(Buffer.from(uit), 'x', register).fouten).toEqual([]);
  });

  it('comments, LF line ends, a BOM and non-ASCII names are kept as they were', async () => {
    const w = werkmap();
    const xml = toewijzing('2027-02-01', { regeleinde: '\n' })
      .replace('<wmo301:Client>', '<!-- cliënt: Zoë --><wmo301:Client>')
      .replace('</wmo301:Nummer>', '</wmo301:Nummer><!-- na het nummer -->');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
    w.schrijf('a.xml', bytes);
    await w.converteer();
    const uit = readFileSync(join(w.uit, 'a.xml'));
    expect([...uit.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const tekst = uit.subarray(3).toString('utf8');
    expect(tekst).not.toContain('\r');
    expect(tekst).toContain('<!-- cliënt: Zoë -->');
    expect(zonderSleutels(tekst.replace(/\n/g, '\r\n')).replace(/\r\n/g, '\n')).toBe(xml);
  });

  it.each([0, 1, 3])('a 301 with %i Relaties', async (n) => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-02-01', { relaties: n }));
    const r = await w.converteer();
    expect(r.perObject.relatie?.naast ?? 0).toBe(n);
    expect(w.lees('a.xml').match(/<wmo301:Sleutel>/g)?.length ?? 0).toBe(n); // contactgegevens is keyed from 2027-04-01
  });
});

describe('convert: the bronregistratie', () => {
  it('a re-sent Relatie keeps its Sleutel and makes no new version; a change makes a new version', async () => {
    const w = werkmap();
    w.schrijf('1.xml', toewijzing('2027-02-01'));
    w.schrijf('2.xml', toewijzing('2027-02-02', { identificatie: 'B2' }));
    w.schrijf('3.xml', toewijzing('2027-02-03', { identificatie: 'B3', wijziging: 1 }));
    const r = await w.converteer();
    const sleutel = (f: string) => [...w.lees(f).matchAll(/<wmo301:Sleutel>([^<]*)</g)].map((m) => m[1]);
    expect(sleutel('2.xml')).toEqual(sleutel('1.xml'));
    expect(sleutel('3.xml')).toEqual(sleutel('1.xml'));
    expect(r.sleutelsAangemaakt).toBe(3);
    // 3 records; the change altered the phone number of Relaties only
    expect(r.versiesAangemaakt).toBe(3 + 2);
    const db = new Bronregistratie(w.db);
    const eerste = sleutel('1.xml')[0]!;
    expect(db.versienummers(eerste)).toEqual([1, 2]);
    expect(db.versie(eerste, 1)).toMatchObject({ nummer: 1, dagtekening: '2027-02-01' });
    expect(db.versie(eerste)).toMatchObject({ nummer: 2, dagtekening: '2027-02-03', berichtIdentificatie: 'B3' });
    db.sluit();
  });

  it('Sleutels are random UUID v4s, and the database holds no client BSN in clear', async () => {
    const w = werkmap();
    const xml = toewijzing('2027-02-01');
    w.schrijf('a.xml', xml);
    await w.converteer();
    const bsn = /<wmo301:Bsn>(\d+)</.exec(xml)![1]!;
    expect(readFileSync(w.db).includes(Buffer.from(bsn))).toBe(false);
    for (const s of w.lees('a.xml').matchAll(/<wmo301:Sleutel>([^<]*)</g)) expect(s[1]).toMatch(UUID4);
  });

  it('two gemeenten in one database are kept apart', async () => {
    const w = werkmap();
    w.schrijf('a.xml', toewijzing('2027-02-01'));
    w.schrijf('b.xml', toewijzing('2027-02-01', { afzender: '0363' }));
    const r = await w.converteer();
    expect(r.sleutelsAangemaakt).toBe(6);
  });

  it('a 302 echo carries the Sleutel of the Relatie the 301 registered', async () => {
    const w = werkmap();
    w.schrijf('1.xml', toewijzing('2027-02-01'));
    const echo = genereerBericht('iwmo', '302', 11, { dagtekening: '2027-02-01', relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '12345678', echo: true });
    w.schrijf('2.xml', echo);
    const r = await w.converteer();
    expect(r.onbekendeEchos).toBe(0);
    const s301 = [...w.lees('1.xml').matchAll(/<wmo301:Sleutel>([^<]*)</g)].map((m) => m[1]);
    const s302 = [...w.lees('2.xml').matchAll(/<wmo302:Sleutel>([^<]*)</g)].map((m) => m[1]);
    expect(s302.slice(0, 2)).toEqual(s301.slice(0, 2));
  });
});

describe('convert: inputs, outputs and quarantine', () => {
  it('keeps relative paths, and a second run gives byte-identical outputs and no new versions', async () => {
    const w = werkmap();
    w.schrijf('sub/dir/a.xml', toewijzing('2027-02-01'));
    w.schrijf('b.xml', toewijzing('2027-08-01', { clientSeed: 6 }));
    w.schrijf('LEESMIJ.txt', 'geen bericht');
    const r1 = await w.converteer();
    const eerst = Object.fromEntries(['sub/dir/a.xml', 'b.xml', 'LEESMIJ.txt'].map((f) => [f, w.lees(f)]));
    const db = new Bronregistratie(w.db);
    const telling = db.telling();
    db.sluit();
    const r2 = await w.converteer();
    for (const [f, tekst] of Object.entries(eerst)) expect(w.lees(f)).toBe(tekst);
    const db2 = new Bronregistratie(w.db);
    expect(db2.telling()).toEqual(telling);
    db2.sluit();
    expect(r2).toEqual(r1);
    expect(r1.doorgegeven).toBe(1);
  });

  it('quarantines every kind of bad input with its reason, and converts the rest', async () => {
    const w = werkmap();
    const goed = toewijzing('2027-02-01');
    w.schrijf('goed.xml', goed);
    w.schrijf('kapot.xml', goed.replace('</wmo301:Client>', '</wmo301:Klant>'));
    w.schrijf('schema.xml', goed.replace(/<wmo301:Geslacht>\d</, '<wmo301:Geslacht>7<'));
    w.schrijf('dtd.xml', goed.replace('<wmo301:Bericht', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><wmo301:Bericht'));
    w.schrijf('latin1.xml', Buffer.concat([Buffer.from(goed.slice(0, 60)), Buffer.from([0xe9]), Buffer.from(goed.slice(60))]));
    w.schrijf('onbekend.xml', '<?xml version="1.0"?><Factuur xmlns="urn:x"><a/></Factuur>');
    w.schrijf('groot.xml', Buffer.alloc(25 * 1024 * 1024 + 1, 0x20));
    const r = await w.converteer();
    expect(r.omgezet).toBe(1);
    expect(r.quarantaine).toBe(6);
    const q = join(w.uit, 'quarantaine');
    const reden = (f: string) => readFileSync(join(q, `${f}.reden.txt`), 'utf8');
    expect(reden('kapot.xml')).toMatch(/kapot\.xml:\d+:\d+ .*\[BERICHT_ONLEESBAAR\] not well-formed XML/);
    expect(reden('schema.xml')).toMatch(/schema\.xml:\d+:\d+ \/Bericht\/Client\/Geslacht \[BERICHT_ONGELDIG\] value of Geslacht is not in its code list/);
    expect(reden('dtd.xml')).toMatch(/DTD .* not allowed/);
    expect(reden('latin1.xml')).toMatch(/byte 0xE9 at offset 60 is not UTF-8/);
    expect(reden('onbekend.xml')).toMatch(/root element is an element the schema does not know \(name of 7 characters\)/);
    expect(reden('groot.xml')).toMatch(/25 MB \(OP179\)/);
    // never rewritten, never lost: the quarantined bytes are the input's
    expect(readFileSync(join(q, 'schema.xml'), 'utf8')).toBe(readFileSync(join(w.in, 'schema.xml'), 'utf8'));
    expect(existsSync(join(w.uit, 'schema.xml'))).toBe(false);
    expect(readFileSync(join(q, 'groot.xml')).length).toBe(25 * 1024 * 1024 + 1);
    expect(readdirSync(w.uit).sort()).toEqual(['goed.xml', 'quarantaine']);
    expect(r.gequarantaineerd.map((g) => g.bestand.split('/').pop())).toEqual(['dtd.xml', 'groot.xml', 'kapot.xml', 'latin1.xml', 'onbekend.xml', 'schema.xml']);
  });
});

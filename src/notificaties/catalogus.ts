/**
 * The event catalogue as data: per notification type its id, trigger, recipient rule, allowed ID types and
 * subject pattern. Derived from the informatieobject catalogue (each object declares its `notificatie`), so
 * adding an object adds its three events.
 * Checked at start-up (`controleerCatalogus`) and before each send (`controleerNotificatie`).
 */
import { afzenderIsGemeente, BERICHT_TYPES } from '../bericht/catalogus.js';
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import type { InformatieObject } from '../informatieobject/type.js';

export type Soort = 'aangemaakt' | 'gewijzigd' | 'beeindigd';
export const SOORTEN: readonly Soort[] = ['aangemaakt', 'gewijzigd', 'beeindigd'];

/**
 * The message types whose key-only form travels as a message-level notification (issue 14): the 301 of
 * both laws. Its trigger is `{ object: <message type>, soort: 'bericht' }`.
 */
export const BERICHT_NOTIFICATIES: readonly string[] = BERICHT_TYPES.filter((t) => t.nummer === '301').map((t) => t.naam);

/** The participant ID types of iWmo/iJw: a gemeente by its CBS code, an aanbieder by its AGB code. */
export type IdType = 'GEMEENTECODE' | 'AGB';
const ID_PATROON: Record<IdType, RegExp> = { GEMEENTECODE: /^[0-9]{4}$/, AGB: /^[0-9]{8}$/ };

/** The ID type of a participant code, or `undefined` when it is neither. */
export function idType(code: string): IdType | undefined {
  return (Object.keys(ID_PATROON) as IdType[]).find((t) => ID_PATROON[t].test(code));
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

export interface Notificatietype {
  /** the CloudEvents `type`, reverse DNS: `nl.netwerkbrug.relatie.gewijzigd` */
  id: string;
  /** the iWlz `eventType`, `<NIEUWE|GEWIJZIGDE|BEEINDIGDE>_<OBJECT>_<ROL ONTVANGER>` */
  iwlzType: string;
  /** what fires it: a creation, change or end of a record of this informatieobject */
  trigger: { object: string; soort: Soort | 'bericht' };
  /**
   * who receives it: `verstrekking`: every counterpart the record was sent to (bron.verstrekkingen), while it
   * has grounds (doelbinding); subscriptions add recipients, under the same grounds check. `ontvanger`: a
   * key-only message's Ontvanger only, plus its own subscriptions that ask for the type.
   */
  ontvangerRegel: 'verstrekking' | 'ontvanger';
  /** `verplicht`: sent by rule; a subscription may ask for it too */
  verplicht: boolean;
  afzenderIdTypes: readonly IdType[];
  ontvangerIdTypes: readonly IdType[];
  /** `Relatie/{uuid}`: the object type and the Sleutel, never personal data */
  subjectPatroon: RegExp;
  omschrijving: string;
}

const WERKWOORD: Record<Soort, string> = { aangemaakt: 'NIEUWE', gewijzigd: 'GEWIJZIGDE', beeindigd: 'BEEINDIGDE' };
const ROL: Record<IdType, string> = { GEMEENTECODE: 'GEMEENTE', AGB: 'AANBIEDER' };

/**
 * The ID types on each side: the owner sends, the counterpart receives. An object the gemeente owns (the
 * Afzender of a 301) goes to aanbieders (AGB); one an aanbieder owned would go to gemeenten.
 */
function zijden(o: InformatieObject): { afzender: IdType[]; ontvanger: IdType[] } {
  const bron = o.voorkomens.find((v) => v.rol === 'bron');
  const eigenaarIsGemeente = bron !== undefined && afzenderIsGemeente(bron.bericht) === (o.eigenaar === 'Afzender');
  return eigenaarIsGemeente ? { afzender: ['GEMEENTECODE'], ontvanger: ['AGB'] } : { afzender: ['AGB'], ontvanger: ['GEMEENTECODE'] };
}

const UUID4 = UUID;

/** The message-level type of a key-only message: `nl.netwerkbrug.bericht.wmo301`, subject `Bericht/{id}`. */
export function berichtType(naam: string): Notificatietype {
  const t = BERICHT_TYPES.find((b) => b.naam === naam);
  const gemeente = t ? afzenderIsGemeente(t.nummer) : true;
  const afzender: IdType[] = gemeente ? ['GEMEENTECODE'] : ['AGB'];
  const ontvanger: IdType[] = gemeente ? ['AGB'] : ['GEMEENTECODE'];
  return {
    id: `nl.netwerkbrug.bericht.${naam.toLowerCase()}`,
    iwlzType: `NIEUW_BERICHT_${naam.toUpperCase()}_${ROL[ontvanger[0]!]}`,
    trigger: { object: naam, soort: 'bericht' },
    ontvangerRegel: 'ontvanger',
    verplicht: true,
    afzenderIdTypes: afzender,
    ontvangerIdTypes: ontvanger,
    subjectPatroon: new RegExp(`^Bericht/${UUID4}$`),
    omschrijving: `a key-only ${naam} message was handed in; it is kept for its Ontvanger`,
  };
}

/** The catalogue of `objecten` (default: every known informatieobject), and the message-level types. */
export function bouwCatalogus(objecten: readonly InformatieObject[] = INFORMATIEOBJECTEN): Notificatietype[] {
  return [...bouwRecordtypen(objecten), ...BERICHT_NOTIFICATIES.map(berichtType)];
}

function bouwRecordtypen(objecten: readonly InformatieObject[]): Notificatietype[] {
  return objecten.flatMap((o) => {
    const { afzender, ontvanger } = zijden(o);
    return SOORTEN.map((soort) => ({
      id: `${o.notificatie.type}.${soort}`,
      iwlzType: `${WERKWOORD[soort]}_${o.notificatie.eventType}_${ROL[ontvanger[0]!]}`,
      trigger: { object: o.naam, soort },
      ontvangerRegel: 'verstrekking' as const,
      verplicht: true,
      afzenderIdTypes: afzender,
      ontvangerIdTypes: ontvanger,
      subjectPatroon: new RegExp(`^${o.type}/${UUID}$`),
      omschrijving: `a ${o.type} record in the bronregistratie was ${soort}`,
    }));
  });
}

let gebouwd: { objecten: readonly InformatieObject[]; catalogus: readonly Notificatietype[] } | undefined;

/** The catalogue of the known informatieobjecten, built once per set of objects (a test may register one more). */
export function catalogus(): readonly Notificatietype[] {
  if (!gebouwd || gebouwd.objecten.length !== INFORMATIEOBJECTEN.length || gebouwd.objecten.some((o, i) => o !== INFORMATIEOBJECTEN[i])) {
    gebouwd = { objecten: [...INFORMATIEOBJECTEN], catalogus: bouwCatalogus() };
  }
  return gebouwd.catalogus;
}

export function notificatietype(id: string): Notificatietype | undefined {
  return catalogus().find((t) => t.id === id);
}

/** The type a trigger fires (`soort` `bericht`: `object` is the message type). */
export function typeVoor(object: string, soort: Soort | 'bericht', lijst: readonly Notificatietype[] = catalogus()): Notificatietype | undefined {
  return lijst.find((t) => t.trigger.object === object && t.trigger.soort === soort);
}

/** Start-up check: every problem with the catalogue, empty when it is sound. */
export function controleerCatalogus(lijst: readonly Notificatietype[] = catalogus(), objecten: readonly InformatieObject[] = INFORMATIEOBJECTEN): string[] {
  const fouten: string[] = [];
  const gezien = new Set<string>();
  for (const t of lijst) {
    if (gezien.has(t.id) || gezien.has(t.iwlzType)) fouten.push(`${t.id}: type or eventType occurs twice`);
    gezien.add(t.id).add(t.iwlzType);
    // NL GOV profile: reverse DNS, lower case; CloudEvents: at most the characters of a type
    if (!/^nl(\.[a-z0-9][a-z0-9-]*)+$/.test(t.id)) fouten.push(`${t.id}: type is not reverse DNS in lower case`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(t.iwlzType)) fouten.push(`${t.id}: eventType ${t.iwlzType} is not UPPER_SNAKE`);
    if (t.trigger.soort === 'bericht') {
      if (!BERICHT_TYPES.some((b) => b.naam === t.trigger.object)) fouten.push(`${t.id}: trigger names unknown message type ${t.trigger.object}`);
      else if (!t.subjectPatroon.test('Bericht/00000000-0000-4000-8000-000000000000')) fouten.push(`${t.id}: subject pattern does not match Bericht/{uuid}`);
      if (!t.afzenderIdTypes.length || !t.ontvangerIdTypes.length) fouten.push(`${t.id}: no allowed ID types`);
      continue;
    }
    const object = objecten.find((o) => o.naam === t.trigger.object);
    if (!object) fouten.push(`${t.id}: trigger names unknown informatieobject ${t.trigger.object}`);
    else if (!t.subjectPatroon.test(`${object.type}/00000000-0000-4000-8000-000000000000`)) fouten.push(`${t.id}: subject pattern does not match ${object.type}/{uuid}`);
    if (!t.afzenderIdTypes.length || !t.ontvangerIdTypes.length) fouten.push(`${t.id}: no allowed ID types`);
  }
  for (const o of objecten) for (const s of SOORTEN) if (!typeVoor(o.naam, s, lijst)) fouten.push(`${o.naam}: no notification type for ${s}`);
  return fouten;
}

/** Send-time check of one notification against its type; the reason it may not be sent, or `undefined`. */
export function controleerNotificatie(n: { type: string; afzender: string; ontvanger: string; subject: string }, lijst: readonly Notificatietype[] = catalogus()): string | undefined {
  const t = lijst.find((x) => x.id === n.type);
  if (!t) return `type ${n.type} is not in the catalogue`;
  const a = idType(n.afzender);
  if (!a || !t.afzenderIdTypes.includes(a)) return `sender ID type ${a ?? 'unknown'} is not allowed for ${t.id}`;
  const o = idType(n.ontvanger);
  if (!o || !t.ontvangerIdTypes.includes(o)) return `recipient ID type ${o ?? 'unknown'} is not allowed for ${t.id}`;
  if (!t.subjectPatroon.test(n.subject)) return `subject does not match the pattern of ${t.id}`;
  return undefined;
}

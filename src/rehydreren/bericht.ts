/**
 * Rehydrates one validated message for legacy software that expects the full 3.2 message: every Sleutel is
 * resolved at its owner's bronregistratie and the object's data put back where it belongs; the message
 * namespace becomes the plain 3.2 namespace again. In the naast phase the data travelled with the Sleutel:
 * the Sleutel is taken out and the data compared with the bronregistratie, field by field (the report tells a
 * gemeente whether its bronregistratie can be trusted before the einddatum). A message that still carries an
 * object's data after that object's einddatum is refused (strict) or passed and counted (lenient).
 * All or nothing: a Sleutel that cannot be resolved refuses the whole message.
 */
import { bouwBoom, inspringing, kind, tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import { sleutelNamespace, WET_VAN } from '../bericht/catalogus.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { Schematypen } from '../bericht/schematypen.js';
import { NetwerkbrugFout } from '../fout.js';
import { pasToe, vervangNamespace } from '../herschrijven/sleutelen.js';
import { objectenIn } from '../informatieobject/catalogus.js';
import type { InformatieObject } from '../informatieobject/type.js';
import { leesVelden } from '../informatieobject/velden.js';
import type { Config } from '../config/typen.js';
import { fase, type Fase } from '../plan/fase.js';
import { bouwElementen, type Opmaak } from './elementen.js';
import { AndereWetFout, type SleutelOplosser } from './oplosser.js';
import { vergelijk, type Verschil } from './verschillen.js';

export interface RehydratieObject {
  object: string;
  fase: Fase;
  /** what the message carried: the Sleutel only, data and Sleutel, or data only (a plain message) */
  vorm: 'sleutel' | 'naast' | 'data';
  sleutel?: string;
  /** naast: the Sleutel could not be resolved for the comparison (the data travelled, so the message is whole) */
  onopgelost?: boolean;
  /** naast: fields where the message and the bronregistratie differ (names only, never values) */
  verschillen: Verschil[];
  /** the object still carried its data after its einddatum (passed: lenient) */
  naEinddatum?: boolean;
}

export interface RehydratieUitkomst {
  tekst: string;
  gewijzigd: boolean;
  objecten: RehydratieObject[];
}

export interface RehydratieOpties {
  config: Config;
  register: SchemaRegister;
  oplosser: SleutelOplosser;
  /** names the input in errors */
  bestand: string;
}

type Splits = { begin: number; einde: number; door: string };

/** Whether the object element carries data beyond what identifies it. */
const heeftData = (knoop: Knoop, object: InformatieObject) =>
  knoop.kinderen.some((c) => object.velden.includes(c.lokaal) && !object.behoud.includes(c.lokaal));

/** Removes a child with the whitespace before it. */
const weg = (tekst: string, k: Knoop): Splits => ({ begin: k.start.begin - inspringing(tekst, k).length, einde: k.eind.einde, door: '' });

const regelVan = (tekst: string, offset: number) => {
  let regel = 1;
  for (let i = tekst.indexOf('\n'); i !== -1 && i < offset; i = tekst.indexOf('\n', i + 1)) regel++;
  return regel;
};

/** The prefix (with colon) bound to `namespace` where `k` is, or undefined. */
function prefixVoor(k: Knoop | undefined, namespace: string): string | undefined {
  for (let x = k; x; x = x.ouder) {
    for (const m of x.start.attributen.matchAll(/xmlns(?::([^\s=]+))?\s*=\s*(["'])([^"']*)\2/g)) if (m[3] === namespace) return m[1] ? `${m[1]}:` : '';
  }
  return undefined;
}

function opmaakVoor(tekst: string, knoop: Knoop, basisNamespace: string): Opmaak {
  const ws = knoop.kinderen[0] ? inspringing(tekst, knoop.kinderen[0]) : '';
  const eigen = inspringing(tekst, knoop);
  const regel = (s: string) => s.slice(s.lastIndexOf('\n') + 1);
  const eenheid = regel(ws).startsWith(regel(eigen)) ? regel(ws).slice(regel(eigen).length) : '\t';
  const basis = prefixVoor(knoop, basisNamespace);
  return {
    inspringing: ws,
    eenheid,
    bericht: knoop.prefix ? `${knoop.prefix}:` : '',
    basis: basis ?? 'b:',
    ...(basis === undefined ? { basisDeclaratie: ` xmlns:b="${basisNamespace}"` } : {}),
  };
}

export async function rehydreerBericht(tekst: string, herkend: HerkendBericht, kop: BerichtKop, opties: RehydratieOpties): Promise<RehydratieUitkomst> {
  const { config, register, oplosser, bestand } = opties;
  const voorkomens = objectenIn(herkend.type.nummer);
  const gesleuteld = herkend.schema.variant === 'sleutel';
  if (!voorkomens.length) return { tekst, gewijzigd: false, objecten: [] };
  const plain = register.zoek(herkend.type.namespace);
  if (!plain) throw new NetwerkbrugFout('SCHEMA_ONTBREEKT', `no plain 3.2 schema for namespace ${herkend.type.namespace}`, { bestand });
  const typen = Schematypen.van(plain.pad);
  const root = bouwBoom(tekst);
  const veld = (k: 'Afzender' | 'Ontvanger') => (k === 'Afzender' ? kop.afzender : kop.ontvanger) ?? '';
  const dagtekening = kop.dagtekening ?? '';
  const objecten: RehydratieObject[] = [];
  const splitsen: Splits[] = [];

  for (const { object, voorkomen } of voorkomens) {
    const eigenaar = veld(object.eigenaar);
    const f = fase(config, object.naam, veld(object.tegenpartij), dagtekening);
    for (const knoop of zoekPad(root, voorkomen.pad)) {
      // the line is counted only for an error, not for every object of every message
      const plaats = () => ({ bestand, regel: regelVan(tekst, knoop.start.begin), pad: `/Bericht/${voorkomen.pad.join('/')}` });
      const sleutelKnoop = kind(knoop, 'Sleutel');
      const data = heeftData(knoop, object);
      const uitkomst: RehydratieObject = { object: object.naam, fase: f, vorm: sleutelKnoop ? (data ? 'naast' : 'sleutel') : 'data', verschillen: [] };
      objecten.push(uitkomst);
      // a 302's nested RetourCodes keep an echo's data beside its Sleutel (see omzetten/bericht.ts): no breach
      if (data && f === 'na' && voorkomen.rol === 'bron') {
        if (config.toegang.einddatumHandhaving === 'strict') {
          throw new NetwerkbrugFout('EINDDATUM_OVERSCHREDEN', `${object.type} still carries its data on ${dagtekening}, after its einddatum for ${veld(object.tegenpartij)}; only its Sleutel may travel (toegang.einddatumHandhaving: strict)`, plaats());
        }
        uitkomst.naEinddatum = true;
      }
      if (!sleutelKnoop) continue;
      const sleutel = tekstVan(tekst, sleutelKnoop).trim();
      uitkomst.sleutel = sleutel;
      const wet = WET_VAN[herkend.type.standaard];
      let record;
      try {
        record = await oplosser.los({ wet, object: object.naam, eigenaar, sleutel, peildatum: dagtekening, berichtIdentificatie: kop.identificatie ?? '' });
      } catch (e) {
        // never resolved across laws: the place is named, not the data
        if (e instanceof AndereWetFout) {
          throw new NetwerkbrugFout('SLEUTEL_ONOPGELOST', `the Sleutel of ${object.naam} names a record of another law: a ${herkend.type.naam} message (${wet}) resolves only records of its own law`, plaats());
        }
        throw e;
      }
      splitsen.push(weg(tekst, sleutelKnoop));
      if (data) {
        if (record) uitkomst.verschillen = vergelijk(leesVelden(tekst, knoop, object.velden), record.inhoud, object.bericht);
        else uitkomst.onopgelost = true;
        continue;
      }
      if (!record) {
        throw new NetwerkbrugFout('SLEUTEL_ONOPGELOST', `Sleutel ${sleutel} of ${object.naam} cannot be resolved at the bronregistratie of ${eigenaar}: unknown, refused or unreachable`, plaats());
      }
      // the identifying children are rebuilt with the rest, in schema order, where the first child was
      const blijvend = knoop.kinderen.filter((c) => object.behoud.includes(c.lokaal));
      for (const c of blijvend) splitsen.push(weg(tekst, c));
      const eerste = knoop.kinderen[0]!;
      const opmaak = opmaakVoor(tekst, knoop, herkend.type.basisNamespace);
      const begin = eerste.start.begin - inspringing(tekst, eerste).length;
      splitsen.push({ begin, einde: begin, door: bouwElementen(record.inhoud, typen.typeVanPad(voorkomen.pad), typen, opmaak) });
    }
  }
  if (gesleuteld) splitsen.push(...vervangNamespace(root, sleutelNamespace(herkend.type), herkend.type.namespace));
  const nieuw = splitsen.length ? pasToe(tekst, splitsen) : tekst;
  return { tekst: nieuw, gewijzigd: nieuw !== tekst, objecten };
}

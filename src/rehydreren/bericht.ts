/**
 * Rehydrates one validated message for legacy software that expects the full 3.2 message: every Sleutel is
 * resolved at its owner's bronregistratie and the object's data put back where it belongs; the message
 * namespace becomes the plain 3.2 namespace again. In the naast phase the data travelled with the Sleutel:
 * the Sleutel is taken out and the data compared with the bronregistratie, field by field (the report tells a
 * gemeente whether its bronregistratie can be trusted before the einddatum). A message that still carries an
 * object's data after that object's einddatum is refused (strict) or passed and counted (lenient).
 * All or nothing: a Sleutel that cannot be resolved refuses the whole message.
 */
import { bouwBoom, kind, tekstVan, zoekPad } from '../bericht/boom.js';
import { sleutelNamespace, WET_VAN } from '../bericht/catalogus.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { regelEnKolom } from '../bericht/scanner.js';
import { Schematypen } from '../bericht/schematypen.js';
import { NetwerkbrugFout } from '../fout.js';
import { dataTerug, heeftData, sleutelWeg } from '../herschrijven/aanvullen.js';
import { pasToe, vervangNamespace, type Splits } from '../herschrijven/splitsen.js';
import { objectenIn } from '../informatieobject/catalogus.js';
import { leesVelden } from '../informatieobject/velden.js';
import type { Config } from '../config/typen.js';
import { fase, type Fase } from '../plan/fase.js';
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
      const plaats = () => ({ bestand, regel: regelEnKolom(tekst, knoop.start.begin).regel, pad: `/Bericht/${voorkomen.pad.join('/')}` });
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
      splitsen.push(sleutelWeg(tekst, sleutelKnoop));
      if (data) {
        if (record) uitkomst.verschillen = vergelijk(leesVelden(tekst, knoop, object.velden), record.inhoud, object.bericht);
        else uitkomst.onopgelost = true;
        continue;
      }
      if (!record) {
        throw new NetwerkbrugFout('SLEUTEL_ONOPGELOST', `Sleutel ${sleutel} of ${object.naam} cannot be resolved at the bronregistratie of ${eigenaar}: unknown, refused or unreachable`, plaats());
      }
      splitsen.push(...dataTerug(tekst, knoop, object, record.inhoud, typen.typeVanPad(voorkomen.pad), typen, herkend.type.basisNamespace));
    }
  }
  if (gesleuteld) splitsen.push(...vervangNamespace(root, sleutelNamespace(herkend.type), herkend.type.namespace));
  const nieuw = splitsen.length ? pasToe(tekst, splitsen) : tekst;
  return { tekst: nieuw, gewijzigd: nieuw !== tekst, objecten };
}

/**
 * Converts one validated message: finds its informatieobjecten, decides each one's phase from the plan and
 * the message's Dagtekening, registers (bron) or looks up (echo) each in the bronregistratie, and rewrites
 * the message. Call inside a bronregistratie transaction.
 */
import { bouwBoom, tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import { sleutelNamespace, type BerichtNummer } from '../bericht/catalogus.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { objectenIn } from '../informatieobject/catalogus.js';
import { leesVelden } from '../informatieobject/velden.js';
import type { Config } from '../plan/config.js';
import { fase, type Fase } from '../plan/fase.js';
import { sleutelBericht, type Objectbewerking } from '../herschrijven/sleutelen.js';
import { toewijzingEinde } from '../toegang/grond.js';

/**
 * Messages that are a full snapshot of a client's objects at one counterpart (a 301 carries all current
 * toewijzingen of the client at the aanbieder), with the path of what identifies the client: an object that a
 * later snapshot no longer carries has ended for that counterpart.
 */
const MOMENTOPNAME: Partial<Record<BerichtNummer, readonly string[]>> = { '301': ['Client', 'Bsn'] };

export interface ObjectUitkomst {
  object: string;
  fase: Fase;
  rol: 'bron' | 'echo';
  sleutel?: string;
  versie?: number;
  nieuweSleutel: boolean;
  nieuweVersie: boolean;
  /** an echo whose object is not in the bronregistratie: left as it was */
  onbekend?: boolean;
}

export interface BerichtUitkomst {
  tekst: string;
  gewijzigd: boolean;
  objecten: ObjectUitkomst[];
  /** every informatieobject of the message travels as a key only: the message is in effect a notification */
  alleenSleutels: boolean;
}

/** Whether a child of the object (not the object itself) holds one of the message's own elements at any depth. */
function draagtBerichtelementen(knoop: Knoop, bericht: readonly string[]): boolean {
  const binnen = (k: Knoop): boolean => k.kinderen.some((c) => bericht.includes(c.lokaal) || binnen(c));
  return bericht.length > 0 && knoop.kinderen.some((c) => !bericht.includes(c.lokaal) && binnen(c));
}

/**
 * `registreer: false` rebuilds the output of a message whose registration is already done (a resumed run):
 * its objects' Sleutels are looked up, nothing is registered, so a later message's version stays the latest.
 */
export function zetBerichtOm(tekst: string, herkend: HerkendBericht, kop: BerichtKop, config: Config, bron: Bronregistratie, registreer = true): BerichtUitkomst {
  const voorkomens = objectenIn(herkend.type.nummer);
  // an already keyed message is passed on as it is: its objects may carry no data to register
  if (!voorkomens.length || herkend.schema.variant === 'sleutel') return { tekst, gewijzigd: false, objecten: [], alleenSleutels: false };
  const root = bouwBoom(tekst);
  const objecten: ObjectUitkomst[] = [];
  const bewerkingen: Objectbewerking[] = [];
  const veld = (k: 'Afzender' | 'Ontvanger') => (k === 'Afzender' ? kop.afzender : kop.ontvanger) ?? '';
  const dagtekening = kop.dagtekening ?? '';
  const einde = toewijzingEinde(tekst, root);
  const groepPad = MOMENTOPNAME[herkend.type.nummer];
  const groepKnoop = groepPad && zoekPad(root, groepPad)[0];
  const groep = groepKnoop ? [tekstVan(tekst, groepKnoop)] : undefined;
  for (const { object, voorkomen } of voorkomens) {
    const eigenaar = veld(object.eigenaar);
    const tegenpartij = veld(object.tegenpartij);
    const gepland = fase(config, object.naam, tegenpartij, dagtekening);
    for (const knoop of zoekPad(root, voorkomen.pad)) {
      // data that carries the message's own elements (a 302's RetourCodes inside Relatie/Contact) cannot leave
      // without losing them: such an object keeps its data beside its Sleutel
      const f = gepland === 'na' && draagtBerichtelementen(knoop, object.bericht) ? 'naast' : gepland;
      const uitkomst: ObjectUitkomst = { object: object.naam, fase: f, rol: voorkomen.rol, nieuweSleutel: false, nieuweVersie: false };
      objecten.push(uitkomst);
      if (f === 'inactief') continue;
      const identiteit = object.identiteit({ tekst, root, kop, knoop });
      if (voorkomen.rol === 'bron' && registreer) {
        const r = bron.registreer({
          object: object.naam,
          eigenaar,
          identiteit,
          inhoud: leesVelden(tekst, knoop, object.velden),
          dagtekening,
          berichtIdentificatie: kop.identificatie ?? '',
          tegenpartij,
          toewijzingEinde: einde,
          ...(groep ? { groep } : {}),
        });
        Object.assign(uitkomst, { sleutel: r.sleutel, versie: r.versie, nieuweSleutel: r.nieuweSleutel, nieuweVersie: r.nieuweVersie });
      } else {
        const sleutel = bron.zoekSleutel(object.naam, eigenaar, identiteit);
        if (sleutel) uitkomst.sleutel = sleutel;
        else uitkomst.onbekend = true;
      }
      if (uitkomst.sleutel && (f === 'naast' || f === 'na')) bewerkingen.push({ object, knoop, fase: f, sleutel: uitkomst.sleutel });
    }
    if (groep && voorkomen.rol === 'bron' && registreer && gepland !== 'inactief') {
      const aanwezig = objecten.filter((o) => o.object === object.naam && o.sleutel).map((o) => o.sleutel!);
      bron.beeindigOntbrekende({ object: object.naam, eigenaar, groep, tegenpartij, dagtekening, berichtIdentificatie: kop.identificatie ?? '', aanwezig });
    }
  }
  const nieuw = sleutelBericht(tekst, root, bewerkingen, { van: herkend.type.namespace, naar: sleutelNamespace(herkend.type) });
  const alleenSleutels = objecten.length > 0 && bewerkingen.length === objecten.length && bewerkingen.every((b) => b.fase === 'na');
  return { tekst: nieuw, gewijzigd: nieuw !== tekst, objecten, alleenSleutels };
}

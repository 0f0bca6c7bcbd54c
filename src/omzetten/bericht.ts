/**
 * Converts one validated message in two steps. `planBericht` needs no bronregistratie and so runs in any
 * thread: it finds the message's informatieobjecten, decides each one's phase from the plan and the
 * Dagtekening, reads what the bronregistratie needs (identity, fields) and rewrites the message with a
 * placeholder Sleutel per keyed object (any UUID v4 is as valid as another, so the rewritten text can be
 * validated before a single Sleutel exists). `voerUit` then registers (bron) or looks up (echo) each object,
 * in order, and puts the real Sleutels in. Call `voerUit` inside a bronregistratie transaction.
 */
import { bouwBoom, tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import { sleutelNamespace, WET_VAN, type Wet } from '../bericht/catalogus.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { informatieobject, objectenIn } from '../informatieobject/catalogus.js';
import { grondEinde } from '../informatieobject/grondeinde.js';
import type { InformatieObject } from '../informatieobject/type.js';
import { leesVelden } from '../informatieobject/velden.js';
import type { Config } from '../config/typen.js';
import { fase, type Fase } from '../plan/fase.js';
import { sleutelBericht, type Objectbewerking } from '../herschrijven/sleutelen.js';

/** The placeholder Sleutel of the n-th keyed object: a UUID v4 no random Sleutel is (its random bits are zero). */
const PLAATSHOUDER = '00000000-0000-4000-8000-';
const plaatshouder = (n: number) => `${PLAATSHOUDER}${String(n).padStart(12, '0')}`;
/** Every placeholder (its number in the group) in a text: a real Sleutel never matches (see planBericht's `naRegistratie`). */
const PLAATSHOUDERS = /00000000-0000-4000-8000-(\d{12})/g;
/** A placeholder's length, and every Sleutel's (a UUID). */
const SLEUTEL_LENGTE = 36;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Turns the plan's `sjabloon` into the bytes to deliver (`uitvoer`), in a buffer of its own, so the worker can
 * hand it over without a copy. Returns those bytes; undefined (nothing done) when there is no sjabloon.
 */
export function sjabloonAlsBytes(plan: BerichtPlan, bom: boolean): Buffer | undefined {
  const tekst = plan.sjabloon;
  if (tekst === undefined) return undefined;
  const begin = bom ? BOM.length : 0;
  // not from Buffer's shared pool: that memory cannot be transferred
  const bytes = Buffer.allocUnsafeSlow(begin + Buffer.byteLength(tekst));
  if (bom) BOM.copy(bytes);
  bytes.write(tekst, begin);
  const plaatsen: number[] = [];
  for (let p = bytes.indexOf(PLAATSHOUDER, begin); p >= 0; p = bytes.indexOf(PLAATSHOUDER, p + SLEUTEL_LENGTE)) {
    plaatsen[Number(bytes.toString('latin1', p + PLAATSHOUDER.length, p + SLEUTEL_LENGTE))] = p;
  }
  plan.uitvoer = { bytes, plaatsen };
  delete plan.sjabloon;
  return bytes;
}

/** One object occurrence, in document order, or the end of a snapshot for one object. */
export type Planstap =
  | {
      soort: 'object';
      object: string;
      rol: 'bron' | 'echo';
      fase: Fase;
      eigenaar: string;
      tegenpartij: string;
      /** absent in the inactief phase: nothing is read */
      identiteit?: string[];
      /**
       * the keyed hash of that identity, when a run's worker made it with the store's secret (runs/taak.ts): the
       * serial step then need not (bronregistratie/identiteit.ts)
       */
      identiteitHash?: string;
      /** the fields to register (bron only) */
      inhoud?: unknown;
      /**
       * instead of `inhoud`, when a run's worker made them (runs/taak.ts): its text (`inhoudTekst`) and that
       * text's SHA-256, so the serial step neither serialises nor hashes it, and less crosses between threads
       */
      inhoudTekst?: string;
      inhoudHash?: string;
      /** the end of the counterpart's grounds this message gives, as the object declares it (bron only; `null`: open-ended) */
      grondEinde?: string | null;
      /** the snapshot group the object came in, when its occurrence is a snapshot (bron only) */
      groep?: string[];
      /** the keyed hashes of that group and of the client (the person index), made by a run's worker (runs/taak.ts) */
      groepHash?: string;
      persoonHash?: string;
      /** the object carries a Sleutel in the output (naast or na) */
      gesleuteld: boolean;
      /** the object it names, to look up in its counterpart's records (bron only; see `Verwijzing`) */
      verwijzing?: { object: string; eigenaar: string; identiteit: string[]; identiteitHash?: string; melding: string; plaats: string };
    }
  | { soort: 'einde'; object: string; eigenaar: string; tegenpartij: string; groep: string[]; groepHash?: string };

export interface BerichtPlan {
  /** the law of the message (its standard): every record it registers or looks up belongs to it */
  wet: Wet;
  dagtekening: string;
  berichtIdentificatie: string;
  stappen: Planstap[];
  /** the rewritten text, placeholder Sleutels in it; absent when the message stays as it is */
  sjabloon?: string;
  /**
   * instead of `sjabloon`, when a run's worker made them (`sjabloonAlsBytes`): that text as the bytes to deliver
   * (UTF-8, the input's byte order mark kept) and the byte offset of each placeholder, so the serial step only
   * writes the Sleutels over the placeholders (a text and its copies per Sleutel were the main thread's largest garbage)
   */
  uitvoer?: { bytes: Uint8Array; plaatsen: number[] };
  /** the text holds a placeholder of its own: it is rewritten after registration instead */
  naRegistratie?: boolean;
  /**
   * Every object of the message is in the na phase and, once keyed, the message holds nothing but its header,
   * what names its snapshot group (the client's Bsn) and per object what identifies it plus its Sleutel
   * (`alleenSleutels`). Decided on the input, before a Sleutel exists.
   */
  alleenSleutels?: boolean;
}

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
  /** the object it names was not found (registered all the same): what and where, never a value */
  waarschuwing?: { melding: string; plaats: string };
}

export interface BerichtUitkomst {
  /** the rewritten text; absent when the message stays as it is (or comes as `bytes`) */
  tekst?: string;
  /** the rewritten message as the bytes to deliver, when the plan came with them (`BerichtPlan.uitvoer`) */
  bytes?: Buffer;
  gewijzigd: boolean;
  objecten: ObjectUitkomst[];
  /**
   * key-only: the message holds its header, the client's Bsn and per object only what identifies it plus its
   * Sleutel: in effect an informatie-arme notificatie (`BerichtPlan.alleenSleutels`, and every Sleutel found)
   */
  alleenSleutels: boolean;
  /** the text was rewritten here, after the plan, so it has not been validated yet */
  nietGevalideerd?: boolean;
}

/** What the conversion needs of the bronregistratie: registering an object, looking one up, ending a snapshot's missing ones. */
export type Sleutelregistratie = Pick<Bronregistratie, 'registreer' | 'zoekSleutel' | 'beeindigOntbrekende' | 'bedient'>;

/**
 * Whether a field of the object (not the object itself) holds one of the message's own elements at any depth.
 * Only fields count: a child that is no field (another object nested in this one, such as the Relaties in a
 * Client) stays in the message in every phase, with whatever it holds.
 */
function draagtBerichtelementen(knoop: Knoop, object: InformatieObject): boolean {
  const { bericht, velden } = object;
  const binnen = (k: Knoop): boolean => k.kinderen.some((c) => bericht.includes(c.lokaal) || binnen(c));
  return bericht.length > 0 && knoop.kinderen.some((c) => velden.includes(c.lokaal) && binnen(c));
}

/**
 * Whether the message, once its na objects are keyed, holds only its header, the elements in `blijft` (what
 * identifies an object or names the snapshot group) and Sleutels: every leaf of its body is in `weg` (data
 * an object takes out) or in `blijft`. Anything else (an object not declared, not active or not yet in na, a
 * RetourCode) keeps the message from being key-only.
 */
function alleenSleutelsOver(root: Knoop, weg: ReadonlySet<Knoop>, blijft: ReadonlySet<Knoop>): boolean {
  const gedekt = (k: Knoop): boolean => weg.has(k) || blijft.has(k) || (k.kinderen.length > 0 && k.kinderen.every(gedekt));
  return root.kinderen.filter((c) => c.lokaal !== 'Header').every(gedekt);
}

/**
 * Plans a message's conversion. With `sleutels` (the n-th keyed object's Sleutel, or undefined to leave that
 * object as it is) the text is rewritten with those instead of placeholders.
 */
export function planBericht(tekst: string, herkend: HerkendBericht, kop: BerichtKop, config: Config, sleutels?: (n: number) => string | undefined): BerichtPlan {
  const plan: BerichtPlan = { wet: WET_VAN[herkend.type.standaard], dagtekening: kop.dagtekening ?? '', berichtIdentificatie: kop.identificatie ?? '', stappen: [] };
  const voorkomens = objectenIn(herkend.type.nummer);
  // an already keyed message is passed on as it is: its objects may carry no data to register
  if (!voorkomens.length || herkend.schema.variant === 'sleutel') return plan;
  const root = bouwBoom(tekst);
  const bewerkingen: Objectbewerking[] = [];
  const veld = (k: 'Afzender' | 'Ontvanger') => (k === 'Afzender' ? kop.afzender : kop.ontvanger) ?? '';
  let n = 0;
  // for the key-only verdict: what the na objects take out and what stays to identify them
  let alleenNa = true;
  const weg = new Set<Knoop>();
  const blijft = new Set<Knoop>();
  for (const { object, voorkomen } of voorkomens) {
    const eigenaar = veld(object.eigenaar);
    const tegenpartij = veld(object.tegenpartij);
    const gepland = fase(config, object.naam, tegenpartij, plan.dagtekening);
    // a snapshot occurrence names its group (the client); a message without it ends nothing
    const groepKnoop = voorkomen.rol === 'bron' && voorkomen.momentopname ? zoekPad(root, voorkomen.momentopname)[0] : undefined;
    const groep = groepKnoop && [tekstVan(tekst, groepKnoop)];
    if (groepKnoop) blijft.add(groepKnoop);
    // a reference is checked only where it can be answered: the object named is declared and planned for this owner
    const verwijzing = voorkomen.rol === 'bron' && voorkomen.verwijstNaar;
    const verwezen = verwijzing && informatieobject(verwijzing.object) && fase(config, verwijzing.object, eigenaar, plan.dagtekening) !== 'inactief' ? verwijzing : undefined;
    for (const [i, knoop] of zoekPad(root, voorkomen.pad).entries()) {
      // data that carries the message's own elements (a 302's RetourCodes inside Relatie/Contact) cannot leave
      // without losing them: such an object keeps its data beside its Sleutel
      const f = gepland === 'na' && draagtBerichtelementen(knoop, object) ? 'naast' : gepland;
      const stap: Planstap = { soort: 'object', object: object.naam, rol: voorkomen.rol, fase: f, eigenaar, tegenpartij, gesleuteld: f === 'naast' || f === 'na' };
      plan.stappen.push(stap);
      if (f !== 'na') alleenNa = false;
      else if (alleenNa) {
        // any other child (a RetourCode, the Bsn, another object's block) is judged by what is inside it
        for (const c of knoop.kinderen) {
          if (object.behoud.includes(c.lokaal)) blijft.add(c);
          else if (object.velden.includes(c.lokaal)) weg.add(c);
        }
      }
      if (f === 'inactief') continue;
      stap.identiteit = object.identiteit({ tekst, root, kop, knoop });
      if (voorkomen.rol === 'bron') {
        stap.inhoud = leesVelden(tekst, knoop, object.velden);
        stap.grondEinde = grondEinde(object, { tekst, root, kop, knoop });
        if (groep) stap.groep = groep;
        const identiteit = verwezen?.identiteit({ tekst, root, kop, knoop });
        if (verwezen && identiteit) {
          stap.verwijzing = { object: verwezen.object, eigenaar: tegenpartij, identiteit, melding: verwezen.melding, plaats: `/Bericht/${voorkomen.pad.join('/')}[${i + 1}]` };
        }
      }
      if (!stap.gesleuteld) continue;
      const sleutel = sleutels ? sleutels(n) : plaatshouder(n);
      n++;
      if (sleutel) bewerkingen.push({ object, knoop, fase: f as 'naast' | 'na', sleutel });
    }
    if (groep && gepland !== 'inactief') plan.stappen.push({ soort: 'einde', object: object.naam, eigenaar, tegenpartij, groep });
  }
  if (alleenNa && plan.stappen.length && alleenSleutelsOver(root, weg, blijft)) plan.alleenSleutels = true;
  if (bewerkingen.length && !sleutels && tekst.includes(PLAATSHOUDER)) plan.naRegistratie = true;
  else if (bewerkingen.length) plan.sjabloon = sleutelBericht(tekst, root, bewerkingen, { van: herkend.type.namespace, naar: sleutelNamespace(herkend.type) });
  return plan;
}

/**
 * Registers or looks up the plan's objects in order and gives the converted text. `registreer: false`
 * rebuilds the output of a message whose registration is already done (a resumed run): Sleutels are looked
 * up, nothing is registered, so a later message's version stays the latest. `herschrijf` rewrites the
 * message with the Sleutels found (undefined: nothing to rewrite), for when an object has none (an echo of an
 * unknown object).
 */
export function voerUit(
  plan: BerichtPlan,
  bronregistratie: Sleutelregistratie,
  registreer: boolean,
  herschrijf: (sleutels: (n: number) => string | undefined) => string | undefined,
): BerichtUitkomst {
  const objecten: ObjectUitkomst[] = [];
  const sleutels: Array<string | undefined> = [];
  for (const stap of plan.stappen) {
    if (stap.soort === 'einde') {
      if (!registreer) continue;
      const aanwezig = objecten.filter((o) => o.object === stap.object && o.sleutel).map((o) => o.sleutel!);
      const { object, eigenaar, tegenpartij, groep, groepHash } = stap;
      bronregistratie.beeindigOntbrekende({
        wet: plan.wet, object, eigenaar, tegenpartij, groep, dagtekening: plan.dagtekening, berichtIdentificatie: plan.berichtIdentificatie, aanwezig,
        ...(groepHash ? { groepHash } : {}),
      });
      continue;
    }
    const uitkomst: ObjectUitkomst = { object: stap.object, fase: stap.fase, rol: stap.rol, nieuweSleutel: false, nieuweVersie: false };
    objecten.push(uitkomst);
    if (!stap.identiteit) continue;
    if (stap.rol === 'bron' && registreer) {
      const r = bronregistratie.registreer({
        wet: plan.wet,
        object: stap.object,
        eigenaar: stap.eigenaar,
        identiteit: stap.identiteit,
        inhoud: stap.inhoud,
        ...(stap.inhoudTekst !== undefined && stap.inhoudHash ? { inhoudTekst: stap.inhoudTekst, inhoudHash: stap.inhoudHash } : {}),
        dagtekening: plan.dagtekening,
        berichtIdentificatie: plan.berichtIdentificatie,
        tegenpartij: stap.tegenpartij,
        toewijzingEinde: stap.grondEinde ?? null,
        ...(stap.groep ? { groep: stap.groep } : {}),
        ...(stap.identiteitHash ? { identiteitHash: stap.identiteitHash } : {}),
        ...(stap.groepHash ? { groepHash: stap.groepHash } : {}),
        ...(stap.persoonHash ? { persoonHash: stap.persoonHash } : {}),
      });
      Object.assign(uitkomst, { sleutel: r.sleutel, versie: r.versie, nieuweSleutel: r.nieuweSleutel, nieuweVersie: r.nieuweVersie });
    } else {
      const sleutel = bronregistratie.zoekSleutel(plan.wet, stap.object, stap.eigenaar, stap.identiteit, stap.identiteitHash);
      if (sleutel) uitkomst.sleutel = sleutel;
      else uitkomst.onbekend = true;
    }
    // only where the counterpart's records are kept here: elsewhere a missing record means nothing
    const v = stap.verwijzing;
    if (v && bronregistratie.bedient(v.eigenaar) && !bronregistratie.zoekSleutel(plan.wet, v.object, v.eigenaar, v.identiteit, v.identiteitHash)) {
      uitkomst.waarschuwing = { melding: v.melding, plaats: v.plaats };
    }
    if (stap.gesleuteld) sleutels.push(uitkomst.sleutel);
  }
  const alleenSleutels = plan.alleenSleutels === true && objecten.every((o) => o.sleutel !== undefined);
  if (!plan.sjabloon && !plan.uitvoer && !plan.naRegistratie) return { gewijzigd: false, objecten, alleenSleutels };
  const uitvoer = plan.uitvoer;
  if (uitvoer && sleutels.every((s) => s?.length === SLEUTEL_LENGTE) && uitvoer.plaatsen.length === sleutels.length) {
    // the message's own buffer, written over at each placeholder (again, the same way, when its batch runs again)
    const bytes = Buffer.from(uitvoer.bytes.buffer, uitvoer.bytes.byteOffset, uitvoer.bytes.byteLength);
    for (const [n, s] of sleutels.entries()) bytes.write(s!, uitvoer.plaatsen[n]!, 'latin1');
    return { bytes, gewijzigd: true, objecten, alleenSleutels };
  }
  if (plan.sjabloon && sleutels.every((s) => s !== undefined)) {
    // one pass: each placeholder stands once in the text
    const tekst = plan.sjabloon.replace(PLAATSHOUDERS, (_, n: string) => sleutels[Number(n)]!);
    return { tekst, gewijzigd: true, objecten, alleenSleutels };
  }
  // a rewrite always inserts a Sleutel, so a text that comes back differs from the message
  const nieuw = herschrijf((n) => sleutels[n]);
  return nieuw === undefined ? { gewijzigd: false, objecten, alleenSleutels } : { tekst: nieuw, gewijzigd: true, objecten, alleenSleutels, nietGevalideerd: true };
}

/**
 * What an informatieobject is, as data: where it occurs, who owns it, what identifies it, what the
 * bronregistratie keeps and how it sits in a keyed message. The engine reads these declarations and never
 * names a particular object.
 */
import type { BerichtNummer } from '../bericht/catalogus.js';
import type { Knoop } from '../bericht/boom.js';
import type { BerichtKop } from '../bericht/kop.js';

/** An occurrence of the object in a message type (both standards). */
export interface Voorkomen {
  bericht: BerichtNummer;
  /** local names from the root `Bericht` to the object element */
  pad: readonly string[];
  /**
   * `bron`: the message is where the owner sends the object; it is registered (new Sleutel or version).
   * `echo`: the message repeats the object (a retour); its Sleutel is looked up, nothing is registered.
   */
  rol: 'bron' | 'echo';
  /**
   * The message is a full snapshot of the object for one group (a client) at its counterpart: an object of the
   * group that a later such message to the same counterpart no longer carries has ended for that counterpart.
   * The path (local names from the root `Bericht`) of what names the group, e.g. `['Client', 'Bsn']` in a 301.
   * Absent: the message says nothing about the objects it does not carry. Only a `bron` occurrence has one.
   */
  momentopname?: readonly string[];
  /**
   * The object names another one it belongs to, owned by its counterpart (a levering its toewijzing). Only on a
   * `bron` occurrence. The object is registered all the same (its owner's record); when the one named cannot be
   * found where it should be, the conversion report says so, naming no value (`Verwijzing`).
   */
  verwijstNaar?: Verwijzing;
}

/**
 * A reference to another object, looked up in the counterpart's records by identity. It is checked only where
 * it can be answered: the object named is declared and planned (not inactief) for this message's owner as its
 * counterpart, and the counterpart's records are kept in this bronregistratie (a shared sidecar, or one
 * database for both); elsewhere a missing record means nothing.
 */
export interface Verwijzing {
  /** the `naam` of the object named */
  object: string;
  /** its natural identity within the counterpart (client BSN first); undefined when the message names none */
  identiteit(ctx: Objectcontext): string[] | undefined;
  /** what the report says when it is not found: names an element, never a value (`ToewijzingNummer unknown`) */
  melding: string;
}

export interface Objectcontext {
  tekst: string;
  root: Knoop;
  kop: BerichtKop;
  knoop: Knoop;
}

/**
 * Where a counterpart's grounds for the object end (docs/informatieobjecten.md), as the `bron` message states it.
 * Every object declares one: an object without it is refused at start-up, never given open grounds.
 *
 * - `perioden`: the latest `einddatum` among the elements at `pad` (from the root `Bericht`) in the same
 *   message, e.g. the ToegewezenProducten of a 301; open-ended when one of them has none, or when there are
 *   none;
 * - `eigenPeriode`: the object's own end date, the element at `einddatum` (local names below the object
 *   element); open-ended when it is absent;
 * - `bepaald`: a function of the message and the object element; `null` is open-ended.
 */
export type Grondeinde =
  | { uit: 'perioden'; pad: readonly string[]; einddatum: string }
  | { uit: 'eigenPeriode'; einddatum: readonly string[] }
  | { uit: 'bepaald'; einde(ctx: Objectcontext): string | null };

/** The notifications of an object: `<type>.aangemaakt|gewijzigd|beeindigd`, iWlz `<WERKWOORD>_<eventType>_<ROL>`. */
export interface Notificatiedeclaratie {
  /** the CloudEvents type without its last part, reverse DNS in lower case: `nl.netwerkbrug.relatie` */
  type: string;
  /** the object word of the iWlz eventType, UPPER_SNAKE: `RELATIE` */
  eventType: string;
}

export interface InformatieObject {
  /** the key in the configuration: `relatie` */
  naam: string;
  /** the type in a subject or URL: `Relatie` (`Relatie/{uuid}`) */
  type: string;
  voorkomens: readonly Voorkomen[];
  /** the header field that names the owner (a gemeente for the 301) and the one that names the counterpart */
  eigenaar: 'Afzender' | 'Ontvanger';
  tegenpartij: 'Afzender' | 'Ontvanger';
  /**
   * the natural identity within the owner, e.g. client BSN + Relatie/Nummer; never leaves the process in clear.
   * It starts with the client's BSN: the person index for inzage relies on it (bronregistratie/inzage.ts)
   */
  identiteit(ctx: Objectcontext): string[];
  /** the children the bronregistratie keeps, in schema order */
  velden: readonly string[];
  /** children that stay in the message after the einddatum, beside the Sleutel (e.g. `Nummer`) */
  behoud: readonly string[];
  /** children that belong to the message, not to the object (a retour's RetourCodes): kept, never stored */
  bericht: readonly string[];
  /** the Sleutel follows this child; `null`: it is the first child */
  sleutelNa: string | null;
  /**
   * The purposes (doelen) the object serves, each with the fields of `velden` a read for that purpose may see
   * (doelbinding and data minimisation: an answer holds only these). A read names its purpose (`X-Doel`);
   * `toegang.doelen` can narrow the purposes per counterpart. The purposes are described in docs/serve.md.
   */
  doelen: Readonly<Record<string, readonly string[]>>;
  /** how a counterpart's grounds end (see `Grondeinde`); required */
  grondEinde: Grondeinde;
  /** the object's notification types */
  notificatie: Notificatiedeclaratie;
  /** what the object is called in a citizen's inzage (Dutch): `Relatie (contactpersoon)` */
  inzagenaam: string;
}

/**
 * Rebuilding the legacy 3.2 message from a keyed one (rehydration, a retour's echo): it needs every field the
 * bronregistratie keeps. Every informatieobject serves it.
 */
export const BERICHTVERKEER = 'berichtverkeer';

/** Delivering the care: reaching the client or its contact persons (who, in what order, how to reach them). */
export const ZORGLEVERING = 'zorglevering';

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
}

export interface Objectcontext {
  tekst: string;
  root: Knoop;
  kop: BerichtKop;
  knoop: Knoop;
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
}

/**
 * Rebuilding the legacy 3.2 message from a keyed one (rehydration, a retour's echo): it needs every field the
 * bronregistratie keeps. Every informatieobject serves it.
 */
export const BERICHTVERKEER = 'berichtverkeer';

/** Delivering the care: reaching the client or its contact persons (who, in what order, how to reach them). */
export const ZORGLEVERING = 'zorglevering';

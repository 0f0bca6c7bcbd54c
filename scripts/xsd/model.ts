/**
 * The data model behind our iWmo/iJw 3.2 XSDs: simple and complex types of the basisschema, and the message
 * trees. Everything here is plain data plus small constructors; `generate.ts` turns it into XSD text.
 * The facts come from shared/reference/istandaarden-3.2.md (sections named in the comments); the published
 * XSDs were only used as an oracle to check behaviour, never as text to copy.
 *
 * Oracle result: for the 21 messages with a published XSD (iJw all 14; iWmo 301/305/307/315/317/319/323) the
 * published XSD and the reference agree on every behavioural fact used here, so nothing below overrides the
 * reference. The one deliberate difference from the published text is XSD_VERSIE (appinfo only, no effect
 * on validation). The 7 iWmo retours (302/306/308/316/318/320/325) have no published XSD; they are derived
 * exactly like the iJw retours, which do match the published JW3xx retour XSDs.
 */

export type Standaard = 'iwmo' | 'ijw';

/** Stable output order. */
export const STANDAARDEN: readonly Standaard[] = ['iwmo', 'ijw'];

export const RELEASE = '3.2';
/** §13.1: 1.0.0 for both standards (the iJw XSD copy says 0.1.0; every iJw example uses 1.0.0). */
export const XSD_VERSIE = '1.0.0';
export const BERICHT_VERSIE = '3';
export const BERICHT_SUBVERSIE = '2';

/** Prefix of the basisschema namespace: `iwmo` or `ijw` (§1). */
export const basisPrefix = (s: Standaard): string => s;
export const basisNamespace = (s: Standaard): string => `http://www.istandaarden.nl/${s}/3_2/basisschema/schema`;
/** `WMO301` / `JW301`. */
export const berichtNaam = (s: Standaard, nummer: string): string => `${s === 'iwmo' ? 'WMO' : 'JW'}${nummer}`;
/** `wmo301` / `jw301`: the message prefix and the namespace segment (§1, lower case). */
export const berichtPrefix = (s: Standaard, nummer: string): string => berichtNaam(s, nummer).toLowerCase();
export const berichtNamespace = (s: Standaard, nummer: string): string =>
  `http://www.istandaarden.nl/${s}/3_2/${berichtPrefix(s, nummer)}/schema`;
/** Folder below `xsd/`. */
export const schemaMap = (s: Standaard): string => `${s}-${RELEASE}`;

// ---------------------------------------------------------------------------------------------------------
// Simple types (LDT_*)

export type SimpelBasis = 'xs:string' | 'xs:integer' | 'xs:date' | 'xs:time';

/** A named simple type of the basisschema: a restriction of one XSD built-in type. */
export interface SimpelType {
  naam: string;
  basis: SimpelBasis;
  /** one sentence; for code lists the list id (§9.3) */
  documentatie: string;
  minLength?: number;
  maxLength?: number;
  minInclusive?: number;
  maxInclusive?: number;
  pattern?: string;
  enumeratie?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// Complex types and their elements

/**
 * The type of an element. A name starting with `LDT_` or `CDT_` is a basisschema type; any other name is
 * a complex type of the message schema itself. `{ beperking, pattern }` is an anonymous restriction of a
 * basisschema simple type by one pattern facet (BerichtCode and friends, §3; DeclaratieNummer, §7.6).
 */
export type TypeVerwijzing = string | { beperking: string; pattern: string };

export interface Element {
  naam: string;
  type: TypeVerwijzing;
  minOccurs: 0 | 1;
  maxOccurs: 1 | 'unbounded';
}

/**
 * `klasse`: a class of the informatiemodel (Client, Relatie, Contact, …); a retour adds `RetourCodes` as its
 * last child. `lijst`: a plural wrapper (one child 1..n, §3). `overig`: Root, Header, RetourCodes.
 */
export type Soort = 'klasse' | 'lijst' | 'overig';

export interface ComplexType {
  naam: string;
  soort: Soort;
  documentatie?: string;
  elementen: readonly Element[];
}

export type Kardinaliteit = '1' | '0..1' | '1..n';

/** One element: `e('Volgorde', 'LDT_RelatieVolgorde', '0..1')`. The default cardinality is 1..1 (§3). */
export function e(naam: string, type: TypeVerwijzing, kardinaliteit: Kardinaliteit = '1'): Element {
  return {
    naam,
    type,
    minOccurs: kardinaliteit === '0..1' ? 0 : 1,
    maxOccurs: kardinaliteit === '1..n' ? 'unbounded' : 1,
  };
}

/** A class of the informatiemodel. */
export const klasse = (naam: string, elementen: readonly Element[], documentatie?: string): ComplexType => ({
  naam,
  soort: 'klasse',
  elementen,
  ...(documentatie ? { documentatie } : {}),
});

/** A plural wrapper: `lijst('Relaties', 'Relatie')` holds `Relatie` of type `Relatie`, 1..n. */
export const lijst = (naam: string, kind: string): ComplexType => ({
  naam,
  soort: 'lijst',
  elementen: [e(kind, kind, '1..n')],
});

export const overig = (naam: string, elementen: readonly Element[], documentatie?: string): ComplexType => ({
  naam,
  soort: 'overig',
  elementen,
  ...(documentatie ? { documentatie } : {}),
});

export const isBasisType = (type: string): boolean => type.startsWith('LDT_') || type.startsWith('CDT_');

// ---------------------------------------------------------------------------------------------------------
// Schemas

export interface Basisschema {
  standaard: Standaard;
  simpleTypes: readonly SimpelType[];
  complexTypes: readonly ComplexType[];
}

export interface BerichtSchema {
  standaard: Standaard;
  /** `301` … `325` */
  nummer: string;
  /** Vektis COD002 code (§2), pinned in the header by a pattern facet */
  berichtCode: string;
  /** Dutch name of the message, e.g. `Toewijzing retour` */
  titel: string;
  /** every message-local complex type, `Root` among them; `generate.ts` orders them from `Root` down */
  typen: readonly ComplexType[];
}

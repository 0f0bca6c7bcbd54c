/**
 * The 28 messages of iWmo 3.2 and iJw 3.2 as data: standard, number, BerichtCode and namespaces
 * (reference §1 and §2). Everything that must know "which message is this" asks here.
 */

export type Standaard = 'iwmo' | 'ijw';
export type BerichtNummer =
  | '301' | '302' | '305' | '306' | '307' | '308' | '315'
  | '316' | '317' | '318' | '319' | '320' | '323' | '325';

export const RELEASE = '3.2';

export interface BerichtType {
  standaard: Standaard;
  nummer: BerichtNummer;
  /** `WMO301`, `JW301`: the name of the message and of its XSD file */
  naam: string;
  berichtCode: string;
  /** Dutch name, e.g. Toewijzing */
  omschrijving: string;
  /** true for the technical retour messages (302, 306, 308, 316, 318, 320) */
  retour: boolean;
  namespace: string;
  basisNamespace: string;
}

const OMSCHRIJVING: Record<BerichtNummer, string> = {
  '301': 'Toewijzing',
  '302': 'Toewijzing retour',
  '305': 'Start',
  '306': 'Start retour',
  '307': 'Stop',
  '308': 'Stop retour',
  '315': 'Verzoek om toewijzing',
  '316': 'Verzoek om toewijzing retour',
  '317': 'Verzoek om wijziging',
  '318': 'Verzoek om wijziging retour',
  '319': 'Antwoordbericht',
  '320': 'Antwoordbericht retour',
  '323': 'Declaratie',
  '325': 'Declaratie-antwoord',
};

/** BerichtCode per message (Vektis COD002), iWmo then iJw. */
const CODES: Record<BerichtNummer, [iwmo: string, ijw: string]> = {
  '301': ['414', '436'],
  '302': ['415', '437'],
  '305': ['418', '438'],
  '306': ['419', '439'],
  '307': ['420', '440'],
  '308': ['421', '441'],
  '315': ['444', '446'],
  '316': ['445', '447'],
  '317': ['480', '486'],
  '318': ['481', '487'],
  '319': ['482', '488'],
  '320': ['483', '489'],
  '323': ['484', '490'],
  '325': ['485', '491'],
};

export const BERICHT_NUMMERS = Object.keys(CODES) as BerichtNummer[];
const RETOUR = new Set<BerichtNummer>(['302', '306', '308', '316', '318', '320']);

/**
 * The messages whose header Afzender is a gemeente (LDT_Gemeente: 301, 319, 325 and their retours, which copy
 * the header unchanged, reference §4); in the others it is an aanbieder (LDT_AgbCode).
 */
const AFZENDER_GEMEENTE = new Set<BerichtNummer>(['301', '302', '319', '320', '325']);

/** Whether the header Afzender of a message is a gemeente (CBS code); else it is an aanbieder (AGB code). */
export function afzenderIsGemeente(nummer: BerichtNummer): boolean {
  return AFZENDER_GEMEENTE.has(nummer);
}

const PREFIX: Record<Standaard, string> = { iwmo: 'wmo', ijw: 'jw' };

export function basisNamespace(standaard: Standaard, release = RELEASE): string {
  return `http://www.istandaarden.nl/${standaard}/${release.replace('.', '_')}/basisschema/schema`;
}

export function berichtNamespace(standaard: Standaard, nummer: string, release = RELEASE): string {
  return `http://www.istandaarden.nl/${standaard}/${release.replace('.', '_')}/${PREFIX[standaard]}${nummer}/schema`;
}

export const BERICHT_TYPES: readonly BerichtType[] = (['iwmo', 'ijw'] as const).flatMap((standaard) =>
  BERICHT_NUMMERS.map((nummer) => ({
    standaard,
    nummer,
    naam: `${PREFIX[standaard].toUpperCase()}${nummer}`,
    berichtCode: CODES[nummer][standaard === 'iwmo' ? 0 : 1],
    omschrijving: OMSCHRIJVING[nummer],
    retour: RETOUR.has(nummer),
    namespace: berichtNamespace(standaard, nummer),
    basisNamespace: basisNamespace(standaard),
  })),
);

const PER_CODE = new Map(BERICHT_TYPES.map((t) => [t.berichtCode, t]));

export function typeVoorCode(code: string): BerichtType | undefined {
  return PER_CODE.get(code);
}

/** Reads any iStandaarden message namespace, of any release: `…/iwmo/3_1/wmo301/schema`. */
const ISTANDAARDEN_NS = /^http:\/\/www\.istandaarden\.nl\/(iwmo|ijw)\/(\d{1,2})_(\d{1,2})\/(wmo|jw)(\d{3})\/schema$/;

export function leesNamespace(ns: string): { standaard: Standaard; release: string; nummer: string } | undefined {
  const m = ISTANDAARDEN_NS.exec(ns);
  if (!m) return undefined;
  return { standaard: m[1] as Standaard, release: `${m[2]}.${m[3]}`, nummer: m[5]! };
}

/**
 * The namespace of the keyed variant of a message (carrying Sleutels): its own namespace, so that a receiver
 * and `validate` know by the root element which schema applies. Defined by the extension schemas in
 * `xsd/{iwmo,ijw}-3.2-sleutel/`.
 */
export function sleutelNamespace(t: BerichtType): string {
  return `urn:netwerkbrug:${t.standaard}:${RELEASE.replace('.', '_')}:${t.naam.toLowerCase()}:sleutel`;
}

/**
 * The law a message falls under: iWmo messages under the Wmo 2015 (`wmo`), iJw messages under the Jeugdwet
 * (`jeugdwet`). Every record, Sleutel, version, grounds and notification belongs to one law; nothing crosses.
 */
export type Wet = 'wmo' | 'jeugdwet';
export const WETTEN: readonly Wet[] = ['wmo', 'jeugdwet'];
export const WET_VAN: Record<Standaard, Wet> = { iwmo: 'wmo', ijw: 'jeugdwet' };
export const isWet = (s: unknown): s is Wet => s === 'wmo' || s === 'jeugdwet';

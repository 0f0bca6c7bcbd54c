/**
 * The basisschema of iWmo/iJw 3.2 as data: simple types (§9.2, §9.3) and complex types (§9.1) of
 * shared/reference/istandaarden-3.2.md. The two standards differ only in LDT_ProductCategorie and
 * LDT_RedenBeeindiging (§8 rows 2 and 3).
 */
import { e, type Basisschema, type ComplexType, type SimpelType, type Standaard } from './model.js';

/** "nb": not blank, at least one character that is not white space (§9.2). */
const NB = '.*[^\\s].*';

/** A string type with length facets and, for most, the not-blank pattern. */
function tekst(naam: string, documentatie: string, min: number | undefined, max: number | undefined, pattern?: string): SimpelType {
  return {
    naam,
    basis: 'xs:string',
    documentatie,
    ...(min !== undefined ? { minLength: min } : {}),
    ...(max !== undefined ? { maxLength: max } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
  };
}

function geheel(naam: string, documentatie: string, min: number, max: number): SimpelType {
  return { naam, basis: 'xs:integer', documentatie, minInclusive: min, maxInclusive: max };
}

/**
 * A code list: `xs:string` with the enumeration and a maxLength equal to the code width (§9.3: every enum
 * type carries maxLength, none carries minLength).
 */
function codelijst(naam: string, lijst: string, waarden: readonly string[]): SimpelType {
  const breedte = Math.max(...waarden.map((w) => w.length));
  return { naam, basis: 'xs:string', documentatie: `Code list ${lijst}.`, maxLength: breedte, enumeratie: waarden };
}

/** `reeks(1, 18, 2)` → 01 … 18. */
const reeks = (van: number, tot: number, breedte: number): string[] =>
  Array.from({ length: tot - van + 1 }, (_, i) => String(van + i).padStart(breedte, '0'));

/** COD032, 249 two-letter codes (§9.3). */
const LANDCODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** WJ001 (§10). */
const RETOURCODES = (
  '0001 0200 0233 0611 8001 8017 8021 8187 8214 8848 9019 9056 9063 9069 9071 9074 9307 9308 9319 9321 9322 ' +
  '9326 9332 9333 9338 9339 9340 9341 9346 9347 9349 9350 9351 9355 9357 9359 9360 9361 9365 9366 9367 9369 ' +
  '9373 9374 9375 9379 9384 9385 9387 9388 9389 9390 9411 9412 9413 9414 9415 S300 S329'
).split(' ');

/** §8 row 2: WMO020 01–18; JZ020 31–38 (2015 legacy) and 40–55. */
const PRODUCTCATEGORIE: Record<Standaard, readonly string[]> = {
  iwmo: reeks(1, 18, 2),
  ijw: [...reeks(31, 38, 2), ...reeks(40, 55, 2)],
};

/** §8 row 3: code 31 means something else in each standard. */
const REDEN_BEEINDIGING: Record<Standaard, readonly string[]> = {
  iwmo: ['02', '19', '20', '21', '22', '23', '31', '36', '37', '38', '39'],
  ijw: ['02', '20', '31', '32', '33', '34', '35', '36', '37', '38', '39'],
};

function simpleTypes(s: Standaard): SimpelType[] {
  return [
    // §9.2: types without enumeration
    tekst('LDT_AgbCode', 'AGB code (Vektis register), 8 digits.', 1, 8, '[0-9]{8}'),
    geheel('LDT_Bedrag', 'Amount in eurocent.', 0, 99999999),
    tekst('LDT_BerichtCode', 'Vektis COD002 message code; each message pins its own by a pattern.', 1, 3),
    geheel('LDT_BerichtSubversie', 'Minor release number of the standard.', 0, 99),
    geheel('LDT_BerichtVersie', 'Major release number of the standard.', 0, 99),
    geheel('LDT_Budget', 'Budget in eurocent.', 0, 99999999),
    tekst('LDT_BurgerServicenummer', 'Burgerservicenummer, 9 digits.', 1, 9, '[0-9]{9}'),
    // no maxLength (§9.2)
    tekst('LDT_Commentaar', 'Free text.', 1, undefined, '([.\\s]*\\S+[.\\s]*)+'),
    // pattern on xs:date/xs:time: no time zone (§9.2)
    { naam: 'LDT_Datum', basis: 'xs:date', documentatie: 'Date without time zone.', pattern: '[^:Z]*' },
    tekst('LDT_Emailadres', 'E-mail address.', 1, 80, NB),
    tekst('LDT_Gemeente', 'CBS gemeentecode, 4 digits.', 1, undefined, '[0-9]{4}'),
    tekst('LDT_Huisletter', 'House letter.', 1, 1, NB),
    geheel('LDT_Huisnummer', 'House number.', 0, 99999),
    tekst('LDT_HuisnummerToevoeging', 'House number suffix.', 1, 4, NB),
    tekst('LDT_IdentificatieBericht', 'Identification of a message, unique per sender and message type.', 1, 12, NB),
    // the 323 adds the pattern ([a-zA-Z0-9])+ locally (§7.6)
    tekst('LDT_IdentificatieDeclaratie', 'Identification of a declaration.', 1, 12),
    tekst('LDT_Landnummer', 'International dialling code, e.g. 0031.', 1, 4, NB),
    tekst('LDT_Naam', 'Name of a person.', 1, 200, NB),
    tekst('LDT_NaamVerwijzer', 'Name of the referrer.', 1, 64, NB),
    geheel('LDT_Nummer', 'Number (ToewijzingNummer, BeschikkingNummer).', 0, 999999999),
    tekst('LDT_Organisatienaam', 'Name of an organisation.', 1, 35, NB),
    tekst('LDT_Persoonsid', 'Identification of a related person.', 1, 20, NB),
    tekst('LDT_Plaatsnaam', 'Name of a place.', 1, 80, NB),
    tekst('LDT_Postcode', 'Postal code, Dutch or foreign.', 1, 8, NB),
    tekst('LDT_ProductCode', 'Product code from the product list in use.', 1, 5, NB),
    tekst('LDT_Referentie', 'Reference given by the aanbieder.', 1, 36, NB),
    tekst('LDT_ReferentieNummer', 'Reference number of a declaration line.', 1, 20),
    geheel('LDT_RelatieVolgorde', 'Order of contact for relations.', 0, 99),
    tekst('LDT_Straatnaam', 'Street name.', 1, 24, NB),
    tekst('LDT_Taal', 'Language.', 1, 25, NB),
    tekst('LDT_Telefoonnummer', 'Telephone number, digits only.', 1, 15, '[0-9]*'),
    { naam: 'LDT_Tijd', basis: 'xs:time', documentatie: 'Time without time zone.', pattern: '[^Z+-]+' },
    geheel('LDT_TotaalBedrag', 'Total amount in eurocent.', 0, 999999999999),
    tekst('LDT_Versie', 'Version number n.n.n.', 1, undefined, '(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)'),
    geheel('LDT_Volume', 'Volume.', 0, 99999999),
    // written together, no dots or spaces; the range is U+00C0 to U+1EF3
    tekst('LDT_Voorletters', 'Initials written together.', 1, 6, '([a-zA-Z\u00C0-\u1EF3])+'),
    tekst('LDT_Voorvoegsel', 'Name prefix.', 1, 10, NB),

    // §9.3: code lists
    codelijst('LDT_AanduidingWoonadres', 'NUM061', ['AB', 'BY', 'TO', 'WW']),
    codelijst('LDT_AdresSoort', 'COD757', reeks(1, 4, 2)),
    codelijst('LDT_Communicatievorm', 'COD747', ['1', '2', '3']),
    codelijst('LDT_DatumGebruik', 'COD170', ['1', '2', '3']),
    codelijst('LDT_DebetCredit', 'COD043', ['C', 'D']),
    codelijst('LDT_Eenheid', 'WJ756', ['01', '04', '14', '16', '82', '83', '84']),
    codelijst('LDT_Frequentie', 'WMO757', ['1', '2', '4', '6']),
    codelijst('LDT_Geslacht', 'COD046', ['0', '1', '2']),
    codelijst('LDT_JaNee', 'COD260', ['1', '2']),
    codelijst('LDT_JuridischeStatus', 'WJ232', ['01', '02', '03', '04', '05', '11', '12']),
    codelijst('LDT_LandCode', 'COD032', LANDCODES),
    codelijst('LDT_NaamGebruik', 'COD700', ['1', '2', '3', '4', '5', '6']),
    codelijst('LDT_ProductCategorie', s === 'iwmo' ? 'WMO020' : 'JZ020', PRODUCTCATEGORIE[s]),
    // values are one digit, but the width is 2 (§9.3)
    { ...codelijst('LDT_RedenAfwijzingVerzoek', 'WJ759', reeks(1, 9, 1)), maxLength: 2 },
    codelijst('LDT_RedenBeeindiging', s === 'iwmo' ? 'WMO588' : 'JZ588', REDEN_BEEINDIGING[s]),
    codelijst('LDT_RedenVerzoek', 'WJ758', ['1', '2']),
    codelijst('LDT_RedenWijziging', s === 'iwmo' ? 'WMO002' : 'JZ002', reeks(1, 14, 2)),
    codelijst('LDT_RetourCode', 'WJ001', RETOURCODES),
    codelijst('LDT_SoortRelatie', 'COD472', reeks(3, 25, 2)),
    codelijst('LDT_StatusAanlevering', 'COD467', ['1', '2', '3', '9']),
    // 07 does not exist
    codelijst('LDT_TypeVerwijzer', 'COD327', ['01', '02', '03', '04', '05', '06', '08']),
    codelijst('LDT_VerzoekAntwoord', 'WJ760', ['1', '2']),
    codelijst('LDT_WettelijkeVertegenwoordiging', 'WJ003', ['06', '07', '08', '09', '10']),
  ];
}

const cdt = (naam: string, documentatie: string, elementen: ComplexType['elementen']): ComplexType => ({
  naam,
  soort: 'overig',
  documentatie,
  elementen,
});

/** §9.1, identical in both standards. */
const COMPLEX_TYPES: readonly ComplexType[] = [
  cdt('CDT_Achternaam', 'Surname with prefix.', [e('Achternaam', 'LDT_Naam'), e('Voorvoegsel', 'LDT_Voorvoegsel', '0..1')]),
  cdt('CDT_Adres', 'Address. Postcode comes before Straatnaam.', [
    e('Huis', 'CDT_Huis', '0..1'),
    e('Postcode', 'LDT_Postcode', '0..1'),
    e('Straatnaam', 'LDT_Straatnaam', '0..1'),
    e('Plaatsnaam', 'LDT_Plaatsnaam', '0..1'),
    e('LandCode', 'LDT_LandCode', '0..1'),
  ]),
  cdt('CDT_BedragMetDC', 'Amount with debit/credit indication.', [e('Bedrag', 'LDT_Bedrag'), e('DebetCredit', 'LDT_DebetCredit')]),
  cdt('CDT_BerichtIdentificatie', 'Identification and date of a message.', [
    e('Identificatie', 'LDT_IdentificatieBericht'),
    e('Dagtekening', 'LDT_Datum'),
  ]),
  cdt('CDT_Communicatie', 'Special form of communication.', [e('Vorm', 'LDT_Communicatievorm'), e('Taal', 'LDT_Taal', '0..1')]),
  cdt('CDT_Geboortedatum', 'Date of birth and which part of it is known.', [
    e('Datum', 'LDT_Datum'),
    e('DatumGebruik', 'LDT_DatumGebruik', '0..1'),
  ]),
  cdt('CDT_GeslotenPeriode', 'Period with start and end.', [e('Begindatum', 'LDT_Datum'), e('Einddatum', 'LDT_Datum')]),
  cdt('CDT_Huis', 'House in a street.', [
    e('Huisnummer', 'LDT_Huisnummer'),
    e('Huisletter', 'LDT_Huisletter', '0..1'),
    e('HuisnummerToevoeging', 'LDT_HuisnummerToevoeging', '0..1'),
    e('AanduidingWoonadres', 'LDT_AanduidingWoonadres', '0..1'),
  ]),
  cdt('CDT_Omvang', 'Volume, unit and frequency.', [
    e('Volume', 'LDT_Volume'),
    e('Eenheid', 'LDT_Eenheid'),
    e('Frequentie', 'LDT_Frequentie'),
  ]),
  cdt('CDT_OpenPeriode', 'Period with optional start and end.', [
    e('Begindatum', 'LDT_Datum', '0..1'),
    e('Einddatum', 'LDT_Datum', '0..1'),
  ]),
  cdt('CDT_Product', 'Product category and code.', [e('Categorie', 'LDT_ProductCategorie'), e('Code', 'LDT_ProductCode', '0..1')]),
  cdt('CDT_Referentie', 'Reference of a declaration line and the line it corrects.', [
    e('ReferentieNummer', 'LDT_ReferentieNummer'),
    e('VorigReferentieNummer', 'LDT_ReferentieNummer', '0..1'),
  ]),
  // Landnummer is required (§9.1)
  cdt('CDT_Telefoon', 'Telephone number with country code.', [e('Telefoonnummer', 'LDT_Telefoonnummer'), e('Landnummer', 'LDT_Landnummer')]),
  cdt('CDT_Telefoonnummers', 'One or two telephone numbers.', [e('Telefoon01', 'CDT_Telefoon'), e('Telefoon02', 'CDT_Telefoon', '0..1')]),
  cdt('CDT_TotaalBedragMetDC', 'Total amount with debit/credit indication.', [
    e('TotaalBedrag', 'LDT_TotaalBedrag'),
    e('DebetCredit', 'LDT_DebetCredit'),
  ]),
  cdt('CDT_VerkorteNaam', 'Short name of a person.', [
    e('Geslachtsnaam', 'CDT_Achternaam'),
    e('Voornamen', 'LDT_Naam', '0..1'),
    e('Voorletters', 'LDT_Voorletters', '0..1'),
  ]),
  cdt('CDT_Verwijzer', 'Referrer.', [
    e('Type', 'LDT_TypeVerwijzer'),
    e('Naam', 'LDT_NaamVerwijzer', '0..1'),
    e('ZorgverlenerCode', 'LDT_AgbCode', '0..1'),
  ]),
  cdt('CDT_VolledigeNaam', 'Full name of a person.', [
    e('Geslachtsnaam', 'CDT_Achternaam'),
    e('Partnernaam', 'CDT_Achternaam', '0..1'),
    e('Voornamen', 'LDT_Naam', '0..1'),
    e('Voorletters', 'LDT_Voorletters', '0..1'),
    e('NaamGebruik', 'LDT_NaamGebruik'),
  ]),
  cdt('CDT_XsdVersie', 'XSD versions a message was built with.', [
    e('BasisschemaXsdVersie', 'LDT_Versie'),
    e('BerichtXsdVersie', 'LDT_Versie'),
  ]),
];

export function basisschema(s: Standaard): Basisschema {
  return { standaard: s, simpleTypes: simpleTypes(s), complexTypes: COMPLEX_TYPES };
}

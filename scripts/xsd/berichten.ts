/**
 * The 14 message trees of iWmo/iJw 3.2 as data (§4–§8 of shared/reference/istandaarden-3.2.md). The heen
 * messages are written out; every retour is derived from its heen message by `retour()`, and the 325 from
 * the 323 by `declaratieAntwoord()`. The iWmo/iJw differences are the `s` parameter (§8).
 */
import {
  BERICHT_SUBVERSIE,
  BERICHT_VERSIE,
  e,
  klasse,
  lijst,
  overig,
  type BerichtSchema,
  type ComplexType,
  type Element,
  type Standaard,
} from './model.js';

/** §2: Vektis COD002 codes. */
const BERICHTCODES: Record<Standaard, Record<string, string>> = {
  iwmo: {
    '301': '414', '302': '415', '305': '418', '306': '419', '307': '420', '308': '421', '315': '444',
    '316': '445', '317': '480', '318': '481', '319': '482', '320': '483', '323': '484', '325': '485',
  },
  ijw: {
    '301': '436', '302': '437', '305': '438', '306': '439', '307': '440', '308': '441', '315': '446',
    '316': '447', '317': '486', '318': '487', '319': '488', '320': '489', '323': '490', '325': '491',
  },
};

/** The sender of a heen message; the header types follow from it (§4.1) and are not swapped in a retour (§4.2). */
type Afzender = 'gemeente' | 'aanbieder';

/** The body of a message: the children of `Root` after `Header`, and the complex types below them. */
interface Boom {
  titel: string;
  afzender: Afzender;
  root: readonly Element[];
  typen: readonly ComplexType[];
}

// ---------------------------------------------------------------------------------------------------------
// Headers (§4)

function berichtCodeVelden(code: string): Element[] {
  return [
    e('BerichtCode', { beperking: 'LDT_BerichtCode', pattern: code }),
    e('BerichtVersie', { beperking: 'LDT_BerichtVersie', pattern: BERICHT_VERSIE }),
    e('BerichtSubversie', { beperking: 'LDT_BerichtSubversie', pattern: BERICHT_SUBVERSIE }),
  ];
}

/** §4.1 fields 1–7. */
function heenHeader(code: string, afzender: Afzender): Element[] {
  const gemeente = 'LDT_Gemeente';
  const agb = 'LDT_AgbCode';
  return [
    ...berichtCodeVelden(code),
    e('Afzender', afzender === 'gemeente' ? gemeente : agb),
    e('Ontvanger', afzender === 'gemeente' ? agb : gemeente),
    e('BerichtIdentificatie', 'CDT_BerichtIdentificatie'),
    e('XsdVersie', 'CDT_XsdVersie'),
  ];
}

const RETOURCODES = overig('RetourCodes', [e('RetourCode', 'LDT_RetourCode', '1..n')]);

/** §4.2: the heen header plus fields 8–12. */
function retourHeader(code: string, afzender: Afzender): Element[] {
  return [
    ...heenHeader(code, afzender),
    e('IdentificatieRetour', 'LDT_IdentificatieBericht'),
    e('DagtekeningRetour', 'LDT_Datum'),
    e('XsltVersie', 'LDT_Versie', '0..1'),
    e('XsdVersieRetour', 'CDT_XsdVersie'),
    e('RetourCodes', 'RetourCodes', '0..1'),
  ];
}

/** §4.3: in the 325 the RetourCodes of the header are required. */
function declaratieAntwoordHeader(code: string): Element[] {
  return [
    ...heenHeader(code, 'gemeente'),
    e('DeclaratieIdentificatie', 'CDT_BerichtIdentificatie'),
    e('XsltVersie', 'LDT_Versie', '0..1'),
    e('XsdVersieDeclaratie', 'CDT_XsdVersie'),
    e('RetourCodes', 'RetourCodes'),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Heen messages

/** §5: 301 Toewijzing, identical in both standards. */
function toewijzing(): Boom {
  return {
    titel: 'Toewijzing',
    afzender: 'gemeente',
    root: [e('Client', 'Client')],
    typen: [
      klasse('Client', [
        e('Bsn', 'LDT_BurgerServicenummer'),
        e('Geboortedatum', 'CDT_Geboortedatum'),
        e('Geslacht', 'LDT_Geslacht'),
        e('Naam', 'CDT_VolledigeNaam'),
        e('Communicatie', 'CDT_Communicatie', '0..1'),
        e('JuridischeStatus', 'LDT_JuridischeStatus', '0..1'),
        e('WettelijkeVertegenwoordiging', 'LDT_WettelijkeVertegenwoordiging', '0..1'),
        e('Commentaar', 'LDT_Commentaar', '0..1'),
        e('Relaties', 'Relaties', '0..1'),
        e('Contactgegevens', 'Contactgegevens'),
        e('ToegewezenProducten', 'ToegewezenProducten'),
      ]),
      lijst('Relaties', 'Relatie'),
      klasse('Relatie', [
        e('Nummer', 'LDT_Persoonsid'),
        e('Volgorde', 'LDT_RelatieVolgorde', '0..1'),
        e('Soort', 'LDT_SoortRelatie'),
        e('Geboortedatum', 'CDT_Geboortedatum', '0..1'),
        e('Geslacht', 'LDT_Geslacht', '0..1'),
        e('Naam', 'CDT_VolledigeNaam'),
        // exactly one Contact per Relatie
        e('Contact', 'Contact'),
      ]),
      klasse('Contact', [
        e('Soort', 'LDT_AdresSoort'),
        e('Adres', 'CDT_Adres', '0..1'),
        e('Organisatie', 'LDT_Organisatienaam', '0..1'),
        e('Telefoon', 'CDT_Telefoonnummers', '0..1'),
        e('Emailadres', 'LDT_Emailadres', '0..1'),
        e('Periode', 'CDT_OpenPeriode', '0..1'),
      ]),
      lijst('Contactgegevens', 'Contact'),
      lijst('ToegewezenProducten', 'ToegewezenProduct'),
      klasse('ToegewezenProduct', [
        e('ToewijzingNummer', 'LDT_Nummer'),
        e('ReferentieAanbieder', 'LDT_Referentie', '0..1'),
        e('Product', 'CDT_Product', '0..1'),
        e('Toewijzingsdatum', 'LDT_Datum'),
        e('Toewijzingstijd', 'LDT_Tijd'),
        e('Ingangsdatum', 'LDT_Datum'),
        e('Einddatum', 'LDT_Datum', '0..1'),
        e('RedenWijziging', 'LDT_RedenWijziging', '0..1'),
        e('Omvang', 'CDT_Omvang', '0..1'),
        e('Budget', 'LDT_Budget', '0..1'),
        e('Commentaar', 'LDT_Commentaar', '0..1'),
      ]),
    ],
  };
}

/** Client of 305 and 307: the short name and one list of products. */
function clientMetProducten(lijstNaam: string): ComplexType {
  return klasse('Client', [
    e('Bsn', 'LDT_BurgerServicenummer'),
    e('Geboortedatum', 'CDT_Geboortedatum'),
    e('Geslacht', 'LDT_Geslacht'),
    e('Naam', 'CDT_VerkorteNaam'),
    e(lijstNaam, lijstNaam),
  ]);
}

/** The start keys, repeated unchanged in the stop (§7.1, §7.2). */
const STARTSLEUTEL: readonly Element[] = [
  e('ToewijzingNummer', 'LDT_Nummer', '0..1'),
  e('Product', 'CDT_Product', '0..1'),
  e('ToewijzingIngangsdatum', 'LDT_Datum', '0..1'),
  e('Begindatum', 'LDT_Datum'),
];

/** §7.1: 305 Start. */
function start(): Boom {
  return {
    titel: 'Start',
    afzender: 'aanbieder',
    root: [e('Client', 'Client')],
    typen: [
      clientMetProducten('StartProducten'),
      lijst('StartProducten', 'StartProduct'),
      klasse('StartProduct', [...STARTSLEUTEL, e('StatusAanlevering', 'LDT_StatusAanlevering')]),
    ],
  };
}

/** §7.2: 307 Stop. */
function stop(): Boom {
  return {
    titel: 'Stop',
    afzender: 'aanbieder',
    root: [e('Client', 'Client')],
    typen: [
      clientMetProducten('StopProducten'),
      lijst('StopProducten', 'StopProduct'),
      klasse('StopProduct', [
        ...STARTSLEUTEL,
        e('RedenBeeindiging', 'LDT_RedenBeeindiging'),
        e('Einddatum', 'LDT_Datum'),
        e('StatusAanlevering', 'LDT_StatusAanlevering'),
      ]),
    ],
  };
}

/** §7.3: 315 Verzoek om toewijzing. */
function verzoekOmToewijzing(s: Standaard): Boom {
  return {
    titel: 'Verzoek om toewijzing',
    afzender: 'aanbieder',
    root: [e('Client', 'Client')],
    typen: [
      klasse('Client', [
        e('Bsn', 'LDT_BurgerServicenummer'),
        e('Geboortedatum', 'CDT_Geboortedatum'),
        e('Geslacht', 'LDT_Geslacht'),
        e('Naam', 'CDT_VerkorteNaam'),
        // §8 row 4: iJw only
        ...(s === 'ijw' ? [e('GezagsdragerBekend', 'LDT_JaNee', '0..1')] : []),
        e('Commentaar', 'LDT_Commentaar', '0..1'),
        e('AangevraagdeProducten', 'AangevraagdeProducten'),
      ]),
      lijst('AangevraagdeProducten', 'AangevraagdProduct'),
      klasse('AangevraagdProduct', [
        e('ReferentieAanbieder', 'LDT_Referentie'),
        e('BeschikkingNummer', 'LDT_Nummer', '0..1'),
        e('Product', 'CDT_Product', '0..1'),
        e('BeschikkingIngangsdatum', 'LDT_Datum', '0..1'),
        e('ToewijzingIngangsdatum', 'LDT_Datum'),
        e('ToewijzingEinddatum', 'LDT_Datum', '0..1'),
        e('Omvang', 'CDT_Omvang', '0..1'),
        e('Budget', 'LDT_Budget', '0..1'),
        // required in both standards
        e('Verwijzer', 'CDT_Verwijzer'),
        e('Raamcontract', 'LDT_JaNee', '0..1'),
        e('Commentaar', 'LDT_Commentaar', '0..1'),
      ]),
    ],
  };
}

/** §7.4: 317 Verzoek om wijziging. */
function verzoekOmWijziging(): Boom {
  return {
    titel: 'Verzoek om wijziging',
    afzender: 'aanbieder',
    root: [e('Client', 'Client')],
    typen: [
      klasse('Client', [e('Bsn', 'LDT_BurgerServicenummer'), e('Verzoek', 'Verzoek')]),
      klasse('Verzoek', [
        e('ReferentieAanbieder', 'LDT_Referentie'),
        e('RedenVerzoek', 'LDT_RedenVerzoek'),
        e('OngewijzigdeProducten', 'OngewijzigdeProducten', '0..1'),
        e('TeWijzigenProducten', 'TeWijzigenProducten', '0..1'),
        e('NieuweProducten', 'NieuweProducten', '0..1'),
      ]),
      lijst('OngewijzigdeProducten', 'OngewijzigdProduct'),
      klasse('OngewijzigdProduct', [e('ToewijzingNummer', 'LDT_Nummer')]),
      lijst('TeWijzigenProducten', 'TeWijzigenProduct'),
      klasse('TeWijzigenProduct', [
        e('ToewijzingNummer', 'LDT_Nummer'),
        e('GewensteIngangsdatum', 'LDT_Datum'),
        e('Einddatum', 'LDT_Datum', '0..1'),
        e('Omvang', 'CDT_Omvang', '0..1'),
        e('Budget', 'LDT_Budget', '0..1'),
      ]),
      lijst('NieuweProducten', 'NieuwProduct'),
      klasse('NieuwProduct', [
        e('Product', 'CDT_Product', '0..1'),
        e('GewensteIngangsdatum', 'LDT_Datum'),
        e('Einddatum', 'LDT_Datum', '0..1'),
        e('Omvang', 'CDT_Omvang', '0..1'),
        e('Budget', 'LDT_Budget', '0..1'),
      ]),
    ],
  };
}

/** §7.5: 319 Antwoordbericht. */
function antwoord(s: Standaard): Boom {
  return {
    titel: 'Antwoordbericht',
    afzender: 'gemeente',
    root: [e('Antwoord', 'Antwoord')],
    typen: [
      klasse('Antwoord', [
        e('ReferentieAanbieder', 'LDT_Referentie'),
        e('VerzoekAntwoord', 'LDT_VerzoekAntwoord'),
        e('RedenAfwijzingVerzoek', 'LDT_RedenAfwijzingVerzoek', '0..1'),
        // §8 row 5: iJw only; §13.3: absent in iWmo 3.2 (the published WMO319.xsd agrees)
        ...(s === 'ijw' ? [e('Woonplaatsbeginsel', 'Woonplaatsbeginsel', '0..1')] : []),
      ]),
      ...(s === 'ijw' ? [klasse('Woonplaatsbeginsel', [e('Gemeente', 'LDT_Gemeente')])] : []),
    ],
  };
}

/** §7.6: the declaration lines, shared by 323 and 325. */
function clientenMetPrestaties(): ComplexType[] {
  return [
    lijst('Clienten', 'Client'),
    klasse('Client', [e('Bsn', 'LDT_BurgerServicenummer'), e('Prestaties', 'Prestaties')]),
    lijst('Prestaties', 'Prestatie'),
    klasse('Prestatie', [
      e('ProductReferentie', 'CDT_Referentie'),
      e('ToewijzingNummer', 'LDT_Nummer'),
      e('ProductCategorie', 'LDT_ProductCategorie'),
      e('ProductCode', 'LDT_ProductCode'),
      e('ProductPeriode', 'CDT_GeslotenPeriode'),
      e('GeleverdVolume', 'LDT_Volume'),
      e('Eenheid', 'LDT_Eenheid'),
      e('ProductTarief', 'LDT_Bedrag', '0..1'),
      e('IngediendBedrag', 'CDT_BedragMetDC'),
    ]),
  ];
}

/** §7.6: 323 Declaratie. */
function declaratie(): Boom {
  return {
    titel: 'Declaratie',
    afzender: 'aanbieder',
    root: [e('Declaratie', 'Declaratie')],
    typen: [
      klasse('Declaratie', [
        // the 323 restricts the DeclaratieNummer locally; the 325 does not
        e('DeclaratieNummer', { beperking: 'LDT_IdentificatieDeclaratie', pattern: '([a-zA-Z0-9])+' }),
        e('DeclaratiePeriode', 'CDT_GeslotenPeriode'),
        e('DeclaratieDagtekening', 'LDT_Datum'),
        e('TotaalIngediendBedrag', 'CDT_TotaalBedragMetDC'),
        e('Clienten', 'Clienten'),
      ]),
      ...clientenMetPrestaties(),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Derived messages

/** Adds `RetourCodes` [1] as the last child of every class (§6, §7 "+RC"); wrappers and CDTs get none. */
function metRetourCodes(typen: readonly ComplexType[]): ComplexType[] {
  return typen.map((t) => (t.soort === 'klasse' ? { ...t, elementen: [...t.elementen, e('RetourCodes', 'RetourCodes')] } : t));
}

/**
 * The retour of a heen message (§4.2, §6, §7.1–7.5): the retour header with the same Afzender/Ontvanger
 * types, the body optional (Client or Antwoord 0..1), and RetourCodes in every class.
 */
function retour(heen: Boom): Boom {
  return {
    titel: `${heen.titel} retour`,
    afzender: heen.afzender,
    root: heen.root.map((el) => ({ ...el, minOccurs: 0 as const })),
    typen: metRetourCodes(heen.typen),
  };
}

/** §4.3, §7.6: the 325 answers the 323 line by line. */
function declaratieAntwoord(): Boom {
  return {
    titel: 'Declaratie-antwoord',
    afzender: 'gemeente',
    root: [e('DeclaratieAntwoord', 'DeclaratieAntwoord', '0..1')],
    typen: [
      klasse('DeclaratieAntwoord', [
        e('DeclaratieNummer', 'LDT_IdentificatieDeclaratie'),
        e('TotaalIngediendBedrag', 'CDT_TotaalBedragMetDC'),
        e('TotaalToegekendBedrag', 'CDT_TotaalBedragMetDC'),
        e('Clienten', 'Clienten', '0..1'),
        e('RetourCodes', 'RetourCodes'),
      ]),
      ...metRetourCodes(clientenMetPrestaties()),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------

type Kop = 'heen' | 'retour' | 'declaratieAntwoord';

function bericht(s: Standaard, nummer: string, boom: Boom, kop: Kop): BerichtSchema {
  const code = BERICHTCODES[s][nummer];
  if (!code) throw new Error(`no BerichtCode for ${s} ${nummer}`);
  const header =
    kop === 'heen'
      ? heenHeader(code, boom.afzender)
      : kop === 'retour'
        ? retourHeader(code, boom.afzender)
        : declaratieAntwoordHeader(code);
  return {
    standaard: s,
    nummer,
    berichtCode: code,
    titel: boom.titel,
    typen: [
      overig('Root', [e('Header', 'Header'), ...boom.root]),
      overig('Header', header),
      ...(kop === 'heen' ? [] : [RETOURCODES]),
      ...boom.typen,
    ],
  };
}

/** The 14 messages of one standard, in number order. */
export function berichten(s: Standaard): BerichtSchema[] {
  const heen: Array<[string, Boom]> = [
    ['301', toewijzing()],
    ['305', start()],
    ['307', stop()],
    ['315', verzoekOmToewijzing(s)],
    ['317', verzoekOmWijziging()],
    ['319', antwoord(s)],
  ];
  const uit: BerichtSchema[] = [];
  for (const [nummer, boom] of heen) {
    uit.push(bericht(s, nummer, boom, 'heen'));
    uit.push(bericht(s, String(Number(nummer) + 1), retour(boom), 'retour'));
  }
  uit.push(bericht(s, '323', declaratie(), 'heen'));
  uit.push(bericht(s, '325', declaratieAntwoord(), 'declaratieAntwoord'));
  return uit;
}

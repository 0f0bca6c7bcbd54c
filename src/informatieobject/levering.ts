/**
 * Levering: the start and the stop of the care for one toewijzing product, as the aanbieder reports them: the
 * StartProduct of the 305 and the StopProduct of the 307, owned by the aanbieder that sends them (the
 * Afzender, an AGB code), given to the gemeente (the Ontvanger). The 306 and 308 retours echo them.
 *
 * A start and a stop are two records, not two versions of one: the 307's key holds more than the start's
 * (RedenBeeindiging and Einddatum) and one start may have several stops (a temporary stop, reason 20,
 * may be followed by a final one without a new start: TR413–TR415), each of which the gemeente must be able
 * to read on its own. The element's local name is part of the identity, so a stop never becomes a version of
 * the start with the same keys.
 */
import { kind, tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import { BERICHTVERKEER, type InformatieObject, type Objectcontext, type Verwijzing } from './type.js';

/** Both elements' children in schema order; the start lacks RedenBeeindiging and Einddatum. */
const VELDEN = ['ToewijzingNummer', 'Product', 'ToewijzingIngangsdatum', 'Begindatum', 'RedenBeeindiging', 'Einddatum', 'StatusAanlevering'] as const;

/** StatusAanlevering 3: the aanbieder deletes what it delivered before (CS058; a correction is a delete and a new 1, IV008). */
const VERWIJDEREN = '3';

const tekstOf = (tekst: string, k: Knoop | undefined): string => (k ? tekstVan(tekst, k) : '');

/**
 * Client BSN (first, for the person index), the element (start or stop), then the keys of the 3.2 rules:
 * ToewijzingNummer, Product Categorie and Code, Begindatum, and for a stop RedenBeeindiging and Einddatum (a
 * start has neither). An optional key that is absent is the empty string, which no present value is (each is
 * at least one character), and the parts are hashed length-prefixed, so absence is deterministic and
 * unambiguous.
 */
function identiteit({ tekst, root, knoop }: Objectcontext): string[] {
  const product = kind(knoop, 'Product');
  return [
    tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!),
    knoop.lokaal,
    tekstOf(tekst, kind(knoop, 'ToewijzingNummer')),
    tekstOf(tekst, product && kind(product, 'Categorie')),
    tekstOf(tekst, product && kind(product, 'Code')),
    tekstOf(tekst, kind(knoop, 'Begindatum')),
    tekstOf(tekst, kind(knoop, 'RedenBeeindiging')),
    tekstOf(tekst, kind(knoop, 'Einddatum')),
  ];
}

/**
 * A stop's grounds end with its own Einddatum: the gemeente checks declarations for care up to that day (plus
 * `toegang.nalooptijdMaanden`). A start states no end (open-ended, `null`): the care runs until a stop, which is
 * a record of its own, and the gemeente needs the start for as long as the care is declared. A delete
 * (StatusAanlevering 3) ends the grounds on its Dagtekening (or a stop's earlier Einddatum): the levering no
 * longer grounds care, yet the gemeente keeps the nalooptijd to reconcile what it was told. A later first
 * delivery (1) of the same keys opens them again, as the latest message decides.
 */
function einde({ tekst, kop, knoop }: Objectcontext): string | null {
  const eind = kind(knoop, 'Einddatum');
  const eigen = eind ? tekstVan(tekst, eind) : null;
  if (tekstOf(tekst, kind(knoop, 'StatusAanlevering')).trim() !== VERWIJDEREN || !kop.dagtekening) return eigen;
  return eigen !== null && eigen < kop.dagtekening ? eigen : kop.dagtekening;
}

/**
 * A start or stop names the gemeente's toewijzing by ToewijzingNummer (unique per gemeente per client). One the
 * gemeente never sent is still the aanbieder's record, registered, and flagged in the conversion report. Checked
 * once a `toewijzing` object is declared and planned (the gemeente's records, identity client BSN +
 * ToewijzingNummer); a message without a ToewijzingNummer names none.
 */
const TOEWIJZING: Verwijzing = {
  object: 'toewijzing',
  identiteit: ({ tekst, root, knoop }) => {
    const nummer = kind(knoop, 'ToewijzingNummer');
    return nummer ? [tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!), tekstVan(tekst, nummer)] : undefined;
  },
  melding: 'ToewijzingNummer unknown',
};

export const levering: InformatieObject = {
  naam: 'levering',
  type: 'Levering',
  voorkomens: [
    { bericht: '305', pad: ['Client', 'StartProducten', 'StartProduct'], rol: 'bron', verwijstNaar: TOEWIJZING },
    { bericht: '306', pad: ['Client', 'StartProducten', 'StartProduct'], rol: 'echo' },
    { bericht: '307', pad: ['Client', 'StopProducten', 'StopProduct'], rol: 'bron', verwijstNaar: TOEWIJZING },
    { bericht: '308', pad: ['Client', 'StopProducten', 'StopProduct'], rol: 'echo' },
  ],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit,
  velden: VELDEN,
  // what the gemeente matches a start or stop with (its toewijzing, and a stop with its start: TR382 repeats
  // the start keys unchanged). ToewijzingIngangsdatum is not a key but lies between Product and Begindatum,
  // and the kept children are a prefix of the children in schema order. What the aanbieder states about the
  // levering (RedenBeeindiging, Einddatum, StatusAanlevering) travels by Sleutel only after the einddatum.
  behoud: ['ToewijzingNummer', 'Product', 'ToewijzingIngangsdatum', 'Begindatum'],
  // the 306/308 echo with RetourCodes as the last child: the message's own
  bericht: ['RetourCodes'],
  // Begindatum is required (the kept children before it are optional), so the Sleutel always has its anchor
  sleutelNa: 'Begindatum',
  // rebuilding the message only: no other declared purpose (docs/serve.md) needs a start or a stop
  doelen: { [BERICHTVERKEER]: VELDEN },
  grondEinde: { uit: 'bepaald', einde },
  notificatie: { type: 'nl.netwerkbrug.levering', eventType: 'LEVERING' },
  inzagenaam: 'Start of stop van uw zorg',
};

/**
 * Toewijzing: each ToegewezenProduct of the 301 (the care the gemeente assigns to the aanbieder), owned by the
 * gemeente that sends it, identified by owner + client BSN + ToewijzingNummer (unique per gemeente per law,
 * IV066/TR332; the BSN comes first for the person index). The ToewijzingNummer stays in the message and the
 * Sleutel follows it. A 301 is a full snapshot of the client's toewijzingen at the aanbieder (OP087): one a
 * later 301 no longer carries has ended for that aanbieder. The 302 retour echoes it with its RetourCodes.
 *
 * Also what the other objects of the 301 share: their grounds last as long as the toewijzingen of the same
 * message (`TOEWIJZINGSPERIODE`). It is read from the message as it came in, before any object's data leaves
 * it, so a toewijzing past its einddatum (its Einddatum gone from the output) still sets their grounds.
 */
import { kind, tekstVan, zoekPad } from '../bericht/boom.js';
import { BERICHTVERKEER, ZORGLEVERING, type Grondeinde, type InformatieObject } from './type.js';

/**
 * A counterpart's grounds for an object of the 301 last as long as the toewijzingen of the same message: the
 * latest Einddatum of its ToegewezenProducten (open-ended when one has none). The latest message decides.
 */
export const TOEWIJZINGSPERIODE: Grondeinde = { uit: 'perioden', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], einddatum: 'Einddatum' };

const VELDEN = [
  'ToewijzingNummer',
  'ReferentieAanbieder',
  'Product',
  'Toewijzingsdatum',
  'Toewijzingstijd',
  'Ingangsdatum',
  'Einddatum',
  'RedenWijziging',
  'Omvang',
  'Budget',
  'Commentaar',
] as const;

export const toewijzing: InformatieObject = {
  naam: 'toewijzing',
  type: 'Toewijzing',
  voorkomens: [
    { bericht: '301', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], rol: 'bron', momentopname: ['Client', 'Bsn'] },
    { bericht: '302', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], rol: 'echo' },
  ],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root, knoop }) => [
    tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!),
    tekstVan(tekst, kind(knoop, 'ToewijzingNummer')!),
  ],
  velden: VELDEN,
  behoud: ['ToewijzingNummer'],
  bericht: ['RetourCodes'],
  sleutelNa: 'ToewijzingNummer',
  doelen: {
    [BERICHTVERKEER]: VELDEN,
    // what care is assigned, from when to when and how much: not the gemeente's decision moment, the
    // reason of a change, the budget or its remark
    [ZORGLEVERING]: ['ToewijzingNummer', 'Product', 'Ingangsdatum', 'Einddatum', 'Omvang'],
  },
  // its own period: open-ended while it has no Einddatum
  grondEinde: { uit: 'eigenPeriode', einddatum: ['Einddatum'] },
  notificatie: { type: 'nl.netwerkbrug.toewijzing', eventType: 'TOEWIJZING' },
  inzagenaam: 'Toewijzing (toegewezen zorg)',
};

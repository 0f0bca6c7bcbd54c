/**
 * Relatie: a contactpersoon of the client in the Toewijzing (Client/Relaties/Relatie), owned by the gemeente
 * that sends the 301, identified by owner + client BSN + Relatie/Nummer (OP071: unique per gemeente per client,
 * never changes). The 302 retour echoes the same block.
 */
import { kind, tekstVan, zoekPad } from '../bericht/boom.js';
import { BERICHTVERKEER, ZORGLEVERING, type InformatieObject } from './type.js';
import { TOEWIJZINGSPERIODE } from './toewijzing.js';

const VELDEN = ['Nummer', 'Volgorde', 'Soort', 'Geboortedatum', 'Geslacht', 'Naam', 'Contact'] as const;

export const relatie: InformatieObject = {
  naam: 'relatie',
  type: 'Relatie',
  voorkomens: [
    { bericht: '301', pad: ['Client', 'Relaties', 'Relatie'], rol: 'bron', momentopname: ['Client', 'Bsn'] },
    { bericht: '302', pad: ['Client', 'Relaties', 'Relatie'], rol: 'echo' },
  ],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root, knoop }) => [
    tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!),
    tekstVan(tekst, kind(knoop, 'Nummer')!),
  ],
  velden: VELDEN,
  behoud: ['Nummer'],
  bericht: ['RetourCodes'],
  sleutelNa: 'Nummer',
  doelen: {
    [BERICHTVERKEER]: VELDEN,
    // who the contact person is for the client, in which order to call, and how: not their birth date or sex
    [ZORGLEVERING]: ['Nummer', 'Volgorde', 'Soort', 'Naam', 'Contact'],
  },
  grondEinde: TOEWIJZINGSPERIODE,
  notificatie: { type: 'nl.netwerkbrug.relatie', eventType: 'RELATIE' },
  inzagenaam: 'Relatie (contactpersoon)',
};

/**
 * Contactgegevens: the client's addresses and phone numbers in the Toewijzing (Client/Contactgegevens, one
 * block of 1..n Contact), owned by the gemeente that sends the 301, identified by owner + client BSN.
 */
import { tekstVan, zoekPad } from '../bericht/boom.js';
import { BERICHTVERKEER, ZORGLEVERING, type InformatieObject } from './type.js';
import { TOEWIJZINGSPERIODE } from './toewijzing.js';

export const contactgegevens: InformatieObject = {
  naam: 'contactgegevens',
  type: 'Contactgegevens',
  voorkomens: [
    { bericht: '301', pad: ['Client', 'Contactgegevens'], rol: 'bron', momentopname: ['Client', 'Bsn'] },
    { bericht: '302', pad: ['Client', 'Contactgegevens'], rol: 'echo' },
  ],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root }) => [tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!)],
  velden: ['Contact'],
  behoud: [],
  // a 302's Contact carries RetourCodes: the message's own, so such an echo keeps its data
  bericht: ['RetourCodes'],
  sleutelNa: null,
  // one field (Contact: the addresses, phone numbers and e-mail), so both purposes see all of it
  doelen: { [BERICHTVERKEER]: ['Contact'], [ZORGLEVERING]: ['Contact'] },
  grondEinde: TOEWIJZINGSPERIODE,
  notificatie: { type: 'nl.netwerkbrug.contactgegevens', eventType: 'CONTACTGEGEVENS' },
  inzagenaam: 'Uw contactgegevens',
};

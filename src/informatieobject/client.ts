/**
 * Client: the client's own data in the Toewijzing (the children of Client that describe the person: birth date,
 * sex, name, how to communicate, legal status and representation, a remark), owned by the gemeente that sends
 * the 301, identified by owner + client BSN. The Bsn stays in the message (it names the client, and the
 * Sleutel follows it). The other children of Client belong to other objects (Relaties, Contactgegevens,
 * ToegewezenProducten) or to the message (a 302's RetourCodes): they are no fields, so they are neither stored
 * nor removed here, and the objects in them are keyed on their own. The 302 retour echoes the same block.
 *
 * Not declared: the Client of a 305/307 (Bsn, Geboortedatum, Geslacht, a shortened Naam). Its Naam is a
 * CDT_VerkorteNaam, not the record's CDT_VolledigeNaam, so that block cannot be rebuilt from the record; see
 * docs/informatieobjecten.md.
 */
import { tekstVan, zoekPad } from '../bericht/boom.js';
import { BERICHTVERKEER, ZORGLEVERING, type InformatieObject } from './type.js';
import { TOEWIJZINGSPERIODE } from './toewijzing.js';

const VELDEN = ['Geboortedatum', 'Geslacht', 'Naam', 'Communicatie', 'JuridischeStatus', 'WettelijkeVertegenwoordiging', 'Commentaar'] as const;

export const client: InformatieObject = {
  naam: 'client',
  type: 'Client',
  voorkomens: [
    { bericht: '301', pad: ['Client'], rol: 'bron', momentopname: ['Client', 'Bsn'] },
    { bericht: '302', pad: ['Client'], rol: 'echo' },
  ],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root }) => [tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!)],
  velden: VELDEN,
  behoud: [],
  bericht: ['RetourCodes'],
  sleutelNa: 'Bsn',
  doelen: {
    [BERICHTVERKEER]: VELDEN,
    // to address and reach the client: the name, the form and language to communicate in, and whether a
    // legal representative speaks for them; not the birth date, sex, legal status or the gemeente's remark
    [ZORGLEVERING]: ['Naam', 'Communicatie', 'WettelijkeVertegenwoordiging'],
  },
  grondEinde: TOEWIJZINGSPERIODE,
  notificatie: { type: 'nl.netwerkbrug.client', eventType: 'CLIENT' },
  inzagenaam: 'Uw persoonsgegevens',
};

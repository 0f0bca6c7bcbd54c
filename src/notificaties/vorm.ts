/**
 * The two wire shapes of a notification, as pure functions: a CloudEvent 1.0 in structured JSON mode (NL GOV
 * profile, built and validated with the CloudEvents SDK) and the iWlz notification (the `zendNotificatie`
 * GraphQL mutation of iWlz-generiek's netwerkpunt). Both carry only keys: type, the object's Sleutel, the
 * version and where to fetch it. Never personal data.
 */
import { CloudEvent, HTTP } from 'cloudevents';
import type { BewaardBericht } from '../bronregistratie/berichten.js';
import type { OutboxRij } from '../bronregistratie/notificatiestore.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { idType, typeVoor, type Notificatietype } from './catalogus.js';
import type { Vorm } from './instellingen.js';

/** One notification for one recipient, before it is put on the wire. */
export interface Notificatie {
  /** the outbox id: the CloudEvents `id`, the same on every retry and resend */
  id: string;
  type: Notificatietype;
  /** CloudEvents `source` */
  bron: string;
  /** `Relatie/{uuid}` */
  subject: string;
  /** the record's registration time (the time the event was recorded) */
  tijd: string;
  dataref: string;
  /** the record's version (CloudEvents `sequence`); absent for a message-level notification */
  versie?: number;
  /** a message-level notification's `data` (application/json): its type and Sleutels, never personal data */
  data?: Berichtdata;
  afzender: string;
  ontvanger: string;
  /** the subscription that asked for it (the iWlz `ontvangerKenmerk`) */
  abonnement: string | null;
  /** the law of the record (`wmo`, `jeugdwet`): not personal data; the CloudEvents extension attribute `wet` */
  wet?: string;
}

/** The `data` of a message-level notification: the message type and per Sleutel where to fetch its version. */
export interface Berichtdata {
  berichttype: string;
  sleutels: Array<{ object: string; sleutel: string; versie: number; dataref: string }>;
}

export interface Bericht {
  headers: Record<string, string>;
  body: string;
}

/** The notification of an outbox entry for a recipient; undefined when its type is not in the catalogue. */
export function maakNotificatie(n: OutboxRij, ontvanger: string, abonnement: string | null, o: { bron: string; basisUrl: string }): Notificatie | undefined {
  if (n.soort === 'bericht') return undefined;
  const type = typeVoor(n.object, n.soort);
  const object = informatieobject(n.object);
  if (!type || !object) return undefined;
  return {
    id: n.id,
    type,
    bron: o.bron,
    subject: `${object.type}/${n.sleutel}`,
    tijd: n.tijd,
    dataref: `${o.basisUrl}/bronregistraties/${encodeURIComponent(n.object)}/${n.sleutel}?versie=${n.versie}`,
    versie: n.versie,
    afzender: n.eigenaar,
    ontvanger,
    abonnement,
    ...(n.wet ? { wet: n.wet } : {}),
  };
}

/**
 * The notification of a key-only message (an outbox entry of soort `bericht`) for its recipient: subject
 * `Bericht/{id}`, dataref the message at `GET /berichten/{id}`, data the Sleutels it carries each with its
 * record's dataref. Undefined when its type is not in the catalogue.
 */
export function maakBerichtNotificatie(n: OutboxRij, bericht: BewaardBericht, ontvanger: string, abonnement: string | null, o: { bron: string; basisUrl: string }): Notificatie | undefined {
  const type = typeVoor(bericht.berichttype, 'bericht');
  if (!type) return undefined;
  return {
    id: n.id,
    type,
    bron: o.bron,
    subject: `Bericht/${bericht.id}`,
    tijd: n.tijd,
    dataref: `${o.basisUrl}/berichten/${bericht.id}`,
    data: {
      berichttype: bericht.berichttype,
      sleutels: bericht.sleutels.map((s) => ({
        object: s.object,
        sleutel: s.sleutel,
        versie: s.versie,
        dataref: `${o.basisUrl}/bronregistraties/${encodeURIComponent(s.object)}/${s.sleutel}?versie=${s.versie}`,
      })),
    },
    afzender: bericht.eigenaar,
    ontvanger,
    abonnement,
    wet: bericht.wet,
  };
}

/** The CloudEvent of a notification; throws when the SDK finds it invalid. */
export function alsCloudEvent(n: Notificatie): CloudEvent<Berichtdata | undefined> {
  const ce = new CloudEvent<Berichtdata | undefined>({
    id: n.id,
    source: n.bron,
    type: n.type.id,
    subject: n.subject,
    time: n.tijd,
    dataref: n.dataref,
    ...(n.versie !== undefined ? { sequence: String(n.versie), sequencetype: 'Integer' } : {}),
    ...(n.data ? { datacontenttype: 'application/json', data: n.data } : {}),
    // an extension attribute (NL GOV profile: lower case, at most 20 characters, kept minimal): the law
    ...(n.wet ? { wet: n.wet } : {}),
  }, true);
  ce.validate();
  return ce;
}

/** The iWlz `NotificatieInput` of a notification. */
export function alsIwlz(n: Notificatie): Record<string, unknown> {
  return {
    timestamp: n.tijd,
    afzenderIDType: idType(n.afzender) ?? 'ONBEKEND',
    afzenderID: n.afzender,
    ontvangerIDType: idType(n.ontvanger) ?? 'ONBEKEND',
    ontvangerID: n.ontvanger,
    ...(n.abonnement ? { ontvangerKenmerk: n.abonnement } : {}),
    eventType: n.type.iwlzType,
    subjectList: [{ subject: n.subject, recordID: n.subject }],
  };
}

const ZEND_NOTIFICATIE = 'mutation zendNotificatie($notificatieInput: NotificatieInput!) { zendNotificatie(notificatieInput: $notificatieInput) { notificatieID } }';

/**
 * The HTTP request body and headers of a notification in a wire shape. `Idempotency-Key` carries the id in
 * both shapes (the iWlz input has no id field), so a receiver can drop a retried or resent duplicate.
 */
export function opDeDraad(n: Notificatie, vorm: Vorm): Bericht {
  if (vorm === 'cloudevents') {
    const m = HTTP.structured(alsCloudEvent(n));
    return { headers: { ...(m.headers as Record<string, string>), 'idempotency-key': n.id }, body: String(m.body) };
  }
  return {
    headers: { 'content-type': 'application/json', 'idempotency-key': n.id },
    body: JSON.stringify({ query: ZEND_NOTIFICATIE, operationName: 'zendNotificatie', variables: { notificatieInput: alsIwlz(n) } }),
  };
}

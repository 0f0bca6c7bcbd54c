/**
 * `POST /notificaties`: the receiving side of notifications. A CloudEvent 1.0 in structured JSON mode from an
 * identified participant in the address book (scope `berichten:inkomend`: it hands in a message for this
 * participant). A message notification (`nl.netwerkbrug.bericht.*`) is written to the inbox before it is
 * answered 202, keyed by (sender, event id): a duplicate is answered 202 again and adds nothing; the receiving
 * worker (src/ontvangst/werker.ts) fetches, rebuilds and hands it over. Its dataref must lie below the caller's
 * basisUrl in the address book: nothing is ever fetched from an address a caller chose (SSRF). A record
 * notification is acknowledged 204 and only counted and logged (ids and types). Without an `ontvangst`
 * section: 404. A bad body is a problem naming the rule, never echoing what was sent.
 */
import { HTTP, type CloudEvent } from 'cloudevents';
import type { FastifyInstance } from 'fastify';
import type { Inbox } from '../../ontvangst/inbox.js';
import { BERICHTTYPE_PREFIX, onder, type Ontvangstwerker } from '../../ontvangst/werker.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';

export interface NotificatieOpties {
  o: Omgeving;
  /** the inbox and its worker; undefined without an `ontvangst` section */
  ontvangst?: { inbox: Inbox; werker: Ontvangstwerker };
}

const CE = 'application/cloudevents+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BERICHTTYPE = /^nl\.netwerkbrug\.bericht\.[a-z]{2,4}[0-9]{3}$/;

const NOTIFICATIES = {
  summary: 'Receive a notification: a message notification is kept in the inbox and its message fetched, rebuilt and handed to the legacy system',
  security: BEVEILIGD,
  headers: { ...KOPPEN, properties: { ...KOPPEN.properties, 'idempotency-key': { type: 'string', maxLength: 200, description: 'the event id' } } },
  body: { content: { [CE]: { schema: { description: 'a CloudEvent 1.0 (a JSON object), structured mode' } } } },
  response: {
    202: { description: 'a message notification, recorded in the inbox (or recorded before: a duplicate)', type: 'null' },
    204: { description: 'a record notification, acknowledged', type: 'null' },
    400: probleem('not one valid CloudEvent 1.0, or a rule of a message notification broken (the id a UUID, a dataref, the idempotency-key the id)'),
    401: probleem('not identified'),
    403: probleem('the caller lacks the scope, is not in the address book, or the dataref is not below its basisUrl'),
    404: probleem('this sidecar does not receive notifications (no ontvangst section)'),
    413: probleem('larger than 64 kB'),
    415: probleem(`not ${CE}`),
  },
};

export async function notificatieRoutes(app: FastifyInstance, { o, ontvangst }: NotificatieOpties): Promise<void> {
  voegGedeeldeSchemasToe(app);
  app.addContentTypeParser(CE, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, klaar) => klaar(null, body));

  app.post('/notificaties', { onRequest: vereis(o, 'berichten:inkomend'), schema: NOTIFICATIES, bodyLimit: 64 * 1024 }, async (request, reply) => {
    if (!ontvangst) throw new Probleem('NIET_GEVONDEN', 'this sidecar does not receive notifications (no ontvangst section)');
    if (typeof request.body !== 'string' || !(request.headers['content-type'] ?? '').toLowerCase().startsWith(CE)) throw new Probleem('MEDIATYPE', `send the notification as ${CE} (structured mode)`);
    let ev: CloudEvent<unknown>;
    try {
      const gelezen = HTTP.toEvent({ headers: { 'content-type': CE }, body: request.body }) as CloudEvent<unknown> | CloudEvent<unknown>[];
      if (Array.isArray(gelezen)) throw new Error('batch');
      // the SDK reads structured mode without checking: the spec's rules are checked here
      gelezen.validate();
      if (gelezen.specversion !== '1.0') throw new Error('specversion');
      ev = gelezen;
    } catch {
      throw new Probleem('ONGELDIG_VERZOEK', 'the body must be one CloudEvent 1.0 in structured JSON mode (specversion 1.0, id, source, type)');
    }
    const sleutel = request.headers['idempotency-key'];
    if (sleutel !== undefined && sleutel !== ev.id) throw new Probleem('ONGELDIG_VERZOEK', 'the idempotency-key header must be the event id');
    const afzender = request.identiteit!.code;
    const adres = o.config.adresboek[afzender];
    if (!adres) throw new Probleem('GEEN_TOEGANG', 'a notification is accepted only from a participant in the address book');
    if (!ev.type.startsWith(BERICHTTYPE_PREFIX)) {
      o.metingen.notificatiesOntvangen.inc({ soort: 'record' });
      request.log.info({ afzender, id: UUID.test(ev.id) ? ev.id : '(geen uuid)', type: ev.type.length <= 100 ? ev.type : '(te lang)' }, 'notificatie ontvangen');
      return reply.code(204).send();
    }
    if (!BERICHTTYPE.test(ev.type)) throw new Probleem('ONGELDIG_VERZOEK', 'a message notification type is nl.netwerkbrug.bericht.<message type in lower case>, e.g. nl.netwerkbrug.bericht.wmo301');
    if (!UUID.test(ev.id)) throw new Probleem('ONGELDIG_VERZOEK', 'the id of a message notification must be a UUID');
    const dataref = ev.dataref;
    if (typeof dataref !== 'string' || dataref.length > 2048) throw new Probleem('ONGELDIG_VERZOEK', 'a message notification names its message in dataref (a URL)');
    if (!onder(dataref, adres.basisUrl)) throw new Probleem('GEEN_TOEGANG', "the dataref must lie below the caller's basisUrl in the address book");
    // kept and fetched as the URL it normalises to (the one checked above)
    const href = new URL(dataref).href;
    const subject = typeof ev.subject === 'string' && ev.subject.length <= 200 ? ev.subject : null;
    // durable before the answer: a 202 is never lost, whatever happens next
    const nieuw = ontvangst.inbox.zetIn({ afzender, id: ev.id, type: ev.type, subject, dataref: href });
    o.metingen.notificatiesOntvangen.inc({ soort: nieuw ? 'bericht' : 'dubbel' });
    request.log.info({ afzender, id: ev.id, type: ev.type, dubbel: !nieuw }, 'notificatie ontvangen');
    if (nieuw) ontvangst.werker.wek();
    return reply.code(202).send();
  });
}

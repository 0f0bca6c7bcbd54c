/**
 * `POST /berichten/uitgaand`: an estafette message in, the keyed message out, through the sending core
 * (`verwerkUitgaand`: validate, convert and register in one transaction, validate the result). A message that is not
 * valid, or whose result would not be, is answered 422 with every place and rule, and kept in the quarantine
 * folder with its reason. The caller must be the message's Afzender.
 *
 * A key-only 301 (every object in its `na` phase) is kept and announced by one message-level notification, in
 * the transaction of its registration (bronregistratie/berichten.ts); with `adresboek.<Ontvanger>.alleenNotificatie`
 * it is answered `202` JSON (nothing to send) instead of the message.
 *
 * `GET /berichten/{id}`: a kept key-only message, for its Ontvanger only; to anyone else it does not exist (404).
 *
 * `POST /berichten/inkomend`: a keyed message in, the full 3.2 message out, through the rehydration engine
 * (`verwerkInkomend`): every Sleutel resolved at its owner (this bronregistratie, or the owner's API over mTLS,
 * the trace context passed on), the result validated against the plain schema. The caller must be the message's
 * Ontvanger and have grounds for local records. An unresolvable Sleutel, an invalid message or result: 422 and
 * quarantine; an owner that cannot be reached: 502, nothing kept (the message can simply be sent again).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { schrijfAtomisch } from '../../archief/uitvoer.js';
import { MAX_BERICHT_BYTES } from '../../bericht/lezen.js';
import type { GeldigBericht, Validatiefout } from '../../bericht/validatie.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { schrijfReden } from '../../archief/quarantaine.js';
import { verwerkUitgaand, type Omzetting } from '../../omzetten/uitgaand.js';
import { WET_VAN } from '../../bericht/catalogus.js';
import type { Berichtsleutel } from '../../bronregistratie/berichten.js';
import { typeVoor } from '../../notificaties/catalogus.js';
import { maakOplosser } from '../../netwerk/api-oplosser.js';
import { OplosserFout } from '../../rehydreren/oplosser.js';
import { verwerkInkomend } from '../../rehydreren/inkomend.js';
import { GrondOplosser } from '../../rehydreren/grondoplosser.js';
import { AuditOplosser } from '../leesaudit.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';
import { traceparent } from '../trace.js';

const XML = ['application/xml', 'text/xml'];
const BESTAND = 'bericht.xml';

/** an XML document in the body or the answer (not validated by fastify: the message schemas do that) */
const xml = (description: string) => ({ description, content: Object.fromEntries(XML.map((t) => [t, { schema: { type: 'string' } }])) });
const xmlBody = { content: Object.fromEntries(XML.map((t) => [t, { schema: { description: 'an iWmo/iJw 3.2 message' } }])) };

const UITGAAND = {
  summary: 'Convert an outgoing estafette message: register its informatieobjecten, answer the keyed message',
  security: BEVEILIGD,
  headers: KOPPEN,
  body: xmlBody,
  response: {
    200: xml('the keyed message (or the message unchanged when the plan keeps it so); a key-only 301 is also kept and announced as notification Bericht/{id}'),
    202: {
      description: 'nothing to send: the message is key-only and its Ontvanger takes it as notification alone (adresboek.<code>.alleenNotificatie)',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['verzonden', 'reden', 'bericht', 'notificatie'],
            properties: {
              verzonden: { type: 'boolean', enum: [false] },
              reden: { type: 'string', description: 'why nothing is sent, in one sentence' },
              bericht: { type: 'string', format: 'uuid', description: 'the id of the kept message (GET /berichten/{id})' },
              notificatie: { type: 'string', format: 'uuid', description: 'the id of its notification (the CloudEvents id)' },
            },
          },
        },
      },
    },
    400: probleem('X-Doel is malformed'),
    401: probleem('not identified'),
    403: probleem('the caller lacks the scope, or is not the Afzender of the message'),
    413: probleem('larger than 25 MB (OP179)'),
    415: probleem('not application/xml'),
    422: probleem('the message (or its conversion) is not valid: every place (line, column, element path) and rule; kept in quarantine'),
  },
};

const INKOMEND = {
  summary: 'Rehydrate an incoming keyed message: every Sleutel resolved at its owner, the full 3.2 message answered',
  security: BEVEILIGD,
  headers: KOPPEN,
  body: xmlBody,
  response: {
    200: xml('the full 3.2 message'),
    400: probleem('X-Doel is malformed'),
    401: probleem('not identified'),
    403: probleem('the caller lacks the scope, or is not the Ontvanger of the message'),
    413: probleem('larger than 25 MB (OP179)'),
    415: probleem('not application/xml'),
    422: probleem('the message is not valid, a Sleutel cannot be resolved (unknown or refused), or the result is not valid; kept in quarantine'),
    502: probleem("the owner's bronregistratie cannot be reached; nothing kept, send again later"),
  },
};

const BERICHT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const BEWAARD = {
  summary: 'A kept key-only message (announced as notification Bericht/{id}), for its Ontvanger only',
  security: BEVEILIGD,
  headers: KOPPEN,
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'the id of the message (the notification subject Bericht/{id})' } } },
  response: {
    200: xml('the key-only message, exactly the bytes POST /berichten/uitgaand would have answered'),
    400: probleem('X-Doel is malformed'),
    401: probleem('not identified'),
    403: probleem('the caller lacks the scope berichten:inkomend'),
    404: probleem('no such message for this caller (an unknown id and another participant\'s message are answered alike)'),
  },
};

/** What a key-only message keeps: per object its Sleutel and the version it names (once each). */
function sleutelsVan(u: Omzetting['uitkomst'], versie: (sleutel: string) => number | undefined): Berichtsleutel[] {
  const uit = new Map<string, Berichtsleutel>();
  for (const ob of u.objecten) {
    if (!ob.sleutel || uit.has(ob.sleutel)) continue;
    const v = ob.versie ?? versie(ob.sleutel);
    if (v !== undefined) uit.set(ob.sleutel, { object: ob.object, sleutel: ob.sleutel, versie: v });
  }
  return [...uit.values()];
}

export async function berichtRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  app.addContentTypeParser(XML, { parseAs: 'buffer', bodyLimit: MAX_BERICHT_BYTES }, (_req, body, klaar) => klaar(null, body));

  /** Keeps a refused message and its reasons; returns the name it was kept under (no folder: that is ours). */
  const quarantaine = (request: FastifyRequest, richting: string, bytes: Buffer, redenen: string[]) => {
    const naam = `${request.trace.traceId}-${request.trace.spanId}.xml`;
    const doel = join(o.quarantaine, richting, naam);
    schrijfAtomisch(doel, bytes);
    const kop = `POST /berichten/${richting} ${new Date().toISOString()} trace ${request.trace.traceId} deelnemer ${request.identiteit?.code ?? '-'}`;
    schrijfReden(doel, kop, redenen);
    return naam;
  };
  const afgekeurd = (detail: string, fouten: readonly Validatiefout[], naam: string) =>
    new Probleem('BERICHT_ONGELDIG', detail, {
      fouten: fouten.map((f) => ({ code: f.code, ...(f.regel ? { regel: f.regel } : {}), ...(f.kolom ? { kolom: f.kolom } : {}), ...(f.pad ? { pad: f.pad } : {}), omschrijving: f.omschrijving })),
      quarantaine: naam,
    });

  app.post('/berichten/uitgaand', { config: { actie: 'berichten:uitgaand' }, onRequest: vereis(o, 'berichten:uitgaand'), schema: UITGAAND }, async (request, reply) => {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes)) throw new Probleem('MEDIATYPE', `send the message as ${XML.join(' or ')}`);
    let ontvanger: string | undefined;
    const omzetting = verwerkUitgaand(bytes, {
      config: o.config,
      register: o.register,
      bronregistratie: o.bronregistratie,
      bestand: BESTAND,
      controleer: ({ kop }) => {
        if (kop.afzender !== request.identiteit!.code) throw new Probleem('GEEN_TOEGANG', 'a participant may only hand in messages of which it is the Afzender');
      },
      // a key-only message of a type in the catalogue is kept and announced, in the transaction of its registration
      inTransactie: (uit, { bericht, kop }) => {
        const naam = bericht.type.naam;
        if (!uit.uitkomst.alleenSleutels || !typeVoor(naam, 'bericht') || !kop.afzender || !kop.ontvanger || !kop.identificatie || !kop.dagtekening) return undefined;
        ontvanger = kop.ontvanger;
        return o.bronregistratie.berichten.bewaar({
          berichttype: naam,
          eigenaar: kop.afzender,
          ontvanger: kop.ontvanger,
          wet: WET_VAN[bericht.type.standaard],
          inhoud: uit.uitvoer,
          sleutels: sleutelsVan(uit.uitkomst, (sl) => o.bronregistratie.versie(sl)?.nummer),
          dagtekening: kop.dagtekening,
          berichtIdentificatie: kop.identificatie,
        }, new Date().toISOString());
      },
    });
    if (omzetting.soort === 'quarantaine') {
      o.metingen.berichten.inc({ richting: 'uitgaand', uitkomst: 'afgekeurd' });
      throw afgekeurd(omzetting.detail, omzetting.fouten, quarantaine(request, 'uitgaand', bytes, omzetting.redenen));
    }
    const u = omzetting.uitkomst;
    o.metingen.berichten.inc({ richting: 'uitgaand', uitkomst: u.gewijzigd ? 'omgezet' : 'ongewijzigd' });
    // registered although the object it names was not found: the place and what is missing, never a value
    for (const ob of u.objecten) if (ob.waarschuwing) request.log.warn({ object: ob.object, plaats: ob.waarschuwing.plaats }, ob.waarschuwing.melding);
    const bewaard = omzetting.vastgelegd;
    if (bewaard && ontvanger && o.config.adresboek[ontvanger]?.alleenNotificatie) {
      request.log.info({ bericht: bewaard.id, notificatie: bewaard.notificatie }, 'key-only message not answered: it travels as notification');
      return reply.code(202).header('cache-control', 'no-store').type('application/json').send({
        verzonden: false,
        reden: `the message is key-only and travels as notification Bericht/${bewaard.id} because adresboek.${ontvanger}.alleenNotificatie is set`,
        bericht: bewaard.id,
        notificatie: bewaard.notificatie,
      });
    }
    reply
      .header('cache-control', 'no-store')
      .header('x-netwerkbrug-bericht', omzetting.bericht.type.naam)
      .type('application/xml');
    return reply.send(omzetting.uitvoer);
  });

  app.get<{ Params: { id: string } }>('/berichten/:id', { config: { actie: 'berichten:inkomend' }, onRequest: vereis(o, 'berichten:inkomend'), schema: BEWAARD }, async (request, reply) => {
    const { id } = request.params;
    const geldig = BERICHT_ID.test(id);
    const bericht = geldig ? o.bronregistratie.berichten.lees(id) : undefined;
    if (geldig) request.auditBericht = { id, uitkomst: 'verstrekt' };
    // another participant's message is answered as an unknown one: its existence is not revealed
    if (!bericht || bericht.ontvanger !== request.identiteit!.code) throw new Probleem('NIET_GEVONDEN', 'no such message');
    request.auditWet = bericht.wet;
    request.auditGrond = `Ontvanger van het bericht ${bericht.berichttype} (alleen sleutels) van ${bericht.eigenaar}`;
    reply.header('cache-control', 'no-store').header('x-netwerkbrug-bericht', bericht.berichttype).type('application/xml');
    return reply.send(bericht.inhoud);
  });

  // one resolver per server (its connection pools are kept); the trace of the request in hand travels along
  const trace = new AsyncLocalStorage<string>();
  const netwerk = o.config.server ? maakOplosser(o.config, o.bronregistratie, { traceparent: () => trace.getStore() }) : undefined;
  app.addHook('onClose', async () => netwerk?.sluit());

  app.post('/berichten/inkomend', { config: { actie: 'berichten:inkomend' }, onRequest: vereis(o, 'berichten:inkomend'), schema: INKOMEND }, async (request, reply) => {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes)) throw new Probleem('MEDIATYPE', `send the message as ${XML.join(' or ')}`);
    const code = request.identiteit!.code;
    const oplosser = new AuditOplosser(new GrondOplosser(netwerk!, o.bronregistratie, code, o.vandaag(), o.config.toegang.nalooptijdMaanden, o.config.toegang.doelen), o, request);
    const controleer = ({ kop }: GeldigBericht) => {
      if (kop.ontvanger !== code) throw new Probleem('GEEN_TOEGANG', 'a participant may only hand in messages of which it is the Ontvanger');
    };
    let u;
    try {
      u = await trace.run(traceparent(request.trace), () => verwerkInkomend(bytes, { config: o.config, register: o.register, oplosser, bestand: BESTAND, controleer }));
    } catch (e) {
      if (e instanceof OplosserFout) throw new Probleem('EIGENAAR_ONBEREIKBAAR', `the bronregistratie of ${e.eigenaar} cannot be asked; send the message again later`);
      throw e;
    }
    if (u.soort === 'quarantaine') {
      o.metingen.berichten.inc({ richting: 'inkomend', uitkomst: 'afgekeurd' });
      throw afgekeurd(u.detail, u.fouten, quarantaine(request, 'inkomend', bytes, u.redenen));
    }
    o.metingen.berichten.inc({ richting: 'inkomend', uitkomst: u.resultaat.uitkomst });
    // dual running: how far the data still travelling differs from the bronregistratie (names, never values)
    for (const ob of u.objecten) {
      for (const v of ob.verschillen) {
        o.metingen.verschillen.inc({ object: ob.object, veld: v.veld.replace(/\[\d+\]/g, ''), soort: v.soort });
        request.log.warn({ object: ob.object, veld: v.veld, soort: v.soort }, 'naast: the message and the bronregistratie differ');
      }
      if (ob.naEinddatum) {
        o.metingen.naEinddatum.inc({ object: ob.object });
        request.log.warn({ object: ob.object }, 'data after the einddatum passed (einddatumHandhaving: lenient)');
      }
    }
    reply.header('cache-control', 'no-store').header('x-netwerkbrug-bericht', u.resultaat.bericht).type('application/xml');
    return reply.send(Buffer.from(u.uitvoer));
  });
}

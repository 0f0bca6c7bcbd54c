/**
 * `POST /berichten/uitgaand`: an estafette message in, the keyed message out, through the engine of
 * `convert` (validate, convert and register in one transaction, validate the result). A message that is not
 * valid, or whose result would not be, is answered 422 with every place and rule, and kept in the quarantine
 * folder with its reason. The caller must be the message's Afzender.
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
import { valideerBericht, type Validatiefout } from '../../bericht/validatie.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { redenTekst, schrijfReden } from '../../archief/quarantaine.js';
import { UitvoerOngeldig, zetOmGecontroleerd } from '../../omzetten/verwerking.js';
import { maakOplosser } from '../../netwerk/api-oplosser.js';
import { OplosserFout } from '../../rehydreren/oplosser.js';
import { verwerkInkomend } from '../../rehydreren/verwerk.js';
import { GrondOplosser } from '../../rehydreren/grondoplosser.js';
import { AuditOplosser } from '../leesaudit.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { vereis } from '../toegang.js';
import { traceparent } from '../trace.js';

const XML = ['application/xml', 'text/xml'];
const BESTAND = 'bericht.xml';

export async function berichtRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
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

  app.post('/berichten/uitgaand', { config: { actie: 'berichten:uitgaand' }, onRequest: vereis(o, 'berichten:uitgaand') }, async (request, reply) => {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes)) throw new Probleem('MEDIATYPE', `send the message as ${XML.join(' or ')}`);
    const invoer = valideerBericht(bytes, BESTAND, o.register);
    if (!invoer.geldig || !invoer.bericht || !invoer.gelezen || !invoer.kop) {
      o.metingen.berichten.inc({ richting: 'uitgaand', uitkomst: 'afgekeurd' });
      const naam = quarantaine(request, 'uitgaand', bytes, redenTekst(BESTAND, invoer.fouten));
      throw afgekeurd('the message is not valid', invoer.fouten, naam);
    }
    if (invoer.kop.afzender !== request.identiteit!.code) {
      throw new Probleem('GEEN_TOEGANG', 'a participant may only hand in messages of which it is the Afzender');
    }
    let omzetting;
    try {
      const m = { bytes, gelezen: invoer.gelezen, bericht: invoer.bericht, kop: invoer.kop };
      omzetting = o.bron.transactie(() => zetOmGecontroleerd(m, BESTAND, o.config, o.register, o.bron));
    } catch (e) {
      if (!(e instanceof UitvoerOngeldig)) throw e;
      o.metingen.berichten.inc({ richting: 'uitgaand', uitkomst: 'afgekeurd' });
      const redenen = ['the converted message would not validate against its keyed schema:', ...redenTekst(`${BESTAND} (output)`, e.fouten)];
      throw afgekeurd('the converted message would not validate against its keyed schema', e.fouten, quarantaine(request, 'uitgaand', bytes, redenen));
    }
    const u = omzetting.uitkomst;
    o.metingen.berichten.inc({ richting: 'uitgaand', uitkomst: u.gewijzigd ? 'omgezet' : 'ongewijzigd' });
    reply
      .header('cache-control', 'no-store')
      .header('x-netwerkbrug-bericht', invoer.bericht.type.naam)
      .header('x-netwerkbrug-alleen-sleutels', String(u.alleenSleutels))
      .type('application/xml');
    return reply.send(omzetting.uitvoer);
  });

  // one resolver per server (its connection pools are kept); the trace of the request in hand travels along
  const trace = new AsyncLocalStorage<string>();
  const netwerk = o.config.server ? maakOplosser(o.config, o.bron, { doel: 'berichten:inkomend', traceparent: () => trace.getStore() }) : undefined;
  app.addHook('onClose', async () => netwerk?.sluit());

  app.post('/berichten/inkomend', { config: { actie: 'berichten:inkomend' }, onRequest: vereis(o, 'berichten:inkomend') }, async (request, reply) => {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes)) throw new Probleem('MEDIATYPE', `send the message as ${XML.join(' or ')}`);
    const invoer = valideerBericht(bytes, BESTAND, o.register);
    if (!invoer.geldig || !invoer.kop) {
      o.metingen.berichten.inc({ richting: 'inkomend', uitkomst: 'afgekeurd' });
      throw afgekeurd('the message is not valid', invoer.fouten, quarantaine(request, 'inkomend', bytes, redenTekst(BESTAND, invoer.fouten)));
    }
    const code = request.identiteit!.code;
    if (invoer.kop.ontvanger !== code) throw new Probleem('GEEN_TOEGANG', 'a participant may only hand in messages of which it is the Ontvanger');
    const oplosser = new AuditOplosser(new GrondOplosser(netwerk!, o.bron, code, o.vandaag(), o.config.toegang.nalooptijdMaanden), o, request);
    let u;
    try {
      u = await trace.run(traceparent(request.trace), () => verwerkInkomend(bytes, BESTAND, { config: o.config, register: o.register, oplosser }, invoer));
    } catch (e) {
      if (e instanceof OplosserFout) throw new Probleem('EIGENAAR_ONBEREIKBAAR', `the bronregistratie of ${e.eigenaar} cannot be asked; send the message again later`);
      throw e;
    }
    if (u.soort === 'quarantaine') {
      o.metingen.berichten.inc({ richting: 'inkomend', uitkomst: 'afgekeurd' });
      const naam = quarantaine(request, 'inkomend', bytes, u.redenen);
      const fouten = u.fouten ?? (u.fout ? [{ code: u.fout.code, ...(u.fout.plaats?.regel ? { regel: u.fout.plaats.regel } : {}), ...(u.fout.plaats?.kolom ? { kolom: u.fout.plaats.kolom } : {}), ...(u.fout.plaats?.pad ? { pad: u.fout.plaats.pad } : {}), omschrijving: u.fout.message }] : []);
      throw afgekeurd(u.fout ? u.fout.message : 'the message or its rehydration is not valid', fouten, naam);
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

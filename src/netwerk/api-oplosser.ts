/**
 * Resolving a Sleutel through its owner's API (`ApiOplosser`): `GET {adresboek[eigenaar].basisUrl}/bronregistraties/
 * {object}/{sleutel}?wet=W[&peildatum=D&berichtIdentificatie=I]` over mutual TLS with this instance's client
 * certificate, trusting the owner's CA from the address book. A refusal (403) and an unknown record (404) are
 * both `undefined`, as the interface asks; an unreachable owner or any other answer is an error, never "unknown".
 * `maakOplosser` combines it with the local bronregistratie for this installation's own Sleutels.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { BERICHTVERKEER } from '../informatieobject/type.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import { clientTls, type Adres, type Config } from '../config/typen.js';
import { OplosserFout, type Sleutelverzoek, type SleutelOplosser } from '../rehydreren/oplosser.js';
import { EigenaarOplosser } from '../rehydreren/eigenaaroplosser.js';
import type { Leesmelder } from '../rehydreren/lokaal.js';

type Gevonden = { inhoud: Veldgroep; versie: number };

export interface ApiOpties {
  adresboek: Record<string, Adres>;
  /** PEM contents of this instance's client certificate and key */
  certificaat: Buffer;
  privateKey: Buffer;
  /** the purpose sent along (`X-Doel`); default `berichtverkeer`: rebuilding the 3.2 message needs every field */
  doel?: string;
  /** the `traceparent` of the work this lookup belongs to */
  traceparent?: () => string | undefined;
  timeoutMs?: number;
}

export class ApiOplosser implements SleutelOplosser {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly o: ApiOpties) {}

  async los(v: Sleutelverzoek): Promise<Gevonden | undefined> {
    const adres = this.o.adresboek[v.eigenaar];
    if (!adres) throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} is not in the address book`);
    // the version as the message carried it: on or before its Dagtekening, its own BerichtIdentificatie first
    const peil = `?${new URLSearchParams({ wet: v.wet, ...(v.peildatum ? { peildatum: v.peildatum, ...(v.berichtIdentificatie ? { berichtIdentificatie: v.berichtIdentificatie } : {}) } : {}) }).toString()}`;
    const url = `${adres.basisUrl.replace(/\/+$/, '')}/bronregistraties/${encodeURIComponent(v.object)}/${encodeURIComponent(v.sleutel)}${peil}`;
    const tp = this.o.traceparent?.();
    let r;
    try {
      r = await request(url, {
        dispatcher: this.agent(v.eigenaar, adres),
        headers: { accept: 'application/json', 'x-doel': this.o.doel ?? BERICHTVERKEER, ...(tp ? { traceparent: tp } : {}) },
        headersTimeout: this.o.timeoutMs ?? 10_000,
        bodyTimeout: this.o.timeoutMs ?? 10_000,
      });
    } catch (e) {
      throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} cannot be reached: ${(e as Error).message}`);
    }
    if (r.statusCode === 403 || r.statusCode === 404) {
      await r.body.dump();
      return undefined;
    }
    if (r.statusCode !== 200) {
      await r.body.dump();
      throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} answered ${r.statusCode}`);
    }
    const body = (await r.body.json()) as { sleutel?: unknown; object?: unknown; eigenaar?: unknown; wet?: unknown; versie?: unknown; inhoud?: unknown };
    // an owner of before the law separation answers without a law; one that names a law must name the message's
    if (body.sleutel !== v.sleutel || body.object !== v.object || body.eigenaar !== v.eigenaar || (body.wet !== undefined && body.wet !== v.wet) || typeof body.versie !== 'number' || typeof body.inhoud !== 'object' || body.inhoud === null) {
      throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} answered a record that is not the one asked for`);
    }
    return { inhoud: body.inhoud as Veldgroep, versie: body.versie };
  }

  /**
   * `GET url` at a participant in the address book over the same mutual TLS (this instance's certificate, the
   * participant's CA): the status and body. The caller checks that `url` lies below the participant's basisUrl.
   * An unreachable participant is an `OplosserFout`; a body larger than `maxBytes` is not read on (`body` undefined).
   */
  async haal(deelnemer: string, url: string, accept: string, maxBytes: number): Promise<{ status: number; body: Buffer | undefined }> {
    const adres = this.o.adresboek[deelnemer];
    if (!adres) throw new OplosserFout(deelnemer, `participant ${deelnemer} is not in the address book`);
    const tp = this.o.traceparent?.();
    try {
      const r = await request(url, {
        dispatcher: this.agent(deelnemer, adres),
        headers: { accept, 'x-doel': this.o.doel ?? BERICHTVERKEER, ...(tp ? { traceparent: tp } : {}) },
        headersTimeout: this.o.timeoutMs ?? 10_000,
        bodyTimeout: this.o.timeoutMs ?? 10_000,
      });
      const delen: Buffer[] = [];
      let lengte = 0;
      for await (const deel of r.body as AsyncIterable<Buffer>) {
        lengte += deel.length;
        if (lengte > maxBytes) {
          r.body.destroy();
          return { status: r.statusCode, body: undefined };
        }
        delen.push(deel);
      }
      return { status: r.statusCode, body: Buffer.concat(delen) };
    } catch (e) {
      throw new OplosserFout(deelnemer, `participant ${deelnemer} cannot be reached: ${(e as Error).message}`);
    }
  }

  private agent(eigenaar: string, adres: Adres): Agent {
    let a = this.agents.get(eigenaar);
    if (!a) {
      a = new Agent({ connect: { cert: this.o.certificaat, key: this.o.privateKey, ...(adres.ca ? { ca: readFileSync(adres.ca) } : {}) } });
      this.agents.set(eigenaar, a);
    }
    return a;
  }

  async sluit(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }
}

/**
 * The oplosser of an installation: its own Sleutels (and those of owners not in the address book) from the
 * local bronregistratie through `EigenaarOplosser`, owners in the address book through their API.
 */
export class NetwerkOplosser implements SleutelOplosser {
  private readonly oplossers: EigenaarOplosser;

  constructor(config: Config, bronregistratie: Bronregistratie, readonly api: ApiOplosser, gelezen?: Leesmelder) {
    this.oplossers = new EigenaarOplosser(config, bronregistratie, api, gelezen);
  }

  los(v: Sleutelverzoek): Promise<Gevonden | undefined> {
    return this.oplossers.los(v);
  }

  sluit(): Promise<void> {
    return this.api.sluit();
  }
}

/** A `NetwerkOplosser` with this instance's client certificate (`server.tls.client*`, else the server's own). */
export function maakOplosser(config: Config, bronregistratie: Bronregistratie, extra: Pick<ApiOpties, 'doel' | 'traceparent' | 'timeoutMs'> = {}, gelezen?: Leesmelder): NetwerkOplosser {
  const tls = clientTls(config);
  if (!tls) throw new OplosserFout('-', "resolving Sleutels of other owners needs server.tls (this instance's client certificate)");
  return new NetwerkOplosser(config, bronregistratie, new ApiOplosser({ adresboek: config.adresboek, certificaat: readFileSync(tls.certificaat), privateKey: readFileSync(tls.sleutel), ...extra }), gelezen);
}

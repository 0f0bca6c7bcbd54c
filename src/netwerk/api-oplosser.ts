/**
 * Resolving a Sleutel to its record: at this installation's own bronregistratie (`LokaleOplosser`), or
 * through its owner's API (`ApiOplosser`): `GET {adresboek[eigenaar].basisUrl}/bronregistraties/{object}/{sleutel}`
 * over mutual TLS with this instance's client certificate, trusting the owner's CA from the address book.
 * `maakOplosser` picks one per request by owner. A refusal (403) and an unknown record (404) are both
 * `undefined`, as the interface asks; an unreachable owner or any other answer is an error, never "unknown".
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import type { Adres, Config } from '../plan/config.js';
import type { SleutelOplosser } from '../rehydreren/oplosser.js';

type Verzoek = Parameters<SleutelOplosser['los']>[0];
type Gevonden = { inhoud: Veldgroep; versie: number };

/** An owner could not be asked, or answered something other than a record, a refusal or "not found". */
export class OplosserFout extends Error {
  constructor(
    readonly eigenaar: string,
    message: string,
  ) {
    super(message);
    this.name = 'OplosserFout';
  }
}

/** Reads records of the owner this installation is, from its own bronregistratie. */
export class LokaleOplosser implements SleutelOplosser {
  constructor(
    private readonly bron: Bronregistratie,
    private readonly eigenaar: string,
  ) {}

  async los(v: Verzoek): Promise<Gevonden | undefined> {
    if (v.eigenaar !== this.eigenaar) return undefined;
    const r = this.bron.versie(v.sleutel);
    if (!r || r.object !== v.object || r.eigenaar !== v.eigenaar) return undefined;
    return { inhoud: r.inhoud as Veldgroep, versie: r.nummer };
  }
}

export interface ApiOpties {
  adresboek: Record<string, Adres>;
  /** PEM contents of this instance's client certificate and key */
  certificaat: Buffer;
  sleutel: Buffer;
  /** the purpose sent along (`X-Doel`) */
  doel?: string;
  /** the `traceparent` of the work this lookup belongs to */
  traceparent?: () => string | undefined;
  timeoutMs?: number;
}

export class ApiOplosser implements SleutelOplosser {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly o: ApiOpties) {}

  async los(v: Verzoek): Promise<Gevonden | undefined> {
    const adres = this.o.adresboek[v.eigenaar];
    if (!adres) throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} is not in the address book`);
    const url = `${adres.basisUrl.replace(/\/+$/, '')}/bronregistraties/${encodeURIComponent(v.object)}/${encodeURIComponent(v.sleutel)}`;
    const tp = this.o.traceparent?.();
    let r;
    try {
      r = await request(url, {
        dispatcher: this.agent(v.eigenaar, adres),
        headers: { accept: 'application/json', 'x-doel': this.o.doel ?? 'berichten:inkomend', ...(tp ? { traceparent: tp } : {}) },
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
    const body = (await r.body.json()) as { sleutel?: unknown; object?: unknown; eigenaar?: unknown; versie?: unknown; inhoud?: unknown };
    if (body.sleutel !== v.sleutel || body.object !== v.object || body.eigenaar !== v.eigenaar || typeof body.versie !== 'number' || typeof body.inhoud !== 'object' || body.inhoud === null) {
      throw new OplosserFout(v.eigenaar, `owner ${v.eigenaar} answered a record that is not the one asked for`);
    }
    return { inhoud: body.inhoud as Veldgroep, versie: body.versie };
  }

  private agent(eigenaar: string, adres: Adres): Agent {
    let a = this.agents.get(eigenaar);
    if (!a) {
      a = new Agent({ connect: { cert: this.o.certificaat, key: this.o.sleutel, ...(adres.ca ? { ca: readFileSync(adres.ca) } : {}) } });
      this.agents.set(eigenaar, a);
    }
    return a;
  }

  async sluit(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }
}

/** Local records from the bronregistratie, others through their owner's API. */
export class NetwerkOplosser implements SleutelOplosser {
  constructor(
    private readonly eigenCode: string | undefined,
    private readonly lokaal: LokaleOplosser | undefined,
    private readonly api: ApiOplosser,
  ) {}

  los(v: Verzoek): Promise<Gevonden | undefined> {
    return v.eigenaar === this.eigenCode && this.lokaal ? this.lokaal.los(v) : this.api.los(v);
  }

  sluit(): Promise<void> {
    return this.api.sluit();
  }
}

/** The oplosser of an installation: its own client certificate (`server.tls.client*`, else the server's) and address book. */
export function maakOplosser(config: Config, bron: Bronregistratie, extra: Pick<ApiOpties, 'doel' | 'traceparent' | 'timeoutMs'> = {}): NetwerkOplosser {
  const tls = config.server?.tls;
  const cert = tls?.clientCertificaat ?? tls?.certificaat;
  const key = tls?.clientSleutel ?? tls?.sleutel;
  if (!cert || !key) throw new OplosserFout('-', 'resolving Sleutels of other owners needs server.tls (this instance\'s client certificate)');
  const code = config.deelnemer?.code;
  const api = new ApiOplosser({ adresboek: config.adresboek, certificaat: readFileSync(cert), sleutel: readFileSync(key), ...extra });
  return new NetwerkOplosser(code, code ? new LokaleOplosser(bron, code) : undefined, api);
}

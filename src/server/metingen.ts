/** Prometheus metrics of one server instance (its own registry, so instances in one process stay apart). */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export class Metingen {
  readonly register = new Registry();
  readonly verzoeken = new Counter({
    name: 'netwerkbrug_http_verzoeken_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'methode', 'status'] as const,
    registers: [this.register],
  });
  readonly duur = new Histogram({
    name: 'netwerkbrug_http_duur_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['route', 'methode', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.register],
  });
  readonly toegang = new Counter({
    name: 'netwerkbrug_toegangsbeslissingen_total',
    help: 'access decisions on bronregistratie records',
    labelNames: ['beslissing'] as const,
    registers: [this.register],
  });
  readonly berichten = new Counter({
    name: 'netwerkbrug_berichten_total',
    help: 'messages handed in, by direction and outcome',
    labelNames: ['richting', 'uitkomst'] as const,
    registers: [this.register],
  });

  readonly verbindingenGeweigerd = new Counter({
    name: 'netwerkbrug_verbindingen_geweigerd_total',
    help: 'connections closed at once because too many were open without an accepted identity (server.limieten.maxOngeauthenticeerd)',
    registers: [this.register],
  });

  readonly verschillen = new Counter({
    name: 'netwerkbrug_verschillen_total',
    help: 'naast phase: fields where an incoming message and the bronregistratie differ (field names, list positions left out)',
    labelNames: ['object', 'veld', 'soort'] as const,
    registers: [this.register],
  });
  readonly naEinddatum = new Counter({
    name: 'netwerkbrug_na_einddatum_total',
    help: 'objects that still carried their data after their einddatum and were passed (einddatumHandhaving: lenient)',
    labelNames: ['object'] as const,
    registers: [this.register],
  });

  readonly notificatiesOntvangen = new Counter({
    name: 'netwerkbrug_notificaties_ontvangen_total',
    help: 'notifications received at POST /notificaties, by kind (bericht, record, dubbel)',
    labelNames: ['soort'] as const,
    registers: [this.register],
  });
  readonly ontvangst = new Counter({
    name: 'netwerkbrug_ontvangst_pogingen_total',
    help: 'attempts of the receiving worker on inbox rows, by outcome (afgeleverd, opnieuw, dood)',
    labelNames: ['uitkomst'] as const,
    registers: [this.register],
  });

  /** this instance's metrics and those of the other parts of the process, as exposed at /metrics */
  readonly alle: Registry;

  constructor(andere: readonly Registry[] = []) {
    collectDefaultMetrics({ register: this.register, prefix: 'netwerkbrug_' });
    this.alle = andere.length ? Registry.merge([this.register, ...andere]) : this.register;
  }
}

/**
 * The delivery metrics (prom-client), in a registry of their own that the server can expose at /metrics
 * later (`registry.metrics()`). Labels are shapes and reason codes only: never a participant, key or URL.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Notificatiemetrieken {
  readonly bezorgd: Counter<'vorm'>;
  readonly mislukt: Counter<'vorm'>;
  readonly dood: Counter<'vorm'>;
  readonly vervallen: Counter<'reden'>;
  readonly wachtend: Gauge;
  readonly duur: Histogram<'vorm'>;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.bezorgd = new Counter({ name: 'netwerkbrug_notificaties_bezorgd_total', help: 'notifications delivered (2xx)', labelNames: ['vorm'], registers });
    this.mislukt = new Counter({ name: 'netwerkbrug_notificaties_mislukt_total', help: 'delivery attempts that failed and will be retried', labelNames: ['vorm'], registers });
    this.dood = new Counter({ name: 'netwerkbrug_notificaties_dood_total', help: 'deliveries dead-lettered after the last try', labelNames: ['vorm'], registers });
    this.vervallen = new Counter({ name: 'netwerkbrug_notificaties_vervallen_total', help: 'deliveries dropped (no grounds, no endpoint, subscription ended, 410, catalogue)', labelNames: ['reden'], registers });
    this.wachtend = new Gauge({ name: 'netwerkbrug_notificaties_wachtrijen_open', help: 'recipient queues with a waiting delivery at the last round', registers });
    this.duur = new Histogram({
      name: 'netwerkbrug_notificaties_bezorging_seconds',
      help: 'duration of one delivery attempt',
      labelNames: ['vorm'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers,
    });
  }
}

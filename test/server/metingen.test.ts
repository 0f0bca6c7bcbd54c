/** Metric names follow the Prometheus conventions: counters end in `_total`, a unit is a base unit, in English and plural. */
import { describe, expect, it } from 'vitest';
import { Notificatiemetrieken } from '../../src/notificaties/metrieken.js';
import { Metingen } from '../../src/server/metingen.js';

const EENHEDEN = ['seconds', 'bytes'];

describe('metric names', () => {
  it('end in _total for counters and in a base unit for histograms, with no Dutch unit word', async () => {
    const notificaties = new Notificatiemetrieken();
    const metingen = new Metingen([notificaties.registry]);
    const alle = await metingen.alle.getMetricsAsJSON();
    const eigen = alle.filter((m) => !m.name.startsWith('netwerkbrug_process_') && !m.name.startsWith('netwerkbrug_nodejs_'));
    // the server's and the delivery worker's own metrics are all there
    expect(eigen.map((m) => m.name)).toEqual(expect.arrayContaining(['netwerkbrug_http_verzoeken_total', 'netwerkbrug_http_duur_seconds', 'netwerkbrug_notificaties_bezorgd_total', 'netwerkbrug_notificaties_bezorging_seconds']));
    expect(eigen.length).toBeGreaterThanOrEqual(13);
    for (const m of alle) {
      expect(m.name, m.name).toMatch(/^netwerkbrug_[a-z0-9_]+$/);
      expect(m.name, m.name).not.toMatch(/_(totaal|seconden|milliseconden|ms|milliseconds|kilobytes|megabytes)(_|$)/);
    }
    // ours (prom-client's process metrics keep their own names, such as the gauge nodejs_active_resources_total)
    for (const m of eigen) {
      const type = String(m.type);
      if (type === 'counter') expect(m.name, m.name).toMatch(/_total$/);
      else expect(m.name, m.name).not.toMatch(/_total$/);
      if (type === 'histogram' || type === 'summary') expect(EENHEDEN.some((e) => m.name.endsWith(`_${e}`)), m.name).toBe(true);
    }
  });
});

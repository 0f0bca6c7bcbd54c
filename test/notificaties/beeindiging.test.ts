import { afterEach, describe, expect, it } from 'vitest';
import { startOntvanger } from '../helpers/ontvanger.js';
import { opzet, toewijzing } from './opzet.js';

const A = '11111111';
const B = '22222222';

let schoon: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of schoon.reverse()) await s();
  schoon = [];
});

const ce = (body: string) => JSON.parse(body) as { type: string; subject: string; sequence: string };

describe('the end of a record (a 301 is a snapshot per client per counterpart)', () => {
  it('ends a Relatie for the counterpart whose later 301 no longer carries it, and tells only that counterpart', async () => {
    const r = await startOntvanger();
    const berichten = [
      toewijzing(1, A, 5, { relaties: 2, dagtekening: '2027-01-01' }),
      toewijzing(2, B, 5, { relaties: 2, dagtekening: '2027-01-15' }),
      // an older snapshot converted later ends nothing
      toewijzing(3, A, 5, { relaties: 1, dagtekening: '2026-12-01' }),
      toewijzing(4, A, 5, { relaties: 1, dagtekening: '2027-02-01' }),
      // the same snapshot again ends nothing again
      toewijzing(5, A, 5, { relaties: 1, dagtekening: '2027-02-02' }),
    ];
    const o = await opzet(berichten, { ontwikkeling: true, ontvangers: { [A]: { url: `${r.url}/a` }, [B]: { url: `${r.url}/b` } } });
    schoon.push(r.sluit, o.sluit);
    const einden = o.outbox().filter((n) => n.soort === 'beeindigd');
    expect(einden).toHaveLength(1);
    await o.bezorger.totNietsMeer();
    const a = r.op('/a').map((x) => ce(x.body));
    const eind = a.filter((x) => x.type === 'nl.netwerkbrug.relatie.beeindigd');
    expect(eind).toEqual([expect.objectContaining({ subject: `Relatie/${einden[0]!.sleutel}`, sequence: String(einden[0]!.versie) }) as unknown]);
    expect(r.op('/b').map((x) => ce(x.body).type)).not.toContain('nl.netwerkbrug.relatie.beeindigd');
    // it is the last Relatie notification A got (the Contactgegevens of the 2027-02-01 snapshot changed too)
    expect(a.filter((x) => x.type.startsWith('nl.netwerkbrug.relatie.')).at(-1)!.type).toBe('nl.netwerkbrug.relatie.beeindigd');
  });

  it('ends it again only after a newer snapshot carried it again', async () => {
    const o = await opzet(
      [
        toewijzing(1, A, 5, { relaties: 2, dagtekening: '2027-01-01' }),
        toewijzing(2, A, 5, { relaties: 1, dagtekening: '2027-02-01' }),
        toewijzing(3, A, 5, { relaties: 2, dagtekening: '2027-03-01' }),
        toewijzing(4, A, 5, { relaties: 1, dagtekening: '2027-04-01' }),
      ],
      {},
    );
    schoon.push(o.sluit);
    const einden = o.outbox().filter((n) => n.soort === 'beeindigd');
    expect(einden).toHaveLength(2);
    expect(einden[0]!.sleutel).toBe(einden[1]!.sleutel);
  });
});

/**
 * Every notification is gated at send time by the rule of every read: the recipient has grounds today, and
 * the version it announces was current at some moment of the recipient's grounds window (src/toegang/grond.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { Bezorger, type Logregel } from '../../src/notificaties/bezorging.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { PLAN, werkmap } from '../helpers/omzetten.js';
import { startOntvanger } from '../helpers/ontvanger.js';
import { A, B, NALOOP, schrijfGeschiedenis } from '../helpers/venster.js';
import { SNEL } from './opzet.js';

let schoon: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const s of schoon.reverse()) await s();
  schoon = [];
});

async function bezorg(o: { beeindigd?: boolean; vandaag: string }) {
  const r = await startOntvanger();
  const w = werkmap();
  const bronregistratie = new Bronregistratie(w.db);
  schrijfGeschiedenis(bronregistratie, '999990041', o);
  const config = leesConfig({
    ...PLAN,
    bronregistratie: { database: w.db, basisUrl: 'https://bron.example.nl' },
    toegang: { nalooptijdMaanden: NALOOP },
    notificaties: { backoff: SNEL, ontwikkeling: true, ontvangers: { [A]: { url: `${r.url}/a` }, [B]: { url: `${r.url}/b` } } },
  });
  const opslag = new Notificatiestore(w.db);
  const logs: Logregel[] = [];
  const bezorger = new Bezorger(bronregistratie, opslag, instellingen(config), { log: (l) => logs.push(l), klok: () => Date.parse(`${o.vandaag}T12:00:00Z`) });
  schoon.push(r.sluit, () => bezorger.sluit(), () => opslag.sluit(), () => bronregistratie.sluit());
  await bezorger.totNietsMeer();
  const versies = (pad: string) => r.op(pad).map((x) => Number(/[?&]versie=([0-9]+)/.exec(x.body)![1]));
  return { a: versies('/a'), b: versies('/b'), vervallen: logs.filter((l) => l.gebeurtenis === 'vervallen' && String(l.wachtrij).endsWith(A)).map((l) => l.reden) };
}

describe('notifications: the version window at send time', () => {
  it('sends A only the versions current inside its window; B, in it from the start, all of them', async () => {
    const { a, b, vervallen } = await bezorg({ vandaag: '2027-04-15' });
    // outbox: v1..v6 each made current by its message; A received the record with v3
    expect(a).toEqual([3, 4, 5]);
    expect(b).toEqual([1, 2, 3, 4, 5, 6]);
    expect(vervallen).toEqual(['geen-grond', 'geen-grond', 'geen-grond']);
  });

  it('drops what comes after the shortened window of a record that ended for A', async () => {
    const { a, b } = await bezorg({ vandaag: '2027-04-15', beeindigd: true });
    // the end announces the version A last received (v3), inside its window: it is sent
    expect(a).toEqual([3, 4, 3]);
    expect(b).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends A nothing once its window has closed', async () => {
    const { a } = await bezorg({ vandaag: '2027-07-31' });
    expect(a).toEqual([]);
  });
});

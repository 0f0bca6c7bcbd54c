/**
 * Rehydration in `serve` resolves a local record for a counterpart under the rules of a read: the version the
 * message carried must be one of its grounds window, and the purpose `berichtverkeer` must be one it may use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { GrondOplosser } from '../../src/rehydreren/grondoplosser.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { werkmap } from '../helpers/omzetten.js';
import { A, EIGENAAR, NALOOP, schrijfGeschiedenis } from '../helpers/venster.js';

let bronregistratie: Bronregistratie;
let sleutel: string;

beforeAll(() => {
  bronregistratie = new Bronregistratie(werkmap().db);
  sleutel = schrijfGeschiedenis(bronregistratie, '999990051');
});

afterAll(() => bronregistratie.sluit());

const verzoek = (peildatum: string) => ({ wet: 'wmo' as const, object: 'relatie', eigenaar: EIGENAAR, sleutel, peildatum });

describe('rehydration in serve: the local record under the rules of a read', () => {
  it('resolves for A the versions of its window only', async () => {
    const o = new GrondOplosser(new LokaleOplosser(bronregistratie), bronregistratie, A, '2027-04-15', NALOOP);
    expect((await o.los(verzoek('2027-03-02')))?.versie).toBe(4);
    expect(await o.los(verzoek('2027-01-15'))).toBeUndefined(); // v2: only sent to B, before A's window
    expect(await o.los(verzoek('2027-09-02'))).toBeUndefined(); // v6: after A's window
  });

  it('resolves nothing for a counterpart not given berichtverkeer, and everything for the owner', async () => {
    const smal = new GrondOplosser(new LokaleOplosser(bronregistratie), bronregistratie, A, '2027-04-15', NALOOP, { [A]: { relatie: ['zorglevering'] } });
    expect(await smal.los(verzoek('2027-03-02'))).toBeUndefined();
    const eigenaar = new GrondOplosser(new LokaleOplosser(bronregistratie), bronregistratie, EIGENAAR, '2027-04-15', NALOOP, { [A]: { relatie: [] } });
    expect((await eigenaar.los(verzoek('2027-01-15')))?.versie).toBe(2);
  });
});

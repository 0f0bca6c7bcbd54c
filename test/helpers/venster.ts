/**
 * A record's history across two counterparts, written straight into a bronregistratie, for the rule "a party
 * may read a version only if it was current at some moment inside its grounds window" (src/toegang/grond.ts).
 *
 * Gemeente 0344 owns a Relatie. B (87654321) received it first; A (12345678) later, with a toewijzing that
 * ends on 2027-06-30. With `toegang.nalooptijdMaanden: 1` A's window is 2027-02-01 .. 2027-07-30:
 *
 *   v1 2027-01-01 to B   before A's window: only B's
 *   v2 2027-01-10 to B   before A's window: only B's
 *   v3 2027-02-01 to A   opens A's window
 *   v4 2027-03-01 to B   current inside A's window (the owner's current state while A has grounds)
 *   v5 2027-05-15 to B   inside A's window, unless the record ended for A on 2027-04-01 (then it closes 2027-05-01)
 *   v6 2027-09-01 to B   after A's window
 *
 * `beeindigd`: a snapshot 301 to A of 2027-04-01 no longer carries the record: it ended for A there.
 */
import { Bronregistratie } from '../../src/bronregistratie/store.js';

export const EIGENAAR = '0344';
export const A = '12345678';
export const B = '87654321';
export const NALOOP = 1;

/** The content of version n: every field of a Relatie, the values telling the versions apart. */
export const inhoud = (n: number) => ({
  Nummer: '1',
  Volgorde: '1',
  Soort: '01',
  Geboortedatum: { Datum: `19${50 + n}-01-01` },
  Geslacht: '2',
  Naam: { Geslachtsnaam: { Achternaam: `Achternaam${n}` } },
  Contact: { Telefoon: { Telefoonnummer: `06-0000000${n}` } },
});

const BERICHTEN = [
  { dagtekening: '2027-01-01', berichtIdentificatie: 'B1', tegenpartij: B, toewijzingEinde: '2027-12-31' },
  { dagtekening: '2027-01-10', berichtIdentificatie: 'B2', tegenpartij: B, toewijzingEinde: '2027-12-31' },
  { dagtekening: '2027-02-01', berichtIdentificatie: 'A1', tegenpartij: A, toewijzingEinde: '2027-06-30' },
  { dagtekening: '2027-03-01', berichtIdentificatie: 'B3', tegenpartij: B, toewijzingEinde: '2027-12-31' },
  { dagtekening: '2027-05-15', berichtIdentificatie: 'B4', tegenpartij: B, toewijzingEinde: '2027-12-31' },
  { dagtekening: '2027-09-01', berichtIdentificatie: 'B5', tegenpartij: B, toewijzingEinde: '2027-12-31' },
];

/** Writes the history of one record (client `bsn`) and returns its Sleutel; versions are numbered 1..6 as above. */
export function schrijfGeschiedenis(bronregistratie: Bronregistratie, bsn: string, o: { beeindigd?: boolean } = {}): string {
  let sleutel = '';
  BERICHTEN.forEach((b, i) => {
    const r = bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: EIGENAAR, identiteit: [bsn, '1'], groep: [bsn], inhoud: inhoud(i + 1), ...b });
    if (r.versie !== i + 1) throw new Error(`expected version ${i + 1}, got ${r.versie}`);
    sleutel = r.sleutel;
  });
  if (o.beeindigd) {
    const geeindigd = bronregistratie.beeindigOntbrekende({ wet: 'wmo', object: 'relatie', eigenaar: EIGENAAR, groep: [bsn], tegenpartij: A, dagtekening: '2027-04-01', berichtIdentificatie: 'A2', aanwezig: [] });
    if (!geeindigd.includes(sleutel)) throw new Error('the record did not end for A');
  }
  return sleutel;
}

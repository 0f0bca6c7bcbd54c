/**
 * Inzage (AVG art. 15): finding the records about one person and what happened to them, without weakening the
 * identity index. Records are keyed by an HMAC of object, owner and natural identity (identiteit.ts), so a
 * BSN cannot be looked up, let alone enumerated, without the identity secret. The person index
 * (`betrokkene`, schema step "inzage-index": schema.ts) adds one more keyed hash per record:
 * HMAC(K_inzage, owner ‖ BSN), with K_inzage derived (HKDF) from the same secret. Without the secret it is as
 * opaque as the identity index; it links the records of one person within one owner, as the snapshot groups
 * (`momentopname`) already do.
 *
 * Every natural identity starts with the client's BSN (informatieobject/type.ts), so the store fills the index
 * at registration, and again when a message is replayed (re-running convert over an archive fills it for
 * records registered before the index existed). Records that are still missing are found at inzage time from
 * the BSN given (not needed, and skipped, when the index was made before the first record): the keyed identity of each object for that BSN (with each `Nummer` its stored versions hold,
 * for a Relatie) and the keyed snapshot group; what is found is added to the index.
 *
 * A database that lays its hashes out by person (schema v7, `Sleutelvorm` `persoon`, identiteit.ts) needs no
 * index beside its identity index: every record's identity hash starts with the keyed hash of its person under
 * its law and owner (`persoonsdeel`), so a person's records are one range of that index, complete by construction.
 * There registration writes no person index (one random insert less per record, issue 13), and inzage reads the
 * range of each law (and the rows an earlier release wrote, if any).
 */
import type Database from 'better-sqlite3';
import { WETTEN } from '../bericht/catalogus.js';
import { groepSleutel, identiteitHashZonderWet, identiteitIsPersonenindex, identiteitSleutel, inzageSleutel, persoonHash, persoonsdeel, type Sleutelvorm } from './identiteit.js';
import { heeftTabel, leesMeta } from './verbinding.js';

/** The 11-proef of a BSN: 9 digits, 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, and not all zeros. */
export function isBsn(s: string): boolean {
  if (!/^[0-9]{9}$/.test(s) || s === '000000000') return false;
  let som = 0;
  for (let i = 0; i < 8; i++) som += (9 - i) * Number(s[i]);
  som -= Number(s[8]);
  return som % 11 === 0;
}

export class Personenindex {
  private readonly key: Buffer;
  private readonly q;
  /**
   * the index was made before the first record, or the identity index is the person index (`persoon` layout): it
   * holds them all, no search beside it is needed, and a record once noted need not be noted again
   */
  readonly volledig: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly geheim: Buffer,
    private readonly vorm: Sleutelvorm,
  ) {
    this.key = inzageSleutel(geheim);
    const index = heeftTabel(db, 'betrokkene');
    // the identity hashes are laid out by person: a person's records are a range of the identity index, and
    // there is nothing to note at registration
    const opIdentiteit = identiteitIsPersonenindex(vorm);
    this.volledig = opIdentiteit || (index && leesMeta(db, 'stap_inzage_index') === 'volledig');
    this.q = {
      // hex digits sort below 'g': the identity hashes that start with the person's half
      bereik: opIdentiteit
        ? db.prepare<{ 1: string; 2: string }, { sleutel: string }>("SELECT sleutel FROM record WHERE identiteit >= ?1 AND identiteit < ?1 || 'g' AND eigenaar = ?2")
        : undefined,
      noteer: index && !db.readonly && !opIdentiteit ? db.prepare('INSERT OR IGNORE INTO betrokkene (persoon, record) VALUES (?, ?)') : undefined,
      noteerSleutel: index && !db.readonly ? db.prepare('INSERT OR IGNORE INTO betrokkene (persoon, record) SELECT ?, id FROM record WHERE sleutel = ?') : undefined,
      zoek: index ? db.prepare<[string], { sleutel: string }>('SELECT r.sleutel FROM betrokkene b JOIN record r ON r.id = b.record WHERE b.persoon = ?') : undefined,
    };
  }

  /** The person's keyed hash within one owner. */
  persoon(eigenaar: string, bsn: string): string {
    return persoonHash(this.key, eigenaar, bsn);
  }

  /**
   * Notes that a record is about the person whose BSN starts its natural identity (call inside the
   * registration); `hash`: that person's hash, when a run's worker made it. Nothing to note where the identity
   * index is the person index (`persoon` layout).
   */
  noteer(eigenaar: string, identiteit: readonly string[], record: number, hash?: string): void {
    const bsn = identiteit[0];
    if (bsn !== undefined && this.q.noteer) this.q.noteer.run(hash ?? this.persoon(eigenaar, bsn), record);
  }

  /**
   * The Sleutels of the records about a person (by BSN), of one owner or of every owner in the database, in a
   * stable order. Records not in the index yet are found from their keyed identities and added (when writable).
   */
  sleutels(bsn: string, eigenaar?: string): string[] {
    const eigenaren = eigenaar !== undefined ? [eigenaar] : this.db.prepare<[], { eigenaar: string }>('SELECT DISTINCT eigenaar FROM record ORDER BY eigenaar').all().map((r) => r.eigenaar);
    const gevonden = new Set<string>();
    const zoekRecord = this.db.prepare<[string, string, string], { sleutel: string }>('SELECT sleutel FROM record WHERE object = ? AND eigenaar = ? AND identiteit = ?');
    const objecten = this.db.prepare<[string], { object: string }>('SELECT DISTINCT object FROM record WHERE eigenaar = ?');
    const nummers = this.db.prepare<[string, string], { nummer: string }>(
      `SELECT DISTINCT json_extract(v.inhoud, '$.Nummer') nummer FROM versie v JOIN record r ON r.id = v.record
        WHERE r.object = ? AND r.eigenaar = ? AND json_extract(v.inhoud, '$.Nummer') IS NOT NULL`,
    );
    const groep = this.db.prepare<[string], { sleutel: string }>('SELECT r.sleutel FROM momentopname m JOIN record r ON r.id = m.record WHERE m.groep = ?');
    for (const e of eigenaren) {
      const persoon = this.persoon(e, bsn);
      const eigen = new Set(this.q.zoek?.all(persoon).map((r) => r.sleutel) ?? []);
      if (this.q.bereik) for (const w of WETTEN) for (const r of this.q.bereik.all({ 1: persoonsdeel(this.geheim, w, e, [bsn]), 2: e })) eigen.add(r.sleutel);
      const erbij = new Set<string>();
      for (const { object } of this.volledig ? [] : objecten.all(e)) {
        const kandidaten: string[][] = [[bsn], ...nummers.all(object, e).map((n) => [bsn, String(n.nummer)])];
        // the identity is per law (a record of unknown law, of before the law separation, keeps its law-free hash;
        // such a database has the layout `object`)
        const metZonderWet = (h: string[], zonderWet: () => string) => (this.vorm === 'object' ? [...h, zonderWet()] : h);
        for (const identiteit of kandidaten) {
          const hashes = metZonderWet(WETTEN.map((w) => identiteitSleutel(this.vorm, this.geheim, w, object, e, identiteit)), () => identiteitHashZonderWet(this.geheim, object, e, identiteit));
          for (const h of hashes) {
            const s = zoekRecord.get(object, e, h)?.sleutel;
            if (s && !eigen.has(s)) erbij.add(s);
          }
        }
        const groepen = metZonderWet(WETTEN.map((w) => groepSleutel(this.vorm, this.geheim, w, object, e, [bsn])), () => identiteitHashZonderWet(this.geheim, `${object}#groep`, e, [bsn]));
        for (const h of groepen) for (const r of groep.all(h)) if (!eigen.has(r.sleutel)) erbij.add(r.sleutel);
      }
      if (erbij.size && this.q.noteerSleutel) {
        const noteer = this.q.noteerSleutel;
        this.db.transaction(() => {
          for (const s of erbij) noteer.run(persoon, s);
        })();
      }
      for (const s of [...eigen, ...erbij]) gevonden.add(s);
    }
    return [...gevonden].sort();
  }
}

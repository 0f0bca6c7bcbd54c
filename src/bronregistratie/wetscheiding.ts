/**
 * Law separation (schema v4). Every record, Sleutel, version, verstrekking (grounds), end and notification
 * belongs to one law: `wmo` (iWmo messages) or `jeugdwet` (iJw messages). The same person's data under both laws
 * is two records with unrelated Sleutels (identiteit.ts puts the law in the identity hash); a Sleutel resolves
 * only to its own law's record, or through `sleutel_alias` for what was handed out before the separation.
 *
 * The migration of a v3 database (`scheidWetten`, one step of schema.ts's migration, in its transaction; it
 * runs on the tables as v3 and v4 had them, keyed by the Sleutel, before the v5 step rebuilds them):
 * schema v3 stored neither the message's namespace nor its BerichtCode, so the law of each message noted for a
 * record (`vermelding`) comes from a `Wetbron`: the caller's (e.g. read from the archive the messages came
 * from), else `NETWERKBRUG_WET_BESTAAND` (the operator states that every message the database registered came
 * under that one law). Then, per record:
 *
 * - every note of one law: the record gets that law and its identity hash is re-keyed with it;
 * - notes of both laws: the record is split in two. The original Sleutel stays with the law of the record's
 *   first message; the other law's record gets a new random Sleutel. Each keeps its own notes; its versions are
 *   rebuilt as runs of equal content along its own notes (renumbered 1..n in the order of the old numbers).
 *   Each counterpart's grounds (verstrekking) go to the law of the messages that carried the record to it (read
 *   from the snapshot messages of the record's client, `momentopname_bericht`), ends and outbox rows to the law
 *   of the message that caused them. A counterpart that got the record under the other law, and the owner, get
 *   an alias (old Sleutel, counterpart) → the other law's record, so the Sleutel it holds keeps resolving,
 *   within its own law;
 * - a note whose law is not known: the safe answer. The record keeps its Sleutel and data but gets no law
 *   (`wet` NULL): only its owner reads it, no counterpart has grounds, no notification goes out, and no new
 *   message finds it (a new message makes a new record). Counted in the summary.
 *
 * The summary holds counts only, never a Sleutel or anything about a person.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { isWet, WETTEN, type Wet } from '../bericht/catalogus.js';
import { NetwerkbrugFout } from '../fout.js';
import { wetHash } from './identiteit.js';
import { heeftTabel, leesMeta } from './verbinding.js';

export const WET_BESTAAND_OMGEVING = 'NETWERKBRUG_WET_BESTAAND';
/** The value of WET_BESTAAND_OMGEVING that migrates without a law: every record the owner's only. */
export const ONBEKEND = 'onbekend';

export const WET_DDL = `
CREATE TABLE IF NOT EXISTS sleutel_alias (
  sleutel TEXT NOT NULL,
  tegenpartij TEXT NOT NULL,
  doel TEXT NOT NULL REFERENCES record(sleutel),
  PRIMARY KEY (sleutel, tegenpartij)
);
CREATE TABLE IF NOT EXISTS wetloze_verstrekking (
  sleutel TEXT NOT NULL REFERENCES record(sleutel),
  tegenpartij TEXT NOT NULL,
  eerste_dagtekening TEXT NOT NULL,
  laatste_dagtekening TEXT NOT NULL,
  toewijzing_einde TEXT,
  laatste_bericht_identificatie TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (sleutel, tegenpartij)
);
`;

/** The law of a message a v3 database noted (the owner is its Afzender); undefined: not known. */
export type Wetbron = (bericht: { eigenaar: string; dagtekening: string; berichtIdentificatie: string }) => Wet | undefined;

/** What the law separation did: counts only. */
export interface Wetscheiding {
  /** where the law of the existing messages came from */
  wetbron: 'opgegeven' | 'omgeving' | 'geen';
  /** records before the migration */
  records: number;
  /** records after it, per law */
  perWet: Record<Wet, number>;
  /** records whose notes came under both laws, each split in two (one new Sleutel each) */
  gesplitst: number;
  /** (old Sleutel, counterpart) pairs that now resolve to the other law's record */
  aliassen: number;
  /** records whose law could not be derived: owner only */
  zonderWet: number;
  /** message notes whose law could not be derived */
  berichtenZonderWet: number;
  versies: { voor: number; na: number };
  /** a split record's counterpart whose law could not be derived: its grounds are set aside (owner only) */
  verstrekkingenZonderWet: number;
  /** snapshot messages whose law could not be derived: kept, but they end nothing */
  momentopnamenZonderWet: number;
}

interface Punt {
  dagtekening: string;
  bericht_identificatie: string;
  nummer: number;
  wet?: Wet;
  /** a note (vermelding); false: the origin of a version no note points at */
  echt: boolean;
}

interface OudeVersie {
  nummer: number;
  inhoud: string;
  inhoud_hash: string;
  geregistreerd: string;
  dagtekening: string;
  bericht_identificatie: string;
}

interface Verstrekkingrij {
  tegenpartij: string;
  eerste_dagtekening: string;
  laatste_dagtekening: string;
  toewijzing_einde: string | null;
  laatste_bericht_identificatie: string;
}

const na = (a: { dagtekening: string; bericht_identificatie: string }, b: { dagtekening: string; bericht_identificatie: string }) =>
  a.dagtekening > b.dagtekening || (a.dagtekening === b.dagtekening && a.bericht_identificatie > b.bericht_identificatie);
const positie = (d: string, i: string) => `${d}\u0000${i}`;

/**
 * Refuses, before anything is written, to migrate a database of before the law separation that holds records
 * when no law source is given: records of unknown law are their owner's only, so their counterparts would lose
 * their grounds. `NETWERKBRUG_WET_BESTAAND=onbekend` accepts exactly that.
 */
export function eisWetbron(db: Database.Database, wetbron: Wetbron | undefined): void {
  if (wetbron) return;
  const omgeving = process.env[WET_BESTAAND_OMGEVING];
  if (omgeving !== undefined && omgeving !== '') return;
  if (!heeftTabel(db, 'record')) return;
  const versie = leesMeta(db, 'schema_versie');
  if (versie === undefined || Number(versie) >= 4 || db.prepare('SELECT 1 FROM record LIMIT 1').get() === undefined) return;
  throw new NetwerkbrugFout(
    'GEBRUIK',
    `the database is of before the law separation and did not keep the law of what it registered; nothing was changed. Run \`netwerkbrug bron wetscheiding ARCHIEF…\` with the messages it registered, or set ${WET_BESTAAND_OMGEVING}=wmo or jeugdwet when it only ever held one law (${ONBEKEND}: keep every record for its owner only)`,
    { bestand: db.name },
  );
}

/** Splits every record of a v3 database by law (see the file's comment). `geheim`: needed when there are records. */
export function scheidWetten(db: Database.Database, geheim: Buffer | undefined, wetbron: Wetbron | undefined): Wetscheiding {
  const omgeving = process.env[WET_BESTAAND_OMGEVING];
  if (omgeving !== undefined && omgeving !== '' && omgeving !== ONBEKEND && !isWet(omgeving)) {
    throw new NetwerkbrugFout('GEBRUIK', `${WET_BESTAAND_OMGEVING} must be wmo, jeugdwet or ${ONBEKEND}`, { bestand: 'environment' });
  }
  const bestaand = isWet(omgeving) ? omgeving : undefined;
  const wetVan: Wetbron = (b) => wetbron?.(b) ?? bestaand;
  const v: Wetscheiding = {
    wetbron: wetbron ? 'opgegeven' : bestaand ? 'omgeving' : 'geen',
    records: 0,
    perWet: { wmo: 0, jeugdwet: 0 },
    gesplitst: 0,
    aliassen: 0,
    zonderWet: 0,
    berichtenZonderWet: 0,
    versies: { voor: 0, na: 0 },
    verstrekkingenZonderWet: 0,
    momentopnamenZonderWet: 0,
  };
  const telVersies = db.prepare<[], { n: number }>('SELECT count(*) n FROM versie');
  v.versies.voor = telVersies.get()!.n;
  const records = db
    .prepare<[], { sleutel: string; object: string; eigenaar: string; identiteit: string; aangemaakt: string }>(
      'SELECT sleutel, object, eigenaar, identiteit, aangemaakt FROM record WHERE wet IS NULL ORDER BY rowid',
    )
    .all();
  v.records = records.length;
  if (!records.length) return v;
  if (!geheim) throw new Error('the law separation of a database with records needs its identity secret');
  const sleutelVoorWet = (w: Wet, h: string) => wetHash(geheim, w, h);

  const betrokkene = heeftTabel(db, 'betrokkene')
    ? db.prepare('INSERT OR IGNORE INTO betrokkene (persoon, sleutel) SELECT persoon, ? FROM betrokkene WHERE sleutel = ?')
    : undefined;
  const q = {
    vermeldingen: db.prepare<[string], Punt>(
      'SELECT dagtekening, bericht_identificatie, nummer, 1 echt FROM vermelding WHERE sleutel = ? ORDER BY dagtekening, bericht_identificatie',
    ),
    versies: db.prepare<[string], OudeVersie>('SELECT nummer, inhoud, inhoud_hash, geregistreerd, dagtekening, bericht_identificatie FROM versie WHERE sleutel = ?'),
    groepen: db.prepare<[string], { groep: string }>('SELECT groep FROM momentopname WHERE sleutel = ?'),
    zet: db.prepare('UPDATE record SET wet = ?, identiteit = ? WHERE sleutel = ?'),
    nieuwRecord: db.prepare('INSERT INTO record (sleutel, object, eigenaar, identiteit, aangemaakt, wet) VALUES (?, ?, ?, ?, ?, ?)'),
    weg: {
      versie: db.prepare('DELETE FROM versie WHERE sleutel = ?'),
      vermelding: db.prepare('DELETE FROM vermelding WHERE sleutel = ?'),
      verstrekking: db.prepare('DELETE FROM verstrekking WHERE sleutel = ?'),
      beeindiging: db.prepare('DELETE FROM beeindiging WHERE sleutel = ?'),
      momentopname: db.prepare('DELETE FROM momentopname WHERE sleutel = ?'),
    },
    versie: db.prepare(
      'INSERT INTO versie (sleutel, nummer, inhoud, inhoud_hash, geregistreerd, dagtekening, bericht_identificatie) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    vermelding: db.prepare('INSERT INTO vermelding (sleutel, dagtekening, bericht_identificatie, nummer) VALUES (?, ?, ?, ?)'),
    verstrekkingen: db.prepare<[string], Verstrekkingrij>(
      'SELECT tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie FROM verstrekking WHERE sleutel = ?',
    ),
    verstrekking: db.prepare(
      'INSERT INTO verstrekking (sleutel, tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    wetloos: db.prepare(
      'INSERT OR REPLACE INTO wetloze_verstrekking (sleutel, tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    beeindigingen: db.prepare<[string], { tegenpartij: string; dagtekening: string; bericht_identificatie: string }>(
      'SELECT tegenpartij, dagtekening, bericht_identificatie FROM beeindiging WHERE sleutel = ?',
    ),
    beeindiging: db.prepare('INSERT OR IGNORE INTO beeindiging (sleutel, tegenpartij, dagtekening, bericht_identificatie) VALUES (?, ?, ?, ?)'),
    momentopname: db.prepare('INSERT OR IGNORE INTO momentopname (groep, sleutel) VALUES (?, ?)'),
    snapshotsVoor: db.prepare<[string], { tegenpartij: string; dagtekening: string; bericht_identificatie: string }>(
      'SELECT tegenpartij, dagtekening, bericht_identificatie FROM momentopname_bericht WHERE groep = ?',
    ),
    outbox: db.prepare<[string], { volgnummer: number; versie: number; soort: string; alleen_voor: string | null }>(
      'SELECT o.volgnummer, o.versie, o.soort, ov.tegenpartij alleen_voor FROM outbox o LEFT JOIN outbox_ontvanger ov USING (id) WHERE o.sleutel = ?',
    ),
    zetOutbox: db.prepare('UPDATE outbox SET sleutel = ?, versie = ? WHERE volgnummer = ?'),
    alias: db.prepare('INSERT OR IGNORE INTO sleutel_alias (sleutel, tegenpartij, doel) VALUES (?, ?, ?)'),
  };

  // the law of each snapshot message of a client group, known before the groups are re-keyed (below)
  const snapshotWet = new Map<string, Wet>();
  const groepNaar = new Map<string, Set<Wet>>();
  const groepEigenaar = new Map<string, string>();

  for (const r of records) {
    const punten = q.vermeldingen.all(r.sleutel).map((p) => ({ ...p, echt: true }));
    const versies = new Map(q.versies.all(r.sleutel).map((x) => [x.nummer, x]));
    // a version no note points at (none is expected) takes part by its origin
    const genoteerd = new Set(punten.map((p) => p.nummer));
    for (const x of versies.values()) {
      if (!genoteerd.has(x.nummer)) punten.push({ dagtekening: x.dagtekening, bericht_identificatie: x.bericht_identificatie, nummer: x.nummer, echt: false });
    }
    punten.sort((a, b) => (na(a, b) ? 1 : na(b, a) ? -1 : a.nummer - b.nummer));
    let onbekend = 0;
    for (const p of punten) {
      const w = wetVan({ eigenaar: r.eigenaar, dagtekening: p.dagtekening, berichtIdentificatie: p.bericht_identificatie });
      if (w) p.wet = w;
      else if (p.echt) onbekend++;
      else p.wet = undefined;
    }
    const groepen = q.groepen.all(r.sleutel).map((g) => g.groep);
    for (const g of groepen) groepEigenaar.set(g, r.eigenaar);
    if (onbekend || !punten.length || punten.some((p) => !p.wet)) {
      // the safe answer: owner only (wet NULL); Sleutel, data and rows stay as they are
      v.zonderWet++;
      v.berichtenZonderWet += onbekend;
      continue;
    }
    const wetten = [...new Set(punten.map((p) => p.wet!))];
    for (const g of groepen) for (const p of punten) if (p.echt) snapshotWet.set(`${g}\u0000${positie(p.dagtekening, p.bericht_identificatie)}`, p.wet!);
    for (const g of groepen) {
      const s = groepNaar.get(g) ?? new Set<Wet>();
      for (const w of wetten) s.add(w);
      groepNaar.set(g, s);
    }
    if (wetten.length === 1) {
      const w = wetten[0]!;
      q.zet.run(w, sleutelVoorWet(w, r.identiteit), r.sleutel);
      q.weg.momentopname.run(r.sleutel);
      for (const g of groepen) q.momentopname.run(sleutelVoorWet(w, g), r.sleutel);
      v.perWet[w]++;
      continue;
    }
    splits(r, punten, versies, groepen);
  }

  /** A record of both laws becomes two (see the file's comment). */
  function splits(r: (typeof records)[number], punten: Punt[], versies: Map<number, OudeVersie>, groepen: string[]): void {
    const eerste = punten[0]!.wet!;
    const tweede = WETTEN.find((w) => w !== eerste)!;
    const doel: Record<Wet, string> = { [eerste]: r.sleutel, [tweede]: randomUUID() } as Record<Wet, string>;
    q.zet.run(eerste, sleutelVoorWet(eerste, r.identiteit), r.sleutel);
    q.nieuwRecord.run(doel[tweede], r.object, r.eigenaar, sleutelVoorWet(tweede, r.identiteit), r.aangemaakt, tweede);
    // the person index, when there is one already, knows the new record as it knew the old (the same person)
    betrokkene?.run(doel[tweede], r.sleutel);
    v.gesplitst++;
    v.perWet[eerste]++;
    v.perWet[tweede]++;

    // versions: runs of equal content along each law's own notes, numbered in the order of the old numbers
    const nieuwNummer: Record<Wet, Map<number, number>> = { wmo: new Map(), jeugdwet: new Map() };
    const actueel: Record<Wet, number> = { wmo: 0, jeugdwet: 0 };
    const nieuweVersies: Array<{ wet: Wet; nummer: number; oud: OudeVersie; origin: Punt; geregistreerd: string }> = [];
    const nieuweNotities: Array<{ wet: Wet; punt: Punt; run: number }> = [];
    for (const w of [eerste, tweede]) {
      const eigen = punten.filter((p) => p.wet === w);
      const runs: Array<{ punten: Punt[]; hash: string; laagste: number }> = [];
      for (const p of eigen) {
        const hash = versies.get(p.nummer)!.inhoud_hash;
        const laatste = runs[runs.length - 1];
        if (laatste && laatste.hash === hash) {
          laatste.punten.push(p);
          laatste.laagste = Math.min(laatste.laagste, p.nummer);
        } else runs.push({ punten: [p], hash, laagste: p.nummer });
      }
      const volgorde = runs.map((run, i) => ({ run, i })).sort((a, b) => a.run.laagste - b.run.laagste || a.i - b.i);
      const nummerVanRun = new Map<number, number>();
      volgorde.forEach(({ i }, n) => nummerVanRun.set(i, n + 1));
      runs.forEach((run, i) => {
        const nummer = nummerVanRun.get(i)!;
        const oud = versies.get(run.punten[0]!.nummer)!;
        const geregistreerd = run.punten.map((p) => versies.get(p.nummer)!.geregistreerd).sort()[0]!;
        nieuweVersies.push({ wet: w, nummer, oud, origin: run.punten[0]!, geregistreerd });
        for (const p of run.punten) {
          if (!nieuwNummer[w].has(p.nummer)) nieuwNummer[w].set(p.nummer, nummer);
          if (p.echt) nieuweNotities.push({ wet: w, punt: p, run: nummer });
        }
      });
      // the current version of the law's record: that of its latest note
      const laatsteEcht = [...eigen].reverse().find((p) => p.echt) ?? eigen[eigen.length - 1]!;
      actueel[w] = nieuwNummer[w].get(laatsteEcht.nummer)!;
    }
    q.weg.vermelding.run(r.sleutel);
    q.weg.versie.run(r.sleutel);
    for (const n of nieuweVersies) {
      q.versie.run(doel[n.wet], n.nummer, n.oud.inhoud, n.oud.inhoud_hash, n.geregistreerd, n.origin.dagtekening, n.origin.bericht_identificatie);
    }
    for (const n of nieuweNotities) q.vermelding.run(doel[n.wet], n.punt.dagtekening, n.punt.bericht_identificatie, n.run);
    const wetOp = new Map(punten.filter((p) => p.echt).map((p) => [positie(p.dagtekening, p.bericht_identificatie), p.wet!]));

    // grounds: each counterpart's messages that carried the record, from the client's snapshot messages
    const naarPartij = new Map<string, Punt[]>();
    for (const g of groepen) {
      for (const s of q.snapshotsVoor.all(g)) {
        const w = wetOp.get(positie(s.dagtekening, s.bericht_identificatie));
        if (!w) continue;
        const lijst = naarPartij.get(s.tegenpartij) ?? [];
        if (!lijst.some((p) => p.dagtekening === s.dagtekening && p.bericht_identificatie === s.bericht_identificatie)) {
          lijst.push({ dagtekening: s.dagtekening, bericht_identificatie: s.bericht_identificatie, nummer: 0, wet: w, echt: true });
        }
        naarPartij.set(s.tegenpartij, lijst);
      }
    }
    const partijWetten = new Map<string, Map<Wet, Punt>>();
    const verstrekkingen = q.verstrekkingen.all(r.sleutel);
    q.weg.verstrekking.run(r.sleutel);
    for (const vs of verstrekkingen) {
      let berichten = naarPartij.get(vs.tegenpartij) ?? [];
      if (!berichten.length) {
        // no snapshot tells: the latest message to the counterpart does, if its law is known
        const w =
          wetOp.get(positie(vs.laatste_dagtekening, vs.laatste_bericht_identificatie)) ??
          wetVan({ eigenaar: r.eigenaar, dagtekening: vs.laatste_dagtekening, berichtIdentificatie: vs.laatste_bericht_identificatie });
        if (w) berichten = [{ dagtekening: vs.laatste_dagtekening, bericht_identificatie: vs.laatste_bericht_identificatie, nummer: 0, wet: w, echt: true }];
      }
      if (!berichten.length) {
        q.wetloos.run(r.sleutel, vs.tegenpartij, vs.eerste_dagtekening, vs.laatste_dagtekening, vs.toewijzing_einde, vs.laatste_bericht_identificatie);
        v.verstrekkingenZonderWet++;
        continue;
      }
      const perWet = new Map<Wet, Punt>();
      for (const w of [eerste, tweede]) {
        const eigen = berichten.filter((p) => p.wet === w);
        if (!eigen.length) continue;
        const laatste = eigen.reduce((a, b) => (na(b, a) ? b : a));
        const eersteDag = eigen.map((p) => p.dagtekening).sort()[0]!;
        perWet.set(w, laatste);
        // the end of the toewijzing is the latest message's: kept as it was, so nobody loses the period it had
        q.verstrekking.run(doel[w], vs.tegenpartij, eersteDag, laatste.dagtekening, vs.toewijzing_einde, laatste.bericht_identificatie);
        if (w === tweede) {
          v.aliassen += q.alias.run(r.sleutel, vs.tegenpartij, doel[tweede]).changes;
        }
      }
      partijWetten.set(vs.tegenpartij, perWet);
    }
    // the owner keeps resolving the old Sleutel in either law (its own archived messages)
    v.aliassen += q.alias.run(r.sleutel, r.eigenaar, doel[tweede]).changes;

    // ends: for each law whose latest message to the counterpart the ending snapshot follows
    const eindes = q.beeindigingen.all(r.sleutel);
    q.weg.beeindiging.run(r.sleutel);
    const eindeWet = new Map<string, Wet[]>();
    for (const e of eindes) {
      const perWet = partijWetten.get(e.tegenpartij);
      const bekend = wetVan({ eigenaar: r.eigenaar, dagtekening: e.dagtekening, berichtIdentificatie: e.bericht_identificatie });
      let wetten = [eerste, tweede].filter((w) => {
        const laatste = perWet?.get(w);
        return laatste && na({ dagtekening: e.dagtekening, bericht_identificatie: e.bericht_identificatie }, laatste);
      });
      if (bekend) wetten = [bekend];
      if (!wetten.length) wetten = [eerste];
      for (const w of wetten) q.beeindiging.run(doel[w], e.tegenpartij, e.dagtekening, e.bericht_identificatie);
      eindeWet.set(e.tegenpartij, wetten);
    }

    // the client's snapshot groups, per law
    q.weg.momentopname.run(r.sleutel);
    for (const g of groepen) for (const w of [eerste, tweede]) q.momentopname.run(sleutelVoorWet(w, g), doel[w]);

    // outbox rows: the law of the message that made the version they announce; an end: the law it ended in
    for (const o of q.outbox.all(r.sleutel)) {
      let w: Wet;
      if (o.soort === 'beeindigd' && o.alleen_voor !== null) {
        w = eindeWet.get(o.alleen_voor)?.[0] ?? [...(partijWetten.get(o.alleen_voor)?.keys() ?? [])][0] ?? eerste;
      } else {
        const oud = versies.get(o.versie);
        w = (oud && wetOp.get(positie(oud.dagtekening, oud.bericht_identificatie))) ?? (oud && punten.find((p) => p.nummer === o.versie)?.wet) ?? eerste;
      }
      q.zetOutbox.run(doel[w], nieuwNummer[w].get(o.versie) ?? actueel[w], o.volgnummer);
    }
  }

  // snapshot messages: re-keyed with their law; one whose law is not known stays under the old key (ends nothing)
  const snapshots = db.prepare<[], { groep: string; tegenpartij: string; dagtekening: string; bericht_identificatie: string }>('SELECT * FROM momentopname_bericht').all();
  const wegSnapshot = db.prepare('DELETE FROM momentopname_bericht WHERE groep = ? AND tegenpartij = ? AND dagtekening = ? AND bericht_identificatie = ?');
  const snapshot = db.prepare('INSERT OR IGNORE INTO momentopname_bericht (groep, tegenpartij, dagtekening, bericht_identificatie) VALUES (?, ?, ?, ?)');
  for (const s of snapshots) {
    const eigenaarLoos = groepNaar.get(s.groep);
    let w = snapshotWet.get(`${s.groep}\u0000${positie(s.dagtekening, s.bericht_identificatie)}`);
    // a snapshot that carried none of the group's records (it ended them): its own law, else the group's one law
    const eigenaar = groepEigenaar.get(s.groep);
    if (!w && eigenaar !== undefined) w = wetVan({ eigenaar, dagtekening: s.dagtekening, berichtIdentificatie: s.bericht_identificatie });
    if (!w && eigenaarLoos?.size === 1) w = [...eigenaarLoos][0];
    if (!w && bestaand) w = bestaand;
    if (!w) {
      v.momentopnamenZonderWet++;
      continue;
    }
    wegSnapshot.run(s.groep, s.tegenpartij, s.dagtekening, s.bericht_identificatie);
    snapshot.run(sleutelVoorWet(w, s.groep), s.tegenpartij, s.dagtekening, s.bericht_identificatie);
  }
  v.versies.na = telVersies.get()!.n;
  return v;
}

/** One line for a person to read: what the law separation did (counts only). */
export function wetscheidingTekst(w: Wetscheiding): string {
  const delen = [
    `law separation (schema v4): ${w.records} record(s) checked: ${w.perWet.wmo} under the Wmo, ${w.perWet.jeugdwet} under the Jeugdwet`,
    `${w.gesplitst} split in two (${w.gesplitst} new Sleutel(s), ${w.aliassen} alias(es) keep the old Sleutels resolving within their law)`,
    `versions ${w.versies.voor} → ${w.versies.na}`,
  ];
  if (w.zonderWet) delen.push(`${w.zonderWet} record(s) of unknown law (${w.berichtenZonderWet} message note(s)): readable by their owner only; see docs/bronregistratie.md`);
  if (w.verstrekkingenZonderWet) delen.push(`${w.verstrekkingenZonderWet} counterpart grounds of unknown law set aside`);
  if (w.momentopnamenZonderWet) delen.push(`${w.momentopnamenZonderWet} snapshot message(s) of unknown law kept inert`);
  return delen.join('; ');
}

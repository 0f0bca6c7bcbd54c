/**
 * What inzage (AVG art. 15) shows a person: the records about them (of one owner, or of every owner in the
 * database) with every version, which party received the record and when (verstrekking), who read what, when
 * and for which purpose (the audit log), which notifications went where, and the kept key-only messages that name
 * the records (schema v6: they hold the Bsn) with who fetched them. It holds no BSN: the person is found by the
 * person index (inzage.ts), and the report names records by their Sleutel and messages by their id.
 */
import { zoekAudit, type Auditpost } from './auditvraag.js';
import { heeftTabel } from './verbinding.js';
import type { Bronregistratie } from './store.js';
import { wetVan } from './wet.js';

export interface Inzagerecord {
  sleutel: string;
  object: string;
  eigenaar: string;
  /** `wmo` or `jeugdwet`; `null` while records do not carry their law */
  wet: string | null;
  /** the number of the current version */
  actueel: number | null;
  versies: Array<{ nummer: number; dagtekening: string; geregistreerd: string; inhoud: unknown }>;
  /** which party received the record: the period of its messages, the version of the first and of the latest, the end of its window */
  verstrekkingen: Array<{ tegenpartij: string; eersteDagtekening: string; laatsteDagtekening: string; eersteVersie: number | null; laatsteVersie: number | null; toewijzingEinde: string | null; beeindigd: string | null }>;
}

export interface Inzagenotificatie {
  sleutel: string;
  versie: number;
  soort: string;
  tijd: string;
  /** the one counterpart an end was addressed to; `null`: every counterpart of the record */
  alleenVoor: string | null;
  bezorgingen: Array<{ ontvanger: string; status: string; bijgewerkt: string }>;
}

/** A kept key-only message (berichten.ts) that names records of the person. */
export interface Inzagebericht {
  id: string;
  berichttype: string;
  eigenaar: string;
  ontvanger: string;
  dagtekening: string;
  geregistreerd: string;
  /** the person's records it names */
  sleutels: string[];
  /** where its notification went */
  bezorgingen: Array<{ ontvanger: string; status: string; bijgewerkt: string }>;
}

export interface Inzage {
  gemaakt: string;
  eigenaar: string | null;
  records: Inzagerecord[];
  /** the kept key-only messages that name these records */
  berichten: Inzagebericht[];
  /** who read these records, when, for which purpose, with what verdict */
  raadplegingen: Auditpost[];
  notificaties: Inzagenotificatie[];
}

export function maakInzage(bronregistratie: Bronregistratie, sleutels: readonly string[], eigenaar: string | null, nu = new Date().toISOString()): Inzage {
  const db = bronregistratie.verbinding;
  const versies = db.prepare<[string], { nummer: number; dagtekening: string; geregistreerd: string; inhoud: string }>(
    'SELECT nummer, dagtekening, geregistreerd, inhoud FROM versie WHERE record = (SELECT id FROM record WHERE sleutel = ?) ORDER BY dagtekening, bericht_identificatie, nummer',
  );
  const record = db.prepare<[string], { object: string; eigenaar: string }>('SELECT object, eigenaar FROM record WHERE sleutel = ?');
  const verstrekt = db.prepare<[string], { tegenpartij: string; eerste_dagtekening: string; laatste_dagtekening: string; toewijzing_einde: string | null; laatste_bericht_identificatie: string }>(
    'SELECT tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie FROM verstrekking WHERE record = (SELECT id FROM record WHERE sleutel = ?) ORDER BY tegenpartij',
  );
  const records: Inzagerecord[] = [];
  for (const sleutel of sleutels) {
    const r = record.get(sleutel);
    if (!r) continue;
    const einden = new Map(bronregistratie.beeindigingen(sleutel).map((b) => [b.tegenpartij, b.dagtekening]));
    records.push({
      sleutel,
      object: r.object,
      eigenaar: r.eigenaar,
      wet: wetVan(db, sleutel),
      actueel: bronregistratie.versie(sleutel)?.nummer ?? null,
      versies: versies.all(sleutel).map((v) => ({ nummer: v.nummer, dagtekening: v.dagtekening, geregistreerd: v.geregistreerd, inhoud: JSON.parse(v.inhoud) as unknown })),
      verstrekkingen: verstrekt.all(sleutel).map((v) => ({
        tegenpartij: v.tegenpartij,
        eersteDagtekening: v.eerste_dagtekening,
        laatsteDagtekening: v.laatste_dagtekening,
        eersteVersie: bronregistratie.versieOp(sleutel, v.eerste_dagtekening)?.nummer ?? null,
        laatsteVersie: bronregistratie.versieOp(sleutel, v.laatste_dagtekening, v.laatste_bericht_identificatie)?.nummer ?? null,
        toewijzingEinde: v.toewijzing_einde,
        beeindigd: einden.get(v.tegenpartij) ?? null,
      })),
    });
  }
  const gevonden = records.map((r) => r.sleutel);
  const notificaties: Inzagenotificatie[] = [];
  if (gevonden.length) {
    const metBezorging = heeftTabel(db, 'bezorging');
    const bezorgd = metBezorging
      ? db.prepare<[string], { ontvanger: string; status: string; bijgewerkt: string }>('SELECT ontvanger, status, bijgewerkt FROM bezorging WHERE notificatie = ? ORDER BY nummer')
      : undefined;
    const rijen = db
      .prepare<[string], { id: string; sleutel: string; versie: number; soort: string; tijd: string; alleenVoor: string | null }>(
        `SELECT o.id, o.sleutel, o.versie, o.soort, o.tijd, ov.tegenpartij alleenVoor FROM outbox o LEFT JOIN outbox_ontvanger ov ON ov.id = o.id
          WHERE o.sleutel IN (SELECT value FROM json_each(?)) ORDER BY o.volgnummer`,
      )
      .all(JSON.stringify(gevonden));
    for (const n of rijen) {
      notificaties.push({ sleutel: n.sleutel, versie: n.versie, soort: n.soort, tijd: n.tijd, alleenVoor: n.alleenVoor, bezorgingen: bezorgd?.all(n.id) ?? [] });
    }
  }
  const berichten = gevonden.length && heeftTabel(db, 'bericht') ? bewaardeBerichten(db, gevonden) : [];
  const raadplegingen = gevonden.length ? zoekAudit(db, { sleutels: [...gevonden, ...berichten.map((b) => b.id)] }) : [];
  return { gemaakt: nu, eigenaar, records, berichten, raadplegingen, notificaties };
}

/** The kept key-only messages naming any of `sleutels`, in the order they were kept, with their deliveries. */
function bewaardeBerichten(db: Bronregistratie['verbinding'], sleutels: readonly string[]): Inzagebericht[] {
  const bezorgd = heeftTabel(db, 'bezorging')
    ? db.prepare<[string], { ontvanger: string; status: string; bijgewerkt: string }>(
        'SELECT b.ontvanger, b.status, b.bijgewerkt FROM bezorging b JOIN outbox o ON o.id = b.notificatie WHERE o.bericht = ? ORDER BY b.nummer',
      )
    : undefined;
  const gezocht = new Set(sleutels);
  return db
    .prepare<[string], { id: string; berichttype: string; eigenaar: string; ontvanger: string; dagtekening: string; geregistreerd: string; sleutels: string }>(
      `SELECT id, berichttype, eigenaar, ontvanger, dagtekening, geregistreerd, sleutels FROM bericht
        WHERE EXISTS (SELECT 1 FROM json_each(bericht.sleutels) s WHERE json_extract(s.value, '$.sleutel') IN (SELECT value FROM json_each(?)))
        ORDER BY geregistreerd, id`,
    )
    .all(JSON.stringify(sleutels))
    .map((b) => ({
      id: b.id,
      berichttype: b.berichttype,
      eigenaar: b.eigenaar,
      ontvanger: b.ontvanger,
      dagtekening: b.dagtekening,
      geregistreerd: b.geregistreerd,
      sleutels: (JSON.parse(b.sleutels) as Array<{ sleutel: string }>).map((x) => x.sleutel).filter((x) => gezocht.has(x)),
      bezorgingen: bezorgd?.all(b.id) ?? [],
    }));
}

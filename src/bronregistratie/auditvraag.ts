/**
 * Reading the audit log: the entries a filter selects (Sleutel, party, period, verdict; for an owner's
 * auditors only what concerns that owner), page by page, and the read-only opening of a database for
 * `netwerkbrug audit zoek|exporteer`, which creates nothing (no database, no table, no secret, no head file).
 * The query needs no secret: the chain is checked by `audit verifieer` (auditketen.ts).
 */
import Database from 'better-sqlite3';
import { bestaatDatabase, openAlleenLezen } from './auditketen.js';
import { heeftTabel } from './verbinding.js';

/** A stored entry as a query gives it. */
export interface Auditpost {
  volgnummer: number;
  tijd: string;
  traceId: string;
  /** the participant code, `null` when the caller was not identified */
  deelnemer: string | null;
  /** what was tried: `bronregistratie:lezen`, `berichten:uitgaand`, … */
  actie: string;
  object: string | null;
  sleutel: string | null;
  versie: number | null;
  doel: string | null;
  /** `wmo` or `jeugdwet`; `null` for no record or a record of unknown law (of before the law separation); see wet.ts */
  wet: string | null;
  /** the legal ground of the verdict in words: the owner itself, or the verstrekking and its window (toegang/grondtekst.ts) */
  grond: string | null;
  /** verstrekt, geweigerd, niet-geauthenticeerd, niet-gevonden, ongeldig-verzoek, afgekeurd, omgezet, fout */
  uitkomst: string;
  status: number;
  /** `http` (serve) or `cli` (a command on this installation) */
  kanaal: string | null;
}

/** The order of the fields in an export (CSV columns). */
export const AUDITVELDEN = ['volgnummer', 'tijd', 'traceId', 'deelnemer', 'actie', 'object', 'sleutel', 'versie', 'doel', 'wet', 'grond', 'uitkomst', 'status', 'kanaal'] as const satisfies ReadonlyArray<keyof Auditpost>;

export interface Auditfilter {
  sleutel?: string | undefined;
  /** any of these Sleutels (the records of one person: inzage) */
  sleutels?: readonly string[] | undefined;
  /** the party that asked */
  deelnemer?: string | undefined;
  /** from (inclusive): a date YYYY-MM-DD or an ISO 8601 UTC time */
  van?: string | undefined;
  /** until (inclusive): a date (the whole day) or an ISO 8601 UTC time */
  tot?: string | undefined;
  /** the verdict: verstrekt, geweigerd, niet-gevonden, … */
  uitkomst?: string | undefined;
  /** only what concerns this owner: reads of its records, and what its own participant did */
  eigenaar?: string | undefined;
  /** entries after this sequence number (paging) */
  na?: number | undefined;
  limiet?: number | undefined;
}

const DATUM = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIJD = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?Z$/;

/** Whether a bound of a period is a date or an ISO UTC time this filter understands. */
export const isTijdgrens = (s: string) => DATUM.test(s) || TIJD.test(s);

function kolommen(db: Database.Database): Set<string> {
  return new Set((db.pragma('table_info(audit)') as Array<{ name: string }>).map((k) => k.name));
}

/** The entries a filter selects, in sequence order; an absent table is an empty log. */
export function zoekAudit(db: Database.Database, f: Auditfilter): Auditpost[] {
  const k = kolommen(db);
  if (k.size === 0) return [];
  const later = (naam: string) => (k.has(naam) ? naam : `NULL AS ${naam}`);
  const waar: string[] = ['volgnummer > @na'];
  const p: Record<string, unknown> = { na: f.na ?? 0 };
  if (f.sleutel !== undefined) {
    waar.push('sleutel = @sleutel');
    p.sleutel = f.sleutel;
  }
  if (f.sleutels !== undefined) {
    waar.push('sleutel IN (SELECT value FROM json_each(@sleutels))');
    p.sleutels = JSON.stringify(f.sleutels);
  }
  if (f.deelnemer !== undefined) {
    waar.push('deelnemer = @deelnemer');
    p.deelnemer = f.deelnemer;
  }
  if (f.uitkomst !== undefined) {
    waar.push('uitkomst = @uitkomst');
    p.uitkomst = f.uitkomst;
  }
  if (f.van !== undefined) {
    waar.push(DATUM.test(f.van) ? 'substr(tijd, 1, 10) >= @van' : 'tijd >= @van');
    p.van = f.van;
  }
  if (f.tot !== undefined) {
    waar.push(DATUM.test(f.tot) ? 'substr(tijd, 1, 10) <= @tot' : 'tijd <= @tot');
    p.tot = f.tot;
  }
  if (f.eigenaar !== undefined) {
    const metRecords = heeftTabel(db, 'record');
    waar.push(metRecords ? '(deelnemer = @eigenaar OR sleutel IN (SELECT sleutel FROM record WHERE eigenaar = @eigenaar))' : 'deelnemer = @eigenaar');
    p.eigenaar = f.eigenaar;
  }
  const limiet = f.limiet !== undefined ? ' LIMIT @limiet' : '';
  if (f.limiet !== undefined) p.limiet = f.limiet;
  const sql = `SELECT volgnummer, tijd, trace_id, deelnemer, actie, object, sleutel, versie, doel, ${later('wet')}, ${later('grond')}, uitkomst, status, ${later('kanaal')}
    FROM audit WHERE ${waar.join(' AND ')} ORDER BY volgnummer${limiet}`;
  type Rij = Omit<Auditpost, 'traceId'> & { trace_id: string };
  return (db.prepare(sql).all(p) as Rij[]).map((r) => ({
    volgnummer: r.volgnummer,
    tijd: r.tijd,
    traceId: r.trace_id,
    deelnemer: r.deelnemer,
    actie: r.actie,
    object: r.object,
    sleutel: r.sleutel,
    versie: r.versie,
    doel: r.doel,
    wet: r.wet,
    grond: r.grond,
    uitkomst: r.uitkomst,
    status: r.status,
    kanaal: r.kanaal,
  }));
}

/**
 * The entries of a database's audit log that a filter selects, read-only: a missing database is a usage
 * error, and nothing is created or changed (the file is opened read-only, its secret is not touched).
 */
export function leesAudit(database: string, f: Auditfilter): Auditpost[] {
  bestaatDatabase(database);
  const db = openAlleenLezen(database);
  try {
    return zoekAudit(db, f);
  } finally {
    db.close();
  }
}

/** One field of a CSV line (RFC 4180): quoted when it holds a comma, a quote, a line break or leading space. */
function csvVeld(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The entries as CSV (RFC 4180, CRLF line ends, a header line). */
export function alsCsv(posten: readonly Auditpost[]): string {
  const regels = [AUDITVELDEN.join(',')];
  for (const p of posten) regels.push(AUDITVELDEN.map((v) => csvVeld(p[v])).join(','));
  return regels.join('\r\n') + '\r\n';
}

/** The entries as JSON lines: one object per line. */
export const alsJsonl = (posten: readonly Auditpost[]): string => posten.map((p) => JSON.stringify(p) + '\n').join('');

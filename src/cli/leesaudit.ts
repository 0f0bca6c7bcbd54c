/**
 * The audit entry of a read by a command on this installation (`bron toon`, the local resolution of
 * `rehydrate`, `inzage`): the same log as `serve` writes, with `kanaal: cli`. Who: this installation's own
 * participant code (`deelnemer.code`), or, without one, the record's owner (the installation reads its own
 * records). One trace id per command run. The entry is written before the answer is given: a command that
 * cannot write it gives nothing (exit 2), as `serve` answers 503.
 */
import { randomBytes } from 'node:crypto';
import { Auditlog } from '../bronregistratie/audit.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { wetVan } from '../bronregistratie/wet.js';
import { leesgrond } from '../toegang/grondtekst.js';

export interface Cliread {
  object: string | null;
  sleutel: string | null;
  versie: number | null;
  doel: string;
  actie?: 'bronregistratie:lezen' | 'inzage';
  gevonden: boolean;
  /** the ground in words, when not that of reading a record */
  grond?: string;
}

export class Cliaudit {
  private readonly log: Auditlog;
  readonly traceId = randomBytes(16).toString('hex');

  constructor(
    private readonly bronregistratie: Bronregistratie,
    private readonly eigen: string | null,
    private readonly nalooptijdMaanden = 24,
  ) {
    this.log = new Auditlog(bronregistratie.pad);
  }

  schrijf(r: Cliread): void {
    const record = r.sleutel !== null ? this.bronregistratie.versie(r.sleutel) : undefined;
    const deelnemer = this.eigen ?? record?.eigenaar ?? null;
    const grond =
      r.grond ??
      (r.object !== null && r.sleutel !== null
        ? leesgrond(this.bronregistratie, r.object, r.sleutel, record && record.object === r.object ? record.eigenaar : undefined, deelnemer, new Date().toISOString().slice(0, 10), this.nalooptijdMaanden)
        : 'geen: onbekend record');
    this.log.schrijf({
      tijd: new Date().toISOString(),
      traceId: this.traceId,
      deelnemer,
      actie: r.actie ?? 'bronregistratie:lezen',
      object: r.object,
      sleutel: r.sleutel,
      versie: r.versie,
      doel: r.doel,
      uitkomst: r.gevonden ? 'verstrekt' : 'niet-gevonden',
      status: r.gevonden ? 200 : 404,
      wet: wetVan(this.bronregistratie.verbinding, r.sleutel),
      grond,
      kanaal: 'cli',
    });
  }

  sluit(): void {
    this.log.sluit();
  }
}

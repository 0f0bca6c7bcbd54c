/** What the routes of one server instance share, and the request decorations they rely on. */
import type { SchemaRegister } from '../bericht/schemas.js';
import type { Auditlog } from '../bronregistratie/audit.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config, Scope } from '../config/typen.js';
import type { Deelnemerherkenning, Identiteit } from '../toegang/deelnemer.js';
import type { Integriteitscontrole, Zekering } from './database.js';
import type { Verbindingbewaker } from './limieten.js';
import type { Metingen } from './metingen.js';
import type { Tracecontext } from './trace.js';

export interface Omgeving {
  config: Config;
  register: SchemaRegister;
  /** the Bronregistratie store of this owner */
  bronregistratie: Bronregistratie;
  audit: Auditlog;
  herkenning: Deelnemerherkenning;
  metingen: Metingen;
  /** folder for refused messages */
  quarantaine: string;
  /** today's date (YYYY-MM-DD) for the grounds check */
  vandaag: () => string;
  /** connections without an accepted identity, counted and capped */
  verbindingen: Verbindingbewaker;
  /** set when the database was found busy: requests that need it get 503 at once for a moment */
  zekering: Zekering;
  /** the periodic PRAGMA quick_check (for /ready) */
  integriteit: Integriteitscontrole;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: Tracecontext;
    identiteit?: Identiteit;
    /** the purpose the caller gave (`X-Doel`), or the scope used */
    doel?: string;
    /** the version handed out, for the audit log */
    auditVersie?: number;
    /** the legal ground of the answer in words, for the audit log, when the route states it itself */
    auditGrond?: string;
    /** the law of the record read, when the route resolved it (an alias Sleutel names a record of its own law) */
    auditWet?: string | null;
    /** a read of a kept key-only message (GET /berichten/{id}): its id and outcome, for the audit log */
    auditBericht?: { id: string; uitkomst: string };
  }
  interface FastifyContextConfig {
    /** the action an audited route performs; every attempt on it is written to the audit log */
    actie?: Scope;
  }
}

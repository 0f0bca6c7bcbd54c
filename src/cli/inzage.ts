/**
 * `netwerkbrug inzage --bsn <bsn>` (AVG art. 15): for one person, the records about them and their Relaties,
 * every version, which party received which version when, who read what, when and why, and which
 * notifications went where; as JSON, or as a plain page in Dutch a citizen can read (`--formaat tekst`).
 * `--bsn -` reads the BSN from stdin, so it stays out of the process list and the shell history. A BSN that
 * fails the 11-proef is refused in one sentence that does not repeat it (exit 2). The inzage is a read: it
 * writes one audit entry (purpose `inzage`, no person in it) before the answer is given.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { isBsn } from '../bronregistratie/inzage.js';
import { maakInzage, type Inzage } from '../bronregistratie/inzagerapport.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { laadConfig } from '../config/laden.js';
import { isDeelnemercode } from '../config/schema.js';
import { eigenaren, kiesDatabase } from '../bronregistratie/eigenaren.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { NetwerkbrugFout } from '../fout.js';
import { DOEL } from './bron.js';
import { Cliaudit } from './leesaudit.js';

export const BSN_ONGELDIG = 'the BSN does not pass the 11-proef (9 digits); nothing was looked up';

interface Opties {
  bsn: string;
  eigenaar?: string;
  formaat: 'json' | 'tekst';
  uitvoer?: string;
  doel: string;
  config?: string;
  db?: string;
}

export function inzageCommand(): Command {
  return new Command('inzage')
    .description('inzage (AVG art. 15): what the bronregistratie holds about one person and what happened to it')
    .requiredOption('--bsn <bsn>', 'the BSN of the person; - reads it from stdin (keeps it out of the process list and shell history)')
    .option('--eigenaar <code>', "only this owner's records (default: deelnemer.code of the configuration, else every owner); with bronregistratie.eigenaren also the database: that owner's")
    .addOption(new Option('--formaat <formaat>', 'json, or tekst: a plain page in Dutch for the citizen').choices(['json', 'tekst']).default('tekst'))
    .option('--uitvoer <file>', 'write to this file (atomically, mode 0600) instead of stdout')
    .option('--doel <code>', 'the purpose of this read, for the audit log', DOEL, 'inzage')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .addHelpText('after', '\nWrites one audit entry (purpose inzage, no BSN). Exit codes: 0 done (also when nothing is found), 2 a BSN that fails the 11-proef, or a usage error.')
    .action((o: Opties) => {
      const bsn = (o.bsn === '-' ? readFileSync(0, 'utf8') : o.bsn).trim();
      if (!isBsn(bsn)) throw new NetwerkbrugFout('GEBRUIK', BSN_ONGELDIG);
      if (o.eigenaar !== undefined && !isDeelnemercode(o.eigenaar)) throw new NetwerkbrugFout('GEBRUIK', '--eigenaar: expected a participant code (4 or 8 digits)', { bestand: '--eigenaar' });
      const config = o.db && !o.config ? undefined : laadConfig(o.config);
      // writes (the person index, the audit entry), but never makes a database or a secret
      const bronregistratie = new Bronregistratie(o.db ?? kiesDatabase(config!, { eigenaar: eigenaren(config!).length ? o.eigenaar : undefined }).pad, { moetBestaan: true });
      let audit: Cliaudit | undefined;
      try {
        audit = new Cliaudit(bronregistratie, config?.deelnemer?.code ?? null, config?.toegang.nalooptijdMaanden);
        const eigenaar = o.eigenaar ?? config?.deelnemer?.code ?? null;
        const inzage = maakInzage(bronregistratie, bronregistratie.sleutelsVanPersoon(bsn, eigenaar ?? undefined), eigenaar);
        audit.schrijf({ actie: 'inzage', object: null, sleutel: null, versie: null, doel: o.doel, gevonden: true, grond: 'AVG art. 15: inzage door de betrokkene' });
        const tekst = o.formaat === 'json' ? JSON.stringify(inzage, null, 2) + '\n' : alsTekst(inzage);
        if (o.uitvoer) schrijfAtomisch(o.uitvoer, tekst);
        else process.stdout.write(tekst);
      } finally {
        audit?.sluit();
        bronregistratie.sluit();
      }
    });
}

const MAANDEN = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** 2027-01-01 → 1 januari 2027; a time gets its hour (UTC). */
function datum(s: string | null): string {
  if (!s) return 'onbekend';
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}))?/.exec(s);
  if (!m) return s;
  const dag = `${Number(m[3])} ${MAANDEN[Number(m[2]) - 1]} ${m[1]}`;
  return m[4] ? `${dag} om ${m[4]}:${m[5]} (UTC)` : dag;
}

const partij = (code: string | null) => (code === null ? 'een onbekende partij' : code.length === 4 ? `gemeente ${code}` : `zorgaanbieder ${code}`);
const objectnaam = (o: string | null) => (o === null ? 'uw gegevens' : (informatieobject(o)?.inzagenaam ?? o));
const WET: Record<string, string> = { wmo: 'Wet maatschappelijke ondersteuning (Wmo)', jeugdwet: 'Jeugdwet' };
const UITKOMST: Record<string, string> = { verstrekt: 'gegeven', geweigerd: 'geweigerd', 'niet-gevonden': 'niet gevonden' };
const BEZORGING: Record<string, string> = { geleverd: 'afgeleverd', wachtend: 'nog niet afgeleverd', dood: 'niet af te leveren', vervallen: 'vervallen' };
const MELDING: Record<string, string> = { aangemaakt: 'nieuw gegeven', gewijzigd: 'gegeven gewijzigd', beeindigd: 'gegeven niet meer nodig' };

/** The fields of a version as lines "Naam: waarde", nested groups indented. */
function velden(v: unknown, inspringing: string): string[] {
  if (v === null || typeof v !== 'object') return [`${inspringing}${String(v)}`];
  const regels: string[] = [];
  for (const [k, w] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(w)) w.forEach((x, i) => regels.push(`${inspringing}${k} ${i + 1}:`, ...velden(x, inspringing + '  ')));
    else if (w !== null && typeof w === 'object') regels.push(`${inspringing}${k}:`, ...velden(w, inspringing + '  '));
    else regels.push(`${inspringing}${k}: ${String(w)}`);
  }
  return regels;
}

/** A plain page in Dutch for the citizen. */
export function alsTekst(i: Inzage): string {
  const r: string[] = [];
  const kop = (t: string) => r.push('', t, '-'.repeat(t.length));
  r.push('Inzage in uw gegevens', '=====================', `Gemaakt op ${datum(i.gemaakt)}.`);
  r.push(
    i.eigenaar ? `Dit overzicht laat zien welke gegevens ${partij(i.eigenaar)} over u bewaart in haar bronregistratie,` : 'Dit overzicht laat zien welke gegevens over u in deze bronregistratie staan,',
    'aan wie die gegevens zijn gegeven, wie ze heeft bekeken en waarvoor, en welke meldingen daarover zijn verstuurd.',
  );
  kop('Gegevens over u');
  if (!i.records.length) r.push('Er zijn geen gegevens over u gevonden.');
  const naam = new Map<string, string>();
  i.records.forEach((rec, n) => {
    naam.set(rec.sleutel, `${objectnaam(rec.object)} (nummer ${n + 1})`);
    r.push('', `${n + 1}. ${objectnaam(rec.object)}, bewaard door ${partij(rec.eigenaar)}`, `   Wet: ${rec.wet ? (WET[rec.wet] ?? rec.wet) : 'niet vastgelegd'}. Kenmerk: ${rec.sleutel}`);
    for (const v of rec.versies) {
      r.push(`   Versie ${v.nummer}${v.nummer === rec.actueel ? ' (de huidige)' : ''}, uit een bericht van ${datum(v.dagtekening)}:`, ...velden(v.inhoud, '     '));
    }
    if (!rec.verstrekkingen.length) r.push('   Dit gegeven is aan niemand gegeven.');
    for (const v of rec.verstrekkingen) {
      const periode = v.eersteDagtekening === v.laatsteDagtekening ? `op ${datum(v.eersteDagtekening)}` : `van ${datum(v.eersteDagtekening)} tot en met ${datum(v.laatsteDagtekening)}`;
      const versies = v.eersteVersie === v.laatsteVersie ? `versie ${v.eersteVersie ?? '?'}` : `versie ${v.eersteVersie ?? '?'} tot en met ${v.laatsteVersie ?? '?'}`;
      const einde = v.beeindigd ? ` Niet meer nodig sinds ${datum(v.beeindigd)}.` : v.toewijzingEinde ? ` Nodig voor de zorg tot en met ${datum(v.toewijzingEinde)}.` : '';
      r.push(`   Gegeven aan ${partij(v.tegenpartij)}: ${periode} (${versies}).${einde}`);
    }
  });
  kop('Berichten over u die klaarliggen');
  if (!i.berichten.length) r.push('Er liggen geen berichten over u klaar.');
  i.berichten.forEach((b, n) => {
    naam.set(b.id, `bericht ${n + 1}`);
    const gegevens = b.sleutels.map((s) => naam.get(s) ?? 'een gegeven').join(', ');
    const bezorgd = b.bezorgingen.length ? ` Aangekondigd aan ${b.bezorgingen.map((x) => `${partij(x.ontvanger)} (${BEZORGING[x.status] ?? x.status})`).join(', ')}.` : '';
    r.push(`${n + 1}. Een ${b.berichttype} van ${datum(b.dagtekening)} van ${partij(b.eigenaar)} aan ${partij(b.ontvanger)}, met ${gegevens}. Kenmerk: ${b.id}.${bezorgd}`);
  });
  kop('Wie heeft uw gegevens bekeken');
  if (!i.raadplegingen.length) r.push('Niemand heeft deze gegevens opgevraagd.');
  for (const a of i.raadplegingen) {
    const wat = a.sleutel ? (naam.get(a.sleutel) ?? objectnaam(a.object)) : objectnaam(a.object);
    r.push(
      `- ${datum(a.tijd)}: ${partij(a.deelnemer)} vroeg ${wat}${a.versie ? ` (versie ${a.versie})` : ''} op, voor het doel "${a.doel ?? 'onbekend'}"${a.kanaal === 'cli' ? ' (op de eigen installatie)' : ''}: ${UITKOMST[a.uitkomst] ?? a.uitkomst}.`,
      ...(a.grond ? [`  Grond: ${a.grond}.`] : []),
    );
  }
  kop('Meldingen over uw gegevens');
  if (!i.notificaties.length) r.push('Er zijn geen meldingen verstuurd.');
  for (const m of i.notificaties) {
    const aan = m.bezorgingen.length
      ? m.bezorgingen.map((b) => `${partij(b.ontvanger)} (${BEZORGING[b.status] ?? b.status})`).join(', ')
      : m.alleenVoor
        ? partij(m.alleenVoor)
        : 'de partijen die het gegeven kregen (nog niet verstuurd)';
    r.push(`- ${datum(m.tijd)}: melding "${MELDING[m.soort] ?? m.soort}" over ${naam.get(m.sleutel) ?? 'een gegeven'} (versie ${m.versie}), aan ${aan}.`);
  }
  r.push('', 'Kloppen deze gegevens niet? Neem dan contact op met uw gemeente.');
  return r.join('\n') + '\n';
}

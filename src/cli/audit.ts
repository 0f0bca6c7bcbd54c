/**
 * `netwerkbrug audit verifieer`: checks the audit log's hash chain and head, read-only.
 * `netwerkbrug audit zoek|exporteer`: the entries a filter selects (Sleutel, party, period, verdict), as a
 * table, JSON lines or CSV, to stdout or to a file written atomically with mode 0600. Both only read: they
 * create nothing (no database, no table, no secret, no head file).
 */
import { Command, Option } from 'commander';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { verifieerAuditlog } from '../bronregistratie/auditketen.js';
import { alsCsv, alsJsonl, isTijdgrens, leesAudit, type Auditfilter, type Auditpost } from '../bronregistratie/auditvraag.js';
import { laadConfig } from '../config/laden.js';
import { isDeelnemercode } from '../config/schema.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';
import { NetwerkbrugFout } from '../fout.js';


const SOORT = { gewijzigd: 'changed', ontbreekt: 'missing', ingevoegd: 'inserted', kop: 'head mismatch', anker: 'forged anchor' } as const;

const SLEUTEL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Zoekopties {
  config?: string;
  db?: string;
  sleutel?: string;
  deelnemer?: string;
  van?: string;
  tot?: string;
  uitkomst?: string;
  formaat: 'tekst' | 'jsonl' | 'csv';
  uitvoer?: string;
}

const fout = (optie: string, tekst: string) => new NetwerkbrugFout('GEBRUIK', `${optie}: ${tekst}`, { bestand: optie });

function filter(o: Zoekopties): Auditfilter {
  if (o.sleutel !== undefined && !SLEUTEL.test(o.sleutel)) throw fout('--sleutel', 'expected a Sleutel (a UUID v4 in lower case)');
  if (o.deelnemer !== undefined && !isDeelnemercode(o.deelnemer)) throw fout('--deelnemer', 'expected a participant code (4 or 8 digits)');
  for (const [naam, w] of [['--van', o.van], ['--tot', o.tot]] as const) if (w !== undefined && !isTijdgrens(w)) throw fout(naam, 'expected YYYY-MM-DD or an ISO 8601 UTC time (…Z)');
  if (o.van !== undefined && o.tot !== undefined && o.van.slice(0, 10) > o.tot.slice(0, 10)) throw fout('--van', 'comes after --tot');
  if (o.uitkomst !== undefined && !/^[a-z-]{1,40}$/.test(o.uitkomst)) throw fout('--uitkomst', 'expected a verdict such as verstrekt, geweigerd, niet-gevonden');
  return { sleutel: o.sleutel, deelnemer: o.deelnemer, van: o.van, tot: o.tot, uitkomst: o.uitkomst };
}

function tabel(posten: readonly Auditpost[]): string {
  if (!posten.length) return 'no audit entries match\n';
  return posten
    .map((p) => [p.volgnummer, p.tijd, p.deelnemer ?? '-', p.actie, p.object ?? '-', p.sleutel ?? '-', p.versie ?? '-', p.doel ?? '-', p.wet ?? '-', p.uitkomst, p.kanaal ?? '-', p.grond ?? '-'].join('  '))
    .join('\n') + '\n';
}

function zoekCommand(naam: string, omschrijving: string, standaard: Zoekopties['formaat']): Command {
  return new Command(naam)
    .description(omschrijving)
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .addOption(eigenaarOptie())
    .option('--sleutel <uuid>', 'entries about this Sleutel')
    .option('--deelnemer <code>', 'entries of this party (participant code)')
    .option('--van <datum>', 'from (inclusive): YYYY-MM-DD or an ISO 8601 UTC time')
    .option('--tot <datum>', 'until (inclusive): YYYY-MM-DD (the whole day) or an ISO 8601 UTC time')
    .option('--uitkomst <verdict>', 'the verdict: verstrekt, geweigerd, niet-gevonden, …')
    .addOption(new Option('--formaat <formaat>', 'tekst (a table), jsonl (one JSON object per line) or csv (RFC 4180, a header line)').choices(['tekst', 'jsonl', 'csv']).default(standaard))
    .option('--uitvoer <file>', 'write to this file (atomically, mode 0600) instead of stdout')
    .addHelpText('after', '\nOnly reads: creates nothing. Exit codes: 0 done (also when nothing matches), 2 usage error (no database, a bad filter).')
    .action((o: Zoekopties) => {
      const f = filter(o);
      const database = o.db ?? kiesDatabase(laadConfig(o.config), o).pad;
      const posten = leesAudit(database, f);
      const tekst = o.formaat === 'csv' ? alsCsv(posten) : o.formaat === 'jsonl' ? alsJsonl(posten) : tabel(posten);
      if (o.uitvoer) {
        schrijfAtomisch(o.uitvoer, tekst);
        process.stderr.write(`${posten.length} audit entries written\n`);
      } else process.stdout.write(tekst);
    });
}

export function auditCommand(): Command {
  const audit = new Command('audit').description("the sidecar's audit log");
  audit
    .command('verifieer')
    .description('walk the audit log\'s hash chain and check its head; names the first entry that was changed, removed or inserted')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .addOption(eigenaarOptie())
    .option('--json', 'one JSON object')
    .addHelpText('after', '\nExit codes: 0 intact, 1 broken, 2 usage error (no database, no identity secret).')
    .action((opties: { config?: string; db?: string; json?: boolean }) => {
      const database = opties.db ?? kiesDatabase(laadConfig(opties.config), opties).pad;
      const u = verifieerAuditlog(database);
      if (opties.json) process.stdout.write(JSON.stringify(u) + '\n');
      else if (u.intact) process.stdout.write(`audit log intact: ${u.regels} entries${u.kop ? `, head at ${u.kop.volgnummer}` : ''}${u.anker ? `, from the retention anchor at ${u.anker.volgnummer}` : ''}\n`);
      else process.stdout.write(`audit log broken at entry ${u.volgnummer}: ${SOORT[u.soort]} (${u.uitleg}); ${u.regels} entries before it are intact\n`);
      process.exitCode = u.intact ? 0 : 1;
    });
  audit.addCommand(zoekCommand('zoek', 'the audit entries a filter selects (Sleutel, party, period, verdict), as a table by default', 'tekst'));
  audit.addCommand(zoekCommand('exporteer', 'export the audit entries a filter selects as JSON lines (default) or CSV', 'jsonl'));
  return audit;
}

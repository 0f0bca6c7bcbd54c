/**
 * Loading the configuration file (YAML or JSON): parsed, validated against the JSON Schema that ships with the
 * package (`schema/netwerkbrug.config.schema.json`, generated from schema.ts), every error naming the key and
 * what was expected; then the defaults filled in and file paths resolved. After loading, the code trusts the
 * typed object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { NetwerkbrugFout } from '../fout.js';
import { STANDAARD_CONFIG, STANDAARD_DATABASE, STANDAARD_TOEGANG } from './standaard.js';
import type { Config, ConfigBestand, ServerConfig } from './typen.js';
import { datumFouten, schemaFouten } from './valideren.js';

/** Fingerprints as upper-case hex with colons, the form `X509Certificate.fingerprint256` gives. */
const vingerafdruk = (v: string) => v.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');

function normaliseerServer(s: ServerConfig): ServerConfig {
  const deelnemers = Object.fromEntries(
    Object.entries(s.deelnemers ?? {}).map(([code, d]) => [code, { ...d, ...(d.certificaten ? { certificaten: d.certificaten.map(vingerafdruk) } : {}) }]),
  );
  return { ...s, tls: { ...s.tls }, ...(s.tokens ? { tokens: { ...s.tokens } } : {}), deelnemers };
}

/** Validates parsed configuration data; throws GEBRUIK naming every wrong key. */
export function leesConfig(data: unknown, bestand = '(configuration)'): Config {
  const fouten = schemaFouten(data ?? {});
  if (fouten.length) throw new NetwerkbrugFout('GEBRUIK', `configuration is not valid:\n  ${[...new Set(fouten)].join('\n  ')}`, { bestand });
  const ruw = (data ?? {}) as ConfigBestand;
  const config: Config = {
    ...(ruw.deelnemer ? { deelnemer: ruw.deelnemer } : {}),
    bronregistratie: { database: STANDAARD_DATABASE, ...ruw.bronregistratie },
    informatieobjecten: ruw.informatieobjecten ?? {},
    toegang: { ...STANDAARD_TOEGANG, ...ruw.toegang },
    adresboek: ruw.adresboek ?? {},
    ...(ruw.server ? { server: normaliseerServer(ruw.server) } : {}),
    ...(ruw.notificaties ? { notificaties: ruw.notificaties } : {}),
    ...(ruw.audit ? { audit: ruw.audit } : {}),
    ...(ruw.ontvangst ? { ontvangst: { ...ruw.ontvangst, aflevering: { ...ruw.ontvangst.aflevering } } } : {}),
  };
  const ongeldigeData = datumFouten(config);
  if (ongeldigeData.length) throw new NetwerkbrugFout('GEBRUIK', `configuration is not valid:\n  ${ongeldigeData.join('\n  ')}`, { bestand });
  return config;
}

/** Parses YAML or JSON text (JSON is YAML); syntax errors name line and column. */
export function parseConfigTekst(tekst: string, bestand: string): unknown {
  const doc = parseDocument(tekst);
  const fout = doc.errors[0];
  if (fout) {
    const pos = fout.linePos?.[0];
    throw new NetwerkbrugFout('GEBRUIK', `configuration cannot be parsed: ${fout.message.split('\n')[0]}`, {
      bestand,
      ...(pos ? { regel: pos.line, kolom: pos.col } : {}),
    });
  }
  return doc.toJS() as unknown;
}

/**
 * Loads `pad`, or `./netwerkbrug.yaml` when no path is given. Without either the command is refused (exit 2):
 * running with every object inactive and a database in the current folder is never what was meant.
 * The database path is resolved relative to the configuration file.
 */
export function laadConfig(pad?: string): Config {
  if (pad === undefined && !existsSync(STANDAARD_CONFIG)) {
    throw new NetwerkbrugFout(
      'GEBRUIK',
      `no configuration file: ./${STANDAARD_CONFIG} does not exist and --config was not given; make one (netwerkbrug init) or name one with --config`,
      { bestand: STANDAARD_CONFIG },
    );
  }
  const bestand = pad ?? STANDAARD_CONFIG;
  let tekst: string;
  try {
    tekst = readFileSync(bestand, 'utf8');
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `configuration cannot be read: ${(e as Error).message}`, { bestand });
  }
  const config = leesConfig(parseConfigTekst(tekst, bestand), bestand);
  config.bestand = bestand;
  const map = dirname(bestand);
  config.bronregistratie.database = resolve(map, config.bronregistratie.database);
  // a database per owner: never one file for two owners, never the default one
  const gezien = new Map([[config.bronregistratie.database, 'bronregistratie.database']]);
  for (const [code, eigen] of Object.entries(config.bronregistratie.eigenaren ?? {})) {
    eigen.database = resolve(map, eigen.database);
    const ander = gezien.get(eigen.database);
    if (ander) throw new NetwerkbrugFout('GEBRUIK', `bronregistratie.eigenaren.${code}.database is the same file as ${ander}: each owner has a database of its own`, { bestand });
    gezien.set(eigen.database, `bronregistratie.eigenaren.${code}.database`);
  }
  for (const adres of Object.values(config.adresboek)) if (adres.ca) adres.ca = resolve(map, adres.ca);
  if (config.ontvangst?.aflevering.map !== undefined) config.ontvangst.aflevering.map = resolve(map, config.ontvangst.aflevering.map);
  if (config.server) losServerPadenOp(config.server, map);
  return config;
}

/** Resolves the server's file paths against the configuration file's folder; the quarantine folder defaults to ./quarantaine there. */
export function losServerPadenOp(server: ServerConfig, map: string): void {
  const t = server.tls;
  for (const k of ['certificaat', 'sleutel', 'ca', 'clientCertificaat', 'clientSleutel'] as const) {
    const v = t[k];
    if (v !== undefined) t[k] = resolve(map, v);
  }
  if (server.tokens?.publiekeSleutel) server.tokens.publiekeSleutel = resolve(map, server.tokens.publiekeSleutel);
  if (server.tokens?.jwks) server.tokens.jwks = resolve(map, server.tokens.jwks);
  server.quarantaine = resolve(map, server.quarantaine ?? 'quarantaine');
}

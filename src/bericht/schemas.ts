/**
 * The schema registry. A schema set is a folder of XSD files (any depth up to three); every XSD that
 * declares a global `Bericht` element is indexed by its targetNamespace. Adding a schema set, such as
 * the keyed extension schemas or an official release a user downloaded, is adding files.
 * Schemas are compiled on first use and then kept for the life of the process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';
import { PAKKET_ROOT } from '../pakket.js';
import { elementnamenIn } from './foutteksten.js';
import { GecompileerdSchema } from './libxml2.js';

/** `xsd/` of this package. */
export const STANDAARD_SCHEMAS = join(PAKKET_ROOT, 'xsd');

export interface SchemaIngang {
  namespace: string;
  /** absolute path of the message XSD */
  pad: string;
  /** from the XSD appinfo where present: `iwmo`, `wmo301`, `3.2` */
  standaard?: string;
  bericht?: string;
  release?: string;
  /** `sleutel` for the keyed extension schemas */
  variant?: string;
}

const MAX_DIEPTE = 3;

export class SchemaRegister {
  private readonly perNamespace = new Map<string, SchemaIngang>();
  private readonly gecompileerd = new Map<string, GecompileerdSchema>();

  private constructor(readonly map: string) {}

  /** Indexes every message XSD below `map`. Throws INVOER_ONLEESBAAR or SCHEMA_ONGELDIG. */
  static laad(map: string = STANDAARD_SCHEMAS): SchemaRegister {
    const register = new SchemaRegister(resolve(map));
    let bestanden: string[];
    try {
      bestanden = xsdBestanden(register.map, 0);
    } catch (e) {
      throw new NetwerkbrugFout('INVOER_ONLEESBAAR', `schema folder cannot be read: ${(e as Error).message}`, {
        bestand: map,
      });
    }
    for (const pad of bestanden) {
      const tekst = readFileSync(pad, 'utf8');
      if (!/<(\w+:)?element\s[^>]*name\s*=\s*["']Bericht["']/.test(tekst)) continue;
      const namespace = /targetNamespace\s*=\s*["']([^"']+)["']/.exec(tekst)?.[1];
      if (!namespace) continue;
      const eerder = register.perNamespace.get(namespace);
      if (eerder) {
        throw new NetwerkbrugFout(
          'SCHEMA_ONGELDIG',
          `two schemas declare namespace ${namespace}: ${relative(register.map, eerder.pad)} and ${relative(register.map, pad)}`,
          { bestand: pad },
        );
      }
      const appinfo = (veld: string) => new RegExp(`<\\w+:${veld}>\\s*([^<\\s]+)\\s*<`).exec(tekst)?.[1];
      const ingang: SchemaIngang = { namespace, pad };
      const standaard = appinfo('standaard');
      const bericht = appinfo('bericht');
      const release = appinfo('release');
      if (standaard) ingang.standaard = standaard;
      if (bericht) ingang.bericht = bericht;
      if (release) ingang.release = release;
      const variant = appinfo('variant');
      if (variant) ingang.variant = variant;
      register.perNamespace.set(namespace, ingang);
    }
    return register;
  }

  get ingangen(): SchemaIngang[] {
    return [...this.perNamespace.values()];
  }

  /** Every element name the schemas of this set declare: the names an error text may repeat. */
  get elementnamen(): ReadonlySet<string> {
    return elementnamenIn(this.map);
  }

  zoek(namespace: string): SchemaIngang | undefined {
    return this.perNamespace.get(namespace);
  }

  /** The compiled schema of an entry, compiled on first use. */
  schema(ingang: SchemaIngang): GecompileerdSchema {
    let s = this.gecompileerd.get(ingang.pad);
    if (!s) {
      s = new GecompileerdSchema(ingang.pad);
      this.gecompileerd.set(ingang.pad, s);
    }
    return s;
  }
}

function xsdBestanden(map: string, diepte: number): string[] {
  const uit: string[] = [];
  for (const naam of readdirSync(map).sort()) {
    const pad = join(map, naam);
    const st = statSync(pad);
    if (st.isDirectory() && diepte < MAX_DIEPTE) uit.push(...xsdBestanden(pad, diepte + 1));
    else if (st.isFile() && naam.toLowerCase().endsWith('.xsd')) uit.push(pad);
  }
  return uit;
}

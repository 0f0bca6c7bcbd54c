/**
 * The element types of a message schema, read from its XSD: which complex type an element has, and whether
 * that type comes from the basisschema. Rehydration needs it to rebuild an object's elements from the
 * bronregistratie's fields: children of a message type (Relatie, Contact) are in the message namespace,
 * children of a basisschema type (CDT_VolledigeNaam, CDT_Adres) and all below them in the basisschema's.
 */
import { readFileSync } from 'node:fs';
import { bouwBoom, type Knoop } from './boom.js';

export interface Elementtype {
  /** local name of the element's type, when it has a named type */
  type?: string;
  /** the type comes from another namespace than the message's (the basisschema) */
  basis: boolean;
}

const ATTRIBUUT = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributen(k: Knoop): Map<string, string> {
  const uit = new Map<string, string>();
  for (const m of k.start.attributen.matchAll(ATTRIBUUT)) uit.set(m[1]!, m[2] ?? m[3] ?? '');
  return uit;
}

/** Elements declared below `k` (through sequence and choice), not inside a nested complex type. */
function elementen(k: Knoop): Knoop[] {
  return k.kinderen.flatMap((c) => (c.lokaal === 'element' ? [c] : c.lokaal === 'complexType' ? [] : elementen(c)));
}

export class Schematypen {
  private readonly typen = new Map<string, Map<string, Elementtype>>();
  private readonly root: Elementtype;

  private constructor(tekst: string) {
    const schema = bouwBoom(tekst);
    const doel = attributen(schema).get('targetNamespace') ?? '';
    const typeVan = (qname: string | undefined): Elementtype => {
      if (!qname) return { basis: false };
      const i = qname.indexOf(':');
      const prefix = i < 0 ? '' : qname.slice(0, i);
      const ns = schema.start.namespace === '' && !prefix ? doel : namespaceVan(schema, prefix);
      return { type: qname.slice(i + 1), basis: ns !== doel };
    };
    for (const c of schema.kinderen) {
      const a = attributen(c);
      if (c.lokaal === 'complexType' && a.has('name')) {
        this.typen.set(a.get('name')!, new Map(elementen(c).map((e) => { const ea = attributen(e); return [ea.get('name') ?? '', typeVan(ea.get('type'))]; })));
      }
    }
    const bericht = schema.kinderen.find((c) => c.lokaal === 'element' && attributen(c).get('name') === 'Bericht');
    this.root = typeVan(bericht && attributen(bericht).get('type'));
  }

  private static readonly cache = new Map<string, Schematypen>();

  /** The types of the message XSD at `pad`, read once per process. */
  static van(pad: string): Schematypen {
    let s = Schematypen.cache.get(pad);
    if (!s) Schematypen.cache.set(pad, (s = new Schematypen(readFileSync(pad, 'utf8'))));
    return s;
  }

  /** The type of the element at a path of local names below `Bericht`. */
  typeVanPad(pad: readonly string[]): Elementtype {
    let t = this.root;
    for (const stap of pad) {
      const kind = t.type && !t.basis ? this.typen.get(t.type)?.get(stap) : undefined;
      t = kind ?? { basis: t.basis };
    }
    return t;
  }

  /** The type of a child of an element of (message) type `type`. */
  kind(type: Elementtype, naam: string): Elementtype {
    if (type.basis || !type.type) return { basis: type.basis };
    return this.typen.get(type.type)?.get(naam) ?? { basis: false };
  }
}

function namespaceVan(schema: Knoop, prefix: string): string {
  const re = new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`);
  return re.exec(schema.start.attributen)?.[1] ?? '';
}

/**
 * Field-by-field comparison of the data a message carried with what the bronregistratie returns for its
 * Sleutel (the naast phase). A difference names the field only (`Naam.Geslachtsnaam.Achternaam`,
 * `Contact.Telefoon.Telefoon01.Telefoonnummer`), never a value: values are personal data.
 */
import type { Veldgroep, Veldwaarde } from '../informatieobject/velden.js';

export interface Verschil {
  veld: string;
  /** `gewijzigd`: both have it with another value; `alleenBericht`/`alleenBron`: only one side has it */
  soort: 'gewijzigd' | 'alleenBericht' | 'alleenBron';
}

function plat(w: Veldwaarde, pad: string, uit: Map<string, string>, weglaten: readonly string[] = []): void {
  if (typeof w === 'string') uit.set(pad, w);
  else if (Array.isArray(w)) w.forEach((x, i) => plat(x, `${pad}[${i + 1}]`, uit, weglaten));
  else for (const [k, v] of Object.entries(w)) if (!weglaten.includes(k)) plat(v, pad ? `${pad}.${k}` : k, uit, weglaten);
}

/**
 * `weglaten`: the message's own elements (a retour's RetourCodes, at any depth), which the bronregistratie
 * never keeps and so never differ.
 */
export function vergelijk(bericht: Veldgroep, bron: Veldgroep, weglaten: readonly string[] = []): Verschil[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  plat(bericht, '', a, weglaten);
  plat(bron, '', b);
  const uit: Verschil[] = [];
  for (const [veld, w] of a) {
    if (!b.has(veld)) uit.push({ veld, soort: 'alleenBericht' });
    else if (b.get(veld) !== w) uit.push({ veld, soort: 'gewijzigd' });
  }
  for (const veld of b.keys()) if (!a.has(veld)) uit.push({ veld, soort: 'alleenBron' });
  return uit;
}

/**
 * Reads what identifies a message from its first bytes, before any schema is chosen: the root element and
 * its namespace, and the Header fields BerichtCode, BerichtVersie, BerichtSubversie, Afzender, Ontvanger and
 * BerichtIdentificatie (Identificatie, Dagtekening). Stops at the end of the Header.
 */
import { scanTags } from './scanner.js';

export interface BerichtKop {
  rootLokaal: string;
  rootNamespace: string;
  berichtCode?: string;
  berichtVersie?: string;
  berichtSubversie?: string;
  afzender?: string;
  ontvanger?: string;
  identificatie?: string;
  dagtekening?: string;
}

const VELDEN: Record<string, keyof BerichtKop> = {
  'Header/BerichtCode': 'berichtCode',
  'Header/BerichtVersie': 'berichtVersie',
  'Header/BerichtSubversie': 'berichtSubversie',
  'Header/Afzender': 'afzender',
  'Header/Ontvanger': 'ontvanger',
  'Header/BerichtIdentificatie/Identificatie': 'identificatie',
  'Header/BerichtIdentificatie/Dagtekening': 'dagtekening',
};

/** Returns undefined when the text has no root element. Scan errors propagate (ScanFout). */
export function leesKop(tekst: string): BerichtKop | undefined {
  let kop: BerichtKop | undefined;
  const pad: string[] = [];
  let open: { veld: keyof BerichtKop; vanaf: number } | undefined;
  for (const tag of scanTags(tekst)) {
    if (!kop) {
      kop = { rootLokaal: tag.lokaal, rootNamespace: tag.namespace };
      if (tag.soort !== 'start') return kop;
      continue;
    }
    if (tag.soort === 'eind') {
      if (open) {
        (kop as unknown as Record<string, string>)[open.veld] = tekst.slice(open.vanaf, tag.begin).trim();
        open = undefined;
      }
      if (pad.pop() === 'Header' && pad.length === 0) return kop;
      continue;
    }
    if (pad.length === 0 && tag.lokaal !== 'Header') return kop;
    pad.push(tag.lokaal);
    const veld = VELDEN[pad.join('/')];
    if (tag.soort === 'leeg') pad.pop();
    else if (veld) open = { veld, vanaf: tag.einde };
  }
  return kop;
}

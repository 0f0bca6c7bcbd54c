/**
 * Validates a stream of inputs (files, directories, zips) and yields one verdict per message. The
 * library under the `validate` command; it knows nothing of the terminal.
 */
import { verzamelInvoer } from '../archief/invoer.js';
import { NetwerkbrugFout } from '../fout.js';
import { controleerGrootte } from './lezen.js';
import type { SchemaRegister } from './schemas.js';
import { valideerBericht, type Validatieresultaat } from './validatie.js';

export type ValidatieItem =
  | { soort: 'resultaat'; resultaat: Validatieresultaat }
  | { soort: 'overgeslagen'; bestand: string; reden: string }
  | { soort: 'fout'; fout: NetwerkbrugFout };

export async function* valideerInvoer(paden: string[], register: SchemaRegister): AsyncGenerator<ValidatieItem> {
  for await (const item of verzamelInvoer(paden)) {
    if (item.soort === 'zip-begin' || item.soort === 'zip-einde') continue;
    if (item.soort !== 'bericht') {
      yield item;
      continue;
    }
    const { invoer } = item;
    let bytes: Buffer;
    try {
      if (invoer.grootte !== undefined) controleerGrootte(invoer.grootte, invoer.bestand);
      bytes = await invoer.lees();
    } catch (e) {
      const omschrijving = e instanceof NetwerkbrugFout ? e.message : `cannot be read: ${(e as Error).message}`;
      const code = e instanceof NetwerkbrugFout ? e.code : 'INVOER_ONLEESBAAR';
      yield { soort: 'resultaat', resultaat: { bestand: invoer.bestand, geldig: false, fouten: [{ code, omschrijving }] } };
      continue;
    }
    yield { soort: 'resultaat', resultaat: valideerBericht(bytes, invoer.bestand, register) };
  }
}

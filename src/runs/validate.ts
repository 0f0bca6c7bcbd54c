/**
 * Validates a stream of inputs (files, directories, zips) and yields one verdict per message. The
 * library under the `validate` command; it knows nothing of the terminal.
 */
import { verzamelInvoer } from '../archief/invoer.js';
import type { NetwerkbrugFout } from '../fout.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerVooruit, type Runpool } from './pool.js';
import type { Validatieresultaat } from '../bericht/validatie.js';

export type ValidatieItem =
  | { soort: 'resultaat'; resultaat: Validatieresultaat }
  | { soort: 'overgeslagen'; bestand: string; reden: string }
  | { soort: 'fout'; fout: NetwerkbrugFout };

export async function* valideerInvoer(paden: string[], register: SchemaRegister, pool?: Runpool): AsyncGenerator<ValidatieItem> {
  for await (const item of valideerVooruit(verzamelInvoer(paden), register, pool)) {
    if (item.soort === 'zip-begin' || item.soort === 'zip-einde') continue;
    if (item.soort !== 'bericht') {
      yield item;
      continue;
    }
    const { bestand } = item.invoer;
    yield {
      soort: 'resultaat',
      resultaat: item.leesfout ? { bestand, geldig: false, fouten: [{ code: item.leesfout.code, omschrijving: item.leesfout.message }] } : item.validatie,
    };
  }
}

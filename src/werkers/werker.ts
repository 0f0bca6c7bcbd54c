/**
 * A worker thread of the Werkpool: its own libxml2 (WebAssembly) and schema registry. It reads the
 * messages it is given by path (zip entries come as bytes), validates them, and hands the bytes back with
 * the verdict (and, for a conversion, the message's plan: see omzetten/bericht.ts); it also writes a run's
 * outputs, each atomically.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { alsLeesfout, leesBestand } from '../archief/invoer.js';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import type { Config } from '../plan/config.js';
import { planEnControleer } from '../omzetten/verwerking.js';
import { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht } from '../bericht/validatie.js';
import type { Werkopdracht, Werkuitslag, Uitslag } from './pool.js';

const { schemas, config } = workerData as { schemas: string; config?: Config };
const register = SchemaRegister.laad(schemas);

parentPort!.on('message', async (opdracht: Werkopdracht) => {
  if (opdracht.soort === 'schrijf') {
    let fout: string | undefined;
    for (const { pad, inhoud } of opdracht.bestanden) {
      try {
        schrijfAtomisch(pad, inhoud, { fsync: false });
      } catch (e) {
        fout ??= `${pad}: ${(e as Error).message}`;
      }
    }
    parentPort!.postMessage({ id: opdracht.id, ...(fout ? { fout } : {}) } satisfies Werkuitslag);
    return;
  }
  const uitslagen: Uitslag[] = [];
  const overdracht: ArrayBuffer[] = [];
  for (const b of opdracht.berichten) {
    let bytes: Buffer;
    try {
      bytes = b.bytes ? Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength) : await leesBestand(b.bestand);
    } catch (e) {
      const f = alsLeesfout(e, b.bestand);
      uitslagen.push({ leesfout: { code: f.code, tekst: f.message, ...(f.plaats ? { plaats: f.plaats } : {}) } });
      continue;
    }
    const r = valideerBericht(bytes, b.bestand, register);
    const uitslag: Uitslag = { geldig: r.geldig, fouten: r.fouten, ...(r.kop ? { kop: r.kop } : {}), herkend: r.bericht !== undefined };
    // for a conversion, the message's plan and the validation of its planned text are made here too
    if (config && r.geldig && r.gelezen && r.bericht && r.kop) uitslag.gepland = planEnControleer({ gelezen: r.gelezen, bericht: r.bericht, kop: r.kop }, b.bestand, config, register);
    if (!b.bytes) {
      // a file read here goes back to the main thread without a copy
      const eigen = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Buffer.from(bytes);
      uitslag.bytes = eigen;
      overdracht.push(eigen.buffer as ArrayBuffer);
    }
    uitslagen.push(uitslag);
  }
  parentPort!.postMessage({ id: opdracht.id, uitslagen } satisfies Werkuitslag, overdracht);
});

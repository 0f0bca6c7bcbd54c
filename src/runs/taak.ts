/**
 * The task of a run's worker threads (run by the generic Werkpool, see runs/pool.ts): its own libxml2
 * (WebAssembly) and schema registry. It reads the messages it is given by path (zip entries come as bytes),
 * validates them, and hands the bytes back with the verdict (and, for a conversion, the message's plan: see
 * omzetten/bericht.ts); it also writes a run's outputs, each atomically.
 */
import { alsLeesfout, leesBestand } from '../archief/invoer.js';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { planEnControleer } from '../omzetten/uitgaand.js';
import { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht } from '../bericht/validatie.js';
import type { Taakuitslag } from '../werkers/pool.js';
import { groepSleutel, identiteitIsPersonenindex, identiteitSleutel, inzageSleutel, persoonHash, type Hashgeheim } from '../bronregistratie/identiteit.js';
import { inhoudHash, inhoudTekst } from '../bronregistratie/inhoud.js';
import type { Identiteitsgeheimen } from '../bronregistratie/eigenaren.js';
import type { BerichtPlan } from '../omzetten/bericht.js';
import type { Config } from '../config/typen.js';
import type { Runopdracht, Runuitslag, Uitslag, Startgegevens } from './pool.js';

/** The person index's key of each identity secret, derived once per thread. */
const inzageSleutels = new WeakMap<Uint8Array, Buffer>();

/**
 * Puts in a plan the identity hash of each object it registers or looks up, and of each object it names (a
 * reference), made with the secret of the store that keeps that owner's records, and the hashes of each
 * snapshot group and of the client for the person index (a store of the `object` layout; one laid out by person
 * needs none, inzage.ts): the HMACs then cost the serial step nothing. An owner
 * without a store here gets none (the message is refused in the serial step). The content to register goes as
 * its text and hash (`inhoudTekst`, `inhoudHash`) instead of an object.
 */
export function hashIdentiteiten(plan: BerichtPlan, geheimen: Identiteitsgeheimen): void {
  const geheim = (eigenaar: string) => geheimen.standaard ?? geheimen.perEigenaar[eigenaar];
  const alsBuffer = (g: Uint8Array) => Buffer.from(g.buffer, g.byteOffset, g.byteLength);
  // the objects of one message share their group (per object) and their client: each hash is made once
  const gemaakt = new Map<string, string>();
  const eenmaal = (sleutel: string, maak: () => string) => gemaakt.get(sleutel) ?? gemaakt.set(sleutel, maak()).get(sleutel)!;
  const groepVan = (g: Hashgeheim, object: string, eigenaar: string, groep: readonly string[]) =>
    eenmaal(JSON.stringify(['groep', object, eigenaar, groep]), () => groepSleutel(g.vorm, alsBuffer(g.geheim), plan.wet, object, eigenaar, groep));
  for (const stap of plan.stappen) {
    if (stap.soort === 'einde') {
      const g = geheim(stap.eigenaar);
      if (g) stap.groepHash = groepVan(g, stap.object, stap.eigenaar, stap.groep);
      continue;
    }
    if (!stap.identiteit) continue;
    // the content as the store keeps and compares it: text and hash made here, the object not sent
    if (stap.inhoud !== undefined) {
      stap.inhoudTekst = inhoudTekst(stap.inhoud);
      stap.inhoudHash = inhoudHash(stap.inhoudTekst);
      delete stap.inhoud;
    }
    const g = geheim(stap.eigenaar);
    if (g) {
      stap.identiteitHash = identiteitSleutel(g.vorm, alsBuffer(g.geheim), plan.wet, stap.object, stap.eigenaar, stap.identiteit);
      if (stap.groep) stap.groepHash = groepVan(g, stap.object, stap.eigenaar, stap.groep);
      const bsn = stap.identiteit[0];
      // the person index's hash; a database whose hashes are laid out by person needs none (inzage.ts)
      if (stap.rol === 'bron' && bsn !== undefined && !identiteitIsPersonenindex(g.vorm)) {
        const { eigenaar } = stap;
        stap.persoonHash = eenmaal(JSON.stringify(['persoon', eigenaar, bsn]), () => {
          let sleutel = inzageSleutels.get(g.geheim);
          if (!sleutel) inzageSleutels.set(g.geheim, (sleutel = inzageSleutel(alsBuffer(g.geheim))));
          return persoonHash(sleutel, eigenaar, bsn);
        });
      }
    }
    const v = stap.verwijzing;
    const gv = v && geheim(v.eigenaar);
    if (v && gv) v.identiteitHash = identiteitSleutel(gv.vorm, alsBuffer(gv.geheim), plan.wet, v.object, v.eigenaar, v.identiteit);
  }
}

/**
 * Bytes in memory of their own, to transfer to another thread: a small file is read into Buffer's shared pool,
 * whose memory cannot be transferred (Node 20 then copies the whole 8 KB pool along with each message, Node 21
 * and later throw a DataCloneError), so those are copied out first.
 */
export function eigenGeheugen(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const eigen = Buffer.allocUnsafeSlow(bytes.byteLength);
  bytes.copy(eigen);
  return eigen;
}

export function start({ schemas, config, geheimen }: Startgegevens): (opdracht: Runopdracht) => Promise<Taakuitslag<Runuitslag>> {
  const register = SchemaRegister.laad(schemas);
  const plan = (r: Parameters<typeof planEnControleer>[0], bestand: string, c: Config) => {
    const gepland = planEnControleer(r, bestand, c, register, true);
    if (geheimen && !gepland.fouten.length) hashIdentiteiten(gepland.plan, geheimen);
    return gepland;
  };
  return async (opdracht) => {
    if (opdracht.soort === 'schrijf') {
      let fout: Runuitslag['fout'];
      for (const { pad, inhoud } of opdracht.bestanden) {
        try {
          schrijfAtomisch(pad, inhoud, { fsync: false });
        } catch (e) {
          const { code, message } = e as NodeJS.ErrnoException;
          fout ??= { pad, tekst: message, ...(code ? { code } : {}) };
        }
      }
      return { uitslag: fout ? { fout } : {} };
    }
    const uitslagen: Uitslag[] = [];
    const overdracht: ArrayBuffer[] = [];
    for (const b of opdracht.berichten) {
      let bytes: Buffer;
      try {
        bytes = b.bytes ? Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength) : await leesBestand(b.bestand);
      } catch (e) {
        const f = alsLeesfout(e, b.bestand);
        uitslagen.push({ soort: 'leesfout', leesfout: { code: f.code, tekst: f.message, ...(f.plaats ? { plaats: f.plaats } : {}) } });
        continue;
      }
      const r = valideerBericht(bytes, b.bestand, register);
      let uitslag: Uitslag;
      if (r.geldig) {
        // for a conversion, the message's plan and the validation of its planned text are made here too; the
        // planned text goes as the bytes to deliver
        const gepland = config && plan(r, b.bestand, config);
        const uitvoer = gepland?.plan.uitvoer;
        if (uitvoer) overdracht.push(uitvoer.bytes.buffer as ArrayBuffer);
        uitslag = { soort: 'geldig', kop: r.kop, ...(gepland ? { gepland } : {}) };
      } else uitslag = { soort: 'ongeldig', fouten: r.fouten, ...(r.kop ? { kop: r.kop } : {}), herkend: r.bericht !== undefined };
      if (!b.bytes) {
        // a file read here goes back to the main thread without a copy
        const eigen = eigenGeheugen(bytes);
        uitslag.bytes = eigen;
        overdracht.push(eigen.buffer as ArrayBuffer);
      }
      uitslagen.push(uitslag);
    }
    return { uitslag: { uitslagen }, overdracht };
  };
}

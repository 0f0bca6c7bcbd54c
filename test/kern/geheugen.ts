/**
 * In-memory fakes of the bronregistratie side, for the cores' unit tests: what the sending core registers
 * (`Registratie`) and what the receiving core resolves (`SleutelOplosser`), without SQLite. A transaction is
 * undone when its function throws, as a savepoint is.
 */
import type { Beeindiging, Registratie as Inschrijving, Registratieresultaat } from '../../src/bronregistratie/store.js';
import type { Wet } from '../../src/bericht/catalogus.js';
import type { Veldgroep } from '../../src/informatieobject/velden.js';
import type { Registratie } from '../../src/omzetten/uitgaand.js';
import type { Sleutelverzoek, SleutelOplosser } from '../../src/rehydreren/oplosser.js';

interface Record {
  sleutel: string;
  object: string;
  eigenaar: string;
  versies: string[];
}

export class GeheugenRegistratie implements Registratie {
  private records = new Map<string, Record>();
  private volgende = 1;
  /** how many registrations were asked for (looked-up echoes and replays not counted separately) */
  registraties = 0;
  transacties = 0;

  private sleutelVan(wet: Wet, object: string, eigenaar: string, identiteit: readonly string[]) {
    return JSON.stringify([wet, object, eigenaar, identiteit]);
  }

  registreer(r: Inschrijving): Registratieresultaat {
    this.registraties++;
    const id = this.sleutelVan(r.wet, r.object, r.eigenaar, r.identiteit);
    const inhoud = JSON.stringify(r.inhoud);
    let record = this.records.get(id);
    const nieuweSleutel = !record;
    if (!record) {
      // a UUID v4, distinct per record and stable per test: the keyed schema accepts it
      const sleutel = `aaaaaaaa-bbbb-4ccc-8ddd-${String(this.volgende++).padStart(12, '0')}`;
      record = { sleutel, object: r.object, eigenaar: r.eigenaar, versies: [] };
      this.records.set(id, record);
    }
    const nieuweVersie = record.versies[record.versies.length - 1] !== inhoud;
    if (nieuweVersie) record.versies.push(inhoud);
    return { sleutel: record.sleutel, versie: record.versies.length, nieuweSleutel, nieuweVersie };
  }

  zoekSleutel(wet: Wet, object: string, eigenaar: string, identiteit: readonly string[]): string | undefined {
    return this.records.get(this.sleutelVan(wet, object, eigenaar, identiteit))?.sleutel;
  }

  beeindigOntbrekende(_b: Beeindiging): string[] {
    return [];
  }

  /** one store for every owner */
  bedient(): boolean {
    return true;
  }

  transactie<T>(fn: () => T): T {
    this.transacties++;
    const voor = new Map([...this.records].map(([k, r]) => [k, { ...r, versies: [...r.versies] }]));
    const volgende = this.volgende;
    try {
      return fn();
    } catch (e) {
      this.records = voor;
      this.volgende = volgende;
      throw e;
    }
  }

  get aantal(): number {
    return this.records.size;
  }

  get sleutels(): string[] {
    return [...this.records.values()].map((r) => r.sleutel);
  }

  /** Resolves a Sleutel to its record's latest version, for its own object and owner only. */
  oplosser(): SleutelOplosser & { verzoeken: Sleutelverzoek[] } {
    const verzoeken: Sleutelverzoek[] = [];
    return {
      verzoeken,
      los: (v: Sleutelverzoek) => {
        verzoeken.push(v);
        const r = [...this.records.values()].find((x) => x.sleutel === v.sleutel && x.object === v.object && x.eigenaar === v.eigenaar);
        const laatste = r?.versies[r.versies.length - 1];
        return Promise.resolve(r && laatste ? { inhoud: JSON.parse(laatste) as Veldgroep, versie: r.versies.length } : undefined);
      },
    };
  }
}

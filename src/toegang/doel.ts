/**
 * Purpose binding and data minimisation: every read names its purpose (`X-Doel`); the informatieobject
 * declares the purposes it serves and the fields each may see (informatieobject/type.ts `doelen`); the
 * configuration can narrow the purposes per counterpart (`toegang.doelen`). The owner may use every purpose
 * its objects declare. An answer holds only the fields of its purpose.
 */
import type { Veldgroep } from '../informatieobject/velden.js';
import type { InformatieObject } from '../informatieobject/type.js';

/** `toegang.doelen`: counterpart code -> informatieobject -> the purposes it may use */
export type Doelbeperking = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined;

/**
 * The fields a read of `object` for `doel` by `deelnemer` may see, or `undefined` when it may not use that
 * purpose (the object does not declare it, or the configuration does not give it to this counterpart).
 * `eigenaar`: the reader owns the record, so no counterpart narrowing applies.
 */
export function veldenVoorDoel(object: InformatieObject, doel: string, deelnemer: string, beperking: Doelbeperking, eigenaar = false): readonly string[] | undefined {
  if (!Object.hasOwn(object.doelen, doel)) return undefined;
  const toegestaan = eigenaar ? undefined : beperking?.[deelnemer]?.[object.naam];
  if (toegestaan && !toegestaan.includes(doel)) return undefined;
  return object.doelen[doel];
}

/** The content with only the fields named (in the order it has them). */
export function beperkVelden(inhoud: unknown, velden: readonly string[]): Veldgroep {
  const uit: Veldgroep = {};
  if (inhoud === null || typeof inhoud !== 'object' || Array.isArray(inhoud)) return uit;
  for (const [naam, waarde] of Object.entries(inhoud as Veldgroep)) if (velden.includes(naam)) uit[naam] = waarde;
  return uit;
}

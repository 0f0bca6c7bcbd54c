/**
 * The entry of every worker thread of a Werkpool: loads the task module named in its start data, starts it
 * once, and carries out each task it is sent. A task that throws is answered with the failure's message; the
 * pool rejects that task's promise with it.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Draadantwoord, Draadbericht, Taak } from './pool.js';

const { taak, data } = workerData as { taak: string; data: unknown };
const module = (await import(pathToFileURL(taak).href)) as Taak<unknown, unknown, unknown>;
const voerUit = await module.start(data);

parentPort!.on('message', async ({ id, opdracht }: Draadbericht<unknown>) => {
  try {
    const { uitslag, overdracht } = await voerUit(opdracht);
    parentPort!.postMessage({ id, uitslag } satisfies Draadantwoord<unknown>, overdracht ?? []);
  } catch (e) {
    parentPort!.postMessage({ id, fout: e instanceof Error ? e.message : String(e) } satisfies Draadantwoord<unknown>);
  }
});

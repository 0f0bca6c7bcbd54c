/**
 * Runs once per test project, before its workers start: gives the project's tests a temporary root (every
 * `mkdtemp(tmpdir())` of a test, and of the CLIs it spawns, lands below it; removed when the project ends), and
 * says once when the oracle is absent and its tests are skipped.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { GEPUBLICEERD, ORAKEL } from '../helpers/paden.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tijdelijkeRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), `netwerkbrug-test-${project.name}-`));
  // traversable, so a test may run a command as another user in a folder of its own (each is 0700 itself)
  chmodSync(root, 0o755);
  project.provide('tijdelijkeRoot', root);
  if (!ORAKEL && !process.env.NETWERKBRUG_ORAKEL_GEMELD) {
    process.env.NETWERKBRUG_ORAKEL_GEMELD = '1';
    process.stderr.write(
      `netwerkbrug tests: no published iWmo/iJw 3.2 XSDs at ${GEPUBLICEERD}: the differential conformance tests and the checks against ` +
        'the published XSDs are skipped. Download the XSDs and examples of iWmo 3.2 and iJw 3.2 (istandaarden.nl) into a folder ' +
        'with iwmo-3.2/{xsd,berichten} and ijw-3.2/{xsd,berichten}, and set NETWERKBRUG_ORAKEL to it.\n',
    );
  }
  return () => rmSync(root, { recursive: true, force: true });
}

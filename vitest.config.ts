import { defineConfig } from 'vitest/config';

/** Tests that start the real CLI, a server or a worker pool: seconds each. */
const INTEGRATIE = ['test/cli/**', 'test/e2e/**', 'test/server/**', 'test/notificaties/**', 'test/omzetten/**', 'test/rehydreren/**', 'test/werkers/**', 'test/archief/**', 'test/bronregistratie/**', 'test/fuzz/**'];
/** Single files of otherwise in-process folders that start a server or open a database. */
const INTEGRATIE_BESTANDEN = ['test/informatieobject/verzonnen.test.ts'];
/** The differential test against the published XSDs (libxml2 and Xerces): needs the oracle, minutes. */
const CONFORMANCE = ['test/conformance/**'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/setup/globaal.ts'],
    setupFiles: ['test/setup/tijdelijk.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATIE, ...INTEGRATIE_BESTANDEN, ...CONFORMANCE] } },
      { extends: true, test: { name: 'integration', include: [...INTEGRATIE.map((p) => `${p}/*.test.ts`), ...INTEGRATIE_BESTANDEN] } },
      { extends: true, test: { name: 'conformance', include: CONFORMANCE.map((p) => `${p}/*.test.ts`) } },
    ],
  },
});

import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { join } from 'node:path';
import { ROOT } from './paden.js';

export interface CliUitkomst {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Node's arguments that load TypeScript modules: tsx (a development dependency) as an import hook. The tests run
 * the sources, so that they need no `dist/`; the package itself runs compiled JavaScript and needs no tsx.
 */
export const TS = ['--import', import.meta.resolve('tsx')];

/**
 * Node's arguments that start the CLI from its source, as `bin/netwerkbrug.js` starts the compiled one:
 * `spawn(process.execPath, [...CLI, 'serve', ...])`. The only place that knows how the tests start the CLI.
 */
export const CLI = [...TS, join(ROOT, 'src', 'cli', 'main.ts')];

/**
 * Spawn options that run the CLI as another user (`nobody`, say): tsx keeps a cache below the temporary folder,
 * which that user may not write, so it goes without one.
 */
export const alsGebruiker = (uid: number, gid: number) => ({ uid, gid, env: { ...process.env, TSX_DISABLE_CACHE: '1' } });

/** Runs the CLI (from its source, see `CLI`) as a user would, and waits for it. */
export function netwerkbrug(args: string[], cwd?: string): CliUitkomst {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a zip archive with the given entries (name → content). */
export function maakZip(pad: string, entries: Record<string, string | Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [naam, inhoud] of Object.entries(entries)) zip.addBuffer(Buffer.from(inhoud), naam);
  zip.end();
  return new Promise((ok, nok) => {
    zip.outputStream.pipe(createWriteStream(pad)).on('close', ok).on('error', nok);
  });
}

/** The entries of a zip archive (name → text). */
export function zipInhoud(pad: string): Promise<Map<string, string>> {
  return new Promise((ok, nok) => {
    const uit = new Map<string, string>();
    yauzl.open(pad, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return nok(err);
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return nok(err2);
          const delen: Buffer[] = [];
          s.on('data', (d: Buffer) => delen.push(d)).on('end', () => {
            uit.set(e.fileName, Buffer.concat(delen).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => ok(uit));
      zip.readEntry();
    });
  });
}

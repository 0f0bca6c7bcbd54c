// Every test file's temporary folders (and those of the processes it spawns) go below the project's root,
// which test/setup/globaal.ts removes when the project ends: no test leaves a folder behind.
import { inject } from 'vitest';

process.env.TMPDIR = inject('tijdelijkeRoot');

#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 --heap-growing-percent=50
// A small young generation keeps a long run's memory low (and scavenges cache-friendly); the old generation may
// grow to 1.5 times what survived the last full collection (V8 picks up to 4 times: 180 MB of garbage on a long
// run's main thread); two malloc arenas instead of one per thread keep the worker threads' freed memory from
// piling up. See README, Conversion speed and memory, and docs/speed.md.
import '../dist/src/cli/main.js';

#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2
// A small young generation keeps a long run's memory low (and scavenges cache-friendly); two malloc arenas instead
// of one per thread keep the worker threads' freed memory from piling up. See README, Conversion speed and memory.
import '../dist/src/cli/main.js';

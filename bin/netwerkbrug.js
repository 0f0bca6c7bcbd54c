#!/usr/bin/env -S node --max-semi-space-size=2
// A small young generation keeps a long run's memory low (and scavenges cache-friendly); see README, Conversion speed.
import '../dist/src/cli/main.js';

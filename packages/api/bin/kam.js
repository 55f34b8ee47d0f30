#!/usr/bin/env node
// The kam command. Node ≥ 22.18 runs the TypeScript sources directly (type stripping).
import { main } from '../src/cli/main.ts';

const code = await main(process.argv);
if (code !== 0) process.exit(code);

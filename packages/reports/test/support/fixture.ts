/** The committed fixture snapshot, read once. */
import { readFileSync } from 'node:fs';
import type { SnapshotFixture } from '../fixtures/make-fixture.ts';

let cached: SnapshotFixture | undefined;
export function loadFixture(): SnapshotFixture {
  cached ??= JSON.parse(
    readFileSync(new URL('../fixtures/snapshot-2026-Q3.json', import.meta.url), 'utf8'),
  ) as SnapshotFixture;
  return structuredClone(cached);
}

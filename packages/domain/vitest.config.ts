import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { databaseProjects } from './vitest.projects.ts';

export default defineConfig({
  test: { projects: databaseProjects('domain', fileURLToPath(new URL('.', import.meta.url))) },
});

import { fileURLToPath } from 'node:url';
import { databaseProjects } from '@kam/domain/vitest-projects';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { projects: databaseProjects('api', fileURLToPath(new URL('.', import.meta.url))) },
});

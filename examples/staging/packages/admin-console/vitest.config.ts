import { defineConfig } from 'vitest/config';

// JUnit for the Integration Day report (JUNIT_OUTPUT moves it), the default reporter for people.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'junit'],
    outputFile: { junit: process.env.JUNIT_OUTPUT ?? 'reports/junit.xml' },
  },
});

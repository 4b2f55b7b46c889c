// SWC transforms our TypeScript and the ESM-only @nestjs/* and PGlite packages, so
// jest can load them as CommonJS on Node 20 (see docs/toolchain.md).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(c|m)?(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@electric-sql|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit)/)',
  ],
  testTimeout: 60_000,
  maxWorkers: 2,
};

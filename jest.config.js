// Unit specs sit beside the code; e2e suites in test/ run against the real MariaDB/MySQL and Redis.
const moduleNameMapper = {
  '^@charity/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
};

module.exports = {
  // e2e suites boot the app and may spawn the CLI; unit specs finish far sooner anyway
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
      ],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
      moduleNameMapper,
      transform,
    },
    {
      // browser tests: the real api + worker and Debian's Chromium (test/web/support/web-stack.ts)
      displayName: 'web',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/web/**/*.web-spec.ts'],
      globalSetup: '<rootDir>/test/web/global-setup.ts',
      setupFiles: ['<rootDir>/test/web/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/web/setup-after-env.ts'],
      moduleNameMapper,
      transform,
    },
  ],
};

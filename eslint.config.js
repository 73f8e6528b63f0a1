// ESLint (flat config): typescript-eslint's recommended rules, plus the project's own limits.
// Formatting is Prettier's job (npm run lint runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Files that decide what a run does. They must stay pure (see the rule below).
const PURE_FILES = [
  'src/ops/**/plan.ts',
  'src/ops/**/steps.ts',
  'src/ops/up/decide.ts',
  'src/ops/up/apply-preflight.ts',
  'src/ops/up/plan-stale-members.ts',
  'src/ops/up/add-node-rule.ts',
  'src/ops/up/version-change.ts',
  'src/token/token-choice.ts',
  'src/rules/**/*.ts',
];
const IMPURE_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'dgram',
  'node:dgram',
  'os',
  'node:os',
  'timers',
  'node:timers',
  'timers/promises',
  'node:timers/promises',
  'ssh2',
];
const IMPURE_PATHS = ['**/ssh/*', '**/engine/run-steps*', '**/facts/gather-*', '**/facts/live-server*', '**/state/*', '**/actions/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.lab/**', '.lab-*/**', '.fleet/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.empty`) are expressions by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // Small functions with one purpose (docs/architecture.md): no function in src/ over 80 lines.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The planner stays pure (docs/architecture.md): a plan is a function of inventory, facts and
    // options, so `fleet plan` shows what a run does. No SSH, files, processes, clock or randomness.
    files: PURE_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IMPURE_MODULES.map((name) => ({ name, message: 'a planner stays pure: do I/O in a runner or a step handler' })),
          patterns: [
            {
              group: IMPURE_PATHS,
              message: 'a planner stays pure: it takes gathered facts as arguments, it does not gather them or touch hosts',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'a planner takes the time as an argument (now: Date)' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'a planner takes the time as an argument' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'a planner is deterministic' },
        { selector: "MemberExpression[object.name='process']", message: 'a planner reads no environment, argv or process state: pass it in' },
      ],
    },
  },
);

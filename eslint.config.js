// Lint configuration: typescript-eslint's recommended rules for every TypeScript source.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import floors from './scripts/lint/floors.js';

const station = (rooms) => rooms.map((r) => `electron/station/${r}`);

/**
 * The layout's floors, from the ground up (DESIGN.md, Layout). A file imports only its own room and lower
 * floors; rooms of one floor stay apart except the `sideways` pairs. Tests and test support are in no room.
 */
const FLOORS = [
  station(['util/']),
  ['native-audio/', 'phone-agent/protocol/', 'electron/station/values.ts'],
  [...station(['sip/', 'devices/', 'policy/', 'media/', 'config/']), 'phone-agent/simulator/'],
  station(['calllog/']),
  station(['api/']),
  station(['calls/']),
  station(['lines/']),
  station(['operator/', 'events/', 'demo.ts']),
  station(['alarms/']),
  station(['station.ts']),
  station(['server/', 'serve.ts']),
  ['electron/main/', 'electron/main.ts', 'electron/preload.ts'],
];
const SIDEWAYS = [
  // The value lists name the codecs and the agent's call states where those are defined.
  ['electron/station/values.ts', 'native-audio/'],
  ['electron/station/values.ts', 'phone-agent/protocol/'],
  // The configuration schema embeds the policy's own schema.
  ['electron/station/config/', 'electron/station/policy/'],
  // A media worker opens the phone's audio connection through the adb forward.
  ['electron/station/media/', 'electron/station/devices/'],
  ['electron/station/serve.ts', 'electron/station/server/'],
  ['electron/main.ts', 'electron/main/'],
  ['electron/preload.ts', 'electron/main/'],
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'renderer/dist/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'bench/**', 'scripts/**'],
    plugins: { floors },
    rules: { 'floors/no-climb': ['error', { root: import.meta.dirname, floors: FLOORS, sideways: SIDEWAYS }] },
  },
);

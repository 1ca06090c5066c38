/**
 * The layering rule refuses what it must and lets the rest through, on a small made-up layout: an import
 * that climbs, one sideways into another room of the same floor, and the allowed ones (down, within a
 * room, a listed sideways pair, a package, a file in no room).
 */
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import floors from './floors.js';

RuleTester.describe = describe;
RuleTester.it = it;

const root = '/repo';
const options = [
  {
    root,
    floors: [['src/util/', 'src/values.ts'], ['src/sip/', 'src/config/', 'src/policy/'], ['src/calls/'], ['src/server/', 'src/serve.ts']],
    sideways: [['src/config/', 'src/policy/'], ['src/serve.ts', 'src/server/']],
  },
];
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });

tester.run('floors/no-climb', floors.rules['no-climb'], {
  valid: [
    { filename: `${root}/src/calls/flow.ts`, code: "import { log } from '../util/log';", options },
    { filename: `${root}/src/calls/flow.ts`, code: "import { CODECS } from '../values';", options },
    { filename: `${root}/src/calls/flow.ts`, code: "import { Call } from './call';", options },
    { filename: `${root}/src/config/schema.ts`, code: "import { policySchema } from '../policy/policy-config';", options },
    { filename: `${root}/src/serve.ts`, code: "import { Http } from './server/http';", options },
    { filename: `${root}/src/sip/ua.ts`, code: "import { UserAgent } from 'sip.js';", options },
    { filename: `${root}/src/sip/ua.ts`, code: "import { helper } from '../../test/support/x';", options },
    { filename: `${root}/test/any.ts`, code: "import { Server } from '../src/server/http';", options },
  ],
  invalid: [
    {
      filename: `${root}/src/sip/ua.ts`,
      code: "import type { Call } from '../calls/call';",
      options,
      errors: [{ message: 'src/sip/ (floor 2) imports src/calls/ (floor 3): a lower floor must not import a higher one.' }],
    },
    { filename: `${root}/src/util/log.ts`, code: "export { x } from '../serve';", options, errors: [{ messageId: 'climb' }] },
    { filename: `${root}/src/values.ts`, code: "const m = import('./calls/call');", options, errors: [{ messageId: 'climb' }] },
    { filename: `${root}/src/policy/rules.ts`, code: "import { schema } from '../config/schema';", options, errors: [{ messageId: 'sideways' }] },
    { filename: `${root}/src/sip/ua.ts`, code: "export * from '../config/schema';", options, errors: [{ messageId: 'sideways' }] },
  ],
});

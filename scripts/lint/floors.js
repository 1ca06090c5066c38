/**
 * ESLint rule `floors/no-climb`: the project's layering, as a build failure. The tree is a stack of
 * floors, each holding one or more rooms (a folder or a file, given as a path from the repository root).
 * A file may import from its own room and from rooms on lower floors. An import that climbs to a higher
 * floor is refused, and so is one into another room of the same floor unless that pair is listed in
 * `sideways` (for example config -> policy, whose schema it embeds). Type-only imports count too: a
 * type drags its module's meaning along with it.
 *
 * Only relative specifiers are resolved (the project imports its own files that way); packages are not
 * rooms. Files in no room (tests, test support, scripts) are not checked, nor are imports of files in no
 * room.
 *
 * Options: { root: string, floors: string[][], sideways?: [string, string][] }; floors run from the
 * ground up.
 */
import path from 'node:path';

/** The room a repository-relative path belongs to: the longest room that is the path or a folder of it. */
function roomOf(rel, rooms) {
  let best = null;
  for (const room of rooms) {
    const folder = room.endsWith('/');
    const hit = folder ? rel.startsWith(room) : rel === room || rel.replace(/\.(ts|tsx|js|mjs)$/, '') === room.replace(/\.(ts|tsx|js|mjs)$/, '');
    if (hit && (!best || room.length > best.length)) best = room;
  }
  return best;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Refuse imports that climb from a lower floor of the layout to a higher one.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          floors: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          sideways: { type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 } },
        },
        required: ['root', 'floors'],
        additionalProperties: false,
      },
    ],
    messages: {
      climb: '{{from}} (floor {{fromFloor}}) imports {{to}} (floor {{toFloor}}): a lower floor must not import a higher one.',
      sideways: '{{from}} imports {{to}}, another room of floor {{floor}}: rooms of one floor stay apart unless the layout lists the pair.',
    },
  },
  create(context) {
    const { root, floors, sideways = [] } = context.options[0];
    const floorOf = new Map();
    floors.forEach((rooms, i) => rooms.forEach((room) => floorOf.set(room, i + 1)));
    const rooms = [...floorOf.keys()];
    const allowed = new Set(sideways.map(([a, b]) => `${a}\0${b}`));
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = roomOf(file, rooms);
    if (!from) return {};

    function check(node, specifier) {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const to = roomOf(target, rooms);
      if (!to || to === from) return;
      const fromFloor = floorOf.get(from);
      const toFloor = floorOf.get(to);
      if (toFloor > fromFloor) {
        context.report({ node, messageId: 'climb', data: { from, to, fromFloor, toFloor } });
      } else if (toFloor === fromFloor && !allowed.has(`${from}\0${to}`)) {
        context.report({ node, messageId: 'sideways', data: { from, to, floor: fromFloor } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'no-climb': rule } };

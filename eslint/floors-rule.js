// `callhome/floors`: reports a relative import that crosses a floor of eslint/floors.js.
import path from 'node:path';
import { KNOWN_EXCEPTIONS, LAYERS } from './floors.js';

const root = path.dirname(import.meta.dirname);
const withoutExtension = (p) => p.replace(/\.[cm]?[jt]sx?$/, '');
const fromRoot = (absolute) => withoutExtension(path.relative(root, absolute).split(path.sep).join('/'));

// Longest path first, so src/console/adapters wins over src/console.
const owners = Object.entries(LAYERS)
  .flatMap(([name, layer]) => layer.paths.map((p) => ({ name, p })))
  .sort((a, b) => b.p.length - a.p.length);

/** The layer a repository path (without extension) belongs to, or undefined. */
export function layerOf(relative) {
  return owners.find(({ p }) => relative === p || relative.startsWith(`${p}/`))?.name;
}

/** @type {import('eslint').Rule.RuleModule} */
export const floorsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the layering of the README\'s architecture: each folder imports only the folders below it.' },
    schema: [],
    messages: {
      floor: '{{from}} may not import {{to}} ("{{spec}}"): {{why}}. It may import: {{allowed}}. The floors are eslint/floors.js and the README\'s "Architecture".',
    },
  },
  create(context) {
    const file = fromRoot(context.physicalFilename);
    const from = layerOf(file);
    if (from === undefined) return {};
    const layer = LAYERS[from];
    const check = (node, typeOnly) => {
      const spec = node.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = fromRoot(path.resolve(root, path.dirname(file), spec));
      const to = layerOf(target);
      if (to === undefined || to === from || layer.may.includes(to)) return;
      if (typeOnly && layer.types?.includes(to)) return;
      if (KNOWN_EXCEPTIONS.some((e) => e.from === file && e.to === target)) return;
      const allowed = [...layer.may, ...(layer.types ?? []).map((t) => `${t} (types only)`)].join(', ') || 'nothing of ours';
      context.report({ node, messageId: 'floor', data: { from, to, spec, why: layer.why, allowed } });
    };
    const allTypes = (specifiers, kind) => specifiers.length > 0 && specifiers.every((s) => s[kind] === 'type');
    return {
      ImportDeclaration: (node) => check(node.source, node.importKind === 'type' || allTypes(node.specifiers, 'importKind')),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.exportKind === 'type' || allTypes(node.specifiers, 'exportKind')),
      ExportAllDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, false),
    };
  },
};

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/*
 * Finds every English sentence the server writes for a client at a throw site, so a test can
 * demand a Chinese one for each (core/src/errors/throw-site-zh.ts). Parsed with the TypeScript
 * compiler API, not grepped: messages span lines, nest template literals, pass through local
 * helpers (`badField(field, message)`) and sit in `const`s — a regex over the text cannot
 * follow any of that. Syntax only (no type checker): it runs in well under a second.
 */

/** Where the sentence comes from. */
export type MessageKind = 'throw' | 'schema' | 'detail';

/** One message found in the source, as the samples it can produce. */
export interface MessageSite {
  file: string;
  line: number;
  kind: MessageKind;
  /**
   * The sentences it can produce: each `${…}` becomes `X1`, `X2`… in order, except a
   * conditional (`${n > 1 ? 's' : ''}`) or a name that stands for known text, which are
   * expanded into separate samples.
   */
  samples: string[];
}

/** A message argument the scanner could not follow to its text (a variable, `err.message`). */
export interface UnresolvedSite {
  file: string;
  line: number;
  text: string;
}

/** The trees whose non-test source is scanned. */
export const SCANNED_ROOTS = ['core/src', 'jambonz-apps/src', 'plugins', 'sdk/src'];

/**
 * Calls whose argument at that index is a message a client may read: `createError(code,
 * message)`, and the audio probe's error, whose message the upload route rethrows as is.
 */
const MESSAGE_CARRIERS: Record<string, number> = { createError: 1, AudioProbeError: 1 };

/**
 * zod methods whose argument carries a custom issue message, with its index: `.regex(re, 'a
 * phone number')`, `.refine(fn, 'send name or edition')`, `.email('must be an email address')`.
 * An object argument with `message` or `error` counts as well (`.url({ error: '…' })`).
 */
const ZOD_MESSAGE_ARGS: Record<string, number> = {
  refine: 1,
  regex: 1,
  min: 1,
  max: 1,
  length: 1,
  startsWith: 1,
  endsWith: 1,
  email: 0,
  url: 0,
  uuid: 0,
  int: 0,
  nonempty: 0,
};

/**
 * Schemas that never answer an HTTP request, so their messages never reach the error handler:
 * environment configuration and plugin definitions are checked at boot (a failed boot prints
 * them to the operator's console), the others parse third-party answers.
 */
const SCHEMAS_NOT_ANSWERED = new Set([
  'core/src/config/config.ts',
  'core/src/plugins/ui-contributions.ts',
  'plugins/crm-screen-pop/src/options.ts',
  'plugins/crm-screen-pop/src/card.ts',
  'plugins/crm-screen-pop/src/crm-client.ts',
  'plugins/wecom-add-friend/src/wecom-client.ts',
]);

/**
 * Files that build `details[].message` sentences by hand (unknown fields, unstorable text, the
 * agent import's row errors): every literal `message:` property in them is such a sentence.
 */
const DETAIL_FILES = new Set([
  'core/src/http/unknown-keys.ts',
  'core/src/http/text.ts',
  'core/src/modules/agents/admin-service.ts',
]);

/** The source files of {@link SCANNED_ROOTS}, tests and declarations left out. */
export function sourceFiles(repoRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', 'dist', 'test', 'e2e'].includes(e.name)) walk(path);
      } else if (/\.tsx?$/.test(e.name) && !/\.(test|test-d|d)\.tsx?$/.test(e.name)) {
        out.push(path);
      }
    }
  };
  for (const root of SCANNED_ROOTS) walk(join(repoRoot, root));
  return out.sort();
}

/** Every message site of the scanned trees, and the message arguments it could not follow. */
export function scanMessages(repoRoot: string): { sites: MessageSite[]; unresolved: UnresolvedSite[] } {
  const sites: MessageSite[] = [];
  const unresolved: UnresolvedSite[] = [];
  for (const path of sourceFiles(repoRoot)) {
    const file = relative(repoRoot, path).split('\\').join('/');
    const text = readFileSync(path, 'utf8');
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lineOf = (n: ts.Node) => src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1;
    const usesZod = /from ['"]zod['"]/.test(text) && !SCHEMAS_NOT_ANSWERED.has(file);
    const add = (kind: MessageKind, expr: ts.Expression) => {
      const samples = samplesOf(expr, src);
      // `.min(0, remaining)` on a number looks like a zod message too: only thrown messages
      // must all be followed.
      if (samples === undefined && kind === 'throw') {
        unresolved.push({ file, line: lineOf(expr), text: expr.getText(src) });
      } else if (samples !== undefined && samples.length > 0) sites.push({ file, line: lineOf(expr), kind, samples });
    };
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const name = calleeName(n.expression);
        const args = n.arguments ?? ts.factory.createNodeArray();
        const carried = name === undefined ? undefined : MESSAGE_CARRIERS[name];
        if (carried !== undefined && args[carried]) add('throw', args[carried]);
        if (usesZod && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
          const method = n.expression.name.text;
          if (method in ZOD_MESSAGE_ARGS || method === 'custom') {
            args.forEach((a, i) => {
              const message = zodMessage(a, i === ZOD_MESSAGE_ARGS[method], src);
              if (message) add('schema', message);
            });
          }
        }
      }
      if (
        DETAIL_FILES.has(file) &&
        ts.isPropertyAssignment(n) &&
        propName(n) === 'message' &&
        isTextLike(n.initializer)
      ) {
        add('detail', n.initializer);
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return { sites, unresolved };
}

/**
 * The message a zod method's argument carries: the text itself at the message's position, or
 * the `message` / `error` of an options object (written in place or in a `const`).
 */
function zodMessage(arg: ts.Expression, positional: boolean, src: ts.SourceFile): ts.Expression | undefined {
  let x = unparen(arg);
  if (ts.isIdentifier(x)) {
    const [init, ...more] = resolveName(x, src) ?? [];
    if (init && more.length === 0 && ts.isObjectLiteralExpression(unparen(init))) x = unparen(init);
  }
  if (ts.isObjectLiteralExpression(x)) {
    for (const p of x.properties) {
      if (ts.isPropertyAssignment(p) && ['message', 'error'].includes(propName(p)) && isTextLike(p.initializer)) {
        return p.initializer;
      }
    }
    return undefined;
  }
  return positional && isTextLike(x) ? arg : undefined;
}

function calleeName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function propName(p: ts.PropertyAssignment): string {
  return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '';
}

/** Text, or a name that may stand for text (a `const`); not a number or a function. */
function isTextLike(e: ts.Expression): boolean {
  const x = unparen(e);
  return (
    ts.isStringLiteralLike(x) ||
    ts.isTemplateExpression(x) ||
    ts.isIdentifier(x) ||
    ts.isConditionalExpression(x) ||
    (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken)
  );
}

function unparen(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x)) x = x.expression;
  return x;
}

/** Most samples one message may expand into (nested conditionals multiply). */
const MAX_SAMPLES = 32;

/**
 * The sentences `expr` can produce (see {@link MessageSite.samples}); `[]` for `undefined` (the
 * registry's own sentence); undefined when it cannot be followed to text.
 */
function samplesOf(
  expr: ts.Expression,
  src: ts.SourceFile,
  seen = new Set<ts.Node>(),
  counter = { n: 0 },
): string[] | undefined {
  const placeholder = () => `X${++counter.n}`;
  const go = (e: ts.Expression): string[] | undefined => {
    const x = unparen(e);
    if (seen.has(x)) return undefined;
    if (ts.isStringLiteralLike(x)) return [x.text];
    if (ts.isIdentifier(x) && x.text === 'undefined') return [];
    if (ts.isConditionalExpression(x)) {
      const a = go(x.whenTrue);
      const b = go(x.whenFalse);
      return a && b ? [...a, ...b] : undefined;
    }
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const a = go(x.left);
      const b = go(x.right);
      return a && b ? product(a, b) : undefined;
    }
    if (ts.isTemplateExpression(x)) {
      let out = [x.head.text];
      for (const span of x.templateSpans) {
        const inner = unparen(span.expression);
        // A conditional inside a template picks between wordings, and a name may stand for a
        // few known words (`${where}`: body, query or params): each is a sentence to translate.
        // Anything else is a value shown as it is.
        const parts = ts.isConditionalExpression(inner) || ts.isIdentifier(inner) ? go(inner) : undefined;
        out = product(
          out,
          (parts ?? [placeholder()]).map((p) => p + span.literal.text),
        );
      }
      return out;
    }
    if (ts.isIdentifier(x)) {
      const resolved = resolveName(x, src);
      if (!resolved) return undefined;
      seen.add(x);
      const all: string[] = [];
      for (const r of resolved) {
        const s = samplesOf(r, src, seen, counter);
        if (s === undefined) return undefined;
        all.push(...s);
      }
      return all;
    }
    return undefined;
  };
  const out = go(expr);
  return out && [...new Set(out)].slice(0, MAX_SAMPLES);
}

function product(a: string[], b: string[]): string[] {
  return a.flatMap((x) => b.map((y) => x + y)).slice(0, MAX_SAMPLES);
}

/**
 * What a name stands for: the initializer of the `const` it names (nearest enclosing scope
 * first), or — for a parameter of a local helper such as `badField(field, message)` — the
 * arguments every call of that helper in the same file passes for it.
 */
function resolveName(id: ts.Identifier, src: ts.SourceFile): ts.Expression[] | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      for (const st of scope.statements) {
        if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.name.text === id.text && d.initializer) return [d.initializer];
        }
      }
    }
    if (ts.isFunctionLike(scope)) {
      const index = scope.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (index < 0) continue;
      const fn = functionName(scope);
      if (!fn) return undefined;
      const args: ts.Expression[] = [];
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && calleeName(n.expression) === fn && n.arguments[index])
          args.push(n.arguments[index]);
        ts.forEachChild(n, visit);
      };
      visit(src);
      return args.length > 0 ? args : undefined;
    }
  }
  return undefined;
}

/**
 * The name of a helper only this file can call: a function or arrow that is not exported.
 * Every call of it is then in this file; a method or an export may be called from anywhere.
 */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  const exported = (n: ts.Node) =>
    ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isFunctionDeclaration(fn)) return fn.name && !exported(fn) ? fn.name.text : undefined;
  const decl = fn.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !decl || !ts.isVariableDeclaration(decl)) {
    return undefined;
  }
  const statement = decl.parent?.parent;
  if (!ts.isIdentifier(decl.name) || !statement || !ts.isVariableStatement(statement) || exported(statement)) {
    return undefined;
  }
  return decl.name.text;
}

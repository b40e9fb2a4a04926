/**
 * The cheap corner of CEL for x-kubernetes-validations: literals, self/oldSelf, field and index
 * access, has(), size(), comparisons, arithmetic, && || ! ?:, `in`, string methods
 * (startsWith, endsWith, contains, matches, lowerAscii, upperAscii) and the all/exists macros.
 * Each operation is linear in the data it touches, so no cost budget is needed.
 *
 * A rule using anything else (quantity(), timestamps, optionals, messageExpression...) does not
 * compile here and is skipped: Kubernetes would enforce it, Flotilla says so in its report and
 * leaves it to the CRD's controller. A skipped rule never rejects an object.
 */

type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string }
  | { k: 'sel'; x: Node; f: string }
  | { k: 'idx'; x: Node; i: Node }
  | { k: 'call'; fn: string; target?: Node; args: Node[] }
  | { k: 'has'; x: Node & { k: 'sel' } }
  | { k: 'macro'; fn: 'all' | 'exists'; target: Node; v: string; body: Node }
  | { k: 'un'; op: string; x: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'cond'; c: Node; t: Node; e: Node }
  | { k: 'list'; items: Node[] }
  | { k: 'map'; entries: [Node, Node][] };

export class CELError extends Error {}
class Unsupported extends Error {}

export interface CompiledRule {
  ast: Node;
  /** Transition rules compare with the previous value and only run on updates. */
  usesOldSelf: boolean;
}

const FUNCS = new Set(['size', 'int', 'string', 'double', 'startsWith', 'endsWith', 'contains', 'matches', 'lowerAscii', 'upperAscii']);
const TOKEN = /\s*(?:(\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)|(0x[0-9a-fA-F]+|\d+)u?|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:.,()[\]{}]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new Unsupported(`unsupported syntax at ${TOKEN.lastIndex}`);
    out.push(m[0].trim());
  }
  return out;
}

/** Parse a rule; undefined when it uses CEL this evaluator does not cover. */
export function compileRule(rule: string): CompiledRule | undefined {
  try {
    const p = new Parser(tokenize(rule));
    const ast = p.expr();
    if (!p.done()) return undefined;
    return { ast, usesOldSelf: /\boldSelf\b/.test(rule) };
  } catch {
    return undefined;
  }
}

class Parser {
  #i = 0;
  constructor(readonly t: string[]) {}
  done() {
    return this.#i >= this.t.length;
  }
  peek() {
    return this.t[this.#i];
  }
  next() {
    const v = this.t[this.#i++];
    if (v === undefined) throw new Unsupported('unexpected end');
    return v;
  }
  eat(s: string) {
    if (this.peek() !== s) throw new Unsupported(`expected ${s}`);
    this.#i++;
  }
  expr(): Node {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.#i++;
    const t = this.expr();
    this.eat(':');
    return { k: 'cond', c, t, e: this.expr() };
  }
  static readonly LEVELS = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>=', 'in'], ['+', '-'], ['*', '/', '%']];
  binary(level: number): Node {
    if (level === Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    while (Parser.LEVELS[level]!.includes(this.peek() ?? '')) {
      const op = this.next();
      a = { k: 'bin', op, a, b: this.binary(level + 1) };
    }
    return a;
  }
  unary(): Node {
    if (this.peek() === '!' || this.peek() === '-') {
      const op = this.next();
      return { k: 'un', op, x: this.unary() };
    }
    return this.member();
  }
  member(): Node {
    let x = this.primary();
    for (;;) {
      if (this.peek() === '.') {
        this.#i++;
        const f = this.next();
        if (!/^[A-Za-z_]\w*$/.test(f)) throw new Unsupported('bad field');
        if (this.peek() === '(') {
          this.#i++;
          if (f === 'all' || f === 'exists') {
            const v = this.next();
            this.eat(',');
            const body = this.expr();
            this.eat(')');
            x = { k: 'macro', fn: f, target: x, v, body };
            continue;
          }
          if (!FUNCS.has(f)) throw new Unsupported(`method ${f}`);
          x = { k: 'call', fn: f, target: x, args: this.args(')') };
        } else x = { k: 'sel', x, f };
      } else if (this.peek() === '[') {
        this.#i++;
        const i = this.expr();
        this.eat(']');
        x = { k: 'idx', x, i };
      } else return x;
    }
  }
  args(close: string): Node[] {
    const out: Node[] = [];
    while (this.peek() !== close) {
      out.push(this.expr());
      if (this.peek() === ',') this.#i++;
      else break;
    }
    this.eat(close);
    return out;
  }
  primary(): Node {
    const t = this.next();
    if (t === '(') {
      const e = this.expr();
      this.eat(')');
      return e;
    }
    if (t === '[') return { k: 'list', items: this.args(']') };
    if (t === '{') {
      const entries: [Node, Node][] = [];
      while (this.peek() !== '}') {
        const key = this.expr();
        this.eat(':');
        entries.push([key, this.expr()]);
        if (this.peek() === ',') this.#i++;
        else break;
      }
      this.eat('}');
      return { k: 'map', entries };
    }
    if (/^["']/.test(t)) return { k: 'lit', v: unquote(t) };
    if (/^\d|^0x/.test(t)) return { k: 'lit', v: t.startsWith('0x') ? parseInt(t, 16) : Number(t.replace(/u$/, '')) };
    if (t === 'true' || t === 'false') return { k: 'lit', v: t === 'true' };
    if (t === 'null') return { k: 'lit', v: null };
    if (t === 'has') {
      this.eat('(');
      const x = this.expr();
      this.eat(')');
      if (x.k !== 'sel') throw new Unsupported('has() needs a field selection');
      return { k: 'has', x };
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (this.peek() === '(') {
        this.#i++;
        if (!FUNCS.has(t)) throw new Unsupported(`function ${t}`);
        return { k: 'call', fn: t, args: this.args(')') };
      }
      return { k: 'id', name: t };
    }
    throw new Unsupported(`unexpected ${t}`);
  }
}

function unquote(t: string): string {
  const body = t.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e[0] === 'u' || e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
  });
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

/** Evaluate a compiled rule; throws CELError for evaluation errors (missing keys, bad types). */
export function evaluate(rule: CompiledRule, self: unknown, oldSelf?: unknown): unknown {
  return ev(rule.ast, new Map<string, unknown>([['self', self], ['oldSelf', oldSelf]]));
}

function ev(n: Node, env: Map<string, unknown>): unknown {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'id':
      if (!env.has(n.name)) throw new CELError(`undeclared reference to '${n.name}'`);
      return env.get(n.name);
    case 'sel': {
      const x = ev(n.x, env);
      if (!isMap(x) || !(n.f in x)) throw new CELError(`no such key: ${n.f}`);
      return x[n.f];
    }
    case 'has': {
      const x = ev(n.x.x, env);
      return isMap(x) && n.x.f in x;
    }
    case 'idx': {
      const x = ev(n.x, env);
      const i = ev(n.i, env);
      if (Array.isArray(x) && typeof i === 'number') {
        if (i < 0 || i >= x.length) throw new CELError(`index out of bounds: ${i}`);
        return x[i];
      }
      if (isMap(x) && typeof i === 'string') {
        if (!(i in x)) throw new CELError(`no such key: ${i}`);
        return x[i];
      }
      throw new CELError('no such overload');
    }
    case 'list':
      return n.items.map((x) => ev(x, env));
    case 'map':
      return Object.fromEntries(n.entries.map(([k, v]) => [String(ev(k, env)), ev(v, env)]));
    case 'cond':
      return truthy(ev(n.c, env)) ? ev(n.t, env) : ev(n.e, env);
    case 'un': {
      const x = ev(n.x, env);
      if (n.op === '!') return !truthy(x);
      if (typeof x !== 'number') throw new CELError('no such overload');
      return -x;
    }
    case 'bin':
      return binary(n, env);
    case 'macro': {
      const target = ev(n.target, env);
      const elems = Array.isArray(target) ? target : isMap(target) ? Object.keys(target) : undefined;
      if (!elems) throw new CELError('no such overload');
      const sub = new Map(env);
      const test = (e: unknown) => {
        sub.set(n.v, e);
        return truthy(ev(n.body, sub));
      };
      return n.fn === 'all' ? elems.every(test) : elems.some(test);
    }
    case 'call':
      return call(n.fn, n.target === undefined ? undefined : ev(n.target, env), n.args.map((a) => ev(a, env)), n.target !== undefined);
  }
}

function truthy(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new CELError('no such overload');
  return v;
}

function binary(n: Node & { k: 'bin' }, env: Map<string, unknown>): unknown {
  // && and || short-circuit (CEL also absorbs errors there; rules here rarely depend on it).
  if (n.op === '&&') return truthy(ev(n.a, env)) && truthy(ev(n.b, env));
  if (n.op === '||') return truthy(ev(n.a, env)) || truthy(ev(n.b, env));
  const a = ev(n.a, env);
  const b = ev(n.b, env);
  switch (n.op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
      if (Array.isArray(b)) return b.some((x) => equal(x, a));
      if (isMap(b)) return typeof a === 'string' && a in b;
      throw new CELError('no such overload');
  }
  if (n.op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (n.op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string' && typeof b === 'string') {
    if (n.op === '<') return a < b;
    if (n.op === '<=') return a <= b;
    if (n.op === '>') return a > b;
    if (n.op === '>=') return a >= b;
  }
  if (typeof a !== 'number' || typeof b !== 'number') throw new CELError('no such overload');
  switch (n.op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new CELError('division by zero');
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case '%':
      if (b === 0) throw new CELError('modulus by zero');
      return a % b;
  }
  throw new CELError(`unsupported operator ${n.op}`);
}

function call(fn: string, target: unknown, args: unknown[], method: boolean): unknown {
  const subject = method ? target : args.shift();
  const str = (v: unknown) => {
    if (typeof v !== 'string') throw new CELError(`no such overload: ${fn}`);
    return v;
  };
  switch (fn) {
    case 'size':
      if (typeof subject === 'string') return [...subject].length;
      if (Array.isArray(subject)) return subject.length;
      if (isMap(subject)) return Object.keys(subject).length;
      throw new CELError('no such overload: size');
    case 'int':
      if (typeof subject === 'number') return Math.trunc(subject);
      if (typeof subject === 'string' && /^-?\d+$/.test(subject)) return Number(subject);
      throw new CELError('no such overload: int');
    case 'double':
      if (typeof subject === 'number') return subject;
      throw new CELError('no such overload: double');
    case 'string':
      if (typeof subject === 'string' || typeof subject === 'number' || typeof subject === 'boolean') return String(subject);
      throw new CELError('no such overload: string');
    case 'startsWith':
      return str(subject).startsWith(str(args[0]));
    case 'endsWith':
      return str(subject).endsWith(str(args[0]));
    case 'contains':
      return str(subject).includes(str(args[0]));
    case 'matches':
      try {
        return new RegExp(str(args[0])).test(str(subject));
      } catch {
        throw new CELError('invalid regular expression');
      }
    case 'lowerAscii':
      return str(subject).replace(/[A-Z]/g, (c) => c.toLowerCase());
    case 'upperAscii':
      return str(subject).replace(/[a-z]/g, (c) => c.toUpperCase());
  }
  throw new CELError(`unknown function ${fn}`);
}

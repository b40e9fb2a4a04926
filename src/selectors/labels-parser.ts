/**
 * The label selector grammar, as k8s.io/apimachinery/pkg/labels.Parse accepts it:
 *
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= ["!"] KEY [ ("in"|"notin") "(" values ")" | ("="|"=="|"!="|">"|"<") VALUE ]
 *   values      ::= VALUE | VALUE "," values            (VALUE may be empty)
 *
 * Tokens, error texts and quirks follow the Go lexer/parser so that clients see the same
 * messages from us as from a real API server (e.g. "in"/"notin" are keywords only where an
 * operator is expected, and a NUL character ends the input).
 */
import { SelectorParseError } from './errors.js';
import { newRequirement, type Requirement } from './requirement.js';
import { fieldError, formatFieldCause } from '../util/validation-field.js';
import { isQualifiedName } from '../util/validation.js';

type Kind = 'error' | 'eos' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'ident';
interface Token {
  kind: Kind;
  lit: string;
}

const literalTokens: Readonly<Record<string, Kind>> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};
const tokenFor = (s: string): Kind | undefined => (Object.hasOwn(literalTokens, s) ? literalTokens[s] : undefined);

const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const END = '\0';

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  // Go's lexer returns 0 at the end without advancing, and cannot tell a NUL byte from the end.
  private read(): string {
    return this.pos < this.s.length ? this.s[this.pos++]! : END;
  }
  private unread(): void {
    this.pos--;
  }

  next(): Token {
    let c = this.read();
    while (isSpace(c)) c = this.read();
    if (c === END) return { kind: 'eos', lit: '' };
    this.unread();
    return isSpecial(c) ? this.special() : this.word();
  }

  /** Identifiers run to the next space or special symbol; "in"/"notin" become keywords. */
  private word(): Token {
    let buf = '';
    for (;;) {
      const c = this.read();
      if (c === END) break;
      if (isSpecial(c) || isSpace(c)) {
        this.unread();
        break;
      }
      buf += c;
    }
    return { kind: tokenFor(buf) ?? 'ident', lit: buf };
  }

  /** Longest operator made of special symbols ("!=" over "!", "==" over "="). */
  private special(): Token {
    let buf = '';
    let last: Token | undefined;
    for (;;) {
      const c = this.read();
      if (c === END) break;
      if (!isSpecial(c)) {
        this.unread();
        break;
      }
      buf += c;
      const k = tokenFor(buf);
      if (k) last = { kind: k, lit: buf };
      else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? { kind: 'error', lit: `error expected: keyword found '${buf}'` };
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private readonly items: Token[] = [];
  private pos = 0;

  constructor(input: string) {
    const lx = new Lexer(input);
    for (;;) {
      const t = lx.next();
      this.items.push(t);
      if (t.kind === 'eos') break;
    }
  }

  // In a values context the keywords are ordinary identifiers ("x in (in,notin)").
  private lookahead(ctx: Context): Token {
    const t = this.items[Math.min(this.pos, this.items.length - 1)]!;
    return ctx === 'values' && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'ident', lit: t.lit } : t;
  }
  private consume(ctx: Context): Token {
    const t = this.lookahead(ctx);
    this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.lookahead('values');
      if (t.kind === 'eos') return reqs;
      if (t.kind !== 'ident' && t.kind !== '!') throw new SelectorParseError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (!(e instanceof SelectorParseError)) throw e;
        throw new SelectorParseError(`unable to parse requirement: ${e.message}`, e.causes);
      }
      const after = this.consume('values');
      if (after.kind === 'eos') return reqs;
      if (after.kind !== ',') throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const n = this.lookahead('values');
      if (n.kind !== 'ident' && n.kind !== '!') throw new SelectorParseError(`found '${n.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    const [key, inferred] = this.keyAndInferredOperator();
    if (inferred) return newRequirement(key, inferred, []);
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    // Go collects values in a string set and lists them sorted.
    return newRequirement(key, op, [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** KEY or !KEY; a bare KEY followed by "," or the end means Exists. */
  private keyAndInferredOperator(): [string, 'exists' | '!' | undefined] {
    let op: 'exists' | '!' | undefined;
    let t = this.consume('values');
    if (t.kind === '!') {
      op = '!';
      t = this.consume('values');
    }
    if (t.kind !== 'ident') throw new SelectorParseError(`found '${t.lit}', expected: identifier`);
    const msgs = isQualifiedName(t.lit);
    if (msgs.length) {
      // Go validates here with a nil field path, which prints as "<nil>".
      const cause = fieldError.invalid('<nil>', t.lit, msgs.join('; '));
      throw new SelectorParseError(formatFieldCause(cause), [cause]);
    }
    const n = this.lookahead('values').kind;
    if ((n === 'eos' || n === ',') && op !== '!') op = 'exists';
    return [t.lit, op];
  }

  private operator(): string {
    const t = this.consume('keyAndOperator');
    switch (t.kind) {
      case 'in': return 'in';
      case 'notin': return 'notin';
      case '=': return '=';
      case '==': return '==';
      case '!=': return '!=';
      case '>': return 'gt';
      case '<': return 'lt';
      default: throw new SelectorParseError(`found '${t.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** "(a,b)"; "()" and empty members mean the empty string. */
  private valueSet(): Set<string> {
    const open = this.consume('values');
    if (open.kind !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const t = this.lookahead('values');
    if (t.kind === ')') {
      this.consume('values');
      return new Set(['']);
    }
    if (t.kind !== 'ident' && t.kind !== ',') throw new SelectorParseError(`found '${t.lit}', expected: ',', ')' or identifier`);
    const s = this.identifierList();
    if (this.consume('values').kind !== ')') throw new SelectorParseError(`found '${t.lit}', expected: ')'`);
    return s;
  }

  private identifierList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const t = this.consume('values');
      if (t.kind === 'ident') {
        s.add(t.lit);
        const n = this.lookahead('values');
        if (n.kind === ',') continue;
        if (n.kind === ')') return s;
        throw new SelectorParseError(`found '${n.lit}', expected: ',' or ')'`);
      }
      if (t.kind !== ',') throw new SelectorParseError(`found '${t.lit}', expected: ',', or identifier`);
      if (s.size === 0) s.add(''); // "(,"
      const n = this.lookahead('values');
      if (n.kind === ')') {
        s.add(''); // ",)"
        return s;
      }
      if (n.kind === ',') {
        this.consume('values');
        s.add(''); // ",,"
      }
    }
  }

  /** The single value after =, ==, !=, >, <; nothing before "," or the end means "". */
  private exactValue(): Set<string> {
    const n = this.lookahead('values');
    if (n.kind === 'eos' || n.kind === ',') return new Set(['']);
    const t = this.consume('values');
    if (t.kind === 'ident') return new Set([t.lit]);
    throw new SelectorParseError(`found '${t.lit}', expected: identifier`);
  }
}

/** Parse a selector string into its requirements, in source order (unsorted). */
export function parseRequirements(selector: string): Requirement[] {
  return new Parser(selector).parse();
}

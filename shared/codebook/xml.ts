/**
 * A small XML 1.0 reader for exchange files (REFI-QDA codebooks): plain data in, a tree of
 * elements out, no DOM. It reads elements, attributes, text, CDATA sections, comments,
 * processing instructions, a DOCTYPE (skipped, internal subset included), the five
 * predefined entities and character references, and a byte order mark before the
 * declaration. Namespaces are not resolved: each element and attribute keeps its qualified
 * name and also gets its local name (the part after the prefix), which is what lenient
 * readers match on. A document that is not well-formed throws an XmlError that says where
 * (1-based line and column, columns counted in characters).
 */

export interface XmlElement {
  /** Qualified name as written, e.g. "qda:Code". */
  name: string;
  /** Name without its prefix, e.g. "Code". */
  local: string;
  /** Attributes by qualified name, values with references decoded. */
  attributes: Record<string, string>;
  children: XmlNode[];
  line: number;
  column: number;
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  /** 'entity-declaration' when a DOCTYPE declares entities and the caller refused them. */
  readonly kind: 'syntax' | 'entity-declaration';
  constructor(reason: string, line: number, column: number, kind: 'syntax' | 'entity-declaration' = 'syntax') {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'XmlError';
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.kind = kind;
  }
}

export interface XmlOptions {
  /**
   * Refuse a DOCTYPE that declares entities (<!ENTITY …>), with an XmlError of kind
   * 'entity-declaration'. Entities are never expanded here anyway; refusing them says why a
   * file that uses them (external entities reading local files, "billion laughs" expansion)
   * cannot be read, instead of failing later on an undefined entity.
   */
  refuseEntityDeclarations?: boolean;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** An attribute by local name (the first one, when prefixes differ). */
export function attribute(element: XmlElement, local: string): string | undefined {
  if (Object.hasOwn(element.attributes, local)) return element.attributes[local];
  for (const [name, value] of Object.entries(element.attributes)) if (localName(name) === local && !name.startsWith('xmlns')) return value;
  return undefined;
}

/** Child elements, optionally only those with this local name. */
export function childElements(element: XmlElement, local?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (local === undefined || c.local === local));
}

/** The text content of an element and its descendants. */
export function textContent(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

// Names are read leniently: anything up to white space or markup, not starting with a digit, "." or "-".
const NAME = /[^\s<>/=!?"'&\d.-][^\s<>/=!?"'&]*/y;
// Characters XML 1.0 does not allow anywhere (C0 controls except tab, LF, CR; U+FFFE, U+FFFF).
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a whole document and returns its root element; throws XmlError when it is not well-formed. */
export function parseXml(input: string, options: XmlOptions = {}): XmlElement {
  // A BOM may precede the declaration; line ends are normalised as XML requires.
  const text = (input.startsWith('\uFEFF') ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  let pos = 0;
  let lineStarts: number[] | null = null;
  let lastLine = -1;
  let lastAt = 0;
  let lastColumn = 1;
  const where = (at: number): [number, number] => {
    lineStarts ??= [0, ...Array.from(text.matchAll(/\n/g), (m) => m.index + 1)];
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    // Columns count characters (a surrogate pair is one). Positions are asked for in document
    // order, so counting goes on from the last one on the same line: files written on one long
    // line (NVivo's) would otherwise cost a scan of the line per element.
    const lineStart = lineStarts[lo]!;
    let from = lineStart;
    let column = 1;
    if (lo === lastLine && at >= lastAt) {
      from = lastAt;
      column = lastColumn;
    }
    for (let i = from; i < at; i += 1) {
      const c = text.charCodeAt(i);
      const secondHalf = c >= 0xdc00 && c <= 0xdfff && i > lineStart && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
      if (!secondHalf) column += 1;
    }
    lastLine = lo;
    lastAt = at;
    lastColumn = column;
    return [lo + 1, column];
  };
  const fail = (reason: string, at = pos, kind: XmlError['kind'] = 'syntax'): never => {
    const [line, column] = where(at);
    throw new XmlError(reason, line, column, kind);
  };
  const describe = (at: number) => (at >= text.length ? 'the end of the file' : `“${text[at]}”`);

  const forbidden = FORBIDDEN.exec(text);
  if (forbidden) fail(`the character U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, forbidden.index);

  const decode = (raw: string, start: number): string =>
    raw.includes('&')
      ? raw.replace(/&([^;&<\s]*);?/g, (match, ref: string, offset: number) => {
          const at = start + offset;
          if (!match.endsWith(';')) fail('an “&” must start a reference such as &amp; (write & as &amp;)', at);
          if (ref.startsWith('#')) {
            const hex = ref.startsWith('#x');
            const digits = ref.slice(hex ? 2 : 1);
            const code = /^[0-9a-fA-F]+$/.test(digits) && (hex || /^\d+$/.test(digits)) ? parseInt(digits, hex ? 16 : 10) : NaN;
            const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
            if (!ok) fail(`the character reference &${ref}; is not a character XML allows`, at);
            return String.fromCodePoint(code);
          }
          const entity = ENTITIES[ref];
          if (entity === undefined) fail(`the entity &${ref}; is not defined (XML defines only &lt; &gt; &amp; &quot; &apos;)`, at);
          return entity!;
        })
      : raw;

  const readName = (what: string): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail(`expected ${what}, found ${describe(pos)}`);
    pos += m![0].length;
    return m![0];
  };
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n')) pos += 1;
  };
  const skipPast = (end: string, what: string, from: number) => {
    const at = text.indexOf(end, pos);
    if (at === -1) fail(`${what} is not closed with “${end}”`, from);
    const content = text.slice(pos, at);
    pos = at + end.length;
    return content;
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let first = true;

  const addText = (value: string, at: number) => {
    const parent = stack.at(-1);
    if (parent) {
      const last = parent.children.at(-1);
      if (typeof last === 'string') parent.children[parent.children.length - 1] = last + value;
      else parent.children.push(value);
    } else if (value.trim() !== '') {
      fail(root ? 'text after the end of the root element' : 'text before the root element', at + value.search(/\S/));
    }
  };

  while (pos < text.length) {
    const start = pos;
    if (text[pos] !== '<') {
      const end = text.indexOf('<', pos);
      const raw = text.slice(pos, end === -1 ? text.length : end);
      if (stack.length > 0 && raw.includes(']]>')) fail('“]]>” is not allowed in text', pos + raw.indexOf(']]>'));
      pos += raw.length;
      addText(decode(raw, start), start);
      continue; // white space before the declaration is tolerated
    }
    if (text.startsWith('<?', pos)) {
      pos += 2;
      const target = readName('a processing instruction name');
      if (target.toLowerCase() === 'xml' && !first) fail('the XML declaration must come first in the file', start);
      skipPast('?>', 'a processing instruction', start);
    } else if (text.startsWith('<!--', pos)) {
      pos += 4;
      skipPast('-->', 'a comment', start);
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('a CDATA section outside the root element', start);
      pos += 9;
      addText(skipPast(']]>', 'a CDATA section', start), start);
    } else if (text.startsWith('<!DOCTYPE', pos)) {
      if (root || stack.length > 0) fail('a DOCTYPE after the root element has started', start);
      pos += 9;
      let depth = 0;
      let quote = '';
      while (pos < text.length) {
        const c = text[pos]!;
        pos += 1;
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '[') depth += 1;
        else if (c === ']') depth -= 1;
        else if (c === '>' && depth <= 0) break;
        if (pos >= text.length) fail('the DOCTYPE is not closed with “>”', start);
      }
      const entity = options.refuseEntityDeclarations ? text.slice(start, pos).search(/<!ENTITY\b/) : -1;
      if (entity !== -1) fail('the DOCTYPE declares entities (<!ENTITY …>)', start + entity, 'entity-declaration');
    } else if (text.startsWith('</', pos)) {
      pos += 2;
      const name = readName('an element name after “</”');
      skipSpace();
      if (text[pos] !== '>') fail(`expected “>” to close </${name}, found ${describe(pos)}`);
      pos += 1;
      const open = stack.pop();
      if (!open) fail(`the end tag </${name}> has no start tag`, start);
      if (open!.name !== name) fail(`the end tag </${name}> does not match the start tag <${open!.name}> (line ${open!.line}, column ${open!.column})`, start);
    } else {
      pos += 1;
      if (root && stack.length === 0) fail('a second root element (an XML file has exactly one)', start);
      const name = readName('an element name after “<”');
      const [line, column] = where(start);
      const element: XmlElement = { name, local: localName(name), attributes: {}, children: [], line, column };
      for (;;) {
        const before = pos;
        skipSpace();
        if (text[pos] === '>' || text.startsWith('/>', pos)) break;
        if (pos >= text.length) fail(`the start tag <${name}> is not closed with “>”`, start);
        if (pos === before) fail(`expected a space, “>” or “/>” in <${name}>, found ${describe(pos)}`);
        const attrAt = pos;
        const attr = readName(`an attribute name, “>” or “/>” in <${name}>`);
        skipSpace();
        if (text[pos] !== '=') fail(`expected “=” after the attribute ${attr}, found ${describe(pos)}`);
        pos += 1;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail(`the value of the attribute ${attr} must be in quotes`);
        const valueAt = pos + 1;
        const end = text.indexOf(quote!, valueAt);
        if (end === -1) fail(`the value of the attribute ${attr} is not closed`, pos);
        const raw = text.slice(valueAt, end);
        if (raw.includes('<')) fail(`“<” is not allowed in the value of the attribute ${attr}`, valueAt + raw.indexOf('<'));
        if (Object.hasOwn(element.attributes, attr)) fail(`the attribute ${attr} appears twice in <${name}>`, attrAt);
        // attribute-value normalisation: literal white space becomes a space, references stay
        element.attributes[attr] = decode(raw.replace(/[\t\n]/g, ' '), valueAt);
        pos = end + 1;
      }
      const empty = text[pos] === '/';
      pos += empty ? 2 : 1;
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else root = element;
      if (!empty) stack.push(element);
    }
    first = false;
  }
  if (stack.length > 0) {
    const open = stack.at(-1)!;
    fail(`the file ends before the element <${open.name}> (line ${open.line}, column ${open.column}) is closed`, text.length);
  }
  if (!root) fail('there is no root element', text.length);
  return root!;
}

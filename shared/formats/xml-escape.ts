/** Writing REFI-QDA XML (.qdc codebooks, .qde projects): text escaped, and characters XML 1.0 cannot carry left out. */

// eslint-disable-next-line no-control-regex
export const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for element content, or for an attribute value (where tabs and line breaks are written as character references, so they survive). */
export function escapeXml(value: string, inAttribute: boolean): string {
  return value.replace(NOT_XML, '').replace(inAttribute ? /[&<>"\t\n\r]/g : /[&<>\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

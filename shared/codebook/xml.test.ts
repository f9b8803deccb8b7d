import { describe, expect, it } from 'vitest';
import { attribute, childElements, parseXml, textContent, XmlError } from './xml.ts';

const errorOf = (text: string) => {
  try {
    parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return error.message;
    throw error;
  }
  throw new Error('parsed without error');
};

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, comments, PIs, references and a BOM', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<!DOCTYPE x [<!ENTITY e "]>">]>\n<!-- c -->\n<p:a xmlns:p="urn:x" p:k=\'1 &amp; 2\' n="a&#10;b&#x41;\tc">t&lt;1&gt;<?pi x?><![CDATA[<raw> & ]]><b/><!-- in --><c>&quot;&apos;</c></p:a>\n',
    );
    expect(root.name).toBe('p:a');
    expect(root.local).toBe('a');
    expect(attribute(root, 'k')).toBe('1 & 2');
    expect(attribute(root, 'n')).toBe('a\nbA c');
    expect(childElements(root).map((e) => e.local)).toEqual(['b', 'c']);
    expect(textContent(root)).toBe('t<1><raw> & "\'');
    expect(childElements(root, 'c')[0]).toMatchObject({ line: 4, column: 111 });
  });

  it('says where a document is not well-formed', () => {
    expect(errorOf('<a>\n  <b></a>')).toBe('the end tag </a> does not match the start tag <b> (line 2, column 3) (line 2, column 6)');
    expect(errorOf('<a>\n<b x="1" x="2"/></a>')).toBe('the attribute x appears twice in <b> (line 2, column 10)');
    expect(errorOf('<a>&nbsp;</a>')).toBe('the entity &nbsp; is not defined (XML defines only &lt; &gt; &amp; &quot; &apos;) (line 1, column 4)');
    expect(errorOf('<a>R&D</a>')).toBe('an “&” must start a reference such as &amp; (write & as &amp;) (line 1, column 5)');
    expect(errorOf('<a><b>')).toBe('the file ends before the element <b> (line 1, column 4) is closed (line 1, column 7)');
    expect(errorOf('<a/><b/>')).toBe('a second root element (an XML file has exactly one) (line 1, column 5)');
    expect(errorOf('<a x=1/>')).toBe('the value of the attribute x must be in quotes (line 1, column 6)');
    expect(errorOf('<a>\u0001</a>')).toBe('the character U+0001 is not allowed in XML (line 1, column 4)');
    expect(errorOf('hello')).toBe('text before the root element (line 1, column 1)');
    expect(errorOf('<a/>\n<?xml version="1.0"?>')).toBe('the XML declaration must come first in the file (line 2, column 1)');
    expect(errorOf('<!-- x')).toBe('a comment is not closed with “-->” (line 1, column 1)');
    expect(errorOf('')).toBe('there is no root element (line 1, column 1)');
  });
});

/**
 * Canonical XML: our canonicaliser (signing/xml/c14n.ts) held against the specification's own
 * examples, against itself (streamed text vs DOM: verifyXml streams, signXml walks a DOM), against
 * xml-crypto's canonicaliser, and against libxml2's (xmllint --c14n), on generated documents.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { C14nCanonicalization } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeElement, compareCodePoints } from '../../../signing/xml/c14n.ts';
import { readEnvelopedDocument } from '../../../signing/xml/enveloped-document.ts';
import { parseXml } from '../../../signing/xml/parse.ts';
import { generatedDocuments as documents } from './generated-documents.ts';

const run = promisify(execFile);

const streamed = (xml: string): string => readEnvelopedDocument(xml).canonicalWithout(0);
const walked = (xml: string): string => canonicalizeElement(parseXml(xml));
const xmlCrypto = (xml: string): string =>
  new C14nCanonicalization().process(
    new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Parameters<
      C14nCanonicalization['process']
    >[0],
    {},
  );

describe('the C14N 1.0 specification examples (without their DTDs, which we refuse)', () => {
  it('3.3 start and end tags: empty elements, attribute and namespace order, superfluous declarations', () => {
    const input = `<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>`;
    const expected = `<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>`;
    expect(streamed(input)).toBe(expected);
    expect(walked(input)).toBe(expected);
  });

  it('3.4 character modifications and character references', () => {
    const input = `<doc>
   <text>First line&#x0d;&#10;Second line</text>
   <value>&#x32;</value>
   <compute><![CDATA[value>"0" && value<"10" ?"valid":"error"]]></compute>
   <compute expr='value>"0" &amp;&amp; value&lt;"10" ?"valid":"error"'>valid</compute>
   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>
   <normNames attr='   A   &#x20;&#13;&#xa;&#9;   B   '/>
</doc>`;
    const expected = `<doc>
   <text>First line&#xD;
Second line</text>
   <value>2</value>
   <compute>value&gt;"0" &amp;&amp; value&lt;"10" ?"valid":"error"</compute>
   <compute expr="value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;">valid</compute>
   <norm attr=" '    &#xD;&#xA;&#x9;   ' "></norm>
   <normNames attr="   A    &#xD;&#xA;&#x9;   B   "></normNames>
</doc>`;
    expect(streamed(input)).toBe(expected);
    expect(walked(input)).toBe(expected);
  });

  it('line ends are normalised and literal whitespace in attribute values becomes spaces', () => {
    const input = '<a b="x\ty\r\nz">one\r\ntwo\rthree</a>';
    expect(streamed(input)).toBe('<a b="x y z">one\ntwo\nthree</a>');
    expect(walked(input)).toBe(streamed(input));
  });
});

describe('namespace names', () => {
  it('refuses one that canonicalisers would write differently (libxml2 and xml-crypto as is, Santuario escaped)', () => {
    for (const xml of [
      '<r xmlns:a="urn:x?a=1&amp;b=2"><a:e/></r>',
      '<r xmlns="urn:&quot;q&quot;"/>',
      '<r xmlns:a="urn:a&#10;b"/>',
    ]) {
      expect(() => streamed(xml)).toThrow(expect.objectContaining({ code: 'XML_FORBIDDEN_CONSTRUCT' }));
      expect(() => walked(xml)).toThrow(expect.objectContaining({ code: 'XML_FORBIDDEN_CONSTRUCT' }));
    }
  });

  it('refuses one with surrounding spaces, which one parser trims and another keeps', () => {
    expect(() => streamed('<r xmlns:a=" urn:a "><a:e/></r>')).toThrow(
      expect.objectContaining({ code: 'XML_MALFORMED' }),
    );
  });

  it('refuses what Namespaces in XML forbids (the reader resolves namespaces itself)', () => {
    for (const xml of [
      '<a:r/>', // undeclared prefix
      '<r b:x=""/>',
      '<r xmlns:a="urn:x" xmlns:b="urn:x" a:x="1" b:x="2"/>', // one attribute twice, under two prefixes
      '<r xmlns:a=""/>', // undeclaring a prefix (XML 1.0)
      '<r xmlns:xml="urn:x"/>',
      '<r xmlns:x="http://www.w3.org/XML/1998/namespace"/>',
      '<r xmlns="http://www.w3.org/XML/1998/namespace"/>',
      '<r xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>',
      '<r xmlns:a="http://www.w3.org/2000/xmlns/"/>',
      '<xmlns:r/>',
      '<r xmlns:a="urn:a"><a:b:c/></r>', // two colons
      '<r :x=""/>',
    ]) {
      expect(() => streamed(xml), xml).toThrow(expect.objectContaining({ code: 'XML_MALFORMED' }));
      expect(() => walked(xml), xml).toThrow(expect.objectContaining({ code: 'XML_MALFORMED' }));
    }
    expect(walked('<r xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="kk"/>')).toBe('<r xml:lang="kk"></r>');
  });

  it('orders attributes of several namespaces by name, two prefixes of one namespace together', () => {
    const input =
      '<r xmlns:a="urn:z" xmlns:b="urn:z" xmlns:c="urn:a"><e b:y="1" a:x="2" c:w="3" v="4" xml:lang="kk"/></r>';
    const expected =
      '<r xmlns:a="urn:z" xmlns:b="urn:z" xmlns:c="urn:a"><e v="4" xml:lang="kk" c:w="3" a:x="2" b:y="1"></e></r>';
    expect(streamed(input)).toBe(expected);
    expect(walked(input)).toBe(expected);
    expect(xmlCrypto(input)).toBe(expected);
  });
});

describe('code point order', () => {
  it('puts code points past U+FFFF after U+E000..U+FFFF, unlike UTF-16 code units', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFD').toBe(true);
    expect(compareCodePoints('B', 'a')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('orders namespace prefixes by code point (xml-crypto uses localeCompare and differs; libxml2 agrees with us)', () => {
    const input = '<r xmlns:a="urn:a" xmlns:B="urn:b"><a:x/></r>';
    expect(streamed(input)).toBe('<r xmlns:B="urn:b" xmlns:a="urn:a"><a:x></a:x></r>');
    expect(xmlCrypto(input)).toBe('<r xmlns:a="urn:a" xmlns:B="urn:b"><a:x></a:x></r>');
  });
});

describe('generated documents', () => {
  it('streamed, DOM-walked and xml-crypto canonical forms are the same', () => {
    fc.assert(
      fc.property(documents, (xml) => {
        const ours = streamed(xml);
        expect(walked(xml)).toBe(ours);
        expect(xmlCrypto(xml)).toBe(ours);
      }),
      { numRuns: 300 },
    );
  });

  describe('libxml2 (xmllint --c14n) agrees', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'joldama-c14n-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('on 60 generated documents, including upper-case prefixes', async () => {
      // xmllint keeps comments, so these documents have none; upper-case prefixes are in.
      const upper = documents.map((xml) =>
        xml
          .replace(/<!--[^]*?-->/g, '')
          .replace(/([<\s/])b:/g, '$1B:')
          .replace(/xmlns:b=/g, 'xmlns:B='),
      );
      const samples = fc.sample(upper, { numRuns: 60, seed: 20261201 });
      for (const [i, xml] of samples.entries()) {
        const file = join(dir, `${i}.xml`);
        await writeFile(file, xml);
        const { stdout } = await run('xmllint', ['--c14n', file]);
        expect(streamed(xml), xml).toBe(stdout);
      }
    });
  });
});

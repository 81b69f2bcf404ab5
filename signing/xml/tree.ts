/**
 * The small element tree the signature checks read (a signature, SignedInfo, the document element's
 * start tag): plain objects with namespaces already resolved. Not xmldom: its attribute map looks
 * each new attribute up among the element's earlier ones, quadratic in an outsider's attribute count.
 */
export interface XmlAttribute {
  /** Qualified name as written. */
  readonly name: string;
  readonly local: string;
  /** Namespace name ('' for none). */
  readonly uri: string;
  readonly value: string;
}

export interface XmlElement {
  readonly kind: 'element';
  /** Qualified name as written. */
  readonly name: string;
  readonly local: string;
  /** Namespace name ('' for none). */
  readonly uri: string;
  /** The element's own namespace declarations: [prefix ('' for the default), namespace name]. */
  readonly declarations: ReadonlyArray<readonly [string, string]>;
  /** Its other attributes, in document order. */
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlNode[];
  parent: XmlElement | undefined;
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  readonly cdata: boolean;
}

export interface XmlComment {
  readonly kind: 'comment';
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** The value of the attribute written `name` (no namespace prefix), if present. */
export function attributeValue(element: XmlElement, name: string): string | undefined {
  return element.attributes.find((a) => a.name === name)?.value;
}

/** The text of an element's text and CDATA children (not of its descendants). */
export function ownText(element: XmlElement): string {
  let text = '';
  for (const c of element.children) if (c.kind === 'text') text += c.text;
  return text;
}

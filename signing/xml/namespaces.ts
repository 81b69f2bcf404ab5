/**
 * Namespace bindings in scope while elements are read or written, in time linear in the
 * declarations: one map from prefix to its stack of bindings, and for each open element the
 * prefixes it bound (undone when it closes). Copying the parent's bindings into every element
 * instead costs (elements x declarations in scope).
 *
 * Namespace names are interned: every binding of the same name shares one `Namespace` with a small
 * id, so comparing two attributes' namespaces costs O(1) however long the names are (an outsider
 * can declare a long name once and use it on thousands of attributes).
 */
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface Namespace {
  readonly uri: string;
  readonly id: number;
}

export class NamespaceScope {
  readonly #ids = new Map<string, Namespace>();
  readonly #bindings = new Map<string, Namespace[]>();
  readonly #declared: string[][] = [];
  /** No namespace: unprefixed attributes, and unprefixed elements where no default is declared. */
  readonly none: Namespace = this.intern('');

  constructor() {
    this.#bindings.set('xml', [this.intern(XML_NS)]);
  }

  intern(uri: string): Namespace {
    let ns = this.#ids.get(uri);
    if (!ns) {
      ns = { uri, id: this.#ids.size };
      this.#ids.set(uri, ns);
    }
    return ns;
  }

  /** An element opens: its declarations ([prefix ('' for the default), name]) take effect. */
  enter(declarations: ReadonlyArray<readonly [string, string]>): void {
    const prefixes: string[] = [];
    for (const [prefix, uri] of declarations) {
      const stack = this.#bindings.get(prefix);
      const ns = this.intern(uri);
      if (stack) stack.push(ns);
      else this.#bindings.set(prefix, [ns]);
      prefixes.push(prefix);
    }
    this.#declared.push(prefixes);
  }

  /** The innermost open element closes: its declarations end. */
  leave(): void {
    for (const prefix of this.#declared.pop() ?? []) this.#bindings.get(prefix)?.pop();
  }

  /** The namespace `prefix` is bound to ('' is the default namespace: none unless declared). */
  lookup(prefix: string): Namespace | undefined {
    const stack = this.#bindings.get(prefix);
    return stack?.[stack.length - 1] ?? (prefix === '' ? this.none : undefined);
  }
}

/**
 * A small strict XML well-formedness check (Node has no XML parser): one
 * root element, balanced and properly nested tags, quoted attributes without
 * duplicates or raw '<', only the five predefined or numeric entities, no raw
 * '<' or stray '&' in text. Throws with the offset of the first problem.
 */
const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;

function checkText(s: string, at: number): void {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    if (!ENTITY.test(s.slice(i))) throw new Error(`bad entity at ${at + i}: ${s.slice(i, i + 12)}`);
  }
  if (s.includes('<')) throw new Error(`raw '<' at ${at + s.indexOf('<')}`);
}

/** Returns the root element's name; throws when the document is not well-formed. */
export function checkWellFormedXml(doc: string): string {
  const stack: string[] = [];
  let root: string | null = null;
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const textEnd = lt < 0 ? doc.length : lt;
    const chunk = doc.slice(i, textEnd);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    checkText(chunk, i);
    if (lt < 0) break;
    if (doc.startsWith('<!--', lt)) {
      const end = doc.indexOf('-->', lt + 4);
      if (end < 0) throw new Error(`unterminated comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (doc.startsWith('<?', lt)) {
      const end = doc.indexOf('?>', lt);
      if (end < 0) throw new Error(`unterminated processing instruction at ${lt}`);
      i = end + 2;
      continue;
    }
    if (doc.startsWith('<![CDATA[', lt)) {
      if (stack.length === 0) throw new Error(`CDATA outside the root at ${lt}`);
      const end = doc.indexOf(']]>', lt);
      if (end < 0) throw new Error(`unterminated CDATA at ${lt}`);
      i = end + 3;
      continue;
    }
    if (doc[lt + 1] === '/') {
      const m = NAME.exec(doc.slice(lt + 2));
      if (!m) throw new Error(`bad end tag at ${lt}`);
      const close = doc.indexOf('>', lt);
      if (doc.slice(lt + 2 + m[0].length, close).trim() !== '') throw new Error(`junk in end tag at ${lt}`);
      const open = stack.pop();
      if (open !== m[0]) throw new Error(`</${m[0]}> at ${lt} closes <${open ?? '(nothing)'}>`);
      i = close + 1;
      continue;
    }
    const m = NAME.exec(doc.slice(lt + 1));
    if (!m) throw new Error(`bad tag at ${lt}: ${doc.slice(lt, lt + 20)}`);
    if (stack.length === 0) {
      if (root !== null) throw new Error(`second root element <${m[0]}> at ${lt}`);
      root = m[0];
    }
    let j = lt + 1 + m[0].length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(doc.slice(j))![0].length;
      j += ws;
      if (doc.startsWith('/>', j)) {
        j += 2;
        break;
      }
      if (doc[j] === '>') {
        stack.push(m[0]);
        j += 1;
        break;
      }
      if (ws === 0) throw new Error(`expected whitespace before an attribute at ${j}`);
      const a = /^([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(doc.slice(j));
      if (!a) throw new Error(`bad attribute at ${j}: ${doc.slice(j, j + 30)}`);
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]} at ${j}`);
      seen.add(a[1]!);
      checkText(a[3] ?? a[4] ?? '', j);
      j += a[0].length;
    }
    i = j;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (root === null) throw new Error('no root element');
  return root;
}

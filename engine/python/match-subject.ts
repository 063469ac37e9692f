// @lezer/python (1.1.19) does not read a match statement whose subject is an unparenthesised tuple (`match a, b:`,
// valid Python): it reports a syntax error and loses the subject, or the whole statement. Before parsing, such a
// subject is parenthesised keeping every line and the length of the line: `match a, b:` → `match(a,b):` (the space
// after `match` becomes `(`, the first space after a top-level comma moves before the colon as `)`).

/** The line's rest after `match ` with its subject parenthesised, or undefined to leave the line as it is. */
function parenthesised(rest: string): string | undefined {
  let depth = 0, quote = '', colon = -1, stolen = -1;
  for (let i = 0; i < rest.length && colon < 0; i++) {
    const c = rest[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return undefined;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && c === ':') colon = i;
    else if (depth === 0 && c === ',' && stolen < 0 && rest[i + 1] === ' ') stolen = i + 1;
  }
  // the colon must end the statement (a comment may follow); a lambda's colon is not the subject's end
  if (colon < 0 || stolen < 0 || /\blambda\b/.test(rest.slice(0, colon)) || !/^\s*(#.*)?$/.test(rest.slice(colon + 1))) {
    return undefined;
  }
  return `(${rest.slice(0, stolen)}${rest.slice(stolen + 1, colon)})${rest.slice(colon)}`;
}

/** The source with every tuple match subject parenthesised (offsets within those lines move by one at most). */
export function parenthesiseMatchSubjects(src: string): string {
  if (!/^[ \t]*match[ \t][^\n]*,/m.test(src)) return src;
  return src.replace(/^([ \t]*match)[ \t]([^\n]*)$/gm, (line, head: string, rest: string) => {
    const fixed = parenthesised(rest);
    return fixed === undefined ? line : head + fixed;
  });
}

// Text that comes from the analysed file (layer and model names, paths, types, messages) made
// inert before it goes into a trusted Markdown hover or a CodeLens/status-bar title: no link, no
// HTML, no theme icon, no command can come from the user's code, only from ConvLens's own text.

/** Every ASCII punctuation character Markdown (or VS Code's `$(icon)` syntax) could read as syntax. */
const MARKDOWN_SYNTAX = /[\\`*_{}[\]()#+\-.!|<>~&$:"'=]/g;

/** Plain text in Markdown: each syntax character backslash-escaped, line breaks flattened. */
export function mdText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(MARKDOWN_SYNTAX, (c) => `\\${c}`);
}

/**
 * A name as inline code, which holds its text literally up to the next backtick. A name with a
 * backtick or a line break (only a crafted one has them) is escaped text instead, not code.
 */
export function mdCode(s: string): string {
  return /[`\r\n]/.test(s) || s === '' ? mdText(s) : `\`${s}\``;
}

/** A title VS Code renders with `$(icon)` syntax (CodeLens, status bar): the file's text shows no icon. */
export function plainTitle(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/\$\(/g, '$\u200b(');
}

// The page every ConvLens webview starts from: strict CSP with a nonce, no inline handlers, the
// panel's own script and stylesheet from dist/webview, and nothing else.
import * as vscode from 'vscode';

/** The HTML of a panel whose bundle is `dist/webview/<name>.js` and `<name>.css`. */
export function webviewHtml(webview: vscode.Webview, root: vscode.Uri, name: string, title: string, placeholder: string): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, `${name}.css`));
  const csp = [
    "default-src 'none'",
    // The toolkit (FAST) appends one empty <style> element as its design-token target and fills it
    // through the CSSOM: allow exactly the empty string's hash, never 'unsafe-inline'.
    `style-src ${webview.cspSource} 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title}</title>
</head>
<body>
<main id="root"><p class="empty">${placeholder}</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A message for the log: JSON cut short, whatever it is. */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}

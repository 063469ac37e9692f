// The page every ConvLens webview loads: its bundle's script and stylesheet from dist/webview, a
// strict Content Security Policy with a fresh nonce, no inline code.
import * as vscode from 'vscode';

export function webviewHtml(webview: vscode.Webview, root: vscode.Uri, bundle: string, title: string, placeholder = ''): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.css`));
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
<title>${title.replace(/[<&"]/g, '')}</title>
</head>
<body>
<main id="root">${placeholder}</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

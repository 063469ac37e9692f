// Counts with thousands separators as `toLocaleString('en-US')` writes them, without that call's first cost: it
// loads ICU's locale data (35–65 ms of a fresh process's CPU: every CLI summary's, the extension host's first tooltip's).

/** `11181642` → `11,181,642`; what is not a safe integer (nor -0) as `toLocaleString('en-US')` writes it. */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

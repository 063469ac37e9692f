// The results as pictures: images from base64 bytes on canvases (scaled without smoothing), the
// confusion matrix as a shaded table.
import type { Pictures } from '../trainProtocol';

export function decodeBase64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** Picture k of a set on a canvas `scale` times its size; one channel is grey, three are RGB. */
export function pictureCanvas(set: Pictures, bytes: Uint8Array, k: number, scale: number, label: string): HTMLCanvasElement {
  const { channels: C, h, w } = set, L = h * w, off = k * C * L;
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const img = small.getContext('2d')!.createImageData(w, h);
  for (let i = 0; i < L; i++) {
    const r = bytes[off + i], g = C === 3 ? bytes[off + L + i] : r, b = C === 3 ? bytes[off + 2 * L + i] : r;
    img.data.set([r, g, b, 255], 4 * i);
  }
  small.getContext('2d')!.putImageData(img, 0, 0);
  const big = document.createElement('canvas');
  big.width = Math.max(1, Math.round(w * scale));
  big.height = Math.max(1, Math.round(h * scale));
  const ctx = big.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, big.width, big.height);
  big.setAttribute('role', 'img');
  big.setAttribute('aria-label', label);
  return big;
}

/** A scale that shows a picture about `target` pixels wide (whole multiples keep the pixels square). */
export const scaleFor = (w: number, target: number): number => Math.max(1, Math.round(target / w));

export function confusionTable(confusion: number[][], classNames: string[]): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'confusion';
  t.setAttribute('aria-label', 'Confusion matrix: rows are the true classes, columns the predicted ones');
  const head = t.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: 'true ↓ predicted →' }));
  for (const name of classNames) head.append(Object.assign(document.createElement('th'), { textContent: name, scope: 'col' }));
  const body = t.createTBody();
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const tr = body.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: classNames[i] ?? String(i), scope: 'row' }));
    row.forEach((n, j) => {
      const td = tr.insertCell();
      td.textContent = String(n);
      const share = total ? n / total : 0;
      td.className = i === j ? 'hit' : n ? 'miss' : '';
      td.style.setProperty('--share', share.toFixed(3));
      td.title = `${n} of ${total} images of ${classNames[i]} predicted as ${classNames[j]}`;
    });
  });
  return t;
}

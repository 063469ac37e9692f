// Live loss and accuracy curves (uPlot on a canvas): per batch, smoothed, and per epoch for training
// and validation, on one axis of optimisation steps; the best epoch (what early stopping keeps) is a
// dashed vertical line. In comparison mode the x axis is the epoch and each run has its own colour.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BatchPoint, Curves, EpochPoint } from '../trainProtocol';

const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

/** Exponential moving average with bias correction (TensorBoard's smoothing). */
export function smooth(values: number[], weight = 0.9): number[] {
  let m = 0;
  return values.map((v, i) => {
    m = weight * m + (1 - weight) * v;
    return m / (1 - weight ** (i + 1));
  });
}

interface Metric { key: 'loss' | 'accuracy'; title: string; batch: (b: BatchPoint) => number; train: (e: EpochPoint) => number; val: (e: EpochPoint) => number | null }

export const METRICS: Metric[] = [
  { key: 'loss', title: 'Loss', batch: (b) => b.loss, train: (e) => e.trainLoss, val: (e) => e.valLoss },
  { key: 'accuracy', title: 'Accuracy', batch: (b) => b.accuracy, train: (e) => e.trainAccuracy, val: (e) => e.valAccuracy },
];

/** A vertical dashed line at x = marker() with a label. */
function markerPlugin(marker: () => number | null, label: string): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const x = marker();
        if (x === null) return;
        const px = u.valToPos(x, 'x', true), { top, height } = u.bbox, ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = css('--vscode-charts-orange', '#d18616');
        ctx.fillStyle = ctx.strokeStyle;
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(px, top);
        ctx.lineTo(px, top + height);
        ctx.stroke();
        ctx.font = `${11 * devicePixelRatio}px ${css('--vscode-font-family', 'sans-serif')}`;
        ctx.fillText(label, px + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}

/**
 * The legend shows each curve's latest value while the pointer is off the chart (uPlot's own shows "--" then), and
 * the values under the pointer while it is on it.
 */
function latestInLegendPlugin(): uPlot.Plugin {
  const showLatest = (u: uPlot) => {
    if (u.cursor.idx != null) return;
    const last = (ys: ArrayLike<number | null | undefined>) => {
      for (let i = ys.length - 1; i >= 0; i--) if (ys[i] != null) return i;
      return null;
    };
    u.setLegend({ idxs: u.data.map(last) }, false);
  };
  return { hooks: { ready: showLatest, setData: showLatest, setCursor: showLatest } };
}

function axisColours(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks'> {
  const fg = css('--vscode-descriptionForeground', '#888'), grid = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  return { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

/** One chart in a container that follows the container's width. */
class Chart {
  private plot: uPlot | null = null;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(private readonly host: HTMLElement, private readonly build: (size: { width: number; height: number }) => [uPlot.Options, uPlot.AlignedData]) {
    this.resize.observe(host);
  }

  private size(): { width: number; height: number } {
    // narrower is lower: at ~400 px the legend wraps, and both curves must still fit the panel's height
    const width = Math.max(240, this.host.clientWidth);
    return { width, height: width < 480 ? 160 : 220 };
  }

  /** Rebuilds when the series change (theme, comparison), otherwise swaps the data. */
  update(rebuild: boolean): void {
    const [opts, data] = this.build(this.size());
    if (!this.plot || rebuild) {
      this.plot?.destroy();
      this.plot = new uPlot(opts, data, this.host);
    } else {
      this.plot.setData(data);
    }
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }
}

/** The loss and accuracy charts of one run as it trains. */
export class LiveCharts {
  private batches: BatchPoint[] = [];
  private epochs: EpochPoint[] = [];
  private best: number | null = null;
  private readonly charts: Chart[];

  constructor(hosts: HTMLElement[]) {
    this.charts = METRICS.map((m, i) => new Chart(hosts[i], (size) => this.options(m, size)));
  }

  set(batches: BatchPoint[], epochs: EpochPoint[], best: number | null, append: boolean): void {
    if (append) { this.batches.push(...batches); this.epochs.push(...epochs); } else { this.batches = [...batches]; this.epochs = [...epochs]; }
    this.best = best;
    for (const c of this.charts) c.update(false);
  }

  /** Colours changed (theme): build the charts again. */
  restyle(): void {
    for (const c of this.charts) c.update(true);
  }

  private bestStep(): number | null {
    return this.epochs.find((e) => e.epoch === this.best)?.step ?? null;
  }

  private options(m: Metric, size: { width: number; height: number }): [uPlot.Options, uPlot.AlignedData] {
    const x = this.batches.map((b) => b.step);
    const at = new Map(x.map((s, i) => [s, i]));
    const perEpoch = (f: (e: EpochPoint) => number | null): Array<number | null> => {
      const ys: Array<number | null> = x.map(() => null);
      for (const e of this.epochs) { const i = at.get(e.step); if (i !== undefined) ys[i] = f(e); }
      return ys;
    };
    const raw = this.batches.map(m.batch);
    const data: uPlot.AlignedData = [x, raw, smooth(raw), perEpoch(m.train), perEpoch(m.val)];
    const blue = css('--vscode-charts-blue', '#3794ff'), green = css('--vscode-charts-green', '#89d185'), purple = css('--vscode-charts-purple', '#b180d7');
    const point = (stroke: string) => ({ show: true, size: 7, stroke, fill: stroke });
    const opts: uPlot.Options = {
      ...size,
      title: m.title,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [{ ...axisColours(), label: 'step' }, { ...axisColours(), size: 50 }],
      series: [
        { label: 'step' },
        { label: 'batch', stroke: blue, alpha: 0.25, width: 1 },
        { label: 'batch (smoothed)', stroke: blue, width: 2 },
        { label: 'train (epoch)', stroke: green, width: 2, spanGaps: true, points: point(green) },
        { label: 'validation (epoch)', stroke: purple, width: 2, spanGaps: true, points: point(purple) },
      ],
      plugins: [markerPlugin(() => this.bestStep(), 'best epoch'), latestInLegendPlugin()],
    };
    return [opts, data];
  }
}

const RUN_COLOURS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple'];

/** Two or more saved runs: validation (solid) and training (dashed) per epoch. */
export class CompareCharts {
  private curves: Curves[] = [];
  private readonly charts: Chart[];

  constructor(hosts: HTMLElement[]) {
    this.charts = METRICS.map((m, i) => new Chart(hosts[i], (size) => this.options(m, size)));
  }

  set(curves: Curves[]): void {
    this.curves = curves;
    for (const c of this.charts) c.update(true);
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
  }

  private options(m: Metric, size: { width: number; height: number }): [uPlot.Options, uPlot.AlignedData] {
    const maxEpoch = Math.max(1, ...this.curves.flatMap((c) => c.epochs.map((e) => e.epoch)));
    const x = Array.from({ length: maxEpoch }, (_, i) => i + 1);
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    const data: Array<Array<number | null>> = [x];
    this.curves.forEach((c, k) => {
      const stroke = css(RUN_COLOURS[k % RUN_COLOURS.length], '#3794ff');
      const by = new Map(c.epochs.map((e) => [e.epoch, e]));
      data.push(x.map((e) => (by.has(e) ? m.val(by.get(e)!) : null)), x.map((e) => (by.has(e) ? m.train(by.get(e)!) : null)));
      series.push({ label: `${k + 1}: validation`, stroke, width: 2, spanGaps: true, points: { show: true, size: 6, stroke, fill: stroke } },
        { label: `${k + 1}: train`, stroke, width: 1.5, dash: [6, 4], spanGaps: true });
    });
    return [{
      ...size, title: `${m.title} per epoch`, legend: { show: true }, scales: { x: { time: false } },
      axes: [{ ...axisColours(), label: 'epoch' }, { ...axisColours(), size: 50 }], series, plugins: [latestInLegendPlugin()],
    }, data as uPlot.AlignedData];
  }
}

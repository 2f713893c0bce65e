/**
 * A line chart as a pure function: `renderLineChart(data, scales, size)` returns an SVG node.
 * Series are coloured by CSS classes (`c0`…`c5` → VS Code chart colours), so themes apply.
 */
import { axisBottom, axisLeft, create, extent, line, scaleLinear, scaleLog, symbol, symbolDiamond, type ScaleContinuousNumeric } from 'd3';

export type SeriesKind = 'smooth' | 'raw' | 'epoch-train' | 'epoch-val' | 'test';

export interface Series {
  /** Run id + what, e.g. `run-1:smooth`. */
  id: string;
  runId: string;
  label: string;
  /** Colour slot (0–5). */
  color: number;
  kind: SeriesKind;
  points: [number, number][];
  /** Write each point's value beside it (per-epoch and test marks of the latest run). */
  labelled?: boolean;
}

export interface ChartData {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** What a screen reader hears about the chart (its latest values). */
  summary?: string;
}

/** A value as the chart labels it: 3 significant decimals for small values. */
export function chartValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
}

export interface ChartSize {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface ChartScales {
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
}

/** Scales fitting every series; `log` for the y axis when all values are positive. */
export function chartScales(data: ChartData, size: ChartSize, opts: { log?: boolean; yDomain?: [number, number] } = {}): ChartScales {
  const xs = data.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = data.series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const [x0, x1] = extent(xs) as [number | undefined, number | undefined];
  const x = scaleLinear()
    .domain([x0 ?? 0, Math.max(x1 ?? 1, (x0 ?? 0) + 1)])
    .range([size.margin.left, size.width - size.margin.right]);
  const range: [number, number] = [size.height - size.margin.bottom, size.margin.top];
  const positive = ys.filter((v) => v > 0);
  let y: ScaleContinuousNumeric<number, number>;
  if (opts.log && positive.length > 0) {
    const [lo, hi] = extent(positive) as [number, number];
    y = scaleLog().domain([lo * 0.9, hi * 1.1]).range(range).nice();
  } else {
    const [lo, hi] = opts.yDomain ?? ((extent(ys) as [number | undefined, number | undefined]).every((v) => v !== undefined) ? (extent(ys) as [number, number]) : [0, 1]);
    y = scaleLinear().domain([Math.min(0, lo), hi === lo ? hi + 1 : hi]).range(range).nice();
  }
  return { x, y };
}

export function renderLineChart(data: ChartData, scales: ChartScales, size: ChartSize): SVGSVGElement {
  const { x, y } = scales;
  const { width, height, margin } = size;
  const svg = create('svg')
    .attr('class', 'line-chart')
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', `${data.title} chart, ${data.series.filter((s) => s.kind === 'smooth').length} runs${data.summary ? `. ${data.summary}` : ''}`);
  svg
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickSizeOuter(0));
  svg
    .append('g')
    .attr('class', 'axis y-axis')
    .attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).ticks(Math.max(2, Math.floor(height / 40)), '~g').tickSize(-(width - margin.left - margin.right)));
  svg
    .append('text')
    .attr('class', 'chart-title')
    .attr('x', margin.left)
    .attr('y', margin.top - 8)
    .text(data.title);
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', width - margin.right)
    .attr('y', height - 4)
    .attr('text-anchor', 'end')
    .text(data.xLabel);
  const clipId = `clip-${Math.random().toString(36).slice(2)}`;
  svg
    .append('clipPath')
    .attr('id', clipId)
    .append('rect')
    .attr('x', margin.left - 5)
    .attr('y', margin.top - 5)
    .attr('width', width - margin.left - margin.right + 10)
    .attr('height', height - margin.top - margin.bottom + 10);
  const plot = svg.append('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
  const path = line<[number, number]>()
    .defined((p) => Number.isFinite(y(p[1])))
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  const order: SeriesKind[] = ['raw', 'smooth', 'epoch-train', 'epoch-val', 'test'];
  // Value labels are drawn outside the clip, after everything else, so no line covers them.
  const labels: { x: number; y: number; text: string; cls: string; below: boolean }[] = [];
  const right = width - margin.right;
  for (const kind of order) {
    for (const s of data.series.filter((d) => d.kind === kind)) {
      if (kind === 'test') {
        plot
          .append('g')
          .attr('class', `markers test c${s.color % 6}`)
          .attr('data-run', s.runId)
          .attr('data-kind', s.kind)
          .selectAll('path')
          .data(s.points)
          .join('path')
          .attr('transform', (p) => `translate(${x(p[0])},${y(p[1])})`)
          .attr('d', symbol(symbolDiamond, 90)() ?? '');
        if (s.labelled) for (const p of s.points) labels.push({ x: x(p[0]), y: y(p[1]), text: `test ${chartValue(p[1])}`, cls: `value-label test c${s.color % 6}`, below: false });
        continue;
      }
      if (s.labelled && (kind === 'epoch-train' || kind === 'epoch-val'))
        for (const p of s.points)
          labels.push({ x: x(p[0]), y: y(p[1]), text: `${kind === 'epoch-val' ? 'val ' : 'epoch '}${chartValue(p[1])}`, cls: `value-label ${kind} c${s.color % 6}`, below: kind === 'epoch-val' });
      plot
        .append('path')
        .attr('class', `series ${s.kind} c${s.color % 6}`)
        .attr('data-run', s.runId)
        .attr('data-kind', s.kind)
        .attr('data-points', s.points.length)
        .attr('d', path(s.points) ?? '');
      if (kind === 'epoch-train' || kind === 'epoch-val') {
        plot
          .append('g')
          .attr('class', `markers ${s.kind} c${s.color % 6}`)
          .selectAll('circle')
          .data(s.points)
          .join('circle')
          .attr('cx', (p) => x(p[0]))
          .attr('cy', (p) => y(p[1]))
          .attr('r', 3.5);
      }
    }
  }
  // Labels left of points near the right edge. Labels at about the same x form a column whose
  // entries are pushed apart (12 px) and kept inside the plot, so none covers another.
  const lg = svg.append('g').attr('class', 'value-labels');
  const top = margin.top + 9;
  const bottom = height - margin.bottom - 3;
  const sorted = labels.map((l) => ({ ...l, target: l.below ? l.y + 15 : l.y - 8 })).sort((a, b) => a.x - b.x);
  const columns: (typeof sorted)[] = [];
  for (const l of sorted) {
    const col = columns[columns.length - 1];
    if (col && l.x - col[0]!.x < 70) col.push(l);
    else columns.push([l]);
  }
  for (const col of columns) {
    col.sort((a, b) => a.target - b.target);
    const ys: number[] = [];
    col.forEach((l, i) => ys.push(Math.max(l.target, i ? ys[i - 1]! + 12 : top)));
    const over = ys[ys.length - 1]! - bottom;
    if (over > 0) for (let i = 0; i < ys.length; i++) ys[i] = ys[i]! - over;
    col.forEach((l, i) => {
      const anchorEnd = l.x > right - 70;
      lg.append('text')
        .attr('class', l.cls)
        .attr('x', anchorEnd ? l.x - 7 : l.x + 7)
        .attr('y', Math.max(top, ys[i]!))
        .attr('text-anchor', anchorEnd ? 'end' : 'start')
        .text(l.text);
    });
  }
  svg.append('line').attr('class', 'hover-rule').attr('y1', margin.top).attr('y2', height - margin.bottom).attr('visibility', 'hidden');
  svg
    .append('rect')
    .attr('class', 'hover-target')
    .attr('x', margin.left)
    .attr('y', margin.top)
    .attr('width', Math.max(0, width - margin.left - margin.right))
    .attr('height', Math.max(0, height - margin.top - margin.bottom));
  return svg.node()!;
}

/** Exponential moving average with TensorBoard's debiasing; `w` in [0, 1). */
export function smooth(points: [number, number][], w: number): [number, number][] {
  if (w <= 0) return points;
  let last = 0;
  let n = 0;
  return points.map(([x, v]) => {
    if (!Number.isFinite(v)) return [x, v];
    last = last * w + (1 - w) * v;
    n++;
    return [x, last / (1 - Math.pow(w, n))];
  });
}

/**
 * Browser entry for bench/panel.bench.ts: lays out and renders a model's graph in the page
 * and reports the time of each step (bundled by the bench, not shipped).
 */
import type { ModelIR } from '../src/core/model/ir';
import { layoutModel } from '../src/webview/graph/layout';
import { renderGraph } from '../src/webview/graph/render';

declare global {
  interface Window {
    benchGraph(model: ModelIR): Promise<{ layoutMs: number; renderMs: number; paintMs: number; nodes: number; edges: number }>;
  }
}

window.benchGraph = async (model) => {
  const t0 = performance.now();
  const layout = layoutModel(model);
  const t1 = performance.now();
  const svg = renderGraph(layout);
  const host = document.getElementById('app')!;
  host.replaceChildren(svg);
  svg.getBoundingClientRect(); // force style + layout
  const t2 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t3 = performance.now();
  return { layoutMs: t1 - t0, renderMs: t2 - t1, paintMs: t3 - t0, nodes: layout.nodes.length, edges: layout.edges.length };
};

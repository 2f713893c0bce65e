/**
 * Batch curves the panel's state left out (runs older than the Training tab overlays): fetched
 * from the host when a view draws or exports them, in requests of at most
 * `MAX_CURVES_PER_REQUEST` runs.
 */
import { MAX_CURVES_PER_REQUEST } from '../core/protocol/webview';
import type { Host } from './host';
import type { Store } from './store';

/** Makes sure the runs' curves are in the store; resolves once they are (or the host failed). */
export async function ensureCurves(host: Host, store: Store, ids: readonly string[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => store.curvesOmitted.has(id));
  for (let i = 0; i < missing.length; i += MAX_CURVES_PER_REQUEST) {
    const r = await host.rpc.request('runCurves', { ids: missing.slice(i, i + MAX_CURVES_PER_REQUEST) });
    store.fillCurves(r.curves);
  }
}

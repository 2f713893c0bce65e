/** What went wrong in `npm install`, said so the user knows what to do (pure; no `vscode`). */

const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo)\b|network (request|connectivity)|request to https?:\/\/\S+ failed/i;

export function npmInstallError(output: string, exitCode: number | null, spawnError?: { code?: string; message: string }): string {
  if (spawnError?.code === 'ENOENT') {
    return 'npm was not found. Install Node.js (it includes npm) and make sure `npm` is on PATH, then run this command again.';
  }
  if (spawnError) return `Could not run npm: ${spawnError.message}`;
  if (OFFLINE.test(output)) {
    return 'No network: npm could not reach the registry (or TensorFlow\'s download server). Connect to the internet (or configure npm\'s proxy/registry) and run this command again. Model Lens keeps working with the built-in WebAssembly backend.';
  }
  if (/\bEACCES\b|permission denied/i.test(output)) {
    return 'npm was not allowed to write to the extension\'s storage folder (permission denied). See the Model Lens output for the path.';
  }
  const last = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /err/i.test(l))
    .slice(-3)
    .join(' ');
  return `npm install failed (exit code ${exitCode ?? 'none'})${last ? `: ${last}` : ''}. See the Model Lens output for the full log.`;
}

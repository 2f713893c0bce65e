/** IR positions (1-based) ⇄ VS Code positions (0-based). */
import * as vscode from 'vscode';
import type { Diagnostic, SourceRange } from '../core/model/ir';

export function toRange(r: SourceRange, doc?: vscode.TextDocument): vscode.Range {
  const clampLine = (l: number) => Math.max(0, doc ? Math.min(doc.lineCount - 1, l - 1) : l - 1);
  const start = new vscode.Position(clampLine(r.line), Math.max(0, r.column - 1));
  let end = new vscode.Position(clampLine(r.endLine), Math.max(0, r.endColumn - 1));
  if (end.isBefore(start)) end = start;
  if (end.isEqual(start) && doc) end = doc.lineAt(start.line).range.end;
  return doc ? doc.validateRange(new vscode.Range(start, end)) : new vscode.Range(start, end);
}

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVsDiagnostic(d: Diagnostic, doc: vscode.TextDocument): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.range, doc), d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
  out.source = 'Model Lens';
  out.code = d.code;
  return out;
}
